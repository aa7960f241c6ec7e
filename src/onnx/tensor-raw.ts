// A tensor's little-endian raw bytes, whichever field holds them (raw_data or the typed repeated *_data fields).
import { DataType } from './model-types.js';
import type { TensorProto } from './model-types.js';
import { dataTypeBits, dataTypeName, tensorByteLength, tensorElementCount } from './tensor-layout.js';
import { tensorError } from './model-errors.js';
import { isExternal } from './external-data.js';

const asBytes = (view: ArrayBufferView): Uint8Array => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

/** Bytes from int32_data: one element per entry for 8/16/32-bit types, one packed byte per entry for 4/2-bit ones. */
function fromInt32Data(values: number[], dataType: number): Uint8Array {
  const bits = dataTypeBits(dataType) ?? 32;
  if (bits === 32) return asBytes(Int32Array.from(values));
  if (bits === 16) return asBytes(Uint16Array.from(values, (v) => v & 0xffff));
  return Uint8Array.from(values, (v) => v & 0xff);
}

function fromTypedFields(tensor: TensorProto, dataType: number): Uint8Array | undefined {
  if (tensor.float_data?.length) return asBytes(Float32Array.from(tensor.float_data));
  if (tensor.int32_data?.length) return fromInt32Data(tensor.int32_data, dataType);
  if (tensor.int64_data?.length) return asBytes(BigInt64Array.from(tensor.int64_data));
  if (tensor.double_data?.length) return asBytes(Float64Array.from(tensor.double_data));
  if (tensor.uint64_data?.length) {
    if (dataType === DataType.UINT32) return asBytes(Uint32Array.from(tensor.uint64_data, (v) => Number(v)));
    return asBytes(BigUint64Array.from(tensor.uint64_data));
  }
  return undefined;
}

/**
 * The tensor's data as little-endian raw bytes (the raw_data layout). Returns `raw_data` itself when set (no copy);
 * converts the typed fields otherwise. Throws E_MODEL_CORRUPT when the byte count does not match type × dims.
 */
export function tensorRawBytes(tensor: TensorProto): Uint8Array {
  const name = tensor.name ?? '';
  const dataType = tensor.data_type ?? 0;
  if (isExternal(tensor)) {
    throw tensorError(name, 'its data is in an external file that was not loaded',
      "Read the model with readModel(path) (externalData: 'load'), or call loadExternalData(model, folder).",
      'E_MODEL_EXTERNAL_DATA');
  }
  if (tensor.segment) {
    throw tensorError(name, 'it is one segment of a tensor split across several TensorProtos',
      'Segmented tensors are not supported; re-export the model without segments.', 'E_MODEL_UNSUPPORTED');
  }
  const expected = tensorByteLength(tensor);
  if (expected === undefined) {
    throw tensorError(name, `its data type ${dataTypeName(dataType)} has no fixed-width raw layout`,
      'Strings are read with decodeTensor; an unknown type needs a newer edgeopt.', 'E_MODEL_UNSUPPORTED');
  }
  const raw = tensor.raw_data;
  const bytes = raw && raw.length > 0 ? raw : fromTypedFields(tensor, dataType) ?? raw ?? new Uint8Array(0);
  if (bytes.length !== expected) {
    throw tensorError(name,
      `it holds ${bytes.length} bytes of data but ${dataTypeName(dataType)} with dims [${tensor.dims.join(', ')}] ` +
        `(${tensorElementCount(tensor)} elements) needs ${expected}`,
      'The model file is damaged or was written by a broken exporter.');
  }
  return bytes;
}
