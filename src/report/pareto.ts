// The Pareto front of candidate models: those no other candidate beats on both axes at once.

export type Better = 'lower' | 'higher';

export interface Candidate { x: number; y: number }

/** Indices of the non-dominated candidates, sorted by x. */
export function paretoFront(points: readonly Candidate[], better: { x: Better; y: Better }): number[] {
  const sx = better.x === 'lower' ? 1 : -1;
  const sy = better.y === 'lower' ? 1 : -1;
  const dominated = (a: Candidate, b: Candidate): boolean => {
    // b dominates a: no worse on both axes, strictly better on one
    const dx = sx * (b.x - a.x);
    const dy = sy * (b.y - a.y);
    return dx <= 0 && dy <= 0 && (dx < 0 || dy < 0);
  };
  const front: number[] = [];
  points.forEach((p, i) => {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) return;
    if (!points.some((q, j) => j !== i && Number.isFinite(q.x) && Number.isFinite(q.y) && dominated(p, q))) front.push(i);
  });
  return front.sort((a, b) => points[a]!.x - points[b]!.x);
}
