// How far a segmentation mask is from the reference mask: mean/max absolute error and IoU of the masks at 0.5.

export interface MaskComparison {
  mean_abs_error: number;
  max_abs_error: number;
  /** intersection over union of (reference > 0.5) and (candidate > 0.5); 1 when both are empty */
  iou: number;
}

export function compareMasks(reference: Float32Array, candidate: Float32Array): MaskComparison {
  if (reference.length !== candidate.length) throw new Error(`mask sizes differ: ${reference.length} vs ${candidate.length}`);
  let sum = 0;
  let max = 0;
  let inter = 0;
  let union = 0;
  for (let i = 0; i < reference.length; i++) {
    const a = reference[i]!;
    const b = candidate[i]!;
    const d = Math.abs(a - b);
    sum += d;
    if (d > max) max = d;
    const x = a > 0.5;
    const y = b > 0.5;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return { mean_abs_error: sum / reference.length, max_abs_error: max, iou: union === 0 ? 1 : inter / union };
}
