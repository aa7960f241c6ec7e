// `extends`: presets and relative files, left-to-right deep merge, places that survive merging, cycles, missing files.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRecipes, PRESET_DIR, presetNames } from '../../../src/recipe/index.js';
import { parseYamlText } from '../../../src/recipe/yaml-source.js';
import { validateDoc } from '../../../src/recipe/validate-schema.js';
import { brief, errorsOf, MODEL, stubPlugins, tempProject, type TempProject } from './fixtures.js';

let project: TempProject;
beforeEach(async () => {
  project = await tempProject({ 'm.onnx': MODEL });
});
afterEach(() => project.cleanup());

const load = (files: string[]): ReturnType<typeof loadRecipes> =>
  loadRecipes(files.map((f) => project.path(f)), { projectRoot: project.root, plugins: stubPlugins() });
const briefs = async (files: string[]): Promise<string[]> => (await errorsOf(load(files))).map((e) => brief(e, project.root));

describe('extends', () => {
  it('a preset fills what the recipe leaves out; its values point into the preset file', async () => {
    await project.write({ 'r.yaml': 'extends: edgeopt:phone\nname: r\nmodel: m.onnx\ntarget:\n  threads: 2\n' });
    const [r] = await load(['r.yaml']);
    expect(r?.target).toEqual({ format: 'onnx', ep: ['nnapi', 'xnnpack', 'cpu'], threads: 2 });
    expect(r?.sources).toEqual([project.path('r.yaml'), join(PRESET_DIR, 'phone.yaml')]);
    expect(r?.locations['/target/threads']).toMatchObject({ file: project.path('r.yaml'), line: 5, column: 12 });
    const phone = await readFile(join(PRESET_DIR, 'phone.yaml'), 'utf8');
    const epLine = phone.split('\n').findIndex((l) => l.startsWith('  ep:')) + 1;
    expect(r?.locations['/target/ep']).toMatchObject({ file: join(PRESET_DIR, 'phone.yaml'), line: epLine, column: 7 });
  });

  it('maps merge, lists and scalars replace, left to right with the recipe last', async () => {
    await project.write({
      'a.yaml': 'target: { ep: [xnnpack, cpu], threads: 2 }\nbenchmark: { runs: 5 }\nslo: { size_mb: { max: 9 } }\n',
      'b.yaml': 'target: { threads: 3 }\nslo: { size_mb: { min: 1 } }\n',
      'r.yaml': 'extends: [./a.yaml, ./b.yaml]\nname: r\nmodel: m.onnx\ntarget: { ep: [cpu] }\n',
    });
    const [r] = await load(['r.yaml']);
    expect(r?.target).toEqual({ format: 'onnx', ep: ['cpu'], threads: 3 });
    expect(r?.benchmark.runs).toBe(5);
    expect(r?.slo).toEqual({ size_mb: { max: 9, min: 1 } });
    expect(r?.sources).toEqual(['r.yaml', 'b.yaml', 'a.yaml'].map((f) => project.path(f)));
    expect(r?.locations['/slo/size_mb/max']?.file).toBe(project.path('a.yaml'));
    expect(r?.locations['/slo/size_mb/min']?.file).toBe(project.path('b.yaml'));
  });

  it('follows chains, relative to each file, and paths in a base resolve against the base', async () => {
    await project.write({
      'shared/base.yaml': 'extends: edgeopt:mcu\nmodel: ../m.onnx\n',
      'recipes/r.yaml': 'extends: ../shared/base.yaml\nname: r\n',
    });
    const [r] = await load(['recipes/r.yaml']);
    expect(r?.model.path).toBe(project.path('m.onnx'));
    expect(r?.target.threads).toBe(1);
    expect(r?.sources).toEqual([project.path('recipes/r.yaml'), project.path('shared/base.yaml'), join(PRESET_DIR, 'mcu.yaml')]);
    expect(r?.locations['/model']?.file).toBe(project.path('shared/base.yaml'));
  });

  it.each([
    ['a two-file cycle, at the link that closes it', {
      'a.yaml': 'extends: ./b.yaml\n', 'b.yaml': 'extends: ./a.yaml\n', 'r.yaml': 'extends: ./a.yaml\nname: r\nmodel: m.onnx\n',
    }, ['b.yaml:1:10 E_EXTENDS_CYCLE'], /`extends` forms a cycle: a\.yaml → b\.yaml → a\.yaml/],
    ['a recipe extending itself', { 'r.yaml': 'name: r\nmodel: m.onnx\nextends: [edgeopt:phone, ./r.yaml]\n' },
      ['r.yaml:3:26 E_EXTENDS_CYCLE'], /cycle: r\.yaml → r\.yaml/],
    ['a missing file, with a did-you-mean and the recipe\'s own errors', {
      'base.yaml': 'target: { threads: 2 }\n', 'r.yaml': 'extends: ./bse.yaml\nname: r\nmodel: m.onnx\ntarget: { thredas: 1 }\n',
    }, ['r.yaml:1:10 E_EXTENDS_MISSING', 'r.yaml:4:11 E_UNKNOWN_KEY'], /`extends` file `\.\/bse\.yaml` not found/],
    ['an unknown preset', { 'r.yaml': 'extends: edgeopt:phon\nname: r\nmodel: m.onnx\n' },
      ['r.yaml:1:10 E_EXTENDS_MISSING'], /^unknown preset `edgeopt:phon`$/],
    ['a file outside the project', { 'r.yaml': 'extends: ../../etc/base.yaml\nname: r\nmodel: m.onnx\n' },
      ['r.yaml:1:10 E_PATH_ESCAPES'], /outside the project root/],
    ['a non-string entry', { 'base.yaml': 'target: { threads: 2 }\n', 'r.yaml': 'extends: [./base.yaml, 3]\nname: r\nmodel: m.onnx\n' },
      ['r.yaml:1:24 E_TYPE'], /`extends\[1\]` must be a string, found the number 3/],
    ['a syntax error in a base', { 'base.yaml': 'target: [\n', 'r.yaml': 'extends: ./base.yaml\nname: r\nmodel: m.onnx\n' },
      ['base.yaml:1:9 E_YAML_SYNTAX'], /YAML syntax error/],
  ])('%s', async (_name, files, expected, message) => {
    await project.write(files);
    const errors = await errorsOf(load(['r.yaml']));
    expect(errors.map((e) => brief(e, project.root))).toEqual(expected);
    expect(errors[0]?.message).toMatch(message);
  });

  it('hints: did you mean for presets and files', async () => {
    await project.write({ 'base.yaml': 'target: { threads: 2 }\n', 'r.yaml': 'extends: [edgeopt:phon, ./bse.yaml]\nname: r\nmodel: m.onnx\n' });
    const errors = await errorsOf(load(['r.yaml']));
    expect(errors.map((e) => e.hint)).toEqual(['did you mean `edgeopt:phone`?', 'did you mean `./base.yaml`?']);
  });

  it('errors inside a shared base are placed in the base and reported once', async () => {
    await project.write({
      'base.yaml': 'target:\n  thredas: 2\n  threads: 0\n',
      'r1.yaml': 'extends: ./base.yaml\nname: r1\nmodel: m.onnx\n',
      'r2.yaml': 'extends: ./base.yaml\nname: r2\nmodel: m.onnx\n',
    });
    expect(await briefs(['r1.yaml', 'r2.yaml'])).toEqual(['base.yaml:2:3 E_UNKNOWN_KEY', 'base.yaml:3:12 E_VALUE']);
  });
});

