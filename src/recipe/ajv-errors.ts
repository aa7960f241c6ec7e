// Maps ajv errors to EdgeoptErrors placed at the exact YAML key or value, saying path, expected and found, with a fix.
import type { ErrorObject } from 'ajv';
import { EdgeoptError } from '../errors.js';
import { condense, type Issue } from './ajv-condense.js';
import { suggest } from './did-you-mean.js';
import { locate, type LocatedDoc } from './located-doc.js';
import { displayPath, join } from './pointer.js';

export interface ErrorMapping {
  /** the document the validated value sits in, for locations */
  doc: LocatedDoc;
  /** pointer of the validated value inside `doc` ('' for a whole recipe, '/steps/0/with' for plugin params) */
  base: string;
  /** replaces every code (plugin params are all E_PLUGIN_PARAMS) */
  code?: string;
}

type Draft = { code: string; pointer: string; at: 'key' | 'value'; message: string; hint?: string };

export function mapAjvErrors(errors: readonly ErrorObject[], m: ErrorMapping): EdgeoptError[] {
  return condense(errors).map((issue) => {
    const d = draft(issue, m.base);
    const location = locate(m.doc, d.pointer, d.at);
    return new EdgeoptError({
      code: m.code ?? d.code, message: d.message, ...(location ? { location } : {}), ...(d.hint ? { hint: d.hint } : {}),
    });
  });
}

function draft(issue: Issue, base: string): Draft {
  if (issue.kind === 'enum') return enumDraft(base + issue.instancePath, issue.allowed, issue.data);
  if (issue.kind === 'types') return typeDraft(base + issue.instancePath, issue.expected, issue.data);
  const e = issue.error;
  const pointer = base + e.instancePath;
  const path = `\`${displayPath(pointer)}\``;
  const p = e.params as Record<string, unknown>;
  const parentSchema = (e.parentSchema ?? {}) as Record<string, unknown>;
  const keys = Object.keys((parentSchema['properties'] ?? {}) as object);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p['additionalProperty']);
      const where = pointer === '' ? 'at the top level' : `in ${path}`;
      return { code: 'E_UNKNOWN_KEY', pointer: join(pointer, key), at: 'key', message: `unknown key \`${key}\` ${where}`, hint: suggest(key, keys, 'allowed keys') };
    }
    case 'required': {
      const key = String(p['missingProperty']);
      const sub = ((parentSchema['properties'] ?? {}) as Record<string, Record<string, unknown>>)[key];
      const about = typeof sub?.['description'] === 'string' ? ` (${sub['description']})` : '';
      const where = pointer === '' ? 'the recipe' : path;
      return { code: 'E_REQUIRED', pointer, at: 'key', message: `${where} is missing the required key \`${key}\``, hint: `add \`${key}:\`${about}` };
    }
    case 'type':
      return typeDraft(pointer, [p['type']].flat().map(String), e.data);
    case 'const':
      return enumDraft(pointer, [p['allowedValue']], e.data);
    case 'enum':
      return enumDraft(pointer, p['allowedValues'] as unknown[], e.data);
    default:
      return valueDraft(e, pointer, path, keys);
  }
}

