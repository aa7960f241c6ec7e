// How far the quantized model's outputs are from the float model's, per output, over several seeded inputs.
import { decodeFloat16, PairStats, SNR_CAP_DB, type Feeds, type OpenedSession } from '../../src/api.js';

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

/** One run's output pair: cosine and SNR are the run's own (the worst run counts); a NaN or a shape change is total. */
function compare(a: ArrayLike<number>, b: ArrayLike<number>, acc: Running): void {
  const stats = new PairStats();
  if (a.length === b.length) stats.add(a, b);
  if (a.length !== b.length || stats.nonFinite > 0) {
    acc.maxAbs = Number.POSITIVE_INFINITY;
    acc.minCosine = -1;
    acc.minSnr = Number.NEGATIVE_INFINITY;
    return;
  }
  const s = stats.summary();
  acc.maxAbs = Math.max(acc.maxAbs, s.max_abs);
  acc.sumAbs += stats.meanAbs() * s.elements;
  acc.count += s.elements;
  acc.minCosine = Math.min(acc.minCosine, s.cosine);
  // identical outputs: SNR_CAP_DB, reported as null below
  acc.minSnr = Math.min(acc.minSnr, s.snr_db >= SNR_CAP_DB ? Number.POSITIVE_INFINITY : s.snr_db);
}

/** An output's values as numbers: float16 outputs arrive as their bit patterns (Uint16Array), int64 as bigints. */
function values(tensor: { type: string; data: unknown }): ArrayLike<number> {
  if (tensor.type === 'float16') return decodeFloat16(tensor.data as Uint16Array);
  const data = tensor.data as ArrayLike<number | bigint>;
  return data instanceof BigInt64Array || data instanceof BigUint64Array ? Float64Array.from(data, Number) : (data as ArrayLike<number>);
}

type Outputs = Awaited<ReturnType<Session['run']>>;

/** Summarizes, per output of the reference, how far the candidate's runs are from the reference's (run i vs run i). */
export function compareRuns(names: readonly string[], expected: readonly Outputs[], actual: readonly Outputs[]): Record<string, OutputFidelity> {
  const acc = new Map<string, Running>(names.map((name) => [name, {
    maxAbs: 0, sumAbs: 0, count: 0, minCosine: 1, minSnr: Number.POSITIVE_INFINITY,
  }]));
  expected.forEach((run, i) => {
    for (const [name, running] of acc) {
      const e = run[name];
      const a = actual[i]?.[name];
      if (!e || !a || e.dims.join() !== a.dims.join()) compare([0], [], running);
      else compare(values(e), values(a), running);
    }
  });
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

/** Runs `session` on every feed set, in order, fetching only `names` (tensor outputs: see tensorOutputs). */
export async function runAll(session: Session, feedSets: readonly Feeds[], names: readonly string[], signal?: AbortSignal): Promise<Outputs[]> {
  const runs: Outputs[] = [];
  if (names.length === 0) return runs;
  for (const feeds of feedSets) {
    signal?.throwIfAborted();
    runs.push(await session.run(feeds, [...names]));
  }
  return runs;
}
