// The blotters' state: orders and executions by id, fed by order.updated / execution.added, with fill and reject alerts.
import { create } from 'zustand';
import type { ExecutionRow, OrderRow } from '../../../core/contract';
import type { PlatformClient } from '../../platform/client';
import { useAppStore } from '../../stores/app-store';

export interface OrdersState {
  orders: OrderRow[];
  executions: ExecutionRow[];
  loaded: boolean;
  /** The cancel-all confirm is showing (Ctrl+. or the button); one confirm sends the cancels. */
  confirmCancelAll: boolean;
}

export const useOrdersStore = create<OrdersState>(() => ({ orders: [], executions: [], loaded: false, confirmCancelAll: false }));

/** Newest first by submit time, then id; replaces the row with the same order id. */
export function upsertOrder(list: readonly OrderRow[], row: OrderRow): OrderRow[] {
  const rest = list.filter((o) => o.orderId !== row.orderId);
  return [row, ...rest].sort((a, b) => b.submittedAt - a.submittedAt || b.orderId - a.orderId);
}

/** Newest first; an execution id seen twice (a correction or a replay) keeps the newest copy. */
export function upsertExecution(list: readonly ExecutionRow[], row: ExecutionRow): ExecutionRow[] {
  const rest = list.filter((e) => e.execId !== row.execId);
  return [row, ...rest].sort((a, b) => b.time - a.time);
}

/** The alert an order update deserves, given the row it replaces: a fill, a reject, or nothing. */
export function alertFor(prev: OrderRow | undefined, next: OrderRow): { level: 'info' | 'error'; message: string } | null {
  if (prev?.status === next.status && prev.filled === next.filled) return null;
  const what = `#${next.orderId} ${next.symbol} ${next.shortStrike}/${next.longStrike}`;
  if (next.status === 'Filled' && prev?.status !== 'Filled') {
    const avg = next.avgFill ? ` at ${next.avgFill.amount.toFixed(2)} ${next.avgFill.kind === 'credit' ? 'cr' : 'db'}` : '';
    return { level: 'info', message: `Filled ${what}: ${next.filled} spread${next.filled === 1 ? '' : 's'}${avg}.` };
  }
  if ((next.status === 'Rejected' || next.status === 'Inactive') && prev?.status !== next.status) {
    return { level: 'error', message: `Order ${what} ${next.status === 'Rejected' ? 'was rejected' : 'is inactive'}${next.message ? `: ${next.message}` : '.'}` };
  }
  if (next.filled > (prev?.filled ?? 0) && next.status !== 'Filled') {
    return { level: 'info', message: `Partly filled ${what}: ${next.filled} of ${next.quantity}.` };
  }
  return null;
}

/** Subscribes to order and execution events and loads the blotters; returns an unsubscribe. */
export function bindOrdersStore(client: PlatformClient): () => void {
  const load = async () => {
    const [orders, executions] = await Promise.all([client.invoke('orders.list', { includeDone: true, limit: 200 }), client.invoke('executions.list', { limit: 500 })]);
    useOrdersStore.setState({ orders: orders.ok ? orders.value : [], executions: executions.ok ? executions.value : [], loaded: true });
  };
  const offs = [
    client.on('order.updated', (row) => {
      const prev = useOrdersStore.getState().orders.find((o) => o.orderId === row.orderId);
      useOrdersStore.setState((s) => ({ orders: upsertOrder(s.orders, row) }));
      const alert = alertFor(prev, row);
      // The log keeps every fill and reject; the toast and desktop notification come from main's notification.raised (muteable per kind).
      if (alert) useAppStore.getState().addLog({ level: alert.level, message: alert.message, at: Date.now() }, false);
    }),
    client.on('execution.added', (row) => useOrdersStore.setState((s) => ({ executions: upsertExecution(s.executions, row) }))),
    client.onTransport((t) => {
      if (t === 'open') void load();
    }),
  ];
  return () => offs.forEach((off) => off());
}
