// The ranked results grid: one row per spread, identified by fingerprint so updates land in place without scrolling.
import { forwardRef, useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import {
  type CellFocusedEvent,
  type CellKeyDownEvent,
  type ColDef,
  type ColumnState,
  type GetRowIdParams,
  type GridApi,
  type GridReadyEvent,
  type IRowNode,
  type RowClassParams,
} from 'ag-grid-community';
import type { ScanRow, ScannerGridState } from '../../../core/contract';
import { terminalGridTheme } from '../../components/grid-theme';
import { SPREAD_KIND_LABELS } from '../../../core/spreads/vertical';
import { NO_SMILE, UNKNOWN_IV, ageLabel, expiryLabel, greek, liveState, money, netLabel, openInterest, percent, signedMoney, strike, whatIfCellTip } from './format';

const gridTheme = terminalGridTheme({ rowHeight: 22, headerHeight: 24, spacing: 3, cellHorizontalPadding: 6 });

/** A row as the grid holds it: the scan row plus its rank in the scanner's order. */
export interface GridRow extends ScanRow {
  rank: number;
}

const num = (extra = ''): Partial<ColDef<GridRow>> => ({ type: 'rightAligned', cellClass: `num ${extra}`.trim(), filter: 'agNumberColumnFilter' });

const COMPLETENESS: Record<ScanRow['completeness'], string> = { complete: 'ok', partial: 'partial', stale: 'stale' };

/** The grid's clock (ms), read by the live age and state cells; ResultsGrid moves it every second. */
const clock = { now: Date.now() };
/** An empty metric cell says why it is empty. */
const unknownTip = (p: { value?: unknown }): string | undefined => (p.value === null || p.value === undefined ? UNKNOWN_IV : undefined);
/** An empty smile cell: the expiry had too few implied volatilities for a smile (smile ranking used the lognormal figure). */
const unknownSmileTip = (p: { value?: unknown }): string | undefined => (p.value === null || p.value === undefined ? NO_SMILE : undefined);
/** The rank cell says which probability model its score came from when the score is a POP or EV/risk. */
const rankTip = (p: { data?: GridRow | undefined }): string | undefined =>
  p.data?.probabilityModel === 'smile' ? "Ranked by the smile's figure (σ)" : p.data?.probabilityModel === 'lognormal' ? `Ranked by the lognormal figure${p.data.popSmile === null ? `: ${NO_SMILE.toLowerCase()}` : ''}` : undefined;
const signedCell = (p: { value?: unknown }) => (typeof p.value === 'number' ? `num ${p.value >= 0 ? 'gain' : 'loss'}` : 'num');

/** A what-if number; a row that was asked but got none shows a dash, one never asked stays empty (tooltips say why). */
const whatIfCell = (p: { value?: unknown; data?: GridRow }): string => (typeof p.value === 'number' ? money(p.value) : p.data?.whatIf || p.data?.whatIfUnavailable ? '—' : '');

// The key columns (rank to Δ, about 700 px with the pinned three) are shown by default so they fit the scanner panel
// beside the details pane and the Ticket at 1440 px; the rest (hide: true) are one click away in the Columns chooser.
const COLUMNS: ColDef<GridRow>[] = [
  { field: 'rank', headerName: '#', width: 30, pinned: 'left', ...num('dim'), headerTooltip: 'Rank by the chosen score (ties by fingerprint); a POP or EV/risk rank says which model it used', tooltipValueGetter: rankTip },
  { field: 'symbol', headerName: 'Symbol', width: 56, pinned: 'left', filter: 'agTextColumnFilter' },
  {
    // Pinned beside the symbol: whether a row's numbers are current must be visible without scrolling.
    field: 'completeness',
    headerName: 'Data',
    width: 44,
    pinned: 'left',
    headerTooltip: 'ok: quotes, IV and delta known and fresh · partial: IV or delta missing (no POP/EV) · stale: a quote older than a minute (its numbers are that old)',
    valueGetter: (p) => (p.data ? liveState(p.data, clock.now).state : null),
    cellRenderer: (p: { value: ScanRow['completeness'] | null; data?: GridRow }) => {
      if (!p.value) return null;
      const age = p.value === 'stale' && p.data ? ageLabel(liveState(p.data, clock.now).ageMs) : '';
      return (
        <span className={`scan-badge scan-badge-${p.value}`} data-state={p.value} title={p.value === 'stale' ? `The older leg quote is ${age} old: every number in this row is that old.` : undefined}>
          {/* A stale row shows its age (the row is faded and italic too); the full word is in the tooltip. */}
          {p.value === 'stale' && age && age !== '—' ? age : COMPLETENESS[p.value]}
        </span>
      );
    },
    filter: 'agTextColumnFilter',
  },
  { field: 'kind', headerName: 'Kind', width: 68, valueFormatter: (p) => SPREAD_KIND_LABELS[p.value as ScanRow['kind']] ?? String(p.value), filter: 'agTextColumnFilter' },
  {
    field: 'expiry',
    headerName: 'Expiry',
    width: 80,
    headerTooltip: 'Expiry (month-day) and calendar days to it; the year and a DTE column are in the tooltip and the Columns chooser',
    valueFormatter: (p) => (p.data ? `${String(p.value).slice(4, 6)}-${String(p.value).slice(6)} ${p.data.dte}d` : ''),
    tooltipValueGetter: (p) => expiryLabel(String(p.value)),
    cellClass: 'num',
    filter: 'agTextColumnFilter',
  },
  { field: 'dte', headerName: 'DTE', width: 50, hide: true, ...num() },
  { colId: 'strikes', headerName: 'Strikes', width: 92, headerTooltip: 'Short / long strike', valueGetter: (p) => (p.data ? `${strike(p.data.shortStrike)}/${strike(p.data.longStrike)}` : ''), cellClass: 'num', filter: 'agTextColumnFilter', comparator: (_a, _b, x, y) => (x.data?.shortStrike ?? 0) - (y.data?.shortStrike ?? 0) },
  { field: 'width', headerName: 'Width', width: 56, hide: true, valueFormatter: (p) => strike(p.value as number), ...num() },
  { field: 'priceMid', headerName: 'Mid', width: 64, headerTooltip: 'Net credit (cr) or debit (db) per share at mid', valueFormatter: (p) => (p.data ? netLabel(p.data.priceMid, p.data.isCredit) : ''), ...num() },
  { field: 'priceNatural', headerName: 'Natural', width: 78, hide: true, headerTooltip: 'Net credit (cr) or debit (db) per share crossing both spreads', valueFormatter: (p) => (p.data ? netLabel(p.data.priceNatural, p.data.isCredit) : ''), ...num() },
  { field: 'maxProfit', headerName: 'Max P', width: 72, hide: true, headerTooltip: 'Max profit per spread, $', valueFormatter: (p) => money(p.value as number), ...num() },
  { field: 'maxLoss', headerName: 'Max L', width: 72, hide: true, headerTooltip: 'Max loss per spread, $', valueFormatter: (p) => money(p.value as number), ...num() },
  { field: 'ror', headerName: 'ROR', width: 52, headerTooltip: 'Return on risk: max profit ÷ max loss', valueFormatter: (p) => percent(p.value as number), ...num() },
  { field: 'pop', headerName: 'POP', width: 50, headerTooltip: "Probability of profit at expiry: lognormal at one leg's implied volatility", valueFormatter: (p) => percent(p.value as number | null), tooltipValueGetter: unknownTip, ...num() },
  {
    colId: 'popSmile',
    headerName: 'POP σ',
    width: 54,
    headerTooltip: "Probability of profit from the expiry's own volatility smile (risk-neutral, Breeden–Litzenberger)",
    valueGetter: (p) => p.data?.popSmile ?? null,
    valueFormatter: (p) => percent(p.value as number | null),
    tooltipValueGetter: unknownSmileTip,
    ...num(),
  },
  { field: 'ev', headerName: 'EV', width: 56, headerTooltip: "Expected value at expiry per spread, $: lognormal at each leg's implied volatility", valueFormatter: (p) => signedMoney(p.value as number | null), tooltipValueGetter: unknownTip, ...num(), cellClass: signedCell },
  {
    // Beside EV but off by default: the key columns must fit 1440 px beside the details and the Ticket, and on rows
    // whose legs are both out of the money on the smile's side EV σ equals EV (both are the legs' own forward prices).
    colId: 'evSmile',
    headerName: 'EV σ',
    width: 56,
    hide: true,
    headerTooltip: "Expected value at expiry per spread, $, from the expiry's own volatility smile (risk-neutral, undiscounted like EV)",
    valueGetter: (p) => p.data?.evSmile ?? null,
    valueFormatter: (p) => signedMoney(p.value as number | null),
    tooltipValueGetter: unknownSmileTip,
    ...num(),
    cellClass: signedCell,
  },
  { field: 'shortDelta', headerName: 'Δ', width: 48, headerTooltip: "The short leg's delta", valueFormatter: (p) => greek(p.value as number | null), tooltipValueGetter: unknownTip, ...num() },
  { field: 'shortIv', headerName: 'IV', width: 58, hide: true, headerTooltip: 'Implied volatility of the short leg', valueFormatter: (p) => percent(p.value as number | null), tooltipValueGetter: unknownTip, ...num() },
  { field: 'worstLegSpreadOfMid', headerName: 'B/A %', width: 62, headerTooltip: "The worse leg's bid-ask as % of its mid", valueFormatter: (p) => percent(p.value as number), ...num() },
  { field: 'minOi', headerName: 'Min OI', width: 64, hide: true, headerTooltip: 'Smaller open interest of the two legs, asked for the rows on screen once the scan has ranked its top, once a day per leg (— until then, or when the broker sent none)', valueFormatter: (p) => openInterest(p.value as number | null), ...num() },
  {
    field: 'quoteAgeMs',
    headerName: 'Age',
    width: 52,
    headerTooltip: 'Age of the older leg quote now (it keeps counting after the scan ends)',
    valueGetter: (p) => (p.data ? liveState(p.data, clock.now).ageMs : null),
    valueFormatter: (p) => ageLabel(p.value as number | null),
    ...num(),
  },
  {
    // Broker-verified rows: IBKR's what-if for the scan's best rows only; a blank cell's tooltip says why it is blank.
    colId: 'whatIfMargin',
    headerName: 'Margin',
    width: 64,
    headerTooltip: "IBKR's what-if: the account's initial margin change for opening one spread at the conservative mid, $ (only the scan's best rows are asked)",
    valueGetter: (p) => p.data?.whatIf?.initMarginChange ?? null,
    valueFormatter: whatIfCell,
    tooltipValueGetter: (p) => whatIfCellTip(p.data, p.value as number | null),
    ...num(),
  },
  {
    colId: 'whatIfCommission',
    headerName: 'Comm.',
    width: 54,
    hide: true,
    headerTooltip: "IBKR's what-if: the commission of opening one spread, $ (only the scan's best rows are asked)",
    valueGetter: (p) => p.data?.whatIf?.commission ?? null,
    valueFormatter: whatIfCell,
    tooltipValueGetter: (p) => whatIfCellTip(p.data, p.value as number | null),
    ...num(),
  },
  { field: 'edge', headerName: 'Edge', width: 64, hide: true, headerTooltip: 'Model value − price, per spread, $', valueFormatter: (p) => signedMoney(p.value as number | null), ...num() },
  { field: 'evPerRisk', headerName: 'EV/risk', width: 64, hide: true, valueFormatter: (p) => percent(p.value as number | null), ...num() },
  { colId: 'evPerRiskSmile', headerName: 'EV/risk σ', width: 70, hide: true, headerTooltip: 'EV σ ÷ max loss', valueGetter: (p) => p.data?.evPerRiskSmile ?? null, valueFormatter: (p) => percent(p.value as number | null), tooltipValueGetter: unknownSmileTip, ...num() },
  { field: 'breakeven', headerName: 'BE', width: 66, hide: true, valueFormatter: (p) => (p.value as number).toFixed(2), ...num() },
];

// One object for the grid's life: a new defaultColDef on a render makes the grid re-apply every column definition,
// which put each `hide: true` column back to hidden a moment after the Columns chooser (or a saved layout) showed it.
const DEFAULT_COL_DEF: ColDef<GridRow> = { sortable: true, resizable: true, filter: true, suppressHeaderMenuButton: false };

export interface ResultsGridHandle {
  /** Puts keyboard focus on the first row (from the watchlist box, ArrowDown). */
  focusFirstRow(): void;
}

export interface ResultsGridProps {
  rows: readonly ScanRow[];
  /** What the scan ranked by (e.g. "ROR @ mid") and its per-symbol quota, for the strip above the grid. */
  rankedBy: string;
  minPerSymbol: number;
  selected: string | null;
  initialState: ScannerGridState | undefined;
  onSelect(row: ScanRow): void;
  onOpen(row: ScanRow): void;
  onStateChange(state: ScannerGridState): void;
  /** The fingerprints of the rows on screen, after scrolling, sorting, filtering or new results settle (debounced). */
  onViewport?(fingerprints: string[]): void;
}

/** The rows on screen are read this long after the first scroll or model update (one call per window, not per frame). */
const VIEWPORT_DEBOUNCE_MS = 250;

/** The rows whose box meets the grid's visible pixel band, in display order (the rendered buffer rows above and below are not on screen). */
function visibleFingerprints(api: GridApi<GridRow>): string[] {
  const first = api.getFirstDisplayedRowIndex();
  const last = api.getLastDisplayedRowIndex();
  if (first < 0 || last < first) return [];
  const { top, bottom } = api.getVerticalPixelRange();
  const out: string[] = [];
  for (let i = first; i <= last; i++) {
    const node = api.getDisplayedRowAtIndex(i);
    if (!node?.data || node.rowTop === null || node.rowHeight === null || node.rowHeight === undefined) continue;
    if (node.rowTop + node.rowHeight > top && node.rowTop < bottom) out.push(node.data.fingerprint);
  }
  return out;
}

function toState(api: GridApi<GridRow>): ScannerGridState {
  const columns = api.getColumnState().map((c: ColumnState) => {
    const out: ScannerGridState['columns'][number] = { colId: c.colId };
    if (typeof c.width === 'number') out.width = Math.round(c.width);
    if (c.hide !== undefined && c.hide !== null) out.hide = c.hide;
    if (c.sort !== undefined) out.sort = c.sort ?? null;
    if (c.sortIndex !== undefined) out.sortIndex = c.sortIndex ?? null;
    if (c.pinned === 'left' || c.pinned === 'right' || c.pinned === null) out.pinned = c.pinned;
    return out;
  });
  return { columns, filterModel: api.getFilterModel() as Record<string, unknown> };
}

/** What the trader sees of the grid's own sort and filters (they persist across scans, so they must be visible). */
interface GridView {
  sort: Array<{ colId: string; header: string; dir: 'asc' | 'desc' }>;
  filtered: string[];
  shown: number;
  columns: Array<{ colId: string; header: string; visible: boolean }>;
}

const EMPTY_VIEW: GridView = { sort: [], filtered: [], shown: 0, columns: [] };

function readView(g: GridApi<GridRow>): GridView {
  const header = (colId: string): string => {
    const col = g.getColumn(colId);
    return (col ? g.getDisplayNameForColumn(col, null) : null) ?? colId;
  };
  const sort = g
    .getColumnState()
    .filter((c) => c.sort === 'asc' || c.sort === 'desc')
    .sort((a, b) => (a.sortIndex ?? 0) - (b.sortIndex ?? 0))
    .map((c) => ({ colId: c.colId, header: header(c.colId), dir: c.sort as 'asc' | 'desc' }));
  const filtered = Object.keys(g.getFilterModel() ?? {}).map(header);
  const columns = (g.getColumns() ?? []).map((c) => ({ colId: c.getColId(), header: header(c.getColId()), visible: c.isVisible() }));
  return { sort, filtered, shown: g.getDisplayedRowCount(), columns };
}

/**
 * The strip above the grid: what the rows are ranked by, the grid's own sort and filters (saved with the layout and
 * re-applied to the next scan, so shown here with a Clear) and the Columns chooser.
 */
function GridStrip({ view, total, rankedBy, minPerSymbol, onClearSort, onClearFilters, onToggle }: { view: GridView; total: number; rankedBy: string; minPerSymbol: number; onClearSort(): void; onClearFilters(): void; onToggle(colId: string, visible: boolean): void }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="scan-strip" data-testid="scan-grid-strip">
      <span data-testid="scan-ranked-by" title="The scan keeps the best rows by this score; each symbol with candidates keeps at least its quota of them">
        Ranked by {rankedBy}
        {minPerSymbol > 0 ? ` · ≥ ${minPerSymbol} per symbol` : ''}
      </span>
      {view.sort.length > 0 ? (
        <span className="scan-strip-note" data-testid="scan-grid-sort" title="Sorting re-orders the rows the scan kept; it does not re-rank the market (choose Rank by in the form for that). The sort is saved with the layout and applies to the next scan too.">
          Sorted by {view.sort.map((x) => `${x.header} ${x.dir === 'asc' ? '↑' : '↓'}`).join(', ')}: re-orders the {total} kept rows
          <button type="button" className="btn btn-small scan-strip-btn" data-testid="scan-grid-sort-clear" onClick={onClearSort}>
            Clear
          </button>
        </span>
      ) : null}
      {view.filtered.length > 0 ? (
        <span className="scan-strip-note" data-testid="scan-grid-filter">
          Filter {view.filtered.join(', ')}: {view.shown} of {total} shown
          <button type="button" className="btn btn-small scan-strip-btn" data-testid="scan-grid-filter-clear" onClick={onClearFilters}>
            Clear
          </button>
        </span>
      ) : null}
      <span className="scan-columns">
        <button type="button" className="btn btn-small scan-strip-btn" aria-expanded={open} data-testid="scan-columns" onClick={() => setOpen(!open)}>
          Columns ▾
        </button>
        {open ? (
          <span className="scan-columns-menu" role="menu" data-testid="scan-columns-menu">
            {view.columns.map((c) => (
              <label key={c.colId} className="scan-columns-item">
                <input type="checkbox" checked={c.visible} onChange={(e) => onToggle(c.colId, e.target.checked)} /> {c.header}
              </label>
            ))}
          </span>
        ) : null}
      </span>
    </div>
  );
}

