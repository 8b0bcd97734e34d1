// The order state machine: TWS's order statuses as an explicit transition table, and the fold of TWS messages onto it.
//
// TWS does not promise ordering: statuses repeat, an older one can arrive after a newer one, a fill that raced a
// cancel arrives as Filled after Cancelled, and Inactive can mean "held" (it may come back) or "dead". So there
// are two layers: `transition` is the strict table (an illegal move throws — a bug in our own code), and
// `foldStatus` is how a TWS message is applied: a legal move is taken, anything else is a stale message and
// is ignored. Terminal states (Filled, Cancelled, ApiCancelled, Rejected) never go back to a working state;
// the one terminal→terminal move is a late fill (Cancelled/ApiCancelled → Filled), because the fill happened.

export const ORDER_STATES = [
  'New', // created by us, not yet sent
  'ApiPending',
  'PendingSubmit',
  'PreSubmitted',
  'Submitted',
  'PendingCancel',
  'Inactive',
  'ApiCancelled',
  'Cancelled',
  'Filled',
  'Rejected', // refused by TWS (201 etc.) or never left
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const TERMINAL_STATES: ReadonlySet<OrderState> = new Set(['ApiCancelled', 'Cancelled', 'Filled', 'Rejected']);

export function isTerminal(s: OrderState): boolean {
  return TERMINAL_STATES.has(s);
}

const WORKING_TARGETS: readonly OrderState[] = ['PreSubmitted', 'Submitted', 'PendingCancel', 'Inactive', 'ApiCancelled', 'Cancelled', 'Filled'];

/** from → the states it may move to (a state may always repeat itself: partial fills repeat Submitted). */
export const TRANSITIONS: Readonly<Record<OrderState, readonly OrderState[]>> = {
  New: ['ApiPending', 'PendingSubmit', 'PreSubmitted', 'Submitted', 'Filled', 'Cancelled', 'ApiCancelled', 'Inactive', 'Rejected'],
  ApiPending: ['PendingSubmit', 'Rejected', ...WORKING_TARGETS],
  PendingSubmit: ['Rejected', ...WORKING_TARGETS],
  // PreSubmitted ↔ Submitted both occur (simulated orders, held orders released).
  PreSubmitted: WORKING_TARGETS,
  Submitted: WORKING_TARGETS,
  // A refused cancel (10147/10148) brings the order back to working.
  PendingCancel: ['PreSubmitted', 'Submitted', 'ApiCancelled', 'Cancelled', 'Filled', 'Inactive'],
  Inactive: ['PreSubmitted', 'Submitted', 'PendingCancel', 'ApiCancelled', 'Cancelled', 'Filled', 'Rejected'],
  ApiCancelled: ['Cancelled', 'Filled'],
  Cancelled: ['Filled'],
  Filled: [],
  Rejected: [],
};

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: OrderState,
    readonly to: OrderState,
  ) {
    super(`Illegal order transition ${from} → ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

export function canTransition(from: OrderState, to: OrderState): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

/** The strict table: returns `to` or throws. */
export function transition(from: OrderState, to: OrderState): OrderState {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
  return to;
}

/** TWS status text → our state; unknown text (TWS may invent new ones) → null, and the message is ignored. */
export function parseTwsStatus(s: string): OrderState | null {
  return (ORDER_STATES as readonly string[]).includes(s) && s !== 'New' ? (s as OrderState) : null;
}

/** One order's (combo or leg) state with its fill counts. Quantities in units (spreads or contracts). */
export interface OrderProgress {
  readonly state: OrderState;
  readonly total: number;
  readonly filled: number;
  /** Average fill price per unit as TWS reports it (signed BAG price for combos), null before a fill. */
  readonly avgFillPrice: number | null;
}

export function newOrder(total: number): OrderProgress {
  return { state: 'New', total, filled: 0, avgFillPrice: null };
}

export interface StatusMessage {
  readonly status: string;
  readonly filled: number;
  readonly avgFillPrice?: number;
}

/**
 * Applies one TWS orderStatus. Filled quantity only grows (a smaller one is an older message); a move the table
 * does not allow is a stale message and leaves the order as it is; a late fill after a cancel is taken.
 */
export function foldStatus(cur: OrderProgress, msg: StatusMessage): OrderProgress {
  const to = parseTwsStatus(msg.status);
  if (to === null || !Number.isFinite(msg.filled) || msg.filled < cur.filled) return cur;
  const filled = Math.min(msg.filled, cur.total);
  const avg = filled > 0 && msg.avgFillPrice !== undefined && Number.isFinite(msg.avgFillPrice) ? msg.avgFillPrice : cur.avgFillPrice;
  // A fill for everything is Filled whatever the text says (TWS sometimes reports Submitted with remaining 0 first).
  const target: OrderState = filled >= cur.total && cur.total > 0 ? 'Filled' : to;
  if (isTerminal(cur.state) && target !== 'Filled') return filled > cur.filled ? { ...cur, filled, avgFillPrice: avg } : cur;
  if (!canTransition(cur.state, target)) return filled > cur.filled ? { ...cur, filled, avgFillPrice: avg } : cur;
  return { ...cur, state: transition(cur.state, target), filled, avgFillPrice: avg };
}

/** Our own events: the order was sent (PendingSubmit), or refused before/at TWS (Rejected). */
/** A confirmed modify changed the quantity. */
export function withTotal(cur: OrderProgress, total: number): OrderProgress {
  return { ...cur, total: Math.max(total, cur.filled) };
}

export function markSent(cur: OrderProgress): OrderProgress {
  return cur.state === 'New' ? { ...cur, state: transition(cur.state, 'PendingSubmit') } : cur;
}

export function markRejected(cur: OrderProgress): OrderProgress {
  return canTransition(cur.state, 'Rejected') ? { ...cur, state: transition(cur.state, 'Rejected') } : cur;
}

/** The combo's legs follow the combo's state; their fills come from executions (see fills.ts). */
export function legStates(combo: OrderProgress, legFilled: readonly number[], ratios: readonly number[]): OrderProgress[] {
  return legFilled.map((f, i) => {
    const total = combo.total * (ratios[i] ?? 1);
    const state: OrderState = f >= total && total > 0 ? 'Filled' : combo.state === 'Filled' ? 'Submitted' : combo.state;
    return { state, total, filled: Math.min(f, total), avgFillPrice: null };
  });
}
