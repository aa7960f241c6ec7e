// Feeds on real sessions: pinned constants, seeded data that ORT accepts, and the pin errors from real metadata.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import type { InferenceSession } from 'onnxruntime-node';
import { buildFeeds } from '../../../src/ort/feeds.js';
import { openSession } from '../../../src/ort/session.js';
import { HELLO_DEEPA, SILERO, SILERO_PINS } from './step-context.js';

let silero: InferenceSession;
beforeAll(async () => {
  silero = (await openSession(SILERO, { ep: ['cpu'], threads: 1 })).session;
});
afterAll(async () => {
  await silero.release();
});

describe('buildFeeds', () => {
  it('refuses silero without pins, naming its dynamic inputs and their shapes', () => {
    expect(() => buildFeeds(silero, {})).toThrow(expect.objectContaining({
      code: 'E_DYNAMIC_DIM',
      message: expect.stringContaining('input [batch, sequence]'),
    }));
  });

  it('refuses a pin with the wrong rank on real metadata', () => {
    expect(() => buildFeeds(silero, { ...SILERO_PINS, h: { shape: [1, 64] } })).toThrow(expect.objectContaining({
      code: 'E_PIN_SHAPE', message: expect.stringContaining('[2, batch, 64]'),
    }));
  });

  it('builds pinned feeds that ORT runs', async () => {
    const feeds = buildFeeds(silero, SILERO_PINS);
    expect(feeds.input!.dims).toEqual([1, 512]);
    expect(feeds.sr!.type).toBe('int64');
    expect(feeds.sr!.data).toEqual(BigInt64Array.from([16000n]));
    const data = feeds.input!.data as Float32Array;
    expect(Math.min(...data)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...data)).toBeLessThan(1);
    const out = await silero.run(feeds);
    expect(out.output!.dims).toEqual([1, 1]);
    expect(out.hn!.dims).toEqual([2, 1, 64]);
  });

  it('is deterministic for a seed and changes with it', () => {
    const a = buildFeeds(silero, SILERO_PINS, 3).input!.data as Float32Array;
    const b = buildFeeds(silero, SILERO_PINS, 3).input!.data as Float32Array;
    const c = buildFeeds(silero, SILERO_PINS, 4).input!.data as Float32Array;
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
  });

  it('needs no pins for a model with fixed shapes', async () => {
    const { session } = await openSession(HELLO_DEEPA, { ep: ['cpu'] });
    const feeds = buildFeeds(session, {});
    expect(Object.values(feeds)[0]!.dims).toEqual([1, 25, 96]);
    await session.release();
  });
});
