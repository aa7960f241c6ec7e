// report.md / the step summary, read back with a CommonMark + GFM-tables parser: hostile text stays text, tables keep their shape.
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { describe, expect, it } from 'vitest';
import { visibleText } from '../../../src/report/control-chars.js';
import { markdownCode, markdownInline } from '../../../src/report/markdown-escape.js';
import { MARKDOWN_BUDGET_BYTES, renderMarkdown } from '../../../src/report/render-markdown.js';
import { HOSTILE, hostileReport, LONG, sampleReport } from './report-fixture.js';

// html: true as on GitHub, which passes some raw HTML through: escaped text must not produce any
const parser = new MarkdownIt({ html: true, linkify: false });

const flat = (tokens: Token[]): Token[] => tokens.flatMap((t) => [t, ...flat(t.children ?? [])]);

/** The rows of each table: the text of each cell, as a reader sees it. */
function tables(tokens: Token[]): string[][][] {
  const out: string[][][] = [];
  let row: string[] | undefined;
  for (const t of tokens) {
    if (t.type === 'table_open') out.push([]);
    if (t.type === 'tr_open') row = [];
    if (t.type === 'inline' && row) row.push(flat(t.children ?? []).filter((c) => c.type === 'text' || c.type === 'code_inline').map((c) => c.content).join(''));
    if (t.type === 'tr_close' && row) { out.at(-1)!.push(row); row = undefined; }
  }
  return out;
}

describe('markdown escaping', () => {
  it('inline text reads back as written, on one line', () => {
    const tokens = parser.parseInline(markdownInline(HOSTILE), {});
    const kinds = new Set(flat(tokens).map((t) => t.type));
    expect([...kinds].sort()).toEqual(['inline', 'text']);
    expect(flat(tokens).filter((t) => t.type === 'text').map((t) => t.content).join('')).toBe(visibleText(HOSTILE, true));
  });

  it('a code span holds backticks and pipes', () => {
    for (const s of ['a`b', '``x``', '`lead', 'trail`', 'p|q']) {
      const text = markdownCode(s);
      const code = flat(parser.parseInline(text, {})).find((t) => t.type === 'code_inline');
      // outside a table the escaped pipe stays as `\|`: GFM unescapes it only when splitting table cells
      expect(code?.content.replace(/\\\|/g, '|')).toBe(s);
    }
  });
});

describe('renderMarkdown', () => {
  it('keeps table shapes and shows hostile text as text, never as HTML, links or emphasis', () => {
    const r = hostileReport();
    const text = renderMarkdown([r]);
    const tokens = parser.parse(text, {});
    const all = flat(tokens);
    expect(all.filter((t) => t.type === 'html_inline' || t.type === 'html_block')).toEqual([]);
    expect(all.filter((t) => t.type === 'link_open' || t.type === 'image' || t.type === 's_open' || t.type === 'em_open')).toEqual([]);
    const [slo, coverage, steps] = tables(tokens);
    expect(slo!.map((row) => row.length)).toEqual([5, 5, 5, 5]);
    expect(coverage!.map((row) => row.length)).toEqual([4, 4, 4]);
    expect(coverage![1]![3]).toBe(`${visibleText(HOSTILE, true)} ×1`);
    expect(steps!.map((row) => row.length)).toEqual([4, 4, 4, 4]);
    const oneLine = (x: string): string => visibleText(x, true).trim();
    expect(slo![2]![4]).toBe(`❌ ${oneLine(r.slo[1]!.message)}`);
    expect(steps![2]![1]).toBe(`${oneLine(r.steps[1]!.plugin).slice(0, 100)}… (${visibleText(r.steps[1]!.plugin, true).length - 100} more characters in report.json)`);
    // the failed step's output sits in a fence, verbatim, cut to 2000 characters
    const fence = all.find((t) => t.type === 'fence')!;
    expect(fence.content.startsWith(visibleText(HOSTILE))).toBe(true);
    expect(fence.content).toMatch(/more characters in report\.json/);
    expect(text.length).toBeLessThan(10_000); // LONG (20 000 characters) was clipped everywhere
    expect(text).not.toContain(LONG);
  });

  it('renders a verdict interval when the gate recorded one', () => {
    const r = sampleReport();
    Object.assign(r.slo[0]!, { interval: { lo: 0.07, hi: 0.09, confidence: 0.95, samples: 200 } });
    const [slo] = tables(parser.parse(renderMarkdown([r]), {}));
    expect(slo![1]![2]).toMatch(/\(95% CI 0\.0700–0\.0900 \(n=200\)\)$/);
  });

  it('stays under the step-summary budget and names the recipes it left out', () => {
    const many = Array.from({ length: 400 }, (_, i) => {
      const r = sampleReport(`r${i}`);
      r.warnings = Array.from({ length: 10 }, (__, j) => `${j} ${'w'.repeat(400)}`);
      return r;
    });
    const text = renderMarkdown(many);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MARKDOWN_BUDGET_BYTES + 8 * 1024);
    expect(text).toMatch(/_\d+ more recipe\(s\) left out to fit the step summary: r\d+ \(SLO missed\)/);
  });
});
