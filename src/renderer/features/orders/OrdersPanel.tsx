// The Orders tab: working and done orders with live status, the walk's step, fills and slippage; modify, cancel, cancel all.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, GetRowIdParams, GridApi, RowClassParams } from 'ag-grid-community';
import type { OrderRow } from '../../../core/contract';
import { EmptyState } from '../../components/Panel';
import { terminalGridTheme } from '../../components/grid-theme';
import { useClient } from '../../platform/context';
import { reportError, useAppStore } from '../../stores/app-store';
import { SPREAD_KIND_LABELS } from '../../../core/spreads/vertical';
import { labelOf, ORDER_INTENT_LABELS, ORDER_STATUS_LABELS } from '../../../core/orders/labels';
import { expiryLabel } from '../scanner/format';
import { useOrdersStore } from './orders-store';
import './orders.css';

const gridTheme = terminalGridTheme({ rowHeight: 22, headerHeight: 24, spacing: 3, cellHorizontalPadding: 6 });
const num = { type: 'rightAligned', cellClass: 'num' } as const;
const net = (p: { amount: number; kind: 'credit' | 'debit' } | null) => (p ? `${p.amount.toFixed(2)} ${p.kind === 'credit' ? 'cr' : 'db'}` : '—');

function walkLabel(o: OrderRow): string {
  if (!o.walk) return '—';
  const w = o.walk;
  const state = { walking: 'walking', 'waiting-confirm': 'confirming', 'paused-stale': 'paused: stale', 'paused-wide': 'paused: wide', 'at-cap': 'at cap', done: 'done' }[w.state];
  return `${w.step}/${w.maxSteps} ${state} → ${net(w.cap)}`;
}

type SpreadSide = Pick<OrderRow, 'kind' | 'expiry' | 'longStrike' | 'shortStrike'>;
/** A roll shows the spread it closes → the one it opens (when that part changes); any other order, its spread. */
const rollPair = (o: OrderRow, show: (s: SpreadSide) => string): string => {
  const from = show(o);
  const to = o.rollTo ? show(o.rollTo) : from;
  return to === from ? from : `${from} → ${to}`;
};
/** 2026-03-20 → 04-17: a roll's new expiry without the year it shares (the tooltip has both in full). */
const expiryPair = (o: OrderRow): string => {
  const pair = rollPair(o, (x) => expiryLabel(x.expiry));
  const [from, to] = pair.split(' → ');
  return to && from && to.slice(0, 5) === from.slice(0, 5) ? `${from} → ${to.slice(5)}` : pair;
};
const rollTip = (o: OrderRow): string =>
  `Rolls ${o.symbol} ${expiryLabel(o.expiry)} ${o.shortStrike}/${o.longStrike} into ${expiryLabel(o.rollTo!.expiry)} ${o.rollTo!.shortStrike}/${o.rollTo!.longStrike} ${SPREAD_KIND_LABELS[o.rollTo!.kind] ?? o.rollTo!.kind} in one order`;

