// Which nodes the recipe keeps in float: excluded op types and node-name globs (picomatch, `*` crossing `/`).
import picomatch from 'picomatch';
import type { NodeProto } from '../../src/api.js';

export interface Exclusions {
  /** why the node is excluded (which rule), or undefined */
  reason(node: NodeProto): string | undefined;
  /** the globs that matched no node so far (reported: a typo should not pass silently) */
  unusedGlobs(): string[];
  /** excluded op types that are not among the quantized op types (they change nothing) */
  inertOps(): string[];
}

/**
 * Node-name globs use bash-style matching where `*` also crosses `/`: PyTorch exports names such as
 * `/blocks.0/attn/MatMul`, and `*attn*` should match them. A glob without wildcards matches that exact name.
 */
export function createExclusions(ops: readonly string[], globs: readonly string[], opTypes: readonly string[]): Exclusions {
  const excludedOps = new Set(ops);
  const matchers = globs.map((glob) => ({ glob, test: picomatch(glob, { bash: true, dot: true }), used: false }));
  return {
    reason(node) {
      const op = node.op_type ?? '';
      if (excludedOps.has(op)) return `exclude.ops lists ${op}`;
      const name = node.name ?? '';
      for (const m of matchers) {
        if (name && m.test(name)) {
          m.used = true;
          return `its name matches exclude.nodes '${m.glob}'`;
        }
      }
      return undefined;
    },
    unusedGlobs: () => matchers.filter((m) => !m.used).map((m) => m.glob),
    inertOps: () => ops.filter((op) => !opTypes.includes(op)),
  };
}

/** The warning for exclude.nodes globs that matched nothing (`what`: the nodes they were matched against). */
export function unusedGlobsWarning(globs: readonly string[], what = 'quantizable node'): string | undefined {
  if (globs.length === 0) return undefined;
  return `exclude.nodes ${globs.map((g) => `'${g}'`).join(', ')} matched no ${what}: check the names (Netron shows them)`;
}
