// Simulated clocks: real time, accelerated, and the always-open session mode.
import { describe, expect, it } from 'vitest';
import { dayFromYmd, etToUtc, sessionOf } from './calendar';
import { defaultOpenStart, ManualClock, SimClock } from './clock';

describe('SimClock', () => {
  it('runs accelerated in nyse mode', () => {
    const wall = new ManualClock(1_000_000);
    const start = etToUtc(dayFromYmd(2025, 1, 2), 600);
    const c = new SimClock({ wall, speed: 60, mode: 'nyse', start });
    wall.advance(1000);
    expect(c.now() - start).toBe(60_000);
    c.setSpeed(1);
    wall.advance(1000);
    expect(c.now() - start).toBe(61_000);
  });

  it('skips nights, weekends and holidays in open mode', () => {
    const wall = new ManualClock(0);
    const fri = dayFromYmd(2025, 1, 17);
    const c = new SimClock({ wall, speed: 1, mode: 'open', start: etToUtc(fri, 15 * 60 + 59) });
    wall.advance(60_000 + 1);
    // Friday 16:00 → Tuesday (Monday is MLK day) 09:30
    expect(c.now()).toBe((sessionOf(dayFromYmd(2025, 1, 21))?.open ?? 0) + 1);
  });

  it('moves an out-of-hours start into the next session', () => {
    const sat = etToUtc(dayFromYmd(2025, 1, 4), 12 * 60);
    const c = new SimClock({ wall: new ManualClock(0), speed: 1, mode: 'open', start: sat });
    expect(c.now()).toBe(sessionOf(dayFromYmd(2025, 1, 6))?.open);
    expect(defaultOpenStart(sat)).toBe((sessionOf(dayFromYmd(2025, 1, 6))?.open ?? 0) + 30 * 60_000);
    const inside = etToUtc(dayFromYmd(2025, 1, 6), 11 * 60);
    expect(defaultOpenStart(inside)).toBe(inside);
  });
});

describe('SimClock controls', () => {
  it('pause freezes time, resume continues at the speed chosen meanwhile, without a jump', () => {
    const wall = new ManualClock(0);
    const start = etToUtc(dayFromYmd(2025, 1, 2), 600);
    const c = new SimClock({ wall, speed: 10, mode: 'nyse', start });
    wall.advance(1000);
    c.pause();
    const frozen = c.now();
    wall.advance(50_000);
    expect(c.now()).toBe(frozen);
    expect(c.paused).toBe(true);
    c.setSpeed(2);
    expect(c.now()).toBe(frozen);
    expect(c.runSpeed).toBe(2);
    c.resume();
    wall.advance(1000);
    expect(c.now()).toBe(frozen + 2000);
    expect(() => c.setSpeed(0)).toThrow(RangeError);
  });

  it('jumps forward only; in open mode a jump into the night lands on the next open', () => {
    const wall = new ManualClock(0);
    const mon = dayFromYmd(2025, 1, 6);
    const c = new SimClock({ wall, speed: 1, mode: 'open', start: etToUtc(mon, 10 * 60) });
    const target = etToUtc(dayFromYmd(2025, 1, 10), 15 * 60 + 50);
    c.jumpTo(target);
    expect(c.now()).toBe(target);
    wall.advance(20 * 60_000);
    // Friday 16:00 → Monday 09:30 + 10 minutes
    expect(c.now()).toBe((sessionOf(dayFromYmd(2025, 1, 13))?.open ?? 0) + 10 * 60_000);
    expect(() => c.jumpTo(target)).toThrow(/only runs forward/);
    c.jumpTo(etToUtc(dayFromYmd(2025, 1, 13), 20 * 60));
    expect(c.now()).toBe(sessionOf(dayFromYmd(2025, 1, 14))?.open);
  });
});
