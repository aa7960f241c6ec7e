// The terminal summary printed after a build: per recipe, each SLO's verdict in a table.
import type { Report } from './report-schema.js';
import { formatValue, statusWord } from './format-values.js';

const color = (code: number, s: string, on: boolean): string => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

type Verdict = Report['slo'][number];

/** "95% CI 11.8–12.9, 3 runs" next to a noisy verdict's value ("drop" when it bounds a worsening); '' without one. */
function intervalText(v: Verdict): string {
  const i = v.interval;
  if (!i) return '';
  const lo = i.open === 'lo' || i.open === 'both' ? '−∞' : formatValue(i.lo);
  const hi = i.open === 'hi' || i.open === 'both' ? '+∞' : formatValue(i.hi);
  const n = i.baseline_measurements === undefined ? `${i.measurements}` : `${i.measurements}+${i.baseline_measurements}`;
  return `${v.bound === 'max_drop' ? 'drop ' : ''}${Math.round(i.confidence * 100)}% CI ${lo}–${hi}, ${n} measurement${n === '1' ? '' : 's'}`;
}

/** "ran on cpu (preferred …), 1 thread(s), under heavy load (2 busy workers); energy not measurable here". */
function conditionsLine(r: Report, ran: string): string {
  const metrics = r.steps.find((s) => s.kind === 'final')?.metrics;
  const load = metrics?.load as { level?: string; workers?: number } | undefined;
  const energy = metrics?.energy as { measurable?: boolean } | undefined;
  const loaded = load?.level && load.level !== 'idle' ? `, under ${load.level} load (${load.workers} busy worker${load.workers === 1 ? '' : 's'})` : '';
  return `  ran on ${ran} (preferred ${r.target.ep.join(' → ')}), ${r.target.threads} thread(s)${loaded}${energy?.measurable === false ? '; energy not measurable here' : ''}`;
}

export function renderTerminal(reports: Report[], useColor: boolean): string {
  const out: string[] = [];
  for (const r of reports) {
    const head = `${r.recipe.name}: ${statusWord(r.status)}`;
    out.push('', color(r.status === 'pass' ? 32 : 31, head, useColor));
    const ran = r.ep?.ran as string | undefined;
    if (ran) out.push(conditionsLine(r, ran));
    const rows = r.slo.map((v) => [
      v.status === 'pass' ? color(32, 'PASS', useColor) : v.status === 'fail' ? color(31, 'FAIL', useColor) : color(33, 'N/A ', useColor),
      v.metric, `${v.bound} ${formatValue(v.limit)}`, formatValue(v.value), intervalText(v), v.message,
    ]);
    const widths = [4, ...[1, 2, 3, 4].map((i) => Math.max(...rows.map((row) => row[i]!.length), 0))];
    for (const row of rows) out.push(`  ${row.map((c, i) => (i < 5 ? c.padEnd(widths[i]!) : c)).join('  ').replace(/\s+$/, '')}`);
    for (const s of r.steps.filter((x) => x.status === 'failed')) out.push(`  step ${s.id} failed: ${s.error?.message ?? ''}`);
    for (const w of r.warnings) out.push(color(33, `  warning: ${w}`, useColor));
  }
  return `${out.join('\n')}\n`;
}
