// The Journal panel: closed and open spreads in a grid, summary tiles, the equity curve, notes and tags, export and backup.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, GetRowIdParams, ValueFormatterParams } from 'ag-grid-community';
import type { JournalStatus, JournalSummary, JournalTrade, JournalTradeFilter, SpreadKind } from '../../../core/contract';
import { SPREAD_KIND_LABELS } from '../../../core/spreads/vertical';
import { terminalGridTheme } from '../../components/grid-theme';
import { EmptyState } from '../../components/Panel';
import { useClient } from '../../platform/context';
import { reportError, useAppStore } from '../../stores/app-store';
import { EquityChart, type EquityPoint } from './EquityChart';
import { TradeEditor } from './TradeEditor';
import { expiryLabel, holding, money, netPrice, nyDateTime, percent, ratio, signedMoney, tone } from './format';
import './journal.css';

const gridTheme = terminalGridTheme({ rowHeight: 24, headerHeight: 26, spacing: 4, cellHorizontalPadding: 8 });

const RELOAD_DEBOUNCE_MS = 300;

const num = (cls = ''): Partial<ColDef<JournalTrade>> => ({ type: 'rightAligned', cellClass: `num ${cls}`.trim() });

// Money first: what the trade made and how, then when, then the details.
const COLUMNS: ColDef<JournalTrade>[] = [
  { field: 'underlying', headerName: 'Symbol', width: 74, pinned: 'left' },
  { field: 'kind', headerName: 'Kind', width: 80, valueFormatter: (p: ValueFormatterParams<JournalTrade, string>) => SPREAD_KIND_LABELS[p.value as SpreadKind] ?? String(p.value) },
  { field: 'status', headerName: 'Status', width: 66, cellClass: (p) => `status-${String(p.value)}` },
  { field: 'quantity', headerName: 'Qty', width: 50, ...num() },
  { headerName: 'Entry', colId: 'entry', width: 78, valueGetter: (p) => (p.data ? netPrice(p.data.entryPrice, p.data.entrySide) : ''), ...num() },
  { headerName: 'Exit', colId: 'exit', width: 78, valueGetter: (p) => (p.data ? netPrice(p.data.exitPrice, p.data.exitSide) : ''), ...num() },
  {
    field: 'netPnl',
    headerName: 'Net P&L',
    headerTooltip: 'Net of commissions; for open trades, what is realised so far',
    width: 88,
    valueFormatter: (p) => signedMoney(p.value as number),
    type: 'rightAligned',
    cellClass: (p) => `num ${tone(p.value as number)}`,
  },
  { field: 'returnOnRisk', headerName: 'RoR', width: 66, valueFormatter: (p) => percent(p.value as number | null), type: 'rightAligned', cellClass: (p) => `num ${tone(p.value as number | null)}` },
  { field: 'slippage', headerName: 'Slip', headerTooltip: 'Entry vs the mid at submission, in money (positive = paid more than mid)', width: 66, valueFormatter: (p) => signedMoney(p.value as number | null), ...num() },
  { field: 'priceSteps', headerName: 'Steps', width: 56, ...num() },
  { field: 'openedAt', headerName: 'Opened (NY)', width: 104, valueFormatter: (p) => nyDateTime(p.value as number | null), cellClass: 'num' },
  { field: 'closedAt', headerName: 'Closed (NY)', width: 104, valueFormatter: (p) => nyDateTime(p.value as number | null), cellClass: 'num' },
  { field: 'holdingMs', headerName: 'Held', width: 66, valueFormatter: (p) => holding(p.value as number | null), ...num() },
  { field: 'expiry', headerName: 'Expiry', width: 90, valueFormatter: (p) => expiryLabel(String(p.value)), cellClass: 'num' },
  { field: 'dteAtEntry', headerName: 'DTE', width: 52, ...num() },
  { field: 'popAtEntry', headerName: 'POP', width: 56, valueFormatter: (p) => percent(p.value as number | null, 0), ...num() },
  { field: 'maxRisk', headerName: 'Max risk', width: 80, valueFormatter: (p) => money(p.value as number | null), ...num() },
  { field: 'commissions', headerName: 'Comm.', width: 64, valueFormatter: (p) => money(p.value as number), ...num() },
  { field: 'tags', headerName: 'Tags', width: 110, valueFormatter: (p) => ((p.value as string[] | undefined) ?? []).join(' ') },
  { field: 'note', headerName: 'Note', flex: 1, minWidth: 140, tooltipField: 'note' },
];

