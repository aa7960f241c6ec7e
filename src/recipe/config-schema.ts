// The project config's shape (edgeopt.config.*, .edgeoptrc*, package.json#edgeopt): one TypeBox schema, type derived.
import { Type, type Static } from '@sinclair/typebox';
import { RecipeSchema } from './schema.js';

/** Laid under every recipe (before its `extends`), so a project can set target, benchmark or SLOs once. */
export const RecipeDefaultsSchema = Type.Partial(
  Type.Omit(RecipeSchema, ['$schema', 'extends', 'name', 'description', 'model']),
  { additionalProperties: false, description: 'a partial recipe merged under every recipe of the project' },
);

export const ProjectConfigSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    recipes: Type.Optional(Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'globs of recipe files, relative to the project root; default recipes/*.yaml',
    })),
    defaults: Type.Optional(RecipeDefaultsSchema),
    plugins: Type.Optional(Type.Array(Type.String({ minLength: 1 }), {
      description: 'third-party plugins: package names, or paths relative to the project root',
    })),
    concurrency: Type.Optional(Type.Integer({ minimum: 1, description: 'how many tasks run at once' })),
    cacheDir: Type.Optional(Type.String({ minLength: 1, description: 'relative to the project root; default .edgeopt/cache' })),
    diff: Type.Optional(Type.Object({
      tolerance: Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        description: '`edgeopt diff` tolerances, as --tolerance takes them ("5%", "latency.p90_ms=10%", "size_mb=0.05"); --tolerance on the command line adds to them and wins',
      }),
    }, { additionalProperties: false })),
  },
  {
    additionalProperties: false,
    $id: 'https://edgeopt.dev/schemas/edgeopt-config.schema.json',
    title: 'edgeopt project config',
  },
);

export type ProjectConfig = Static<typeof ProjectConfigSchema>;

export const DEFAULT_RECIPE_GLOBS: readonly string[] = ['recipes/*.yaml'];
