// The Scanner panel: watchlist and filters, Scan/Stop with progress and ETA, the ranked grid and the selected payoff.
import { useCallback, useEffect, useRef, type ReactNode } from 'react';
import { DEFAULT_PROBABILITY_MODEL, DEFAULT_SCAN_RATE, DEFAULT_WHAT_IF_TOP, type ScanPreset, type ScanProgress, type ScanRow, type ScannerForm, type ScannerGridState, type ScannerModel } from '../../../core/contract';
import { EmptyState, Panel } from '../../components/Panel';
import { useClient } from '../../platform/context';
import { reportError, useAppStore } from '../../stores/app-store';
import { useSelectionStore } from '../../stores/selection-store';
import { DEFAULT_MIN_PER_SYMBOL, FilterForm, PresetBar } from './FilterForm';
import { PayoffChart } from './PayoffChart';
import { ResultsGrid, type ResultsGridHandle } from './ResultsGrid';
import { SPREAD_KIND_LABELS } from '../../../core/spreads/vertical';
import { divLabel, divYieldText, etaLabel, expiryLabel, money, netLabel, openInterest, percent, signedMoney, strike, whatIfLine, whatIfTip } from './format';
import { bindScannerStore, isRunning, useScannerStore } from './scanner-store';
import './scanner.css';

const SCORE_LABELS: Record<ScannerForm['scoring']['by'], string> = { ror: 'ROR', pop: 'POP', evPerRisk: 'EV/risk', edge: 'model edge' };

/** The rank strip's score: POP and EV/risk name their probability model (σ = the expiry's smile). */
function scoreLabel(scoring: ScannerForm['scoring']): string {
  const label = SCORE_LABELS[scoring.by];
  if (scoring.by !== 'pop' && scoring.by !== 'evPerRisk') return label;
  return (scoring.probabilityModel ?? DEFAULT_PROBABILITY_MODEL) === 'smile' ? `${label} σ (smile)` : `${label} (lognormal)`;
}

function ProgressBar({ progress, evaluated, passed, rows }: { progress: ScanProgress | null; evaluated: number; passed: number; rows: number }) {
  if (!progress) {
    return (
      <div className="scan-progress scan-progress-idle" data-testid="scan-progress">
        <span className="scan-progress-text">Ready. Press Scan (or Enter in the watchlist).</span>
      </div>
    );
  }
  const pct = progress.planned > 0 ? Math.min(100, (progress.quoted / progress.planned) * 100) : progress.state === 'complete' ? 100 : 0;
  const errors = progress.symbols.filter((s) => s.error);
  const label = { planning: 'Planning', quoting: 'Quoting', complete: 'Complete', stopped: 'Stopped', failed: 'Failed' }[progress.state];
  return (
    <div className={`scan-progress scan-progress-${progress.state}`} data-testid="scan-progress" data-state={progress.state}>
      <div className="scan-bar" role="progressbar" aria-label="Scan progress" aria-valuemin={0} aria-valuemax={progress.planned} aria-valuenow={progress.quoted}>
        <div className="scan-bar-fill" style={{ width: `${pct}%` }} />
      </div>
      <span className="scan-progress-state">{label}</span>
      <span className="scan-progress-text mono" data-testid="scan-progress-count">
        {progress.quoted.toLocaleString('en-US')}/{progress.planned.toLocaleString('en-US')} quotes
      </span>
      <span className="scan-progress-text mono" data-testid="scan-eta">
        {isRunning(progress) ? etaLabel(progress.etaMs) : `${(progress.elapsedMs / 1000).toFixed(1)} s`}
      </span>
      <span className="scan-progress-text scan-progress-pass mono" title="Candidates evaluated / passing every filter in the latest ranking">
        {passed.toLocaleString('en-US')} of {evaluated.toLocaleString('en-US')} pass · {rows} shown
      </span>
      {progress.simulated ? <span className="tag tag-sim" title="Quotes from the local simulated exchange">SIM</span> : null}
      {progress.delayed ? <span className="tag scan-tag-delayed" title="Delayed market data">D</span> : null}
      {errors.length ? (
        <span className="scan-progress-warn" title={errors.map((e) => e.error).join('\n')} data-testid="scan-symbol-errors">
          ⚠ {errors.map((e) => e.symbol).join(', ')}
        </span>
      ) : null}
      <Dividends symbols={progress.symbols} />
      {progress.message ? <span className="scan-progress-msg" title={progress.message}>{progress.message}</span> : null}
    </div>
  );
}

