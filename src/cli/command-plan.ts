// `edgeopt plan`: print the task graph with each task's key and cache status; runs nothing.
import path from 'node:path';
import { HashMemo } from '../cache/hash-memo.js';
import { EXIT } from '../errors.js';
import { planRecipes } from '../plan/task-graph.js';
import { engineVersions } from '../run/engine-versions.js';
import { hashInputs } from '../run/input-hashes.js';
import { planStatus } from '../run/plan-status.js';
import { TaskHistory } from '../run/task-history.js';
import type { CliArgs } from './args.js';
import { openProject } from './project-session.js';

export async function runPlan(args: CliArgs): Promise<number> {
  const s = await openProject(args.targets);
  const plan = planRecipes(s.recipes, s.plugins);
  const memo = await HashMemo.open(path.join(s.store.root, 'hash-memo.json'));
  const inputs = await hashInputs(s.recipes, plan, memo);
  const history = await TaskHistory.open(s.store.root);
  const recipes = new Map(s.recipes.map((r) => [r.name, r]));
  const statuses = await planStatus(plan, recipes, s.plugins, s.store, inputs, engineVersions(), history);
  await memo.save();
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ versions: engineVersions(), tasks: statuses }, null, 2)}\n`);
    return EXIT.ok;
  }
  for (const t of statuses) {
    const mark = t.status === 'cached' ? 'cached' : 'run   ';
    const key = t.key ? t.key.slice(0, 12) : '?'.repeat(12);
    const deps = t.deps.length ? `  ← ${t.deps.map((d) => d.split(':')[1]).join(', ')}` : '';
    process.stdout.write(`${mark}  ${key}  ${t.id} (${t.plugin})${deps}\n        ${t.why}\n`);
  }
  const run = statuses.filter((t) => t.status === 'run').length;
  process.stdout.write(`\n${statuses.length} task(s): ${statuses.length - run} cached, ${run} to run\n`);
  return EXIT.ok;
}
