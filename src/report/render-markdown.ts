// A Markdown summary of one or more reports: fits a PR comment and $GITHUB_STEP_SUMMARY (1 MiB per step).
import type { Report } from './report-schema.js';
import { formatValue, statusWord } from './format-values.js';
import { visibleText } from './control-chars.js';
import { markdownCode, markdownFence, markdownInline as md } from './markdown-escape.js';
import { coverageSummary, notTakenText, suitabilityText } from './ep-coverage-text.js';
import { epRan } from './report-samples.js';
import { intervalText, verdictInterval } from './verdict-interval.js';

const ICON = { pass: '✅', fail: '❌', unmeasured: '⚠️' } as const;

/** GitHub rejects a step summary over 1 MiB; stay well under it, the job may append other steps' output too. */
export const MARKDOWN_BUDGET_BYTES = 512 * 1024;
const ERROR_CHARS = 2000;
/** warnings past this many are counted, not listed: report.json has them all */
const MAX_WARNINGS = 30;

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}\n… (${s.length - max} more characters in report.json)`;
}

function verdictRows(r: Report): string[] {
  if (r.slo.length === 0) return [];
  const rows = ['| SLO | bound | value | baseline | verdict |', '|---|---|---|---|---|'];
  for (const v of r.slo) {
    const iv = verdictInterval(v);
    const value = `${formatValue(v.value)}${iv ? ` (${md(intervalText(iv))})` : ''}`;
    rows.push(`| ${markdownCode(v.metric)} | ${v.bound} ${formatValue(v.limit)} | ${value} | ${formatValue(v.baseline)} | ${ICON[v.status]} ${md(v.message)} |`);
  }
  return [...rows, ''];
}

function stepRows(r: Report): string[] {
  const rows = ['| step | plugin | status | time |', '|---|---|---|---|'];
  for (const s of r.steps) {
    const code = s.error ? ` (${markdownCode(s.error.code)})` : '';
    rows.push(`| ${md(s.id, 100)} | ${md(s.plugin, 100)} | ${s.status}${code} | ${s.duration_ms === undefined ? '' : `${(s.duration_ms / 1000).toFixed(2)} s`} |`);
  }
  return [...rows, ''];
}

function coverageRows(r: Report): string[] {
  if (!r.ep_coverage?.length) return [];
  const rows = ['| EP (static coverage) | nodes taken | verdict | not taken |', '|---|---|---|---|'];
  for (const c of r.ep_coverage) rows.push(`| ${md(c.ep, 40)} | ${md(coverageSummary(c))} | ${md(c.known ? suitabilityText(c) : '')} | ${md(notTakenText(c))} |`);
  return [...rows, ''];
}

function failedStepBlocks(r: Report): string[] {
  const lines: string[] = [];
  for (const s of r.steps) {
    if (s.status !== 'failed' || !s.error) continue;
    const message = clip(visibleText(s.error.message), ERROR_CHARS);
    const fence = markdownFence(message);
    lines.push(`**Step ${markdownCode(s.id)} failed** (${markdownCode(s.error.code)}):`, '', fence, message, fence, '');
    if (s.error.hint) lines.push(`Hint: ${md(s.error.hint, ERROR_CHARS)}`, '');
  }
  return lines;
}

function warningLines(r: Report): string[] {
  if (r.warnings.length === 0) return [];
  const shown = r.warnings.slice(0, MAX_WARNINGS).map((w) => `> ⚠️ ${md(w)}`);
  // a blank quote line between items keeps them separate paragraphs inside one quote
  const lines = shown.flatMap((w, i) => (i ? ['>', w] : [w]));
  if (r.warnings.length > MAX_WARNINGS) lines.push('>', `> … and ${r.warnings.length - MAX_WARNINGS} more warning(s) in report.json`);
  return [...lines, ''];
}

function renderOne(r: Report): string[] {
  const ep = epRan(r);
  const preferred = r.target.ep.map((e) => md(e, 40)).join(' → ');
  return [
    `## ${md(r.recipe.name, 200)}: ${statusWord(r.status)}`, '',
    `Target: ${markdownCode(r.target.format)} on **${ep ? md(ep, 40) : 'n/a'}** (preferred: ${preferred}), ${r.target.threads} thread(s).`, '',
    ...verdictRows(r),
    ...coverageRows(r),
    ...stepRows(r),
    ...failedStepBlocks(r),
    ...warningLines(r),
  ];
}

export function renderMarkdown(reports: Report[]): string {
  const lines: string[] = ['# edgeopt build', ''];
  let bytes = 0;
  for (const [i, r] of reports.entries()) {
    const part = renderOne(r);
    const size = Buffer.byteLength(part.join('\n'));
    if (bytes + size > MARKDOWN_BUDGET_BYTES) {
      const left = reports.slice(i);
      const named = left.slice(0, 50).map((x) => `${md(x.recipe.name, 100)} (${statusWord(x.status)})`).join(', ');
      const more = left.length > 50 ? ` and ${left.length - 50} more` : '';
      lines.push(`_${left.length} more recipe(s) left out to fit the step summary: ${named}${more}; see their report.md._`, '');
      break;
    }
    bytes += size;
    lines.push(...part);
  }
  return `${lines.join('\n')}\n`;
}
