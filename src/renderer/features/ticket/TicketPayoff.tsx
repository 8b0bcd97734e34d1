// The Ticket's payoff: P&L per position at expiry (the shared P&L look) and today (T+0), with strike, breakeven and spot marks.
import { useEffect, useRef } from 'react';
import {
  BaselineSeries, LineSeries, LineStyle, createOptionsChart, createSeriesMarkers,
  type IChartApiBase, type ISeriesApi, type ISeriesMarkersPluginApi, type SeriesMarker,
} from 'lightweight-charts';
import { pnlBaselineColors, pnlChartChrome } from '../../components/pnl-chart';

export interface PayoffData {
  x: number[];
  expiry: number[];
  today: number[] | null;
  strikes: number[];
  breakeven: number;
  spot: number | null;
}

export function TicketPayoff({ data }: { data: PayoffData }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApiBase<number> | null>(null);
  const expiry = useRef<ISeriesApi<'Baseline', number> | null>(null);
  const today = useRef<ISeriesApi<'Line', number> | null>(null);
  const markers = useRef<ISeriesMarkersPluginApi<number> | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const chrome = pnlChartChrome(10);
    const c = createOptionsChart(host.current, {
      ...chrome,
      layout: { ...chrome.layout, attributionLogo: false },
      rightPriceScale: { borderVisible: false, scaleMargins: { top: 0.1, bottom: 0.1 } },
      timeScale: { borderVisible: false, fixLeftEdge: true, fixRightEdge: true },
    });
    expiry.current = c.addSeries(BaselineSeries, { ...pnlBaselineColors(0.28, 0.04), priceFormat: { type: 'price', precision: 0, minMove: 1 }, lastValueVisible: false, priceLineVisible: false, title: 'expiry' });
    today.current = c.addSeries(LineSeries, { color: '#c9a227', lineWidth: 1, lineStyle: LineStyle.Dashed, priceFormat: { type: 'price', precision: 0, minMove: 1 }, lastValueVisible: false, priceLineVisible: false, title: 'today' });
    markers.current = createSeriesMarkers(expiry.current, []);
    chart.current = c;
    return () => {
      c.remove();
      chart.current = null;
      expiry.current = null;
      today.current = null;
      markers.current = null;
    };
  }, []);

  useEffect(() => {
    const e = expiry.current;
    if (!e) return;
    e.setData(data.x.map((x, i) => ({ time: x, value: data.expiry[i] ?? 0 })));
    today.current?.setData(data.today ? data.x.map((x, i) => ({ time: x, value: data.today?.[i] ?? 0 })) : []);
    const has = new Set(data.x);
    const m: SeriesMarker<number>[] = [];
    for (const k of data.strikes) if (has.has(k)) m.push({ time: k, position: 'belowBar', shape: 'arrowUp', color: '#8a93a3', size: 0.5, text: String(k) });
    const be = Math.round(data.breakeven * 100) / 100;
    if (has.has(be)) m.push({ time: be, position: 'inBar', shape: 'circle', color: '#f0b429', size: 0.6, text: 'BE' });
    const spot = data.spot === null ? null : Math.round(data.spot * 100) / 100;
    if (spot !== null && has.has(spot)) m.push({ time: spot, position: 'aboveBar', shape: 'arrowDown', color: '#d6dbe4', size: 0.6, text: 'spot' });
    markers.current?.setMarkers(m.sort((a, b) => a.time - b.time));
    for (const line of e.priceLines()) e.removePriceLine(line);
    e.createPriceLine({ price: 0, color: '#5c6575', lineWidth: 1, lineStyle: LineStyle.Dotted, axisLabelVisible: false, title: '' });
    chart.current?.timeScale().fitContent();
  }, [data]);

  return (
    <div className="ticket-payoff" data-testid="ticket-payoff">
      <div className="ticket-payoff-chart" ref={host} title={`P&L per position: solid at expiry, dashed today (T+0). Breakeven ${data.breakeven.toFixed(2)}`} />
      <div className="ticket-payoff-legend">
        <span className="ticket-legend-expiry">— expiry</span>
        <span className="ticket-legend-today">- - today</span>
        <span>▲ strikes · ● breakeven {data.breakeven.toFixed(2)}</span>
      </div>
    </div>
  );
}
