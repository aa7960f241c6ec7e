// Quantized initializers for static QDQ (weights per channel, int32 biases, constant operands), made once and shared by
// every model built from the same float model (mixed precision builds many).
import { DataType, decodeTensor, encodeTensor, type NameGenerator, type TensorProto } from '../../../src/api.js';
import { quantizeWeight, roundHalfEven, type WeightQuantOptions } from '../weight-quant.js';
import type { WeightSpec } from './ops/op-handler.js';
import type { TensorQuant } from './placement.js';

/** Initializer names of one quantized tensor, the DequantizeLinear inputs, and the axis for per-channel scales. */
export interface QuantizedTensor {
  data: string;
  scale: string;
  zeroPoint: string;
  axis?: number;
  /** float scales, one per channel or one (biases need them) */
  scales: Float32Array;
  /** the initializers behind the names */
  tensors: TensorProto[];
}

export interface WeightStats {
  tensors: number;
  floatBytes: number;
  quantizedBytes: number;
  /** int32 bias values clamped because bias / (activation scale × weight scale) left int32's range */
  clampedBias: number;
  /** weights whose scales were raised so that their bias fits int32 */
  raisedForBias: number;
  ms: number;
}

const INT32_MAX = 2 ** 31 - 1;

export class StaticWeights {
  readonly stats: WeightStats = { tensors: 0, floatBytes: 0, quantizedBytes: 0, clampedBias: 0, raisedForBias: 0, ms: 0 };
  private readonly cache = new Map<string, QuantizedTensor>();

  constructor(
    private readonly options: WeightQuantOptions,
    private readonly constants: ReadonlyMap<string, TensorProto>,
    private readonly names: NameGenerator,
  ) {}

  private floatValues(name: string, factor: number): Float32Array {
    const values = decodeTensor(this.constants.get(name)!) as Float32Array;
    return factor === 1 ? values : values.map((v) => v * factor);
  }

  /**
   * A weight quantized per channel (spec.layout) or per tensor; throws WeightQuantError on NaN/Inf values.
   * `minScales` (from a bias that must fit int32) makes a separate copy only when some scale would be below them.
   */
  weight(name: string, spec: WeightSpec, minScales?: Float32Array): QuantizedTensor {
    const key = `w|${name}|${spec.axis}|${spec.factor ?? 1}`;
    const plain = this.cache.get(key) ?? this.quantizeWeight(key, name, spec);
    if (!minScales || plain.scales.every((s, c) => s >= (minScales.length > 1 ? minScales[c]! : Math.max(...minScales)))) return plain;
    const floors = plain.scales.length > 1 ? minScales : Float32Array.of(Math.max(...minScales));
    const raised = `${key}|floor:${Array.from(floors).join(',')}`;
    return this.cache.get(raised) ?? this.quantizeWeight(raised, name, spec, floors);
  }

  private quantizeWeight(key: string, name: string, spec: WeightSpec, minScales?: Float32Array): QuantizedTensor {
    const started = performance.now();
    const source = this.constants.get(name)!;
    const values = this.floatValues(name, spec.factor ?? 1);
    const perChannel = this.options.perChannel && spec.layout.channels > 1;
    const q = quantizeWeight(values, spec.layout, { ...this.options, perChannel }, minScales);
    if (minScales) this.stats.raisedForBias += 1;
    const zpType = this.options.type === 'int8' ? DataType.INT8 : DataType.UINT8;
    const result = this.store(key, name, encodeTensor(q.data, [...source.dims], { dataType: zpType }), q.scales,
      perChannel ? encodeTensor(q.zeroPoints, [q.zeroPoints.length], { dataType: zpType }) : encodeTensor(q.zeroPoints.slice(0, 1), [], { dataType: zpType }),
      perChannel ? spec.axis : undefined);
    this.stats.floatBytes += values.byteLength;
    this.stats.quantizedBytes += q.data.byteLength;
    this.stats.ms += performance.now() - started;
    return result;
  }

  /** An int32 bias with scale activation scale × weight scale (per channel) and zero point 0, as QLinearConv/QGemm read it. */
  bias(name: string, factor: number, input: TensorQuant, weight: QuantizedTensor): QuantizedTensor {
    const key = `b|${name}|${factor}|${input.scale}|${weight.data}`;
    const known = this.cache.get(key);
    if (known) return known;
    const values = this.floatValues(name, factor);
    const channels = values.length;
    const scales = new Float32Array(channels);
    const data = new Int32Array(channels);
    for (let c = 0; c < channels; c++) {
      // float32 product: ORT's fused kernels compute the bias scale the same way and ignore the stored one
      const s = Math.fround(input.scale * (weight.scales.length > 1 ? (weight.scales[c] as number) : (weight.scales[0] as number)));
      scales[c] = s;
      const q = roundHalfEven((values[c] as number) / s);
      if (Math.abs(q) > INT32_MAX) this.stats.clampedBias += 1;
      data[c] = Math.max(-INT32_MAX, Math.min(INT32_MAX, Number.isFinite(q) ? q : 0));
    }
    return this.store(key, name, encodeTensor(data, [channels]), scales, encodeTensor(new Int32Array(channels), [channels]), 0);
  }

  /** Per-channel weight scales below which `bias` / (input scale × weight scale) would leave int32. */
  biasFloors(name: string, factor: number, input: TensorQuant): Float32Array {
    // a hair of margin: the product is rounded to float32 again when the bias is quantized
    return this.floatValues(name, factor).map((b) => (Math.abs(b) / (input.scale * INT32_MAX)) * 1.001);
  }

  /** A constant operand of Add/Mul/Concat quantized like an activation, with the parameters given. */
  constant(name: string, q: TensorQuant, type: 'uint8' | 'int8'): QuantizedTensor {
    const key = `c|${name}|${q.scale}|${q.zeroPoint}|${type}`;
    const known = this.cache.get(key);
    if (known) return known;
    const source = this.constants.get(name)!;
    const values = decodeTensor(source) as Float32Array;
    const [qmin, qmax] = type === 'uint8' ? [0, 255] : [-128, 127];
    const data = type === 'uint8' ? new Uint8Array(values.length) : new Int8Array(values.length);
    for (let i = 0; i < values.length; i++) data[i] = Math.max(qmin, Math.min(qmax, roundHalfEven((values[i] as number) / q.scale) + q.zeroPoint));
    const zpType = type === 'uint8' ? DataType.UINT8 : DataType.INT8;
    return this.store(key, name, encodeTensor(data, [...source.dims], { dataType: zpType }), Float32Array.of(q.scale),
      encodeTensor(type === 'uint8' ? Uint8Array.of(q.zeroPoint) : Int8Array.of(q.zeroPoint), [], { dataType: zpType }), undefined);
  }

  private store(key: string, base: string, data: TensorProto, scales: Float32Array, zeroPoint: TensorProto, axis: number | undefined): QuantizedTensor {
    const dataName = this.names(`${base}_quantized`);
    const scaleName = this.names(`${base}_scale`);
    const zpName = this.names(`${base}_zero_point`);
    const scaleTensor = axis === undefined ? encodeTensor(scales.slice(0, 1), []) : encodeTensor(scales, [scales.length]);
    const result: QuantizedTensor = {
      data: dataName, scale: scaleName, zeroPoint: zpName, scales,
      tensors: [{ ...data, name: dataName }, { ...scaleTensor, name: scaleName }, { ...zeroPoint, name: zpName }],
      ...(axis === undefined ? {} : { axis }),
    };
    this.cache.set(key, result);
    this.stats.tensors += 1;
    return result;
  }
}
