// writeModel / encodeModel: atomic, streamed serialization, with initializers moved to external data when asked or needed.
import path from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import { EdgeoptError } from '../errors.js';
import { prepareFile, writeFully, type PendingFile } from './atomic-file.js';
import { planExternalData, type ExternalPlan } from './external-plan.js';
import { joinParts, partBytes, serializeModel, type SerializedModel } from './model-serialize.js';
import { forEachTensor } from './graph-walk.js';
import { isExternal } from './external-data.js';
import { IN_MEMORY, modelWriteFailed } from './model-errors.js';
import type { ModelProto } from './model-types.js';

/** protobuf's hard limit: a message larger than 2 GiB - 1 cannot be parsed (ORT, onnx, protoc all refuse it). */
export const PROTOBUF_MAX_BYTES = 2 ** 31 - 1;

export interface ExternalDataOptions {
  /** data file name, next to the model; default `<model file name>.data` */
  location?: string;
  /**
   * initializers with at least this many bytes go external; default 1024 (onnx.save_model's default). Keep it above
   * a few hundred bytes: ORT's shape inference cannot read shape-like inputs (Reshape's shape, ...) from external data.
   */
  threshold?: number;
  /** offset alignment in the data file; default 4096 */
  alignment?: number;
}

export interface WriteModelOptions {
  /**
   * 'auto' (default): inline, unless the model would exceed protobuf's 2 GiB limit, then external.
   * true or options: always move big initializers to one external data file. false: never (too big is an error).
   */
  externalData?: boolean | 'auto' | ExternalDataOptions;
  /** the size limit checked by 'auto' and false; lowered only by tests */
  maxProtobufBytes?: number;
  signal?: AbortSignal;
}

export interface WriteModelResult {
  path: string;
  bytes: number;
  externalData?: { path: string; location: string; bytes: number; tensors: number };
}

function tooLarge(file: string, bytes: number, limit: number): EdgeoptError {
  return new EdgeoptError({
    code: 'E_MODEL_TOO_LARGE',
    kind: 'step',
    message: `${file}: the serialized model would be ${bytes} bytes, more than protobuf's limit of ${limit} bytes, ` +
      'and it cannot be made smaller by moving initializers to external data.',
    hint: 'Large weights must be initializers (not Constant nodes) to go to external data; write with externalData enabled.',
  });
}

function assertLoaded(model: ModelProto, file: string): void {
  forEachTensor(model, (tensor) => {
    if (isExternal(tensor)) {
      throw modelWriteFailed(file, `tensor '${tensor.name ?? ''}' still refers to external data that was never loaded`,
        "Read the model with externalData: 'load' (the default) or call loadExternalData before writing it.");
    }
  });
}

interface Layout {
  serialized: SerializedModel;
  plan?: ExternalPlan;
}

function layoutModel(model: ModelProto, file: string, options: WriteModelOptions): Layout {
  const limit = options.maxProtobufBytes ?? PROTOBUF_MAX_BYTES;
  const mode = options.externalData ?? 'auto';
  const external = typeof mode === 'object' ? mode : {};
  const planOptions = {
    location: external.location ?? `${path.basename(file)}.data`,
    threshold: external.threshold ?? 1024,
    alignment: external.alignment ?? 4096,
  };
  const location = planOptions.location;
  if (!location || /[/\\]/.test(location) || location === '.' || location === '..') {
    throw modelWriteFailed(file, `the external data location '${location}' is not a plain file name`,
      "Give externalData.location as a file name such as 'model.onnx.data'; it is written next to the model.");
  }
  if (!Number.isInteger(planOptions.alignment) || planOptions.alignment < 1) {
    throw modelWriteFailed(file, `externalData.alignment is ${planOptions.alignment}`, 'Use a positive integer such as 4096.');
  }
  if (mode !== 'auto' && mode !== false) {
    const plan = planExternalData(model, planOptions);
    const serialized = serializeModel(plan.model);
    if (serialized.length > limit) throw tooLarge(file, serialized.length, limit);
    return { serialized, plan };
  }
  const serialized = serializeModel(model);
  if (serialized.length <= limit) return { serialized };
  if (mode === false) throw tooLarge(file, serialized.length, limit);
  const plan = planExternalData(model, planOptions);
  const again = serializeModel(plan.model);
  if (again.length <= limit) return { serialized: again, plan };
  throw tooLarge(file, again.length, limit);
}

const STAGING_BYTES = 1 << 20;

/** Streams bytes to a file through a 1 MiB staging buffer; big pieces go straight from their own memory. */
async function writeParts(handle: FileHandle, pieces: Iterable<Uint8Array>, signal?: AbortSignal): Promise<void> {
  const staging = Buffer.allocUnsafe(STAGING_BYTES);
  let used = 0;
  const flush = async (): Promise<void> => {
    if (used > 0) await writeFully(handle, staging.subarray(0, used));
    used = 0;
  };
  for (const bytes of pieces) {
    signal?.throwIfAborted();
    if (bytes.length > STAGING_BYTES / 4) {
      await flush();
      await writeFully(handle, bytes);
    } else {
      if (used + bytes.length > STAGING_BYTES) await flush();
      staging.set(bytes, used);
      used += bytes.length;
    }
  }
  await flush();
}

function* modelPieces(serialized: SerializedModel): Generator<Uint8Array> {
  for (const part of serialized.parts) yield partBytes(part);
}

function* dataPieces(plan: ExternalPlan): Generator<Uint8Array> {
  let position = 0;
  for (const chunk of plan.chunks) {
    if (chunk.offset > position) yield new Uint8Array(chunk.offset - position);
    yield chunk.bytes;
    position = chunk.offset + chunk.bytes.length;
  }
}

/**
 * Writes `model` to `file` atomically (temp file in the same folder, fsync, rename); with external data, the data
 * file is committed first so the model never points at missing bytes. Weights are written from their buffers: peak
 * extra memory is about one node's encoding, not a second copy of the model.
 */
export async function writeModel(model: ModelProto, file: string, options: WriteModelOptions = {}): Promise<WriteModelResult> {
  assertLoaded(model, file);
  const { serialized, plan } = layoutModel(model, file, options);
  const result: WriteModelResult = { path: file, bytes: serialized.length };
  let data: PendingFile | undefined;
  try {
    if (plan && plan.chunks.length > 0) {
      const location = plan.location;
      const target = path.join(path.dirname(path.resolve(file)), location);
      data = await prepareFile(target, (h) => writeParts(h, dataPieces(plan), options.signal));
      result.externalData = { path: target, location, bytes: plan.length, tensors: plan.chunks.length };
    }
    const pending = await prepareFile(file, (h) => writeParts(h, modelPieces(serialized), options.signal));
    await data?.commit();
    await pending.commit();
  } catch (cause) {
    await data?.discard();
    if (cause instanceof EdgeoptError || options.signal?.aborted) throw cause;
    throw modelWriteFailed(file, (cause as Error).message, 'Check free disk space and write permission on the folder.', cause);
  }
  return result;
}

/** Serializes the model into one buffer (e.g. for an ORT session from memory). Errors above protobuf's 2 GiB limit. */
export function encodeModel(model: ModelProto, options: Pick<WriteModelOptions, 'maxProtobufBytes'> = {}): Uint8Array {
  assertLoaded(model, IN_MEMORY);
  const serialized = serializeModel(model);
  const limit = options.maxProtobufBytes ?? PROTOBUF_MAX_BYTES;
  if (serialized.length > limit) throw tooLarge(IN_MEMORY, serialized.length, limit);
  return joinParts(serialized);
}
