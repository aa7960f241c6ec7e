// After FP16's rewrite: graph inputs, outputs and value_info say float16 exactly where the tensors now are float16.
import { DataType, type TypeProto, type ValueInfoProto } from '../../../src/api.js';
import type { HalfScope, Precision } from './half-scope.js';

const elemType = (p: Precision): number => (p === 'fp16' ? DataType.FLOAT16 : DataType.FLOAT);

function retyped(type: TypeProto | undefined, elem: number): TypeProto | undefined {
  if (!type?.tensor_type) return type;
  return { ...type, tensor_type: { ...type.tensor_type, elem_type: elem } };
}

function setElem(vi: ValueInfoProto, elem: number): void {
  const type = retyped(vi.type, elem);
  if (type) vi.type = type;
}

/** The value_info (or input/output entry) describing `name` in this scope or an enclosing one. */
function describe(scope: HalfScope, name: string): ValueInfoProto | undefined {
  for (let s: HalfScope | undefined = scope; s; s = s.parent) {
    const g = s.graph;
    const found = g.value_info.find((v) => v.name === name) ?? g.input.find((v) => v.name === name) ?? g.output.find((v) => v.name === name);
    if (found) return found;
  }
  return undefined;
}

/** Fixes the types one scope declares; call once per scope after rewriteScope. */
export function updateValueTypes(scope: HalfScope): void {
  const g = scope.graph;
  const isMain = scope.parent === undefined;
  const naturalHalf = (name: string): boolean => scope.half.has(name);
  // new value_info first, while describe() still sees the float32 declarations
  const added: ValueInfoProto[] = [];
  for (const cast of scope.inserted) {
    const source = describe(scope, cast.of);
    if (source?.type?.tensor_type) added.push({ name: cast.output, type: retyped(source.type, elemType(cast.to))! });
  }
  for (const [name, natural] of scope.natural) {
    const source = describe(scope, name);
    if (source?.type?.tensor_type) added.push({ name: natural, type: retyped(source.type, elemType(naturalHalf(name) ? 'fp16' : 'fp32'))! });
  }
  for (const vi of g.input) if (naturalHalf(vi.name ?? '')) setElem(vi, DataType.FLOAT16);
  for (const vi of g.value_info) {
    const name = vi.name ?? '';
    if (naturalHalf(name) && !scope.natural.has(name)) setElem(vi, DataType.FLOAT16);
  }
  g.output.forEach((vi, i) => {
    const sink = scope.sinks[i];
    const name = vi.name ?? '';
    if (sink) setElem(vi, elemType(sink));
    else if (!isMain && scope.isHalf(name)) setElem(vi, DataType.FLOAT16);
    else if (isMain && naturalHalf(name)) setElem(vi, DataType.FLOAT16);
  });
  const declared = new Set(g.value_info.map((v) => v.name));
  g.value_info.push(...added.filter((v) => !declared.has(v.name)));
}
