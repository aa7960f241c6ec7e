// A Markdown summary of one or more reports: fits a PR comment and $GITHUB_STEP_SUMMARY.
import type { Report } from './report-schema.js';
import { formatValue, statusWord } from './format-values.js';

const ICON = { pass: '✅', fail: '❌', unmeasured: '⚠️' } as const;

export function renderMarkdown(reports: Report[]): string {
  const lines: string[] = ['# edgeopt build', ''];
  for (const r of reports) {
    lines.push(`## ${r.recipe.name}: ${statusWord(r.status)}`, '');
    const ran = (r.ep?.ran as string | undefined) ?? 'n/a';
    lines.push(`Target: \`${r.target.format}\` on **${ran}** (preferred: ${r.target.ep.join(' → ')}), ${r.target.threads} thread(s).`, '');
    if (r.slo.length > 0) {
      lines.push('| SLO | bound | value | baseline | verdict |', '|---|---|---|---|---|');
      for (const v of r.slo) {
        lines.push(`| \`${v.metric}\` | ${v.bound} ${formatValue(v.limit)} | ${formatValue(v.value)} | ${formatValue(v.baseline)} | ${ICON[v.status]} ${v.message} |`);
      }
      lines.push('');
    }
    lines.push('| step | plugin | status | time |', '|---|---|---|---|');
    for (const s of r.steps) {
      lines.push(`| ${s.id} | ${s.plugin} | ${s.status}${s.error ? `: ${s.error.message}` : ''} | ${s.duration_ms === undefined ? '' : `${(s.duration_ms / 1000).toFixed(2)} s`} |`);
    }
    lines.push('');
    for (const w of r.warnings) lines.push(`> ⚠️ ${w}`);
    if (r.warnings.length) lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
