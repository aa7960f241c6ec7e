// The `edgeopt` command: parses argv, runs a command, prints errors with their place, returns the exit code.
import { asEdgeoptErrors, EXIT, exitCodeFor } from '../errors.js';
import { engineVersions } from '../run/engine-versions.js';
import { parseCli, USAGE, type CliArgs } from './args.js';
import { runBuild } from './command-build.js';
import { runCache } from './command-cache.js';
import { runDiff } from './command-diff.js';
import { runPlan } from './command-plan.js';
import { runValidate } from './command-validate.js';
import { printErrors } from './print-errors.js';

export async function main(argv: string[]): Promise<number> {
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
