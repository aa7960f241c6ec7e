// One node's float16 plan: whether it runs in float16, how each input must arrive and which outputs become float16.
import {
  attrTensor, castTarget, DataType, getAttribute, makeAttribute, normalizeDomain, opTyping, slotAt,
  type NodeProto, type OpTyping,
} from '../../../src/api.js';
import type { Exclusions } from '../exclusions.js';
import { castTo } from './half-scope.js';
import { halveInPlace } from './half-tensor.js';

/** How an input must arrive: as float16, as its original float32, or as whichever version exists. */
export type Need = 'fp16' | 'fp32' | 'any';

export interface NodePlan {
  convert: boolean;
  /** why the node keeps float32 (when it touches float tensors and does not convert) */
  reason?: string;
  /** per input index; undefined leaves the input alone */
  inputs: Array<Need | undefined>;
  /** per output index: the output becomes float16 */
  outputs: boolean[];
  /** attribute edits that make the node itself produce float16 (Cast's `to`, ConstantOfShape's `value`...) */
  retype?: () => void;
  /** If/Loop/Scan: the precision of the body's float inputs and outputs */
  body?: 'fp16' | 'fp32';
}

export interface PlanContext {
  opset: number;
  blockedOps: ReadonlyMap<string, string>;
  exclusions: Exclusions;
  /** the tensor's original element type is FLOAT (inferred; undefined names are not float) */
  isFloat(name: string): boolean;
  /** the tensor is already planned to be float16 (outputs of converted nodes, converted graph inputs) */
  isHalf(name: string): boolean;
  /** the tensor is an initializer (its precision is decided after planning, from every consumer's need) */
  isInitializer(name: string): boolean;
  /** the tensor's original element type, when known */
  typeOf(name: string): number | undefined;
}

/**
 * Ops whose output type an attribute names. Only Cast is retyped to float16: ORT's CPU EP has no float16 kernel for
 * the others (RandomUniformLike, EyeLike, MelWeightMatrix... were rejected when probed over ONNX's backend corpus), so
 * they keep float32 outputs that their readers cast. Their input's type is free (Cast takes any type; the *Like ops
 * read only its shape), so it arrives as it is.
 */
const DTYPE_ATTRIBUTE: Record<string, string> = {
  Cast: 'to', RandomNormal: 'dtype', RandomUniform: 'dtype', RandomNormalLike: 'dtype', RandomUniformLike: 'dtype',
  EyeLike: 'dtype', Bernoulli: 'dtype', Multinomial: 'dtype', HannWindow: 'output_datatype',
  HammingWindow: 'output_datatype', BlackmanWindow: 'output_datatype', MelWeightMatrix: 'output_datatype',
};
/** ... whose output, without the attribute, is typed like their input (so the input cannot change type either) */
const TYPED_LIKE_INPUT = new Set(['RandomNormalLike', 'RandomUniformLike', 'EyeLike', 'Bernoulli']);

/**
 * Ops the ONNX schema lets run in float16 but ONNX Runtime cannot, found by converting every case of ONNX's backend
 * corpus (ORT 1.30): MeanVarianceNormalization is expanded to a function body whose constants stay float32 (Add
 * then sees float16 and float32); ScatterElements/ScatterND have no float16 kernel with a reduction.
 */
function runtimeProblem(node: NodeProto): string | undefined {
  const op = node.op_type ?? '';
  if (op === 'MeanVarianceNormalization') return 'ONNX Runtime expands it with float32 constants, which float16 inputs cannot meet';
  const reduction = getAttribute(node, 'reduction')?.s;
  if ((op === 'ScatterElements' || op === 'ScatterND') && reduction && new TextDecoder().decode(reduction) !== 'none') {
    return `ONNX Runtime's CPU EP has no float16 ${op} with a reduction`;
  }
  return undefined;
}

const CONTROL_FLOW = new Set(['If', 'Loop', 'Scan']);

