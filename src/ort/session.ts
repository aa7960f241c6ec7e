// Opens an ORT session on a real model with edgeopt's EP fallback: the first available EP on which the model loads.
import { InferenceSession } from 'onnxruntime-node';
import path from 'node:path';
import { EdgeoptError } from '../errors.js';
import { resolveEp, ortNodeEpName, type EpUnavailable } from './ep-resolve.js';
import { modelLoadHint, ortErrorText } from './ort-message.js';

export interface OpenSessionOptions {
  /** EP preference, e.g. ['nnapi', 'xnnpack', 'cpu'] */
  ep: readonly string[];
  /** intra-op threads (inter-op is always 1: sequential execution); ORT's default when omitted */
  threads?: number;
  /** further ORT session options (graph optimization level, optimizedModelFilePath, …); EPs and threads are ours */
  sessionOptions?: Omit<InferenceSession.SessionOptions, 'executionProviders' | 'intraOpNumThreads' | 'interOpNumThreads'>;
}

export interface OpenedSession {
  session: InferenceSession;
  /** the EP the session was created with (ORT still runs nodes that EP lacks on its CPU EP) */
  ep: string;
  requested: string[];
  /** EPs that were unavailable on this machine or failed to load this model, with reasons */
  unavailable: EpUnavailable[];
}

function describe(model: string | Uint8Array): string {
  return typeof model === 'string' ? path.basename(model) : `a ${model.byteLength}-byte in-memory model`;
}

/** Creates a session on the first EP of `options.ep` that is available and loads the model; E_MODEL_LOAD if none loads it. */
export async function openSession(model: string | Uint8Array, options: OpenSessionOptions): Promise<OpenedSession> {
  const resolution = await resolveEp(options.ep);
  const unavailable = [...resolution.unavailable];
  let lastError = '';
  for (const ep of resolution.available) {
    const sessionOptions: InferenceSession.SessionOptions = {
      // ORT's native log goes straight to stderr, through the progress display: warnings (opset < 7) and errors alike
      // (a failing kernel logs, then throws); every error still comes back as an exception, which we report
      logSeverityLevel: 4,
      ...options.sessionOptions,
      executionProviders: [ortNodeEpName(ep)],
      interOpNumThreads: 1,
      ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
    };
    try {
      const session = typeof model === 'string'
        ? await InferenceSession.create(model, sessionOptions)
        : await InferenceSession.create(model, sessionOptions);
      return { session, ep, requested: [...options.ep], unavailable };
    } catch (err) {
      lastError = ortErrorText(err);
      unavailable.push({ ep, reason: `could not load this model: ${lastError}` });
    }
  }
  throw new EdgeoptError({
    code: 'E_MODEL_LOAD', kind: 'step',
    message: `ONNX Runtime could not load ${describe(model)}: ${lastError}`,
    hint: modelLoadHint(lastError),
  });
}
