// Streams calibration samples through ORT and hands each chosen intermediate tensor to a callback, a bounded group
// of tensors per pass; the caller keeps statistics (ranges, histograms, Hessians), never the activations.
import {
  definedNames, EdgeoptError, withGraphOutputs, type Feeds, type ModelProto, type OpenedDataset,
} from '../../../src/api.js';
import { openEditedModel } from './model-session.js';
import { measureTensorShapes, type TensorShape } from './tensor-sizes.js';

/** One float32 tensor of one sample, valid only during the callback (the buffer is dropped right after). */
export interface CapturedTensor {
  name: string;
  data: Float32Array;
  dims: readonly number[];
}

export interface CaptureOptions {
  /** main-graph float32 tensors to observe (node outputs or graph inputs), best given in topological order */
  tensors: readonly string[];
  /** the samples, e.g. openDataset(...): each pass reads them again, one at a time */
  samples: Pick<OpenedDataset, 'samples' | 'batches'>;
  onTensor(tensor: CapturedTensor, sample: number): void | Promise<void>;
  ep: string[];
  threads?: number;
  /** a private folder for the probe's profile trace and the edited models ORT loads */
  scratchDir: string;
  /** most bytes of captured tensors fetched by one inference (default 512 MiB) */
  budgetBytes?: number;
  signal?: AbortSignal;
  progress?(fraction: number, message: string): void;
}

export interface CaptureReport {
  samples: number;
  /** inferences per sample: one per group of tensors */
  passes: number;
  captured: number;
  /** bytes fetched by the largest group (per inference) */
  largest_group_bytes: number;
  /** tensors larger than the budget on their own (each got a pass to itself) */
  oversized: string[];
  skipped: Array<{ tensor: string; reason: string }>;
}

/** The report, and each captured tensor's size in bytes (per sample) as the probe measured it. */
export interface CaptureResult {
  report: CaptureReport;
  bytes: Map<string, number>;
}

export const DEFAULT_CAPTURE_BUDGET = 512 * 1024 * 1024;

interface Plan {
  groups: string[][];
  groupBytes: number[];
  oversized: string[];
  skipped: Array<{ tensor: string; reason: string }>;
}

/**
 * Packs tensors into groups whose fetched bytes stay under the budget, in the order given (tensors computed close
 * together share a pass). A tensor whose size the probe did not see counts as the largest size it did see.
 */
function planGroups(tensors: readonly string[], shapes: Map<string, TensorShape>, inputs: Map<string, TensorShape>, budget: number, skipped: Plan['skipped']): Plan {
  const plan: Plan = { groups: [], groupBytes: [], oversized: [], skipped };
  const largest = Math.max(0, ...[...shapes.values()].map((s) => s.bytes));
  let current: string[] = [];
  let bytes = 0;
  for (const name of tensors) {
    const shape = inputs.get(name) ?? shapes.get(name);
    if (shape && shape.type !== 'float') {
      skipped.push({ tensor: name, reason: `it is ${shape.type}, not float32` });
      continue;
    }
    const size = shape?.bytes ?? largest;
    if (size > budget) plan.oversized.push(name);
    if (current.length > 0 && bytes + size > budget) {
      plan.groups.push(current);
      plan.groupBytes.push(bytes);
      current = [];
      bytes = 0;
    }
    current.push(name);
    bytes += size;
  }
  if (current.length > 0) {
    plan.groups.push(current);
    plan.groupBytes.push(bytes);
  }
  return plan;
}

function inputShapes(feeds: Feeds): Map<string, TensorShape> {
  // in the profile's vocabulary: ORT's JS API says float32 where its trace says float
  return new Map(Object.entries(feeds).map(([name, t]) => [name, { type: t.type === 'float32' ? 'float' : t.type, dims: [...t.dims], bytes: (t.data as ArrayBufferView).byteLength }]));
}

