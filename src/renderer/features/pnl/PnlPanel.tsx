// The P&L tab: account tiles (net liq, day P&L, realised, unrealised, buying power), the book's intraday P&L line, and the equity curve from the journal.
import { useCallback, useEffect, useRef, useState } from 'react';
import { BaselineSeries, createChart, type IChartApi, type ISeriesApi } from 'lightweight-charts';
import { pnlBaselineColors, pnlChartChrome } from '../../components/pnl-chart';
import { useClient } from '../../platform/context';
import { useAppStore } from '../../stores/app-store';
import { EquityChart, toSeries, type EquityPoint } from '../journal/EquityChart';
import { money, signedMoney, tone } from '../journal/format';
import { usePositionsStore, type PnlPoint } from '../positions/positions-store';
import './pnl.css';

function Tile({ label, value, cls = '', note, testId }: { label: string; value: string; cls?: string; note?: string; testId?: string }) {
  return (
    <div className="pnl-tile">
      <span className="label">{label}</span>
      <span className={`pnl-tile-value ${cls}`} data-testid={testId}>{value}</span>
      {note ? <span className="pnl-tile-note">{note}</span> : null}
    </div>
  );
}

/** The book's total P&L as it streamed this session (lightweight-charts, updated in place). */
function IntradayChart({ points }: { points: readonly PnlPoint[] }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const series = useRef<ISeriesApi<'Baseline'> | null>(null);
  useEffect(() => {
    if (!host.current) return;
    const c = createChart(host.current, { ...pnlChartChrome(11), rightPriceScale: { borderVisible: false }, timeScale: { borderVisible: false, timeVisible: true, secondsVisible: true } });
    series.current = c.addSeries(BaselineSeries, { ...pnlBaselineColors(0.25, 0.02), priceFormat: { type: 'price', precision: 2, minMove: 0.01 } });
    chart.current = c;
    return () => {
      c.remove();
      chart.current = null;
      series.current = null;
    };
  }, []);
  useEffect(() => {
    series.current?.setData(toSeries(points.map((p) => ({ t: p.t, equity: p.total }))));
    chart.current?.timeScale().fitContent();
  }, [points]);
  return <div className="pnl-chart" ref={host} data-testid="pnl-intraday-chart" />;
}

export function PnlPanel() {
  const client = useClient();
  const summary = usePositionsStore((s) => s.summary);
  const intraday = usePositionsStore((s) => s.intraday);
  const transport = useAppStore((s) => s.transport);
  const [curve, setCurve] = useState<EquityPoint[]>([]);

  const loadCurve = useCallback(async () => {
    const r = await client.invoke('journal.equityCurve', { maxPoints: 800 });
    if (r.ok) setCurve(r.value.points);
  }, [client]);
  useEffect(() => {
    if (transport !== 'open') return;
    void loadCurve();
    // A closed trade moves the curve: reload on journal changes, at most every 2 s.
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = client.on('journal.updated', () => {
      timer ??= setTimeout(() => {
        timer = null;
        void loadCurve();
      }, 2000);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [client, transport, loadCurve]);

  const s = summary;
  const a = s?.account ?? null;
  const b = s?.broker ?? null;
  return (
    <div className="pnl" data-testid="pnl-panel">
      <div className="pnl-tiles">
        <Tile label="Day P&L (broker)" value={signedMoney(b?.daily)} cls={tone(b?.daily)} note={b ? 'reqPnL, this account' : 'not reported yet'} testId="pnl-day" />
        <Tile label="Net liquidation" value={money(a?.netLiquidation)} testId="pnl-netliq" note={a?.account} />
        <Tile label="Unrealised (book)" value={signedMoney(s?.unrealised)} cls={tone(s?.unrealised)} note={s && s.unmarked > 0 ? `${s.unmarked} spread${s.unmarked === 1 ? '' : 's'} without a quote` : 'open spreads at mid'} testId="pnl-unrealised" />
        <Tile label="Realised today" value={signedMoney(s?.realisedToday)} cls={tone(s?.realisedToday)} note="net of commissions" testId="pnl-realised" />
        <Tile label="Book total" value={signedMoney(s?.total)} cls={tone(s?.total)} testId="pnl-total" />
        <Tile label="Buying power" value={money(a?.buyingPower)} testId="pnl-bp" />
        <Tile label="Excess liquidity" value={money(a?.excessLiquidity)} />
        <Tile label="Available funds" value={money(a?.availableFunds)} />
        <Tile label="Open spreads" value={s ? String(s.openSpreads) : '—'} testId="pnl-open" />
        <Tile label="Orphan legs" value={s ? String(s.orphanLegs) : '—'} cls={s && s.orphanLegs > 0 ? 'loss' : ''} />
      </div>
      <div className="pnl-charts">
        <div className="pnl-chart-box">
          <span className="pnl-chart-title">Intraday P&amp;L (book total, this session)</span>
          {intraday.length > 1 ? <IntradayChart points={intraday} /> : <p className="pnl-chart-empty">The line starts with the second P&amp;L update after connecting.</p>}
        </div>
        <div className="pnl-chart-box">
          <span className="pnl-chart-title">Equity curve (closed trades, journal)</span>
          {curve.length > 1 ? <EquityChart points={curve} /> : <p className="pnl-chart-empty">The equity curve starts with the second closed trade.</p>}
        </div>
      </div>
    </div>
  );
}
