// A parsed document together with where each of its values (and map keys) was written.
import type { SourceLocation } from '../errors.js';
import { isUnder, join, parent, valueAt } from './pointer.js';

/** Where a node was written: the key that introduced it (absent for list items and the root) and its value. */
export interface NodeLoc {
  key?: SourceLocation;
  value: SourceLocation;
}

export interface LocatedDoc {
  /** the plain JSON value */
  value: unknown;
  /** JSON pointer → place; pointers may point into different files after merging */
  locs: Map<string, NodeLoc>;
}

/**
 * The most precise place for a pointer: the node itself, else its nearest located ancestor.
 * `prefer: 'key'` returns the key's place when there is one (unknown keys, missing values).
 */
export function locate(doc: LocatedDoc, pointer: string, prefer: 'key' | 'value' = 'value'): SourceLocation | undefined {
  let p = pointer;
  for (;;) {
    const loc = doc.locs.get(p);
    if (loc) return prefer === 'key' && loc.key ? loc.key : loc.value;
    if (p === '') return undefined;
    p = parent(p);
  }
}

/** The sub-document at `prefix`, its pointers rebased to start at ''. */
export function subDoc(doc: LocatedDoc, prefix: string): LocatedDoc {
  const value = valueAt(doc.value, prefix);
  const locs = new Map<string, NodeLoc>();
  for (const [p, loc] of doc.locs) {
    if (isUnder(p, prefix)) locs.set(p.slice(prefix.length), loc);
  }
  return { value, locs };
}

/** The locations of `doc` at or below `prefix`, copied into `into`. */
export function copyLocs(from: Map<string, NodeLoc>, prefix: string, into: Map<string, NodeLoc>): void {
  for (const [p, loc] of from) {
    if (isUnder(p, prefix)) into.set(p, loc);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Sets an own property even for keys like `__proto__` that a user may write in YAML. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A doc whose every value is placed at `loc` (a JS config file: we know the file, not the line). */
export function uniformDoc(value: unknown, loc: SourceLocation): LocatedDoc {
  const locs = new Map<string, NodeLoc>();
  const walk = (node: unknown, pointer: string): void => {
    locs.set(pointer, { value: loc });
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, join(pointer, i)));
    else if (isPlainObject(node)) for (const [k, v] of Object.entries(node)) walk(v, join(pointer, k));
  };
  walk(value, '');
  return { value, locs };
}
