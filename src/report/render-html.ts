// report.html: one recipe's verdicts, latency distributions and baseline-vs-optimized plots in a single self-contained page.
import path from 'node:path';
import { HIGHER_IS_BETTER } from '../recipe/schema.js';
import { epCoverageSection } from './html-ep-coverage.js';
import { COLORS, htmlPage } from './html-page.js';
import { escapeMarkup as e } from './markup-escape.js';
import { formatValue, statusWord } from './format-values.js';
import type { Report } from './report-schema.js';
import { epRan, latencySamples } from './report-samples.js';
import { intervalText, verdictInterval } from './verdict-interval.js';
import { changeText, renderComparisonBars, type BarRow } from './svg-bar-plot.js';
import { renderLatencyPlot, type LatencySeries } from './svg-latency-plot.js';

const BAR_METRICS: Array<[string, string]> = [['size_mb', 'MB'], ['latency.p50_ms', 'ms'], ['latency.p90_ms', 'ms'], ['peak_memory_mb', 'MB']];

export function renderHtml(report: Report): string {
  const r = report;
  const body = [
    `<h1>${e(r.recipe.name)} <span class="status ${r.status}" id="status">${e(statusWord(r.status))}</span></h1>`,
    headerMeta(r),
    `<h2>SLO verdicts</h2>`, verdictTable(r),
    failedSteps(r),
    `<h2>Latency distribution</h2>`, latencySection(r),
    `<h2>Baseline vs optimized</h2>`, comparisonSection(r),
    epCoverageSection(r),
    `<h2>Steps</h2>`, stepsTable(r),
    warningsSection(r),
    `<p class="note">edgeopt ${e(r.versions.edgeopt)} · onnxruntime ${e(r.versions.onnxruntime)} · node ${e(r.versions.node)} · ${e(r.host.cpu)} (${r.host.cores} cores, ${r.host.memory_gb} GB, ${e(r.host.platform)}/${e(r.host.arch)}) · ${e(r.created_at)}</p>`,
  ];
  return htmlPage(`edgeopt: ${r.recipe.name}`, body.join('\n'));
}

function headerMeta(r: Report): string {
  const ran = epRan(r);
  const unavailable = Array.isArray(r.ep?.unavailable) ? (r.ep.unavailable as Array<{ ep?: unknown; reason?: unknown }>) : [];
  const why = unavailable.map((u) => `<li><code>${e(String(u.ep))}</code>: ${e(String(u.reason))}</li>`).join('');
  const final = r.model.final ? ` → <code>${e(r.model.final.path)}</code> (${formatValue(r.model.final.bytes / 1e6)} MB)` : '';
  return [
    `<p class="meta">Recipe <code>${e(r.recipe.file)}</code></p>`,
    `<p class="meta" id="ep">Ran on <strong>${e(ran ?? 'n/a')}</strong> (preferred ${e(r.target.ep.join(' → '))}), ${r.target.threads} thread(s), format ${e(r.target.format)}</p>`,
    why ? `<ul class="note">${why}</ul>` : '',
    `<p class="meta">Model <code>${e(path.basename(r.model.source.path))}</code> (${formatValue(r.model.source.bytes / 1e6)} MB)${final}</p>`,
  ].join('\n');
}

