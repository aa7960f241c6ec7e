// Proof that a quantized model is usable: ONNX Runtime loads it, and its outputs are measured against the input model's.
import {
  EdgeoptError, buildFeeds, nonTensorNote, openSession, ortErrorText, tensorOutputs, type Feeds, type InputPin,
} from '../../src/api.js';
import { measureFidelity, type OutputFidelity } from './fidelity.js';

/** Seeded input sets the comparison runs on (sample 0 equals the benchmark's feeds). */
export const FIDELITY_SEEDS = [0, 1, 2, 3];

export interface Verification {
  /** per output of the reference model; absent when inputs could not be made (a dynamic dim without a pin) */
  fidelity?: Record<string, OutputFidelity>;
  /** why the outputs were not compared */
  notCompared?: string;
}

/**
 * Loads `reference` (E_MODEL_LOAD when ORT cannot run the input model itself) and `candidate` (E_QUANTIZE_INVALID when
 * ORT rejects it: that is a bug of ours, never an artifact), then runs both on seeded inputs (`reference`
 * unoptimized, so ORT's rewrites cannot hide a difference).
 */
export async function verifyQuantized(
  reference: string, candidate: string, pins: Record<string, InputPin>, ep: string[], signal?: AbortSignal,
): Promise<Verification> {
  // the input model first: when ORT cannot run it either, the fault is not the quantizer's and must not read as such
  const float = await openSession(reference, { ep, threads: 1, sessionOptions: { graphOptimizationLevel: 'disabled' } });
  let quantized;
  try {
    quantized = await openSession(candidate, { ep, threads: 1 });
  } catch (err) {
    await float.session.release();
    throw new EdgeoptError({
      code: 'E_QUANTIZE_INVALID', kind: 'step',
      message: `ONNX Runtime rejects the quantized model, so it was not kept: ${(err as Error).message}`,
      hint: 'exclude the node ORT names (with.exclude.nodes) and report the model to the edgeopt maintainers',
      cause: err,
    });
  }
  try {
    let feedSets: Feeds[];
    try {
      feedSets = FIDELITY_SEEDS.map((seed) => buildFeeds(float.session, pins, seed));
    } catch (err) {
      if (err instanceof EdgeoptError && err.kind === 'recipe') return { notCompared: `outputs not compared with the float model: ${err.message}` };
      throw err;
    }
    try {
      const fidelity = await measureFidelity(float.session, quantized.session, feedSets, signal);
      const note = nonTensorNote(tensorOutputs(float.session));
      return { fidelity, ...(note ? { notCompared: note } : {}) };
    } catch (err) {
      if (err instanceof EdgeoptError || signal?.aborted) throw err;
      throw new EdgeoptError({
        code: 'E_QUANTIZE_INVALID', kind: 'step',
        message: `ONNX Runtime loads the quantized model but fails running it, so it was not kept: ${ortErrorText(err)}`,
        hint: 'exclude the node ORT names (with.exclude.nodes) and report the model to the edgeopt maintainers',
        cause: err,
      });
    }
  } finally {
    await float.session.release();
    await quantized.session.release();
  }
}
