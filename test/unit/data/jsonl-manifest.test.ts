// data.jsonl manifests: one sample per line, paths confined to the dataset folder, every malformed line named by number.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readManifest, resolveInside } from '../../../src/data/jsonl-manifest.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'edgeopt-jsonl-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function manifest(text: string): string {
  const dir = mkdtempSync(path.join(root, 'm-'));
  mkdirSync(path.join(dir, 'sub'));
  writeFileSync(path.join(dir, 'data.jsonl'), text);
  return path.join(dir, 'data.jsonl');
}

describe('readManifest', () => {
  it('resolves paths against the folder, keeps 1-based line numbers across blank lines, reads labels of every kind', async () => {
    const file = manifest('{"inputs": {"x": "a.npy"}, "label": 3}\n\n{"inputs": {"x": "sub/b.npy", "y": "c.npy"}, "label": [0.5, 1]}\n{"inputs": {"x": "d.npy"}, "label": "sub/l.npy"}\n{"inputs": {"x": "e.npy"}}\n');
    const dir = path.dirname(file);
    expect(await readManifest(file)).toEqual([
      { line: 1, inputs: { x: path.join(dir, 'a.npy') }, label: 3 },
      { line: 3, inputs: { x: path.join(dir, 'sub/b.npy'), y: path.join(dir, 'c.npy') }, label: [0.5, 1] },
      { line: 4, inputs: { x: path.join(dir, 'd.npy') }, label: { file: path.join(dir, 'sub/l.npy') } },
      { line: 5, inputs: { x: path.join(dir, 'e.npy') } },
    ]);
  });

  it.each([
    ['a path that climbs out', '{"inputs": {"x": "../secret.npy"}}', 'E_DATA_PATH', /data\.jsonl:1: "\.\.\/secret\.npy" is outside the dataset folder/],
    ['a path that climbs out through a subfolder', '{"inputs": {"x": "sub/../../x.npy"}}', 'E_DATA_PATH', /"sub\/\.\.\/\.\.\/x\.npy" is outside/],
    ['an absolute path', '{"inputs": {"x": "/etc/passwd"}}', 'E_DATA_PATH', /"\/etc\/passwd" is outside the dataset folder/],
    ['the folder itself', '{"inputs": {"x": "."}}', 'E_DATA_PATH', /"\." is outside/],
    ['a label file that climbs out', '{"inputs": {"x": "a.npy"}, "label": "../l.npy"}', 'E_DATA_PATH', /"\.\.\/l\.npy" is outside/],
    ['not JSON', '{"inputs": {"x": "a.npy"}}\n{inputs: 1}', 'E_DATA_MANIFEST', /data\.jsonl:2: not valid JSON/],
    ['a list instead of an object', '["a.npy"]', 'E_DATA_MANIFEST', /data\.jsonl:1: each line must be a JSON object/],
    ['a misspelt key', '{"inputs": {"x": "a.npy"}, "lable": 1}', 'E_DATA_MANIFEST', /unknown key "lable"/],
    ['no inputs', '{"label": 1}', 'E_DATA_MANIFEST', /"inputs" must be an object mapping model input names to \.npy paths/],
    ['empty inputs', '{"inputs": {}}', 'E_DATA_MANIFEST', /"inputs" must be an object/],
    ['a non-string path', '{"inputs": {"x": 3}}', 'E_DATA_MANIFEST', /inputs\.x must be a relative path to a \.npy file/],
    ['a boolean label', '{"inputs": {"x": "a.npy"}, "label": true}', 'E_DATA_MANIFEST', /"label" must be a number, a list of numbers, or a \.npy path/],
    ['no lines at all', '\n\n', 'E_DATA_MANIFEST', /data\.jsonl:1: the manifest has no samples/],
  ])('%s', async (_name, text, code, message) => {
    await expect(readManifest(manifest(text))).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
  });

  it('resolveInside accepts nested relative paths only', () => {
    expect(resolveInside('/data/eval', 'a/b.npy', 'here')).toBe('/data/eval/a/b.npy');
    expect(() => resolveInside('/data/eval', '../eval2/b.npy', 'here')).toThrow(/here: "\.\.\/eval2\/b\.npy" is outside the dataset folder \/data\/eval/);
  });
});
