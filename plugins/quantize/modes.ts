// The kinds of quantization the plugin knows, one module each, chosen by `precision` (and `mode` for int8).
import type { ModelProto, StepContext } from '../../src/api.js';
import { dynamicInt8Mode } from './dynamic/index.js';
import { fp16Mode } from './fp16/index.js';
import { int4Mode } from './int4/index.js';
import type { ParamProblem, QuantizeParams } from './params.js';
import { staticInt8Mode } from './static/index.js';

export interface ModeOutcome {
  /** the model to write (the input itself when nothing changed) */
  model: ModelProto;
  changed: boolean;
  /** what the mode did, for the step's metrics (counts, decisions, calibration ranges...) */
  metrics: Record<string, unknown>;
  warnings: string[];
}

export interface QuantizeMode {
  /** e.g. `int8-dynamic` */
  id: string;
  /** for messages: `precision int8 with mode dynamic` */
  label: string;
  /** params this mode cannot use or values it cannot take; empty when the params are usable */
  check(params: QuantizeParams): ParamProblem[];
  /** whether the step reads the recipe's calibration data (its content is then part of the cache key); may depend on params */
  usesCalibration: boolean | ((params: QuantizeParams) => boolean);
  /** rewrites `model` (it may modify it in place); reads calibration data through ctx.data when it needs it */
  run(model: ModelProto, params: QuantizeParams, ctx: StepContext): Promise<ModeOutcome>;
}

const MODES: readonly QuantizeMode[] = [dynamicInt8Mode, staticInt8Mode, fp16Mode, int4Mode];

/** `int8-dynamic`, `int8-static`, `fp16`, `int4`: the key of the mode a params object asks for. */
export function modeKey(params: QuantizeParams): string {
  return params.precision === 'int8' ? `int8-${params.mode ?? 'dynamic'}` : params.precision;
}

/** Whether the mode `params` ask for reads calibration data. */
export function readsCalibration(params: QuantizeParams): boolean {
  const uses = modeFor(params)?.usesCalibration;
  return typeof uses === 'function' ? uses(params) : !!uses;
}

export function modeFor(params: QuantizeParams): QuantizeMode | undefined {
  const key = modeKey(params);
  return MODES.find((m) => m.id === key);
}

/** Every problem with `params`: an unknown mode, or what the mode itself refuses. */
export function checkParams(params: QuantizeParams): ParamProblem[] {
  const mode = modeFor(params);
  if (mode) return mode.check(params);
  const available = MODES.map((m) => m.label).join('; ');
  const pointer = params.precision === 'int8' ? '/mode' : '/precision';
  const asked = params.precision === 'int8' ? `precision int8 with mode ${params.mode ?? 'dynamic'}` : `precision ${params.precision}`;
  return [{ pointer, message: `${asked} is not available in this version of the quantize plugin; available: ${available}`, hint: `use ${MODES[0]!.label}` }];
}
