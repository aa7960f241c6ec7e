// How far the quantized model's outputs are from the float model's, per output, over several seeded inputs.
import { decodeFloat16, type Feeds, type OpenedSession } from '../../src/api.js';

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

/** An output's values as numbers: float16 outputs arrive as their bit patterns (Uint16Array). */
function values(tensor: { type: string; data: unknown }): ArrayLike<unknown> {
  return tensor.type === 'float16' ? decodeFloat16(tensor.data as Uint16Array) : (tensor.data as ArrayLike<unknown>);
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
