// How far the quantized model's outputs are from the float model's, per output, over several seeded inputs.
import { generatedFeedsError, tensorOutputs, type Feeds, type OpenedSession } from '../../src/api.js';

type Session = OpenedSession['session'];

export interface OutputFidelity {
  /** largest |float − quantized| over every element of every input */
  max_abs_error: number;
  mean_abs_error: number;
  /** cosine similarity of the flattened outputs, the worst input's */
  cosine_similarity: number;
  /** 10·log10(Σ float² / Σ (float − quantized)²), the worst input's; null when the outputs are identical */
  snr_db: number | null;
}

interface Running {
  maxAbs: number;
  sumAbs: number;
  count: number;
  minCosine: number;
  minSnr: number;
}

function compare(a: ArrayLike<unknown>, b: ArrayLike<unknown>, acc: Running): void {
  if (a.length !== b.length) {
    acc.maxAbs = Number.POSITIVE_INFINITY;
    acc.minCosine = -1;
    acc.minSnr = Number.NEGATIVE_INFINITY;
    return;
  }
  let dot = 0;
  let aa = 0;
  let bb = 0;
  let err = 0;
  for (let i = 0; i < a.length; i++) {
    const x = Number(a[i]);
    const y = Number(b[i]);
    const d = Math.abs(x - y);
    // NaN in either output is a total mismatch
    if (!(d <= acc.maxAbs)) acc.maxAbs = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
    acc.sumAbs += d;
    dot += x * y;
    aa += x * x;
    bb += y * y;
    err += d * d;
  }
  acc.count += a.length;
  const cosine = aa === 0 && bb === 0 ? 1 : aa === 0 || bb === 0 ? 0 : dot / Math.sqrt(aa * bb);
  acc.minCosine = Math.min(acc.minCosine, Number.isNaN(cosine) ? -1 : cosine);
  const snr = err === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10(aa / err);
  acc.minSnr = Math.min(acc.minSnr, Number.isNaN(snr) ? Number.NEGATIVE_INFINITY : snr);
}

/** Runs both sessions on every feed set and summarizes the differences per output of the reference. */
export async function measureFidelity(reference: Session, candidate: Session, feedSets: Feeds[], signal?: AbortSignal): Promise<Record<string, OutputFidelity>> {
  // tensor outputs only: onnxruntime-node cannot return the others (see tensorOutputs)
  const names = tensorOutputs(reference).tensors;
  const acc = new Map<string, Running>(names.map((name) => [name, {
    maxAbs: 0, sumAbs: 0, count: 0, minCosine: 1, minSnr: Number.POSITIVE_INFINITY,
  }]));
  for (const feeds of feedSets) {
    if (names.length === 0) break;
    signal?.throwIfAborted();
    // the float model failing on generated data is about the data, not about the quantization
    const expected = await reference.run(feeds, names).catch((err: unknown) => { throw generatedFeedsError(err, reference, 'the float model'); });
    const actual = await candidate.run(feeds, names);
    for (const [name, running] of acc) {
      const e = expected[name];
      const a = actual[name];
      if (!e || !a || e.dims.join() !== a.dims.join()) compare([0], [], running);
      else compare(e.data as ArrayLike<unknown>, a.data as ArrayLike<unknown>, running);
    }
  }
  const result: Record<string, OutputFidelity> = {};
  for (const [name, r] of acc) {
    result[name] = {
      max_abs_error: r.maxAbs,
      mean_abs_error: r.count ? r.sumAbs / r.count : 0,
      cosine_similarity: r.minCosine,
      snr_db: Number.isFinite(r.minSnr) ? r.minSnr : r.minSnr > 0 ? null : -999,
    };
  }
  return result;
}
