// Runs a plan's tasks in dependency order with listr2 progress; transforms share slots, measurements run alone.
import { Listr, ProcessOutput, type ListrTaskWrapper } from 'listr2';
import type { Logger } from '../api.js';
import { asEdgeoptErrors, EdgeoptError } from '../errors.js';
import type { Plan, Task } from '../plan/task-graph.js';
import type { Recipe } from '../recipe/types.js';
import { modelOutput, runTask, sourceModel, type BuildEnv, type ModelInput, type TaskRun } from './run-task.js';
import { WorkSlots } from './work-slots.js';

export interface TaskOutcome {
  task: Task;
  status: 'built' | 'cached' | 'failed' | 'skipped';
  run?: TaskRun;
  error?: EdgeoptError;
  /** why it was skipped */
  reason?: string;
  warnings: string[];
}

export interface ExecuteOptions {
  concurrency: number;
  renderer: 'default' | 'simple' | 'silent';
  /** when set, only these task ids run */
  only?: ReadonlySet<string>;
  /** outcomes of an earlier run that tasks of this plan may depend on (re-measurements of finished benchmarks) */
  done?: ReadonlyMap<string, TaskOutcome>;
}

type Wrapper = ListrTaskWrapper<unknown, never, never>;

export async function executePlan(plan: Plan, recipes: ReadonlyMap<string, Recipe>, env: BuildEnv, opts: ExecuteOptions): Promise<Map<string, TaskOutcome>> {
  const outcomes = new Map<string, TaskOutcome>();
  const waiting = new Map<string, Promise<TaskOutcome>>();
  const settle = new Map<string, (o: TaskOutcome) => void>();
  for (const [id, o] of opts.done ?? []) waiting.set(id, Promise.resolve(o));
  for (const t of plan.tasks) waiting.set(t.id, new Promise((resolve) => settle.set(t.id, resolve)));
  const finish = (o: TaskOutcome): TaskOutcome => {
    outcomes.set(o.task.id, o);
    settle.get(o.task.id)!(o);
    return o;
  };
  const slots = new WorkSlots(Math.max(1, opts.concurrency));
  const selected = plan.tasks.filter((t) => !opts.only || opts.only.has(t.id));
  for (const t of plan.tasks) if (!selected.includes(t)) finish({ task: t, status: 'skipped', reason: 'not selected by --only', warnings: [] });

  const listr = new Listr(
    selected.map((task) => ({
      title: titleOf(task),
      task: async (_ctx: unknown, wrapper: Wrapper): Promise<void> => {
        const outcome = await runOne(task, recipes.get(task.recipe)!, env, slots, waiting, wrapper);
        finish(outcome);
        if (outcome.status === 'skipped') wrapper.skip(`${titleOf(task)}: ${outcome.reason}`);
        if (outcome.status === 'failed') throw outcome.error!;
      },
    })),
    {
      concurrent: true,
      exitOnError: false,
      collectErrors: false,
      registerSignalListeners: false, // listr2 would exit(127) on SIGINT; the build handles it and cleans up
      renderer: opts.renderer,
      fallbackRenderer: 'simple',
      processOutput: new ProcessOutput(process.stderr, process.stderr),
      rendererOptions: { collapseSubtasks: false, collapseErrors: false, showErrorMessage: false },
    } as never,
  );
  await listr.run().catch(() => undefined); // failures are outcomes; listr only renders them
  return outcomes;
}

function titleOf(task: Task): string {
  const what = task.kind === 'step' || task.plugin !== 'benchmark' ? `${task.step} (${task.plugin})` : `${task.step} benchmark`;
  const measurement = /#(\d+)$/.exec(task.id)?.[1];
  return `${task.recipe} › ${what}${measurement ? `, measurement ${measurement} for the gate` : ''}`;
}

/** A recipe whose steps did not all finish has no gate (its report says which step failed). */
export function recipeFailed(outcomes: readonly TaskOutcome[]): boolean {
  return outcomes.some((o) => o.status === 'failed' || (o.status === 'skipped' && o.reason !== 'not selected by --only'));
}

async function runOne(
  task: Task, recipe: Recipe, env: BuildEnv, slots: WorkSlots, waiting: Map<string, Promise<TaskOutcome>>, wrapper: Wrapper,
): Promise<TaskOutcome> {
  const warnings: string[] = [];
  const depIds = [...new Set([...task.deps, ...(task.modelFrom ? [task.modelFrom] : [])])];
  const deps = await Promise.all(depIds.map((d) => waiting.get(d)!));
  const blocked = deps.find((d) => d.status === 'failed' || d.status === 'skipped');
  if (blocked) return { task, status: 'skipped', reason: `needs ${blocked.task.step}, which ${blocked.status === 'failed' ? 'failed' : 'did not run'}`, warnings };
  const model = resolveModel(task, recipe, env, deps);
  const release = await slots.acquire(task.produces === 'metrics');
  const log: Logger = {
    info: (m) => { wrapper.output = m; },
    warn: (m) => { warnings.push(m); wrapper.output = `warning: ${m}`; },
    debug: () => undefined,
  };
  let lastBucket = -1;
  let lastMessage: string | undefined;
  const progress = (fraction: number, message?: string): void => {
    const pct = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
    // a new line only per 25% or a new phase: CI logs stay short, a TTY still sees it move
    if (Math.floor(pct / 25) === lastBucket && message === lastMessage) return;
    lastBucket = Math.floor(pct / 25);
    lastMessage = message;
    wrapper.output = `${pct}%${message ? ` ${message}` : ''}`;
  };
  try {
    env.signal.throwIfAborted();
    const run = await runTask(task, recipe, await model, env, { log, progress });
    const took = (run.record.durationMs / 1000).toFixed(1);
    wrapper.title = `${titleOf(task)} ${run.status === 'cached' ? '[cached]' : `[${took} s${run.changed.length ? `; changed: ${run.changed.join(', ')}` : ''}]`}`;
    warnings.push(...(run.record.warnings ?? []));
    return { task, status: run.status, run, warnings };
  } catch (err) {
    const error = env.signal.aborted
      ? new EdgeoptError({ code: 'E_INTERRUPTED', kind: 'interrupted', message: `${task.id} was interrupted` })
      : asEdgeoptErrors(err)[0]!;
    return { task, status: 'failed', error, warnings };
  } finally {
    release();
  }
}

async function resolveModel(task: Task, recipe: Recipe, env: BuildEnv, deps: TaskOutcome[]): Promise<ModelInput> {
  if (!task.modelFrom) return sourceModel(recipe, env.inputs);
  const from = deps.find((d) => d.task.id === task.modelFrom);
  const model = from?.run ? modelOutput(from.run.record) : undefined;
  if (!model) throw new EdgeoptError({ code: 'E_INTERNAL', kind: 'internal', message: `${task.modelFrom} produced no model for ${task.id}` });
  return model;
}
