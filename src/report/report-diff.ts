// A/B comparison of two builds' reports: per recipe and metric, the change, whether it is worse, and whether it exceeds its tolerance. Pure.
import { HIGHER_IS_BETTER } from '../recipe/schema.js';
import type { Report } from './report-schema.js';
import { toleranceFor, type Tolerance, type Tolerances } from './diff-tolerance.js';

export interface MetricChange {
  metric: string;
  better: 'higher' | 'lower';
  old?: number;
  new?: number;
  /** new − old */
  delta?: number;
  /** (new − old) / |old|; undefined when old is 0 */
  relative?: number;
  /** 'same' within float noise (1e-9 relative) */
  verdict: 'better' | 'worse' | 'same' | 'only-old' | 'only-new';
  tolerance: Tolerance;
  exceeded: boolean;
}

export interface RecipeDiff {
  recipe: string;
  status: { old: Report['status']; new: Report['status'] };
  changes: MetricChange[];
}

export interface ReportDiff {
  recipes: RecipeDiff[];
  onlyOld: string[];
  onlyNew: string[];
  /** true when any metric got worse by more than its tolerance */
  regressed: boolean;
}

function compareMetric(metric: string, a: number | undefined, b: number | undefined, tolerances: Tolerances): MetricChange {
  const better = HIGHER_IS_BETTER.has(metric) ? 'higher' : 'lower';
  const tolerance = toleranceFor(tolerances, metric);
  const base: MetricChange = { metric, better, tolerance, verdict: a === undefined ? 'only-new' : 'only-old', exceeded: false };
  if (a !== undefined) base.old = a;
  if (b !== undefined) base.new = b;
  if (a === undefined || b === undefined) return base;
  const delta = b - a;
  const relative = a === 0 ? undefined : delta / Math.abs(a);
  const worsening = better === 'higher' ? -delta : delta;
  const same = Math.abs(delta) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  const verdict = same ? 'same' : worsening > 0 ? 'worse' : 'better';
  // a relative tolerance of an old value of 0 cannot be scaled: any worsening exceeds it
  const allowed = 'absolute' in tolerance ? tolerance.absolute : a === 0 ? 0 : tolerance.relative * Math.abs(a);
  return { ...base, delta, ...(relative === undefined ? {} : { relative }), verdict, exceeded: verdict === 'worse' && worsening > allowed };
}

function diffRecipe(a: Report, b: Report, tolerances: Tolerances): RecipeDiff {
  const names = [...new Set([...Object.keys(a.final ?? {}), ...Object.keys(b.final ?? {})])].sort();
  return {
    recipe: a.recipe.name,
    status: { old: a.status, new: b.status },
    changes: names.map((m) => compareMetric(m, a.final?.[m], b.final?.[m], tolerances)),
  };
}

/** Recipes are matched by name; the final model's metrics are compared (the baseline is the unchanged source model). */
export function diffReports(olds: readonly Report[], news: readonly Report[], tolerances: Tolerances): ReportDiff {
  const byName = new Map(news.map((r) => [r.recipe.name, r]));
  const oldNames = new Set(olds.map((r) => r.recipe.name));
  const recipes = olds.flatMap((a) => {
    const b = byName.get(a.recipe.name);
    return b ? [diffRecipe(a, b, tolerances)] : [];
  });
  return {
    recipes,
    onlyOld: olds.map((r) => r.recipe.name).filter((n) => !byName.has(n)),
    onlyNew: news.map((r) => r.recipe.name).filter((n) => !oldNames.has(n)),
    regressed: recipes.some((r) => r.changes.some((c) => c.exceeded)),
  };
}
