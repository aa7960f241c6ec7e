// An ORT session on an edited in-memory model: written to a scratch file first (external data when it is large), so a
// model near protobuf's 2 GB limit is never encoded into one more buffer.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { openSession, writeModel, type ModelProto, type OpenSessionOptions, type OpenedSession } from '../../../src/api.js';

let counter = 0;

/** Opens `model` (e.g. the float model with extra graph outputs) in ORT; the scratch files are removed once it is loaded. */
export async function openEditedModel(model: ModelProto, scratchDir: string, options: OpenSessionOptions): Promise<OpenedSession> {
  counter += 1;
  const file = path.join(scratchDir, `edited-${process.pid}-${counter}.onnx`);
  const written = await writeModel(model, file, { externalData: 'auto' });
  try {
    return await openSession(file, options);
  } finally {
    // ORT has read the weights into its own buffers once the session exists
    await rm(file, { force: true });
    if (written.externalData) await rm(written.externalData.path, { force: true });
  }
}
