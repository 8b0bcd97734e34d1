import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combineState, dailyTotalMicros, killed, NO_BREAKER, onAccepted, onDailyPnl, onReject, unrealizedAtNatural, type BreakerState } from './breakers';
import { DEFAULT_RISK_LIMITS } from './limits';
import { decideTradingState } from './trading-state';

const limits = { ...DEFAULT_RISK_LIMITS, maxConsecutiveRejects: 3, dailyLossLimitUsd: 500, dailyLossAction: 'REDUCING' as const };
const ready = decideTradingState({ connection: 'connected', linkLost: false, journalAvailable: true, reconciliation: 'clean' });
const down = decideTradingState({ connection: 'disconnected', linkLost: false, journalAvailable: true, reconciliation: 'pending' });

describe('breakers', () => {
  it('N consecutive rejects HALT; an accepted order in between resets the count', () => {
    let s: BreakerState = NO_BREAKER;
    s = onReject(s, limits, 1).state;
    s = onReject(s, limits, 2).state;
    s = onAccepted(s);
    expect(s.consecutiveRejects).toBe(0);
    s = onReject(s, limits, 3).state;
    s = onReject(s, limits, 4).state;
    expect(s.breaker).toBeNull();
    const r = onReject(s, limits, 5);
    expect(r.tripped).toMatchObject({ state: 'HALTED', code: 'REJECT_STREAK', at: 5 });
    expect(r.tripped?.reason).toContain('3 orders in a row');
  });

  it('daily loss beyond the limit (not at it) trips the configured state; natural basis is stricter', () => {
    expect(onDailyPnl(NO_BREAKER, { realized: -300, unrealizedMid: -200, unrealizedNatural: -260 }, limits, 1).tripped).toBeNull();
    expect(onDailyPnl(NO_BREAKER, { realized: -300, unrealizedMid: -200.01, unrealizedNatural: null }, limits, 1).tripped).toMatchObject({ state: 'REDUCING', code: 'DAILY_LOSS' });
    const nat = { ...limits, dailyLossBasis: 'natural' as const, dailyLossAction: 'HALTED' as const };
    const t = onDailyPnl(NO_BREAKER, { realized: -300, unrealizedMid: -150, unrealizedNatural: -260 }, nat, 1).tripped;
    expect(t).toMatchObject({ state: 'HALTED' });
    expect(t?.reason).toContain('at natural');
    expect(onDailyPnl(NO_BREAKER, { realized: -10_000, unrealizedMid: 0, unrealizedNatural: 0 }, { ...limits, dailyLossLimitUsd: null }, 1).tripped).toBeNull();
  });

  it('a milder breaker never replaces a HALT; the kill switch latches HALTED', () => {
    const halted = onReject(onReject(onReject(NO_BREAKER, limits, 1).state, limits, 2).state, limits, 3).state;
    expect(onDailyPnl(halted, { realized: -1000, unrealizedMid: 0, unrealizedNatural: null }, limits, 4).tripped).toBeNull();
    expect(killed(NO_BREAKER, 'HALTED', 9).breaker).toMatchObject({ state: 'HALTED', code: 'KILL_SWITCH' });
    expect(killed(halted, 'REDUCING', 9).breaker?.code).toBe('REJECT_STREAK');
  });

  it('combined state: a latched HALT outlives the connection, the connection HALT outranks REDUCING', () => {
    const h = { state: 'HALTED' as const, code: 'DAILY_LOSS', reason: 'lost', at: 1 };
    const r = { ...h, state: 'REDUCING' as const };
    expect(combineState(ready, h)).toMatchObject({ state: 'HALTED', code: 'DAILY_LOSS' });
    expect(combineState(down, h)).toMatchObject({ state: 'HALTED', code: 'DAILY_LOSS' });
    expect(combineState(down, r)).toMatchObject({ state: 'HALTED', code: 'NOT_CONNECTED' });
    expect(combineState(ready, r)).toMatchObject({ state: 'REDUCING', code: 'DAILY_LOSS' });
    expect(combineState(ready, null)).toMatchObject({ state: 'ACTIVE', code: 'OK' });
  });
});

describe('unrealizedAtNatural', () => {
  it('takes half the bid-ask of every held leg off the mid figure', () => {
    // Long 2 at 1.00/1.20 and short 2 at 2.00/2.10: crossing costs (0.10 + 0.05) × 2 × 100 = $30.
    expect(unrealizedAtNatural(-50, [{ qty: 2, multiplier: 100, bid: 1, ask: 1.2 }, { qty: -2, multiplier: 100, bid: 2, ask: 2.1 }])).toBe(-80);
    expect(unrealizedAtNatural(0, [])).toBe(0);
  });

  it('is null without the mid figure or with a one-sided or crossed quote', () => {
    expect(unrealizedAtNatural(null, [])).toBeNull();
    expect(unrealizedAtNatural(10, [{ qty: 1, multiplier: 100, bid: null, ask: 1 }])).toBeNull();
    expect(unrealizedAtNatural(10, [{ qty: 1, multiplier: 100, bid: 1.1, ask: 1 }])).toBeNull();
  });

  it('property: never above the mid figure; a natural-basis loss is at least the mid-basis loss', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 100_000 }), fc.array(fc.record({ qty: fc.integer({ min: -20, max: 20 }), bid: fc.integer({ min: 0, max: 2000 }), w: fc.integer({ min: 0, max: 200 }) }), { maxLength: 6 }), (cents, legs) => {
        const mid = cents / 100;
        const nat = unrealizedAtNatural(mid, legs.map((l) => ({ qty: l.qty, multiplier: 100, bid: l.bid / 100, ask: (l.bid + l.w) / 100 })));
        expect(nat).not.toBeNull();
        expect(nat!).toBeLessThanOrEqual(mid);
        const p = { realized: 0, unrealizedMid: mid, unrealizedNatural: nat };
        expect(dailyTotalMicros(p, 'natural').totalU).toBeLessThanOrEqual(dailyTotalMicros(p, 'mid').totalU);
      }),
    );
  });
});
