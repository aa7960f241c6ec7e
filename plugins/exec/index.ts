// `exec`: runs a user's command (argv, no shell) as a cached step with declared inputs and outputs.
import { readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { EdgeoptError, type JSONSchema, type Plugin } from '../../src/api.js';

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
    ctx.log.info(`$ ${[file, ...args].join(' ')}`);
    const result = await execa(file!, args, {
      cwd: ctx.recipe.dir,
      env: params.env ?? {},
      cancelSignal: ctx.signal,
      reject: false,
      all: true,
      stdin: 'ignore',
      ...(params.timeout_s ? { timeout: params.timeout_s * 1000 } : {}),
    });
    if (result.failed) {
      const tail = (result.all ?? '').split('\n').slice(-15).join('\n');
      const why = result.timedOut ? `timed out after ${params.timeout_s} s` : result.exitCode !== undefined ? `exited with code ${result.exitCode}` : (result.shortMessage ?? 'failed');
      throw new EdgeoptError({
        code: 'E_EXEC_FAILED', kind: 'step',
        message: `command \`${params.run.join(' ')}\` ${why}${tail ? `; its last output:\n${tail}` : ''}`,
        hint: 'run the command by hand from the recipe folder to see the whole output',
      });
    }
    const files: Record<string, string> = {};
    for (const [role, rel] of Object.entries(params.outputs ?? {})) {
      const p = path.join(ctx.tmpDir, rel);
      try {
        await fs.access(p);
      } catch {
        throw new EdgeoptError({ code: 'E_EXEC_OUTPUT', kind: 'step', message: `command \`${params.run.join(' ')}\` succeeded but did not write its declared output ${role}: ${rel}`, hint: 'write it under {out}' });
      }
      files[role] = p;
    }
    return { files, metrics: { exit_code: result.exitCode ?? 0, stdout_tail: (result.stdout ?? '').toString().slice(-2000) } };
  },
};

export default execPlugin;
