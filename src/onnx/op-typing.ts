// Default-domain operator typing: which inputs/outputs share a type variable, and whether it admits float/float16.
// Generated from onnx 1.12's onnx.defs.get_all_schemas_with_history() (opsets ≤ 17; checked by
// test/unit/onnx/op-typing.test.ts); an entry is listed only where its typing changed from the version before.
//
// Entry `Op@since:inputs>outputs|vars`. A slot is a type variable (`T`), `=f` (always tensor(float)) or `=x` (a
// fixed non-float type); `*` marks a homogeneous variadic slot, `~` a heterogeneous one. Vars: `T:h` admits float
// and float16, `T:f` float only; vars that admit no float are not listed. `Op@since!`: sequence/optional typed.

const TABLE =
  'Abs@1:T>T|T:h Acos@7:T>T|T:h Acosh@9:T>T|T:h Add@1:T,T>T|T:h And@1:T,T>T1 ArgMax@1:T>=x|T:h ArgMin@1:T>=x|T:h ' +
  'Asin@7:T>T|T:h Asinh@9:T>T|T:h Atan@7:T>T|T:h Atanh@9:T>T|T:h AveragePool@1:T>T|T:h ' +
  'BatchNormalization@1:T,T,T,T,T>T,T,T,T,T|T:h BatchNormalization@14:T,T,T,U,U>T,U,U|T:h,U:h ' +
  'BatchNormalization@15:T,T1,T1,T2,T2>T,T2,T2|T:h,T1:h,T2:h Bernoulli@15:T1>T2|T1:h,T2:h BitShift@11:T,T>T ' +
  'BlackmanWindow@17:T1>T2|T2:h Cast@1:T1>T2|T1:h,T2:h CastLike@15:T1,T2>T2|T1:h,T2:h Ceil@1:T>T|T:h ' +
  'Celu@12:T>T|T:f Clip@1:T>T|T:h Clip@11:T,T,T>T|T:h Compress@9:T,T1>T|T:h Concat@1:T*>T|T:h ' +
  'ConcatFromSequence@11! Constant@1:>T|T:h ConstantOfShape@9:T1>T2|T2:h Conv@1:T,T,T>T|T:h ' +
  'ConvInteger@10:T1,T2,T1,T2>T3 ConvTranspose@1:T,T,T>T|T:h Cos@7:T>T|T:h Cosh@9:T>T|T:h CumSum@11:T,T2>T|T:f ' +
  'CumSum@14:T,T2>T|T:h DFT@17:T1,T2>T1|T1:h DepthToSpace@1:T>T|T:h DequantizeLinear@10:T,=f,T>=f Det@11:T>T|T:h ' +
  'Div@1:T,T>T|T:h Dropout@1:T>T,T|T:h Dropout@10:T>T,T1|T:h Dropout@12:T,T1,T2>T,T2|T:h,T1:h ' +
  'DynamicQuantizeLinear@11:T1>T2,=f,T2|T1:f Einsum@12:T*>T|T:h Elu@1:T>T|T:h Equal@1:T,T>T1 Equal@11:T,T>T1|T:h ' +
  'Erf@9:T>T|T:h Exp@1:T>T|T:h Expand@8:T,=x>T|T:h EyeLike@9:T1>T2|T1:h,T2:h Flatten@1:T>T|T:h Floor@1:T>T|T:h ' +
  'GRU@1:T,T,T,T,T1,T>T,T|T:h Gather@1:T,Tind>T|T:h GatherElements@11:T,Tind>T|T:h GatherND@11:T,=x>T|T:h ' +
  'Gemm@1:T,T,T>T|T:h GlobalAveragePool@1:T>T|T:h GlobalLpPool@1:T>T|T:h GlobalMaxPool@1:T>T|T:h ' +
  'Greater@1:T,T>T1|T:h GreaterOrEqual@12:T,T>T1|T:h GridSample@16:T1,T1>T2|T1:h,T2:h HammingWindow@17:T1>T2|T2:h ' +
  'HannWindow@17:T1>T2|T2:h HardSigmoid@1:T>T|T:h HardSwish@14:T>T|T:h Hardmax@1:T>T|T:h Identity@1:T>T|T:h ' +
  'Identity@14:V>V|V:h If@1:B>V~|V:h InstanceNormalization@1:T,T,T>T|T:h IsInf@10:T1>T2|T1:f IsNaN@9:T1>T2|T1:h ' +
  'LRN@1:T>T|T:h LSTM@1:T,T,T,T,T1,T,T,T>T,T,T|T:h LayerNormalization@17:T,T,T>T,U,U|T:h,U:f LeakyRelu@1:T>T|T:h ' +
  'Less@1:T,T>T1|T:h LessOrEqual@12:T,T>T1|T:h Log@1:T>T|T:h LogSoftmax@1:T>T|T:h Loop@1:I,B,V~>V~|V:h ' +
  'LpNormalization@1:T>T|T:h LpPool@1:T>T|T:h MatMul@1:T,T>T|T:h MatMulInteger@10:T1,T2,T1,T2>T3 Max@1:T*>T|T:h ' +
  'MaxPool@1:T>T|T:h MaxPool@8:T>T,I|T:h MaxRoiPool@1:T,T>T|T:h MaxUnpool@9:T1,T2,T2>T1|T1:h Mean@1:T*>T|T:h ' +
  'MeanVarianceNormalization@9:T>T|T:h MelWeightMatrix@17:T1,T1,T1,T2,T2>T3|T2:h,T3:h Min@1:T*>T|T:h ' +
  'Mod@10:T,T>T|T:h Mul@1:T,T>T|T:h Multinomial@7:T1>T2|T1:h Neg@1:T>T|T:h ' +
  'NegativeLogLikelihoodLoss@12:T,Tind,T>T|T:h NonMaxSuppression@10:=f,=f,=x,=f,=f>=x NonZero@9:T>=x|T:h Not@1:T>T ' +
  'OneHot@9:T1,T2,T3>T3|T1:h,T2:h,T3:h Optional@15! OptionalGetElement@15! OptionalHasElement@15! Or@1:T,T>T1 ' +
  'PRelu@1:T,T>T|T:h Pad@1:T>T|T:h Pad@11:T,=x,T>T|T:h Pow@1:T,T>T|T:h Pow@12:T,T1>T|T:h,T1:h ' +
  'QLinearConv@10:T1,=f,T1,T2,=f,T2,=f,T3,T4>T3 QLinearMatMul@10:T1,=f,T1,T2,=f,T2,=f,T3>T3 ' +
  'QuantizeLinear@10:T1,=f,T2>T2|T1:f RNN@1:T,T,T,T,T1,T>T,T|T:h RandomNormal@1:>T|T:h ' +
  'RandomNormalLike@1:T1>T2|T1:h,T2:h RandomUniform@1:>T|T:h RandomUniformLike@1:T1>T2|T1:h,T2:h ' +
  'Range@11:T,T,T>T|T:f Reciprocal@1:T>T|T:h ReduceL1@1:T>T|T:h ReduceL2@1:T>T|T:h ReduceLogSum@1:T>T|T:h ' +
  'ReduceLogSumExp@1:T>T|T:h ReduceMax@1:T>T|T:h ReduceMean@1:T>T|T:h ReduceMin@1:T>T|T:h ReduceProd@1:T>T|T:h ' +
  'ReduceSum@1:T>T|T:h ReduceSum@13:T,=x>T|T:h ReduceSumSquare@1:T>T|T:h Relu@1:T>T|T:h Reshape@1:T>T|T:h ' +
  'Reshape@5:T,=x>T|T:h Resize@10:T,=f>T|T:h Resize@11:T1,T2,=f,=x>T1|T1:h,T2:h ReverseSequence@10:T,=x>T|T:h ' +
  'RoiAlign@10:T1,T1,T2>T1|T1:h Round@11:T>T|T:h STFT@17:T1,T2,T1,T2>T1|T1:h Scan@8:I,V~>V~|V:h Scan@9:V~>V~|V:h ' +
  'Scatter@9:T,Tind,T>T|T:h ScatterElements@11:T,Tind,T>T|T:h ScatterND@11:T,=x,T>T|T:h Selu@1:T>T|T:h ' +
  'SequenceAt@11! SequenceConstruct@11! SequenceEmpty@11! SequenceErase@11! SequenceInsert@11! SequenceLength@11! ' +
  'SequenceMap@17! Shape@1:T>T1|T:h Shrink@9:T>T|T:h Sigmoid@1:T>T|T:h Sign@9:T>T|T:h Sin@7:T>T|T:h Sinh@9:T>T|T:h ' +
  'Size@1:T>T1|T:h Slice@1:T>T|T:h Slice@10:T,Tind,Tind,Tind,Tind>T|T:h Softmax@1:T>T|T:h ' +
  'SoftmaxCrossEntropyLoss@12:T,Tind,T>T,T|T:h Softplus@1:T>T|T:h Softsign@1:T>T|T:h SpaceToDepth@1:T>T|T:h ' +
  'Split@1:T,T>T*|T:h Split@2:T>T*|T:h Split@13:T,=x>T*|T:h SplitToSequence@11! Sqrt@1:T>T|T:h Squeeze@1:T>T|T:h ' +
  'Squeeze@13:T,=x>T|T:h StringNormalizer@10:=x>=x Sub@1:T,T>T|T:h Sum@1:T*>T|T:h Tan@7:T>T|T:h Tanh@1:T>T|T:h ' +
  'TfIdfVectorizer@9:T>T1|T1:f ThresholdedRelu@10:T>T|T:h Tile@1:T,T,T>T|T:h Tile@6:T,T1>T|T:h TopK@1:T>T,I|T:h ' +
  'TopK@10:T,=x>T,I|T:h Transpose@1:T>T|T:h Trilu@14:T,=x>T|T:h Unique@11:T>T,=x,=x,=x|T:h Unsqueeze@1:T>T|T:h ' +
  'Unsqueeze@13:T,=x>T|T:h Upsample@1:T>T|T:h Upsample@9:T,=f>T|T:h Where@9:B,T,T>T|T:h Xor@1:T,T>T1 ';