type SymbolProgress = ScanProgress['symbols'][number];

/** Each symbol's q and where it came from (request, settings, IBKR or none), so a trader sees what POP and EV assumed. */
function Dividends({ symbols }: { symbols: readonly SymbolProgress[] }) {
  const priced = symbols.flatMap((s) =>
    s.divYield === undefined || s.divSource === undefined ? [] : [{ symbol: s.symbol, short: divYieldText(s.divYield, s.divSource), full: divLabel(s.divYield, s.divSource) as string, none: s.divSource === 'none' }],
  );
  if (priced.length === 0) return null;
  const title = `Dividend yield q per symbol: the request's, else your setting (More → Div yield %), else IBKR's dividends (next 12 months ÷ spot), else 0.\n${priced.map((p) => `${p.symbol}: ${p.full}`).join('\n')}`;
  const list = (ps: typeof priced) => ps.map((p) => `${p.symbol} ${p.short}`).join(' · ');
  // The symbols without any dividend data come first: they are the ones to act on, and a short line cuts the end off.
  const none = priced.filter((p) => p.none);
  const known = priced.filter((p) => !p.none);
  // Leaf spans only: each clips its own text (a nested span would stick out of the line when it is cut short).
  return (
    <>
      {none.length ? (
        <span className="scan-progress-div scan-div-none" title={title} data-testid="scan-div-none">
          q {list(none)}
        </span>
      ) : null}
      {known.length ? (
        <span className="scan-progress-div" title={title} data-testid="scan-div">
          {none.length ? '· ' : 'q '}
          {list(known)}
        </span>
      ) : null}
    </>
  );
}

function Fact({ label, children, wide = false }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={`scan-fact${wide ? ' scan-fact-wide' : ''}`}>
      <span className="label">{label}</span>
      <span className="num">{children}</span>
    </div>
  );
}

function Details({ row, symbol, onOpen }: { row: ScanRow | null; symbol: SymbolProgress | undefined; onOpen(row: ScanRow): void }) {
  if (!row) {
    return (
      <aside className="scan-details scan-details-empty" data-testid="scan-details">
        <p>Select a row to see its payoff. ↑/↓ move, Enter opens it in the Ticket.</p>
      </aside>
    );
  }
  return (
    <aside className="scan-details" data-testid="scan-details">
      <header className="scan-details-title">
        <strong>{row.symbol}</strong> {SPREAD_KIND_LABELS[row.kind]} {strike(row.shortStrike)}/{strike(row.longStrike)}
        <span className="scan-details-sub mono">
          {expiryLabel(row.expiry)} · {row.dte} DTE
        </span>
      </header>
      <PayoffChart row={row} />
      <div className="scan-facts">
        <Fact label="Mid">{netLabel(row.priceMid, row.isCredit)}</Fact>
        <Fact label="Natural">{netLabel(row.priceNatural, row.isCredit)}</Fact>
        <Fact label="Max P">{money(row.maxProfit)}</Fact>
        <Fact label="Max L">{money(row.maxLoss)}</Fact>
        <Fact label="BE">{row.breakeven.toFixed(2)}</Fact>
        <Fact label="Spot">{row.spot.toFixed(2)}</Fact>
        <Fact label="POP">{percent(row.pop)}</Fact>
        <Fact label="POP σ">{percent(row.popSmile ?? null)}</Fact>
        <Fact label="EV">{signedMoney(row.ev)}</Fact>
        <Fact label="EV σ">{signedMoney(row.evSmile ?? null)}</Fact>
        {row.probabilityModel ? (
          <Fact label="Ranked on" wide>
            {row.probabilityModel === 'smile' ? 'the smile (σ)' : row.popSmile === null || row.popSmile === undefined ? 'lognormal: too few IVs for a smile' : 'lognormal'}
          </Fact>
        ) : null}
        <Fact label="OI short/long" wide>
          {openInterest(row.short.openInterest)}/{openInterest(row.long.openInterest)}
        </Fact>
      </div>
      <div className="scan-fact scan-fact-div" data-testid="scan-details-what-if" title={whatIfTip(row)}>
        {whatIfLine(row)}
      </div>
      <div className="scan-fact scan-fact-div" data-testid="scan-details-div" title="The dividend yield POP, EV and edge assumed, and where it came from">
        {divLabel(symbol?.divYield, symbol?.divSource) ?? 'q not known yet'}
      </div>
      <button type="button" className="btn btn-primary scan-open" onClick={() => onOpen(row)} data-testid="scan-open-ticket" title="Open in the Ticket (Enter)">
        Open in Ticket ⏎
      </button>
    </aside>
  );
}

