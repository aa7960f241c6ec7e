// The "Static EP coverage" section of report.html: per requested EP, nodes taken, partitions, what it cannot take, and where the table came from.
import type { EpCoverage } from './ep-coverage-schema.js';
import { coverageSummary, notTakenText, suitabilityText } from './ep-coverage-text.js';
import { escapeMarkup as e } from './markup-escape.js';
import type { Report } from './report-schema.js';

function row(c: EpCoverage): string {
  const cls = c.suitability === 'good' ? 'pass' : c.suitability === 'maybe' ? 'unmeasured' : c.suitability ? 'fail' : '';
  const verdict = c.known ? `<span class="status ${cls}">${e(suitabilityText(c))}</span>` : '';
  const sizes = c.partition_sizes?.length ? `<br><span class="note">partition sizes: ${e(c.partition_sizes.join(', '))}</span>` : '';
  const source = c.source ? `<br><span class="note">table: microsoft/onnxruntime ${e(c.source.files.join(', '))} (${e(c.source.ort)})</span>` : '';
  return `<tr class="ep-coverage"><td><code>${e(c.ep)}</code></td><td>${e(coverageSummary(c))}${sizes}</td><td>${verdict}</td><td>${e(notTakenText(c, 12))}${source}</td></tr>`;
}

export function epCoverageSection(r: Report): string {
  const list = r.ep_coverage ?? [];
  if (list.length === 0) return '';
  const caveats = [...new Set(list.flatMap((c) => (c.caveats ?? []).map((x) => `${c.ep}: ${x}`)))];
  const notes = caveats.length
    ? `<details><summary class="note">Documented limits of the ops taken (not checked statically: shapes, attributes, constant inputs)</summary><ul class="note">${caveats.map((x) => `<li>${e(x)}</li>`).join('')}</ul></details>`
    : '';
  return `<h2>Static EP coverage</h2><p class="note">What each requested EP would take of the final model by ORT's op tables, and how the graph would split (ORT's partition grouping and usability rule).</p>`
    + `<table id="ep-coverage"><thead><tr><th>EP</th><th>nodes taken</th><th>verdict</th><th>not taken</th></tr></thead><tbody>${list.map(row).join('')}</tbody></table>${notes}`;
}
