// `edgeopt validate`: load and check recipes only; errors are thrown (exit 2), success lists what was checked.
import path from 'node:path';
import { EXIT } from '../errors.js';
import type { CliArgs } from './args.js';
import { openProject } from './project-session.js';

export async function runValidate(args: CliArgs): Promise<number> {
  const session = await openProject(args.targets);
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ valid: true, recipes: session.recipes.map((r) => ({ name: r.name, file: r.file })) }, null, 2)}\n`);
  } else {
    for (const r of session.recipes) process.stdout.write(`ok  ${path.relative(process.cwd(), r.file)}  (${r.name}: ${r.steps.length} step(s), ${Object.keys(r.slo).length} SLO(s))\n`);
  }
  return EXIT.ok;
}