describe('presets', () => {
  it('phone, aipc and mcu exist', () => {
    expect(presetNames()).toEqual(['aipc', 'mcu', 'phone']);
  });

  it.each([
    ['phone', ['nnapi', 'xnnpack', 'cpu'], 4],
    ['aipc', ['openvino', 'dml', 'dnnl', 'cpu'], 8],
    ['mcu', ['cpu'], 1],
  ])('%s is a valid fragment for its device class, with SLO budgets', async (name, ep, threads) => {
    const file = join(PRESET_DIR, `${name}.yaml`);
    const parsed = parseYamlText(file, await readFile(file, 'utf8'));
    expect(parsed.errors).toEqual([]);
    expect(validateDoc(parsed.doc!, 'fragment')).toEqual([]);
    const value = parsed.doc!.value as { target: unknown; slo: Record<string, unknown>; name?: unknown; model?: unknown };
    expect(value.target).toMatchObject({ ep, threads });
    expect(Object.keys(value.slo)).toEqual(expect.arrayContaining(['latency.p90_ms', 'size_mb', 'peak_memory_mb']));
    expect(value.name).toBeUndefined();
    expect(value.model).toBeUndefined();
  });

  it('mcu budgets are the tightest', async () => {
    const sizes: Record<string, number> = {};
    for (const name of presetNames()) {
      const file = join(PRESET_DIR, `${name}.yaml`);
      const value = parseYamlText(file, await readFile(file, 'utf8')).doc!.value as { slo: { size_mb: { max: number } } };
      sizes[name] = value.slo.size_mb.max;
    }
    expect(sizes['mcu']).toBeLessThan(sizes['phone']!);
    expect(sizes['phone']).toBeLessThan(sizes['aipc']!);
  });
});
