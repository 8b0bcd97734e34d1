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
