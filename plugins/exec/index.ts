// `exec`: runs a user's command (argv, no shell) as a cached step with declared inputs and outputs.
import { readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { EdgeoptError, type JSONSchema, type Plugin } from '../../src/api.js';
import { runCommand, type CommandResult } from './run-command.js';

interface ExecParams {
  run: string[];
  inputs?: string[];
  outputs?: Record<string, string>;
  env?: Record<string, string>;
  timeout_s?: number;
}

const schema = JSON.parse(readFileSync(new URL('./schema.json', import.meta.url), 'utf8')) as JSONSchema;

export const execPlugin: Plugin<ExecParams> = {
  name: 'exec',
  version: '1.0.0',
  params: schema,
  produces: (params) => (params.outputs?.model ? 'model' : 'metrics'),
  fileInputs: (params) => params.inputs ?? [],
  check: (params) => Object.entries(params.outputs ?? {})
    .filter(([, file]) => path.isAbsolute(file) || path.normalize(file).startsWith('..'))
    .map(([role, file]) => ({ pointer: `/outputs/${role}`, message: `output "${file}" must stay inside {out}`, hint: 'use a relative path such as model.onnx' })),
  async run(ctx, params) {
    const subst = (arg: string): string => arg
      .replaceAll('{model}', ctx.inputs.model.path)
      .replaceAll('{out}', ctx.tmpDir)
      .replaceAll('{recipe_dir}', ctx.recipe.dir);
    const [file, ...args] = params.run.map(subst);
    const shown = `\`${params.run.join(' ')}\``;
    ctx.log.info(`$ ${[file, ...args].join(' ')}`);
    const result = await runCommand(file!, args, {
      cwd: ctx.recipe.dir, env: params.env ?? {}, signal: ctx.signal,
      ...(params.timeout_s ? { timeoutMs: params.timeout_s * 1000 } : {}),
    });
    ctx.signal.throwIfAborted();
    if (result.spawnError || result.exitCode !== 0) throw commandFailed(shown, params, result);
    const files: Record<string, string> = {};
    for (const [role, rel] of Object.entries(params.outputs ?? {})) {
      const p = path.join(ctx.tmpDir, rel);
      const info = await fs.stat(p).catch(() => undefined);
      if (!info?.isFile()) {
        const what = info ? 'wrote a folder, not a file, at' : 'did not write';
        throw new EdgeoptError({ code: 'E_EXEC_OUTPUT', kind: 'step', message: `command ${shown} succeeded but ${what} its declared output ${role}: ${rel}`, hint: 'write the file under {out}' });
      }
      files[role] = p;
    }
    return { files, metrics: { exit_code: result.exitCode ?? 0, stdout_tail: result.stdoutTail.slice(-2000) } };
  },
};

/** The last lines of what the command printed, each cut to a readable length. */
function lastLines(text: string, lines = 15, width = 500): string {
  return text.replace(/\s+$/, '').split('\n').slice(-lines).map((l) => (l.length > width ? `${l.slice(0, width)}…` : l)).join('\n');
}

function commandFailed(shown: string, params: ExecParams, result: CommandResult): EdgeoptError {
  if (result.spawnError === 'ENOENT') {
    return new EdgeoptError({
      code: 'E_EXEC_FAILED', kind: 'step',
      message: `command ${shown} could not start: there is no program \`${params.run[0]}\` on PATH (nor at that path from the recipe's folder)`,
      hint: 'install it, or give its path relative to the recipe; `run` is an argv list, not a shell line (use [sh, -c, "…"] for pipes)',
    });
  }
  if (result.spawnError) {
    return new EdgeoptError({ code: 'E_EXEC_FAILED', kind: 'step', message: `command ${shown} could not start (${result.spawnError})`, hint: 'check that the file is an executable program' });
  }
  const why = result.stopped === 'timeout' ? `timed out after ${params.timeout_s} s and was stopped, with everything it started`
    : result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
  const tail = lastLines(result.tail);
  return new EdgeoptError({
    code: 'E_EXEC_FAILED', kind: 'step',
    message: `command ${shown} ${why}${tail ? `; its last output:\n${tail}` : ''}`,
    hint: 'run the command by hand from the recipe folder to see the whole output',
  });
}

export default execPlugin;
