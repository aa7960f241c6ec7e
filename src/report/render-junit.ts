// JUnit XML (report.xml) for CI test tabs: a testsuite per recipe, a testcase per SLO verdict and per failed step.
import { escapeAttribute, escapeMarkup } from './markup-escape.js';
import { formatValue } from './format-values.js';
import type { Report, ReportStep } from './report-schema.js';
import { intervalText, verdictInterval } from './verdict-interval.js';

interface Counts { tests: number; failures: number; errors: number; seconds: number }

const attrs = (pairs: Record<string, string | number | undefined>): string =>
  Object.entries(pairs).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}="${escapeAttribute(String(v))}"`).join('');

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

export function renderJunit(reports: Report[]): string {
  const suites = reports.map(renderSuite);
  const total = suites.reduce<Counts>((a, s) => ({
    tests: a.tests + s.counts.tests, failures: a.failures + s.counts.failures, errors: a.errors + s.counts.errors, seconds: a.seconds + s.counts.seconds,
  }), { tests: 0, failures: 0, errors: 0, seconds: 0 });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: 'edgeopt', tests: total.tests, failures: total.failures, errors: total.errors, time: seconds(total.seconds) })}>`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

function renderSuite(r: Report): { xml: string; counts: Counts } {
  const classname = r.recipe.name;
  const cases: string[] = [];
  let failures = 0;
  for (const v of r.slo) {
    const name = `${v.metric} ${v.bound} ${formatValue(v.limit)}`;
    const where = v.location ? { file: v.location.file, line: v.location.line } : { file: r.recipe.file };
    if (v.status === 'pass') {
      cases.push(`    <testcase${attrs({ name, classname, ...where })}/>`);
      continue;
    }
    failures++;
    // unmeasured is a failure: the SLO was asked for and this build did not prove it
    const type = v.status === 'fail' ? 'slo-missed' : 'slo-unmeasured';
    const iv = verdictInterval(v);
    const detail = `${v.metric}: ${v.message}\nvalue: ${formatValue(v.value)}${iv ? ` (${intervalText(iv)})` : ''}  baseline: ${formatValue(v.baseline)}  limit: ${v.bound} ${formatValue(v.limit)}`;
    cases.push(`    <testcase${attrs({ name, classname, ...where })}>`,
      `      <failure${attrs({ message: v.message, type })}>${escapeMarkup(detail)}</failure>`,
      '    </testcase>');
  }
  const failedSteps = r.steps.filter((s) => s.status === 'failed');
  for (const s of failedSteps) cases.push(...stepCase(s, classname, r.recipe.file));
  const ms = r.steps.reduce((a, s) => a + (s.status === 'built' ? (s.duration_ms ?? 0) : 0), 0);
  const counts: Counts = { tests: r.slo.length + failedSteps.length, failures, errors: failedSteps.length, seconds: ms };
  const ran = typeof r.ep?.ran === 'string' ? r.ep.ran : undefined;
  const props = [
    ['status', r.status], ['ep', ran], ['ep.preferred', r.target.ep.join(',')], ['threads', String(r.target.threads)],
    ['edgeopt', r.versions.edgeopt], ['onnxruntime', r.versions.onnxruntime], ['host.cpu', r.host.cpu],
  ].filter((p): p is [string, string] => p[1] !== undefined);
  const xml = [
    `  <testsuite${attrs({ name: r.recipe.name, tests: counts.tests, failures, errors: counts.errors, skipped: 0, time: seconds(ms), timestamp: r.created_at, file: r.recipe.file })}>`,
    '    <properties>',
    ...props.map(([name, value]) => `      <property${attrs({ name, value })}/>`),
    '    </properties>',
    ...cases,
    '  </testsuite>',
  ].join('\n');
  return { xml, counts };
}

function stepCase(s: ReportStep, classname: string, file: string): string[] {
  const message = s.error?.message ?? 'step failed';
  const body = [message, s.error?.hint ? `hint: ${s.error.hint}` : ''].filter(Boolean).join('\n');
  return [
    `    <testcase${attrs({ name: `step ${s.id} (${s.plugin})`, classname, file })}>`,
    `      <error${attrs({ message, type: s.error?.code ?? 'E_STEP' })}>${escapeMarkup(body)}</error>`,
    '    </testcase>',
  ];
}
