// The terminal summary printed after a build: per recipe, each SLO's verdict in a table.
import type { Report } from './report-schema.js';
import { formatValue, statusWord } from './format-values.js';

const color = (code: number, s: string, on: boolean): string => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

export function renderTerminal(reports: Report[], useColor: boolean): string {
  const out: string[] = [];
  for (const r of reports) {
    const head = `${r.recipe.name}: ${statusWord(r.status)}`;
    out.push('', color(r.status === 'pass' ? 32 : 31, head, useColor));
    const ran = r.ep?.ran as string | undefined;
    if (ran) out.push(`  ran on ${ran} (preferred ${r.target.ep.join(' → ')}), ${r.target.threads} thread(s)`);
    const rows = r.slo.map((v) => [
      v.status === 'pass' ? color(32, 'PASS', useColor) : v.status === 'fail' ? color(31, 'FAIL', useColor) : color(33, 'N/A ', useColor),
      v.metric, `${v.bound} ${formatValue(v.limit)}`, formatValue(v.value), v.message,
    ]);
    const widths = [4, ...[1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]!.length), 0))];
    for (const row of rows) out.push(`  ${row.map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c)).join('  ')}`);
    for (const s of r.steps.filter((x) => x.status === 'failed')) out.push(`  step ${s.id} failed: ${s.error?.message ?? ''}`);
    for (const w of r.warnings) out.push(color(33, `  warning: ${w}`, useColor));
  }
  return `${out.join('\n')}\n`;
}
