// GitHub Actions workflow commands (::error/::warning) that pin missed SLOs to their line in the recipe.
import path from 'node:path';
import type { Report } from './report-schema.js';

// the escaping of @actions/core's command.ts: data escapes %, CR, LF; properties also `:` and `,`
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(level: 'error' | 'warning', props: Record<string, string | number | undefined>, message: string): string {
  const list = Object.entries(props).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${escapeProperty(String(v))}`);
  return `::${level}${list.length ? ` ${list.join(',')}` : ''}::${escapeData(message)}`;
}

/** A file of the checkout itself: not outside it, not an installed package. */
function inCheckout(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) && !rel.split(path.sep).includes('node_modules');
}

/**
 * One line per failed or unmeasured SLO, failed step and report warning; paths relative to `root` (the checkout,
 * $GITHUB_WORKSPACE). An SLO set in a preset outside the checkout (node_modules/edgeopt/recipes/phone.yaml) points at
 * the recipe instead: GitHub only shows annotations on files of the repository.
 */
export function renderAnnotations(reports: Report[], root: string): string {
  const rel = (file: string): string => path.relative(root, path.resolve(root, file)).split(path.sep).join('/');
  const lines: string[] = [];
  for (const r of reports) {
    for (const v of r.slo) {
      if (v.status === 'pass') continue;
      const loc = v.location && inCheckout(root, v.location.file) ? v.location : undefined;
      const props = { file: rel(loc?.file ?? r.recipe.file), line: loc?.line, col: loc?.column, title: `SLO ${v.metric}` };
      const what = v.status === 'fail' ? 'missed' : 'unmeasured';
      lines.push(command('error', props, `${r.recipe.name}: ${v.metric} ${what}: ${v.message}`));
    }
    for (const s of r.steps) {
      if (s.status !== 'failed') continue;
      const message = `${r.recipe.name}: step ${s.id} failed: ${s.error?.code ?? ''} ${s.error?.message ?? ''}`.replace(/ {2,}/g, ' ');
      lines.push(command('error', { file: rel(r.recipe.file), title: `edgeopt step ${s.id}` }, message));
    }
    for (const w of r.warnings) lines.push(command('warning', { file: rel(r.recipe.file), title: 'edgeopt' }, `${r.recipe.name}: ${w}`));
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
