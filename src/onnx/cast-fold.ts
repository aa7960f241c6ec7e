// Removes back-to-back Casts where that keeps the values: Cast(Cast(x)) reads x directly, no-op Casts disappear.
import { walkGraphs } from './graph-walk.js';
import { DataType } from './model-types.js';
import type { GraphProto, ModelProto, NodeProto } from './model-types.js';
import { normalizeDomain, opsetVersion } from './opset.js';
import { castTarget, inferElemTypes } from './type-inference.js';

const D = DataType;
const FLOATS = new Set<number>([D.FLOAT16, D.BFLOAT16, D.FLOAT, D.DOUBLE]);

/** Types every value of which the wider type holds exactly. */
const EXACT_IN: Record<number, number[]> = {
  [D.BOOL]: [D.INT8, D.UINT8, D.INT16, D.UINT16, D.INT32, D.UINT32, D.INT64, D.UINT64, D.FLOAT16, D.BFLOAT16, D.FLOAT, D.DOUBLE],
  [D.INT8]: [D.INT16, D.INT32, D.INT64, D.FLOAT16, D.FLOAT, D.DOUBLE],
  [D.UINT8]: [D.INT16, D.UINT16, D.INT32, D.UINT32, D.INT64, D.UINT64, D.FLOAT16, D.FLOAT, D.DOUBLE],
  [D.INT16]: [D.INT32, D.INT64, D.FLOAT, D.DOUBLE],
  [D.UINT16]: [D.INT32, D.UINT32, D.INT64, D.UINT64, D.FLOAT, D.DOUBLE],
  [D.INT32]: [D.INT64, D.DOUBLE],
  [D.UINT32]: [D.INT64, D.UINT64, D.DOUBLE],
  [D.FLOAT16]: [D.FLOAT, D.DOUBLE],
  [D.BFLOAT16]: [D.FLOAT, D.DOUBLE],
  [D.FLOAT]: [D.DOUBLE],
};

/** Whether `from` → `to` keeps every value (a widening). */
export function castIsExact(from: number, to: number): boolean {
  return from === to || (EXACT_IN[from]?.includes(to) ?? false);
}

/**
 * Whether Cast(Cast(x: a → b) → c) equals Cast(x: a → c): the middle type holds every value of `a`, or `b` and `c`
 * are float types with `c` no wider than `b` (rounding to c directly; ONNX Runtime's own float16 tools do the same).
 */
function foldable(a: number, b: number, c: number): boolean {
  return castIsExact(a, b) || (FLOATS.has(b) && FLOATS.has(c) && castIsExact(c, b) && (FLOATS.has(a) || a === D.INT64 || a === D.INT32));
}

const isCast = (node: NodeProto): boolean => node.op_type === 'Cast' && normalizeDomain(node.domain) === '';

/** Renames reads of `from` to `to` in `graph`'s nodes and in the bodies below it (names are unique model-wide). */
function renameReads(graph: GraphProto, from: string, to: string, ownOutputs: boolean): void {
  for (const { graph: g, depth } of walkGraphs(graph)) {
    for (const node of g.node) node.input = node.input.map((n) => (n === from ? to : n));
    if (depth > 0 || ownOutputs) for (const vi of g.output) if (vi.name === from) vi.name = to;
  }
}

export interface CastFoldResult {
  /** Casts that now read the first Cast's input */
  rewired: number;
  /** no-op Casts removed */
  removed: number;
}

/** Folds Cast chains in every graph of `model` (in place); dead Casts left behind are dropped by pruneModel. */
export function foldCasts(model: ModelProto): CastFoldResult {
  const result: CastFoldResult = { rewired: 0, removed: 0 };
  if (!model.graph) return result;
  const opset = opsetVersion(model, '') ?? 1;
  for (let pass = 0; pass < 4; pass++) {
    const types = inferElemTypes(model.graph, opset);
    let changed = false;
    const lookups = new Map<GraphProto, (name: string) => number | undefined>();
    for (const { graph, depth, parent } of walkGraphs(model.graph)) {
      const local = types.get(graph);
      const outer = parent ? lookups.get(parent) : undefined;
      const typeOf = (name: string): number | undefined => local?.get(name) ?? outer?.(name);
      lookups.set(graph, typeOf);
      const casts = new Map(graph.node.filter(isCast).map((n) => [n.output[0] ?? '', n]));
      const outputs = new Set(graph.output.map((o) => o.name));
      for (const node of graph.node.filter(isCast)) {
        const first = casts.get(node.input[0] ?? '');
        const a = first ? typeOf(first.input[0] ?? '') : undefined;
        const b = first ? castTarget(first) : undefined;
        const c = castTarget(node);
        if (first && a !== undefined && b !== undefined && c !== undefined && foldable(a, b, c)) {
          node.input[0] = first.input[0] ?? '';
          result.rewired++;
          changed = true;
        }
      }
      for (const node of graph.node.filter(isCast)) {
        const input = node.input[0] ?? '';
        const output = node.output[0] ?? '';
        // a main-graph output keeps its name: its Cast stays (a subgraph's outputs are positional and can be renamed)
        if (typeOf(input) === undefined || typeOf(input) !== castTarget(node) || (depth === 0 && outputs.has(output))) continue;
        graph.node = graph.node.filter((n) => n !== node);
        renameReads(graph, output, input, depth > 0);
        result.removed++;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return result;
}
