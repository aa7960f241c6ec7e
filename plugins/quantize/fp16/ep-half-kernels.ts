// Whether the target EP computes in float16: ORT's CPU EP has float16 kernels only for data movement and a few ops.

/**
 * Op types ONNX Runtime 1.30's CPU EP (Linux x64) ran on float16 kernels when every case of ONNX's backend corpus
 * was converted to float16 (the optimized graph kept float16 inputs on these ops; every other op got Casts back
 * to float32 inserted by ORT around it). Conv, MatMul, Gemm, Add, Mul, Relu, Softmax... are not among them.
 */
const CPU_HALF_KERNELS = new Set([
  'Clip', 'Compress', 'Concat', 'Dropout', 'Expand', 'Flatten', 'Gather', 'GatherElements', 'GatherND', 'Identity',
  'If', 'LayerNormalization', 'Loop', 'Max', 'Min', 'Mod', 'Reshape', 'ReverseSequence', 'Round', 'Scan', 'Scatter',
  'ScatterElements', 'ScatterND', 'Shape', 'Shrink', 'Sign', 'Slice', 'Split', 'Squeeze', 'Transpose', 'Unsqueeze',
]);

export interface HalfKernelCoverage {
  /** converted nodes whose op has a float16 kernel on the EP */
  native: number;
  /** converted nodes the EP runs on float32 kernels behind Casts it inserts itself, per op type */
  castBack: Record<string, number>;
}

export function cpuHalfCoverage(converted: Record<string, number>): HalfKernelCoverage {
  const coverage: HalfKernelCoverage = { native: 0, castBack: {} };
  for (const [op, count] of Object.entries(converted)) {
    if (CPU_HALF_KERNELS.has(op)) coverage.native += count;
    else coverage.castBack[op] = count;
  }
  return coverage;
}

/** The warning for a CPU target (the first preferred EP); undefined for EPs with float16 compute (GPU, NPU). */
export function epHalfWarning(ep: readonly string[], converted: Record<string, number>): string | undefined {
  if ((ep[0] ?? 'cpu') !== 'cpu') return undefined;
  const coverage = cpuHalfCoverage(converted);
  const back = Object.entries(coverage.castBack).sort((a, b) => b[1] - a[1]);
  const total = back.reduce((n, [, c]) => n + c, 0);
  if (total === 0) return undefined;
  const named = back.slice(0, 4).map(([op, c]) => `${op} ×${c}`).join(', ');
  return `the target EP is cpu, which has no float16 kernels for compute ops: ONNX Runtime runs ${total} of the ` +
    `${total + coverage.native} converted node(s) (${named}${back.length > 4 ? ', …' : ''}) on float32 kernels behind Casts it ` +
    'inserts itself, so this model is half the size but not faster (often slower) on CPU; float16 pays off on GPU/NPU EPs';
}
