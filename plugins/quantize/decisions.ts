// Per-node decisions of a quantization pass (why a node stayed in float), summarized for warnings and capped for metrics.

export interface NodeDecision {
  node: string;
  opType: string;
  /** graph path, e.g. `main/If_0.then_branch` */
  graph: string;
  reason: string;
}

/** Nodes listed by name in a warning; the rest are counted (all of them are in the step's metrics, up to the cap). */
const NAMED_IN_WARNING = 5;
/** Decisions kept in the metrics, so a model with 10 000 skipped nodes does not make a 10 MB report. */
export const DECISIONS_IN_METRICS = 200;

/** "3 node(s) kept in float32: MatMul 'a' (why); …", or undefined when there are none. */
export function summarizeDecisions(decisions: readonly NodeDecision[], what: string): string | undefined {
  if (decisions.length === 0) return undefined;
  const named = decisions.slice(0, NAMED_IN_WARNING).map((d) => `${d.opType} '${d.node}' (${d.reason})`).join('; ');
  const more = decisions.length > NAMED_IN_WARNING ? `; and ${decisions.length - NAMED_IN_WARNING} more (see the step's metrics)` : '';
  return `${decisions.length} node(s) ${what}: ${named}${more}`;
}

/** `{ <name>_count, <name> }` for the metrics: the total and the first DECISIONS_IN_METRICS decisions. */
export function decisionMetrics(name: string, decisions: readonly NodeDecision[]): Record<string, unknown> {
  return { [`${name}_count`]: decisions.length, [name]: decisions.slice(0, DECISIONS_IN_METRICS) };
}
