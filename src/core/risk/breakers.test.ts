import { describe, expect, it } from 'vitest';
import { combineState, killed, NO_BREAKER, onAccepted, onDailyPnl, onReject, type BreakerState } from './breakers';
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
