// Words for the ep_coverage section, shared by the terminal, Markdown and HTML renderers.
import type { EpCoverage } from './ep-coverage-schema.js';

/** "318 of 330 nodes (96%) in 7 partitions", or why there is no figure. */
export function coverageSummary(c: EpCoverage): string {
  if (!c.known) return c.note ?? 'no static op table';
  const pct = c.nodes ? Math.round((100 * (c.supported ?? 0)) / c.nodes) : 0;
  const sub = c.subgraph_nodes ? `, ${c.subgraph_nodes} of them in subgraphs` : '';
  return `${c.supported} of ${c.nodes} nodes (${pct}%${sub}) in ${c.partitions} partition(s)`;
}

/** The ops it would not take, most frequent first: "HardSigmoid ×10, ConvTranspose ×2". */
export function notTakenText(c: EpCoverage, most = 6): string {
  const entries = Object.entries(c.unsupported ?? {}).sort((a, b) => b[1] - a[1]);
  const shown = entries.slice(0, most).map(([k, n]) => `${k.replace(/^ai\.onnx:/, '')} ×${n}`);
  return `${shown.join(', ')}${entries.length > most ? `, and ${entries.length - most} more` : ''}`;
}

/** ORT's usability verdict in words, for EPs on another device. */
export function suitabilityText(c: EpCoverage): string {
  switch (c.suitability) {
    case 'good': return 'should work well';
    case 'maybe': return 'may work: measure it';
    case 'poor': return 'fallback dominates';
    case 'none': return 'takes nothing';
    default: return c.note ?? '';
  }
}
