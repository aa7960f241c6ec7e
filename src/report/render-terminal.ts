// The terminal summary printed after a build: per recipe, each SLO's verdict in a table.
import type { Report } from './report-schema.js';
import { formatValue, statusWord } from './format-values.js';
import { coverageSummary, suitabilityText } from './ep-coverage-text.js';
import { epRan } from './report-samples.js';
import { visibleText as t } from './control-chars.js';
import { intervalText, verdictInterval } from './verdict-interval.js';

const color = (code: number, s: string, on: boolean): string => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

function verdictLines(r: Report, useColor: boolean): string[] {
  const rows = r.slo.map((v) => {
    const iv = verdictInterval(v);
    return [
      v.status === 'pass' ? color(32, 'PASS', useColor) : v.status === 'fail' ? color(31, 'FAIL', useColor) : color(33, 'N/A ', useColor),
      t(v.metric, true), `${v.bound} ${formatValue(v.limit)}`, formatValue(v.value), t(v.message, true) + (iv ? `  [${intervalText(iv)}]` : ''),
    ];
  });
  // column 0 holds colour codes, so its width is fixed rather than measured
  const widths = [4, ...[1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]!.length), 0))];
  return rows.map((row) => `  ${row.map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c)).join('  ')}`);
}

export function renderTerminal(reports: Report[], useColor: boolean): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push('', color(r.status === 'pass' ? 32 : 31, `${t(r.recipe.name, true)}: ${statusWord(r.status)}`, useColor));
    const ran = epRan(r);
    if (ran) out.push(`  ran on ${t(ran, true)} (preferred ${t(r.target.ep.join(' → '), true)}), ${r.target.threads} thread(s)`);
    out.push(...verdictLines(r, useColor));
    for (const c of r.ep_coverage ?? []) {
      out.push(`  ${t(c.ep, true)} static coverage: ${t(coverageSummary(c), true)}${c.known ? ` (${suitabilityText(c)})` : ''}`);
    }
    for (const s of r.steps.filter((x) => x.status === 'failed')) out.push(`  step ${t(s.id, true)} failed: ${t(s.error?.message ?? '', true)}`);
    for (const w of r.warnings) out.push(color(33, `  warning: ${t(w).replace(/\n/g, '\n    ')}`, useColor));
  }
  return `${out.join('\n')}\n`;
}
