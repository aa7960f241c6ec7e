// Merges recipe fragments: maps merge key by key, lists and scalars replace; every value keeps the place it came from.
import { copyLocs, isPlainObject, setOwn, type LocatedDoc, type NodeLoc } from './located-doc.js';
import { join, valueAt } from './pointer.js';

/** `over` laid on top of `base` (neither is modified). */
export function mergeLocated(base: LocatedDoc, over: LocatedDoc): LocatedDoc {
  const locs = new Map<string, NodeLoc>();
  const value = mergeAt(base, over, '', locs);
  return { value, locs };
}

/** Folds fragments left to right: the last one wins. */
export function mergeAll(docs: readonly LocatedDoc[]): LocatedDoc {
  const [first, ...rest] = docs;
  if (!first) return { value: {}, locs: new Map() };
  return rest.reduce(mergeLocated, first);
}

function mergeAt(base: LocatedDoc, over: LocatedDoc, pointer: string, locs: Map<string, NodeLoc>): unknown {
  const b = valueAt(base.value, pointer);
  const o = valueAt(over.value, pointer);
  if (!isPlainObject(b) || !isPlainObject(o)) {
    copyLocs(over.locs, pointer, locs);
    return o;
  }
  const here = over.locs.get(pointer) ?? base.locs.get(pointer);
  if (here) locs.set(pointer, here);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(b)) {
    if (Object.hasOwn(o, key)) {
      setOwn(out, key, mergeAt(base, over, join(pointer, key), locs));
    } else {
      setOwn(out, key, b[key]);
      copyLocs(base.locs, join(pointer, key), locs);
    }
  }
  for (const key of Object.keys(o)) {
    if (Object.hasOwn(b, key)) continue;
    setOwn(out, key, o[key]);
    copyLocs(over.locs, join(pointer, key), locs);
  }
  return out;
}
