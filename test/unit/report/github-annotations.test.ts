// ::error workflow commands, read back the way the Actions runner parses them (ActionCommand.TryParseV2).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderAnnotations } from '../../../src/report/github-annotations.js';
import { HOSTILE, hostileReport, sampleReport } from './report-fixture.js';

interface Command { command: string; props: Record<string, string>; message: string }

// the runner's unescaping: %25 last, so an escaped "%0A" in the text does not turn into a line break
const unescape = (s: string, property: boolean): string => {
  let out = s.replace(/%0D/g, '\r').replace(/%0A/g, '\n');
  if (property) out = out.replace(/%3A/g, ':').replace(/%2C/g, ',');
  return out.replace(/%25/g, '%');
};

function parse(line: string): Command {
  const m = /^::([a-z]+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!m) throw new Error(`not a workflow command: ${line}`);
  const props = Object.fromEntries((m[2] ?? '').split(',').filter(Boolean).map((kv) => {
    const i = kv.indexOf('=');
    return [kv.slice(0, i), unescape(kv.slice(i + 1), true)];
  }));
  return { command: m[1]!, props, message: unescape(m[3]!, false) };
}

describe('renderAnnotations', () => {
  it('points each missed or unmeasured SLO at its line in the recipe, relative to the checkout', () => {
    const lines = renderAnnotations([sampleReport()], '/repo').trimEnd().split('\n').map(parse);
    const errors = lines.filter((c) => c.command === 'error');
    expect(errors.map((c) => c.props)).toEqual([
      { file: 'recipes/ww.yaml', line: '13', col: '3', title: 'SLO size_mb' },
      { file: 'recipes/ww.yaml', line: '14', col: '3', title: 'SLO accuracy.top1' },
    ]);
    expect(errors[0]!.message).toBe('ww: size_mb missed: 0.085 > max 0.05');
    expect(lines.filter((c) => c.command === 'warning').map((c) => c.message)).toEqual(['ww: baseline, final: measured on cpu, not the preferred nnapi']);
  });

  it('an SLO set in a preset outside the checkout is pinned to the recipe file instead', () => {
    const r = sampleReport();
    r.slo[1]!.location = { file: '/repo/node_modules/edgeopt/recipes/mcu.yaml', line: 9, column: 3 };
    r.slo[2]!.location = { file: '/elsewhere/base.yaml', line: 4, column: 3 };
    const errors = renderAnnotations([r], '/repo').trimEnd().split('\n').map(parse).filter((c) => c.command === 'error');
    expect(errors.map((c) => c.props)).toEqual([{ file: 'recipes/ww.yaml', title: 'SLO size_mb' }, { file: 'recipes/ww.yaml', title: 'SLO accuracy.top1' }]);
  });

  it('escapes hostile text so each command stays one line and reads back exactly', () => {
    const r = hostileReport();
    const text = renderAnnotations([r], '/repo');
    const lines = text.trimEnd().split('\n');
    // 2 SLO errors, 1 failed step, 2 warnings: no message broke onto a line of its own
    expect(lines).toHaveLength(5);
    const cmds = lines.map(parse);
    expect(cmds[0]!.props.file).toBe(path.posix.join('recipes', `${HOSTILE}.yaml`));
    expect(cmds[0]!.message).toBe(`${r.recipe.name}: size_mb missed: ${r.slo[1]!.message}`);
    expect(cmds[2]!.message).toContain(`step boom failed: E_EXEC_FAILED ${HOSTILE.replace(/ {2,}/g, ' ')}`);
    expect(cmds[3]!.message).toBe(`${r.recipe.name}: ${HOSTILE}`);
  });

  it('prints nothing when every SLO is met and nothing warned', () => {
    const r = sampleReport();
    r.slo = r.slo.filter((v) => v.status === 'pass');
    r.warnings = [];
    expect(renderAnnotations([r], '/repo')).toBe('');
  });
});
