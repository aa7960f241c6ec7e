// The shell of the HTML reports: inline CSS, and a Content-Security-Policy that forbids scripts and any network fetch.
import { escapeMarkup } from './markup-escape.js';

export const COLORS = { baseline: '#7c8594', final: '#2563eb', front: '#d97706' } as const;

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 980px; padding: 24px; color: #1f2937; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #e5e7eb; padding-bottom: 4px; }
.meta { color: #4b5563; margin: 2px 0; }
.status { display: inline-block; padding: 1px 10px; border-radius: 10px; font-weight: 600; font-size: 13px; }
.status.pass { background: #dcfce7; color: #166534; } .status.fail, .status.error { background: #fee2e2; color: #991b1b; } .status.unmeasured { background: #fef3c7; color: #92400e; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; } th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
td, li, p { overflow-wrap: anywhere; }
th { background: #f9fafb; font-weight: 600; } td.num { text-align: right; font-variant-numeric: tabular-nums; } code { font-size: 13px; }
.warnings li { color: #92400e; } .note { color: #6b7280; font-size: 12px; margin: 2px 0; }
svg.plot { width: 100%; height: auto; max-width: 760px; display: block; margin: 8px 0; }
svg .plot-bg { fill: #fcfcfd; } svg .grid { stroke: #e5e7eb; stroke-width: 1; } svg .axis { stroke: #6b7280; stroke-width: 1; }
svg text { font: 11px system-ui, sans-serif; fill: #374151; } svg .axis-title { font-size: 12px; fill: #111827; }
svg .bar-label { font-size: 12px; } svg .delta { font-weight: 600; font-size: 12px; }
svg .delta.better { fill: #15803d; } svg .delta.worse { fill: #b91c1c; } svg .delta.same { fill: #6b7280; }
td.better { color: #15803d; } td.worse { color: #b91c1c; }
svg .point-label { font-size: 11px; fill: #111827; } svg a .point-label { text-decoration: underline; }
`;

// the empty data: icon keeps the browser from asking for /favicon.ico, a request the CSP would refuse
export function htmlPage(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeMarkup(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
