// A resolved Recipe built in memory, and plugin stubs, for the pure planner tests.
import type { Plugin } from '../../../src/api.js';
import type { Recipe } from '../../../src/recipe/types.js';

export function recipeFixture(over: Partial<Recipe> = {}): Recipe {
  return {
    name: 'r1',
    file: '/proj/recipes/r1.yaml',
    dir: '/proj/recipes',
    projectRoot: '/proj',
    model: { path: '/proj/models/m.onnx', inputs: { x: { shape: [1, 4] } } },
    data: { calibration: { source: '/proj/data/calib', samples: 8 } },
    steps: [
      { id: 'opt', uses: 'optimize', with: { level: 'basic' } },
      { id: 'q', uses: 'quantize', with: { precision: 'int8' } },
    ],
    target: { format: 'onnx', ep: ['cpu'], threads: 1 },
    benchmark: { warmup: 1, runs: 5, min_time_ms: 0, timeout_s: 60 },
    gate: { retries: 2, confidence: 0.95 },
    slo: { size_mb: { max: 4 } },
    locations: {},
    sources: ['/proj/recipes/r1.yaml'],
    ...over,
  };
}

const stub = (name: string, produces: Plugin['produces'], extra: Partial<Plugin> = {}): Plugin => ({
  name, version: '1.0.0', params: { type: 'object' }, produces, run: async () => ({ files: {} }), ...extra,
});

export const stubPlugins: ReadonlyMap<string, Plugin> = new Map([
  ['optimize', stub('optimize', 'model')],
  ['quantize', stub('quantize', 'model', { dataInputs: ['calibration'] })],
  ['benchmark', stub('benchmark', 'metrics')],
  ['exec', stub('exec', (p) => ((p as { outputs?: { model?: string } }).outputs?.model ? 'model' : 'metrics'), {
    fileInputs: (p) => ((p as { inputs?: string[] }).inputs ?? []),
  })],
]);
