// Fill aggregation: executions of a combo order folded into average prices per leg and for the combo, with commissions.
//
// TWS reports a BAG fill as one execution per leg plus one for the BAG itself (secType BAG, price = the signed
// net per combo unit). Executions can repeat (reconnects, reqExecutions) and commissions arrive separately,
// keyed by execId; both are folded idempotently. Money is summed in Micros so averages do not drift.
import { fromMicros, toMicros } from '../journal/units';

export interface FillExec {
  readonly execId: string;
  /** BAG for the combo-level execution, else the leg's conId. */
  readonly conId: number;
  readonly isCombo: boolean;
  readonly side: 'BOT' | 'SLD';
  readonly shares: number;
  /** Per share (combo: the signed BAG net as TWS reports it). */
  readonly price: number;
}

export interface FillAggregate {
  readonly quantity: number;
  /** Average price per share (quantity-weighted), null before a fill. */
  readonly avgPrice: number | null;
  readonly commission: number;
}

export interface OrderFills {
  readonly combo: FillAggregate;
  readonly legs: ReadonlyMap<number, FillAggregate & { side: 'BOT' | 'SLD' }>;
  /** Commission of every execution (legs and combo). */
  readonly commission: number;
}

function aggregate(execs: readonly FillExec[], commissions: ReadonlyMap<string, number>): FillAggregate {
  let qty = 0;
  let notional = 0n;
  let commission = 0;
  for (const e of execs) {
    qty += e.shares;
    notional += BigInt(toMicros(e.price)) * BigInt(Math.round(e.shares * 1000));
    commission += toMicros(commissions.get(e.execId) ?? 0);
  }
  const avg = qty > 0 ? fromMicros(Number(notional / BigInt(Math.round(qty * 1000)))) : null;
  return { quantity: qty, avgPrice: avg, commission: fromMicros(commission) };
}

/** Folds executions (duplicates by execId ignored) and their commission reports. */
export function aggregateFills(execs: readonly FillExec[], commissions: ReadonlyMap<string, number> = new Map()): OrderFills {
  const seen = new Map<string, FillExec>();
  for (const e of execs) if (!seen.has(e.execId)) seen.set(e.execId, e);
  const unique = [...seen.values()];
  const comboExecs = unique.filter((e) => e.isCombo);
  const byLeg = new Map<number, FillExec[]>();
  for (const e of unique) if (!e.isCombo) byLeg.set(e.conId, [...(byLeg.get(e.conId) ?? []), e]);
  const legs = new Map<number, FillAggregate & { side: 'BOT' | 'SLD' }>();
  for (const [conId, list] of byLeg) legs.set(conId, { ...aggregate(list, commissions), side: (list[0] as FillExec).side });
  const combo = aggregate(comboExecs, commissions);
  let commission = 0;
  for (const e of unique) commission += toMicros(commissions.get(e.execId) ?? 0);
  return { combo, legs, commission: fromMicros(commission) };
}

/**
 * The combo's net per share from its legs when TWS sends no BAG execution: bought legs cost, sold legs pay
 * (signed like a BAG price as written: + = paid). Null until every leg has a fill.
 */
export function comboPriceFromLegs(legs: ReadonlyMap<number, FillAggregate & { side: 'BOT' | 'SLD' }>, ratios: ReadonlyMap<number, number>): number | null {
  let net = 0;
  for (const [conId, ratio] of ratios) {
    const l = legs.get(conId);
    if (!l || l.avgPrice === null) return null;
    net += toMicros(l.avgPrice) * ratio * (l.side === 'BOT' ? 1 : -1);
  }
  return fromMicros(net);
}
