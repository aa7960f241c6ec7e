// The recipe stage's public surface: find the project config, expand recipe arguments, load recipes.
export { loadRecipes, type LoadOptions } from './load-recipes.js';
export { loadProjectConfig, CONFIG_SEARCH_PLACES, type LoadedProjectConfig } from './project-config.js';
export { expandRecipeArgs } from './expand-args.js';
export { ProjectConfigSchema, RecipeDefaultsSchema, DEFAULT_RECIPE_GLOBS, type ProjectConfig } from './config-schema.js';
export { RecipeSchema, RecipeFragmentSchema, SLO_METRICS, HIGHER_IS_BETTER, EXECUTION_PROVIDERS, TENSOR_DTYPES } from './schema.js';
export { RECIPE_DEFAULTS, type Recipe, type InputPin, type ResolvedDataset } from './types.js';
export { PRESET_DIR, presetNames } from './presets.js';