const COLUMNS: ColDef<OrderRow>[] = [
  { field: 'orderId', headerName: '#', width: 60, ...num },
  { field: 'status', headerName: 'Status', width: 100, valueFormatter: (p) => labelOf(ORDER_STATUS_LABELS, String(p.value)), tooltipValueGetter: (p) => `TWS status: ${String(p.value)}`, cellClass: (p) => `ord-status ord-${String(p.value).toLowerCase()}` },
  { field: 'symbol', headerName: 'Symbol', width: 64 },
  { field: 'kind', headerName: 'Kind', width: 76, valueFormatter: (p) => SPREAD_KIND_LABELS[p.value as OrderRow['kind']] ?? String(p.value) },
  { colId: 'expiry', headerName: 'Expiry', width: 156, valueGetter: (p) => (p.data ? expiryPair(p.data) : ''), tooltipValueGetter: (p) => (p.data?.rollTo ? rollTip(p.data) : null), cellClass: 'num' },
  { colId: 'strikes', headerName: 'Strikes', width: 92, valueGetter: (p) => (p.data ? rollPair(p.data, (o) => `${o.shortStrike}/${o.longStrike}`) : ''), tooltipValueGetter: (p) => (p.data?.rollTo ? rollTip(p.data) : null), cellClass: 'num' },
  { field: 'intent', headerName: 'Intent', width: 96, valueFormatter: (p) => labelOf(ORDER_INTENT_LABELS, String(p.value)) },
  { field: 'quantity', headerName: 'Qty', width: 50, ...num },
  { colId: 'filled', headerName: 'Filled/rem', width: 80, valueGetter: (p) => (p.data ? `${p.data.filled}/${p.data.remaining}` : ''), ...num },
  { colId: 'limit', headerName: 'Limit', width: 78, valueGetter: (p) => net(p.data?.limit ?? null), ...num },
  { colId: 'walk', headerName: 'Walk', width: 160, valueGetter: (p) => (p.data ? walkLabel(p.data) : ''), headerTooltip: 'Step/max, state, and the cap it may reach' },
  { colId: 'avg', headerName: 'Avg fill', width: 78, valueGetter: (p) => net(p.data?.avgFill ?? null), ...num },
  { colId: 'mid', headerName: 'Mid @submit', width: 88, valueGetter: (p) => net(p.data?.midAtSubmit ?? null), ...num },
  { field: 'slippage', headerName: 'Slip', width: 60, headerTooltip: 'Average fill vs mid at submit, $ per share (positive = worse than mid)', valueFormatter: (p) => (p.value === null || p.value === undefined ? '—' : (p.value as number).toFixed(2)), ...num },
  { field: 'commission', headerName: 'Comm', width: 62, valueFormatter: (p) => (p.value as number).toFixed(2), ...num },
  { field: 'tif', headerName: 'TIF', width: 50 },
  { field: 'message', headerName: 'Message', flex: 1, minWidth: 120, tooltipField: 'message' },
];

/** The in-place editor for the selected working order's limit and quantity. */
function ModifyBar({ order, onDone }: { order: OrderRow; onDone(): void }) {
  const client = useClient();
  const [limit, setLimit] = useState(order.limit.amount.toFixed(2));
  const [qty, setQty] = useState(String(order.quantity));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const apply = () => {
    const l = Number(limit), q = Number(qty);
    if (!(l > 0) || Math.round(l * 100) !== l * 100) return setError('The limit is a positive price in whole cents.');
    if (!Number.isInteger(q) || q < order.filled + 1 || q < 1) return setError(`Quantity is a whole number above the ${order.filled} already filled.`);
    setBusy(true);
    setError(null);
    void client.invoke('order.modify', { orderId: order.orderId, ...(l !== order.limit.amount ? { limit: { amount: l, kind: order.limit.kind } } : {}), ...(q !== order.quantity ? { quantity: q } : {}) }).then((r) => {
      setBusy(false);
      if (r.ok) onDone();
      else setError(r.error.message);
    });
  };
  return (
    <div className="ord-modify" data-testid="order-modify">
      <span className="label">Modify #{order.orderId}</span>
      <input className="scan-input num" value={limit} onChange={(e) => setLimit(e.target.value)} aria-label={`Limit (${order.limit.kind})`} data-testid="order-modify-limit" onKeyDown={(e) => e.key === 'Enter' && apply()} />
      <span className="ord-dim">{order.limit.kind === 'credit' ? 'cr' : 'db'}</span>
      <input className="scan-input num ord-qty" value={qty} onChange={(e) => setQty(e.target.value)} aria-label="Quantity" data-testid="order-modify-qty" onKeyDown={(e) => e.key === 'Enter' && apply()} />
      <button type="button" className="btn btn-small btn-primary" onClick={apply} disabled={busy} data-testid="order-modify-apply">{busy ? 'Waiting for TWS…' : 'Apply'}</button>
      <button type="button" className="btn btn-small" onClick={onDone}>Close</button>
      {error ? <span className="tk-error" role="alert">{error}</span> : null}
    </div>
  );
}

