// External tensor data: parse and check `external_data` entries, keep them inside the model's folder, load them.
import { open, realpath } from 'node:fs/promises';
import path from 'node:path';
import { DataLocation } from './model-types.js';
import type { ModelProto, TensorProto } from './model-types.js';
import { externalDataError, IN_MEMORY } from './model-errors.js';
import { forEachTensor } from './graph-walk.js';
import { tensorByteLength } from './tensor-layout.js';
import { IO_CHUNK_BYTES } from './atomic-file.js';

export interface ExternalDataRef {
  location: string;
  offset: number;
  /** undefined: to the end of the file */
  length?: number;
  checksum?: string;
}

export function isExternal(tensor: TensorProto): boolean {
  return tensor.data_location === DataLocation.EXTERNAL;
}

function parseSize(text: string | undefined, key: string, file: string, tensor: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw externalDataError(file, tensor, `its '${key}' is '${text}', not a non-negative integer`,
      'Re-save the model with onnx.save_model(..., save_as_external_data=True).');
  }
  return Number(text);
}

/** Reads the `external_data` key/value list of a tensor. */
export function externalDataRef(tensor: TensorProto, file = IN_MEMORY): ExternalDataRef {
  const entries = new Map((tensor.external_data ?? []).map((e) => [e.key ?? '', e.value ?? '']));
  const name = tensor.name ?? '';
  const location = entries.get('location');
  if (!location) {
    throw externalDataError(file, name, "its external_data has no 'location' key",
      'The model is incomplete: re-export it with its external data.');
  }
  const ref: ExternalDataRef = { location, offset: parseSize(entries.get('offset'), 'offset', file, name) ?? 0 };
  const length = parseSize(entries.get('length'), 'length', file, name);
  if (length !== undefined) ref.length = length;
  const checksum = entries.get('checksum');
  if (checksum !== undefined) ref.checksum = checksum;
  return ref;
}

/**
 * Resolves `location` against the model's folder and refuses anything that leaves it: absolute paths, `..`,
 * and symlinks pointing outside (a model from the internet must not read ~/.ssh through its weights).
 */
export async function resolveExternalPath(baseDir: string, location: string, file: string, tensor: string): Promise<string> {
  const hint = "Keep external data files next to the model (or below its folder) and reference them by a relative 'location'.";
  if (path.isAbsolute(location) || path.win32.isAbsolute(location) || location.includes('\0')) {
    throw externalDataError(file, tensor, `its location '${location}' is an absolute path`, hint);
  }
  const base = path.resolve(baseDir);
  const target = path.resolve(base, location);
  const inside = (root: string, p: string): boolean => {
    const rel = path.relative(root, p);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  };
  if (!inside(base, target)) {
    throw externalDataError(file, tensor, `its location '${location}' escapes the model's folder ${base}`, hint);
  }
  let real: string;
  try {
    real = await realpath(target);
  } catch (cause) {
    throw externalDataError(file, tensor, `its data file ${target} cannot be opened (${(cause as Error).message})`,
      'Copy the external data file(s) together with the .onnx file; they are part of the model.', cause);
  }
  if (!inside(await realpath(base), real)) {
    throw externalDataError(file, tensor, `its location '${location}' resolves through a link to ${real}, outside ${base}`, hint);
  }
  return real;
}

/**
 * Loads the bytes of every EXTERNAL tensor of `model` into `raw_data` (one read per tensor, one buffer each) and
 * marks them DEFAULT, so the rest of edgeopt sees ordinary tensors. Returns the number of tensors loaded.
 */
export async function loadExternalData(model: ModelProto, baseDir: string, file = IN_MEMORY): Promise<number> {
  const pending: TensorProto[] = [];
  forEachTensor(model, (tensor) => {
    if (isExternal(tensor)) pending.push(tensor);
  });
  const handles = new Map<string, { handle: Awaited<ReturnType<typeof open>>; size: number }>();
  try {
    for (const tensor of pending) {
      const name = tensor.name ?? '';
      const ref = externalDataRef(tensor, file);
      const target = await resolveExternalPath(baseDir, ref.location, file, name);
      let opened = handles.get(target);
      if (!opened) {
        const handle = await open(target, 'r');
        opened = { handle, size: (await handle.stat()).size };
        handles.set(target, opened);
      }
      const { handle, size } = opened;
      const length = ref.length ?? size - ref.offset;
      if (ref.offset + length > size || length < 0) {
        throw externalDataError(file, name, `it asks for bytes ${ref.offset}..${ref.offset + length} of ${ref.location}, which has ${size}`,
          'The external data file is truncated or belongs to another version of the model.');
      }
      const expected = tensorByteLength(tensor);
      if (expected !== undefined && expected !== length) {
        throw externalDataError(file, name, `it stores ${length} bytes where its type and dims need ${expected}`,
          'The external data file belongs to another version of the model.');
      }
      // its own (page-aligned) memory, outside Node's small-buffer pool; exposed as a plain Uint8Array like decoded bytes
      const slow = Buffer.allocUnsafeSlow(length);
      const bytes = new Uint8Array(slow.buffer, slow.byteOffset, length);
      for (let done = 0; done < length; ) {
        const { bytesRead } = await handle.read(bytes, done, Math.min(length - done, IO_CHUNK_BYTES), ref.offset + done);
        if (bytesRead === 0) {
          throw externalDataError(file, name, `${ref.location} ended while its bytes were being read`,
            'Another process may be rewriting the data file; read the model again once it is complete.');
        }
        done += bytesRead;
      }
      tensor.raw_data = bytes;
      delete tensor.external_data;
      delete tensor.data_location;
    }
  } finally {
    await Promise.all([...handles.values()].map((h) => h.handle.close()));
  }
  return pending.length;
}
