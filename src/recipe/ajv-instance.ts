// The one configured ajv (strict, allErrors, formats) and the validators compiled from it, each compiled once.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Plugin } from '../api.js';
import { ProjectConfigSchema } from './config-schema.js';
import { ModelSpec, RecipeFragmentSchema, RecipeSchema } from './schema.js';

// verbose: errors carry the failing schema and data, which the messages need (allowed keys, found value)
const ajv = new Ajv2020({ strict: true, allErrors: true, verbose: true });
addFormats.default(ajv);

let recipeValidator: ValidateFunction | undefined;
let fragmentValidator: ValidateFunction | undefined;
let configValidator: ValidateFunction | undefined;
let modelValidator: ValidateFunction | undefined;

export function recipeValidate(): ValidateFunction {
  recipeValidator ??= ajv.compile(RecipeSchema);
  return recipeValidator;
}

export function fragmentValidate(): ValidateFunction {
  fragmentValidator ??= ajv.compile(RecipeFragmentSchema);
  return fragmentValidator;
}

export function configValidate(): ValidateFunction {
  configValidator ??= ajv.compile(ProjectConfigSchema);
  return configValidator;
}

/** `model:` on its own, so its pins can be checked against the model whatever else in the recipe is wrong. */
export function modelValidate(): ValidateFunction {
  modelValidator ??= ajv.compile(ModelSpec);
  return modelValidator;
}

const pluginValidators = new WeakMap<Plugin, ValidateFunction | Error>();

/** The validator of a plugin's `with:` params, or the Error its schema fails to compile with (a plugin bug). */
export function pluginValidate(plugin: Plugin): ValidateFunction | Error {
  let v = pluginValidators.get(plugin);
  if (!v) {
    try {
      v = ajv.compile(plugin.params);
    } catch (e) {
      // two plugin objects sharing one schema with an $id: ajv already holds it
      const id = (plugin.params as Record<string, unknown> | undefined)?.['$id'];
      v = (typeof id === 'string' ? ajv.getSchema(id) : undefined) ?? (e instanceof Error ? e : new Error(String(e)));
    }
    pluginValidators.set(plugin, v);
  }
  return v;
}
