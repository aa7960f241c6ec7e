// The recipe's shape, in one place: the JSON Schema that ajv validates and the TypeScript type both derive from it.
import { Type, type Static } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;

/** Execution providers a recipe may name; whether one is available is decided at run time. */
export const EXECUTION_PROVIDERS = [
  'cpu', 'xnnpack', 'nnapi', 'qnn', 'coreml', 'openvino', 'dnnl', 'dml', 'webgpu', 'webnn',
  'cuda', 'tensorrt', 'rocm', 'migraphx', 'acl', 'armnn', 'cann', 'vitisai',
] as const;

export const TENSOR_DTYPES = [
  'float32', 'float16', 'float64', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'bool',
] as const;

/** Metrics an SLO may name. Lower-is-better unless listed in HIGHER_IS_BETTER. */
export const SLO_METRICS = [
  'latency.p50_ms', 'latency.p90_ms', 'latency.p99_ms', 'latency.mean_ms', 'latency.max_ms',
  'throughput_ips', 'size_mb', 'peak_memory_mb', 'load_ms', 'speedup_vs_baseline', 'energy_mj',
  'accuracy.top1', 'accuracy.top5', 'accuracy.mse', 'accuracy.cosine', 'accuracy.snr_db',
  'fidelity.cosine', 'fidelity.snr_db', 'fidelity.mse', 'fidelity.max_abs',
] as const;
export type SloMetric = (typeof SLO_METRICS)[number];

export const HIGHER_IS_BETTER: ReadonlySet<string> = new Set([
  'throughput_ips', 'speedup_vs_baseline', 'accuracy.top1', 'accuracy.top5', 'accuracy.cosine',
  'accuracy.snr_db', 'fidelity.cosine', 'fidelity.snr_db',
]);

const Dim = Type.Integer({ minimum: 1, description: 'a fixed dimension size' });
const Shape = Type.Array(Dim, { description: 'tensor shape; [] is a scalar' });

const InputPin = Type.Union([
  Shape,
  Type.Object(
    {
      shape: Shape,
      dtype: Type.Optional(Type.Union(TENSOR_DTYPES.map((d) => Type.Literal(d)))),
      value: Type.Optional(
        Type.Union([Type.Number(), Type.Boolean(), Type.Array(Type.Number())], {
          description: 'a constant fed on every run (e.g. a sample rate)',
        }),
      ),
    },
    strict,
  ),
]);

/** `model:` alone: a path, or a path with input pins (recipe validation checks the pins against the model's inputs). */
export const ModelSpec = Type.Union([
  Type.String({ minLength: 1, description: 'path to the .onnx model, relative to the recipe' }),
  Type.Object(
    {
      path: Type.String({ minLength: 1 }),
      inputs: Type.Optional(
        Type.Record(Type.String({ minLength: 1 }), InputPin, {
          description: 'pins dynamic dims and dtypes of model inputs, by input name',
        }),
      ),
    },
    strict,
  ),
]);

const Dataset = Type.Object(
  {
    source: Type.Optional(Type.String({ minLength: 1, description: 'folder of .npy files, one per model input' })),
    random: Type.Optional(Type.Object({ seed: Type.Integer() }, strict)),
    samples: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  strict,
);

/** The primary accuracy metric `data.eval.metric` may name: top1/top5 score class ids, the others float targets. */
export const EVAL_METRICS = ['top1', 'top5', 'mse', 'cosine', 'snr'] as const;

const EvalDataset = Type.Object(
  {
    source: Type.Optional(Type.String({
      minLength: 1,
      description: 'folder with data.jsonl ({"inputs": {"<input>": "<file>.npy"}, "label": 3} per line) or one <input>.npy per model input (axis 0 = sample)',
    })),
    random: Type.Optional(Type.Object({ seed: Type.Integer() }, strict)),
    samples: Type.Optional(Type.Integer({ minimum: 1, description: 'evaluate the first N samples; default: all of `source` (16 for `random`)' })),
    labels: Type.Optional(Type.String({
      minLength: 1,
      description: '.npy with [N] integer class ids or [N, ...] float targets, or a data.jsonl whose lines carry "label"; without labels only fidelity against the float model is measured',
    })),
    metric: Type.Optional(Type.Union(EVAL_METRICS.map((m) => Type.Literal(m)), {
      description: 'the primary accuracy metric (default: top1 for integer labels, mse for float labels); top1/top5 read float labels as class ids',
    })),
    output: Type.Optional(Type.String({ minLength: 1, description: 'the model output the labels are scored against (default: the first output)' })),
    threshold: Type.Optional(Type.Number({ description: 'for an output with one score per sample (binary): class 1 when score >= threshold; default 0.5' })),
  },
  strict,
);

/** The longest timer Node keeps (2³¹ − 1 ms, about 24.8 days): a longer one fires at once, or throws. */
export const MAX_TIMEOUT_S = 2_147_483;

const StepId = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]*$', description: 'unique id of the step' });

