// Turns ONNX Runtime's native error text into one readable sentence (no C++ source paths, no status prefixes).

/** Strips `path/file.cc:123 func cond was false.` and `[ONNXRuntimeError] : 1 : FAIL :` prefixes, collapses whitespace. */
export function cleanOrtMessage(raw: string): string {
  let text = raw.replace(/\u001b\[[0-9;]*m/g, '');
  // "…/webgpu_context.cc:136 onnxruntime::…::<lambda()> cond was false. Failed to get a WebGPU adapter: …"
  text = text.replace(/^\s*\S+\.(?:cc|cpp|h):\d+ [^\n]*? was false\.\s*/, '');
  text = text.replace(/^\s*\S+\.(?:cc|cpp|h):\d+ \S+ /, '');
  text = text.replace(/\[ONNXRuntimeError\]\s*:\s*\d+\s*:\s*[A-Z_]+\s*:\s*/g, '');
  return text.replace(/\s+/g, ' ').trim();
}

/** The message of whatever was thrown, cleaned. */
export function ortErrorText(thrown: unknown): string {
  return cleanOrtMessage(thrown instanceof Error ? thrown.message : String(thrown));
}