function valueDraft(e: ErrorObject, pointer: string, path: string, keys: string[]): Draft {
  const p = e.params as Record<string, unknown>;
  const found = describe(e.data);
  const d = (message: string, hint?: string): Draft => ({ code: 'E_VALUE', pointer, at: 'value', message, ...(hint ? { hint } : {}) });
  switch (e.keyword) {
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum': {
      // the key's own description says what the bound is for, when the schema has one
      const about = typeof e.parentSchema?.['description'] === 'string' ? `: ${String(e.parentSchema['description'])}` : '';
      return d(`${path} must be ${String(p['comparison'])} ${String(p['limit'])}, found ${found}`, `write a number ${String(p['comparison'])} ${String(p['limit'])}${about}`);
    }
    case 'minLength':
      return d(p['limit'] === 1 ? `${path} must not be empty` : `${path} must have at least ${String(p['limit'])} characters, found ${found}`);
    case 'maxLength':
      return d(`${path} must have at most ${String(p['limit'])} characters, found ${typeof e.data === 'string' ? e.data.length : 'more'}`, 'shorten it');
    case 'minItems':
      return d(`${path} must have at least ${String(p['limit'])} item${p['limit'] === 1 ? '' : 's'}`);
    case 'pattern':
      return d(`${path} must match ${String(p['pattern'])}, found ${found}`, PATTERN_HINTS[String(p['pattern'])]);
    case 'uniqueItems': {
      const later = Math.max(Number(p['i']), Number(p['j']));
      const item = Array.isArray(e.data) ? describe(e.data[later]) : 'an item';
      return { ...d(`${path} lists ${item} twice (items ${String(p['j'])} and ${String(p['i'])})`, 'remove the repeated item'), pointer: join(pointer, later) };
    }
    case 'minProperties':
      return d(`${path} needs at least one of ${keys.map((k) => `\`${k}\``).join(', ')}`, `e.g. \`${keys[0] ?? 'key'}: …\``);
    case 'format':
      return d(`${path} must be a valid ${String(p['format'])}, found ${found}`);
    default:
      return d(`${path} ${e.message ?? 'is invalid'}, found ${found}`);
  }
}

const PATTERN_HINTS: Record<string, string> = {
  '^[A-Za-z0-9][A-Za-z0-9._-]*$': 'start with a letter or digit, then use only letters, digits, `.`, `_` or `-`',
  '^[A-Za-z][A-Za-z0-9_-]*$': 'start with a letter, then use only letters, digits, `_` or `-`',
};

function typeDraft(pointer: string, expected: string[], data: unknown): Draft {
  const subject = pointer === '' ? 'the document' : `\`${displayPath(pointer)}\``;
  const message = `${subject} must be ${orList(expected.map(typeName))}, found ${describe(data)}`;
  let hint: string | undefined;
  if (typeof data === 'string' && data.trim() !== '' && !Number.isNaN(Number(data)) && expected.some((t) => t === 'number' || t === 'integer')) {
    hint = `remove the quotes: write ${data}, not "${data}"`;
  } else if (expected.includes('array') && data !== null && typeof data !== 'object') {
    hint = `write a list, e.g. [${JSON.stringify(data)}]`;
  } else if (expected.includes('integer') && typeof data === 'number') {
    hint = `use a whole number, e.g. ${Math.round(data)}`;
  } else if (pointer === '') {
    hint = 'write the file as `key: value` lines, e.g. `name: my-model`';
  } else if (data === null) {
    hint = 'give it a value, or remove the key';
  }
  return { code: 'E_TYPE', pointer, at: 'value', message, ...(hint ? { hint } : {}) };
}

function enumDraft(pointer: string, allowed: unknown[], data: unknown): Draft {
  const names = allowed.map((a) => String(a));
  const listed = names.length <= 8 ? ` one of ${names.join(', ')}` : ` one of the ${names.length} allowed values`;
  const message = `\`${displayPath(pointer)}\` must be${listed}, found ${describe(data)}`;
  const hint = suggest(typeof data === 'string' ? data : String(data), names);
  return { code: 'E_ENUM', pointer, at: 'value', message, ...(hint ? { hint } : {}) };
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string', number: 'a number', integer: 'an integer', boolean: 'true or false',
  object: 'a mapping', array: 'a list', null: 'null',
};

function typeName(t: string): string {
  return TYPE_NAMES[t] ?? t;
}

function orList(items: string[]): string {
  if (items.length <= 1) return items[0] ?? 'something else';
  return `${items.slice(0, -1).join(', ')}${items.length > 2 ? ',' : ''} or ${items[items.length - 1]}`;
}

/** How a found value is shown: 'the string "4"', 'the number 0', 'a list', 'nothing'. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : String(value);
}
