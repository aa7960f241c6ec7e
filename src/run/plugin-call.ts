// Calls a plugin's run() as untrusted code: whatever it throws becomes one EdgeoptError naming the step, an abort
// wins even when the plugin ignores its signal, what it returns is checked, and calls still running are known.
import type { Plugin, StepContext, StepOutput } from '../api.js';
import { EdgeoptError } from '../errors.js';
import type { Task } from '../plan/task-graph.js';

export interface CallInFlight {
  task: Task;
  plugin: Plugin;
  /** the task's private folder, removed if the process ends while the call is still running */
  workDir: string;
}

const inFlight = new Set<CallInFlight>();

/** Plugin calls that have started and not settled (a call whose promise can never settle stays here). */
export function callsInFlight(): CallInFlight[] {
  return [...inFlight];
}

const who = (task: Task, plugin: Plugin): string => `step "${task.step}" (plugin ${plugin.name}@${plugin.version})`;

/** How a thrown value that is not an Error reads: `the string "boom"`, `undefined`, `an object {"code":1}`. */
export function describeThrown(thrown: unknown): string {
  if (thrown === undefined || thrown === null) return String(thrown);
  if (typeof thrown === 'string') return `the string ${JSON.stringify(thrown.length > 200 ? `${thrown.slice(0, 200)}…` : thrown)}`;
  if (typeof thrown !== 'object') return `the ${typeof thrown} ${String(thrown)}`;
  let json: string | undefined;
  try {
    json = JSON.stringify(thrown);
  } catch {
    json = undefined;
  }
  return `an object ${json && json.length <= 200 ? json : `of type ${thrown.constructor?.name ?? 'Object'}`}`;
}

function outputError(task: Task, plugin: Plugin, problem: string): EdgeoptError {
  return new EdgeoptError({
    code: 'E_PLUGIN_OUTPUT', kind: 'step', message: `${who(task, plugin)} returned ${problem}`,
    hint: 'run() must resolve to { files: { role: path }, metrics?: plain JSON, warnings?: string[] }; nothing from this step was cached',
  });
}

/** The plugin's result if it has the StepOutput shape and its metrics are plain JSON; E_PLUGIN_OUTPUT otherwise. */
export function checkStepOutput(output: unknown, task: Task, plugin: Plugin): StepOutput {
  if (!output || typeof output !== 'object') return outputFailure(task, plugin, describeThrown(output));
  const o = output as Record<string, unknown>;
  const files = o['files'];
  if (!files || typeof files !== 'object' || Array.isArray(files) || !Object.values(files).every((f) => typeof f === 'string')) {
    throw outputError(task, plugin, '`files` that is not a mapping of output names to paths');
  }
  if (o['warnings'] !== undefined && !(Array.isArray(o['warnings']) && o['warnings'].every((w) => typeof w === 'string'))) {
    throw outputError(task, plugin, '`warnings` that is not a list of strings');
  }
  if (o['metrics'] !== undefined) {
    try {
      JSON.stringify(o['metrics']);
    } catch (err) {
      throw outputError(task, plugin, `\`metrics\` that are not plain JSON (${(err as Error).message.split('\n')[0]})`);
    }
  }
  return output as StepOutput;
}

function outputFailure(task: Task, plugin: Plugin, what: string): never {
  throw outputError(task, plugin, `${what} instead of a StepOutput object`);
}

function interrupted(task: Task): EdgeoptError {
  return new EdgeoptError({ code: 'E_INTERRUPTED', kind: 'interrupted', message: `${task.id} was interrupted` });
}

function timedOut(task: Task, plugin: Plugin): EdgeoptError {
  return new EdgeoptError({
    code: 'E_STEP_TIMEOUT', kind: 'step',
    message: `${who(task, plugin)} ran longer than its timeout_s of ${task.timeoutMs! / 1000} s and was stopped; nothing from it was cached`,
    hint: `raise \`timeout_s\` of step "${task.step}", or give it less work (a smaller model, fewer calibration samples)`,
  });
}

/**
 * Runs the plugin. An abort of `build` (Ctrl-C) or of ctx.signal (the step's timeout_s) rejects at once even if the
 * plugin never looks at ctx.signal; its promise is then abandoned, and what it still does touches only its own
 * folder, which the caller removes. Anything thrown that is not an EdgeoptError becomes E_STEP_FAILED.
 */
export async function callPlugin(
  plugin: Plugin, ctx: StepContext, task: Task, workDir: string, build: AbortSignal = ctx.signal,
): Promise<StepOutput> {
  const call: CallInFlight = { task, plugin, workDir };
  const stopped = (): EdgeoptError => (build.aborted ? interrupted(task) : timedOut(task, plugin));
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(stopped());
    ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
  inFlight.add(call);
  try {
    if (ctx.signal.aborted) throw stopped();
    const running = Promise.resolve().then(() => plugin.run(ctx, task.params));
    // an abandoned run that fails later must not become an unhandled rejection (Node ends the process on one)
    running.catch(() => undefined);
    const output = await Promise.race([running, aborted]);
    if (ctx.signal.aborted) throw stopped();
    return checkStepOutput(output, task, plugin);
  } catch (err) {
    if (ctx.signal.aborted) throw stopped();
    if (err instanceof EdgeoptError) throw err;
    const isError = err instanceof Error;
    throw new EdgeoptError({
      code: 'E_STEP_FAILED',
      kind: 'step',
      message: `${who(task, plugin)} failed: ${isError ? err.message : `it threw ${describeThrown(err)}, not an Error`}`,
      hint: isError ? 'run again with --debug for the stack trace; nothing from this step was cached'
        : 'a value that is not an Error carries no stack trace: report this to the plugin\'s author; nothing from this step was cached',
      cause: err,
    });
  } finally {
    inFlight.delete(call);
    if (onAbort) ctx.signal.removeEventListener('abort', onAbort);
  }
}
