// `npm run bench isnet`: the quantization anchor. imgly's ISNet as fp32 (widened from its fp16), shipped fp16, shipped
// ORT-Python dynamic uint8, and edgeopt's static INT8 calibrated on images that are not the test images: size, median
// latency at 1 and 2 threads (each model in its own child process), peak RSS, and masks compared with fp32's.
import { copyFile, mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Tensor } from 'onnxruntime-node';
import { quantizePlugin } from '../../plugins/quantize/index.js';
import type { QuantizeParams } from '../../plugins/quantize/params.js';
import { openSession, runBenchmark, type StepContext } from '../../src/api.js';
import { writeNpy } from '../../src/data/npy-io.js';
import { benchImages, preprocess, SIZE, type BenchImage } from './isnet-images.js';
import { isnetModels } from './isnet-models.js';
import { compareMasks, type MaskComparison } from './mask-metrics.js';

const env = (name: string, fallback: number): number => (process.env[name] ? Number(process.env[name]) : fallback);

/** The settings of one run: ISNET_* environment variables shrink it for development. */
const SETTINGS = {
  testImages: env('ISNET_TEST_IMAGES', 4),
  calibrationImages: env('ISNET_CALIBRATION_IMAGES', 9),
  runs: env('ISNET_RUNS', 5),
  threads: (process.env.ISNET_THREADS ?? '1,2').split(',').map(Number),
  /** static variants to build: auto, minmax (the default recipe), entropy, entropy-lowres-float, percentile, budget (mixed precision) */
  variants: (process.env.ISNET_VARIANTS ?? 'auto,entropy').split(','),
};

/**
 * auto: the range rule chosen on held-out calibration images, judged on the mask output only (the side outputs and
 * decoder features ISNet also outputs are not what imgly uses). minmax: the default recipe. entropy: KL calibration (clips the side outputs' logits, whose min/max range is
 * [-1660, 14]). entropy-lowres-float: entropy with the three low-resolution stages that cost most accuracy and
 * little time kept float (found by quantizing one stage at a time: stage4, stage6, stage4d alone cost 0.008-0.011
 * mean abs error on chelsea, every other stage <= 0.002). budget: entropy and mixed precision choosing the float
 * layers itself, against a budget on the mask (the shipped dynamic uint8 measures 33.1 dB on chelsea).
 */
const VARIANT_PARAMS: Record<string, QuantizeParams> = {
  minmax: { precision: 'int8', mode: 'static' },
  entropy: { precision: 'int8', mode: 'static', calibration: { method: 'entropy' } },
  'entropy-lowres-float': { precision: 'int8', mode: 'static', calibration: { method: 'entropy' }, exclude: { nodes: ['/stage4/*', '/stage6/*', '/stage4d/*'] } },
  percentile: { precision: 'int8', mode: 'static', calibration: { method: 'percentile', percentile: 99.999 } },
  auto: { precision: 'int8', mode: 'static', calibration: { method: 'auto', outputs: ['output'] } },
  budget: { precision: 'int8', mode: 'static', calibration: { method: 'entropy' }, error_budget: { metric: 'snr_db', min: 36, samples: 2, outputs: ['output'] } },
};

interface Row {
  model: string;
  file: string;
  size_bytes: number;
  size_vs_fp32?: number;
  latency_ms: Record<string, { median: number; p90: number; runs: number }>;
  speedup_vs_fp32?: Record<string, number>;
  peak_rss_mb: Record<string, number>;
  images?: Array<{ image: string } & MaskComparison>;
  quantize?: Record<string, unknown>;
}

const log = (message: string): void => void process.stderr.write(`bench isnet: ${message}\n`);

async function masks(file: string, inputs: Array<{ name: string; data: Float32Array }>): Promise<Float32Array[]> {
  const opened = await openSession(file, { ep: ['cpu'], threads: 2 });
  try {
    const out: Float32Array[] = [];
    for (const { data } of inputs) out.push((await opened.session.run({ input: new Tensor('float32', data, [1, 3, SIZE, SIZE]) })).output!.data as Float32Array);
    return out;
  } finally {
    await opened.session.release();
  }
}

function benchContext(model: string, calibration: string, samples: number, tmpDir: string): StepContext {
  let last = -1;
  let lastAt = 0;
  return {
    recipe: { name: 'isnet-bench', file: path.join(tmpDir, 'bench.yaml'), dir: tmpDir, projectRoot: tmpDir },
    stepId: 'int8', modelInputs: {}, tmpDir,
    inputs: { model: { path: model, hash: 'bench', size: 0 } },
    data: { calibration: { source: calibration, samples } },
    target: { format: 'onnx', ep: ['cpu'], threads: 2 },
    log: { info: log, warn: log, debug: () => undefined },
    progress: (f, message) => {
      // every 5 %, and at least every 30 s (mixed precision spends long within one 5 % step)
      const pct = Math.floor(f * 20) * 5;
      if (pct !== last || performance.now() - lastAt > 30_000) {
        log(`quantize ${Math.round(f * 1000) / 10}% ${message ?? ''}`);
        lastAt = performance.now();
      }
      last = pct;
    },
    signal: new AbortController().signal,
  };
}

