// Breakers: the pure rules that latch REDUCING or HALTED (daily loss, consecutive rejects, kill switch) and how the latch combines with the connection gate.
import type { RiskBreaker, RiskLimits } from '../contract/risk';
import { fromMicros, toMicros } from '../journal/units';
import type { TradingDecision, TradingReasonCode, TradingState } from './trading-state';

export interface BreakerState {
  /** The latched breaker; it stays until the trader resets it. */
  breaker: RiskBreaker | null;
  consecutiveRejects: number;
}

export const NO_BREAKER: BreakerState = { breaker: null, consecutiveRejects: 0 };

const severity: Record<TradingState, number> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };

/** Latch a breaker unless an equal or more severe one already holds (the first reason of a state is kept). */
export function latch(s: BreakerState, b: RiskBreaker): { state: BreakerState; tripped: RiskBreaker | null } {
  if (s.breaker && severity[s.breaker.state] >= severity[b.state]) return { state: s, tripped: null };
  return { state: { ...s, breaker: b }, tripped: b };
}

/** A broker reject: N in a row HALT. */
export function onReject(s: BreakerState, limits: RiskLimits, at: number): { state: BreakerState; tripped: RiskBreaker | null } {
  const n = s.consecutiveRejects + 1;
  const next = { ...s, consecutiveRejects: n };
  if (limits.maxConsecutiveRejects === null || limits.maxConsecutiveRejects === 0 || n < limits.maxConsecutiveRejects) return { state: next, tripped: null };
  return latch(next, { state: 'HALTED', code: 'REJECT_STREAK', reason: `${n} orders in a row were rejected by the broker (limit ${limits.maxConsecutiveRejects}).`, at });
}

/** An order the broker accepted ends a reject streak. */
export function onAccepted(s: BreakerState): BreakerState {
  return s.consecutiveRejects === 0 ? s : { ...s, consecutiveRejects: 0 };
}

export interface DailyPnl {
  realized: number;
  unrealizedMid: number | null;
  /** Unrealised at natural (what closing every position now would get); null when not known. */
  unrealizedNatural: number | null;
}

/** Today's P&L on the configured basis, exact in micros; natural falls back to mid when it is not known. */
export function dailyTotalMicros(p: DailyPnl, basis: RiskLimits['dailyLossBasis']): { totalU: number; basisUsed: 'mid' | 'natural' } {
  const useNatural = basis === 'natural' && p.unrealizedNatural !== null;
  const unreal = useNatural ? p.unrealizedNatural : p.unrealizedMid;
  return { totalU: toMicros(p.realized) + toMicros(unreal ?? 0), basisUsed: useNatural ? 'natural' : 'mid' };
}

/** Daily loss beyond the limit → REDUCING or HALTED (setting). A loss equal to the limit is still allowed. */
export function onDailyPnl(s: BreakerState, p: DailyPnl, limits: RiskLimits, at: number): { state: BreakerState; tripped: RiskBreaker | null } {
  if (limits.dailyLossLimitUsd === null) return { state: s, tripped: null };
  const { totalU, basisUsed } = dailyTotalMicros(p, limits.dailyLossBasis);
  const limitU = toMicros(limits.dailyLossLimitUsd);
  if (-totalU <= limitU) return { state: s, tripped: null };
  const loss = fromMicros(-totalU).toFixed(2);
  return latch(s, {
    state: limits.dailyLossAction,
    code: 'DAILY_LOSS',
    reason: `Today’s loss is $${loss} (realised + unrealised at ${basisUsed}), beyond your $${limits.dailyLossLimitUsd.toFixed(2)} daily limit.`,
    at,
  });
}

export function killed(s: BreakerState, state: 'REDUCING' | 'HALTED', at: number): BreakerState {
  // The kill switch always wins over an existing milder latch, and replaces the reason of an equal one.
  if (s.breaker && severity[s.breaker.state] > severity[state]) return s;
  return { ...s, breaker: { state, code: 'KILL_SWITCH', reason: state === 'HALTED' ? 'The kill switch was pressed: every order cancelled, trading halted until reset.' : 'Kill switch running: cancelling orders and flattening.', at } };
}

/**
 * The trading state shown and enforced: a latched HALT first (it outlives reconnects), then the connection gate's
 * HALT (it clears itself once reconnected and reconciled), then a latched REDUCING, else ACTIVE.
 */
export function combineState(gate: TradingDecision, breaker: RiskBreaker | null): TradingDecision {
  if (breaker?.state === 'HALTED') return { state: 'HALTED', code: breaker.code as TradingReasonCode, reason: breaker.reason };
  if (gate.state === 'HALTED') return gate;
  if (breaker?.state === 'REDUCING') return { state: 'REDUCING', code: breaker.code as TradingReasonCode, reason: breaker.reason };
  return gate;
}

/** One held option leg as the daily-loss breaker marks it: signed quantity and its live quote. */
export interface HeldLegMark {
  qty: number;
  multiplier: number;
  bid: number | null;
  ask: number | null;
}

/**
 * Unrealised P&L at natural: the broker's figure (marked at mid) minus what closing now would give up — half the
 * bid-ask of every held leg × |qty| × multiplier (a long sells at the bid, a short buys at the ask). Null when the
 * mid figure or a leg's two-sided quote is missing (the breaker then falls back to mid and says so).
 */
export function unrealizedAtNatural(unrealizedMid: number | null, legs: readonly HeldLegMark[]): number | null {
  if (unrealizedMid === null) return null;
  let costU = 0;
  for (const l of legs) {
    if (l.qty === 0) continue;
    if (l.bid === null || l.ask === null || !(l.ask >= l.bid)) return null;
    // Integer micros: half-spread × units, rounded up against us.
    costU += Math.ceil(((toMicros(l.ask) - toMicros(l.bid)) * Math.abs(l.qty) * l.multiplier) / 2);
  }
  return fromMicros(toMicros(unrealizedMid) - costU);
}
