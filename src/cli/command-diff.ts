// `edgeopt diff old new`: per-metric change between two builds' reports; exit 1 when one got worse beyond its tolerance.
import { EdgeoptError, EXIT } from '../errors.js';
import { loadProjectConfig } from '../recipe/index.js';
import { parseTolerances } from '../report/diff-tolerance.js';
import { readReports } from '../report/read-report.js';
import { diffReports } from '../report/report-diff.js';
import { renderDiff } from '../report/render-diff.js';
import type { CliArgs } from './args.js';

export async function runDiff(args: CliArgs): Promise<number> {
  if (args.targets.length !== 2) {
    throw new EdgeoptError({
      code: 'E_USAGE', kind: 'usage', message: `edgeopt diff takes two reports, got ${args.targets.length}`,
      hint: 'edgeopt diff old/report.json new/report.json (or two .edgeopt/out folders) [--tolerance 5%]',
    });
  }
  // the project's tolerances first: a later spec for the same metric (the command line's) wins
  const { config } = await loadProjectConfig(process.cwd());
  const tolerances = parseTolerances([...(config.diff?.tolerance ?? []), ...args.tolerance]);
  const olds = await readReports(args.targets[0]!);
  const news = await readReports(args.targets[1]!);
  const diff = diffReports(olds, news, tolerances);
  if (diff.recipes.length === 0) {
    throw new EdgeoptError({
      code: 'E_DIFF_INPUT', kind: 'usage',
      message: `the two sides share no recipe: old has ${diff.onlyOld.join(', ')}; new has ${diff.onlyNew.join(', ')}`,
      hint: 'recipes are matched by name; compare the reports of the same recipe',
    });
  }
  process.stdout.write(args.json ? `${JSON.stringify(diff, null, 2)}\n` : renderDiff(diff));
  // a regression is a missed objective, the same exit code a build gives for a missed SLO
  return diff.regressed ? EXIT.sloMissed : EXIT.ok;
}
