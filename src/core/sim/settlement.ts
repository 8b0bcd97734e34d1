// Expiry settlement: cash-settled index options pay intrinsic value; equity options in the money are exercised or assigned.

export interface ExpiringOption {
  qty: number;
  right: 'C' | 'P';
  strike: number;
  multiplier: number;
  cashSettled: boolean;
}

export interface Settlement {
  /** Intrinsic value per share at the settlement price: the option leaves the books at this price. */
  closePrice: number;
  /** Underlying shares delivered (+ received, − delivered) for physical settlement. */
  shares: number;
  /** Price at which delivered shares are booked (the settlement price; the option's intrinsic makes up the strike). */
  sharePrice: number;
  exercised: boolean;
}

/**
 * Settles one option position at the underlying settlement price. Physically settled options in the money
 * by at least $0.01 are exercised (long) or assigned (short): long call / short put receive shares, long put
 * / short call deliver them. Booking the option out at intrinsic and the shares at the settlement price is
 * cash-equivalent to trading the shares at the strike.
 */
export function settleOption(o: ExpiringOption, settlementPrice: number): Settlement {
  const intrinsic = Math.max(0, o.right === 'C' ? settlementPrice - o.strike : o.strike - settlementPrice);
  const closePrice = Math.round(intrinsic * 100) / 100;
  if (o.cashSettled || closePrice < 0.01) return { closePrice, shares: 0, sharePrice: settlementPrice, exercised: false };
  const perContract = o.multiplier * Math.abs(o.qty);
  const receive = (o.right === 'C') === o.qty > 0;
  return { closePrice, shares: receive ? perContract : -perContract, sharePrice: settlementPrice, exercised: true };
}

/** What a holder of an American option weighs before exercising early: its model value against exercise now. */
export interface EarlyExerciseInput {
  right: 'C' | 'P';
  strike: number;
  spot: number;
  /** The American model value (per share) at the same instant. */
  value: number;
  /** Physically settled American style; cash-settled European index options are never exercised early. */
  american: boolean;
}

/** Time value below which the holder gives up nothing by exercising (half a cent a share: below any tick). */
export const EARLY_EXERCISE_TIME_VALUE = 0.005;

/**
 * Whether a rational holder exercises now: the option is in the money by at least $0.01 and has no time value
 * left — the American value equals intrinsic, so it sits in the early-exercise region (deep ITM puts; ITM calls
 * ahead of the dividend, here the model's dividend yield). Then the short side is assigned.
 */
export function exercisesEarly(o: EarlyExerciseInput): boolean {
  if (!o.american) return false;
  const intrinsic = o.right === 'C' ? o.spot - o.strike : o.strike - o.spot;
  return intrinsic >= 0.01 && o.value - intrinsic < EARLY_EXERCISE_TIME_VALUE;
}
