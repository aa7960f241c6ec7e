// EP resolution against real onnxruntime-node: probes, reasons, the no-EP error and fallback on the real model.
import { describe, expect, it } from 'vitest';
import { EdgeoptError } from '../../../src/errors.js';
import { probeEp, resolveEp } from '../../../src/ort/ep-resolve.js';
import { openSession } from '../../../src/ort/session.js';
import { HELLO_DEEPA } from './step-context.js';

describe('resolveEp', () => {
  it('falls back to cpu and says why each earlier EP was skipped', async () => {
    const r = await resolveEp(['webgpu', 'xnnpack', 'nnapi', 'cpu']);
    expect(r.ep).toBe('cpu');
    expect(r.available).toEqual(['cpu']);
    expect(r.unavailable.map((u) => u.ep)).toEqual(['webgpu', 'xnnpack', 'nnapi']);
    // this machine has no GPU adapter (FIELD-NOTES); ORT's own words, without the C++ source position
    expect(r.unavailable[0]!.reason).toMatch(/WebGPU adapter/);
    expect(r.unavailable[0]!.reason).not.toMatch(/\.cc:\d+/);
    expect(r.unavailable[1]!.reason).toMatch(/not a backend of onnxruntime-node.*cpu, webgpu/);
    expect(r.unavailable[2]!.reason).toMatch(/not a backend of onnxruntime-node/);
  });

  it('fails with E_EP_UNAVAILABLE, each reason and a hint to add cpu when no listed EP works', async () => {
    const err = await resolveEp(['nnapi']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EdgeoptError);
    const e = err as EdgeoptError;
    expect(e.code).toBe('E_EP_UNAVAILABLE');
    expect(e.kind).toBe('step');
    expect(e.message).toMatch(/nnapi: not a backend/);
    expect(e.hint).toMatch(/add `cpu`/);
  });

  it('caches probes per process', async () => {
    expect(probeEp('cpu')).toBe(probeEp('cpu'));
    await expect(probeEp('cpu')).resolves.toEqual({ ep: 'cpu', available: true });
  });

  it('reports cuda as not bundled rather than crashing', async () => {
    const p = await probeEp('cuda');
    expect(p.available).toBe(false);
    expect(p.reason).toMatch(/not bundled/);
  });
});

describe('openSession', () => {
  it('opens a real model on the first working EP and reports the skipped ones', async () => {
    const opened = await openSession(HELLO_DEEPA, { ep: ['webgpu', 'cpu'], threads: 1 });
    expect(opened.ep).toBe('cpu');
    expect(opened.unavailable.map((u) => u.ep)).toEqual(['webgpu']);
    expect(opened.session.inputNames.length).toBe(1);
    await opened.session.release();
  });

  it('turns a corrupt model into E_MODEL_LOAD with ORT\'s message', async () => {
    const err = await openSession(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), { ep: ['cpu'] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_MODEL_LOAD', kind: 'step' });
    expect((err as Error).message).toMatch(/protobuf parsing failed/);
  });
});
