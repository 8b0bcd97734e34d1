// Account book-keeping: fills move cash and positions; average cost and realized P&L follow IBKR's conventions.
import { type Micros, toMicros } from '../spreads';

/**
 * A position as TWS reports it: signed quantity and average cost per unit including the multiplier and
 * commissions (e.g. 4.155 × 100 = 415.5 for an option). For shorts, avgCost is the net proceeds per unit.
 */
export interface BookPosition {
  conId: number;
  qty: number;
  avgCost: number;
  multiplier: number;
}

export interface FillEffect {
  position: BookPosition | null;
  /** Cash change of the account (premium/proceeds and commission), exact. */
  cashDelta: Micros;
  /** Realized P&L of the closing part (net of its share of commission), or null when nothing closed. */
  realized: Micros | null;
}

/** Applies one execution to a position. side BUY/SELL, qty > 0, price per share, commission ≥ 0. */
export function applyFill(pos: BookPosition | null, conId: number, side: 'BUY' | 'SELL', qty: number, price: number, multiplier: number, commission: Micros): FillEffect {
  const sign = side === 'BUY' ? 1 : -1;
  const notional = toMicros(price) * qty * multiplier;
  const cashDelta = (-sign * notional - commission) as Micros;
  const q0 = pos?.qty ?? 0;
  const c0 = pos?.avgCost ?? 0;
  const commPerUnit = qty > 0 ? commission / 1_000_000 / qty : 0;
  const unitValue = price * multiplier;
  // Opening or adding: the cost per unit includes commission (longs pay it, shorts receive less).
  if (q0 === 0 || Math.sign(q0) === sign) {
    const addCost = sign > 0 ? unitValue + commPerUnit : unitValue - commPerUnit;
    const q1 = q0 + sign * qty;
    const avg = (Math.abs(q0) * c0 + qty * addCost) / Math.abs(q1);
    return { position: { conId, qty: q1, avgCost: avg, multiplier }, cashDelta, realized: null };
  }
  // Reducing (and possibly flipping through zero).
  const closing = Math.min(qty, Math.abs(q0));
  const opening = qty - closing;
  const closeComm = commPerUnit * closing;
  const perUnit = q0 > 0 ? unitValue - c0 : c0 - unitValue;
  const realized = toMicros(perUnit * closing - closeComm);
  const q1 = q0 + sign * qty;
  if (q1 === 0) return { position: null, cashDelta, realized };
  if (opening === 0) return { position: { conId, qty: q1, avgCost: c0, multiplier }, cashDelta, realized };
  const openCost = sign > 0 ? unitValue + commPerUnit : unitValue - commPerUnit;
  return { position: { conId, qty: q1, avgCost: openCost, multiplier }, cashDelta, realized };
}

/** Unrealized P&L of a position at a mark price per share. */
export function unrealized(pos: BookPosition, mark: number): number {
  const value = pos.qty * mark * pos.multiplier;
  return value - pos.qty * pos.avgCost;
}
