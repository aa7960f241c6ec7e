// `edgeopt diff` output: per recipe, a row per metric with old, new, the change and whether it is within tolerance.
import { visibleText as t } from './control-chars.js';
import { toleranceText } from './diff-tolerance.js';
import { formatValue } from './format-values.js';
import type { MetricChange, ReportDiff } from './report-diff.js';

const signed = (v: number): string => `${v > 0 ? '+' : v < 0 ? '−' : '±'}${formatValue(Math.abs(v))}`;

function changeCells(c: MetricChange): string[] {
  const arrow = c.better === 'higher' ? '↑' : '↓';
  const delta = c.delta === undefined ? '' : signed(c.delta);
  const pct = c.relative === undefined ? undefined : c.relative * 100;
  // one decimal, so +20% and +20.000001% read the same
  const rel = pct === undefined ? '' : `${pct > 0 ? '+' : pct < 0 ? '−' : '±'}${Math.abs(pct).toFixed(1)}%`;
  const mark = c.exceeded ? `REGRESSED (tolerance ${toleranceText(c.tolerance)})`
    : c.verdict === 'worse' ? `worse, within ${toleranceText(c.tolerance)}`
      : c.verdict === 'only-old' ? 'only in old' : c.verdict === 'only-new' ? 'only in new' : c.verdict;
  return [`${c.metric} ${arrow}`, formatValue(c.old), formatValue(c.new), delta, rel, mark];
}

export function renderDiff(d: ReportDiff): string {
  const out: string[] = [];
  for (const r of d.recipes) {
    const status = r.status.old === r.status.new ? r.status.new : `${r.status.old} → ${r.status.new}`;
    out.push(`${t(r.recipe, true)} (${status})`);
    const rows = [['metric', 'old', 'new', 'change', 'relative', ''], ...r.changes.map(changeCells)];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
    for (const row of rows) out.push(`  ${row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : i < 5 ? c.padStart(widths[i]!) : c)).join('  ')}`.trimEnd());
    if (r.changes.length === 0) out.push('  (neither report measured the final model)');
    out.push('');
  }
  if (d.onlyOld.length) out.push(`only in old: ${d.onlyOld.map((n) => t(n, true)).join(', ')}`);
  if (d.onlyNew.length) out.push(`only in new: ${d.onlyNew.map((n) => t(n, true)).join(', ')}`);
  const bad = d.recipes.flatMap((r) => r.changes.filter((c) => c.exceeded).map((c) => `${r.recipe} ${c.metric}`));
  out.push(bad.length ? `${bad.length} metric(s) regressed beyond tolerance: ${bad.map((b) => t(b, true)).join(', ')}` : 'no metric regressed beyond its tolerance');
  return `${out.join('\n')}\n`;
}
