// Which outputs of a session JavaScript can receive. onnxruntime-node converts tensors only: a sequence or map output
// (skl2onnx's ZipMap probabilities) throws "Non tensor type is temporarily not supported", and an optional output
// crashes the whole process (SIGSEGV, measured with ONNX's test_if_opt). So runs fetch the tensor outputs by name.
import type { InferenceSession } from 'onnxruntime-node';

export interface OutputSplit {
  /** outputs to fetch */
  tensors: string[];
  /** outputs left out, which no comparison or measurement can read */
  others: string[];
}

export function tensorOutputs(session: Pick<InferenceSession, 'outputNames' | 'outputMetadata'>): OutputSplit {
  const meta = new Map(session.outputMetadata.map((m) => [m.name, m.isTensor]));
  const tensors = session.outputNames.filter((n) => meta.get(n) !== false);
  return { tensors, others: session.outputNames.filter((n) => meta.get(n) === false) };
}

/** Why outputs were not compared (or fetched), when a model has some that are not tensors (undefined when all are). */
export function nonTensorNote(split: OutputSplit, what: 'compared' | 'fetched' = 'compared'): string | undefined {
  if (split.others.length === 0) return undefined;
  const list = split.others.join(', ');
  return split.tensors.length === 0
    ? `outputs not ${what}: ${list} ${split.others.length === 1 ? 'is' : 'are'} not a tensor (sequence, map or optional), which ONNX Runtime for Node cannot return`
    : `output${split.others.length === 1 ? '' : 's'} ${list} not ${what}: not a tensor (sequence, map or optional), which ONNX Runtime for Node cannot return`;
}
