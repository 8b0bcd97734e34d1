// The Executions tab: fills per combo and per leg with commissions, newest first (the combo row leads its legs).
import { useMemo } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, GetRowIdParams, RowClassParams } from 'ag-grid-community';
import type { ExecutionRow } from '../../../core/contract';
import { EmptyState } from '../../components/Panel';
import { terminalGridTheme } from '../../components/grid-theme';
import { expiryLabel } from '../scanner/format';
import { EXECUTION_SIDE_LABELS, labelOf } from '../../../core/orders/labels';
import { useOrdersStore } from '../orders/orders-store';
import '../orders/orders.css';

const gridTheme = terminalGridTheme({ rowHeight: 22, headerHeight: 24, spacing: 3, cellHorizontalPadding: 6 });
const num = { type: 'rightAligned', cellClass: 'num' } as const;
const time = new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: 'America/New_York' });

const COLUMNS: ColDef<ExecutionRow>[] = [
  { field: 'time', headerName: 'Time (NY)', width: 84, valueFormatter: (p) => time.format(new Date(p.value as number)), cellClass: 'num' },
  { field: 'orderId', headerName: 'Order', width: 64, ...num },
  { field: 'level', headerName: 'Level', width: 62, valueFormatter: (p) => (p.value === 'combo' ? 'Spread' : '  Leg') },
  { field: 'symbol', headerName: 'Symbol', width: 64 },
  { colId: 'contract', headerName: 'Contract', width: 130, valueGetter: (p) => (p.data && p.data.level === 'leg' ? `${expiryLabel(p.data.expiry ?? '')} ${p.data.strike ?? ''} ${p.data.right ?? ''}` : 'spread') },
  { field: 'side', headerName: 'Side', width: 62, valueFormatter: (p) => labelOf(EXECUTION_SIDE_LABELS, String(p.value)) },
  { field: 'quantity', headerName: 'Qty', width: 50, ...num },
  {
    colId: 'price',
    headerName: 'Price',
    width: 84,
    headerTooltip: 'Per share; the combo row is labelled credit (cr) or debit (db)',
    valueGetter: (p) => (p.data ? (p.data.level === 'combo' && p.data.net ? `${p.data.net.amount.toFixed(2)} ${p.data.net.kind === 'credit' ? 'cr' : 'db'}` : p.data.price.toFixed(2)) : ''),
    ...num,
  },
  { field: 'commission', headerName: 'Comm', width: 66, valueFormatter: (p) => (p.value === null || p.value === undefined ? '—' : (p.value as number).toFixed(2)), ...num },
  { field: 'execId', headerName: 'Exec id', flex: 1, minWidth: 120, cellClass: 'ord-dim' },
];

/** Newest order first; within an order the combo row first, then its legs. */
export function executionOrder(rows: readonly ExecutionRow[]): ExecutionRow[] {
  return [...rows].sort((a, b) => b.orderId - a.orderId || (a.level === b.level ? b.time - a.time : a.level === 'combo' ? -1 : 1));
}

export function ExecutionsPanel() {
  const executions = useOrdersStore((s) => s.executions);
  const rows = useMemo(() => executionOrder(executions), [executions]);
  if (rows.length === 0) return <EmptyState title="No executions yet">Fills for each leg and the combo appear here with commissions.</EmptyState>;
  const total = rows.filter((r) => r.level === 'leg').reduce((s, r) => s + (r.commission ?? 0), 0);
  return (
    <div className="blotter" data-testid="executions-blotter">
      <div className="blotter-bar">
        <span className="ord-dim">{rows.filter((r) => r.level === 'combo').length} combo fills · commissions {total.toFixed(2)}</span>
      </div>
      <div className="blotter-grid">
        <AgGridReact<ExecutionRow>
          theme={gridTheme}
          rowData={rows}
          columnDefs={COLUMNS}
          defaultColDef={{ sortable: true, resizable: true }}
          getRowId={(p: GetRowIdParams<ExecutionRow>) => p.data.execId}
          rowClassRules={{ 'exec-combo': (p: RowClassParams<ExecutionRow>) => p.data?.level === 'combo' }}
          animateRows={false}
          suppressScrollOnNewData
        />
      </div>
    </div>
  );
}
