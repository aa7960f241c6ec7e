// The terminal table: one row per verdict, and no escape sequence or carriage return from untrusted text reaches the screen.
import { describe, expect, it } from 'vitest';
import { renderTerminal } from '../../../src/report/render-terminal.js';
import { hostileReport, sampleReport } from './report-fixture.js';

describe('renderTerminal', () => {
  it('prints each verdict on one aligned row, with the interval when there is one', () => {
    const r = sampleReport();
    Object.assign(r.slo[0]!, { interval: { lo: 0.07, hi: 0.09, confidence: 0.95, samples: 200 } });
    const rows = renderTerminal([r], false).split('\n').filter((l) => /^ {2}(PASS|FAIL|N\/A)/.test(l));
    expect(rows.map((l) => l.trim().split(/\s+/)[1])).toEqual(['latency.p90_ms', 'size_mb', 'accuracy.top1']);
    expect(new Set(rows.map((l) => l.search(/max(_drop)? /))).size).toBe(1); // the bound column lines up
    expect(rows[0]).toContain('[95% CI 0.0700–0.0900 (n=200)]');
  });

  it('hostile text cannot move the cursor, recolour the screen or break a row', () => {
    const r = hostileReport();
    const out = renderTerminal([r], false);
    expect(out).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
    const rows = out.split('\n').filter((l) => /^ {2}(PASS|FAIL|N\/A)/.test(l));
    expect(rows).toHaveLength(r.slo.length);
    expect(rows[1]).toContain('second line third');
    // with colour on, the only escape sequences are ours
    const colored = renderTerminal([r], true);
    expect(colored.replace(/\u001b\[(3[123]|0)m/g, '')).not.toMatch(/\u001b/);
  });
});