export const ResultsGrid = forwardRef<ResultsGridHandle, ResultsGridProps>(function ResultsGrid({ rows, rankedBy, minPerSymbol, selected, initialState, onSelect, onOpen, onStateChange, onViewport }, ref) {
  const api = useRef<GridApi<GridRow> | null>(null);
  const [view, setView] = useState<GridView>(EMPTY_VIEW);
  const refreshView = useCallback(() => {
    const g = api.current;
    if (g && !g.isDestroyed()) setView(readView(g));
  }, []);
  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // The rows on screen, reported once scrolling or a burst of frames pauses, and only when they changed.
  const viewportTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const viewportSent = useRef('');
  const onViewportRef = useRef(onViewport);
  onViewportRef.current = onViewport;
  // A pending report is left to run rather than pushed back: model updates can come faster than the wait (frames at
  // 10 Hz while a scan streams), and pushing back would never report until they stop.
  const reportViewport = useCallback(() => {
    if (viewportTimer.current) return;
    viewportTimer.current = setTimeout(() => {
      viewportTimer.current = null;
      const g = api.current;
      if (!g || g.isDestroyed() || !onViewportRef.current) return;
      const fps = visibleFingerprints(g);
      const key = fps.join('|');
      if (key === viewportSent.current) return;
      viewportSent.current = key;
      onViewportRef.current(fps);
    }, VIEWPORT_DEBOUNCE_MS);
  }, []);
  const restoring = useRef(false);
  const data = useMemo<GridRow[]>(() => {
    clock.now = Date.now();
    return rows.map((r, i) => ({ ...r, rank: i + 1 }));
  }, [rows]);

  useImperativeHandle(ref, () => ({
    focusFirstRow() {
      const g = api.current;
      if (!g || g.getDisplayedRowCount() === 0) return;
      g.ensureIndexVisible(0);
      g.setFocusedCell(0, 'symbol');
    },
  }));

  const save = useCallback(() => {
    if (restoring.current || !api.current) return;
    if (saveTimer.current) clearTimeout(saveTimer.current);
    saveTimer.current = setTimeout(() => {
      saveTimer.current = null;
      const g = api.current;
      if (g && !g.isDestroyed()) onStateChange(toState(g));
    }, 600);
  }, [onStateChange]);

  // Quotes keep ageing after the last frame: once a second the age and data cells (and the stale fade) are re-read.
  // Only rows that just turned stale are redrawn (for the fade), so focus and scroll stay where they are.
  const staleShown = useRef(new Set<string>());
  useEffect(() => {
    const timer = setInterval(() => {
      clock.now = Date.now();
      const g = api.current;
      if (!g || g.isDestroyed()) return;
      g.refreshCells({ columns: ['quoteAgeMs', 'completeness'] });
      const turned: IRowNode<GridRow>[] = [];
      g.forEachNode((node) => {
        if (!node.data) return;
        const stale = liveState(node.data, clock.now).state === 'stale';
        if (stale !== staleShown.current.has(node.data.fingerprint)) {
          if (stale) staleShown.current.add(node.data.fingerprint);
          else staleShown.current.delete(node.data.fingerprint);
          turned.push(node);
        }
      });
      if (turned.length) g.redrawRows({ rowNodes: turned });
    }, 1_000);
    return () => clearInterval(timer);
  }, []);

  // The grid goes away when a new scan clears the rows: a pending save must not touch the destroyed API.
  useEffect(
    () => () => {
      if (saveTimer.current) clearTimeout(saveTimer.current);
      saveTimer.current = null;
      if (viewportTimer.current) clearTimeout(viewportTimer.current);
      viewportTimer.current = null;
      api.current = null;
    },
    [],
  );

  const onGridReady = (e: GridReadyEvent<GridRow>) => {
    api.current = e.api;
    if (initialState) {
      restoring.current = true;
      e.api.applyColumnState({ state: initialState.columns as ColumnState[], applyOrder: true });
      e.api.setFilterModel(initialState.filterModel);
      restoring.current = false;
    }
    setView(readView(e.api));
  };

  return (
    <div className="scan-grid-wrap">
      <GridStrip
        view={view}
        total={rows.length}
        rankedBy={rankedBy}
        minPerSymbol={minPerSymbol}
        onClearSort={() => api.current?.applyColumnState({ defaultState: { sort: null } })}
        onClearFilters={() => api.current?.setFilterModel(null)}
        onToggle={(colId, visible) => api.current?.setColumnsVisible([colId], visible)}
      />
    <div className="scan-grid" data-testid="scan-grid">
      <AgGridReact<GridRow>
        theme={gridTheme}
        rowData={data}
        columnDefs={COLUMNS}
        defaultColDef={DEFAULT_COL_DEF}
        getRowId={(p: GetRowIdParams<GridRow>) => p.data.fingerprint}
        rowSelection={{ mode: 'singleRow', checkboxes: false, enableClickSelection: true }}
        rowClassRules={{ 'scan-row-stale': (p: RowClassParams<GridRow>) => !!p.data && liveState(p.data, clock.now).state === 'stale', 'scan-row-selected': (p: RowClassParams<GridRow>) => p.data?.fingerprint === selected }}
        onGridReady={onGridReady}
        onRowClicked={(e) => e.data && onSelect(e.data)}
        onCellFocused={(e: CellFocusedEvent<GridRow>) => {
          if (e.rowIndex === null || e.rowIndex === undefined || !api.current) return;
          const node = api.current.getDisplayedRowAtIndex(e.rowIndex);
          if (node?.data && node.data.fingerprint !== selected) {
            node.setSelected(true);
            onSelect(node.data);
          }
        }}
        onCellKeyDown={(e: CellKeyDownEvent<GridRow>) => {
          if ((e.event as KeyboardEvent | undefined)?.key === 'Enter' && e.data) onOpen(e.data);
        }}
        onRowDoubleClicked={(e) => e.data && onOpen(e.data)}
        onSortChanged={() => {
          save();
          refreshView();
        }}
        onFilterChanged={() => {
          save();
          refreshView();
        }}
        onModelUpdated={() => {
          refreshView();
          reportViewport();
        }}
        onBodyScroll={reportViewport}
        onViewportChanged={reportViewport}
        onColumnResized={(e) => e.finished && save()}
        onColumnMoved={(e) => e.finished && save()}
        onColumnVisible={() => {
          save();
          refreshView();
        }}
        onColumnPinned={save}
        suppressCellFocus={false}
        animateRows={false}
        suppressScrollOnNewData
        // About twenty columns: every cell stays in the DOM, so what a test or a screen reader finds is what the row holds.
        suppressColumnVirtualisation
        tooltipShowDelay={400}
        overlayNoRowsTemplate="<span class='scan-grid-empty'>No rows yet</span>"
      />
    </div>
    </div>
  );
});