const Step = Type.Object(
  {
    id: StepId,
    uses: Type.String({ minLength: 1, description: 'plugin name' }),
    needs: Type.Optional(Type.Array(StepId, {
      uniqueItems: true,
      description: 'ids of the steps this one runs after. Absent: the previous step in the list (the first step '
        + 'works on the source model). `[]`: no dependency, the step works on the source model.',
    })),
    with: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "the plugin's parameters" })),
    timeout_s: Type.Optional(Type.Number({
      exclusiveMinimum: 0,
      maximum: MAX_TIMEOUT_S,
      description: 'stop the step with an error (exit 3) when it runs longer than this many seconds (a cache hit '
        + 'is not timed); the steps that do not need it still run. Absent: no limit. At most 2147483 (about 24.8 '
        + 'days), the longest timer Node keeps',
    })),
    description: Type.Optional(Type.String()),
  },
  strict,
);

const Threshold = Type.Object(
  {
    max: Type.Optional(Type.Number()),
    min: Type.Optional(Type.Number()),
    max_drop: Type.Optional(Type.Number({ minimum: 0, description: 'largest allowed worsening against the baseline, in the metric\'s units' })),
  },
  { ...strict, minProperties: 1 },
);

const Slo = Type.Object(
  Object.fromEntries(SLO_METRICS.map((m) => [m, Type.Optional(Threshold)])),
  strict,
);

const Target = Type.Object(
  {
    format: Type.Optional(Type.Union([Type.Literal('onnx'), Type.Literal('ort')])),
    ep: Type.Optional(
      Type.Array(Type.Union(EXECUTION_PROVIDERS.map((e) => Type.Literal(e))), { minItems: 1, uniqueItems: true }),
    ),
    threads: Type.Optional(Type.Integer({ minimum: 1, maximum: 256 })),
  },
  strict,
);

/** Background CPU load a benchmark runs under: none, half the cores busy, every core busy. */
export const BENCHMARK_LOADS = ['idle', 'mid', 'heavy'] as const;

/** Settings of the implicit baseline and final benchmarks (a thread sweep is a `benchmark` step's, not the gate's). */
const Benchmark = Type.Object(
  {
    warmup: Type.Optional(Type.Integer({ minimum: 0 })),
    runs: Type.Optional(Type.Integer({ minimum: 1 })),
    min_time_ms: Type.Optional(Type.Number({ minimum: 0 })),
    timeout_s: Type.Optional(Type.Number({
      exclusiveMinimum: 0, maximum: MAX_TIMEOUT_S,
      description: 'seconds after which a benchmark (child start, load, warm-up, runs) is stopped; at most 2147483 '
        + '(about 24.8 days), the longest timer Node keeps',
    })),
    load: Type.Optional(Type.Union(BENCHMARK_LOADS.map((l) => Type.Literal(l)), {
      description: 'background CPU load during the timed runs: idle (default), mid (half the cores busy), heavy (all busy)',
    })),
  },
  strict,
);

const Gate = Type.Object(
  {
    retries: Type.Optional(Type.Integer({
      minimum: 0, maximum: 10,
      description: 'how many times a latency/throughput/speedup verdict whose confidence interval straddles its limit '
        + '(or a fail resting on one measurement) is re-measured (fresh benchmark processes, pooled) before it is '
        + 'decided; default 2, 0: never',
    })),
    confidence: Type.Optional(Type.Number({
      minimum: 0.5, exclusiveMaximum: 1, description: 'two-sided coverage of those intervals; default 0.95',
    })),
  },
  strict,
);

export const RecipeSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    extends: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }))])),
    // 100: the output folder's name plus the build's staging suffixes stays under every filesystem's 255
    name: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: 100, description: 'names the output folder .edgeopt/out/<name>' }),
    description: Type.Optional(Type.String()),
    model: ModelSpec,
    data: Type.Optional(Type.Object({ calibration: Type.Optional(Dataset), eval: Type.Optional(EvalDataset) }, strict)),
    steps: Type.Optional(Type.Array(Step)),
    target: Type.Optional(Target),
    benchmark: Type.Optional(Benchmark),
    gate: Type.Optional(Gate),
    slo: Type.Optional(Slo),
  },
  { ...strict, $id: 'https://edgeopt.dev/schemas/recipe.schema.json', title: 'edgeopt recipe' },
);

/** A file that other recipes `extends`: any part of a recipe, nothing required (the presets in recipes/ are these). */
export const RecipeFragmentSchema = Type.Partial(RecipeSchema, { ...strict, title: 'edgeopt recipe fragment' });

export type RecipeDoc = Static<typeof RecipeSchema>;
export type StepDoc = Static<typeof Step>;
export type ThresholdDoc = Static<typeof Threshold>;
export type InputPinDoc = Static<typeof InputPin>;
export type DatasetDoc = Static<typeof EvalDataset>;
export type TargetDoc = Static<typeof Target>;
export type BenchmarkDoc = Static<typeof Benchmark>;
export type GateDoc = Static<typeof Gate>;