/** Ops newer than onnx 1.12, from the ONNX operator spec by hand (not cross-checked by the generator). */
const NEWER = 'Mish@18:T>T|T:h GroupNormalization@18:T,T,T>T|T:h Gelu@20:T>T|T:h';

/**
 * Entries that replace onnx 1.12's: its GridSample-16 schema names the wrong type variables (grid T1, Y T2); the
 * operator spec and ONNX Runtime type X and Y alike (T1) and the grid by T2.
 */
const CORRECTIONS = 'GridSample@16:T1,T2>T1|T1:h,T2:h';

export type FloatAdmission = 'float16' | 'float';

export type TypeSlot =
  | { kind: 'var'; name: string; variadic?: 'homogeneous' | 'heterogeneous' }
  | { kind: 'float'; variadic?: 'homogeneous' | 'heterogeneous' }
  | { kind: 'other'; variadic?: 'homogeneous' | 'heterogeneous' };

export interface OpTyping {
  /** the schema version this typing was defined at */
  since: number;
  inputs: TypeSlot[];
  outputs: TypeSlot[];
  /** type variables that admit float32, and whether they also admit float16 */
  vars: ReadonlyMap<string, FloatAdmission>;
  /** false for ops typed over sequences or optionals (their element types cannot be followed slot by slot) */
  tensorTyped: boolean;
}

