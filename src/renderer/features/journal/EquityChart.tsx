// The equity curve: cumulative net P&L of closed trades, green above zero and red below (lightweight-charts).
import { useEffect, useRef } from 'react';
import { BaselineSeries, createChart, type IChartApi, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import { pnlBaselineColors, pnlChartChrome } from '../../components/pnl-chart';

export interface EquityPoint {
  t: number;
  equity: number;
}

/** lightweight-charts needs strictly increasing seconds: keep the last point of each second. */
export function toSeries(points: readonly EquityPoint[]): { time: UTCTimestamp; value: number }[] {
  const out: { time: UTCTimestamp; value: number }[] = [];
  for (const p of points) {
    const time = Math.floor(p.t / 1000) as UTCTimestamp;
    const last = out[out.length - 1];
    if (last && last.time >= time) last.value = p.equity;
    else out.push({ time, value: p.equity });
  }
  return out;
}

export function EquityChart({ points }: { points: readonly EquityPoint[] }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const series = useRef<ISeriesApi<'Baseline'> | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const chrome = pnlChartChrome(11);
    const c = createChart(host.current, {
      ...chrome,
      rightPriceScale: { borderVisible: false },
      timeScale: { borderVisible: false, timeVisible: true, secondsVisible: false },
    });
    series.current = c.addSeries(BaselineSeries, {
      ...pnlBaselineColors(0.25, 0.02),
      priceFormat: { type: 'price', precision: 2, minMove: 0.01 },
    });
    chart.current = c;
    return () => {
      c.remove();
      chart.current = null;
      series.current = null;
    };
  }, []);

  useEffect(() => {
    series.current?.setData(toSeries(points));
    chart.current?.timeScale().fitContent();
  }, [points]);

  return <div className="journal-chart" ref={host} data-testid="journal-equity-chart" />;
}
