// Execution-provider resolution owned by edgeopt: onnxruntime-node neither falls back nor explains, so we probe each EP.
import { InferenceSession, Tensor, env, listSupportedBackends } from 'onnxruntime-node';
import { EdgeoptError } from '../errors.js';
import { ortErrorText } from './ort-message.js';
import { probeModelBytes } from './probe-model.js';

// Every session edgeopt opens is created after this module loads (openSession resolves EPs first). ORT's process-wide
// log, set when the first session is created, would print raw lines such as a missing CUDA provider library (that
// failure comes back to us as an error, and is reported with the EP it concerns): only fatal ones go through.
env.logLevel = 'fatal';

export interface EpProbe {
  /** the name the recipe used (cpu, xnnpack, webgpu, …) */
  ep: string;
  available: boolean;
  /** why not, when unavailable */
  reason?: string;
}

export interface EpUnavailable {
  ep: string;
  reason: string;
}

export interface EpResolution {
  /** the preference list as given */
  requested: string[];
  /** the first EP that created and ran a session */
  ep: string;
  /** every EP that works, in preference order (later ones are fallbacks if the real model fails on an earlier one) */
  available: string[];
  /** the EPs that did not work, with ORT's reason */
  unavailable: EpUnavailable[];
}

// Recipe names → the names onnxruntime-node's `executionProviders` takes. Today they coincide; the table is the
// place for aliases if a recipe name and an ORT name ever differ.
const ORT_NODE_NAMES: Record<string, string> = {
  cpu: 'cpu', webgpu: 'webgpu', cuda: 'cuda', tensorrt: 'tensorrt', dml: 'dml', coreml: 'coreml', qnn: 'qnn',
};

/** The onnxruntime-node name of a recipe EP name (identity when there is no alias). */
export function ortNodeEpName(ep: string): string {
  return ORT_NODE_NAMES[ep] ?? ep;
}

function backendsText(): string {
  return listSupportedBackends().map((b) => (b.bundled ? b.name : `${b.name} (not bundled)`)).join(', ');
}

async function probe(ep: string): Promise<EpProbe> {
  const name = ortNodeEpName(ep);
  const backend = listSupportedBackends().find((b) => b.name === name);
  if (!backend) {
    return {
      ep, available: false,
      reason: `not a backend of onnxruntime-node on ${process.platform}/${process.arch} (it has: ${backendsText()})`,
    };
  }
  let session: InferenceSession | undefined;
  try {
    // a single EP per session: a list would make ORT drop or fail on EPs silently (FIELD-NOTES)
    session = await InferenceSession.create(probeModelBytes(), { executionProviders: [name], logSeverityLevel: 4 });
    await session.run({ X: new Tensor('float32', Float32Array.from([-1, 0, 1, 2]), [1, 4]) });
    return { ep, available: true };
  } catch (err) {
    const why = ortErrorText(err);
    const extra = backend.bundled ? '' : ` (${name} is not bundled with onnxruntime-node: its provider library must be installed)`;
    return { ep, available: false, reason: `${why}${extra}` };
  } finally {
    await session?.release();
  }
}

const cache = new Map<string, Promise<EpProbe>>();

/** Whether one EP can create and run a session here; cached for the life of the process. */
export function probeEp(ep: string): Promise<EpProbe> {
  let hit = cache.get(ep);
  if (!hit) {
    hit = probe(ep);
    cache.set(ep, hit);
  }
  return hit;
}

/** Probes every EP of `preference` (in order) and returns the first that works; E_EP_UNAVAILABLE when none does. */
export async function resolveEp(preference: readonly string[]): Promise<EpResolution> {
  const probes: EpProbe[] = [];
  for (const ep of preference) probes.push(await probeEp(ep));
  const available = probes.filter((p) => p.available).map((p) => p.ep);
  const unavailable = probes.filter((p) => !p.available).map((p) => ({ ep: p.ep, reason: p.reason ?? 'unavailable' }));
  const first = available[0];
  if (first === undefined) throw noEpError(preference, unavailable);
  return { requested: [...preference], ep: first, available, unavailable };
}

/** The error for "none of the listed EPs works", naming each EP's reason. */
export function noEpError(preference: readonly string[], unavailable: EpUnavailable[]): EdgeoptError {
  const lines = unavailable.map((u) => `  ${u.ep}: ${u.reason}`).join('\n');
  const hasCpu = preference.includes('cpu');
  return new EdgeoptError({
    code: 'E_EP_UNAVAILABLE', kind: 'step',
    message: preference.length === 0
      ? 'target.ep lists no execution provider'
      : `none of the execution providers in target.ep [${preference.join(', ')}] works on this machine:\n${lines}`,
    hint: hasCpu
      ? 'the cpu EP failed too: check the onnxruntime-node installation'
      : 'add `cpu` at the end of target.ep as a fallback, e.g. target: { ep: [' + [...preference, 'cpu'].join(', ') + '] }',
  });
}