/** A float32 slot: float16 tensors are cast back, and float initializers must keep (a copy of) their float32 form. */
const float32Need = (name: string, ctx: PlanContext): Need | undefined =>
  name && (ctx.isHalf(name) || (ctx.isInitializer(name) && ctx.isFloat(name))) ? 'fp32' : undefined;

const keep = (node: NodeProto, ctx: PlanContext, reason?: string): NodePlan => ({
  convert: false,
  ...(reason ? { reason } : {}),
  inputs: node.input.map((name) => float32Need(name, ctx)),
  outputs: node.output.map(() => false),
});

/** Why the node stays float32 whatever its typing, if a rule says so. */
function blockReason(node: NodeProto, ctx: PlanContext): string | undefined {
  const domain = normalizeDomain(node.domain);
  if (domain !== '') return `${domain} ops keep their float32 types`;
  return ctx.blockedOps.get(node.op_type ?? '') ?? ctx.exclusions.reason(node);
}

/** Nodes whose output type an attribute names: Cast to float32 becomes Cast to float16; the others keep float32. */
function attributeTyped(node: NodeProto, ctx: PlanContext, attribute: string): NodePlan {
  const op = node.op_type ?? '';
  if (getAttribute(node, attribute) === undefined && TYPED_LIKE_INPUT.has(op)) return keep(node, ctx);
  const inputs = node.input.map((name): Need | undefined => (name ? 'any' : undefined));
  // a Cast from strings stays float32: parsed numbers may lie far outside float16's range
  const fromText = ctx.typeOf(node.input[0] ?? '') === DataType.STRING;
  if (op !== 'Cast' || castTarget(node) !== DataType.FLOAT || fromText) return { convert: false, inputs, outputs: node.output.map(() => false) };
  return {
    convert: true,
    inputs,
    outputs: [true],
    retype: () => {
      node.attribute = [...node.attribute.filter((a) => a.name !== attribute), castTo(ctx.opset, 'fp16')];
    },
  };
}

function constantOfShape(node: NodeProto, ctx: PlanContext): NodePlan {
  const value = attrTensor(node, 'value');
  if (value && value.data_type !== DataType.FLOAT) return keep(node, ctx);
  return {
    convert: true, inputs: [undefined], outputs: [true],
    retype: () => {
      const tensor = value ? { ...value } : { dims: [1], data_type: DataType.FLOAT, raw_data: new Uint8Array(4) };
      halveInPlace(tensor);
      node.attribute = [...node.attribute.filter((a) => a.name !== 'value'), makeAttribute('value', tensor)];
    },
  };
}

function controlFlow(node: NodeProto, ctx: PlanContext, converted: boolean): NodePlan {
  // Loop's trip count and condition, and If's condition, are never float; the rest of the interface follows `converted`
  const first = node.op_type === 'Loop' ? 2 : node.op_type === 'If' ? 1 : 0;
  const need: Need = converted ? 'fp16' : 'fp32';
  return {
    convert: converted,
    inputs: node.input.map((name, i) => (name && i >= first && (ctx.isFloat(name) || ctx.isHalf(name)) ? need : undefined)),
    outputs: node.output.map((name) => converted && ctx.isFloat(name)),
    body: need,
  };
}

/** The type variables of this node that carry float32 tensors, or why its typing cannot be followed. */
function floatVars(node: NodeProto, typing: OpTyping, ctx: PlanContext): Set<string> | string {
  const vars = new Set<string>();
  const visit = (name: string, slot: ReturnType<typeof slotAt>, where: string): string | undefined => {
    if (!name || !(ctx.isFloat(name) || ctx.isHalf(name))) return undefined;
    if (!slot) return `its ${where} is not in the op's schema as known here (opset ${ctx.opset})`;
    if (slot.kind === 'var') {
      if (slot.variadic === 'heterogeneous') return 'its inputs are heterogeneous';
      vars.add(slot.name);
    }
    return undefined;
  };
  for (const [i, name] of node.input.entries()) {
    const problem = visit(name, slotAt(typing.inputs, i), `input ${i}`);
    if (problem) return problem;
  }
  for (const [i, name] of node.output.entries()) {
    const problem = visit(name, slotAt(typing.outputs, i), `output ${i}`);
    if (problem) return problem;
  }
  return vars;
}

