// Writes `.edgeopt/out/<recipe>/` (final model + reports) as one atomic swap: old or new, never half of each.
// `report` gains its ep_coverage section here (the caller's object: the terminal summary shows it too).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { BlobRef, Store } from '../cache/store.js';
import { materialize } from '../run/materialize.js';
import { attachEpCoverage } from './attach-ep-coverage.js';
import { renderHtml } from './render-html.js';
import { renderJunit } from './render-junit.js';
import { renderMarkdown } from './render-markdown.js';
import type { Report } from './report-schema.js';

export interface OutputFiles {
  /** model files to place (names relative to the folder) */
  model?: Record<string, BlobRef>;
  /** the source model, when no step changed it */
  sourceModel?: string;
  modelName: string;
}

export async function writeRecipeOutputs(outRoot: string, report: Report, files: OutputFiles, store: Store): Promise<string> {
  const final = path.join(outRoot, report.recipe.name);
  const staging = path.join(outRoot, `.staging-${report.recipe.name}-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(staging, { recursive: true });
  try {
    if (files.model) await materialize(store, files.model, staging, 'copy');
    else if (files.sourceModel) await fs.copyFile(files.sourceModel, path.join(staging, files.modelName));
    // analysed here, on the model as shipped, so report.json and every rendering below carry the same section
    if (files.model || files.sourceModel) await attachEpCoverage(report, path.join(staging, files.modelName));
    await fs.writeFile(path.join(staging, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    await fs.writeFile(path.join(staging, 'report.md'), renderMarkdown([report]));
    await fs.writeFile(path.join(staging, 'report.xml'), renderJunit([report]));
    await fs.writeFile(path.join(staging, 'report.html'), renderHtml(report));
    const old = `${final}.old-${randomBytes(4).toString('hex')}`;
    const hadOld = await fs.rename(final, old).then(() => true, () => false);
    await fs.rename(staging, final);
    if (hadOld) await fs.rm(old, { recursive: true, force: true });
    return final;
  } catch (err) {
    await fs.rm(staging, { recursive: true, force: true });
    throw err;
  }
}
