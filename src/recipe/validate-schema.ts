// Validates a (merged) recipe document, a fragment that others extend, or a project config against its JSON Schema.
import type { ValidateFunction } from 'ajv';
import type { EdgeoptError } from '../errors.js';
import { mapAjvErrors } from './ajv-errors.js';
import { configValidate, fragmentValidate, recipeValidate } from './ajv-instance.js';
import type { LocatedDoc } from './located-doc.js';

export type SchemaKind = 'recipe' | 'fragment' | 'config';

const VALIDATORS: Record<SchemaKind, () => ValidateFunction> = {
  recipe: recipeValidate,
  fragment: fragmentValidate,
  config: configValidate,
};

/** All schema errors of `doc`, each placed at its key or value (which may lie in an `extends`d file). */
export function validateDoc(doc: LocatedDoc, kind: SchemaKind): EdgeoptError[] {
  const validate = VALIDATORS[kind]();
  if (validate(doc.value)) return [];
  return mapAjvErrors(validate.errors ?? [], { doc, base: '' });
}
