// Builds the typed Recipe from a merged, validated document: absolute paths, defaults applied, needs made explicit.
import { dirname } from 'node:path';
import type { SourceLocation } from '../errors.js';
import type { LocatedDoc } from './located-doc.js';
import type { Root } from './paths.js';
import type { DatasetDoc, RecipeDoc } from './schema.js';
import { inputPins } from './input-pins.js';
import { effectiveNeeds } from './step-needs.js';
import { RECIPE_DEFAULTS, type Recipe, type ResolvedDataset, type ResolvedEvalDataset } from './types.js';
import { resolveWritten } from './validate-files.js';

/** `doc` must have passed validation; nothing here reports errors. */
export function toRecipe(doc: LocatedDoc, file: string, root: Root, sources: string[]): Recipe {
  const r = doc.value as RecipeDoc;
  const abs = (pointer: string): string => resolveWritten(doc, pointer, file);
  const model = typeof r.model === 'string'
    ? { path: abs('/model'), inputs: {} }
    : { path: abs('/model/path'), inputs: inputPins(r.model.inputs ?? {}) };
  const data: Recipe['data'] = {};
  if (r.data?.calibration) data.calibration = dataset(r.data.calibration, '/data/calibration', RECIPE_DEFAULTS.calibrationSamples, abs);
  if (r.data?.eval) data.eval = evalDataset(r.data.eval, abs);
  const stepDocs = r.steps ?? [];
  const needs = effectiveNeeds(stepDocs);
  const steps = stepDocs.map((s, i) => ({ ...s, needs: needs[i] ?? [], with: s.with ?? {} }));
  const locations: Record<string, SourceLocation> = {};
  for (const [pointer, loc] of doc.locs) locations[pointer] = loc.value;
  const recipe: Recipe = {
    name: r.name,
    ...(r.description !== undefined ? { description: r.description } : {}),
    file,
    dir: dirname(file),
    projectRoot: root.path,
    model,
    data,
    steps,
    target: { ...RECIPE_DEFAULTS.target, ...r.target },
    benchmark: { ...RECIPE_DEFAULTS.benchmark, ...r.benchmark },
    gate: { ...RECIPE_DEFAULTS.gate, ...r.gate },
    slo: { ...r.slo } as Recipe['slo'],
    locations,
    sources,
  };
  // recipes sharing a preset must not share its objects
  return structuredClone(recipe);
}

function dataset(d: DatasetDoc, pointer: string, defaultSamples: number, abs: (p: string) => string): ResolvedDataset {
  return {
    ...(d.source !== undefined ? { source: abs(`${pointer}/source`) } : {}),
    ...(d.random ? { seed: d.random.seed } : {}),
    samples: d.samples ?? defaultSamples,
    ...(d.labels !== undefined ? { labels: abs(`${pointer}/labels`) } : {}),
    ...(d.metric !== undefined ? { metric: d.metric } : {}),
  };
}

/** Eval files are evaluated whole unless `samples` caps them: a gate on 16 of 1000 labelled samples would mislead. */
function evalDataset(d: DatasetDoc, abs: (p: string) => string): ResolvedEvalDataset {
  const { samples, ...rest } = dataset(d, '/data/eval', RECIPE_DEFAULTS.evalSamples, abs);
  return {
    ...rest,
    ...(d.samples !== undefined || d.source === undefined ? { samples } : {}),
    ...(d.output !== undefined ? { output: d.output } : {}),
    ...(d.threshold !== undefined ? { threshold: d.threshold } : {}),
  };
}
