// Test support: the Debian python3-onnx (onnx 1.12) at /usr/bin/python3, an independent implementation to check against.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PYTHON = '/usr/bin/python3';

let available: boolean | undefined;

/** True when /usr/bin/python3 can `import onnx`. */
export function pythonOnnxAvailable(): boolean {
  if (available === undefined) {
    available = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0;
  }
  return available;
}

/** Runs a Python snippet (argv after the script: `args`) and returns its stdout; throws with stderr on failure. */
export function runPython(code: string, args: string[] = []): string {
  const result = spawnSync(PYTHON, ['-c', code, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`python failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

export const SKIP_PYTHON = 'SKIPPED: /usr/bin/python3 lacks onnx (apt-get install -y python3-onnx)';
