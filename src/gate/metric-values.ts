// Flattens step metrics (benchmark, evaluate) into the named values SLOs speak of, e.g. "latency.p90_ms".

export type MetricValues = Record<string, number>;

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Benchmark plugin metrics → SLO metric names. */
export function benchmarkValues(metrics: Record<string, unknown> | undefined): MetricValues {
  const out: MetricValues = {};
  if (!metrics) return out;
  const latency = (metrics.latency ?? {}) as Record<string, unknown>;
  for (const p of ['p50_ms', 'p90_ms', 'p99_ms', 'mean_ms', 'max_ms']) {
    const v = num(latency[p]);
    if (v !== undefined) out[`latency.${p}`] = v;
  }
  for (const k of ['throughput_ips', 'size_mb', 'peak_memory_mb', 'load_ms']) {
    const v = num(metrics[k]);
    if (v !== undefined) out[k] = v;
  }
  const energy = metrics.energy as { measurable?: boolean; mj_per_inference?: number } | undefined;
  if (energy?.measurable && num(energy.mj_per_inference) !== undefined) out.energy_mj = energy.mj_per_inference!;
  return out;
}

/** Values that compare the final model with the baseline. */
export function relativeValues(final: MetricValues, baseline: MetricValues): MetricValues {
  const out: MetricValues = {};
  const b = baseline['latency.p50_ms'];
  const f = final['latency.p50_ms'];
  if (b !== undefined && f !== undefined && f > 0) out.speedup_vs_baseline = b / f;
  return out;
}

/** Evaluate plugin metrics ({ accuracy: {top1, ...}, fidelity: {cosine, ...} }) → "accuracy.top1", "fidelity.cosine"… */
export function evaluationValues(metrics: Record<string, unknown> | undefined): MetricValues {
  const out: MetricValues = {};
  for (const group of ['accuracy', 'fidelity']) {
    const values = (metrics?.[group] ?? {}) as Record<string, unknown>;
    for (const [name, v] of Object.entries(values)) {
      const n = num(v);
      if (n !== undefined) out[`${group}.${name}`] = n;
    }
  }
  return out;
}
