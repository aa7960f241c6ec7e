// The shape of report.json (published as schemas/report.schema.json); the Report type derives from it.
import { Type, type Static } from '@sinclair/typebox';
import { EpCoverageSchema } from './ep-coverage-schema.js';

const strict = { additionalProperties: false } as const;
const Loc = Type.Object({ file: Type.String(), line: Type.Integer(), column: Type.Integer(), lineText: Type.Optional(Type.String()) }, strict);

const Interval = Type.Object(
  {
    lo: Type.Number(),
    hi: Type.Number(),
    confidence: Type.Number({ description: 'two-sided coverage, e.g. 0.95' }),
    samples: Type.Integer({ description: 'timed runs of the final model the interval rests on, over all its measurements' }),
    measurements: Type.Integer({ description: 'benchmark processes of the final model (1 + re-measurements)' }),
    baseline_samples: Type.Optional(Type.Integer()),
    baseline_measurements: Type.Optional(Type.Integer()),
    open: Type.Optional(Type.Union([Type.Literal('lo'), Type.Literal('hi'), Type.Literal('both')], {
      description: 'a side the runs cannot bound at this confidence (too few beyond a tail quantile): unbounded',
    })),
    resamples: Type.Integer(),
    method: Type.String({ description: 'bootstrap-percentile | cluster-bootstrap-percentile, "+order-statistic" when a quantile\'s distribution-free bounds widened it' }),
  },
  { ...strict, description: 'confidence interval of the judged value: the metric, or its worsening for max_drop' },
);

const Verdict = Type.Object(
  {
    metric: Type.String(),
    bound: Type.Union([Type.Literal('max'), Type.Literal('min'), Type.Literal('max_drop')]),
    limit: Type.Number(),
    value: Type.Optional(Type.Number()),
    baseline: Type.Optional(Type.Number()),
    status: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('unmeasured')]),
    message: Type.String(),
    location: Type.Optional(Loc),
    interval: Type.Optional(Interval),
    marginal: Type.Optional(Type.Boolean({ description: 'the interval still straddled the limit after the allowed re-measurements; the point estimate decided' })),
  },
  strict,
);

const StepResult = Type.Object(
  {
    id: Type.String(),
    plugin: Type.String(),
    kind: Type.Union(['step', 'baseline', 'final', 'eval-baseline', 'eval-final'].map((k) => Type.Literal(k))),
    status: Type.Union([Type.Literal('built'), Type.Literal('cached'), Type.Literal('failed'), Type.Literal('skipped')]),
    key: Type.Optional(Type.String()),
    duration_ms: Type.Optional(Type.Number({ description: 'time the plugin took when it ran (for a cached step: when it was built)' })),
    changed_inputs: Type.Optional(Type.Array(Type.String())),
    metrics: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    warnings: Type.Optional(Type.Array(Type.String())),
    error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String(), hint: Type.Optional(Type.String()) }, strict)),
  },
  strict,
);

const ModelFile = Type.Object({ path: Type.String(), sha256: Type.String(), bytes: Type.Integer() }, strict);

export const ReportSchema = Type.Object(
  {
    schema: Type.Literal('edgeopt-report/1'),
    recipe: Type.Object({ name: Type.String(), file: Type.String() }, strict),
    status: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('error')], {
      description: 'pass: every SLO met; fail: an SLO missed or unmeasured; error: a step failed',
    }),
    versions: Type.Object({ edgeopt: Type.String(), onnxruntime: Type.String(), node: Type.String() }, strict),
    host: Type.Object({ platform: Type.String(), arch: Type.String(), cpu: Type.String(), cores: Type.Integer(), memory_gb: Type.Number() }, strict),
    target: Type.Object({ format: Type.String(), ep: Type.Array(Type.String()), threads: Type.Integer() }, strict),
    model: Type.Object({ source: ModelFile, final: Type.Optional(ModelFile) }, strict),
    baseline: Type.Optional(Type.Record(Type.String(), Type.Number())),
    final: Type.Optional(Type.Record(Type.String(), Type.Number())),
    ep: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'which EP ran, and why preferred ones did not' })),
    ep_coverage: Type.Optional(Type.Array(EpCoverageSchema, { description: 'static EP coverage of the final model, per requested EP' })),
    steps: Type.Array(StepResult),
    slo: Type.Array(Verdict),
    warnings: Type.Array(Type.String()),
    created_at: Type.String(),
  },
  { ...strict, $id: 'https://edgeopt.dev/schemas/report.schema.json', title: 'edgeopt report' },
);

export type Report = Static<typeof ReportSchema>;
export type ReportStep = Static<typeof StepResult>;
