// Quantized copies of constant weights, made once per (weight, layout) and shared by every node that reads the weight.
import { DataType, decodeTensor, encodeTensor, type GraphProto, type TensorProto } from '../../../src/api.js';
import type { ConstantWeight } from './graph-scope.js';
import { quantizeWeight, transposeBytes, type ChannelLayout, type WeightQuantOptions } from '../weight-quant.js';

export interface WeightRequest {
  weight: ConstantWeight;
  /** how the float tensor is read: [outer, channels, inner], channels being the per-channel axis */
  layout: ChannelLayout;
  /** transpose the quantized [rows, cols] matrix before storing it (Gemm transB=1: [N, K] → [K, N]) */
  transpose?: { rows: number; cols: number };
  /** dims of the stored quantized tensor */
  dims: number[];
  /** dims of a per-channel scale tensor, shaped to broadcast against the op's output ([N] for MatMul, [M, 1, 1] for Conv) */
  channelScaleDims: number[];
  /** names the layout, so one weight read two ways gets two quantized copies */
  variant: string;
  /**
   * the op takes one zero point for the whole weight (ORT's ConvInteger: "Non per-tensor quantization is not
   * supported"), so per-channel weights are made symmetric: every channel then shares the same zero point
   */
  singleZeroPoint?: boolean;
}

/** Names of the initializers holding a quantized weight, and its scales (for folding constants such as Gemm's alpha). */
export interface WeightRef {
  data: string;
  scale: string;
  zeroPoint: string;
  scales: Float32Array;
  scaleDims: number[];
}

export interface WeightStats {
  /** distinct quantized weight tensors written */
  tensors: number;
  /** how many times a quantized weight was reused by another node */
  reused: number;
  floatBytes: number;
  quantizedBytes: number;
  /** time spent in the quantization math, ms */
  ms: number;
  /** weights made symmetric although the params asked for asymmetric, because their op takes one zero point */
  madeSymmetric: number;
}

export class WeightStore {
  readonly stats: WeightStats = { tensors: 0, reused: 0, floatBytes: 0, quantizedBytes: 0, ms: 0, madeSymmetric: 0 };
  private readonly options: WeightQuantOptions;
  private readonly cache = new WeakMap<GraphProto, Map<string, WeightRef>>();

  constructor(options: WeightQuantOptions) {
    this.options = options;
  }

  /** The quantized weight for `request`, quantizing it on first use; throws WeightQuantError for NaN/Inf weights. */
  quantize(request: WeightRequest): WeightRef {
    const { tensor, owner } = request.weight;
    let perGraph = this.cache.get(owner.graph);
    if (!perGraph) this.cache.set(owner.graph, (perGraph = new Map()));
    const key = `${tensor.name ?? ''}|${request.variant}`;
    const known = perGraph.get(key);
    if (known) {
      this.stats.reused += 1;
      return known;
    }
    const started = performance.now();
    // a view on the model's bytes when aligned: the float weight is not copied
    const values = decodeTensor(tensor, { copy: false }) as Float32Array;
    const forceSymmetric = request.singleZeroPoint === true && this.options.perChannel && !this.options.symmetric && request.layout.channels > 1;
    const q = quantizeWeight(values, request.layout, forceSymmetric ? { ...this.options, symmetric: true } : this.options);
    if (forceSymmetric) this.stats.madeSymmetric += 1;
    const data = request.transpose ? transposeBytes(q.data, request.transpose.rows, request.transpose.cols) : q.data;
    const base = tensor.name || 'weight';
    const zpType = this.options.type === 'int8' ? DataType.INT8 : DataType.UINT8;
    const uniformZp = q.zeroPoints.every((z) => z === q.zeroPoints[0]);
    const scaleDims = q.scales.length > 1 ? request.channelScaleDims : [];
    const ref: WeightRef = {
      data: owner.addInitializer(encodeTensor(data, request.dims, { dataType: zpType }), `${base}_quantized`),
      scale: owner.addInitializer(encodeTensor(q.scales, scaleDims), `${base}_scale`),
      zeroPoint: owner.addInitializer(
        uniformZp ? encodeTensor(q.zeroPoints.slice(0, 1), [], { dataType: zpType }) : encodeTensor(q.zeroPoints, [q.zeroPoints.length], { dataType: zpType }),
        `${base}_zero_point`),
      scales: q.scales,
      scaleDims,
    };
    perGraph.set(key, ref);
    this.stats.tensors += 1;
    this.stats.floatBytes += values.byteLength;
    this.stats.quantizedBytes += data.byteLength;
    this.stats.ms += performance.now() - started;
    return ref;
  }
}

/** A float tensor holding `scales × factor`, for folding a constant multiplier (Gemm's alpha) into a weight scale. */
export function scaledScales(ref: WeightRef, factor: number): TensorProto {
  return encodeTensor(ref.scales.map((s) => s * factor), ref.scaleDims);
}
