// Replaces planned MatMuls by com.microsoft MatMulNBits (bits 4): packed weight, scales and zero points as initializers
// of the graph that owned the float weight, one copy per weight however many MatMuls read it.
import { encodeTensor, makeAttribute, normalizeDomain, pruneModel, type ModelProto, type NodeProto } from '../../../src/api.js';
import type { NodeDecision } from '../decisions.js';
import { WeightQuantError } from '../weight-quant.js';
import type { PackedWeight } from './blockwise.js';
import { weightKey, type MatMulCandidate, type MatMulSurvey } from './matmul-survey.js';

export const MS_DOMAIN = 'com.microsoft';

export interface NBitsStats {
  /** distinct weights quantized */
  tensors: number;
  /** MatMuls that reuse a weight quantized for another one */
  reused: number;
  floatBytes: number;
  packedBytes: number;
}

export interface RewriteResult {
  model: ModelProto;
  quantized: number;
  late: NodeDecision[];
  stats: NBitsStats;
  pruned: { nodes: number; initializers: number };
}

interface WeightNames {
  data: string;
  scales: string;
  zeroPoints?: string;
  packed: PackedWeight;
}

function storePacked(candidate: MatMulCandidate, packed: PackedWeight): WeightNames {
  const owner = candidate.weight.owner;
  const base = candidate.weight.tensor.name || 'weight';
  const blob = packed.blockSize / 2;
  const names: WeightNames = {
    data: owner.addInitializer(encodeTensor(packed.data, [packed.n, packed.blocks, blob]), `${base}_Q4`),
    scales: owner.addInitializer(encodeTensor(packed.scales, [packed.n * packed.blocks]), `${base}_scales`),
    packed,
  };
  if (packed.zeroPoints) names.zeroPoints = owner.addInitializer(encodeTensor(packed.zeroPoints, [packed.zeroPoints.length]), `${base}_zero_points`);
  return names;
}

function nbitsNode(candidate: MatMulCandidate, names: WeightNames, accuracyLevel: number): NodeProto {
  const { node, scope } = candidate;
  const packed = names.packed;
  const attributes = [
    makeAttribute('K', { int: packed.k }), makeAttribute('N', { int: packed.n }), makeAttribute('bits', { int: 4 }),
    makeAttribute('block_size', { int: packed.blockSize }),
    ...(accuracyLevel > 0 ? [makeAttribute('accuracy_level', { int: accuracyLevel })] : []),
  ];
  return {
    name: scope.names(`${node.name || node.output[0] || 'MatMul'}_Q4`), op_type: 'MatMulNBits', domain: MS_DOMAIN,
    input: [candidate.activation, names.data, names.scales, ...(names.zeroPoints ? [names.zeroPoints] : [])],
    output: [node.output[0] ?? ''], attribute: attributes,
  };
}

function withMsDomain(model: ModelProto): ModelProto {
  if (model.opset_import.some((o) => normalizeDomain(o.domain) === MS_DOMAIN)) return model;
  return { ...model, opset_import: [...model.opset_import, { domain: MS_DOMAIN, version: 1 }] };
}

export interface RewriteOptions {
  accuracyLevel: number;
  signal?: AbortSignal;
  progress?(fraction: number, message: string): void;
}

/**
 * Rewrites every candidate of `survey` (in place, graph by graph) using `packedFor` for the weights; a weight the
 * quantizer refuses (NaN, infinities) leaves its MatMuls in float32. Returns the pruned model.
 */
export function rewriteMatMuls(model: ModelProto, survey: MatMulSurvey, packedFor: (c: MatMulCandidate) => PackedWeight, options: RewriteOptions): RewriteResult {
  const byNode = new Map(survey.candidates.map((c) => [c.node, c]));
  const cache = new Map<string, WeightNames | WeightQuantError>();
  const stats: NBitsStats = { tensors: 0, reused: 0, floatBytes: 0, packedBytes: 0 };
  const late: NodeDecision[] = [];
  let quantized = 0;
  let done = 0;
  for (const scope of survey.scopes) {
    const nodes: NodeProto[] = [];
    for (const node of scope.graph.node) {
      const candidate = byNode.get(node);
      if (!candidate) {
        nodes.push(node);
        continue;
      }
      options.signal?.throwIfAborted();
      options.progress?.(done++ / survey.candidates.length, `MatMul ${candidate.label}`);
      const key = weightKey(candidate);
      let names = cache.get(key);
      if (names && !(names instanceof WeightQuantError)) stats.reused++;
      if (!names) {
        try {
          const packed = packedFor(candidate);
          names = storePacked(candidate, packed);
          stats.tensors++;
          stats.floatBytes += candidate.k * candidate.n * 4;
          stats.packedBytes += packed.data.byteLength + packed.scales.byteLength + (packed.zeroPoints?.byteLength ?? 0);
        } catch (err) {
          if (!(err instanceof WeightQuantError)) throw err;
          names = err;
        }
        cache.set(key, names);
      }
      if (names instanceof WeightQuantError) {
        late.push({ node: candidate.label, opType: 'MatMul', graph: scope.path, reason: `its weight ${names.message}` });
        nodes.push(node);
        continue;
      }
      nodes.push(nbitsNode(candidate, names, options.accuracyLevel));
      quantized++;
    }
    scope.graph.node = nodes;
  }
  // initializers last: a body's MatMul may have added a packed weight to an enclosing graph
  for (const scope of survey.scopes) scope.graph.initializer.push(...scope.addedInitializers());
  if (quantized === 0) return { model, quantized, late, stats, pruned: { nodes: 0, initializers: 0 } };
  const pruned = pruneModel(withMsDomain(model));
  return { model: pruned.model, quantized, late, stats, pruned: { nodes: pruned.removedNodes, initializers: pruned.removedInitializers } };
}

