// Test support: images of printed text drawn with ImageMagick, as the normalized NCHW input OCR detectors expect.
import { execFileSync, spawnSync } from 'node:child_process';

export const CONVERT_MISSING = 'SKIPPED: ImageMagick `convert` is missing (apt-get install -y imagemagick)';

export function convertAvailable(): boolean {
  return spawnSync('convert', ['-version'], { stdio: 'ignore' }).status === 0;
}

/** Lines of black text on white (size² pixels), normalized with ImageNet's mean/std as PaddleOCR does, [3, size, size]. */
export function textImage(lines: string[], size: number, pointsize = 26): Float32Array {
  const args = ['-size', `${size}x${size}`, 'xc:white', '-font', 'DejaVu-Sans', '-pointsize', String(pointsize), '-fill', 'black'];
  lines.forEach((line, i) => args.push('-annotate', `+${12 + (i % 2) * 20}+${40 + i * pointsize * 1.8}`, line));
  const rgb = execFileSync('convert', [...args, '-depth', '8', 'rgb:-'], { maxBuffer: 16 << 20 });
  const mean = [0.485, 0.456, 0.406];
  const std = [0.229, 0.224, 0.225];
  const plane = size * size;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) out[c * plane + i] = (rgb[i * 3 + c]! / 255 - mean[c]!) / std[c]!;
  }
  return out;
}
