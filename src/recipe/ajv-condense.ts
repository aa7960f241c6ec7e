// Turns ajv's noisy union (anyOf/oneOf) errors into one issue per union: an enum, a type mismatch, or the best branch's errors.
import type { ErrorObject } from 'ajv';
import { isUnder } from './pointer.js';

export type Issue =
  | { kind: 'ajv'; error: ErrorObject }
  /** a union of constants (TypeBox literal unions): the value is none of them */
  | { kind: 'enum'; instancePath: string; allowed: unknown[]; data: unknown; schema: unknown }
  /** no branch of the union accepts the value's type */
  | { kind: 'types'; instancePath: string; expected: string[]; data: unknown };

const UNION = new Set(['anyOf', 'oneOf']);
const ROOT_MISMATCH = new Set(['type', 'const', 'enum']);

/** The errors of a union error's branches: deeper schema path, same or deeper instance path. */
function isBranchOf(e: ErrorObject, union: ErrorObject): boolean {
  return e !== union && e.schemaPath.startsWith(`${union.schemaPath}/`) && isUnder(e.instancePath, union.instancePath);
}

export function condense(errors: readonly ErrorObject[]): Issue[] {
  const unions = errors.filter((e) => UNION.has(e.keyword));
  const outer = unions.filter((u) => !unions.some((v) => isBranchOf(u, v)));
  const issues: Issue[] = [];
  for (const e of errors) {
    if (outer.includes(e)) issues.push(...condenseUnion(e, errors.filter((x) => isBranchOf(x, e))));
    else if (!outer.some((u) => isBranchOf(e, u))) issues.push({ kind: 'ajv', error: e });
  }
  return issues;
}

function condenseUnion(union: ErrorObject, branchErrors: readonly ErrorObject[]): Issue[] {
  const branches = Array.isArray(union.schema) ? (union.schema as Array<Record<string, unknown>>) : [];
  const { instancePath, data } = union;
  if (branches.length > 0 && branches.every((b) => 'const' in b || Array.isArray(b['enum']))) {
    const allowed = branches.flatMap((b) => ('const' in b ? [b['const']] : (b['enum'] as unknown[])));
    return [{ kind: 'enum', instancePath, allowed, data, schema: union.parentSchema }];
  }
  const byBranch = new Map<string, ErrorObject[]>();
  for (const e of branchErrors) {
    const index = e.schemaPath.slice(union.schemaPath.length + 1).split('/')[0] ?? '';
    byBranch.set(index, [...(byBranch.get(index) ?? []), e]);
  }
  const compatible = [...byBranch.values()].filter(
    (errs) => !errs.some((e) => e.instancePath === instancePath && ROOT_MISMATCH.has(e.keyword)),
  );
  if (compatible.length === 0) {
    const expected = branches.flatMap((b) => (Array.isArray(b['type']) ? (b['type'] as string[]) : [String(b['type'] ?? 'value')]));
    return [{ kind: 'types', instancePath, expected: [...new Set(expected)], data }];
  }
  // the branch that got furthest (fewest complaints) is the one the user meant
  const best = compatible.reduce((a, b) => (b.length < a.length ? b : a));
  return condense(best);
}
