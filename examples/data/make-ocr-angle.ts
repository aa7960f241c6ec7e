// Makes examples/data/ocr-angle: text lines rendered by ImageMagick, half of them turned 180°, labelled 0 (upright) or 1.
// The labels are true by construction; the images are what PaddleOCR's angle classifier sees (3×48×192, (v/255 − 0.5)/0.5).
// Run: npx tsx examples/data/make-ocr-angle.ts [folder]   (needs `convert` from Debian's imagemagick and fonts-dejavu-core)
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeNpy } from '../../src/data/npy-io.js';
import { toFloat16Bits } from '../../src/ort/feeds.js';

const OUT = fileURLToPath(new URL('./ocr-angle/', import.meta.url));
const H = 48;
const W = 192;
const TEXTS = [
  'Hello world', 'edge optimizer', 'latency 12 ms', 'The quick brown fox', 'ONNX Runtime', 'invoice #4821', 'Total: 42.50',
  'Main Street 7', 'quantized model', 'speech detection', 'Receipt', 'Paris 75011', 'batch size one', 'CPU only', 'summer sale',
  'phone camera', 'Order 3318-B', 'Fresh bread', 'Exit only', 'Platform 9', 'Best before 2031', 'Room 214', 'open 24 hours', 'Nr. 0815',
];
const FONTS = ['DejaVu-Sans', 'DejaVu-Serif', 'DejaVu-Sans-Bold', 'DejaVu-Sans-Mono'];

/** One text line as raw RGB bytes, H×W, dark text on a light background; `turned` rotates it by 180°. */
function render(text: string, i: number, turned: boolean): Buffer {
  const args = ['-size', `${W}x${H}`, `xc:gray${92 + (i % 4) * 2}`, '-font', FONTS[i % FONTS.length]!, '-pointsize', String(20 + (i % 3) * 3),
    '-fill', i % 5 === 0 ? 'navy' : 'black', '-gravity', 'West', '-annotate', `+${4 + (i % 4) * 3}+0`, text];
  if (turned) args.push('-rotate', '180');
  return execFileSync('convert', [...args, '-depth', '8', 'rgb:-']);
}

/** Renders every text upright and turned; writes x.npy [48, 3, 48, 192] (float16) and labels.npy [48] (int64). */
export async function makeOcrAngle(out = OUT): Promise<number> {
  const samples = TEXTS.flatMap((text, i) => [{ text, i, turned: false }, { text, i, turned: true }]);
  // float16 keeps the committed files small; the loader widens it to the model's float32
  const x = new Uint16Array(samples.length * 3 * H * W);
  samples.forEach(({ text, i, turned }, s) => {
    const rgb = render(text, i, turned);
    if (rgb.length !== H * W * 3) throw new Error(`convert gave ${rgb.length} bytes for "${text}", expected ${H * W * 3}`);
    for (let p = 0; p < H * W; p++) for (let c = 0; c < 3; c++) x[((s * 3 + c) * H * W) + p] = toFloat16Bits((rgb[p * 3 + c]! / 255 - 0.5) / 0.5);
  });
  await writeNpy(path.join(out, 'x.npy'), { dtype: 'float16', shape: [samples.length, 3, H, W], data: x });
  await writeNpy(path.join(out, 'labels.npy'), { dtype: 'int64', shape: [samples.length], data: BigInt64Array.from(samples, (s) => (s.turned ? 1n : 0n)) });
  return samples.length;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const out = path.resolve(process.argv[2] ?? OUT);
  console.log(`wrote ${await makeOcrAngle(out)} samples to ${path.relative(process.cwd(), out)}`);
}
