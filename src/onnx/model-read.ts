// readModel: file or buffer → decoded ModelProto, with external data loaded from the model's folder.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeModelBytes } from './model-codec.js';
import { IN_MEMORY, externalDataError, modelReadFailed } from './model-errors.js';
import { forEachTensor } from './graph-walk.js';
import { isExternal, loadExternalData } from './external-data.js';
import type { ModelProto } from './model-types.js';

export interface ReadModelOptions {
  /** folder that external data locations are relative to; default: the model file's folder */
  baseDir?: string;
  /** 'load' (default): read external tensors into raw_data. 'keep': leave the references (structure-only reads). */
  externalData?: 'load' | 'keep';
  /** how messages name a model read from a buffer */
  name?: string;
}

function describeReadError(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'the file does not exist';
  if (code === 'EISDIR') return 'it is a directory, not a file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ERR_FS_FILE_TOO_LARGE') {
    return 'it is larger than 2 GiB, which a single protobuf message cannot be (weights belong in external data)';
  }
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * Reads an ONNX model. Raw tensor bytes are not copied: each `raw_data` is a view into the one buffer holding the
 * file, so reading a 500 MB model costs about 500 MB. External data (data_location EXTERNAL) is loaded from files
 * inside the model's folder; a location that escapes it is an error (E_MODEL_EXTERNAL_DATA).
 */
export async function readModel(source: string | Uint8Array, options: ReadModelOptions = {}): Promise<ModelProto> {
  let bytes: Uint8Array;
  let file: string;
  let baseDir = options.baseDir;
  if (typeof source === 'string') {
    file = source;
    baseDir ??= path.dirname(path.resolve(source));
    try {
      bytes = await readFile(source);
    } catch (cause) {
      throw modelReadFailed(source, describeReadError(cause), cause);
    }
  } else {
    file = options.name ?? IN_MEMORY;
    bytes = source;
  }
  const model = decodeModelBytes(bytes, file);
  if ((options.externalData ?? 'load') === 'load') {
    if (baseDir === undefined) {
      forEachTensor(model, (tensor) => {
        if (isExternal(tensor)) {
          throw externalDataError(file, tensor.name ?? '', 'the model was given as bytes without a folder to find that data in',
            'Pass { baseDir } to readModel, or read the model from its path.');
        }
      });
    } else {
      await loadExternalData(model, baseDir, file);
    }
  }
  return model;
}