function Tile({ label, value, cls = '', testId }: { label: string; value: string; cls?: string; testId?: string }) {
  return (
    <div className="journal-tile">
      <span className="label">{label}</span>
      <span className={`journal-tile-value num ${cls}`} data-testid={testId}>
        {value}
      </span>
    </div>
  );
}

export function JournalPanel() {
  const client = useClient();
  const transport = useAppStore((s) => s.transport);
  const [status, setStatus] = useState<JournalStatus | null>(null);
  const [trades, setTrades] = useState<JournalTrade[]>([]);
  const [total, setTotal] = useState(0);
  const [summary, setSummary] = useState<JournalSummary | null>(null);
  const [curve, setCurve] = useState<EquityPoint[]>([]);
  const [filter, setFilter] = useState<JournalTradeFilter>({});
  const [underlyingText, setUnderlyingText] = useState('');
  const [tagText, setTagText] = useState('');
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const loadSeq = useRef(0);

  const load = useCallback(async () => {
    const seq = ++loadSeq.current;
    const [st, tr, su, eq] = await Promise.all([
      client.invoke('journal.status', {}),
      client.invoke('journal.trades', { filter, limit: 5000 }),
      client.invoke('journal.summary', { filter }),
      client.invoke('journal.equityCurve', { filter, maxPoints: 800 }),
    ]);
    if (seq !== loadSeq.current) return; // a newer load is on its way
    if (st.ok) setStatus(st.value);
    if (tr.ok) {
      setTrades(tr.value.trades);
      setTotal(tr.value.total);
    } else if (tr.error.code !== 'UNAVAILABLE') reportError(tr.error, 'Loading the journal');
    if (su.ok) setSummary(su.value);
    if (eq.ok) setCurve(eq.value.points);
  }, [client, filter]);

  useEffect(() => {
    if (transport !== 'open') return;
    void load();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = client.on('journal.updated', () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void load(), RELOAD_DEBOUNCE_MS);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [client, transport, load]);

  // Typed filters apply after a pause, so the grid does not reload on every keystroke.
  useEffect(() => {
    const t = setTimeout(() => {
      setFilter((f) => {
        const underlying = underlyingText.trim().toUpperCase() || undefined;
        const tag = tagText.trim() || undefined;
        return f.underlying === underlying && f.tag === tag ? f : { ...f, underlying, tag };
      });
    }, 250);
    return () => clearTimeout(t);
  }, [underlyingText, tagText]);

  const act = async (what: 'trades' | 'executions' | 'backup') => {
    setBusy(what);
    const r = what === 'backup' ? await client.invoke('journal.backup', {}) : await client.invoke('journal.export', { kind: what });
    setBusy(null);
    if (!r.ok) return reportError(r.error, what === 'backup' ? 'Backing up the journal' : 'Exporting CSV');
    const rows = 'rows' in r.value ? ` (${r.value.rows} rows)` : '';
    useAppStore.getState().addLog({ level: 'info', message: `${what === 'backup' ? 'Journal backed up' : `Exported ${what}${rows}`} to ${r.value.path}`, at: Date.now() }, true);
  };

  const selected = useMemo(() => trades.find((t) => t.id === selectedId) ?? null, [trades, selectedId]);
  const o = summary?.overall;
  const unavailable = status !== null && !status.available;

  return (
    <div className="journal" data-testid="journal-panel">
      <div className="journal-toolbar">
        <input className="journal-input" value={underlyingText} onChange={(e) => setUnderlyingText(e.target.value)} placeholder="Underlying" aria-label="Filter by underlying" data-testid="journal-filter-underlying" />
        <select className="journal-input" value={filter.kind ?? ''} onChange={(e) => setFilter((f) => ({ ...f, kind: (e.target.value || undefined) as JournalTradeFilter['kind'] }))} aria-label="Filter by kind" data-testid="journal-filter-kind">
          <option value="">All kinds</option>
          {Object.entries(SPREAD_KIND_LABELS).map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
        <select className="journal-input" value={filter.status ?? ''} onChange={(e) => setFilter((f) => ({ ...f, status: (e.target.value || undefined) as JournalTradeFilter['status'] }))} aria-label="Filter by status" data-testid="journal-filter-status">
          <option value="">Open and closed</option>
          <option value="open">Open</option>
          <option value="closed">Closed</option>
        </select>
        <input className="journal-input" value={tagText} onChange={(e) => setTagText(e.target.value)} placeholder="Tag" aria-label="Filter by tag" data-testid="journal-filter-tag" />
        <span className="journal-count" data-testid="journal-count">
          {total === trades.length ? `${total} trades` : `${trades.length} of ${total} trades`}
        </span>
        <span className="spacer" />
        <button type="button" className="btn" disabled={busy !== null || unavailable} onClick={() => void act('trades')} data-testid="journal-export-trades">
          Export trades
        </button>
        <button type="button" className="btn" disabled={busy !== null || unavailable} onClick={() => void act('executions')} data-testid="journal-export-executions">
          Export fills
        </button>
        <button type="button" className="btn" disabled={busy !== null || unavailable} onClick={() => void act('backup')} data-testid="journal-backup">
          {busy === 'backup' ? 'Backing up…' : 'Backup'}
        </button>
      </div>
      {status && status.warnings.length > 0 ? (
        <div className={`journal-banner ${unavailable ? 'bad' : 'warn'}`} role="alert" data-testid="journal-warning">
          {status.warnings.join(' ')}
        </div>
      ) : null}
      {unavailable ? (
        <EmptyState title="Journal unavailable">Trading is disabled until the journal can be opened. The reason is above and in the log.</EmptyState>
      ) : total === 0 && Object.keys(filter).every((k) => filter[k as keyof JournalTradeFilter] === undefined) ? (
        <EmptyState title="Journal is empty">Every ticket, order and fill is recorded here; send a spread from the Ticket and it appears with its P&amp;L.</EmptyState>
      ) : (
        <div className="journal-body">
          <div className="journal-side">
            <div className="journal-tiles" data-testid="journal-tiles">
              <Tile label="Net P&L" value={signedMoney(o?.netPnl)} cls={tone(o?.netPnl)} testId="journal-tile-pnl" />
              <Tile label="Closed/open" value={`${o?.trades ?? 0} / ${summary?.openTrades ?? 0}`} />
              <Tile label="Win rate" value={percent(o?.winRate)} testId="journal-tile-winrate" />
              <Tile label="Expectancy" value={signedMoney(o?.expectancy)} cls={tone(o?.expectancy)} />
              <Tile label="Prof. factor" value={ratio(o?.profitFactor)} />
              <Tile label="Drawdown" value={money(o?.maxDrawdown)} cls={o && o.maxDrawdown > 0 ? 'loss' : ''} />
              <Tile label="Avg RoR" value={percent(o?.avgReturnOnRisk)} cls={tone(o?.avgReturnOnRisk)} />
              <Tile label="Avg slip" value={signedMoney(o?.avgSlippage)} />
            </div>
            {curve.length > 1 ? <EquityChart points={curve} /> : <p className="journal-chart-empty">The equity curve starts with the second closed trade.</p>}
          </div>
          <div className="journal-grid" data-testid="journal-grid">
            <AgGridReact<JournalTrade>
              theme={gridTheme}
              rowData={trades}
              columnDefs={COLUMNS}
              getRowId={(p: GetRowIdParams<JournalTrade>) => String(p.data.id)}
              rowSelection={{ mode: 'singleRow', checkboxes: false, enableClickSelection: true }}
              onRowClicked={(e) => setSelectedId(e.data?.id ?? null)}
              onCellKeyDown={(e) => {
                if ((e.event as KeyboardEvent | undefined)?.key === 'Enter' && e.data) setSelectedId(e.data.id);
              }}
              suppressCellFocus={false}
              animateRows={false}
              tooltipShowDelay={400}
            />
          </div>
          {selected ? (
            <TradeEditor
              trade={selected}
              onClose={() => setSelectedId(null)}
              onSaved={(t) => setTrades((list) => list.map((x) => (x.id === t.id ? t : x)))}
            />
          ) : null}
        </div>
      )}
    </div>
  );
}
