// Proof that a quantized model is usable: ONNX Runtime loads it, and its outputs are measured against the input model's.
import { EdgeoptError, buildFeeds, openSession, type Feeds, type InputPin, type OpenedSession } from '../../src/api.js';
import { compareRuns, runAll, type OutputFidelity } from './fidelity.js';

/** Seeded input sets the comparison runs on (sample 0 equals the benchmark's feeds). */
export const FIDELITY_SEEDS = [0, 1, 2, 3];

export interface Verification {
  /** per output of the reference model; absent when inputs could not be made (a dynamic dim without a pin) */
  fidelity?: Record<string, OutputFidelity>;
  /** why the outputs were not compared */
  notCompared?: string;
}

function rejected(err: unknown): EdgeoptError {
  return new EdgeoptError({
    code: 'E_QUANTIZE_INVALID', kind: 'step',
    message: `ONNX Runtime rejects the quantized model, so it was not kept: ${(err as Error).message}`,
    hint: 'exclude the node ORT names (with.exclude.nodes) and report the model to the edgeopt maintainers',
    cause: err,
  });
}

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
 * Loads `candidate` in ORT (E_QUANTIZE_INVALID when ORT rejects it: that is a bug of ours, never an artifact), runs
 * it on seeded inputs and releases it, then runs `reference` (unoptimized, so ORT's rewrites cannot hide a
 * difference) on the same values in its own input types. One session at a time: the step's peak memory is the
 * larger model in ORT, not both.
 */
export async function verifyQuantized(
  reference: string, candidate: string, pins: Record<string, InputPin>, ep: string[], signal?: AbortSignal,
): Promise<Verification> {
  let quantized: OpenedSession;
  try {
    quantized = await openSession(candidate, { ep, threads: 1 });
  } catch (err) {
    throw rejected(err);
  }
  let actual;
  try {
    const feeds = seededFeeds(quantized.session, pins);
    if (typeof feeds === 'string') return { notCompared: feeds };
    actual = await runAll(quantized.session, feeds, signal);
  } finally {
    await quantized.session.release();
  }
  const float = await openSession(reference, { ep, threads: 1, sessionOptions: { graphOptimizationLevel: 'disabled' } });
  try {
    const feeds = seededFeeds(float.session, pins);
    if (typeof feeds === 'string') return { notCompared: feeds };
    return { fidelity: compareRuns(float.session.outputNames, await runAll(float.session, feeds, signal), actual) };
  } finally {
    await float.session.release();
  }
}
