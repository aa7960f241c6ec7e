// checkModelFile: what a file that should be a model really is, said before anything runs.
import { existsSync, promises as fs, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkModelFile } from '../../../src/onnx/model-check.js';
import { readModelOutline } from '../../../src/onnx/model-outline.js';
import { DataType, encodeModel, encodeTensor, writeModel } from '../../../src/onnx/index.js';
import { makeModel, makeNode, tensorValueInfo } from '../../../src/onnx/model-builder.js';
import { mlpModel } from './model-fixtures.js';

let dir: string;
beforeAll(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'edgeopt-model-check-')); });
afterAll(async () => { await fs.rm(dir, { recursive: true, force: true }); });

const REAL = path.resolve('node_modules/openwakeword-js/models/hello_deepa.onnx');
const FOREIGN_EXTERNAL = path.resolve('test/fixtures/onnx/external-mlp/model.onnx');

async function file(name: string, bytes: Uint8Array | string): Promise<string> {
  const p = path.join(dir, name);
  await fs.mkdir(path.dirname(p), { recursive: true });
  await fs.writeFile(p, bytes);
  return p;
}

const problems = async (p: string): Promise<string[]> => (await checkModelFile(p)).map((x) => `${x.code} ${x.message}`);

describe('checkModelFile', () => {
  it('passes real models, inline and with external data another tool wrote', async () => {
    expect(await problems(REAL)).toEqual([]);
    expect(await problems(FOREIGN_EXTERNAL)).toEqual([]);
    expect((await readModelOutline(FOREIGN_EXTERNAL)).external.map((e) => e.tensor)).toEqual(['w1', 'b1', 'w2']);
  });

  it.each([
    ['an empty file', '', /is empty \(0 bytes\)/],
    ['a Git LFS pointer', 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a2146\nsize 316000\n', /is a Git LFS pointer \(\d+ bytes of text\)/],
    ['an HTML page', '<!DOCTYPE html><html><body>Sign in</body></html>', /is an HTML or XML page/],
    ['text', 'hello\n', /bytes are not protobuf \(wire type \d does not occur in ONNX files at byte \d+\)/],
  ])('names %s for what it is', async (_what, bytes, message) => {
    const [problem, ...rest] = await checkModelFile(await file('m.onnx', bytes));
    expect(rest).toEqual([]);
    expect([problem?.code, problem?.message]).toEqual(['E_MODEL_CORRUPT', expect.stringMatching(message)]);
  });

  it('says a real model was cut short, and where', async () => {
    const bytes = await fs.readFile(REAL);
    expect(await problems(await file('cut.onnx', bytes.subarray(0, 100_000)))).toEqual([
      expect.stringMatching(/^E_MODEL_CORRUPT is not an ONNX model: .*the file ends at byte 100000, inside graph which needs \d+ bytes from byte \d+: the file was cut short/),
    ]);
  });

  it('refuses a graph without outputs', async () => {
    const m = mlpModel();
    expect(await problems(await file('noout.onnx', encodeModel({ ...m, graph: { ...m.graph!, output: [] } })))).toEqual([
      'E_MODEL_CORRUPT declares no graph outputs, so there is nothing to run or measure',
    ]);
  });

  it('finds external data that is missing, too short, or outside the folder, once per file', async () => {
    const model = path.join(dir, 'ext', 'model.onnx');
    await fs.mkdir(path.dirname(model), { recursive: true });
    await writeModel(mlpModel(), model, { externalData: { location: 'weights.bin', threshold: 0 } });
    expect(await problems(model)).toEqual([]);
    const weights = path.join(dir, 'ext', 'weights.bin');
    const full = await fs.readFile(weights);
    await fs.writeFile(weights, full.subarray(0, 10));
    expect(await problems(model)).toEqual([expect.stringMatching(/^E_MODEL_EXTERNAL_DATA tensor '\w+' needs bytes up to \d+ of weights\.bin, but that file has 10: it is cut short/)]);
    await fs.rm(weights);
    expect(await problems(model)).toEqual([expect.stringMatching(/^E_MODEL_EXTERNAL_DATA keeps the data of tensor 'W1' \(and \d more tensor\(s\) stored there\) in weights\.bin, which is missing \(looked for .*ext\/weights\.bin\)/)]);
    // a link pointing out of the model's folder is refused even though the file behind it exists
    await fs.writeFile(path.join(dir, 'outside.bin'), full);
    await fs.symlink(path.join(dir, 'outside.bin'), weights);
    expect(await problems(model)).toEqual([expect.stringMatching(/^E_MODEL_EXTERNAL_DATA says: tensor 'W1' .*resolves through a link to .*outside\.bin, outside/)]);
  });

  it('refuses an external location that climbs out of the model folder', async () => {
    // a same-length location, so the protobuf around it stays intact
    const bytes = (await fs.readFile(FOREIGN_EXTERNAL)).toString('latin1').replaceAll('weights.bin', '../../x.bin');
    const model = await file('escape/model.onnx', Buffer.from(bytes, 'latin1'));
    expect(await problems(model)).toEqual([expect.stringMatching(/^E_MODEL_EXTERNAL_DATA says: tensor 'w1' stores its data externally, and its location '\.\.\/\.\.\/x\.bin' escapes the model's folder .* \(and 2 more tensor\(s\) stored there\)$/)]);
  });
});

describe('readModelOutline: the main graph\'s inputs', () => {
  it('names, element types and dims as declared; other value kinds; initializer names, sparse ones included', async () => {
    const model = makeModel({
      nodes: [makeNode('Relu', ['x'], ['y'])],
      inputs: [
        { name: 'x', type: { tensor_type: { elem_type: DataType.FLOAT, shape: { dim: [{ dim_param: 'batch' }, {}, { dim_value: 3 }, { dim_value: -1 }] } } } },
        { name: 'noShape', type: { tensor_type: { elem_type: DataType.INT64 } } },
        { name: 'seq', type: { sequence_type: { elem_type: { tensor_type: { elem_type: DataType.FLOAT } } } } },
        { name: 'untyped' },
        tensorValueInfo('w', DataType.FLOAT, [2]),
      ],
      outputs: [tensorValueInfo('y', DataType.FLOAT, [])],
      initializers: [encodeTensor(Float32Array.of(1, 2), [2], { name: 'w' })],
    });
    model.graph!.sparse_initializer = [{ values: encodeTensor(Float32Array.of(5), [1], { name: 'sparse' }), indices: encodeTensor(BigInt64Array.of(0n), [1], { name: '' }), dims: [4] }];
    const outline = await readModelOutline(await file('inputs.onnx', encodeModel(model)));
    expect(outline.inputs).toEqual([
      { name: 'x', kind: 'tensor', elemType: DataType.FLOAT, shape: ['batch', '', 3, -1] },
      { name: 'noShape', kind: 'tensor', elemType: DataType.INT64 },
      { name: 'seq', kind: 'sequence' },
      { name: 'untyped' },
      { name: 'w', kind: 'tensor', elemType: DataType.FLOAT, shape: [2] },
    ]);
    expect([...outline.initializers].sort()).toEqual(['sparse', 'w']);
  });
});

const CORPUS = '/usr/share/libonnx-testdata/data';
describe.skipIf(!existsSync(CORPUS))(`checkModelFile on ONNX's corpus ${existsSync(CORPUS) ? '' : '[SKIPPED: apt-get install -y libonnx-testdata]'}`, () => {
  it('finds nothing wrong with any model ONNX ships as a test case', async () => {
    const models = readdirSync(CORPUS).flatMap((suite) => readdirSync(path.join(CORPUS, suite)).map((c) => path.join(CORPUS, suite, c, 'model.onnx'))).filter(existsSync);
    expect(models.length).toBeGreaterThan(900);
    const flagged: string[] = [];
    for (const m of models) for (const p of await checkModelFile(m)) flagged.push(`${m}: ${p.message}`);
    expect(flagged).toEqual([]);
  });
});
