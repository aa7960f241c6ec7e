// The exec plugin runs real commands: stopped with everything they started, bounded output, errors that say why.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execPlugin } from '../../../plugins/exec/index.js';
import { EdgeoptError } from '../../../src/errors.js';
import { HELLO_DEEPA, removeTestTmpDirs, testContext } from '../ort/step-context.js';

afterAll(removeTestTmpDirs);

const NODE = process.execPath;

/** Whether the process still runs; a zombie has ended (here PID 1 does not always reap orphans at once). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const status = existsSync(`/proc/${pid}/status`) ? readFileSync(`/proc/${pid}/status`, 'utf8') : '';
  return !/^State:\s+Z/m.test(status);
}

/** The pid the shell wrote, once it is there: the file exists a moment before `echo` has filled it. */
async function pidIn(file: string): Promise<number> {
  for (;;) {
    const text = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
    if (/^\d+$/.test(text)) return Number(text);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Whether the process has ended within `ms` (the group got SIGTERM, SIGKILL 2 s later; the kernel reaps it). */
async function endsWithin(pid: number, ms = 5000): Promise<boolean> {
  for (const t0 = Date.now(); Date.now() - t0 < ms;) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

async function failure(run: Promise<unknown>): Promise<EdgeoptError> {
  const err = await run.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(EdgeoptError);
  return err as EdgeoptError;
}

// a shell that starts a grandchild (which holds the pipes) and records its pid
const TREE = (pidFile: string): string[] => ['sh', '-c', `sleep 300 & echo $! > ${pidFile}; sleep 300`];

describe('exec', () => {
  it('a timeout stops the command and everything it started', async () => {
    const ctx = testContext(HELLO_DEEPA);
    const pidFile = path.join(ctx.tmpDir, 'grandchild.pid');
    const err = await failure(execPlugin.run(ctx, { run: TREE(pidFile), timeout_s: 0.5 }));
    expect(err.message).toMatch(/timed out after 0\.5 s and was stopped/);
    expect(await endsWithin(await pidIn(pidFile))).toBe(true);
  });

  it('an abort (Ctrl-C, SIGTERM) stops the whole process tree too', async () => {
    const abort = new AbortController();
    const ctx = testContext(HELLO_DEEPA, { signal: abort.signal });
    const pidFile = path.join(ctx.tmpDir, 'grandchild.pid');
    const running = execPlugin.run(ctx, { run: TREE(pidFile) });
    const pid = await pidIn(pidFile);
    abort.abort();
    await running.catch(() => undefined);
    expect(await endsWithin(pid)).toBe(true);
  });

  it('keeps only the tail of a flood of output, lines cut to a readable width', async () => {
    const flood = "require('fs').writeSync(2, 'x'.repeat(20e6) + '\\nthe last line\\n'); process.exit(3)";
    const err = await failure(execPlugin.run(testContext(HELLO_DEEPA), { run: [NODE, '-e', flood] }));
    expect(err.message).toMatch(/exited with code 3; its last output:\n/);
    expect(err.message.endsWith('the last line')).toBe(true);
    expect(err.message.length).toBeLessThan(2000);
  });

  it('says when the program does not exist or is not executable', async () => {
    const missing = await failure(execPlugin.run(testContext(HELLO_DEEPA), { run: ['no-such-tool-here', 'x'] }));
    expect(missing.message).toMatch(/could not start: there is no program `no-such-tool-here` on PATH/);
    const notExecutable = await failure(execPlugin.run(testContext(HELLO_DEEPA), { run: [path.resolve(HELLO_DEEPA)] }));
    expect(notExecutable.message).toMatch(/could not start \(EACCES\)/);
  });

  it('a declared output that is a folder is named as such', async () => {
    const err = await failure(execPlugin.run(testContext(HELLO_DEEPA), { run: ['mkdir', '{out}/model.onnx'], outputs: { model: 'model.onnx' } }));
    expect([err.code, err.message]).toEqual(['E_EXEC_OUTPUT', expect.stringMatching(/wrote a folder, not a file, at its declared output model: model\.onnx/)]);
  });
});
