// EdgeoptError constructors for the ONNX module, so every failure names the file, what was expected, and a way out.
import { EdgeoptError, type ErrorKind } from '../errors.js';

/** How error messages name a model that came from memory instead of a file. */
export const IN_MEMORY = '<in-memory model>';

export function modelCorrupt(file: string, detail: string, cause?: unknown): EdgeoptError {
  return new EdgeoptError({
    code: 'E_MODEL_CORRUPT',
    kind: 'step',
    message:
      `${file} is not a valid ONNX model: ${detail}. ` +
      'Expected a complete ONNX ModelProto (protobuf) with a graph and an opset import.',
    hint: 'Re-export the model, or check that the file was not truncated while being copied or downloaded.',
    cause,
  });
}

export function modelReadFailed(file: string, detail: string, cause?: unknown, kind: ErrorKind = 'step'): EdgeoptError {
  return new EdgeoptError({
    code: 'E_MODEL_READ',
    kind,
    message: `Cannot read ONNX model ${file}: ${detail}.`,
    hint: 'Check that the path exists, is a file and is readable by the current user.',
    cause,
  });
}

export function externalDataError(file: string, tensor: string, detail: string, hint: string, cause?: unknown): EdgeoptError {
  return new EdgeoptError({
    code: 'E_MODEL_EXTERNAL_DATA',
    kind: 'step',
    message:
      `${file}: tensor '${tensor}' stores its data externally, and ${detail}. ` +
      "External data must be a file inside the model's folder, given by a relative 'location' with optional 'offset' and 'length'.",
    hint,
    cause,
  });
}

export function modelWriteFailed(file: string, detail: string, hint: string, cause?: unknown): EdgeoptError {
  return new EdgeoptError({
    code: 'E_MODEL_WRITE',
    kind: 'step',
    message: `Cannot write ONNX model ${file}: ${detail}.`,
    hint,
    cause,
  });
}

export function tensorError(tensor: string, detail: string, hint: string, code = 'E_MODEL_CORRUPT'): EdgeoptError {
  return new EdgeoptError({
    code,
    kind: 'step',
    message: `Tensor '${tensor}': ${detail}.`,
    hint,
  });
}

export function graphError(code: string, detail: string, hint: string): EdgeoptError {
  return new EdgeoptError({ code, kind: 'step', message: detail, hint });
}
