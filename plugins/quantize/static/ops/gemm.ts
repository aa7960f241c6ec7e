// Gemm → com.microsoft QGemm: A quantized, B int8 per output column (axis by transB), C int32; alpha and beta folded.
import { attrFloat, attrInt, makeAttribute, type NodeProto } from '../../../../src/api.js';
import { constantWeight, floatProblem, skip, type StaticHandlerContext, type StaticOpHandler, type StaticPlan } from './op-handler.js';

function plan(node: NodeProto, ctx: StaticHandlerContext): StaticPlan | { skip: string } {
  if ((attrInt(node, 'transA') ?? 0) !== 0) return skip('it has transA=1 (QGemm reads A as it is)');
  const problem = floatProblem(node, 0, ctx);
  if (problem) return skip(problem);
  const weight = constantWeight(node, 1, ctx);
  if ('skip' in weight) return weight;
  if (weight.dims.length !== 2) return skip(`its weight '${weight.name ?? ''}' has rank ${weight.dims.length} (Gemm needs 2-D)`);
  const transB = (attrInt(node, 'transB') ?? 0) !== 0;
  const [rows, cols] = weight.dims as [number, number];
  const n = transB ? rows : cols;
  const alpha = attrFloat(node, 'alpha') ?? 1;
  const beta = attrFloat(node, 'beta') ?? 1;
  const result: StaticPlan = {
    activations: [0],
    // per output column n: B [N, K] row-wise (transB) or B [K, N] column-wise
    weight: { input: 1, layout: transB ? { outer: 1, channels: n, inner: cols } : { outer: rows, channels: n, inner: 1 }, axis: transB ? 0 : 1, factor: alpha },
    // alpha is in the weight and beta in C now; a C that beta zeroes is dropped
    rewrite: (n0) => ({
      ...n0,
      input: beta === 0 ? n0.input.slice(0, 2) : n0.input,
      attribute: [...n0.attribute.filter((a) => a.name !== 'alpha' && a.name !== 'beta'), makeAttribute('alpha', 1), makeAttribute('beta', 1)],
    }),
  };
  const c = node.input[2] ?? '';
  if (c && beta !== 0) {
    const bias = ctx.constant(c);
    if (!bias || bias.dims.length !== 1 || bias.dims[0] !== n) return skip(`its C input '${c}' is not a constant vector of ${n} values (QGemm adds an int32 bias per column)`);
    result.bias = { input: 2, factor: beta };
  }
  return result;
}

export const gemmHandler: StaticOpHandler = { opTypes: ['Gemm'], kind: 'compute', quantizeGraphOutput: true, plan };
