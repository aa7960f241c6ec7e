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

const SWAP_ATTEMPTS = 100;

function errCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code;
}

/**
 * Puts the complete `staging` folder at `final`: the old folder is moved aside, the new one renamed in. Two builds of
 * one project writing the same recipe race between those renames: the other's folder can land at `final` in between,
 * and renaming onto a non-empty folder fails (ENOTEMPTY; 39 of 90 writes failed with three writers). Then that folder
 * is moved aside too and the rename retried (after a random pause, so racing writers fall out of step): the last to
 * land wins, whole, and every folder moved aside is removed by the writer that moved it.
 */
async function swapIn(staging: string, final: string): Promise<void> {
  const aside: string[] = [];
  try {
    for (let attempt = 1; ; attempt++) {
      const old = `${final}.old-${randomBytes(4).toString('hex')}`;
      try {
        await fs.rename(final, old);
        aside.push(old);
      } catch (err) {
        if (errCode(err) !== 'ENOENT') throw err;
      }
      try {
        await fs.rename(staging, final);
        return;
      } catch (err) {
        if ((errCode(err) !== 'ENOTEMPTY' && errCode(err) !== 'EEXIST') || attempt === SWAP_ATTEMPTS) throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10));
    }
  } finally {
    for (const old of aside) await fs.rm(old, { recursive: true, force: true });
  }
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
    await swapIn(staging, final);
    return final;
  } catch (err) {
    await fs.rm(staging, { recursive: true, force: true });
    throw err;
  }
}
