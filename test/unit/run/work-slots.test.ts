import { describe, expect, it } from 'vitest';
import { WorkSlots } from '../../../src/run/work-slots.js';

describe('WorkSlots', () => {
  it('runs transforms up to the limit and a measurement alone, first come first served', async () => {
    const slots = new WorkSlots(2);
    const log: string[] = [];
    const r1 = await slots.acquire(false);
    const r2 = await slots.acquire(false);
    const third = slots.acquire(false).then((r) => { log.push('t3'); return r; });
    const bench = slots.acquire(true).then((r) => { log.push('bench'); return r; });
    await Promise.resolve();
    expect(log).toEqual([]);
    r1();
    const r3 = await third;
    expect(log).toEqual(['t3']);
    r2();
    await Promise.resolve();
    expect(log).toEqual(['t3']); // t3 still holds a slot: the measurement waits
    r3();
    (await bench)();
    expect(log).toEqual(['t3', 'bench']);
  });
});
