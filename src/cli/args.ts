// argv → a command and its options (node:util parseArgs), with usage errors that say what to type instead.
import { parseArgs } from 'node:util';
import { EdgeoptError } from '../errors.js';
import { closest } from '../recipe/did-you-mean.js';

export const COMMANDS = ['build', 'validate', 'plan', 'diff', 'cache', 'help'] as const;
export type CommandName = (typeof COMMANDS)[number];

export interface CliArgs {
  command: CommandName;
  targets: string[];
  force: boolean;
  only?: string;
  concurrency?: number;
  json: boolean;
  debug: boolean;
  color: boolean;
  maxAgeDays: number;
  /** `diff --tolerance` specs, as given */
  tolerance: string[];
  version: boolean;
}

export const USAGE = `Usage: edgeopt <command> [recipes...] [options]

Commands:
  build [recipes]      validate, plan, run (cached), benchmark and gate; exit 1 when an SLO is missed
  validate [recipes]   check recipes only (exit 2 on any error)
  plan [recipes]       print the task graph and what is cached, without running anything
  diff <old> <new>     compare two builds' report.json (or .edgeopt/out folders); exit 1 when a metric got worse
                       beyond its tolerance (--tolerance 5% default; --tolerance latency.p90_ms=10%, size_mb=0.05)
  cache info|gc        show or clean the local cache (gc --max-age <days>, default 30)

Recipes: files, folders or globs; none: the project config's \`recipes\`, else recipes/*.yaml.

Options:
  --force              re-run every task, ignoring the cache (results are stored again)
  --only <step>        run only this step (and what it needs); no gate
  --concurrency <n>    model transforms at once (measurements always run alone)
  --json               machine-readable output on stdout
  --debug              stack traces on errors
  --no-color           plain output
  -v, --version        print the version
`;

export function parseCli(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        force: { type: 'boolean', default: false },
        only: { type: 'string' },
        concurrency: { type: 'string' },
        json: { type: 'boolean', default: false },
        debug: { type: 'boolean', default: false },
        'no-color': { type: 'boolean', default: false },
        'max-age': { type: 'string' },
        tolerance: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (err) {
    throw new EdgeoptError({ code: 'E_USAGE', kind: 'usage', message: (err as Error).message, hint: 'run `edgeopt help` for the options' });
  }
  const { values, positionals } = parsed;
  const [first, ...rest] = positionals;
  const command = values.help ? 'help' : (first ?? (values.version ? 'help' : 'build'));
  if (!(COMMANDS as readonly string[]).includes(command)) {
    const guess = closest(command, COMMANDS);
    throw new EdgeoptError({
      code: 'E_USAGE', kind: 'usage', message: `unknown command "${command}"`,
      hint: guess ? `did you mean \`edgeopt ${guess}\`?` : `commands: ${COMMANDS.join(', ')}`,
    });
  }
  const positiveInt = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new EdgeoptError({ code: 'E_USAGE', kind: 'usage', message: `--${name} expects a whole number ≥ 1, got "${v}"` });
    return n;
  };
  const args: CliArgs = {
    command: command as CommandName,
    targets: first === undefined ? [] : rest,
    force: values.force ?? false,
    json: values.json ?? false,
    debug: values.debug ?? false,
    color: !values['no-color'] && !process.env.NO_COLOR && process.stdout.isTTY === true,
    maxAgeDays: positiveInt('max-age', values['max-age']) ?? 30,
    tolerance: values.tolerance ?? [],
    version: values.version ?? false,
  };
  const concurrency = positiveInt('concurrency', values.concurrency);
  if (concurrency !== undefined) args.concurrency = concurrency;
  if (values.only !== undefined) args.only = values.only;
  return args;
}
