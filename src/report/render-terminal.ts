// The terminal summary printed after a build: per recipe, each SLO's verdict in a table.
import type { Report } from './report-schema.js';
import { formatValue, statusWord } from './format-values.js';
import { coverageSummary, suitabilityText } from './ep-coverage-text.js';
import { epRan } from './report-samples.js';
import { visibleText as t } from './control-chars.js';
import { intervalText, verdictInterval } from './verdict-interval.js';

const color = (code: number, s: string, on: boolean): string => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

type Verdict = Report['slo'][number];

/** "95% CI 11.8–12.9 (n=400), 2 measurements": the gate's interval, its open side and what it rests on. */
function gateInterval(v: Verdict): string {
  const iv = verdictInterval(v);
  if (!iv) return '';
  const i = v.interval as Partial<NonNullable<Verdict['interval']>> | undefined;
  if (typeof i?.measurements !== 'number') return intervalText(iv); // an interval from elsewhere: as it is
  // an open side (too few runs beyond a tail quantile) is unbounded; the figure shown there is only the extreme run
  const open = i.open ? `, ${i.open === 'both' ? 'both sides' : i.open === 'hi' ? 'upper side' : 'lower side'} unbounded` : '';
  const n = i.baseline_measurements === undefined ? `${i.measurements}` : `${i.measurements}+${i.baseline_measurements}`;
  return `${v.bound === 'max_drop' ? 'drop ' : ''}${intervalText(iv)}${open}, ${n} measurement${n === '1' ? '' : 's'}`;
}

function verdictLines(r: Report, useColor: boolean): string[] {
  const rows = r.slo.map((v) => {
    const iv = gateInterval(v);
    return [
      v.status === 'pass' ? color(32, 'PASS', useColor) : v.status === 'fail' ? color(31, 'FAIL', useColor) : color(33, 'N/A ', useColor),
      t(v.metric, true), `${v.bound} ${formatValue(v.limit)}`, formatValue(v.value), t(v.message, true) + (iv ? `  [${iv}]` : ''),
    ];
  });
  // column 0 holds colour codes, so its width is fixed rather than measured
  const widths = [4, ...[1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]!.length), 0))];
  return rows.map((row) => `  ${row.map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c)).join('  ')}`);
}

/** "ran on cpu (preferred …), 1 thread(s), under heavy load (2 busy workers); energy not measurable here". */
function conditionsLine(r: Report, ran: string): string {
  const metrics = r.steps.find((s) => s.kind === 'final')?.metrics;
  const load = metrics?.load as { level?: string; workers?: number } | undefined;
  const energy = metrics?.energy as { measurable?: boolean } | undefined;
  const loaded = load?.level && load.level !== 'idle' ? `, under ${t(load.level, true)} load (${load.workers} busy worker${load.workers === 1 ? '' : 's'})` : '';
  return `  ran on ${t(ran, true)} (preferred ${t(r.target.ep.join(' → '), true)}), ${r.target.threads} thread(s)${loaded}${energy?.measurable === false ? '; energy not measurable here' : ''}`;
}

export function renderTerminal(reports: Report[], useColor: boolean): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push('', color(r.status === 'pass' ? 32 : 31, `${t(r.recipe.name, true)}: ${statusWord(r.status)}`, useColor));
    const ran = epRan(r);
    if (ran) out.push(conditionsLine(r, ran));
    out.push(...verdictLines(r, useColor));
    for (const c of r.ep_coverage ?? []) {
      out.push(`  ${t(c.ep, true)} static coverage: ${t(coverageSummary(c), true)}${c.known ? ` (${suitabilityText(c)})` : ''}`);
    }
    for (const s of r.steps.filter((x) => x.status === 'failed')) out.push(`  step ${t(s.id, true)} failed: ${t(s.error?.message ?? '', true)}`);
    for (const w of r.warnings) out.push(color(33, `  warning: ${t(w).replace(/\n/g, '\n    ')}`, useColor));
  }
  return `${out.join('\n')}\n`;
}
