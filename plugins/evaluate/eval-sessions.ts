// The ORT sessions an evaluation runs: the model, and the reference (source) model whose outputs fidelity compares with.
import {
  EdgeoptError, openSession, resolveInputSpecs, formatShape, type InputMetadata, type InputSpec, type OpenedSession, type StepContext,
} from '../../src/api.js';
import { isNumericOutput } from './output-values.js';

export interface EvalSessions {
  model: OpenedSession;
  /** the source model; absent without a reference, or when the reference has the model's very bytes */
  reference?: OpenedSession;
  /** the reference is the model itself (same content hash): its outputs are the model's, nothing runs twice */
  sameAsReference: boolean;
  /** the model's inputs with the recipe's pins; the dataset is opened against these */
  specs: InputSpec[];
  /** outputs of both models that fidelity compares (numeric tensors only) */
  compared: string[];
  /** outputs only one of the models has, or that hold no numbers */
  uncompared: string[];
  release(): Promise<void>;
}

function numericOutputs(s: OpenedSession): string[] {
  return s.session.outputMetadata.filter((m) => m.isTensor && isNumericOutput(m.type)).map((m) => m.name);
}

function specText(s: InputSpec): string {
  return `${s.name} ${s.dtype}${formatShape(s.shape)}`;
}

/** Both models are fed the same samples, so they must take the same inputs. */
function checkSameInputs(model: InputSpec[], reference: InputSpec[]): void {
  const a = model.map(specText).join(', ');
  const b = reference.map(specText).join(', ');
  if (a === b) return;
  throw new EdgeoptError({
    code: 'E_EVAL_INPUTS', kind: 'step',
    message: `the evaluated model takes inputs ${a}, but the source model takes ${b}: fidelity needs both fed the same samples`,
    hint: 'a step changed the model\'s inputs; compare against the source only when the inputs stay the same',
  });
}

export async function openEvalSessions(ctx: StepContext): Promise<EvalSessions> {
  const options = { ep: ctx.target.ep, threads: ctx.target.threads };
  const model = await openSession(ctx.inputs.model.path, options);
  const opened: OpenedSession[] = [model];
  const release = async (): Promise<void> => {
    for (const s of opened) await s.session.release();
  };
  try {
    const specs = resolveInputSpecs(model.session.inputMetadata as readonly InputMetadata[], ctx.modelInputs);
    const ref = ctx.inputs.reference;
    const sameAsReference = ref !== undefined && ref.hash === ctx.inputs.model.hash;
    let reference: OpenedSession | undefined;
    if (ref && !sameAsReference) {
      reference = await openSession(ref.path, options);
      opened.push(reference);
      checkSameInputs(specs, resolveInputSpecs(reference.session.inputMetadata as readonly InputMetadata[], ctx.modelInputs));
    }
    const mine = numericOutputs(model);
    const theirs = ref ? (reference ? numericOutputs(reference) : mine) : [];
    const compared = theirs.filter((n) => mine.includes(n));
    const all = new Set([...model.session.outputNames, ...(reference?.session.outputNames ?? [])]);
    const uncompared = ref ? [...all].filter((n) => !compared.includes(n)) : [];
    return { model, ...(reference ? { reference } : {}), sameAsReference, specs, compared, uncompared, release };
  } catch (err) {
    await release();
    throw err;
  }
}
