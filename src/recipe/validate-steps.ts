// Checks what the schema cannot: plugins named by `uses`, their `with:` params, step ids, `needs` and cycles.
import type { Plugin } from '../api.js';
import { EdgeoptError } from '../errors.js';
import { mapAjvErrors } from './ajv-errors.js';
import { pluginValidate } from './ajv-instance.js';
import { suggest } from './did-you-mean.js';
import { isPlainObject, locate, type LocatedDoc } from './located-doc.js';
import { displayPath, valueAt } from './pointer.js';
import { effectiveNeeds, findCycles, type StepLike } from './step-needs.js';

export function validateSteps(doc: LocatedDoc, plugins: ReadonlyMap<string, Plugin>): EdgeoptError[] {
  const raw = valueAt(doc.value, '/steps');
  if (!Array.isArray(raw)) return [];
  const steps: StepLike[] = raw.map((s) => (isPlainObject(s) ? s : {}));
  const errors: EdgeoptError[] = [];
  const err = (code: string, pointer: string, message: string, hint?: string, at: 'key' | 'value' = 'value'): void => {
    const location = locate(doc, pointer, at);
    errors.push(new EdgeoptError({ code, message, ...(location ? { location } : {}), ...(hint ? { hint } : {}) }));
  };
  const ids = steps.map((s) => (typeof s.id === 'string' ? s.id : undefined));
  const firstIndex = new Map<string, number>();
  ids.forEach((id, i) => {
    if (id === undefined) return;
    const first = firstIndex.get(id);
    if (first === undefined) firstIndex.set(id, i);
    else err('E_DUPLICATE_STEP', `/steps/${i}/id`, `step id \`${id}\` is used twice (steps[${first}] on line ${locate(doc, `/steps/${first}/id`)?.line ?? '?'} has it too)`, 'give each step a unique id');
  });
  raw.forEach((step, i) => {
    if (isPlainObject(step)) errors.push(...checkPlugin(doc, step, `/steps/${i}`, plugins));
  });
  const known = [...firstIndex.keys()];
  steps.forEach((step, i) => {
    if (!Array.isArray(step.needs)) return;
    step.needs.forEach((need, j) => {
      if (typeof need === 'string' && !firstIndex.has(need)) {
        err('E_NEEDS_UNKNOWN', `/steps/${i}/needs/${j}`, `\`steps[${i}].needs\` names \`${need}\`, which is not the id of a step`, suggest(need, known, 'step ids'));
      }
    });
  });
  for (const cycle of findCycles(ids, effectiveNeeds(steps))) {
    const words = cycle.map((i) => `\`${ids[i]}\``);
    const links = cycle.map((i, k) => {
      const implicit = !Array.isArray(steps[i]?.needs) ? ' (implicitly: it is the step before it)' : '';
      return `${words[k]} needs ${words[(k + 1) % cycle.length]}${implicit}`;
    });
    const explicit = cycle.find((i) => Array.isArray(steps[i]?.needs)) ?? cycle[0] ?? 0;
    err('E_NEEDS_CYCLE', Array.isArray(steps[explicit]?.needs) ? `/steps/${explicit}/needs` : `/steps/${explicit}/id`,
      `steps depend on each other in a cycle: ${links.join(', ')}`,
      'remove one of these dependencies; a step without `needs` runs after the step before it, `needs: []` runs it on the source model');
  }
  return errors;
}

function checkPlugin(doc: LocatedDoc, step: Record<string, unknown>, at: string, plugins: ReadonlyMap<string, Plugin>): EdgeoptError[] {
  const uses = step['uses'];
  if (typeof uses !== 'string' || uses === '') return [];
  const located = (pointer: string): { location?: NonNullable<ReturnType<typeof locate>> } => {
    const location = locate(doc, pointer);
    return location ? { location } : {};
  };
  const plugin = plugins.get(uses);
  if (!plugin) {
    return [new EdgeoptError({
      code: 'E_UNKNOWN_PLUGIN', message: `\`${displayPath(`${at}/uses`)}\` names \`${uses}\`, which is not a known plugin`,
      hint: suggest(uses, [...plugins.keys()].sort(), 'available plugins'), ...located(`${at}/uses`),
    })];
  }
  const params = step['with'] ?? {};
  if (!isPlainObject(params)) return [];
  const validate = pluginValidate(plugin);
  if (validate instanceof Error) {
    return [new EdgeoptError({
      code: 'E_PLUGIN_SCHEMA', kind: 'internal', message: `plugin \`${uses}\` has an invalid params schema: ${validate.message}`,
      hint: 'this is a bug in the plugin; report it to its author', ...located(`${at}/uses`),
    })];
  }
  const base = `${at}/with`;
  if (!validate(params)) return mapAjvErrors(validate.errors ?? [], { doc, base, code: 'E_PLUGIN_PARAMS' });
  if (!plugin.check) return [];
  try {
    return plugin.check(params).map((problem) => new EdgeoptError({
      code: 'E_PLUGIN_PARAMS', message: `\`${displayPath(base + problem.pointer)}\`: ${problem.message}`, ...(problem.hint ? { hint: problem.hint } : {}),
      ...located(base + problem.pointer),
    }));
  } catch (cause) {
    return [new EdgeoptError({
      code: 'E_PLUGIN_CHECK', kind: 'internal', message: `plugin \`${uses}\` failed while checking its params: ${String(cause)}`,
      hint: 'this is a bug in the plugin; report it to its author', cause, ...located(`${at}/uses`),
    })];
  }
}
