// The exit-code contract through the real CLI: 0 met, 1 missed, 2 invalid, 3 a step failed.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { makeProject, QUICK_BENCH, REPO, runCli, WAKEWORD } from './cli-harness.js';

const reportSchema = JSON.parse(await fs.readFile(path.join(REPO, 'schemas/report.schema.json'), 'utf8'));
const validateReport = new Ajv2020({ strict: false, allErrors: true }).compile(reportSchema);

const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await fs.rm(d, { recursive: true, force: true }); });

const recipe = (slo: string, steps = ''): string => `name: ww
model: ../models/ww.onnx
${steps}
target: { ep: [cpu], threads: 1 }
${QUICK_BENCH}
slo:
${slo}
`;

async function project(files: Record<string, string | Buffer | { copy: string }>): Promise<string> {
  const dir = await makeProject({ 'models/ww.onnx': { copy: WAKEWORD }, ...files });
  dirs.push(dir);
  return dir;
}

describe('edgeopt build exit codes', () => {
  it('0 when every SLO is met; the report and the model land in .edgeopt/out', async () => {
    const dir = await project({ 'recipes/ok.yaml': recipe('  size_mb: { max: 10 }\n  latency.p90_ms: { max: 10000 }') });
    const r = await runCli(['build'], dir);
    expect(r.stderr + r.stdout).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(await fs.readFile(path.join(dir, '.edgeopt/out/ww/report.json'), 'utf8'));
    expect(report.status).toBe('pass');
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.slo.map((v: { status: string }) => v.status)).toEqual(['pass', 'pass']);
    expect(report.ep.ran).toBe('cpu');
    expect((await fs.stat(path.join(dir, '.edgeopt/out/ww/model.onnx'))).size).toBe((await fs.stat(WAKEWORD)).size);
    expect(r.stdout).toMatch(/PASS\s+latency\.p90_ms/);
  });

  it('1 when an SLO is missed, with the reports still written', async () => {
    const dir = await project({ 'recipes/miss.yaml': recipe('  size_mb: { max: 0.01 }') });
    const r = await runCli(['build'], dir);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+size_mb/);
    const report = JSON.parse(await fs.readFile(path.join(dir, '.edgeopt/out/ww/report.json'), 'utf8'));
    expect(report.status).toBe('fail');
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.slo[0].location.line).toBe(7); // the `size_mb` line
    await fs.access(path.join(dir, '.edgeopt/out/ww/report.md'));
  });

  it('2 for an invalid recipe, with file:line:col and a hint, and nothing run', async () => {
    const dir = await project({ 'recipes/bad.yaml': recipe('  size_mb: { max: 10 }').replace('threads: 1', 'thread: 1') });
    const r = await runCli(['build'], dir);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/recipes\/bad\.yaml:4:\d+/);
    expect(r.stderr).toMatch(/threads/);
    await expect(fs.access(path.join(dir, '.edgeopt/out'))).rejects.toThrow();
  });

  it('2 for a usage error', async () => {
    const dir = await project({});
    const r = await runCli(['biuld'], dir);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/did you mean `edgeopt build`/);
  });

  it('2 for --only with a misspelt step, with the step meant', async () => {
    const dir = await project({ 'recipes/ok.yaml': recipe('  size_mb: { max: 10 }', 'steps:\n  - id: opt\n    uses: optimize\n    with: { level: basic }') });
    const r = await runCli(['build', '--only', 'otp'], dir);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--only otp: no recipe has a step with that id\n {2}hint: did you mean `--only opt`\?/);
    await expect(fs.access(path.join(dir, '.edgeopt'))).rejects.toThrow();
  });

  it('3 when a step fails; the message names the step and no stack trace is printed', async () => {
    const steps = `steps:\n  - id: boom\n    uses: exec\n    with: { run: ["${process.execPath}", "-e", "console.error('kaput'); process.exit(4)"], outputs: { model: m.onnx } }`;
    const dir = await project({ 'recipes/fail.yaml': recipe('  size_mb: { max: 10 }', steps) });
    const r = await runCli(['build'], dir);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/E_EXEC_FAILED/);
    expect(r.stderr).toMatch(/kaput/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const report = JSON.parse(await fs.readFile(path.join(dir, '.edgeopt/out/ww/report.json'), 'utf8'));
    expect(report.status).toBe('error');
    await expect(fs.access(path.join(dir, '.edgeopt/out/ww/model.onnx'))).rejects.toThrow();
  });

  it('2 for a corrupt model file, placed at the recipe line that names it, before anything runs', async () => {
    const dir = await project({ 'models/ww.onnx': Buffer.from('this is not a protobuf at all'), 'recipes/c.yaml': recipe('  size_mb: { max: 10 }') });
    const r = await runCli(['build'], dir);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/recipes\/c\.yaml:2:8 {2}E_MODEL_CORRUPT {2}`model`: model file `\.\.\/models\/ww\.onnx` is not an ONNX model/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    await expect(fs.access(path.join(dir, '.edgeopt/out'))).rejects.toThrow();
  });
});

describe('a cache or output folder edgeopt cannot write', () => {
  it('is exit 2 before anything runs, naming the folder and the way out', async () => {
    // a file where the cache folder goes fails for every user, root included
    const dir = await project({ 'recipes/ok.yaml': recipe('  size_mb: { max: 10 }'), '.edgeopt/cache': 'not a folder' });
    const r = await runCli(['build'], dir);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/E_NOT_WRITABLE {2}cannot write the cache folder .*\.edgeopt\/cache: a file is in the way of the folder/);
    expect(r.stderr).toMatch(/EDGEOPT_CACHE_DIR/);
  });

  it.skipIf(process.getuid?.() === 0)('a read-only .edgeopt (permissions do not bind root, so this runs as another user)', async () => {
    const dir = await project({ 'recipes/ok.yaml': recipe('  size_mb: { max: 10 }') });
    await fs.mkdir(path.join(dir, '.edgeopt'), { recursive: true });
    await fs.chmod(path.join(dir, '.edgeopt'), 0o555);
    const r = await runCli(['build'], dir);
    await fs.chmod(path.join(dir, '.edgeopt'), 0o755);
    expect([r.exitCode, r.stderr]).toEqual([2, expect.stringMatching(/E_NOT_WRITABLE .*permission denied/)]);
  });
});
