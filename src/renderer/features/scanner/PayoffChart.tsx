// The selected spread's payoff at expiry: $ per spread against the underlying price (lightweight-charts options chart).
import { useEffect, useRef } from 'react';
import { BaselineSeries, LineStyle, createOptionsChart, createSeriesMarkers, type IChartApiBase, type ISeriesApi, type ISeriesMarkersPluginApi } from 'lightweight-charts';
import type { ScanRow } from '../../../core/contract';
import { pnlBaselineColors, pnlChartChrome } from '../../components/pnl-chart';
import { payoffCurve } from './format';

export function PayoffChart({ row }: { row: ScanRow }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApiBase<number> | null>(null);
  const series = useRef<ISeriesApi<'Baseline', number> | null>(null);
  const markers = useRef<ISeriesMarkersPluginApi<number> | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const chrome = pnlChartChrome(10);
    const c = createOptionsChart(host.current, {
      ...chrome,
      layout: { ...chrome.layout, attributionLogo: false },
      rightPriceScale: { borderVisible: false, scaleMargins: { top: 0.12, bottom: 0.12 } },
      timeScale: { borderVisible: false, fixLeftEdge: true, fixRightEdge: true },
    });
    series.current = c.addSeries(BaselineSeries, {
      ...pnlBaselineColors(0.28, 0.04),
      priceFormat: { type: 'price', precision: 0, minMove: 1 },
      lastValueVisible: false,
      priceLineVisible: false,
    });
    markers.current = createSeriesMarkers(series.current, []);
    chart.current = c;
    return () => {
      c.remove();
      chart.current = null;
      series.current = null;
      markers.current = null;
    };
  }, []);

  useEffect(() => {
    const s = series.current;
    if (!s) return;
    const curve = payoffCurve(row);
    s.setData(curve.map((p) => ({ time: p.x, value: p.y })));
    // Where the underlying is now, on the curve (the curve always holds a point at the spot, rounded to the cent).
    const spotX = Math.round(row.spot * 100) / 100;
    markers.current?.setMarkers(curve.some((p) => p.x === spotX) ? [{ time: spotX, position: 'inBar', shape: 'circle', color: '#d6dbe4', size: 0.6, text: 'spot' }] : []);
    for (const line of s.priceLines()) s.removePriceLine(line);
    s.createPriceLine({ price: 0, color: '#5c6575', lineWidth: 1, lineStyle: LineStyle.Dotted, axisLabelVisible: false, title: '' });
    chart.current?.timeScale().fitContent();
  }, [row]);

  return <div className="scan-payoff" ref={host} data-testid="scan-payoff" title={`Payoff at expiry per spread; breakeven ${row.breakeven.toFixed(2)}, spot ${row.spot.toFixed(2)}`} />;
}
