// Writes .edgeopt/out/index.html after a build: the recipes of that build, linked, with the combined Pareto plot.
import path from 'node:path';
import { writeFileAtomic } from '../cache/atomic-file.js';
import { renderIndexHtml } from './render-index-html.js';
import type { Report } from './report-schema.js';

export async function writeBuildIndex(outRoot: string, reports: Report[]): Promise<string | undefined> {
  if (reports.length === 0) return undefined;
  const file = path.join(outRoot, 'index.html');
  await writeFileAtomic(file, renderIndexHtml(reports));
  return file;
}
