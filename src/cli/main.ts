// The `edgeopt` command: parses argv, runs a command, prints errors with their place, returns the exit code.
import { rmSync } from 'node:fs';
import { asEdgeoptErrors, EdgeoptError, EXIT, exitCodeFor } from '../errors.js';
import { callsInFlight } from '../run/plugin-call.js';
import { engineVersions } from '../run/engine-versions.js';
import { parseCli, USAGE, type CliArgs } from './args.js';
import { runBuild } from './command-build.js';
import { runCache } from './command-cache.js';
import { runDiff } from './command-diff.js';
import { runPlan } from './command-plan.js';
import { runValidate } from './command-validate.js';
import { printErrors } from './print-errors.js';

/** Node exits with this when the event loop empties while the top-level await still waits. */
const UNSETTLED_AWAIT = 13;

/**
 * A plugin whose run() returns a promise nothing can settle lets the event loop drain: Node would exit 13 without a
 * word. Say which step did it, remove its private folder, and exit as a failed step.
 */
function onUnsettledExit(code: number): void {
  // Node 20 passes 0 here and has already set process.exitCode to 13
  if (code !== UNSETTLED_AWAIT && process.exitCode !== UNSETTLED_AWAIT) return;
  const calls = callsInFlight();
  const steps = calls.map((c) => `step "${c.task.step}" of ${c.task.recipe} (plugin ${c.plugin.name}@${c.plugin.version})`);
  for (const c of calls) rmSync(c.workDir, { recursive: true, force: true });
  printErrors([new EdgeoptError({
    code: 'E_STEP_HUNG', kind: 'step',
    message: `${steps.length ? steps.join(', ') : 'a step'} returned a promise that can never settle: nothing was left for it to wait on, so edgeopt stopped`,
    hint: 'this is a bug in the plugin (a run() that never resolves or rejects); nothing from that step was cached',
  })], false);
  process.exitCode = EXIT.stepFailed;
}

export async function main(argv: string[]): Promise<number> {
  process.on('exit', onUnsettledExit);
  try {
    return await runCommand(argv);
  } finally {
    process.off('exit', onUnsettledExit);
  }
}

async function runCommand(argv: string[]): Promise<number> {
  let args: CliArgs | undefined;
  try {
    args = parseCli(argv);
    if (args.version) {
      process.stdout.write(`edgeopt ${engineVersions().edgeopt} (onnxruntime-node ${engineVersions().onnxruntime})\n`);
      return EXIT.ok;
    }
    switch (args.command) {
      case 'help':
        process.stdout.write(USAGE);
        return EXIT.ok;
      case 'build':
        return await runBuild(args);
      case 'validate':
        return await runValidate(args);
      case 'plan':
        return await runPlan(args);
      case 'diff':
        return await runDiff(args);
      case 'cache':
        return await runCache(args);
    }
  } catch (thrown) {
    const errors = asEdgeoptErrors(thrown);
    printErrors(errors, args?.debug ?? argv.includes('--debug'));
    return Math.max(...errors.map((e) => exitCodeFor(e.kind)));
  }
}