function verdictTable(r: Report): string {
  if (r.slo.length === 0) return `<p class="note">${r.status === 'error' ? 'No verdicts: a step failed before the gate.' : 'This recipe sets no SLOs.'}</p>`;
  const rows = r.slo.map((v) => {
    const where = v.location ? `${path.basename(v.location.file)}:${v.location.line}` : '';
    const iv = verdictInterval(v);
    const interval = iv ? `<br><span class="note interval">${e(intervalText(iv))}</span>` : '';
    return `<tr class="verdict ${v.status}"><td><code>${e(v.metric)}</code></td><td>${e(v.bound)} ${formatValue(v.limit)}</td>`
      + `<td class="num">${formatValue(v.value)}${interval}</td><td class="num">${formatValue(v.baseline)}</td>`
      + `<td><span class="status ${v.status}">${v.status}</span></td><td>${e(v.message)}</td><td><code>${e(where)}</code></td></tr>`;
  });
  return `<table id="verdicts"><thead><tr><th>metric</th><th>bound</th><th>value</th><th>baseline</th><th>verdict</th><th>detail</th><th>recipe line</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function failedSteps(r: Report): string {
  const failed = r.steps.filter((s) => s.status === 'failed');
  if (failed.length === 0) return '';
  const items = failed.map((s) => `<li><strong>${e(s.id)}</strong> (${e(s.plugin)}): <code>${e(s.error?.code ?? '')}</code> ${e(s.error?.message ?? '')}${s.error?.hint ? `<br><span class="note">${e(s.error.hint)}</span>` : ''}</li>`);
  return `<h2>Failed steps</h2><ul id="failed-steps">${items.join('')}</ul>`;
}

function latencySection(r: Report): string {
  const series: LatencySeries[] = [];
  const baseline = latencySamples(r, 'baseline');
  const final = latencySamples(r, 'final');
  if (baseline) series.push({ label: 'baseline', samples: baseline, color: COLORS.baseline });
  if (final) series.push({ label: 'optimized', samples: final, color: COLORS.final });
  if (series.length === 0) return '<p class="note">No latency samples in this report.</p>';
  const { svg, notes } = renderLatencyPlot(series, `${r.recipe.name}: latency per run, baseline vs optimized`);
  return [svg, ...notes.map((n) => `<p class="note">${e(n)}</p>`)].join('\n');
}

function comparisonSection(r: Report): string {
  const rows: BarRow[] = BAR_METRICS.map(([metric, unit]) => ({
    metric, unit,
    ...(r.baseline?.[metric] !== undefined ? { baseline: r.baseline[metric] } : {}),
    ...(r.final?.[metric] !== undefined ? { final: r.final[metric] } : {}),
  }));
  const bars = rows.some((x) => x.baseline !== undefined || x.final !== undefined)
    ? renderComparisonBars(rows, `${r.recipe.name}: baseline vs optimized`, COLORS)
    : '<p class="note">Nothing was measured.</p>';
  const names = [...new Set([...Object.keys(r.baseline ?? {}), ...Object.keys(r.final ?? {})])].sort();
  const table = names.map((m) => {
    const row: BarRow = { metric: m, unit: '', ...(r.baseline?.[m] !== undefined ? { baseline: r.baseline[m] } : {}), ...(r.final?.[m] !== undefined ? { final: r.final[m] } : {}) };
    const change = changeText(row);
    const dir = HIGHER_IS_BETTER.has(m) ? '↑' : '↓';
    return `<tr><td><code>${e(m)}</code> <span class="note" title="${HIGHER_IS_BETTER.has(m) ? 'higher' : 'lower'} is better">${dir}</span></td><td class="num">${formatValue(row.baseline)}</td><td class="num">${formatValue(row.final)}</td><td class="num ${change?.cls ?? ''}">${e(change?.text ?? '')}</td></tr>`;
  });
  const metricsTable = names.length
    ? `<table id="metrics"><thead><tr><th>metric</th><th>baseline</th><th>optimized</th><th>change</th></tr></thead><tbody>${table.join('')}</tbody></table>`
    : '';
  return `${bars}\n${metricsTable}`;
}

function stepsTable(r: Report): string {
  const rows = r.steps.map((s) => `<tr><td>${e(s.id)}</td><td>${e(s.plugin)}</td><td>${e(s.kind)}</td><td>${e(s.status)}${s.changed_inputs?.length ? ` <span class="note">(changed: ${e(s.changed_inputs.join(', '))})</span>` : ''}</td>`
    + `<td class="num">${s.duration_ms === undefined ? '' : `${(s.duration_ms / 1000).toFixed(2)} s`}</td><td><code>${e((s.key ?? '').slice(0, 12))}</code></td></tr>`);
  return `<table id="steps"><thead><tr><th>step</th><th>plugin</th><th>kind</th><th>status</th><th>time</th><th>cache key</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function warningsSection(r: Report): string {
  if (r.warnings.length === 0) return '';
  return `<h2>Warnings</h2><ul class="warnings" id="warnings">${r.warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul>`;
}
