// Streams the eval data through the model (and the reference) a batch at a time, scoring each sample as it arrives.
import type { InputSpec, LabelSource, OpenedDataset, SampleFeeds, TensorDType } from '../../src/api.js';
import type { EvalSessions } from './eval-sessions.js';
import type { FidelityTracker } from './fidelity.js';
import { outputValues, type OutputValues, type TensorLike } from './output-values.js';
import type { Scorer } from './scorer.js';

export interface EvalLoop {
  sessions: EvalSessions;
  dataset: OpenedDataset;
  /** labels and the scorer of the output they belong to */
  labels?: { source: LabelSource; scorer: Scorer; output: string };
  fidelity?: FidelityTracker;
  /** samples read at a time: only one batch of inputs and labels, and one sample's outputs, are held */
  batch: number;
  signal: AbortSignal;
  progress(fraction: number, message?: string): void;
}

type Session = EvalSessions['model']['session'];

const BYTES: Record<TensorDType, number> = {
  float16: 2, float32: 4, float64: 8, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, bool: 1,
};
/** a batch of inputs held at once stays near this size (32 small samples; 5 of ISNet's 12.6 MB images) */
const BATCH_BYTES = 64 * 2 ** 20;
const MAX_BATCH = 32;

/** Samples read at a time when the params do not say: up to 32, fewer when samples are large. */
export function defaultBatch(specs: readonly InputSpec[]): number {
  // pinned constants are one shared tensor, whatever the batch
  const bytes = specs.filter((s) => s.value === undefined).reduce((a, s) => a + s.shape.reduce((n, d) => n * d, 1) * BYTES[s.dtype], 0);
  return Math.max(1, Math.min(MAX_BATCH, Math.floor(BATCH_BYTES / Math.max(1, bytes))));
}

/**
 * Runs one sample, fetching only the outputs the metrics read (all numeric tensors): fetching every output threw on a
 * sequence or map ("Non tensor type…") and crashed the process on an optional one.
 */
async function run(session: Session, feeds: SampleFeeds, wanted: readonly string[]): Promise<Record<string, OutputValues>> {
  if (wanted.length === 0) return {}; // nothing to score (and ORT refuses an empty fetch list)
  const outputs = await session.run(feeds, [...wanted]);
  const out: Record<string, OutputValues> = {};
  for (const name of wanted) out[name] = outputValues(outputs[name] as unknown as TensorLike)!;
  return out;
}

export async function runEvaluation(loop: EvalLoop): Promise<void> {
  const { sessions, dataset, labels, fidelity } = loop;
  const compared = fidelity ? sessions.compared : [];
  const wanted = [...new Set([...(labels ? [labels.output] : []), ...compared])];
  const per = labels ? labels.source.sampleShape.reduce((a, b) => a * b, 1) : 0;
  let done = 0;
  for await (const batch of dataset.batches(loop.batch, loop.signal)) {
    const labelValues = labels ? await labels.source.read(done, batch.length) : undefined;
    for (const [i, feeds] of batch.entries()) {
      loop.signal.throwIfAborted();
      const sample = done + i;
      const out = await run(sessions.model.session, feeds, wanted);
      if (labels) {
        const o = out[labels.output]!;
        labels.scorer.add(o.values, o.dims, labelValues!.subarray(i * per, (i + 1) * per), sample);
      }
      if (fidelity) {
        // the same bytes give the same outputs: the model itself stands in for an identical reference
        const ref = sessions.reference ? await run(sessions.reference.session, feeds, compared) : out;
        fidelity.add(ref, out, sample);
      }
    }
    done += batch.length;
    loop.progress(done / dataset.samples, `${done}/${dataset.samples} samples`);
  }
}
