// The pricing ladder: where a combo limit should be now, given the combo quote, the tick table, the policy and time.
//
// All prices are BAG prices as written (core/spreads/bag.ts): the signed net per combo unit, Micros. A BUY pays
// the price, so conceding means moving UP toward the ask (natural); a SELL receives it, so conceding means
// moving DOWN toward the bid. Start = mid rounded to a valid tick on the conservative side (BUY down, SELL up).
// Cap = mid + capPct % of the mid-to-natural distance, rounded back toward mid, so the ladder never passes the
// cap, never passes natural, and sits on the grid. Step k (k = elapsed ÷ interval) is k×stepTicks ticks from
// the start, clamped at the cap; after maxSteps intervals at the cap the policy's end action applies.
import { roundToTick, stepTicks, type Micros, type TickTable } from '../spreads';

export type LadderAction = 'BUY' | 'SELL';

export interface ComboQuote {
  /** Signed BAG bid / ask per combo unit; bid ≤ ask. */
  readonly bid: Micros;
  readonly ask: Micros;
}

export interface LadderPolicy {
  readonly stepTicks: number;
  readonly intervalMs: number;
  /** 0–100: how far from mid toward natural the walk may go. */
  readonly capPct: number;
  readonly maxSteps: number;
  readonly endAction: 'cancel' | 'leave';
  /** Pause when the combo's bid-ask is wider than this (Micros); absent = never. */
  readonly maxSpread?: Micros;
}

export interface LadderInput {
  readonly action: LadderAction;
  readonly quote: ComboQuote | null;
  /** True when a leg quote is older than the staleness limit. */
  readonly stale: boolean;
  readonly table: TickTable;
  readonly policy: LadderPolicy;
  readonly elapsedMs: number;
  /** The limit working now (confirmed), or null before the first send. */
  readonly current: Micros | null;
}

export type LadderDecision =
  | { readonly type: 'limit'; readonly price: Micros; readonly step: number; readonly atCap: boolean }
  | { readonly type: 'hold'; readonly reason: 'no-quote' | 'stale' | 'wide' | 'unchanged' }
  | { readonly type: 'stop'; readonly endAction: 'cancel' | 'leave' };

export interface LadderBounds {
  readonly mid: Micros;
  readonly natural: Micros;
  readonly start: Micros;
  readonly cap: Micros;
}

/** Start, cap and natural for a quote (see the module header). */
export function ladderBounds(action: LadderAction, quote: ComboQuote, table: TickTable, capPct: number): LadderBounds {
  const mid = Math.round((quote.bid + quote.ask) / 2) as Micros;
  const pct = Math.min(100, Math.max(0, capPct));
  if (action === 'BUY') {
    const natural = quote.ask;
    const start = roundToTick(mid, table, 'down');
    const cap = roundToTick(Math.floor(mid + ((natural - mid) * pct) / 100) as Micros, table, 'down');
    return { mid, natural, start, cap: (cap < start ? start : cap) as Micros };
  }
  const natural = quote.bid;
  const start = roundToTick(mid, table, 'up');
  const cap = roundToTick(Math.ceil(mid - ((mid - natural) * pct) / 100) as Micros, table, 'up');
  return { mid, natural, start, cap: (cap > start ? start : cap) as Micros };
}

/** The step index for an elapsed time (0 at the start). */
export function stepIndex(elapsedMs: number, intervalMs: number): number {
  return intervalMs > 0 ? Math.max(0, Math.floor(elapsedMs / intervalMs)) : 0;
}

/** The ladder's price at step k for a quote, ignoring pauses (pure, monotone in k toward natural, clamped at the cap). */
export function ladderPrice(action: LadderAction, quote: ComboQuote, table: TickTable, policy: LadderPolicy, k: number): { price: Micros; atCap: boolean } {
  const b = ladderBounds(action, quote, table, policy.capPct);
  const steps = Math.min(k, policy.maxSteps) * Math.max(1, Math.trunc(policy.stepTicks));
  const raw = stepTicks(b.start, action === 'BUY' ? steps : -steps, table);
  if (action === 'BUY') return raw >= b.cap ? { price: b.cap, atCap: true } : { price: raw, atCap: false };
  return raw <= b.cap ? { price: b.cap, atCap: true } : { price: raw, atCap: false };
}

/** The next decision for a working walk. */
export function nextLadderStep(input: LadderInput): LadderDecision {
  const { action, quote, policy } = input;
  const k = stepIndex(input.elapsedMs, policy.intervalMs);
  if (k > policy.maxSteps) return { type: 'stop', endAction: policy.endAction };
  if (!quote || !(quote.bid <= quote.ask)) return { type: 'hold', reason: 'no-quote' };
  if (input.stale) return { type: 'hold', reason: 'stale' };
  if (policy.maxSpread !== undefined && quote.ask - quote.bid > policy.maxSpread) return { type: 'hold', reason: 'wide' };
  const { price, atCap } = ladderPrice(action, quote, input.table, policy, k);
  const cur = input.current;
  if (cur !== null) {
    if (price === cur) return { type: 'hold', reason: 'unchanged' };
    // The quote moved: never step back from natural, unless the working limit is now beyond the cap.
    const back = action === 'BUY' ? price < cur : price > cur;
    const beyondCap = action === 'BUY' ? cur > ladderBounds(action, quote, input.table, policy.capPct).cap : cur < ladderBounds(action, quote, input.table, policy.capPct).cap;
    if (back && !beyondCap) return { type: 'hold', reason: 'unchanged' };
  }
  return { type: 'limit', price, step: k, atCap };
}

/** How far a price concedes from mid toward natural, as a fraction of the half-spread (0 = mid, 1 = natural). */
export function concessionOfHalfSpread(action: LadderAction, quote: ComboQuote, price: Micros): number {
  const mid = (quote.bid + quote.ask) / 2;
  const half = (quote.ask - quote.bid) / 2;
  if (half <= 0) return 0;
  return action === 'BUY' ? (price - mid) / half : (mid - price) / half;
}
