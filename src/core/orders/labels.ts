// Trader words for the order codes the blotters show (intent, TWS status, execution side): one map, used by every grid.
import type { OrderRow, ExecutionRow } from '../contract/orders';

/** What an order does, as the Orders tab says it ("Profit target", not `exit-target`). */
export const ORDER_INTENT_LABELS: Readonly<Record<OrderRow['intent'], string>> = {
  open: 'Open',
  close: 'Close',
  roll: 'Roll',
  'exit-target': 'Profit target',
  'exit-stop': 'Stop',
};

/** TWS order statuses in a trader's words; the raw status stays in the cell's tooltip. */
export const ORDER_STATUS_LABELS: Readonly<Record<OrderRow['status'], string>> = {
  PendingSubmit: 'Sending',
  ApiPending: 'Sending',
  PreSubmitted: 'Held at IBKR',
  Submitted: 'Working',
  PendingCancel: 'Cancelling',
  ApiCancelled: 'Cancelled',
  Cancelled: 'Cancelled',
  Filled: 'Filled',
  Inactive: 'Inactive',
  Rejected: 'Rejected',
};

/** TWS execution sides (BOT/SLD). */
export const EXECUTION_SIDE_LABELS: Readonly<Record<ExecutionRow['side'], string>> = { BOT: 'Bought', SLD: 'Sold' };

/** The label for a code, or the code itself when a newer TWS sends one this map does not know yet. */
export const labelOf = <K extends string>(map: Readonly<Record<K, string>>, code: string): string => (map as Record<string, string>)[code] ?? code;
