// `edgeopt build`: run the recipes, print verdicts, and turn them into the exit code CI acts on.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ensureWritableDir } from '../cache/writable-dir.js';
import { EdgeoptError, EXIT, exitCodeFor } from '../errors.js';
import { renderAnnotations } from '../report/github-annotations.js';
import { renderMarkdown } from '../report/render-markdown.js';
import { renderTerminal } from '../report/render-terminal.js';
import { writeBuildIndex } from '../report/write-index.js';
import { build, type RecipeResult } from '../run/build.js';
import type { Report } from '../report/report-schema.js';
import type { CliArgs } from './args.js';
import { printErrors } from './print-errors.js';
import { openProject, type ProjectSession } from './project-session.js';
import { planRecipes } from '../plan/task-graph.js';
import { closest } from '../recipe/did-you-mean.js';

export async function runBuild(args: CliArgs): Promise<number> {
  const session = await openProject(args.targets);
  if (args.only) checkOnly(args.only, session);
  await ensureWritableDir(session.store.root, 'cache folder', 'make it writable by this user, or set EDGEOPT_CACHE_DIR (or cacheDir in the project config) to a folder that is');
  await ensureWritableDir(session.outRoot, 'output folder', 'make .edgeopt/out writable by this user (a build run as another user, e.g. root in a container, may own it)');
  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT.interrupted); // a second Ctrl-C: stop now; temp folders are swept by `cache gc`
    process.stderr.write(`\n${signal}: stopping; finished steps stay cached, the running one is discarded…\n`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let results: RecipeResult[];
  try {
    const interactive = process.stderr.isTTY === true && !process.env.CI && !args.json;
    results = await build({
      recipes: session.recipes,
      plugins: session.plugins,
      store: session.store,
      outRoot: session.outRoot,
      force: args.force,
      ...(args.only ? { only: args.only } : {}),
      concurrency: args.concurrency ?? session.config.concurrency ?? 1,
      renderer: args.json ? 'silent' : interactive ? 'default' : 'simple',
      signal: abort.signal,
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (abort.signal.aborted) {
    printErrors([new EdgeoptError({
      code: 'E_INTERRUPTED', kind: 'interrupted',
      message: 'build interrupted: steps that finished are cached; the step that was running left nothing behind',
      hint: 'run the same command again to resume where it stopped',
    })], args.debug);
    return EXIT.interrupted;
  }
  return report(results, args, session.outRoot);
}

/** `--only` with a typo: name the step meant (the build's own check lists the steps, without a guess). */
function checkOnly(step: string, session: ProjectSession): void {
  const steps = [...new Set(planRecipes(session.recipes, session.plugins).tasks.map((t) => t.step))];
  if (steps.includes(step)) return;
  throw new EdgeoptError({
    code: 'E_USAGE', kind: 'usage', message: `--only ${step}: no recipe has a step with that id`,
    hint: `${closest(step, steps) ? `did you mean \`--only ${closest(step, steps)}\`? ` : ''}steps in these recipes: ${steps.join(', ')}`,
  });
}

/** The baseline and the final benchmark often fail for the same reason: say it once. */
function distinct(errors: EdgeoptError[]): EdgeoptError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.code}\u0000${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Appends to $GITHUB_STEP_SUMMARY when CI provides it. */
async function appendStepSummary(markdown: string): Promise<void> {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (file) await fs.appendFile(path.resolve(file), markdown);
}

/** Workflow commands that pin missed SLOs to recipe lines; on stderr with --json, which keeps stdout pure JSON (the runner reads both). */
function printAnnotations(reports: Report[], json: boolean): void {
  if (process.env.GITHUB_ACTIONS !== 'true') return;
  const text = renderAnnotations(reports, process.env.GITHUB_WORKSPACE || process.cwd());
  (json ? process.stderr : process.stdout).write(text);
}

async function report(results: RecipeResult[], args: CliArgs, outRoot: string): Promise<number> {
  const failures = results.flatMap((r) => r.outcomes.filter((o) => o.status === 'failed'));
  const reports = results.flatMap((r) => (r.report ? [r.report] : []));
  const index = await writeBuildIndex(outRoot, reports);
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ reports, failed_steps: failures.map((f) => ({ task: f.task.id, code: f.error?.code, message: f.error?.message })) }, null, 2)}\n`);
  } else {
    if (failures.length) printErrors(distinct(failures.map((f) => f.error!)), args.debug);
    process.stdout.write(renderTerminal(reports, args.color));
    for (const r of results) if (r.outDir) process.stdout.write(`  → ${path.relative(process.cwd(), r.outDir)}\n`);
    if (index) process.stdout.write(`  → ${path.relative(process.cwd(), index)} (all recipes of this build)\n`);
    if (args.only) process.stdout.write(`\n--only ${args.only}: ${results.flatMap((r) => r.outcomes).filter((o) => o.status === 'built' || o.status === 'cached').length} task(s) done; no gate was run\n`);
  }
  printAnnotations(reports, args.json);
  await appendStepSummary(renderMarkdown(reports));
  // a task can fail on the recipe (a dynamic dim it does not pin): that is exit 2 unless a step also failed
  if (failures.length) return Math.max(...failures.map((f) => exitCodeFor(f.error?.kind ?? 'step')));
  if (reports.some((r) => r.status !== 'pass')) return EXIT.sloMissed;
  return EXIT.ok;
}
