// What a static EP op table holds: the ops an EP takes (as ORT documents or registers them), and its dtype rules.
import type { NodeProto } from '../../onnx/index.js';

/** What a rule may ask about a node: the element type (ONNX DataType) of an input, and who produced it. */
export interface NodeFacts {
  node: NodeProto;
  /** undefined when the type could not be worked out statically (then the rule does not hold it against the node) */
  inputType(index: number): number | undefined;
  /** op type of the node producing input `index`, when a node of the same graph produces it */
  producerOp(index: number): string | undefined;
}

export interface EpOpTable {
  ep: string;
  /** where the table came from: files of microsoft/onnxruntime, and the ORT version (or snapshot) they describe */
  source: { files: string[]; ort: string };
  /** "domain:op" → the documented limits (empty when none); domain ai.onnx or com.microsoft */
  ops: Readonly<Record<string, string>>;
  /** why this node is not taken despite its op being listed (a dtype the EP does not run), or undefined */
  dtypeRule(facts: NodeFacts): string | undefined;
  /**
   * Node units: a DequantizeLinear feeding only taken nodes and a QuantizeLinear fed by one go with them (XNNPACK
   * claims QDQ groups around its kernels; DQ and Q alone are not kernels of it).
   */
  qdqUnits?: boolean;
  /** activations an EP fuses into the op before them (XNNPACK: Relu or Clip after Conv, pools) */
  fuses?: { activations: ReadonlySet<string>; into: ReadonlySet<string> };
  /** runs on another device: each partition boundary costs a copy, so ORT's usability rule applies */
  device: boolean;
}

/** "ai.onnx:Conv" for a node (the empty domain and ai.onnx are the same). */
export function opKey(node: NodeProto): string {
  const domain = node.domain && node.domain !== 'ai.onnx' ? node.domain : 'ai.onnx';
  return `${domain}:${node.op_type ?? ''}`;
}

/** Table rows from "op" or "op|caveat" strings: a compact way to transcribe ORT's tables. */
export function rows(domain: string, entries: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries) {
    const [op, note = ''] = e.split('|');
    out[`${domain}:${op}`] = note;
  }
  return out;
}
