// report.html and the build index in headless Chromium: they render with no console errors or failed requests, the
// plots carry data, and hostile strings show as text instead of running.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../../src/report/render-html.js';
import { renderIndexHtml } from '../../../src/report/render-index-html.js';
import { HOSTILE, hostileReport, sampleReport } from '../../unit/report/report-fixture.js';
import { HAVE_CHROMIUM, launchChromium, NO_CHROMIUM, openFile } from './chromium-page.js';

let browser: Browser;
let dir: string;

describe.skipIf(!HAVE_CHROMIUM)(`report.html in Chromium${HAVE_CHROMIUM ? '' : ` (${NO_CHROMIUM})`}`, () => {
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'edgeopt-html-'));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  async function write(name: string, html: string): Promise<string> {
    const file = path.join(dir, name);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, html);
    return file;
  }

  it('renders the plots from the samples, with no console errors or failed requests', async () => {
    const { page, problems } = await openFile(browser, await write('ww/report.html', renderHtml(sampleReport())));
    expect(problems).toEqual([]);
    // two histograms (baseline, optimized), each a step outline over 60 bins
    const paths = await page.$$eval('svg.latency-plot path.hist', (els) => els.map((e) => (e.getAttribute('d') ?? '').split('L').length));
    expect(paths).toHaveLength(2);
    for (const n of paths) expect(n).toBeGreaterThan(100);
    const bars = await page.$$eval('svg.bar-plot rect.bar', (els) => els.map((e) => Number(e.getAttribute('width'))));
    expect(bars).toHaveLength(8); // size, p50, p90, peak memory × baseline, optimized
    for (const w of bars) expect(w).toBeGreaterThan(0);
    const box = await page.locator('svg.latency-plot').boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect(await page.locator('#verdicts tr.verdict').count()).toBe(3);
    expect(await page.locator('#status').textContent()).toBe('SLO missed');
    const coverage = await page.locator('#ep-coverage tr.ep-coverage').allTextContents();
    expect(coverage).toHaveLength(2);
    expect(coverage[0]).toMatch(/^nnapi21 of 25 nodes \(84%\) in 3 partition\(s\)partition sizes: 10, 6, 5fallback dominatesReduceMean ×4/);
  });

  it('shows hostile strings as text: no script runs, no element or request comes from them', async () => {
    const r = hostileReport();
    const { page, problems } = await openFile(browser, await write('evil/report.html', renderHtml(r)));
    expect(problems).toEqual([]);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('script, img, iframe, object').count()).toBe(0);
    expect(await page.title()).toContain('evil<script>');
    const warning = await page.locator('#warnings li').first().textContent();
    // HTML keeps the text; the parser drops only what XML/HTML cannot hold (control characters become U+FFFD)
    expect(warning).toBe(HOSTILE.replace(/\r\n/g, '\n').replace(/\r/g, '\n').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '\uFFFD'));
    expect(await page.locator('#failed-steps').textContent()).toContain('onerror="window.__pwned = 2"');
  });

  it('the index links every recipe and plots the candidates on a Pareto scatter', async () => {
    const reports = ['a', 'b', 'c'].map((n, i) => {
      const r = sampleReport(n);
      r.final!['latency.p90_ms'] = 0.05 * (i + 1);
      r.final!.size_mb = 0.3 / (i + 1);
      return r;
    });
    for (const r of reports) await write(`${r.recipe.name}/report.html`, renderHtml(r));
    const { page, problems } = await openFile(browser, await write('index.html', renderIndexHtml(reports)));
    expect(problems).toEqual([]);
    const links = await page.$$eval('#recipes a', (els) => els.map((e) => [e.textContent, (e as unknown as { href: string }).href]));
    expect(links.map(([name]) => name)).toEqual(['a', 'b', 'c']);
    for (const [, href] of links) await fs.access(new URL(href!));
    // three finals and one shared baseline (same source model); all three finals trade latency for size: all on the front
    expect(await page.locator('svg.scatter-plot circle.point.final').count()).toBe(3);
    expect(await page.locator('svg.scatter-plot circle.point.baseline').count()).toBe(1);
    expect(await page.locator('svg.scatter-plot path.front').count()).toBe(1);
    await page.locator('#recipes a').first().click();
    await page.waitForURL(/a\/report\.html$/);
    expect(await page.locator('h1').textContent()).toMatch(/^a /);
  });
});
