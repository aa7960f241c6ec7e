// report.xml: well-formed XML (saxes) with one testcase per SLO, failures for missed and unmeasured ones, text intact.
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../../src/report/render-junit.js';
import { HOSTILE, hostileReport, sampleReport } from './report-fixture.js';
import { findAll, parseXml } from './xml-tree.js';

// XML 1.0 cannot carry these controls: the renderer substitutes U+FFFD. Attributes keep CR and LF (written as
// character references); in element text the parser normalizes CR LF to LF, as XML requires.
const inAttribute = (s: string): string => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '\uFFFD');
const inText = (s: string): string => inAttribute(s.replace(/\r\n/g, '\n'));

describe('renderJunit', () => {
  it('has one testcase per SLO, failures for fail and unmeasured, counts that add up', () => {
    const r = sampleReport();
    const doc = parseXml(renderJunit([r, sampleReport('other')]));
    expect(doc.name).toBe('testsuites');
    const suites = findAll(doc, 'testsuite');
    expect(suites.map((s) => s.attributes.name)).toEqual(['ww', 'other']);
    const cases = findAll(suites[0]!, 'testcase');
    expect(cases).toHaveLength(r.slo.length);
    expect(cases.map((c) => c.attributes.name)).toEqual(['latency.p90_ms max 1', 'size_mb max 0.0500', 'accuracy.top1 max_drop 0.0100']);
    const failures = cases.map((c) => findAll(c, 'failure')[0]?.attributes.type);
    expect(failures).toEqual([undefined, 'slo-missed', 'slo-unmeasured']);
    expect(cases[1]!.attributes.line).toBe('13');
    expect(suites[0]!.attributes).toMatchObject({ tests: '3', failures: '2', errors: '0' });
    expect(doc.attributes).toMatchObject({ tests: '6', failures: '4', errors: '0' });
    const props = Object.fromEntries(findAll(suites[0]!, 'property').map((p) => [p.attributes.name, p.attributes.value]));
    expect(props).toMatchObject({ ep: 'cpu', 'ep.preferred': 'nnapi,cpu', onnxruntime: '1.30.0' });
  });

  it('a failed step is an error testcase; hostile names and messages survive as text', () => {
    const r = hostileReport();
    const doc = parseXml(renderJunit([r]));
    const suite = findAll(doc, 'testsuite')[0]!;
    expect(suite.attributes.name).toBe(inAttribute(r.recipe.name));
    expect(suite.attributes.errors).toBe('1');
    const cases = findAll(suite, 'testcase');
    expect(cases).toHaveLength(r.slo.length + 1);
    const failure = findAll(cases[1]!, 'failure')[0]!;
    // attribute values keep their line breaks (escaped as &#10;), element text keeps everything
    expect(failure.attributes.message).toBe(inAttribute(r.slo[1]!.message));
    expect(failure.text).toContain(inText(HOSTILE));
    const error = findAll(cases.at(-1)!, 'error')[0]!;
    expect(error.attributes.type).toBe('E_EXEC_FAILED');
    expect(error.text.length).toBeGreaterThan(20_000);
    expect(findAll(doc, 'script')).toHaveLength(0);
  });

  it('a verdict with a confidence interval names it in the failure text', () => {
    const r = sampleReport();
    Object.assign(r.slo[1]!, { interval: { lo: 0.08, hi: 0.09, confidence: 0.95, samples: 200 } });
    const failure = findAll(parseXml(renderJunit([r])), 'failure')[0]!;
    expect(failure.text).toContain('95% CI 0.0800–0.0900 (n=200)');
  });
});
