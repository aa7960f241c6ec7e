// The reports of a real build through the CLI: annotations on GitHub Actions, the step summary, report.xml, and the
// index page linking every recipe, opened in Chromium.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_CHROMIUM, launchChromium, NO_CHROMIUM, openFile } from '../integration/report/chromium-page.js';
import { findAll, parseXml } from '../unit/report/xml-tree.js';
import { makeProject, QUICK_BENCH, REPO, runCli, WAKEWORD, type CliResult } from './cli-harness.js';

const recipe = (name: string, slo: string, ep = 'cpu'): string => `name: ${name}
model: ../models/ww.onnx
target: { ep: [${ep}], threads: 1 }
${QUICK_BENCH}
slo:
${slo}
`;

let dir: string;
let result: CliResult;

beforeAll(async () => {
  dir = await makeProject({
    'models/ww.onnx': { copy: WAKEWORD },
    'recipes/met.yaml': recipe('met', '  size_mb: { max: 10 }'),
    'recipes/strict.yaml': recipe('strict', '  latency.p90_ms: { max: 10000 }\n  size_mb: { max: 0.01 }\n  energy_mj: { max: 0.5 }', 'nnapi, coreml, cpu'),
  });
  result = await runCli(['build'], dir, { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: dir, GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md') });
});
afterAll(async () => { if (dir) await fs.rm(dir, { recursive: true, force: true }); });

describe('reports of a build', () => {
  it('on GitHub Actions, prints an ::error pinned to the recipe line of each missed or unmeasured SLO', () => {
    expect(result.exitCode).toBe(1);
    const errors = result.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toEqual([
      // line and column of the threshold's value: `energy_mj: { max: 0.5 }` is line 8, the 0.5 at column 21 (energy is
      // not measurable on this host: the SLO is unmeasured, which fails the gate)
      expect.stringMatching(/^::error file=recipes\/strict\.yaml,line=8,col=21,title=SLO energy_mj::strict: energy_mj unmeasured: /),
      '::error file=recipes/strict.yaml,line=7,col=19,title=SLO size_mb::strict: size_mb missed: 0.316 > max 0.0100',
    ]);
  });

  it('reports the static coverage of each preferred EP, warning where the CPU fallback would dominate', async () => {
    expect(result.stdout).toMatch(/^ {2}nnapi static coverage: 25 of 25 nodes \(100%\) in 1 partition\(s\) \(should work well\)$/m);
    expect(result.stdout).toMatch(/^ {2}coreml static coverage: 21 of 25 nodes \(84%\) in 5 partition\(s\) \(fallback dominates\)$/m);
    expect(result.stdout).toMatch(/^::warning file=recipes\/strict\.yaml,title=edgeopt::strict: static EP coverage: coreml would take 21 of 25 nodes/m);
    const report = JSON.parse(await fs.readFile(path.join(dir, '.edgeopt/out/strict/report.json'), 'utf8'));
    const schema = JSON.parse(await fs.readFile(path.join(REPO, 'schemas/report.schema.json'), 'utf8'));
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.ep_coverage.map((c: { ep: string; suitability: string }) => [c.ep, c.suitability])).toEqual([['nnapi', 'good'], ['coreml', 'poor']]);
    const met = JSON.parse(await fs.readFile(path.join(dir, '.edgeopt/out/met/report.json'), 'utf8'));
    expect(met.ep_coverage).toBeUndefined(); // cpu only: nothing to cover
  });

  it('appends the Markdown summary and writes report.xml with one testcase per SLO', async () => {
    const summary = await fs.readFile(path.join(dir, 'summary.md'), 'utf8');
    expect(summary).toMatch(/^## met: all SLOs met$/m);
    expect(summary).toMatch(/^## strict: SLO missed$/m);
    const suite = findAll(parseXml(await fs.readFile(path.join(dir, '.edgeopt/out/strict/report.xml'), 'utf8')), 'testsuite')[0]!;
    const cases = findAll(suite, 'testcase');
    expect(cases.map((c) => [c.attributes.name, findAll(c, 'failure')[0]?.attributes.type ?? 'pass'])).toEqual([
      ['energy_mj max 0.500', 'slo-unmeasured'], ['latency.p90_ms max 10000', 'pass'], ['size_mb max 0.0100', 'slo-missed'],
    ]);
  });

  it.skipIf(!HAVE_CHROMIUM)(`writes .edgeopt/out/index.html linking every recipe; the pages render cleanly${HAVE_CHROMIUM ? '' : ` (${NO_CHROMIUM})`}`, async () => {
    expect(result.stdout).toContain(`→ ${path.join('.edgeopt', 'out', 'index.html')}`);
    const browser = await launchChromium();
    try {
      const index = await openFile(browser, path.join(dir, '.edgeopt/out/index.html'));
      const links = await index.page.$$eval('#recipes a', (els) => els.map((e) => (e as unknown as { href: string }).href));
      expect(links.map((l) => l.split('/').slice(-2).join('/'))).toEqual(['met/report.html', 'strict/report.html']);
      expect(index.problems).toEqual([]);
      for (const link of links) {
        const page = await openFile(browser, new URL(link).pathname);
        expect(page.problems).toEqual([]);
        // real samples from the benchmark child: the histograms have data
        expect(await page.page.locator('svg.latency-plot path.hist').count()).toBe(2);
      }
    } finally {
      await browser.close();
    }
  });
});
