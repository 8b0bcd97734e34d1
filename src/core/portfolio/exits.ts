// Exit rules for a held spread: profit target, stop, trailing stop, time stop and assignment risk, as pure decisions.
//
// Money per spread unit in dollars, from the trader's side: `entry` is the cash the opening brought
// (a credit positive, a debit negative); a quote is the value of the position if closed now (a debit
// spread's is positive, a credit spread's negative, since closing it costs money). Unrealised P&L per
// unit = entry + value. Time (`now`, the quote's `at`) and the New York calendar come in as numbers.

export interface ExitQuote {
  /** What closing would bring at the natural price (worst side) and at the far side, per unit. */
  bid: number;
  ask: number;
  /** Epoch ms the quote was taken. */
  at: number;
}

export interface ExitRules {
  /** Close when unrealised P&L reaches this fraction of max profit (0.5 = 50%). */
  profitTargetPct?: number;
  /** Credit spreads: close when the loss reaches this multiple of the credit received (2 = lose 2× the credit). */
  stopCreditMultiple?: number;
  /** Close when the loss reaches this fraction of max loss. */
  stopMaxLossPct?: number;
  /** Close when the spread's value falls this many dollars per unit below its best since the rule was set. */
  trailingStop?: number;
  /** Close at this many calendar days to expiry or fewer. */
  dteDays?: number;
  /** On expiry day, close at or after this New York time (minutes after midnight, e.g. 15 * 60 for 15:00). */
  expiryDayMinute?: number;
  /** No price rule fires on a quote wider than this fraction of max loss + max profit (the width), or older than maxAgeMs. */
  guard: { maxWidthPct: number; maxAgeMs: number };
}

export interface ExitPosition {
  entry: number;
  maxProfit: number;
  maxLoss: number;
  /** Calendar days to expiry in New York now, and minutes after New York midnight now. */
  dte: number;
  nyMinute: number;
}

/** What an exit remembers between quotes: the trailing peak and whether it already fired. */
export interface ExitState {
  peakValue: number | null;
  fired: ExitKind | null;
}

export type ExitKind = 'target' | 'stop' | 'trailing' | 'time';

export type ExitDecision =
  | { action: 'close'; kind: ExitKind; reason: string; mid: number; quote: ExitQuote | null }
  | { action: 'hold'; blocked: string | null };

export const freshExitState = (): ExitState => ({ peakValue: null, fired: null });

const money = (x: number): string => `${x < 0 ? '−' : ''}$${Math.abs(x).toFixed(2)}`;

/** Why a quote may not trigger a price rule, or null when it may. */
export function quoteGuard(q: ExitQuote, p: ExitPosition, guard: ExitRules['guard'], now: number): string | null {
  if (!(q.ask >= q.bid)) return 'The quote is crossed.';
  const age = now - q.at;
  if (age > guard.maxAgeMs) return `The quote is ${Math.round(age / 1000)} s old (limit ${Math.round(guard.maxAgeMs / 1000)} s).`;
  const range = p.maxProfit + p.maxLoss;
  const width = q.ask - q.bid;
  if (range > 0 && width / range > guard.maxWidthPct) return `The quote is ${money(width)} wide, more than ${(guard.maxWidthPct * 100).toFixed(0)}% of the spread's width.`;
  return null;
}

/**
 * Decides, for one quote (or none), whether the spread should be closed now. Each exit fires once:
 * once `state.fired` is set the answer is always hold. Returns the new state beside the decision.
 */
export function evaluateExit(rules: ExitRules, p: ExitPosition, state: ExitState, quote: ExitQuote | null, now: number): { decision: ExitDecision; state: ExitState } {
  if (state.fired) return { decision: { action: 'hold', blocked: null }, state };
  const fire = (kind: ExitKind, reason: string, mid: number): { decision: ExitDecision; state: ExitState } => ({
    decision: { action: 'close', kind, reason, mid, quote },
    state: { ...state, fired: kind },
  });
  // Time stops do not depend on the price: they fire on any quote, or none.
  const mid = quote ? (quote.bid + quote.ask) / 2 : Number.NaN;
  if (rules.dteDays !== undefined && p.dte <= rules.dteDays) return fire('time', `${p.dte} days to expiry (rule: close at ${rules.dteDays}).`, mid);
  if (rules.expiryDayMinute !== undefined && p.dte === 0 && p.nyMinute >= rules.expiryDayMinute) {
    const hh = String(Math.floor(rules.expiryDayMinute / 60)).padStart(2, '0');
    const mm = String(rules.expiryDayMinute % 60).padStart(2, '0');
    return fire('time', `Expiry day, ${hh}:${mm} New York reached.`, mid);
  }
  if (!quote) return { decision: { action: 'hold', blocked: 'No quote.' }, state };
  const blocked = quoteGuard(quote, p, rules.guard, now);
  if (blocked) return { decision: { action: 'hold', blocked }, state };
  const pnl = p.entry + mid;
  const peakValue = state.peakValue === null ? mid : Math.max(state.peakValue, mid);
  const next: ExitState = { ...state, peakValue };
  const fireNext = (kind: ExitKind, reason: string) => ({ decision: { action: 'close', kind, reason, mid, quote } as ExitDecision, state: { ...next, fired: kind } });
  if (rules.profitTargetPct !== undefined && p.maxProfit > 0 && pnl >= rules.profitTargetPct * p.maxProfit) {
    return fireNext('target', `Profit ${money(pnl)} reached ${(rules.profitTargetPct * 100).toFixed(0)}% of max profit ${money(p.maxProfit)}.`);
  }
  if (rules.stopCreditMultiple !== undefined && p.entry > 0 && -pnl >= rules.stopCreditMultiple * p.entry) {
    return fireNext('stop', `Loss ${money(-pnl)} reached ${rules.stopCreditMultiple}× the credit ${money(p.entry)}.`);
  }
  if (rules.stopMaxLossPct !== undefined && p.maxLoss > 0 && -pnl >= rules.stopMaxLossPct * p.maxLoss) {
    return fireNext('stop', `Loss ${money(-pnl)} reached ${(rules.stopMaxLossPct * 100).toFixed(0)}% of max loss ${money(p.maxLoss)}.`);
  }
  if (rules.trailingStop !== undefined && peakValue - mid >= rules.trailingStop) {
    return fireNext('trailing', `Value ${money(mid)} fell ${money(peakValue - mid)} from its best ${money(peakValue)} (trail ${money(rules.trailingStop)}).`);
  }
  return { decision: { action: 'hold', blocked: null }, state: next };
}

export interface AssignmentRiskInput {
  right: 'C' | 'P';
  shortStrike: number;
  underlying: number;
  dte: number;
  /** Calendar days until the underlying's next ex-dividend date, if one is known. */
  daysToExDividend: number | null;
}

/** A short leg in the money near expiry, or a short call in the money before an ex-dividend date: a sentence, or null. */
export function assignmentRisk(x: AssignmentRiskInput): string | null {
  const itm = x.right === 'C' ? x.underlying > x.shortStrike : x.underlying < x.shortStrike;
  if (!itm) return null;
  if (x.dte <= 1) return `The short ${x.right === 'C' ? 'call' : 'put'} at ${x.shortStrike} is in the money with ${x.dte} day${x.dte === 1 ? '' : 's'} to expiry: it may be assigned.`;
  if (x.right === 'C' && x.daysToExDividend !== null && x.daysToExDividend >= 0 && x.daysToExDividend <= 1 && x.daysToExDividend < x.dte) {
    return `The short call at ${x.shortStrike} is in the money before the ex-dividend date: it may be assigned early.`;
  }
  return null;
}
