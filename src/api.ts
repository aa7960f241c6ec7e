// The public plugin API: everything a plugin (built-in or third-party) may use. Built-in plugins import only this.
import type { SourceLocation } from './errors.js';
import type { InputPin, ResolvedDataset, ResolvedEvalDataset } from './recipe/types.js';

export { EdgeoptError } from './errors.js';
export type { InputPin, ResolvedDataset, ResolvedEvalDataset, TensorDType } from './recipe/types.js';

/** A JSON Schema object (draft 2020-12 subset that ajv understands in strict mode). */
export type JSONSchema = Record<string, unknown>;

/** A file produced or consumed by a step, addressed by its content. */
export interface Artifact {
  path: string;
  /** sha256 hex of the file's bytes */
  hash: string;
  size: number;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

export interface StepContext {
  recipe: { name: string; file: string; dir: string; projectRoot: string };
  stepId: string;
  /** `model` is the model this step works on (the source model, or the output of the step it needs) */
  inputs: { model: Artifact } & Record<string, Artifact>;
  /** dynamic dims and constant inputs pinned by the recipe */
  modelInputs: Record<string, InputPin>;
  data: { calibration?: ResolvedDataset; eval?: ResolvedEvalDataset };
  target: { format: 'onnx' | 'ort'; ep: string[]; threads: number };
  /** a private empty folder; outputs are written here and moved into the cache when the step succeeds */
  tmpDir: string;
  log: Logger;
  /** report progress in [0, 1] with an optional short message */
  progress(fraction: number, message?: string): void;
  signal: AbortSignal;
}

export interface StepOutput {
  /** output name → file path inside ctx.tmpDir; a step that transforms the model returns `model` */
  files: Record<string, string>;
  /** plain JSON data: measurements, counts, decisions */
  metrics?: Record<string, unknown>;
  /** things the user should know about the result (shown in reports) */
  warnings?: string[];
}

export interface Plugin<P = Record<string, unknown>> {
  name: string;
  /** part of every cache key: bump it when the plugin's output for the same inputs changes */
  version: string;
  /** JSON Schema of the step's `with:` params, validated at recipe time */
  params: JSONSchema;
  /** whether the step's output replaces the model that later steps see (may depend on the params) */
  produces: 'model' | 'metrics' | ((params: P) => 'model' | 'metrics');
  /** which recipe datasets the step reads (their content is part of the cache key); may depend on the params */
  dataInputs?: Array<'calibration' | 'eval'> | ((params: P) => Array<'calibration' | 'eval'>);
  /** extra files the step reads, relative to the recipe's folder (their content is part of the cache key) */
  fileInputs?(params: P): string[];
  /** checks that need more than the JSON Schema; return problems with the JSON pointer (inside `with`) they concern */
  check?(params: P): Array<{ pointer: string; message: string; hint?: string }>;
  run(ctx: StepContext, params: P): Promise<StepOutput>;
}

export type { SourceLocation };
export { resolveEp, type EpResolution, type EpUnavailable } from './ort/ep-resolve.js';
export { openSession, type OpenSessionOptions, type OpenedSession } from './ort/session.js';
export { ortErrorText } from './ort/ort-message.js';
export { buildFeeds, generatedFeedsError, type Feeds } from './ort/feeds.js';
export { nonTensorNote, tensorOutputs, type OutputSplit } from './ort/fetches.js';
export { runBenchmark, BENCH_DEFAULTS, type BenchOptions, type BenchResult } from './ort/bench-runner.js';
export type { EnergyReport } from './ort/energy.js';
export { LOAD_LEVELS, type LoadLevel } from './ort/bench-load.js';
export type { LatencyStats } from './ort/latency-stats.js';
// ONNX model IR for plugins that edit graphs (quantize): read/write, tensors, graph helpers, opsets
export type {
  AttributeProto, GraphProto, ModelProto, NodeProto, TensorProto, ValueInfoProto,
} from './onnx/index.js';
export {
  attrFloat, attrInt, attrInts, attrString, attrTensor, castTarget, consumerMap, createNameGenerator, DataType,
  dataTypeName, decodeFloat16, decodeTensor, definedNames, encodeModel, encodeTensor, floatBitsToHalf, foldCasts,
  getAttribute, hoistConstantNodes, inferElemTypes, initializerMap, makeAttribute, nodeInputs, normalizeDomain,
  opsetVersion, opTyping, producerMap, pruneModel, raiseIrVersion, readModel, readModelOutline, slotAt, subgraphsOf,
  tensorInfo, tensorRawBytes, topologicalSort, walkGraphs, withGraphOutputs, writeModel,
  type AttributeValue, type CastFoldResult, type GraphElemTypes, type NameGenerator, type OpTyping, type TensorInfo,
  type TypeProto, type TypeSlot, type WriteModelResult,
} from './onnx/index.js';
export { convertOpset, type ConversionBlocker, type ConvertedNode, type OpsetConversion } from './onnx/opset-convert.js';
// Datasets (calibration, evaluation): a recipe dataset opened against the model's inputs
export { openDataset, stackedFileName, type OpenedDataset, type SampleFeeds } from './data/dataset.js';
export { resolveInputSpecs, formatShape, type InputMetadata, type InputSpec } from './ort/input-specs.js';
export { openLabels, readLabels, type LabelSource, type Labels } from './data/labels.js';
export { toFloat64 } from './data/dtype-convert.js';
// Comparing measured values with reference values (fidelity, error budgets)
export { PairStats, SNR_CAP_DB, type PairSummary } from './metrics/pair-stats.js';