/** Names that are not main-graph tensors a session could output; moved to `skipped`. */
function unknownTensors(model: ModelProto, tensors: readonly string[], skipped: Plan['skipped']): string[] {
  const graph = model.graph!;
  const defined = definedNames(graph);
  const constants = new Set(graph.initializer.map((t) => t.name ?? ''));
  return tensors.filter((name) => {
    if (!defined.has(name)) skipped.push({ tensor: name, reason: 'it is not a tensor of the main graph (If/Loop bodies cannot be fetched)' });
    else if (constants.has(name)) skipped.push({ tensor: name, reason: 'it is an initializer, not an activation' });
    else return true;
    return false;
  });
}

async function firstSample(samples: CaptureOptions['samples'], signal?: AbortSignal): Promise<Feeds> {
  for await (const batch of samples.batches(1, signal)) if (batch[0]) return batch[0];
  throw new EdgeoptError({ code: 'E_DATA_SAMPLES', kind: 'recipe', message: 'the calibration data holds no samples', hint: 'add samples along axis 0' });
}

/**
 * Memory is bounded per inference: ORT's own working memory for one sample, plus the group's fetched tensors
 * (at most `budgetBytes`, held twice while ORT's output buffers are copied to JavaScript), plus whatever the
 * callback keeps. Every pass opens a session on the model with that group as extra graph outputs (ORT can fetch
 * nothing else), runs each sample through it, and releases it before the next group. Graph inputs come straight
 * from the samples' feeds.
 */
export async function captureActivations(model: ModelProto, options: CaptureOptions): Promise<CaptureResult> {
  const { signal } = options;
  const budget = options.budgetBytes ?? DEFAULT_CAPTURE_BUDGET;
  const skipped: Plan['skipped'] = [];
  const wanted = unknownTensors(model, [...new Set(options.tensors)], skipped);
  options.progress?.(0, 'measuring activation sizes');
  const feeds = await firstSample(options.samples, signal);
  const inputs = inputShapes(feeds);
  const probe = wanted.find((t) => !inputs.has(t));
  const shapes = probe === undefined ? new Map<string, TensorShape>()
    : await measureTensorShapes(model, feeds, { ep: options.ep, ...(options.threads ? { threads: options.threads } : {}), scratchDir: options.scratchDir, fetch: probe });
  const plan = planGroups(wanted, shapes, inputs, budget, skipped);
  const total = plan.groups.length * options.samples.samples;
  let done = 0;
  let captured = 0;
  for (const [g, group] of plan.groups.entries()) {
    signal?.throwIfAborted();
    const fetched = group.filter((t) => !inputs.has(t));
    const opened = fetched.length === 0 ? undefined : await openEditedModel(withGraphOutputs(model, fetched), options.scratchDir, {
      ep: options.ep, ...(options.threads ? { threads: options.threads } : {}),
    });
    try {
      let sample = 0;
      for await (const batch of options.samples.batches(1, signal)) {
        for (const sampleFeeds of batch) {
          signal?.throwIfAborted();
          options.progress?.(done / total, `calibration pass ${g + 1}/${plan.groups.length}, sample ${sample + 1}/${options.samples.samples}`);
          const outputs: Record<string, Feeds[string] | undefined> = opened ? { ...(await opened.session.run(sampleFeeds, fetched)) } : {};
          for (const name of group) {
            const tensor = inputs.has(name) ? sampleFeeds[name] : outputs[name];
            if (!tensor) continue;
            await options.onTensor({ name, data: tensor.data as Float32Array, dims: tensor.dims }, sample);
            // drop our reference at once, so the group's buffers can go as soon as the callback is done with them
            delete outputs[name];
          }
          sample += 1;
          done += 1;
        }
      }
      captured += group.length;
    } finally {
      await opened?.session.release();
    }
  }
  options.progress?.(1, 'calibration data captured');
  const bytes = new Map(plan.groups.flat().map((name) => [name, (inputs.get(name) ?? shapes.get(name))?.bytes ?? 0]));
  return {
    report: {
      samples: options.samples.samples, passes: plan.groups.length, captured,
      largest_group_bytes: Math.max(0, ...plan.groupBytes), oversized: plan.oversized, skipped,
    },
    bytes,
  };
}