async function writeCalibration(images: BenchImage[], dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const data = new Float32Array(images.length * 3 * SIZE * SIZE);
  images.forEach((img, i) => data.set(preprocess(img.file), i * 3 * SIZE * SIZE));
  await writeNpy(path.join(dir, 'input.npy'), { dtype: 'float32', shape: [images.length, 3, SIZE, SIZE], data });
  return dir;
}

async function latency(row: Row): Promise<void> {
  for (const threads of SETTINGS.threads) {
    log(`${row.model}: latency at ${threads} thread(s)`);
    const r = await runBenchmark({ modelPath: row.file, ep: ['cpu'], threads, warmup: 1, runs: SETTINGS.runs, minTimeMs: 0, maxTimeMs: 900_000, timeoutMs: 1_800_000 });
    row.latency_ms[threads] = { median: r.latency.p50_ms, p90: r.latency.p90_ms, runs: r.runs };
    row.peak_rss_mb[threads] = Math.round(r.memory.peak_rss_bytes / 1e6);
  }
}

export async function benchIsnet(repo: string): Promise<Record<string, unknown>> {
  const dir = path.join(repo, 'bench-results', 'isnet');
  const models = await isnetModels(repo, path.join(dir, 'models'));
  const images = await benchImages(path.join(dir, 'images'), { test: SETTINGS.testImages, calibration: SETTINGS.calibrationImages });
  const inputs = images.test.map((img) => ({ name: img.name, data: preprocess(img.file) }));
  log(`fp32 reference masks on ${inputs.length} test image(s)`);
  const reference = await masks(models.fp32, inputs);
  const rows: Row[] = [
    { model: 'fp32 (imgly medium widened)', file: models.fp32, size_bytes: 0, latency_ms: {}, peak_rss_mb: {} },
    { model: 'shipped fp16 (imgly medium)', file: models.fp16, size_bytes: 0, latency_ms: {}, peak_rss_mb: {} },
    { model: 'shipped dynamic uint8 (imgly small, ORT Python)', file: models.uint8, size_bytes: 0, latency_ms: {}, peak_rss_mb: {} },
  ];
  const calibration = await writeCalibration(images.calibration, path.join(dir, `calibration-${images.calibration.length}`));
  for (const variant of SETTINGS.variants) {
    const tmp = path.join(dir, `quantize-${variant}`);
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    log(`static INT8 (${variant}) on ${images.calibration.length} calibration image(s)`);
    const started = performance.now();
    const out = await quantizePlugin.run(benchContext(models.fp32, calibration, images.calibration.length, tmp), VARIANT_PARAMS[variant]!);
    const file = path.join(dir, 'models', `isnet-int8-static-${variant}.onnx`);
    await copyFile(out.files.model!, file);
    const m = out.metrics as Record<string, any>;
    rows.push({
      model: `edgeopt static INT8 (${variant})`, file, size_bytes: 0, latency_ms: {}, peak_rss_mb: {},
      quantize: { seconds: Math.round((performance.now() - started) / 100) / 10, quantized: m.quantized, calibration: m.calibration, resources: m.resources, mixed_precision: m.mixed_precision, warnings: out.warnings },
    });
    await rm(tmp, { recursive: true, force: true });
  }
  for (const row of rows) {
    row.size_bytes = (await stat(row.file)).size;
    log(`${row.model}: masks`);
    const got = row.file === models.fp32 ? reference : await masks(row.file, inputs);
    row.images = got.map((mask, i) => ({ image: inputs[i]!.name, ...compareMasks(reference[i]!, mask) }));
    await latency(row);
  }
  const fp32 = rows[0]!;
  for (const row of rows) {
    row.size_vs_fp32 = Math.round((row.size_bytes / fp32.size_bytes) * 1000) / 1000;
    row.speedup_vs_fp32 = Object.fromEntries(Object.entries(row.latency_ms).map(([t, l]) => [t, Math.round((fp32.latency_ms[t]!.median / l.median) * 100) / 100]));
  }
  const dynamic = rows[2]!;
  const targets = rows.slice(3).map((row) => ({
    model: row.model,
    speedup_1_thread_at_least_2: (row.speedup_vs_fp32?.['1'] ?? 0) >= 2,
    size_at_most_0_27_of_fp32: (row.size_vs_fp32 ?? 1) <= 0.27,
    every_image_at_least_as_accurate_as_dynamic_uint8: row.images!.every((img, i) => img.iou >= dynamic.images![i]!.iou && img.mean_abs_error <= dynamic.images![i]!.mean_abs_error),
  }));
  return {
    settings: SETTINGS, images: { test: images.test.map((i) => i.name), calibration: images.calibration.map((i) => i.name), notes: images.notes },
    preprocessing: 'RGB, bilinear (ImageMagick Triangle) resize to 1024x1024, (v - 128) / 256, NCHW; output `output` compared with fp32, IoU at 0.5',
    fp32_from_fp16: { removed_casts: models.removedCasts, vs_shipped_fp16: rows[1]!.images },
    rows, targets,
  };
}
