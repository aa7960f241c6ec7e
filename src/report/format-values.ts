// Number and status formatting shared by the terminal and Markdown renderers.

export function formatValue(v: number | undefined): string {
  if (v === undefined) return '—';
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toPrecision(3);
}

export function statusWord(status: 'pass' | 'fail' | 'error'): string {
  return status === 'pass' ? 'all SLOs met' : status === 'fail' ? 'SLO missed' : 'a step failed';
}
