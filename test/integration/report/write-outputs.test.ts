// `.edgeopt/out/<recipe>/` under concurrent writers (two builds of one project): always one writer's whole folder.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalStore } from '../../../src/cache/local-store.js';
import { writeRecipeOutputs } from '../../../src/report/write-outputs.js';
import { sampleReport } from '../../unit/report/report-fixture.js';

const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await fs.rm(d, { recursive: true, force: true }); });

const WRITERS = 3;
const ROUNDS = 30;
const FILES = ['model.onnx', 'report.html', 'report.json', 'report.md', 'report.xml'];

describe('writeRecipeOutputs', () => {
  it(`${WRITERS} writers of one recipe's folder at once, ${ROUNDS} rounds: no error, the folder is one writer's, nothing left beside it`, async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'edgeopt-out-'));
    dirs.push(root);
    const outRoot = path.join(root, 'out');
    const store = new LocalStore(path.join(root, 'cache'));
    // each writer's model and report say who wrote them, so a folder mixing two writers' files shows
    const models = await Promise.all(Array.from({ length: WRITERS }, async (_, w) => {
      const file = path.join(root, `model-${w}.onnx`);
      await fs.writeFile(file, `writer ${w}`);
      return file;
    }));
    for (let round = 0; round < ROUNDS; round++) {
      const results = await Promise.allSettled(models.map((sourceModel, w) => {
        const report = sampleReport('ww', `/repo/recipes/writer-${w}.yaml`);
        report.target.ep = ['cpu']; // no EP coverage section: the model here is a marker, not a graph
        return writeRecipeOutputs(outRoot, report, { sourceModel, modelName: 'model.onnx' }, store);
      }));
      expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
      const folder = path.join(outRoot, 'ww');
      expect((await fs.readdir(folder)).sort()).toEqual(FILES);
      const writer = /^writer (\d)$/.exec(await fs.readFile(path.join(folder, 'model.onnx'), 'utf8'))?.[1];
      const report = JSON.parse(await fs.readFile(path.join(folder, 'report.json'), 'utf8')) as { recipe: { file: string } };
      expect(report.recipe.file).toBe(`/repo/recipes/writer-${writer}.yaml`);
      expect(await fs.readdir(outRoot)).toEqual(['ww']); // no staging or old folder left behind
    }
  });
});
