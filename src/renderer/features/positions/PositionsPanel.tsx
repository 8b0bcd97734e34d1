// The Positions tab: held spreads as spreads (legs on demand), live marks and P&L, the broker check, exits; orphan legs shown, never hidden.
import { useCallback, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { CellKeyDownEvent, ColDef, GetRowIdParams, GridApi, ICellRendererParams, RowClassParams } from 'ag-grid-community';
import type { PositionSpread } from '../../../core/contract';
import { EmptyState } from '../../components/Panel';
import { terminalGridTheme } from '../../components/grid-theme';
import { useAppStore } from '../../stores/app-store';
import { SPREAD_KIND_LABELS } from '../../../core/spreads/vertical';
import { expiryLabel, money, percent, signedMoney, tone } from '../journal/format';
import { CloseBar, ExitBar } from './PositionActions';
import { RollBar } from '../ticket/RollBar';
import { exitLabel, legLabel, netLabel } from './format';
import { gridRows, usePositionsStore, type GridRow } from './positions-store';
import './positions.css';

const gridTheme = terminalGridTheme({ rowHeight: 22, headerHeight: 24, spacing: 3, cellHorizontalPadding: 6 });
const num = { type: 'rightAligned', cellClass: 'num' } as const;
const spreadOf = (r: GridRow | undefined): PositionSpread | null => (r && r.type !== 'orphan' ? r.spread : null);
const onlySpread = <T,>(f: (s: PositionSpread) => T) => (p: { data?: GridRow }) => (p.data?.type === 'spread' ? f(p.data.spread) : null);
const pnlClass = (f: (s: PositionSpread) => number | null) => (p: { data?: GridRow }) => `num ${p.data?.type === 'spread' ? tone(f(p.data.spread)) : ''}`;

function NameCell(p: ICellRendererParams<GridRow> & { onToggle(id: number): void }) {
  const r = p.data;
  if (!r) return null;
  if (r.type === 'orphan') return <span className="pos-orphan-name" title="A broker position that no spread in the journal explains">⚠ orphan leg</span>;
  if (r.type === 'leg') return <span className="pos-leg-name">{r.leg.role === 'long' ? '└ long' : '└ short'}</span>;
  return (
    <button type="button" className="pos-toggle" onClick={() => p.onToggle(r.spread.spreadId)} aria-expanded={r.expanded} title={r.expanded ? 'Hide the legs' : 'Show the legs'} data-testid={`pos-toggle-${r.spread.spreadId}`}>
      {r.expanded ? '▾' : '▸'} {r.spread.symbol}
    </button>
  );
}

function columns(onToggle: (id: number) => void): ColDef<GridRow>[] {
  return [
    { colId: 'name', headerName: 'Position', width: 104, cellRenderer: NameCell, cellRendererParams: { onToggle }, pinned: 'left' },
    { colId: 'kind', headerName: 'Kind', width: 74, valueGetter: (p) => (p.data?.type === 'spread' ? SPREAD_KIND_LABELS[p.data.spread.kind] : p.data?.type === 'orphan' ? p.data.orphan.symbol : '') },
    { colId: 'expiry', headerName: 'Expiry', width: 86, cellClass: 'num', valueGetter: (p) => (p.data?.type === 'spread' ? expiryLabel(p.data.spread.expiry) : p.data?.type === 'orphan' && p.data.orphan.expiry ? expiryLabel(p.data.orphan.expiry) : '') },
    { colId: 'strikes', headerName: 'Strikes', width: 98, cellClass: 'num', valueGetter: (p) => (p.data?.type === 'spread' ? `${p.data.spread.shortStrike}/${p.data.spread.longStrike} ${p.data.spread.right}` : p.data ? legLabel(p.data) : '') },
    { colId: 'qty', headerName: 'Qty', width: 72, ...num, headerTooltip: 'Spreads open (legs: signed contracts, journal → broker)', valueGetter: (p) => (p.data?.type === 'spread' ? p.data.spread.quantity : p.data?.type === 'leg' ? `${p.data.leg.journalQty} → ${p.data.leg.brokerQty ?? '?'}` : p.data?.type === 'orphan' ? p.data.orphan.quantity : '') },
    { colId: 'dte', headerName: 'DTE', width: 48, ...num, valueGetter: onlySpread((s) => s.dte ?? '—') },
    { colId: 'entry', headerName: 'Entry', width: 76, ...num, valueGetter: onlySpread((s) => netLabel(s.entry)) },
    { colId: 'mark', headerName: 'Close @mid', width: 100, ...num, headerTooltip: 'What closing costs (db) or brings (cr) now at mid; legs: bid × ask', valueGetter: (p) => (p.data?.type === 'spread' ? netLabel(p.data.spread.closeMid) : p.data?.type === 'leg' ? `${p.data.leg.bid?.toFixed(2) ?? '—'} × ${p.data.leg.ask?.toFixed(2) ?? '—'}` : '') },
    { colId: 'natural', headerName: 'Natural', width: 76, ...num, valueGetter: onlySpread((s) => netLabel(s.closeNatural)) },
    { colId: 'unrealised', headerName: 'Unrealised', width: 88, type: 'rightAligned', cellClass: pnlClass((s) => s.unrealised), valueGetter: onlySpread((s) => signedMoney(s.unrealised)) },
    { colId: 'pctMax', headerName: '% max', width: 62, ...num, headerTooltip: 'Unrealised as a share of max profit', valueGetter: onlySpread((s) => percent(s.pctOfMaxProfit)) },
    { colId: 'realised', headerName: 'Realised', width: 80, type: 'rightAligned', cellClass: pnlClass((s) => s.realised), headerTooltip: 'Closed units, net of every commission paid', valueGetter: onlySpread((s) => signedMoney(s.realised)) },
    { colId: 'total', headerName: 'Total', width: 84, type: 'rightAligned', cellClass: pnlClass((s) => s.total), valueGetter: onlySpread((s) => signedMoney(s.total)) },
    {
      colId: 'broker', headerName: 'Broker', width: 76, headerTooltip: 'Whether the broker holds exactly these legs',
      cellClass: (p) => (p.data?.type === 'spread' ? `pos-broker-${p.data.spread.broker}` : p.data?.type === 'orphan' ? 'pos-broker-mismatch' : ''),
      valueGetter: (p) => (p.data?.type === 'spread' ? { matched: '✓ held', mismatch: '⚠ differs', unknown: '? not read' }[p.data.spread.broker] : p.data?.type === 'orphan' ? 'no spread' : ''),
    },
    { colId: 'exit', headerName: 'Exit', width: 150, cellClass: (p) => (p.data?.type === 'spread' && p.data.spread.exit ? `pos-exit-${p.data.spread.exit.state}` : ''), tooltipValueGetter: (p) => (p.data?.type === 'spread' ? p.data.spread.exit?.message ?? null : null), valueGetter: onlySpread((s) => exitLabel(s.exit)) },
    { colId: 'maxProfit', headerName: 'Max P', width: 74, ...num, valueGetter: onlySpread((s) => money(s.maxProfit)) },
    { colId: 'maxLoss', headerName: 'Max L', width: 74, ...num, valueGetter: onlySpread((s) => money(s.maxLoss)) },
    { colId: 'breakeven', headerName: 'B/E', width: 66, ...num, valueGetter: onlySpread((s) => s.breakeven.toFixed(2)) },
    { colId: 'underlying', headerName: 'Und', width: 66, ...num, valueGetter: onlySpread((s) => (s.underlying === null ? '—' : s.underlying.toFixed(2))) },
    { colId: 'toShort', headerName: 'To short', width: 68, ...num, headerTooltip: 'Underlying minus the short strike, % of the underlying', valueGetter: onlySpread((s) => percent(s.shortStrikeDistance)) },
    { colId: 'toBe', headerName: 'To B/E', width: 64, ...num, valueGetter: onlySpread((s) => percent(s.breakevenDistance)) },
    { colId: 'held', headerName: 'Held', width: 48, ...num, headerTooltip: 'Days held', valueGetter: onlySpread((s) => (s.daysHeld === null ? '—' : `${s.daysHeld}d`)) },
  ];
}

export function PositionsPanel() {
  const snapshot = usePositionsStore((s) => s.snapshot);
  const connection = useAppStore((s) => s.connection);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [action, setAction] = useState<'close' | 'exits' | 'roll' | null>(null);
  const api = useRef<GridApi<GridRow> | null>(null);
  const toggle = useCallback((id: number) => setExpanded((prev) => {
    const next = new Set(prev);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  }), []);
  const cols = useMemo(() => columns(toggle), [toggle]);
  const rows = useMemo(() => gridRows(snapshot, expanded), [snapshot, expanded]);
  const selected = snapshot?.spreads.find((s) => s.spreadId === selectedId) ?? null;

  if (!snapshot || (snapshot.spreads.length === 0 && snapshot.orphans.length === 0)) {
    const connected = connection?.state === 'connected';
    return (
      <EmptyState title="No open positions">
        {connected ? 'Spreads you open from the Ticket appear here as spreads, with live P&L; legs the broker holds that no spread explains are listed as orphan legs.' : 'Connect to a profile to see the broker’s positions; spreads from the journal show once connected.'}
      </EmptyState>
    );
  }
  const unmarked = snapshot.spreads.filter((s) => s.stale).length;
  return (
    <div className="blotter" data-testid="positions-grid">
      <div className="blotter-bar">
        <span className="ord-dim" data-testid="positions-count">
          {snapshot.spreads.length} spread{snapshot.spreads.length === 1 ? '' : 's'}
          {snapshot.orphans.length > 0 ? <span className="pos-warn"> · {snapshot.orphans.length} orphan leg{snapshot.orphans.length === 1 ? '' : 's'}</span> : null}
          {unmarked > 0 ? <span className="pos-warn"> · {unmarked} without a fresh quote</span> : null}
          {snapshot.brokerAt === null ? <span className="pos-warn"> · broker positions not read yet</span> : null}
        </span>
        <span className="spacer" />
        <button type="button" className="btn btn-small" disabled={!selected} onClick={() => setAction('exits')} data-testid="position-exits-open" title="Set profit target, stop and time exits on the selected spread">Exits…</button>
        <button type="button" className="btn btn-small" disabled={!selected || selected.status === 'broken'} onClick={() => setAction('roll')} data-testid="position-roll-open" title="Roll the selected spread to another expiry or strikes as one 4-leg combo">Roll…</button>
        <button type="button" className="btn btn-small ord-danger" disabled={!selected || selected.status === 'broken'} onClick={() => setAction('close')} data-testid="position-close-open" title={selected?.status === 'broken' ? 'Its legs are uneven: close the legs one by one in TWS' : 'Close the selected spread as one combo order'}>Close…</button>
      </div>
      {action === 'close' && selected ? <CloseBar key={`c${selected.spreadId}`} spread={selected} onDone={() => setAction(null)} /> : null}
      {action === 'roll' && selected ? <RollBar key={`r${selected.spreadId}`} spread={selected} onDone={() => setAction(null)} /> : null}
      {action === 'exits' && selected ? <ExitBar key={`e${selected.spreadId}`} spread={selected} onDone={() => setAction(null)} /> : null}
      <div className="blotter-grid">
        <AgGridReact<GridRow>
          theme={gridTheme}
          rowData={rows}
          columnDefs={cols}
          defaultColDef={{ sortable: false, resizable: true }}
          getRowId={(p: GetRowIdParams<GridRow>) => p.data.id}
          rowSelection={{ mode: 'singleRow', checkboxes: false, enableClickSelection: true }}
          rowClassRules={{
            'pos-leg': (p: RowClassParams<GridRow>) => p.data?.type === 'leg',
            'pos-orphan': (p: RowClassParams<GridRow>) => p.data?.type === 'orphan',
            'pos-stale': (p: RowClassParams<GridRow>) => p.data?.type === 'spread' && p.data.spread.stale,
          }}
          onGridReady={(e) => (api.current = e.api)}
          onRowClicked={(e) => setSelectedId(spreadOf(e.data)?.spreadId ?? null)}
          onCellFocused={(e) => {
            if (e.rowIndex === null || e.rowIndex === undefined || !api.current) return;
            const node = api.current.getDisplayedRowAtIndex(e.rowIndex);
            if (node?.data) {
              node.setSelected(true);
              setSelectedId(spreadOf(node.data)?.spreadId ?? null);
            }
          }}
          onCellKeyDown={(e: CellKeyDownEvent<GridRow>) => {
            // Enter shows or hides the focused spread's legs.
            const key = (e.event as KeyboardEvent | null)?.key;
            if (key === 'Enter' && e.data?.type === 'spread') toggle(e.data.spread.spreadId);
          }}
          animateRows={false}
          suppressColumnVirtualisation
          suppressScrollOnNewData
          tooltipShowDelay={400}
        />
      </div>
    </div>
  );
}
