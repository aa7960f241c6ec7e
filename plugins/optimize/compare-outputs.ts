// Runs two sessions on the same feeds and reports, per output, the largest absolute difference.
import { generatedFeedsError, tensorOutputs, type Feeds, type OpenedSession } from '../../src/api.js';

type Session = OpenedSession['session'];

function maxAbs(a: ArrayLike<unknown>, b: ArrayLike<unknown>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = Number(a[i]);
    const y = Number(b[i]);
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    const d = Math.abs(x - y);
    if (!(d <= worst)) worst = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
  }
  return worst;
}

/** output name → max |reference − candidate| over all elements (Infinity on a shape or NaN mismatch); `model` names the input in errors. */
export async function maxAbsDiffs(reference: Session, candidate: Session, feeds: Feeds, model = 'the model'): Promise<Record<string, number>> {
  // tensor outputs only: onnxruntime-node cannot return the others (see tensorOutputs)
  const names = tensorOutputs(reference).tensors;
  const diffs: Record<string, number> = {};
  if (names.length === 0) return diffs;
  // the input model failing on generated data is about the data, not about the optimization
  const expected = await reference.run(feeds, names).catch((err: unknown) => { throw generatedFeedsError(err, reference, model); });
  const actual = await candidate.run(feeds, names);
  for (const name of names) {
    const e = expected[name];
    const a = actual[name];
    diffs[name] = e && a && e.dims.join() === a.dims.join()
      ? maxAbs(e.data as ArrayLike<unknown>, a.data as ArrayLike<unknown>)
      : Number.POSITIVE_INFINITY;
  }
  return diffs;
}