export function OrdersPanel() {
  const client = useClient();
  const orders = useOrdersStore((s) => s.orders);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [modifying, setModifying] = useState(false);
  const api = useRef<GridApi<OrderRow> | null>(null);
  const working = useMemo(() => orders.filter((o) => !o.done), [orders]);
  const selected = orders.find((o) => o.orderId === selectedId) ?? null;

  const cancel = useCallback(
    (o: OrderRow) => {
      void client.invoke('order.cancel', { orderId: o.orderId }).then((r) => {
        if (!r.ok) reportError(r.error, `Cancelling order #${o.orderId}`);
      });
    },
    [client],
  );
  if (orders.length === 0) {
    return <EmptyState title="No orders yet">Orders you send from the Ticket appear here with their status and the walk’s progress; Ctrl+. cancels all working orders.</EmptyState>;
  }
  const canAct = selected !== null && !selected.done;
  return (
    <div className="blotter" data-testid="orders-blotter">
      <div className="blotter-bar">
        <span className="ord-dim">{working.length} working · {orders.length - working.length} done</span>
        <span className="spacer" />
        <button type="button" className="btn btn-small" disabled={!canAct} onClick={() => setModifying(true)} data-testid="order-modify-open" title="Change the limit or quantity of the selected working order">Modify</button>
        <button type="button" className="btn btn-small" disabled={!canAct} onClick={() => selected && cancel(selected)} data-testid="order-cancel" title="Cancel the selected working order">Cancel</button>
        <button type="button" className="btn btn-small ord-danger" disabled={working.length === 0} onClick={() => useOrdersStore.setState({ confirmCancelAll: true })} data-testid="orders-cancel-all" title="Cancel every working order (Ctrl+.)">Cancel all</button>
      </div>
      {modifying && selected && !selected.done ? <ModifyBar key={selected.orderId} order={selected} onDone={() => setModifying(false)} /> : null}
      <div className="blotter-grid">
        <AgGridReact<OrderRow>
          theme={gridTheme}
          rowData={orders}
          columnDefs={COLUMNS}
          defaultColDef={{ sortable: true, resizable: true }}
          getRowId={(p: GetRowIdParams<OrderRow>) => String(p.data.orderId)}
          rowSelection={{ mode: 'singleRow', checkboxes: false, enableClickSelection: true }}
          rowClassRules={{ 'ord-done': (p: RowClassParams<OrderRow>) => p.data?.done === true }}
          onGridReady={(e) => (api.current = e.api)}
          onRowClicked={(e) => e.data && setSelectedId(e.data.orderId)}
          onCellFocused={(e) => {
            if (e.rowIndex === null || e.rowIndex === undefined || !api.current) return;
            const node = api.current.getDisplayedRowAtIndex(e.rowIndex);
            if (node?.data) {
              node.setSelected(true);
              setSelectedId(node.data.orderId);
            }
          }}
          animateRows={false}
          suppressScrollOnNewData
          tooltipShowDelay={400}
        />
      </div>
    </div>
  );
}

/**
 * The cancel-all confirm, mounted once with the Ticket so Ctrl+. works whichever tab is showing: the key (or the
 * Orders tab's button) opens it; "Yes" sends order.cancelAll; Esc or "No" backs out.
 */
export function CancelAllDialog() {
  const client = useClient();
  const open = useOrdersStore((s) => s.confirmCancelAll);
  const working = useOrdersStore((s) => s.orders.filter((o) => !o.done).length);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '.' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        useOrdersStore.setState({ confirmCancelAll: true });
      } else if (e.key === 'Escape' && useOrdersStore.getState().confirmCancelAll) {
        useOrdersStore.setState({ confirmCancelAll: false });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  if (!open) return null;
  const yes = () => {
    useOrdersStore.setState({ confirmCancelAll: false });
    void client.invoke('order.cancelAll', {}).then((r) => {
      if (r.ok) useAppStore.getState().addLog({ level: 'info', message: `Cancel sent for ${r.value.cancelled.length} working order${r.value.cancelled.length === 1 ? '' : 's'}.`, at: Date.now() }, true);
      else reportError(r.error, 'Cancelling all orders');
    });
  };
  return (
    <div className="ord-dialog" role="alertdialog" aria-label="Cancel all working orders" data-testid="orders-cancel-all-confirm">
      <p>{working === 0 ? 'No working orders are known to this window; send cancel-all to the broker anyway?' : `Cancel all ${working} working order${working === 1 ? '' : 's'}?`}</p>
      <div className="ord-dialog-actions">
        <button type="button" className="btn btn-small" onClick={() => useOrdersStore.setState({ confirmCancelAll: false })}>No (Esc)</button>
        <button type="button" className="btn btn-small ord-danger" onClick={yes} data-testid="orders-cancel-all-yes" autoFocus>Yes, cancel all</button>
      </div>
    </div>
  );
}
