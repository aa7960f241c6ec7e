// A recipe dataset opened against a model's inputs: which source feeds each input, how many samples, and batches of feeds.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Tensor } from 'onnxruntime-node';
import { EdgeoptError } from '../errors.js';
import type { InputSpec } from '../ort/input-specs.js';
import type { ResolvedDataset, ResolvedEvalDataset } from '../recipe/types.js';
import { MANIFEST_NAME, readManifest } from './jsonl-manifest.js';
import { constantSource, fileSource, randomSource, stackedSource, type InputSource } from './input-sources.js';

/** One sample's feeds: input name → tensor. */
export type SampleFeeds = Record<string, Tensor>;

export interface OpenedDataset {
  /** 'files' (a data.jsonl manifest), 'stacked' (one <input>.npy per input), or 'random' (seeded, no files) */
  layout: 'files' | 'stacked' | 'random';
  /** samples the dataset will yield: min(what the files hold, the recipe's `samples` when it gives one) */
  samples: number;
  /** samples the files hold (Infinity for random data) */
  available: number;
  /** which kind of source feeds each input */
  sources: Record<string, InputSource['kind']>;
  /** samples [start, start + count), one feeds object per sample */
  read(start: number, count: number): Promise<SampleFeeds[]>;
  /** every sample in order, `batch` at a time (each read only when the consumer asks for it) */
  batches(batch: number, signal?: AbortSignal): AsyncGenerator<SampleFeeds[]>;
}

/** The file a stacked dataset keeps input `name` in: its name with path separators and colons made safe. */
export function stackedFileName(name: string): string {
  return `${name.replace(/[/\\:]/g, '_')}.npy`;
}

function missingInput(folder: string, spec: InputSpec, role: string): EdgeoptError {
  return new EdgeoptError({
    code: 'E_DATA_MISSING_INPUT', kind: 'recipe',
    message: `the ${role} data folder ${folder} has no data for model input "${spec.name}" (looked for ${MANIFEST_NAME} and ${stackedFileName(spec.name)})`,
    hint: `save the input as ${stackedFileName(spec.name)} with shape [N, ${spec.shape.join(', ')}] (axis 0 = sample), list it in ${MANIFEST_NAME}, or pin it to a constant in model.inputs`,
  });
}

async function manifestSources(file: string, specs: InputSpec[], role: string): Promise<InputSource[]> {
  const lines = await readManifest(file);
  return specs.map((spec) => {
    if (spec.value !== undefined) return constantSource(spec);
    const files = lines.map((l) => {
      const f = l.inputs[spec.name];
      if (!f) {
        throw new EdgeoptError({
          code: 'E_DATA_MANIFEST', kind: 'recipe',
          message: `${file}:${l.line}: this ${role} sample has no file for model input "${spec.name}" (its inputs: ${Object.keys(l.inputs).join(', ')})`,
          hint: `add "${spec.name}": "<file>.npy" to "inputs" on every line, or pin the input to a constant in model.inputs`,
        });
      }
      return f;
    });
    return fileSource(spec, files);
  });
}

async function stackedSources(folder: string, specs: InputSpec[], role: string): Promise<{ sources: InputSource[]; rows: number }> {
  const sources: InputSource[] = [];
  let rows = Number.POSITIVE_INFINITY;
  let first: { file: string; rows: number } | undefined;
  for (const spec of specs) {
    if (spec.value !== undefined) {
      sources.push(constantSource(spec));
      continue;
    }
    const file = path.join(folder, stackedFileName(spec.name));
    if (!existsSync(file)) throw missingInput(folder, spec, role);
    const source = await stackedSource(spec, file);
    if (first && source.rows !== first.rows) {
      throw new EdgeoptError({
        code: 'E_DATA_SAMPLES', kind: 'recipe',
        message: `${role} data: ${file} holds ${source.rows} samples but ${first.file} holds ${first.rows}; every input needs one row per sample`,
        hint: 'save the same number of samples (axis 0) for every model input',
      });
    }
    first ??= { file, rows: source.rows };
    rows = Math.min(rows, source.rows);
    sources.push(source);
  }
  return { sources, rows };
}

/**
 * Opens `dataset` for the model inputs `specs` (from resolveInputSpecs). Pinned constants feed their input on every
 * sample; `random` datasets give seeded data; a `source` folder holds data.jsonl or one stacked .npy per input.
 */
export async function openDataset(dataset: ResolvedDataset | ResolvedEvalDataset, specs: InputSpec[], role: 'calibration' | 'eval'): Promise<OpenedDataset> {
  let sources: InputSource[];
  let available: number;
  let layout: OpenedDataset['layout'];
  if (dataset.source === undefined) {
    sources = specs.map((s) => (s.value !== undefined ? constantSource(s) : randomSource(s, dataset.seed ?? 0)));
    available = Number.POSITIVE_INFINITY;
    layout = 'random';
  } else {
    const manifest = path.join(dataset.source, MANIFEST_NAME);
    if (existsSync(manifest)) {
      sources = await manifestSources(manifest, specs, role);
      available = (await readManifest(manifest)).length;
      layout = 'files';
    } else {
      const stacked = await stackedSources(dataset.source, specs, role);
      sources = stacked.sources;
      available = stacked.rows;
      layout = 'stacked';
    }
  }
  const samples = Math.min(dataset.samples ?? available, available);
  if (!Number.isFinite(samples)) throw new RangeError('random data needs a sample count');
  if (samples < 1) {
    throw new EdgeoptError({ code: 'E_DATA_SAMPLES', kind: 'recipe', message: `the ${role} data in ${dataset.source ?? '(random)'} holds no samples`, hint: 'add samples along axis 0' });
  }
  const read = async (start: number, count: number): Promise<SampleFeeds[]> => {
    const n = Math.max(0, Math.min(count, samples - start));
    const columns = await Promise.all(sources.map((s) => s.read(start, n)));
    return Array.from({ length: n }, (_, i) => Object.fromEntries(sources.map((s, k) => [s.spec.name, columns[k]![i]!])));
  };
  return {
    layout, samples, available, read,
    sources: Object.fromEntries(sources.map((s) => [s.spec.name, s.kind])),
    async *batches(batch, signal) {
      for (let start = 0; start < samples; start += batch) {
        signal?.throwIfAborted();
        yield await read(start, batch);
      }
    },
  };
}
