// Order state merging: how the journal folds orderStatus/openOrder messages that may arrive late, twice or out of order.
import { isTerminalStatus } from '../broker/events';

export interface OrderFillState {
  status: string;
  filledU: number;
  remainingU: number | null;
  avgFillU: number | null;
}

/**
 * Folds one orderStatus into the order's state. Filled quantity only grows, so a message with less
 * filled than we know is an older one and is ignored; a terminal state is never undone by a later
 * non-terminal message, and between two terminal states with equal fills the first one stays.
 * Whatever ordering this cannot resolve (e.g. PreSubmitted vs Submitted) reconciliation fixes
 * from the broker's own view.
 */
export function mergeOrderStatus(current: OrderFillState | null, update: OrderFillState): OrderFillState {
  if (!current) return update;
  if (update.filledU < current.filledU) return current;
  const currentTerminal = isTerminalStatus(current.status);
  const updateTerminal = isTerminalStatus(update.status);
  if (currentTerminal && !updateTerminal) {
    return update.filledU > current.filledU ? { ...update, status: current.status } : current;
  }
  if (currentTerminal && updateTerminal && update.filledU === current.filledU) return current;
  return update;
}

/** Folds the status carried by an openOrder message (it has no fill counts). */
export function mergeOpenOrderStatus(current: OrderFillState | null, status: string): OrderFillState {
  if (!current) return { status, filledU: 0, remainingU: null, avgFillU: null };
  if (isTerminalStatus(current.status)) return current;
  return { ...current, status };
}
