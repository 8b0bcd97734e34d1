// atMost: the scan's follow-ups run a list a few at a time — never more in flight, in order, and nothing new after abort.
import { describe, expect, it } from 'vitest';
import { atMost } from './quoting';

describe('atMost', () => {
  it('keeps at most N in flight, starts each item once in order, and counts what it started', async () => {
    const started: number[] = [];
    let inFlight = 0;
    let peak = 0;
    const n = await atMost([...Array(10).keys()], 3, new AbortController().signal, async (i) => {
      started.push(i);
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 1 + (i % 3)));
      inFlight--;
    });
    expect(n).toBe(10);
    expect(started).toEqual([...Array(10).keys()]);
    expect(peak).toBe(3);
  });

  it('starts nothing new once the signal aborts; what was started is counted', async () => {
    const stop = new AbortController();
    const started: number[] = [];
    const n = await atMost([...Array(10).keys()], 2, stop.signal, async (i) => {
      started.push(i);
      if (i === 3) stop.abort();
      await Promise.resolve();
    });
    expect(started).toEqual([0, 1, 2, 3]);
    expect(n).toBe(4);
  });
});
