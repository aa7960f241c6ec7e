// `edgeopt diff` through the real CLI, on the report.json of a real build and edited copies of it.
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REPORT_BYTES } from '../../src/report/read-report.js';
import type { Report } from '../../src/report/report-schema.js';
import { makeProject, QUICK_BENCH, runCli, WAKEWORD } from './cli-harness.js';

let dir: string;
let built: Report;

async function writeReport(rel: string, edit: (r: Report) => void = () => {}): Promise<string> {
  const r = structuredClone(built);
  edit(r);
  const file = path.join(dir, rel);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, JSON.stringify(r));
  return rel;
}

beforeAll(async () => {
  dir = await makeProject({
    'models/ww.onnx': { copy: WAKEWORD },
    'recipes/ww.yaml': `name: ww\nmodel: ../models/ww.onnx\ntarget: { ep: [cpu], threads: 1 }\n${QUICK_BENCH}\nslo:\n  size_mb: { max: 10 }\n`,
  });
  const r = await runCli(['build'], dir);
  expect(r.exitCode).toBe(0);
  built = JSON.parse(await fs.readFile(path.join(dir, '.edgeopt/out/ww/report.json'), 'utf8')) as Report;
});
afterAll(async () => { if (dir) await fs.rm(dir, { recursive: true, force: true }); });

const p90 = (r: Report): number => r.final!['latency.p90_ms']!;

describe('edgeopt diff', () => {
  it('0 for the same build compared with itself (a file against its output folder)', async () => {
    const r = await runCli(['diff', '.edgeopt/out/ww/report.json', '.edgeopt/out'], dir);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^ {2}latency\.p90_ms ↓ .* ±0\.0% {2}same$/m);
    expect(r.stdout).toMatch(/^ {2}throughput_ips ↑ /m);
    expect(r.stdout).toMatch(/no metric regressed beyond its tolerance/);
  });

  it('1 when p90 got 20% slower against the default 5%; a per-metric tolerance lets it through', async () => {
    const slower = await writeReport('new/report.json', (r) => { r.final!['latency.p90_ms'] = p90(built) * 1.2; });
    const r = await runCli(['diff', '.edgeopt/out/ww/report.json', slower], dir);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^ {2}latency\.p90_ms ↓ .*\+20\.0% {2}REGRESSED \(tolerance 5%\)$/m);
    expect(r.stdout).toMatch(/1 metric\(s\) regressed beyond tolerance: ww latency\.p90_ms/);
    const within = await runCli(['diff', '.edgeopt/out/ww/report.json', slower, '--tolerance', 'latency.p90_ms=25%'], dir);
    expect(within.exitCode).toBe(0);
    expect(within.stdout).toMatch(/latency\.p90_ms ↓ .*worse, within 25%$/m);
  });

  it('takes tolerances from the project config; the command line adds to them and wins', async () => {
    const slower = await writeReport('cfg/report.json', (r) => { r.final!['latency.p90_ms'] = p90(built) * 1.2; });
    const project = await makeProject({});
    await fs.writeFile(path.join(project, 'edgeopt.config.json'), JSON.stringify({ diff: { tolerance: ['latency.p90_ms=25%'] } }));
    const [a, b] = [path.join(dir, '.edgeopt/out/ww/report.json'), path.join(dir, slower)];
    try {
      const within = await runCli(['diff', a, b], project);
      expect(within.exitCode).toBe(0);
      expect(within.stdout).toMatch(/latency\.p90_ms ↓ .*worse, within 25%$/m);
      const strict = await runCli(['diff', a, b, '--tolerance', 'latency.p90_ms=10%'], project);
      expect(strict.exitCode).toBe(1);
      await fs.writeFile(path.join(project, 'edgeopt.config.json'), JSON.stringify({ diff: { tolerance: [] } }));
      const bad = await runCli(['diff', a, b], project);
      expect(bad.exitCode).toBe(2);
      expect(bad.stderr).toMatch(/edgeopt\.config\.json:1:\d+/);
    } finally {
      await fs.rm(project, { recursive: true, force: true });
    }
  });

  it('knows the direction of each metric: lower throughput regresses, a smaller model improves; absolute tolerances', async () => {
    const file = await writeReport('dir/ww/report.json', (r) => {
      r.final!.throughput_ips = r.final!.throughput_ips! * 0.5;
      r.final!.size_mb = r.final!.size_mb! / 2;
    });
    const r = await runCli(['diff', '.edgeopt/out', 'dir', '--json'], dir);
    expect(r.exitCode).toBe(1);
    const diff = JSON.parse(r.stdout) as { recipes: Array<{ changes: Array<{ metric: string; verdict: string; exceeded: boolean; relative: number }> }> };
    const byMetric = Object.fromEntries(diff.recipes[0]!.changes.map((c) => [c.metric, c]));
    expect(byMetric.throughput_ips).toMatchObject({ verdict: 'worse', exceeded: true });
    expect(byMetric.throughput_ips!.relative).toBeCloseTo(-0.5, 9);
    expect(byMetric.size_mb).toMatchObject({ verdict: 'better', exceeded: false });
    const absolute = await runCli(['diff', '.edgeopt/out', file, '--tolerance', '0', '--tolerance', `throughput_ips=${built.final!.throughput_ips!}`], dir);
    expect(absolute.exitCode).toBe(0);
  });

  it.each([
    [['nope.json', '.edgeopt/out'], /E_DIFF_INPUT {2}nope\.json: no such file/],
    [['recipes/ww.yaml', '.edgeopt/out'], /recipes\/ww\.yaml is not JSON/],
    [['edgeopt.config.json', '.edgeopt/out'], /edgeopt\.config\.json is not an edgeopt report: expected "schema": "edgeopt-report\/1" at its top level, found no "schema" field/],
    [['.edgeopt/out'], /edgeopt diff takes two reports, got 1/],
    [['.edgeopt/out', '.edgeopt/out', '--tolerance', 'latency.p90=5%'], /unknown metric "latency\.p90"[\s\S]*did you mean latency\.p90_ms\?/],
    [['.edgeopt/out', '.edgeopt/out', '--tolerance', 'five'], /"five" is neither a percentage/],
  ])('2 for bad input: %j', async (args, message) => {
    const r = await runCli(['diff', ...args], dir);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('2 for what is not a report file: a device, a named pipe (would wait for a writer), a file over 256 MB', async () => {
    const fifo = path.join(dir, 'pipe.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const huge = path.join(dir, 'huge.json');
    await fs.writeFile(huge, '');
    await fs.truncate(huge, MAX_REPORT_BYTES + 1); // sparse: no disk, no time
    const cases: Array<[string, RegExp]> = [
      ['/dev/zero', /E_DIFF_INPUT {2}\/dev\/zero is a character device, not a regular file/],
      ['pipe.json', /E_DIFF_INPUT {2}pipe\.json is a named pipe, not a regular file/],
      ['huge.json', /E_DIFF_INPUT {2}huge\.json holds more than 256 MB, far more than any report\.json/],
    ];
    for (const [file, message] of cases) {
      const r = await runCli(['diff', file, '.edgeopt/out'], dir);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('2 for a report that breaks the schema, naming the field', async () => {
    const broken = await writeReport('broken/report.json', (r) => { (r.slo as unknown[]).push({ metric: 'size_mb', status: 'maybe' }); });
    const r = await runCli(['diff', '.edgeopt/out', broken], dir);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/broken\/report\.json does not match the report schema: \/slo\/\d+ must have required property/);
  });
});
