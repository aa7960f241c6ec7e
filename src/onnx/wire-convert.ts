// Converts between protobufjs messages and the plain model objects: Long → number/bigint on the way in, back on the way out.
import type protobuf from 'protobufjs';

type Int64Mode = 'number' | 'bigint' | 'biguint';
type FieldKind = 'plain' | 'message' | 'bytes' | Int64Mode;

interface FieldPlan {
  name: string;
  kind: FieldKind;
  repeated: boolean;
  /** repeated fields that decoded objects always carry (as [] when empty) */
  always: boolean;
  type?: protobuf.Type;
}

/** int64 fields that may hold the full 64-bit range: decoded as bigint. Every other int64 is a size or a version. */
const BIGINT_FIELDS = new Set(['AttributeProto.i', 'AttributeProto.ints', 'TensorProto.int64_data', 'TensorProto.uint64_data']);

const ALWAYS_REPEATED = new Set([
  'TensorProto.dims', 'SparseTensorProto.dims', 'TensorShapeProto.dim',
  'NodeProto.input', 'NodeProto.output', 'NodeProto.attribute',
  'GraphProto.node', 'GraphProto.initializer', 'GraphProto.input', 'GraphProto.output', 'GraphProto.value_info',
  'FunctionProto.input', 'FunctionProto.output', 'FunctionProto.node', 'FunctionProto.opset_import',
  'ModelProto.opset_import',
]);

const plans = new Map<protobuf.Type, FieldPlan[]>();

function planFor(type: protobuf.Type): FieldPlan[] {
  let plan = plans.get(type);
  if (plan) return plan;
  plan = type.fieldsArray.map((field): FieldPlan => {
    field.resolve();
    const key = `${type.name}.${field.name}`;
    let kind: FieldKind = 'plain';
    if (field.resolvedType && 'fields' in field.resolvedType) kind = 'message';
    else if (field.type === 'bytes') kind = 'bytes';
    else if (field.type === 'int64' || field.type === 'uint64') {
      kind = BIGINT_FIELDS.has(key) ? (field.type === 'uint64' ? 'biguint' : 'bigint') : 'number';
    }
    const fieldPlan: FieldPlan = { name: field.name, kind, repeated: field.repeated, always: ALWAYS_REPEATED.has(key) };
    if (kind === 'message') fieldPlan.type = field.resolvedType as protobuf.Type;
    return fieldPlan;
  });
  plans.set(type, plan);
  return plan;
}

interface LongLike {
  low: number;
  high: number;
  unsigned?: boolean;
}

/** Raised when an int64 that must be a size or version does not fit a JS number (only corrupt files do that). */
export class UnsafeInt64Error extends Error {}

function longToNumber(value: LongLike | number, field: string): number {
  if (typeof value === 'number') return value;
  const high = value.unsigned ? value.high >>> 0 : value.high | 0;
  // |value| < 2^53 ⇔ the high word lies in [-2^21, 2^21)
  if (high >= 0x200000 || high < -0x200000) {
    throw new UnsafeInt64Error(`field ${field} holds ${longToBigInt(value, 'bigint')}, beyond 2^53`);
  }
  return high * 4294967296 + (value.low >>> 0);
}

function longToBigInt(value: LongLike | number, mode: 'bigint' | 'biguint'): bigint {
  if (typeof value === 'number') return BigInt(value);
  const low = BigInt(value.low >>> 0);
  if (mode === 'biguint') return (BigInt(value.high >>> 0) << 32n) | low;
  return (BigInt(value.high | 0) << 32n) | low;
}

function bigIntToLong(value: bigint): LongLike {
  const bits = BigInt.asUintN(64, value);
  return { low: Number(bits & 0xffffffffn) | 0, high: Number(bits >> 32n) | 0 };
}

function convertIn(value: unknown, plan: FieldPlan): unknown {
  switch (plan.kind) {
    case 'plain':
      return value;
    case 'message':
      return fromWire(plan.type as protobuf.Type, value as Record<string, unknown>);
    case 'bytes': {
      // protobufjs hands out Buffer views; expose plain Uint8Array views of the same memory, so that `.slice()`
      // copies as the declared type promises (Buffer#slice would return another view)
      const bytes = value as Uint8Array;
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    }
    case 'number':
      return longToNumber(value as LongLike, plan.name);
    default:
      return longToBigInt(value as LongLike, plan.kind);
  }
}

/** protobufjs message → plain object with only the fields the wire carried. Byte fields stay views. */
export function fromWire<T>(type: protobuf.Type, message: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const plan of planFor(type)) {
    const value = message[plan.name];
    if (plan.repeated) {
      const list = value as unknown[] | undefined;
      if (!list || list.length === 0) {
        if (plan.always) out[plan.name] = [];
      } else {
        out[plan.name] = plan.kind === 'plain' ? list : list.map((item) => convertIn(item, plan));
      }
    } else if (value !== undefined && value !== null && Object.prototype.hasOwnProperty.call(message, plan.name)) {
      out[plan.name] = convertIn(value, plan);
    }
  }
  return out as T;
}

function convertOut(value: unknown, plan: FieldPlan): unknown {
  switch (plan.kind) {
    case 'message':
      return toWire(plan.type as protobuf.Type, value as object);
    case 'bigint':
    case 'biguint':
      return typeof value === 'bigint' ? bigIntToLong(value) : value;
    default:
      return value;
  }
}

/** plain object → object the protobufjs encoder accepts (bigint → {low, high}); shares byte buffers, copies structure. */
export function toWire(type: protobuf.Type, object: object): Record<string, unknown> {
  const source = object as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const plan of planFor(type)) {
    const value = source[plan.name];
    if (value === undefined || value === null) continue;
    if (plan.repeated) {
      const list = value as unknown[];
      if (list.length === 0) continue;
      out[plan.name] = plan.kind === 'plain' || plan.kind === 'number' ? list : list.map((item) => convertOut(item, plan));
    } else {
      out[plan.name] = convertOut(value, plan);
    }
  }
  return out;
}
