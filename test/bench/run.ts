// `npm run bench`: measured figures as JSON (medians, ratios from one run). Programs, not tests: nothing is asserted.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchEngine } from './engine-bench.js';
import { benchGateTrust } from './gate-trust.js';
import { benchQuantizeLarge } from './quantize-large-bench.js';
import { benchIsnet } from './isnet-bench.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const only = process.argv.slice(2);

async function main(): Promise<void> {
  const suites: Record<string, () => Promise<unknown>> = {
    engine: () => benchEngine(REPO),
    // GATE_TRUST_RUNS (default 50) gate runs per model; GATE_TRUST_HEADROOM (default 1.05) sets the SLO
    'gate-trust': () => benchGateTrust(REPO),
    // QUANTIZE_BENCH_MB (default 1024): size of the model the quantize step's memory and RTN throughput are measured on
    'quantize-large': () => benchQuantizeLarge(REPO),
    // the quantization anchor: long (tens of minutes at full size); `npm run bench isnet` runs it alone
    isnet: () => benchIsnet(REPO),
  };
  const results: Record<string, unknown> = {
    host: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version },
    started_at: new Date().toISOString(),
  };
  for (const [name, run] of Object.entries(suites)) {
    if (only.length && !only.includes(name)) continue;
    process.stderr.write(`bench: ${name}…\n`);
    results[name] = await run();
  }
  const outDir = path.join(REPO, 'bench-results');
  await fs.mkdir(outDir, { recursive: true });
  const file = path.join(outDir, 'bench.json');
  await fs.writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  process.stderr.write(`bench: wrote ${path.relative(process.cwd(), file)}\n`);
}

await main();
