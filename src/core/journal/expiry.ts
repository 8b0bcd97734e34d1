// Closing fills the broker never sends: a leg that left the account by expiry, assignment or exercise.
//
// IBKR (and the paper exchange) remove an expired, assigned or exercised option from the positions
// with no execution. Reconciliation sees the position gone; this decides how the journal books it:
// which source it names, at what price, and when. Pure: the time and the underlying's price are arguments.
import { nyInstant, parseIsoDate } from '../market';

export type SyntheticSource = 'expiry' | 'assignment' | 'exercise';

export interface VanishedLeg {
  expiry: string; // YYYYMMDD
  strikeU: number;
  right: 'C' | 'P';
  /** The fill that books it: BOT buys back a short leg, SLD sells out a long one. */
  side: 'BOT' | 'SLD';
}

export interface SyntheticClose {
  source: SyntheticSource;
  /** Per share, micro-units: 0 when it expired worthless, the intrinsic value when assigned or exercised. */
  priceU: number;
  at: number;
}

/** Epoch ms of the 16:00 New York close on an expiry date (never, for text that is not a date). */
export function expiryCloseAt(expiry: string): number {
  const date = parseIsoDate(expiry);
  return date === null ? Number.POSITIVE_INFINITY : nyInstant(date, 16);
}

/**
 * How a leg that vanished from the broker's positions is closed. At or after the expiry close, an
 * option out of the money (or with no known underlying price) expired worthless; in the money it
 * was assigned (short) or exercised (long) at its intrinsic value. Before expiry only assignment
 * (or an early exercise) removes a leg.
 */
export function syntheticClose(leg: VanishedLeg, now: number, underlyingPriceU: number | null): SyntheticClose {
  const intrinsicU = underlyingPriceU === null ? 0 : Math.max(0, leg.right === 'C' ? underlyingPriceU - leg.strikeU : leg.strikeU - underlyingPriceU);
  const expired = now >= expiryCloseAt(leg.expiry);
  const exercised: SyntheticSource = leg.side === 'BOT' ? 'assignment' : 'exercise';
  if (expired) {
    const at = Math.min(now, expiryCloseAt(leg.expiry));
    return intrinsicU > 0 ? { source: exercised, priceU: intrinsicU, at } : { source: 'expiry', priceU: 0, at };
  }
  return { source: exercised, priceU: intrinsicU, at: now };
}
