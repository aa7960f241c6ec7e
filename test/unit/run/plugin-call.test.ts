// What a plugin's run() may return and throw, and what the user reads when it gets that wrong.
import { describe, expect, it } from 'vitest';
import type { Plugin, StepContext } from '../../../src/api.js';
import { EdgeoptError } from '../../../src/errors.js';
import type { Task } from '../../../src/plan/task-graph.js';
import { callPlugin, callsInFlight, checkStepOutput, describeThrown } from '../../../src/run/plugin-call.js';

const task = { id: 'r:s', recipe: 'r', step: 's', params: {} } as unknown as Task;
const plugin = (run: Plugin['run']): Plugin => ({ name: 'p', version: '1', params: {}, produces: 'metrics', run });
const ctx = (signal = new AbortController().signal): StepContext => ({ signal } as unknown as StepContext);

describe('describeThrown', () => {
  it.each([
    [undefined, 'undefined'], [null, 'null'], ['boom', 'the string "boom"'], [7, 'the number 7'],
    [{ a: 1 }, 'an object {"a":1}'], [new Map(), 'an object {}'],
  ])('%o reads as %s', (thrown, text) => {
    expect(describeThrown(thrown)).toBe(text);
  });

  it('names the type of an object that cannot be shown as JSON', () => {
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    expect(describeThrown(circular)).toBe('an object of type Object');
  });
});

describe('checkStepOutput', () => {
  const problem = (output: unknown): string => {
    try {
      checkStepOutput(output, task, plugin(async () => ({ files: {} })));
      return 'ok';
    } catch (err) {
      return (err as EdgeoptError).message;
    }
  };

  it('accepts a StepOutput and names what is wrong with anything else', () => {
    expect(problem({ files: { model: 'm.onnx' }, metrics: { a: 1 }, warnings: ['w'] })).toBe('ok');
    expect(problem(undefined)).toBe('step "s" (plugin p@1) returned undefined instead of a StepOutput object');
    expect(problem({ files: ['m.onnx'] })).toMatch(/`files` that is not a mapping/);
    expect(problem({ files: { model: 3 } })).toMatch(/`files` that is not a mapping/);
    expect(problem({ files: {}, warnings: 'one' })).toMatch(/`warnings` that is not a list of strings/);
    expect(problem({ files: {}, metrics: { n: 1n } })).toMatch(/`metrics` that are not plain JSON \(Do not know how to serialize a BigInt\)/);
  });
});

describe('callPlugin', () => {
  it('an abort wins over a run() that never looks at its signal, and the call leaves the in-flight list', async () => {
    const abort = new AbortController();
    const running = callPlugin(plugin(() => new Promise(() => {})), ctx(abort.signal), task, '/tmp/x');
    expect(callsInFlight().map((c) => c.task.id)).toEqual(['r:s']);
    abort.abort();
    await expect(running).rejects.toMatchObject({ code: 'E_INTERRUPTED', kind: 'interrupted' });
    expect(callsInFlight()).toEqual([]);
  });
});
