// Unit tests of the pacer under a manual clock: rate windows, priorities, measurements, clear/cancel/pause.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Pacer, PacerDropped, type PacerPriority } from './pacer';
import { maxInWindow } from '../../../../tests/support/broker';
import { ManualTimers } from './timers';

function drive(timers: ManualTimers, pacer: Pacer, untilMs: number, stepMs = 1): void {
  while (pacer.depth() > 0 && timers.now() < untilMs) timers.advance(stepMs);
}

describe('Pacer', () => {
  it('sends 5,000 queued messages never exceeding 45 in any one-second window', () => {
    const timers = new ManualTimers(1_000_000);
    const pacer = new Pacer({ timers });
    const sent: number[] = [];
    for (let i = 0; i < 5000; i++) pacer.enqueue(i % 3 === 0 ? 'scan' : 'quote', () => sent.push(timers.now()));
    drive(timers, pacer, 1_000_000 + 200_000, 5);
    expect(sent).toHaveLength(5000);
    expect(maxInWindow(sent, 1000)).toBeLessThanOrEqual(45);
    expect(maxInWindow(sent, 100)).toBeLessThanOrEqual(9);

    const seconds = ((sent.at(-1) ?? 0) - (sent[0] ?? 0)) / 1000;
    expect(5000 / seconds).toBeGreaterThan(42.5); // the 50 ms jitter guard costs ~5 %
    const s = pacer.stats();
    expect(s.sent).toBe(5000);
    expect(s.depth).toBe(0);
    expect(s.maxDepth).toBeGreaterThan(4900); // the first micro-burst went straight out
    expect(s.waitP99Ms).toBeGreaterThan(s.waitP50Ms ?? 0);
  });

  it('serves orders before quotes before scanner work', () => {
    const timers = new ManualTimers(0);
    const pacer = new Pacer({ timers, ratePerSecond: 5, burstPer100ms: 5 });
    const order: string[] = [];
    // Fill the window so everything below has to queue.
    for (let i = 0; i < 5; i++) pacer.enqueue('scan', () => order.push('warm'));
    pacer.enqueue('scan', () => order.push('scan1'));
    pacer.enqueue('quote', () => order.push('quote1'));
    pacer.enqueue('scan', () => order.push('scan2'));
    pacer.enqueue('order', () => order.push('order1'));
    pacer.enqueue('quote', () => order.push('quote2'));
    drive(timers, pacer, 10_000);
    expect(order.slice(5)).toEqual(['order1', 'quote1', 'quote2', 'scan1', 'scan2']);
  });

  it('holds the rate across random arrival patterns, rates and priorities (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 400 }), count: fc.integer({ min: 1, max: 40 }), p: fc.constantFrom<PacerPriority>('order', 'quote', 'scan') }), { minLength: 1, maxLength: 30 }),
        (rate, arrivals) => {
          const timers = new ManualTimers(0);
          const pacer = new Pacer({ timers, ratePerSecond: rate });
          const sent: number[] = [];
          let total = 0;
          for (const a of arrivals) {
            timers.advance(a.gap);
            for (let i = 0; i < a.count; i++) pacer.enqueue(a.p, () => sent.push(timers.now()));
            total += a.count;
          }
          drive(timers, pacer, 10_000_000, 3);
          expect(sent).toHaveLength(total);
          expect(maxInWindow(sent, 1000)).toBeLessThanOrEqual(rate);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('sends immediately when a slot is free', () => {
    const timers = new ManualTimers(0);
    const pacer = new Pacer({ timers });
    let sent = false;
    pacer.enqueue('quote', () => (sent = true));
    expect(sent).toBe(true);
    expect(pacer.stats().waitP50Ms).toBe(0);
  });

  it('rejects queued jobs on clear, and a cancelled job is never sent', async () => {
    const timers = new ManualTimers(0);
    const pacer = new Pacer({ timers, ratePerSecond: 1 });
    pacer.enqueue('quote', () => undefined);
    let ran = 0;
    const a = pacer.enqueue('quote', () => ran++);
    const b = pacer.enqueue('scan', () => ran++);
    expect(a.cancel()).toBe(true);
    expect(a.cancel()).toBe(false);
    await expect(a.promise).rejects.toBeInstanceOf(PacerDropped);
    expect(pacer.clear(new Error('link down'))).toBe(1);
    await expect(b.promise).rejects.toThrow('link down');
    timers.advance(5000);
    expect(ran).toBe(0);
  });

  it('holds jobs while paused and resumes in priority order', () => {
    const timers = new ManualTimers(0);
    const pacer = new Pacer({ timers });
    pacer.pause();
    const seen: string[] = [];
    pacer.enqueue('scan', () => seen.push('scan'));
    pacer.enqueue('order', () => seen.push('order'));
    timers.advance(2000);
    expect(seen).toEqual([]);
    expect(pacer.stats().paused).toBe(true);
    pacer.resume();
    expect(seen).toEqual(['order', 'scan']);
  });

  it('a send that throws rejects its own job and the queue keeps moving', async () => {
    const timers = new ManualTimers(0);
    const pacer = new Pacer({ timers });
    const bad = pacer.enqueue('quote', () => {
      throw new Error('encoder failed');
    });
    let ok = false;
    pacer.enqueue('quote', () => (ok = true));
    await expect(bad.promise).rejects.toThrow('encoder failed');
    expect(ok).toBe(true);
  });

  it('a rate change never lets a burst through', () => {
    const timers = new ManualTimers(0);
    const pacer = new Pacer({ timers, ratePerSecond: 10 });
    const sent: number[] = [];
    for (let i = 0; i < 30; i++) pacer.enqueue('quote', () => sent.push(timers.now()));
    timers.advance(500);
    pacer.setRate(40);
    drive(timers, pacer, 100_000);
    // Every window holds at most the larger rate, and the switch itself adds no burst.
    expect(maxInWindow(sent, 1000)).toBeLessThanOrEqual(40);
    expect(() => pacer.setRate(0)).toThrow(RangeError);
  });
});

describe('Pacer.recordExternal', () => {
  it('messages sent around the queue (the handshake) use up slots of the window', () => {
    const timers = new ManualTimers(0);
    const pacer = new Pacer({ timers, ratePerSecond: 5, burstPer100ms: 5 });
    pacer.recordExternal(2);
    const sent: number[] = [];
    for (let i = 0; i < 5; i++) pacer.enqueue('quote', () => sent.push(timers.now()));
    expect(sent).toHaveLength(3);
    timers.advance(1100);
    expect(sent).toHaveLength(5);
  });
});
