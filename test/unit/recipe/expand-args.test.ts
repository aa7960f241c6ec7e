// Recipe arguments: files, folders, globs, or the config's globs from the root; sorted absolute paths; errors if empty.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandRecipeArgs } from '../../../src/recipe/index.js';
import { errorsOf, tempProject, type TempProject } from './fixtures.js';

let p: TempProject;
beforeAll(async () => {
  p = await tempProject({
    'recipes/b.yaml': '', 'recipes/a.yaml': '', 'recipes/c.yml': '', 'recipes/notes.md': '',
    'examples/x/one.yaml': '', 'examples/y/z/two.yaml': '', 'examples/node_modules/dep.yaml': '', 'empty/': '',
  });
});
afterAll(() => p.cleanup());

describe('expandRecipeArgs', () => {
  it.each([
    ['no args: the default glob from the root', [], {}, ['recipes/a.yaml', 'recipes/b.yaml']],
    ['no args: the config globs', [], { recipes: ['examples/**/*.yaml', 'recipes/c.yml'] }, ['examples/x/one.yaml', 'examples/y/z/two.yaml', 'recipes/c.yml']],
    ['a file', ['recipes/b.yaml'], {}, ['recipes/b.yaml']],
    ['a folder: its .yaml and .yml files', ['recipes'], {}, ['recipes/a.yaml', 'recipes/b.yaml', 'recipes/c.yml']],
    ['a single-level glob', ['examples/*/*.yaml'], {}, ['examples/x/one.yaml']],
    ['overlapping args are de-duplicated and sorted', ['recipes/b.yaml', 'recipes/*.yaml'], {}, ['recipes/a.yaml', 'recipes/b.yaml']],
  ])('%s', async (_name, args, config, expected) => {
    expect(await expandRecipeArgs(args, p.root, config, p.root)).toEqual(expected.map((f) => p.path(f)));
  });

  it('args are relative to cwd, config globs to the root', async () => {
    expect(await expandRecipeArgs(['a.yaml'], p.root, {}, p.path('recipes'))).toEqual([p.path('recipes/a.yaml')]);
    expect(await expandRecipeArgs([], p.root, {}, p.path('examples'))).toEqual([p.path('recipes/a.yaml'), p.path('recipes/b.yaml')]);
  });

  it('every argument that matches nothing is a usage error', async () => {
    const errors = await errorsOf(expandRecipeArgs(['recipes/bb.yaml', 'nope/*.yaml', 'empty'], p.root, {}, p.root));
    expect(errors.map((e) => [e.code, e.kind])).toEqual([['E_FILE_MISSING', 'usage'], ['E_NO_RECIPES', 'usage'], ['E_NO_RECIPES', 'usage']]);
    expect(errors[0]?.hint).toBe('did you mean recipes/b.yaml?');
  });

  it('a config glob that matches nothing is an error too', async () => {
    const errors = await errorsOf(expandRecipeArgs([], p.root, { recipes: ['missing/*.yaml'] }, p.root));
    expect(errors.map((e) => e.code)).toEqual(['E_NO_RECIPES']);
  });
});
