// The published JSON Schemas: on disk exactly as generated (drift guard), and usable by a plain ajv.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { PRESET_DIR, presetNames } from '../../../src/recipe/index.js';
import { PUBLISHED, renderSchema, SCHEMA_DIR } from '../../../src/recipe/write-schemas.js';
import { parseYamlText } from '../../../src/recipe/yaml-source.js';
import { CONTRACT_RECIPE } from './fixtures.js';

const onDisk = async (name: string): Promise<Record<string, unknown>> => JSON.parse(await readFile(join(SCHEMA_DIR, name), 'utf8')) as Record<string, unknown>;

describe('schemas/', () => {
  it.each(Object.keys(PUBLISHED))('%s matches the TypeBox source (run `npm run schemas`)', async (name) => {
    expect(await readFile(join(SCHEMA_DIR, name), 'utf8')).toBe(renderSchema(PUBLISHED[name]!));
  });

  it('the recipe schema accepts the contract recipe and rejects a typo', async () => {
    const validate = new Ajv2020({ strict: true }).compile(await onDisk('recipe.schema.json'));
    const recipe = parseYamlText('r.yaml', CONTRACT_RECIPE).doc!.value as Record<string, unknown>;
    expect(validate(recipe)).toBe(true);
    expect(validate({ ...recipe, target: { threds: 4 } })).toBe(false);
  });

  it.each([
    [{ benchmark: { load: 'heavy' } }, true],
    [{ benchmark: { load: 'busy' } }, false],
    [{ benchmark: { threads: [1, 2] } }, false], // a thread sweep is a benchmark step's param, not the gate's
    [{ gate: { retries: 0, confidence: 0.9 } }, true],
    [{ gate: { retries: 11 } }, false],
    [{ gate: { confidence: 1 } }, false],
    [{ gate: { confidence: 0.95, seed: 1 } }, false],
  ])('the recipe schema on %j: %s', async (extra, ok) => {
    const validate = new Ajv2020({ strict: true }).compile(await onDisk('recipe.schema.json'));
    expect(validate({ name: 'r', model: 'm.onnx', ...extra })).toBe(ok);
  });

  it('the fragment schema accepts every preset', async () => {
    const validate = new Ajv2020({ strict: true }).compile(await onDisk('recipe-fragment.schema.json'));
    for (const name of presetNames()) {
      const file = join(PRESET_DIR, `${name}.yaml`);
      expect(validate(parseYamlText(file, await readFile(file, 'utf8')).doc!.value), name).toBe(true);
    }
  });

  it('documents the implicit needs of a step', async () => {
    const text = await readFile(join(SCHEMA_DIR, 'recipe.schema.json'), 'utf8');
    expect(text).toMatch(/Absent: the previous step in the list/);
  });
});