function parseSlot(code: string): TypeSlot {
  const variadic = code.endsWith('*') ? 'homogeneous' : code.endsWith('~') ? 'heterogeneous' : undefined;
  const bare = variadic ? code.slice(0, -1) : code;
  const slot: TypeSlot = bare === '=f' ? { kind: 'float' } : bare === '=x' ? { kind: 'other' } : { kind: 'var', name: bare };
  if (variadic) slot.variadic = variadic;
  return slot;
}

function parseEntry(entry: string): [string, OpTyping] {
  const at = entry.indexOf('@');
  const op = entry.slice(0, at);
  if (entry.endsWith('!')) {
    return [op, { since: Number(entry.slice(at + 1, -1)), inputs: [], outputs: [], vars: new Map(), tensorTyped: false }];
  }
  const colon = entry.indexOf(':', at);
  const [io = '', varList = ''] = entry.slice(colon + 1).split('|');
  const [ins = '', outs = ''] = io.split('>');
  const vars = new Map<string, FloatAdmission>();
  for (const v of varList.split(',').filter(Boolean)) {
    const [name = '', flag] = v.split(':');
    vars.set(name, flag === 'h' ? 'float16' : 'float');
  }
  const slots = (list: string): TypeSlot[] => list.split(',').filter(Boolean).map(parseSlot);
  return [op, { since: Number(entry.slice(at + 1, colon)), inputs: slots(ins), outputs: slots(outs), vars, tensorTyped: true }];
}

let table: Map<string, OpTyping[]> | undefined;

function typings(): Map<string, OpTyping[]> {
  if (table) return table;
  table = new Map();
  for (const entry of `${TABLE} ${NEWER} ${CORRECTIONS}`.split(' ').filter(Boolean)) {
    const [op, typing] = parseEntry(entry);
    const list = (table.get(op) ?? []).filter((t) => t.since !== typing.since);
    list.push(typing);
    table.set(op, list.sort((a, b) => a.since - b.since));
  }
  return table;
}

/**
 * The typing of a default-domain op as it runs under `opset` (the newest entry at or below it), or undefined for an
 * op this table does not know. Past the table's newest version the last known typing is returned: later schema
 * versions add element types and optional inputs, so callers must treat slots beyond `inputs` as unknown.
 */
export function opTyping(opType: string, opset: number): OpTyping | undefined {
  let found: OpTyping | undefined;
  for (const t of typings().get(opType) ?? []) if (t.since <= opset) found = t;
  return found;
}

/** The slot describing input/output `index` (a trailing variadic slot covers every later index). */
export function slotAt(slots: readonly TypeSlot[], index: number): TypeSlot | undefined {
  const last = slots[slots.length - 1];
  if (index < slots.length) return slots[index];
  return last?.variadic ? last : undefined;
}

/** The raw table (for the generator cross-check). */
export const OP_TYPING_TABLE = TABLE;