export function ScannerPanel() {
  const client = useClient();
  const settings = useAppStore((s) => s.settings);
  const connection = useAppStore((s) => s.connection);
  const { form, formLoaded, progress, rows, evaluated, passed, starting, scanId, autoRefreshSec, refreshing } = useScannerStore();
  const selected = useSelectionStore((s) => s.selected);
  const symbolsRef = useRef<HTMLInputElement>(null);
  const gridRef = useRef<ResultsGridHandle>(null);
  const connected = connection?.state === 'connected';
  const running = isRunning(progress) || starting;
  const presets: ScanPreset[] = settings?.ui.scannerPresets ?? [];

  useEffect(() => bindScannerStore(client), [client]);
  useEffect(() => {
    if (settings) useScannerStore.getState().loadForm(settings.ui.scannerForm);
  }, [settings]);

  // `/` focuses the watchlist from anywhere but a text field.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return;
      e.preventDefault();
      symbolsRef.current?.focus();
      symbolsRef.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const saveUi = useCallback(
    (patch: { scannerForm?: ScannerForm; scannerGrid?: ScannerGridState; scannerModel?: ScannerModel }, what: string) => {
      void client.invoke('settings.update', { patch: { ui: patch } }).then((r) => {
        if (r.ok) useAppStore.setState({ settings: r.value });
        else reportError(r.error, what);
      });
    },
    [client],
  );

  const scan = useCallback(() => {
    const { form: f, autoRefreshSec: refresh } = useScannerStore.getState();
    if (f.symbols.length === 0) {
      symbolsRef.current?.focus();
      return;
    }
    useScannerStore.setState({ starting: true, rows: [], progress: null, evaluated: 0, passed: 0, final: false, scanId: null, refreshing: refresh !== null });
    useSelectionStore.getState().select(null);
    saveUi({ scannerForm: f }, 'Saving the scanner form');
    // OI ≥ is off (OI is known only for the rows on screen, after the scan), so a form saved with one does not empty the scan.
    void client.invoke('scan.start', { symbols: f.symbols, filters: { ...f.filters, minOi: undefined }, scoring: f.scoring, top: f.top, topPerSymbol: f.topPerSymbol, minPerSymbol: f.minPerSymbol ?? DEFAULT_MIN_PER_SYMBOL, whatIfTop: f.whatIfTop ?? DEFAULT_WHAT_IF_TOP, ...(refresh ? { autoRefreshSec: refresh } : {}) }).then((r) => {
      if (r.ok) useScannerStore.setState({ scanId: r.value.scanId, starting: false });
      else {
        useScannerStore.setState({ starting: false });
        reportError(r.error, 'Scan');
      }
    });
  }, [client, saveUi]);

  // The rows on screen go to the main process for auto-refresh; the last list is sent again once the scan has its id.
  const viewport = useRef<string[] | null>(null);
  const sendViewport = useCallback(
    (fingerprints: string[]) => {
      viewport.current = fingerprints;
      if (!scanId) return;
      void client.invoke('scan.viewport', { scanId, fingerprints }).then((r) => {
        if (!r.ok) reportError(r.error, 'Reporting the rows on screen');
      });
    },
    [client, scanId],
  );
  useEffect(() => {
    if (viewport.current) sendViewport(viewport.current);
  }, [sendViewport]);

  const stop = useCallback(() => {
    useScannerStore.setState({ refreshing: false });
    void client.invoke('scan.stop', { scanId: scanId ?? undefined }).then((r) => {
      if (!r.ok) reportError(r.error, 'Stopping the scan');
    });
  }, [client, scanId]);

  const savePreset = (name: string) => {
    const f = useScannerStore.getState().form;
    void client.invoke('scan.savePreset', { preset: { name, ...f } }).then((r) => {
      if (!r.ok) reportError(r.error, 'Saving the preset');
    });
  };
  const deletePreset = (name: string) => {
    void client.invoke('scan.deletePreset', { name }).then((r) => {
      if (!r.ok) reportError(r.error, 'Deleting the preset');
    });
  };

  const openInTicket = useCallback((row: ScanRow) => {
    useSelectionStore.getState().openInTicket(row);
    useAppStore.getState().addLog({ level: 'info', message: `Sent ${row.symbol} ${SPREAD_KIND_LABELS[row.kind]} ${strike(row.shortStrike)}/${strike(row.longStrike)} ${expiryLabel(row.expiry)} to the Ticket.`, at: Date.now() }, false);
  }, []);

  const actions = (
    <>
      <PresetBar presets={presets} onLoad={(f) => useScannerStore.getState().setForm(f)} onSave={savePreset} onDelete={deletePreset} />
      {running ? (
        <button type="button" className="btn btn-small scan-stop" onClick={stop} data-testid="scan-stop" title="Stop the scan; rows so far stay">
          Stop
        </button>
      ) : refreshing && progress?.state === 'complete' ? (
        <button type="button" className="btn btn-small scan-stop" onClick={stop} data-testid="scan-stop-refresh" title={`Rows are re-quoted every ${autoRefreshSec ?? ''} s; stop that`}>
          Stop refresh
        </button>
      ) : null}
      {running ? null : (
        <button
          type="button"
          className="btn btn-small btn-primary"
          onClick={scan}
          disabled={!connected || !formLoaded}
          data-testid="scan-start"
          title={connected ? 'Scan the watchlist (Enter in the watchlist box)' : 'Connect to a profile first'}
        >
          Scan
        </button>
      )}
    </>
  );

  let body: ReactNode;
  if (rows.length === 0 && !running) {
    body = !connected ? (
      <EmptyState title="Connect to a profile to scan">Local paper needs no account: connect from the Diagnostics tab, then add symbols and press Scan.</EmptyState>
    ) : progress?.state === 'stopped' ? (
      <EmptyState title="Scan stopped">No spread had passed the filters yet. Press Scan to run it again.</EmptyState>
    ) : progress?.state === 'failed' ? (
      <EmptyState title="The scan failed">{progress.message ?? 'See the message log for the broker’s answer.'}</EmptyState>
    ) : progress?.state === 'complete' ? (
      <EmptyState title="No spread passed the filters">Widen the delta band or the widths, lower the minimums, or add symbols, then scan again.</EmptyState>
    ) : (
      <EmptyState title="Add symbols and press Scan">
        The scanner ranks bull call, bear put, bull put and bear call spreads across your watchlist by return on risk, POP, EV or model edge.
      </EmptyState>
    );
  } else {
    body = (
      <div className="scan-body">
        <ResultsGrid
          ref={gridRef}
          rows={rows}
          rankedBy={`${scoreLabel(form.scoring)} @ ${form.scoring.basis}`}
          minPerSymbol={form.minPerSymbol ?? DEFAULT_MIN_PER_SYMBOL}
          selected={selected?.fingerprint ?? null}
          initialState={settings?.ui.scannerGrid}
          onSelect={(r) => useSelectionStore.getState().select(r)}
          onOpen={openInTicket}
          onStateChange={(s) => saveUi({ scannerGrid: s }, 'Saving the grid layout')}
          onViewport={sendViewport}
        />
        <Details row={selected} symbol={selected ? progress?.symbols.find((s) => s.symbol === selected.symbol) : undefined} onOpen={openInTicket} />
      </div>
    );
  }

  return (
    <Panel title="Scanner" testId="panel-scanner" actions={actions}>
      <div className="scanner" data-testid="scanner">
        <FilterForm ref={symbolsRef} form={form} onChange={(f) => useScannerStore.getState().setForm(f)} onScan={() => !running && connected && scan()} onSymbolsArrowDown={() => gridRef.current?.focusFirstRow()} autoRefreshSec={autoRefreshSec} onAutoRefresh={(sec) => useScannerStore.setState({ autoRefreshSec: sec })} model={settings?.ui.scannerModel ?? { rate: DEFAULT_SCAN_RATE, divYields: {} }} onModel={(m) => saveUi({ scannerModel: m }, 'Saving the rate and dividend yields')} />
        <ProgressBar progress={progress} evaluated={evaluated} passed={passed} rows={rows.length} />
        {body}
      </div>
    </Panel>
  );
}
