// Turns ONNX Runtime's native error text into one readable sentence (no C++ source paths, no status prefixes).

const SOURCE_POSITION = /[\w./\\-]*\.(?:cc|cpp|h):\d+ /;
// a failed ORT_ENFORCE prints its condition: `status.IsOK() was false.`, never spanning a sentence break
const FAILED_CONDITION = /^(?:(?!\. )[^\n])*? was false\.\s*/;

/** The end of the C++ signature starting at `from`: the first blank outside parentheses and angle brackets. */
function signatureEnd(text: string, from: number): number {
  let depth = 0;
  let i = from;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '<') depth++;
    else if ((c === ')' || c === '>') && depth > 0) depth--;
    else if (/\s/.test(c ?? '') && depth === 0) break;
  }
  return i;
}

/**
 * Strips every `path/file.cc:123 func(args) [cond was false.]` (wherever it sits: ORT often appends one after
 * "Load model from … failed:") and `[ONNXRuntimeError] : 1 : FAIL :` prefixes, collapses whitespace.
 */
export function cleanOrtMessage(raw: string): string {
  let text = raw.replace(/\u001b\[[0-9;]*m/g, '');
  for (let guard = 0; guard < 20; guard++) {
    const m = SOURCE_POSITION.exec(text);
    if (!m) break;
    const end = signatureEnd(text, m.index + m[0].length);
    const rest = text.slice(end).replace(/^\s+/, '');
    const condition = FAILED_CONDITION.exec(rest);
    const tail = condition ? rest.slice(condition[0].length) : rest;
    const before = text.slice(0, m.index);
    text = before + (before && !/\s$/.test(before) && tail ? ' ' : '') + tail;
  }
  text = text.replace(/\[ONNXRuntimeError\]\s*:\s*\d+\s*:\s*[A-Z_]+\s*:\s*/g, '');
  return text.replace(/\s+/g, ' ').trim();
}

/** The message of whatever was thrown, cleaned. */
export function ortErrorText(thrown: unknown): string {
  return cleanOrtMessage(thrown instanceof Error ? thrown.message : String(thrown));
}

/** What to do about a model ORT would not load, judged from its cleaned message. */
export function modelLoadHint(message: string): string {
  const kernel = /Could not find an implementation for (\S+)\((\d+)\)/.exec(message);
  if (kernel) {
    return `ONNX Runtime has no kernel for ${kernel[1]} at opset ${kernel[2]}; re-export the model at a newer opset `
      + '(ORT guarantees opset 7 and later), or convert it with onnx.version_converter.convert_version';
  }
  if (/Protobuf parsing failed|does not have a graph|No graph was found|ModelProto/.test(message)) {
    return 'check that the file is a complete ONNX model (not truncated, not a Git LFS pointer, not an HTML page)';
  }
  if (/[Ee]xternal data/.test(message)) {
    return 'keep the external data files next to the .onnx file, inside its folder, with the names the model gives them';
  }
  if (/invalid model|ShapeInferenceError|Type Error|TypeInferenceError|Node \(|Invalid model/.test(message)) {
    return 'the graph breaks the ONNX spec: check it with onnx.checker.check_model(path, full_check=True) and re-export it';
  }
  return 'check that ONNX Runtime can open the model (for example with onnxruntime in Python); the message above is its own';
}
