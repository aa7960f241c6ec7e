import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HashMemo } from '../../../src/cache/hash-memo.js';
import { readModel, writeModel } from '../../../src/onnx/index.js';
import { planRecipes } from '../../../src/plan/task-graph.js';
import { hashInputs } from '../../../src/run/input-hashes.js';
import { recipeFixture, stubPlugins } from '../../unit/plan/recipe-fixture.js';

const DEEPA = 'node_modules/openwakeword-js/models/hello_deepa.onnx';
const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await fs.rm(d, { recursive: true, force: true }); });

describe('hashInputs', () => {
  it("a source model's identity covers its external data file", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'edgeopt-hash-'));
    dirs.push(dir);
    const model = path.join(dir, 'm.onnx');
    await writeModel(await readModel(DEEPA), model, { externalData: { threshold: 1024, location: 'm.weights' } });
    const recipe = recipeFixture({ model: { path: model, inputs: {} }, data: {}, steps: [] });
    const plan = planRecipes([recipe], stubPlugins);
    const memo = await HashMemo.open(path.join(dir, 'memo.json'));
    const before = (await hashInputs([recipe], plan, memo)).get(model)!;
    const weights = path.join(dir, 'm.weights');
    const bytes = await fs.readFile(weights);
    expect(before.size).toBe((await fs.stat(model)).size + bytes.length);
    bytes[bytes.length - 1]! ^= 0xff; // one weight byte; the .onnx file itself is untouched
    await fs.writeFile(weights, bytes);
    const later = new Date(Date.now() + 2000);
    await fs.utimes(weights, later, later);
    const after = (await hashInputs([recipe], plan, memo)).get(model)!;
    expect(after.hash).not.toBe(before.hash);
  });

  it('a model without external data hashes as its file, and a corrupt one does not throw here', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'edgeopt-hash-'));
    dirs.push(dir);
    const junk = path.join(dir, 'junk.onnx');
    await fs.writeFile(junk, 'not a model');
    const memo = await HashMemo.open(undefined);
    for (const file of [path.resolve(DEEPA), junk]) {
      const recipe = recipeFixture({ model: { path: file, inputs: {} }, data: {}, steps: [] });
      const h = (await hashInputs([recipe], planRecipes([recipe], stubPlugins), memo)).get(file)!;
      expect(h).toEqual(await memo.hashFile(file));
    }
  });
});
