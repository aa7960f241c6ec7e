// Reports for the renderer tests: one with plausible measurements, one whose every free-text field is hostile.
import type { Report } from '../../../src/report/report-schema.js';
import { mulberry32 } from '../../../src/ort/seeded-random.js';

/** Markup of every language a report is rendered into, line breaks, a control sequence and a format directive. */
export const HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> | pipe `tick` ```fence``` '
  + '**bold** [link](https://example.com) &amp; $x$ 100% %0A ::warning:: a,b:c\nsecond line\r\nthird \u001b[31mred\u001b[0m\u0007 ]]> ';

export const LONG = 'x'.repeat(20_000);

function samples(n: number, median: number, seed: number): number[] {
  const rnd = mulberry32(seed);
  // a lognormal-ish body with a rare slow run: what real latency looks like
  return Array.from({ length: n }, (_, i) => Number((median * Math.exp(0.15 * (rnd() + rnd() + rnd() - 1.5)) * (i % 97 === 5 ? 8 : 1)).toFixed(4)));
}

function bench(median: number, seed: number): Record<string, unknown> {
  const s = samples(200, median, seed);
  const sorted = [...s].sort((a, b) => a - b);
  return {
    latency: { p50_ms: sorted[100], p90_ms: sorted[180], p99_ms: sorted[198], mean_ms: s.reduce((a, b) => a + b, 0) / s.length, max_ms: sorted[199], samples_ms: s },
    size_mb: 0.316, peak_memory_mb: 89.3, throughput_ips: 1000 / median, load_ms: 1.9,
    ep: { requested: ['nnapi', 'cpu'], ran: 'cpu', unavailable: [{ ep: 'nnapi', reason: 'not a backend here' }] },
  };
}

export function sampleReport(name = 'ww', file = '/repo/recipes/ww.yaml'): Report {
  const base = bench(0.1, 1);
  const fin = bench(0.08, 2);
  const p90 = (m: Record<string, unknown>): number => (m.latency as { p90_ms: number }).p90_ms;
  return {
    schema: 'edgeopt-report/1',
    recipe: { name, file },
    status: 'fail',
    versions: { edgeopt: '0.1.0', onnxruntime: '1.30.0', node: '20.20.2' },
    host: { platform: 'linux', arch: 'x64', cpu: 'AMD EPYC', cores: 2, memory_gb: 23.5 },
    target: { format: 'onnx', ep: ['nnapi', 'cpu'], threads: 1 },
    model: { source: { path: '/repo/models/ww.onnx', sha256: 'a'.repeat(64), bytes: 316022 }, final: { path: `.edgeopt/out/${name}/model.onnx`, sha256: 'b'.repeat(64), bytes: 85000 } },
    baseline: { 'latency.p50_ms': 0.1, 'latency.p90_ms': p90(base), size_mb: 0.316, peak_memory_mb: 89.3 },
    final: { 'latency.p50_ms': 0.08, 'latency.p90_ms': p90(fin), size_mb: 0.085, peak_memory_mb: 88.1, speedup_vs_baseline: 1.25 },
    ep: { requested: ['nnapi', 'cpu'], ran: 'cpu', unavailable: [{ ep: 'nnapi', reason: 'not a backend here' }] },
    steps: [
      { id: 'baseline', plugin: 'benchmark', kind: 'baseline', status: 'built', key: 'c'.repeat(64), duration_ms: 180, metrics: base },
      { id: 'int8', plugin: 'quantize', kind: 'step', status: 'built', key: 'd'.repeat(64), duration_ms: 900 },
      { id: 'final', plugin: 'benchmark', kind: 'final', status: 'built', key: 'e'.repeat(64), duration_ms: 170, metrics: fin },
    ],
    slo: [
      { metric: 'latency.p90_ms', bound: 'max', limit: 1, value: p90(fin), status: 'pass', message: `${p90(fin)} ≤ max 1`, location: { file, line: 12, column: 3 } },
      { metric: 'size_mb', bound: 'max', limit: 0.05, value: 0.085, status: 'fail', message: '0.085 > max 0.05', location: { file, line: 13, column: 3 } },
      { metric: 'accuracy.top1', bound: 'max_drop', limit: 0.01, status: 'unmeasured', message: 'accuracy.top1 was not measured by this build, so the SLO cannot be proven', location: { file, line: 14, column: 3 } },
    ],
    ep_coverage: [
      {
        ep: 'nnapi', known: true, source: { files: ['tools/ci_build/github/android/nnapi_supported_ops.md'], ort: 'test' },
        nodes: 25, supported: 21, partitions: 3, partition_sizes: [10, 6, 5], subgraph_nodes: 0,
        unsupported: { 'ai.onnx:ReduceMean': 4 }, suitability: 'poor', caveats: ['ai.onnx:Gemm: B constant.'],
      },
      { ep: 'openvino', known: false, note: 'edgeopt has no static op table for openvino' },
    ],
    warnings: ['baseline, final: measured on cpu, not the preferred nnapi'],
    created_at: '2026-01-01T00:00:00.000Z',
  };
}

/** Every free-text field carries HOSTILE; the failed step's message is very long. */
export function hostileReport(): Report {
  const r = sampleReport(`evil${HOSTILE}`, `/repo/recipes/${HOSTILE}.yaml`);
  r.slo = r.slo.map((v) => ({ ...v, message: `${v.message} ${HOSTILE}` }));
  r.warnings = [HOSTILE, `${HOSTILE}${LONG}`];
  r.host.cpu = HOSTILE;
  r.steps.splice(1, 1, {
    id: 'boom', plugin: `exec${HOSTILE}`, kind: 'step', status: 'failed',
    error: { code: 'E_EXEC_FAILED', message: `${HOSTILE}\n${LONG}`, hint: HOSTILE }, warnings: [HOSTILE],
  });
  r.status = 'fail';
  r.ep = { ...r.ep, unavailable: [{ ep: 'nnapi', reason: HOSTILE }] };
  r.ep_coverage![0]!.unsupported = { [`ai.onnx:${HOSTILE}`]: 1 };
  return r;
}
