// Where the true class ranks among a sample's class scores: the heart of top-1 / top-5 accuracy.

/**
 * 0-based rank of class `label` in `scores` sorted descending, ties going to the lower class index (as argmax picks
 * the first maximum), so a result never depends on a sort's stability. A NaN score for the label ranks last; NaN
 * scores of other classes never outrank it.
 */
export function classRank(scores: ArrayLike<number>, label: number): number {
  const own = scores[label]!;
  if (Number.isNaN(own)) return scores.length;
  let rank = 0;
  for (let j = 0; j < scores.length; j++) {
    const s = scores[j]!;
    if (s > own || (s === own && j < label)) rank++;
  }
  return rank;
}

/** The class a binary classifier's single score predicts: 1 when score >= threshold (a NaN score predicts nothing). */
export function binaryClass(score: number, threshold: number): number | undefined {
  if (Number.isNaN(score)) return undefined;
  return score >= threshold ? 1 : 0;
}
