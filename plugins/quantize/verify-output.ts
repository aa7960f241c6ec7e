// Proof that a quantized model is usable: ONNX Runtime loads it, and its outputs are measured against the input model's.
import {
  EdgeoptError, buildFeeds, generatedFeedsError, nonTensorNote, openSession, ortErrorText, tensorOutputs,
  type Feeds, type InputPin, type OpenedSession,
} from '../../src/api.js';
import { compareRuns, runAll, type OutputFidelity } from './fidelity.js';

/** Seeded input sets the comparison runs on (sample 0 equals the benchmark's feeds). */
export const FIDELITY_SEEDS = [0, 1, 2, 3];

export interface Verification {
  /** per output of the reference model; absent when inputs could not be made (a dynamic dim without a pin) */
  fidelity?: Record<string, OutputFidelity>;
  /** why the outputs were not compared */
  notCompared?: string;
}

const HINT = 'exclude the node ORT names (with.exclude.nodes) and report the model to the edgeopt maintainers';

/** Feeds for every seed from `session`'s own inputs, or why they cannot be made (an unpinned dynamic dim). */
function seededFeeds(session: OpenedSession['session'], pins: Record<string, InputPin>): Feeds[] | string {
  try {
    return FIDELITY_SEEDS.map((seed) => buildFeeds(session, pins, seed));
  } catch (err) {
    if (err instanceof EdgeoptError && err.kind === 'recipe') return `outputs not compared with the float model: ${err.message}`;
    throw err;
  }
}

/**
 * Runs `reference` (the input model, unoptimized so ORT's rewrites cannot hide a difference) on seeded inputs and
 * releases it, then loads `candidate` and runs it on the same values in its own input types. The input model goes
 * first: when ORT cannot load or run it either (E_MODEL_LOAD, E_RUN_GENERATED_INPUTS), the fault is not the
 * quantizer's and must not read as such; a candidate ORT rejects is E_QUANTIZE_INVALID (a bug of ours, never an
 * artifact). One session at a time: the step's peak memory is the larger model in ORT, not both.
 */
export async function verifyQuantized(
  reference: string, candidate: string, pins: Record<string, InputPin>, ep: string[], signal?: AbortSignal,
): Promise<Verification> {
  const float = await openSession(reference, { ep, threads: 1, sessionOptions: { graphOptimizationLevel: 'disabled' } });
  // tensor outputs only: onnxruntime-node cannot return the others (see tensorOutputs)
  const outputs = tensorOutputs(float.session);
  let expected;
  try {
    const feeds = seededFeeds(float.session, pins);
    if (typeof feeds === 'string') return { notCompared: feeds };
    expected = await runAll(float.session, feeds, outputs.tensors, signal)
      .catch((err: unknown) => { throw signal?.aborted ? err : generatedFeedsError(err, float.session, 'the float model'); });
  } finally {
    await float.session.release();
  }
  let quantized: OpenedSession;
  try {
    quantized = await openSession(candidate, { ep, threads: 1 });
  } catch (err) {
    throw new EdgeoptError({ code: 'E_QUANTIZE_INVALID', kind: 'step', message: `ONNX Runtime rejects the quantized model, so it was not kept: ${(err as Error).message}`, hint: HINT, cause: err });
  }
  try {
    const feeds = seededFeeds(quantized.session, pins);
    if (typeof feeds === 'string') return { notCompared: feeds };
    const actual = await runAll(quantized.session, feeds, outputs.tensors, signal).catch((err: unknown) => {
      if (err instanceof EdgeoptError || signal?.aborted) throw err;
      throw new EdgeoptError({
        code: 'E_QUANTIZE_INVALID', kind: 'step', hint: HINT, cause: err,
        message: `ONNX Runtime loads the quantized model but fails running it, so it was not kept: ${ortErrorText(err)}`,
      });
    });
    const note = nonTensorNote(outputs);
    return { fidelity: compareRuns(outputs.tensors, expected, actual), ...(note ? { notCompared: note } : {}) };
  } finally {
    await quantized.session.release();
  }
}
