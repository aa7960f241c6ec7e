// Is this file a model ORT can open? Checked before anything runs: empty files, Git LFS pointers, HTML pages, cut-short
// or random bytes, a graph without outputs, and external data that is missing, too short or outside the model's folder.
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { EdgeoptError } from '../errors.js';
import { resolveExternalPath } from './external-data.js';
import { readModelOutline, WireError, type ExternalReference, type ModelOutline } from './model-outline.js';

export interface ModelProblem {
  code: 'E_MODEL_CORRUPT' | 'E_MODEL_EXTERNAL_DATA';
  message: string;
  hint: string;
}

const REEXPORT = 'export or download the model again; check that nothing cut the copy short';

async function exists(file: string): Promise<boolean> {
  return stat(file).then(() => true, () => false);
}

async function head(file: string, bytes: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** What a file that is plainly not protobuf is instead, from its first bytes. */
function impostor(first: Buffer, size: number): ModelProblem | undefined {
  const text = first.toString('latin1');
  if (size === 0) return { code: 'E_MODEL_CORRUPT', message: 'is empty (0 bytes)', hint: REEXPORT };
  if (text.startsWith('version https://git-lfs.github.com/spec/')) {
    return {
      code: 'E_MODEL_CORRUPT', message: `is a Git LFS pointer (${size} bytes of text), not the model it stands for`,
      hint: 'run `git lfs pull` (in CI: check out with LFS enabled, e.g. actions/checkout with `lfs: true`)',
    };
  }
  if (/^\s*<(!doctype|html|\?xml|head|body)/i.test(text)) {
    return { code: 'E_MODEL_CORRUPT', message: 'is an HTML or XML page, not an ONNX model (a download that returned an error or login page?)', hint: REEXPORT };
  }
  return undefined;
}

/** Problems of the external files a model names: one per file, however many tensors share it. */
async function externalProblems(file: string, refs: ExternalReference[]): Promise<ModelProblem[]> {
  const problems: ModelProblem[] = [];
  const byLocation = new Map<string, ExternalReference[]>();
  for (const ref of refs) byLocation.set(ref.location ?? '', [...(byLocation.get(ref.location ?? '') ?? []), ref]);
  for (const [location, users] of byLocation) {
    const first = users[0]!;
    const more = users.length > 1 ? ` (and ${users.length - 1} more tensor(s) stored there)` : '';
    const wanted = path.resolve(path.dirname(file), location);
    const inside = !!location && !path.isAbsolute(location) && !path.relative(path.dirname(file), wanted).startsWith('..');
    if (inside && !(await exists(wanted))) {
      problems.push({
        code: 'E_MODEL_EXTERNAL_DATA',
        message: `keeps the data of tensor '${first.tensor}'${more} in ${location}, which is missing (looked for ${wanted})`,
        hint: 'copy the external data file(s) together with the .onnx file: they are part of the model',
      });
      continue;
    }
    let real: string;
    try {
      if (!location) throw new EdgeoptError({ code: 'E_MODEL_EXTERNAL_DATA', message: `tensor '${first.tensor}' is stored externally but names no location`, hint: REEXPORT });
      real = await resolveExternalPath(path.dirname(file), location, file, first.tensor);
    } catch (err) {
      if (!(err instanceof EdgeoptError)) throw err;
      problems.push({ code: 'E_MODEL_EXTERNAL_DATA', message: `says: ${err.message.replace(`${file}: `, '')}${more}`, hint: err.hint ?? REEXPORT });
      continue;
    }
    const size = (await stat(real)).size;
    const short = users.find((u) => Number(u.offset ?? 0) + Number(u.length ?? 0) > size);
    if (short) {
      const end = Number(short.offset ?? 0) + Number(short.length ?? 0);
      problems.push({
        code: 'E_MODEL_EXTERNAL_DATA',
        message: `tensor '${short.tensor}' needs bytes up to ${end} of ${location}, but that file has ${size}: it is cut short or belongs to another version of the model`,
        hint: 'copy the .onnx file and its external data files together, from the same export',
      });
    }
  }
  return problems;
}

/**
 * The problems that keep the file at `file` from being an ONNX model ORT can open, each saying what the file is and
 * what to do, and the outline read on the way (absent when the bytes are not one, and for ORT-format files: .ort
 * flatbuffers are not ONNX protobuf and are left to ORT).
 */
export async function inspectModelFile(file: string): Promise<{ problems: ModelProblem[]; outline?: ModelOutline }> {
  const size = (await stat(file)).size;
  const first = await head(file, 512);
  const plain = impostor(first, size);
  if (plain) return { problems: [plain] };
  if (first.subarray(4, 8).toString('latin1') === 'ORTM') return { problems: [] };
  let outline;
  try {
    outline = await readModelOutline(file);
  } catch (err) {
    if (!(err instanceof WireError)) throw err;
    const where = /cut short/.test(err.detail) ? '' : ` at byte ${err.offset}`;
    return { problems: [{ code: 'E_MODEL_CORRUPT', message: `is not an ONNX model: its bytes are not protobuf (${err.detail}${where})`, hint: REEXPORT }] };
  }
  if (!outline.hasGraph) return { problems: [{ code: 'E_MODEL_CORRUPT', message: 'holds no graph (field 7 of ModelProto): it is not an ONNX model, or an incomplete one', hint: REEXPORT }] };
  if (outline.graphOutputs === 0) {
    return { problems: [{ code: 'E_MODEL_CORRUPT', message: 'declares no graph outputs, so there is nothing to run or measure', hint: 'export the model with its outputs named (torch.onnx.export(..., output_names=[...]))' }] };
  }
  return { problems: await externalProblems(file, outline.external), outline };
}

/** The problems of inspectModelFile alone. */
export async function checkModelFile(file: string): Promise<ModelProblem[]> {
  return (await inspectModelFile(file)).problems;
}