/** A typed op: every float var that admits float16 becomes float16; vars only in its inputs follow their tensors. */
function typed(node: NodeProto, ctx: PlanContext, typing: OpTyping): NodePlan {
  const vars = floatVars(node, typing, ctx);
  if (typeof vars === 'string') return keep(node, ctx, vars);
  const half = [...vars].filter((v) => typing.vars.get(v) === 'float16');
  if (half.length === 0) return keep(node, ctx, vars.size ? `${node.op_type ?? ''} has no float16 form in ONNX` : undefined);
  const inOutputs = new Set(typing.outputs.flatMap((s) => (s.kind === 'var' ? [s.name] : [])));
  const inInputs = new Set(typing.inputs.flatMap((s) => (s.kind === 'var' ? [s.name] : [])));
  // a var seen only in inputs (Shape's T, Equal's T, Pow's exponent...) goes float16 when one of its tensors already
  // is, or when all are weights (they convert with the node); a lone activation arrives as it is
  const unified = new Map<string, Need>();
  for (const v of half.filter((h) => !inOutputs.has(h))) {
    const members = node.input.filter((name, i) => name && (slotAt(typing.inputs, i) as { name?: string } | undefined)?.name === v);
    const weights = members.every((name) => ctx.isInitializer(name));
    const need: Need = members.some((name) => ctx.isHalf(name)) || weights ? 'fp16' : members.length === 1 ? 'any' : 'fp32';
    unified.set(v, need);
  }
  const inputs = node.input.map((name, i): Need | undefined => {
    if (!name) return undefined;
    const slot = slotAt(typing.inputs, i);
    if (slot?.kind !== 'var' || !vars.has(slot.name)) return float32Need(name, ctx);
    if (typing.vars.get(slot.name) !== 'float16') return 'fp32';
    return unified.get(slot.name) ?? 'fp16';
  });
  const outputs = node.output.map((name, i) => {
    const slot = slotAt(typing.outputs, i);
    // a var typed by inputs only: one set by an attribute or by nothing the node reads stays as it is
    return !!name && slot?.kind === 'var' && half.includes(slot.name) && inInputs.has(slot.name);
  });
  return { convert: true, inputs, outputs };
}

/** Plans one node; pure (attribute edits are deferred to `retype`). */
export function planNode(node: NodeProto, ctx: PlanContext): NodePlan {
  const op = node.op_type ?? '';
  const blocked = blockReason(node, ctx);
  if (CONTROL_FLOW.has(op) && normalizeDomain(node.domain) === '') return { ...controlFlow(node, ctx, !blocked), ...(blocked ? { reason: blocked } : {}) };
  const touchesFloat = [...node.input, ...node.output].some((name) => name && (ctx.isFloat(name) || ctx.isHalf(name)));
  if (blocked) return keep(node, ctx, touchesFloat ? blocked : undefined);
  const problem = runtimeProblem(node);
  if (problem) return keep(node, ctx, touchesFloat ? problem : undefined);
  if (!touchesFloat && op !== 'ConstantOfShape') return keep(node, ctx);
  const attribute = DTYPE_ATTRIBUTE[op];
  if (attribute) return attributeTyped(node, ctx, attribute);
  if (op === 'ConstantOfShape') return constantOfShape(node, ctx);
  const typing = opTyping(op, ctx.opset);
  if (!typing) return keep(node, ctx, `no ONNX schema is known here for ${op}`);
  if (!typing.tensorTyped) return keep(node, ctx, `${op} is typed over sequences or optionals`);
  return typed(node, ctx, typing);
}
