// A Markdown summary of one or more reports: fits a PR comment and $GITHUB_STEP_SUMMARY (1 MiB per step).
import type { Report } from './report-schema.js';
import { formatValue, statusWord } from './format-values.js';
import { epRan } from './report-samples.js';

const ICON = { pass: '✅', fail: '❌', unmeasured: '⚠️' } as const;

/** GitHub rejects a step summary over 1 MiB; stay well under it, the job may append other steps' output too. */
export const MARKDOWN_BUDGET_BYTES = 512 * 1024;
const ERROR_CHARS = 2000;

/** A table cell: no line breaks, no column separators. */
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}\n… (${s.length - max} more characters in report.json)`;
}

function renderOne(r: Report): string[] {
  const lines: string[] = [`## ${r.recipe.name}: ${statusWord(r.status)}`, ''];
  lines.push(`Target: \`${r.target.format}\` on **${epRan(r) ?? 'n/a'}** (preferred: ${r.target.ep.join(' → ')}), ${r.target.threads} thread(s).`, '');
  if (r.slo.length > 0) {
    lines.push('| SLO | bound | value | baseline | verdict |', '|---|---|---|---|---|');
    for (const v of r.slo) {
      lines.push(`| \`${v.metric}\` | ${v.bound} ${formatValue(v.limit)} | ${formatValue(v.value)} | ${formatValue(v.baseline)} | ${ICON[v.status]} ${cell(v.message)} |`);
    }
    lines.push('');
  }
  lines.push('| step | plugin | status | time |', '|---|---|---|---|');
  for (const s of r.steps) {
    lines.push(`| ${cell(s.id)} | ${cell(s.plugin)} | ${s.status}${s.error ? ` (\`${s.error.code}\`)` : ''} | ${s.duration_ms === undefined ? '' : `${(s.duration_ms / 1000).toFixed(2)} s`} |`);
  }
  lines.push('');
  for (const s of r.steps.filter((x) => x.status === 'failed' && x.error)) {
    // a fence longer than any backtick run inside, so tool output cannot close it early
    const fence = '`'.repeat(Math.max(3, ...[...(s.error!.message.matchAll(/`+/g))].map((m) => m[0].length + 1)));
    lines.push(`**Step \`${s.id}\` failed** (\`${s.error!.code}\`):`, '', fence, clip(s.error!.message, ERROR_CHARS), fence, '');
    if (s.error!.hint) lines.push(`Hint: ${s.error!.hint.replace(/\r?\n/g, ' ')}`, '');
  }
  for (const w of r.warnings) lines.push(`> ⚠️ ${w.replace(/\r?\n/g, ' ')}`);
  if (r.warnings.length) lines.push('');
  return lines;
}

export function renderMarkdown(reports: Report[]): string {
  const lines: string[] = ['# edgeopt build', ''];
  let bytes = 0;
  for (const [i, r] of reports.entries()) {
    const part = renderOne(r);
    const size = Buffer.byteLength(part.join('\n'));
    if (bytes + size > MARKDOWN_BUDGET_BYTES) {
      lines.push(`_${reports.length - i} more recipe(s) left out to fit the step summary: ${reports.slice(i).map((x) => `${x.recipe.name} (${statusWord(x.status)})`).join(', ')}; see their report.md._`, '');
      break;
    }
    bytes += size;
    lines.push(...part);
  }
  return `${lines.join('\n')}\n`;
}
