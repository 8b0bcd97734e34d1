// The equity curve: cumulative net P&L of closed trades, green above zero and red below (lightweight-charts).
import { useEffect, useRef } from 'react';
import { BaselineSeries, ColorType, createChart, type IChartApi, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';

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
    const css = getComputedStyle(document.documentElement);
    const c = createChart(host.current, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: css.getPropertyValue('--text-dim').trim() || '#8a93a3', fontSize: 11 },
      grid: { vertLines: { visible: false }, horzLines: { color: '#1c222d' } },
      rightPriceScale: { borderVisible: false },
      timeScale: { borderVisible: false, timeVisible: true, secondsVisible: false },
      crosshair: { horzLine: { labelBackgroundColor: '#232a36' }, vertLine: { labelBackgroundColor: '#232a36' } },
      handleScale: false,
      handleScroll: false,
    });
    series.current = c.addSeries(BaselineSeries, {
      baseValue: { type: 'price', price: 0 },
      topLineColor: css.getPropertyValue('--gain').trim() || '#2fbf71',
      topFillColor1: 'rgba(47,191,113,0.25)',
      topFillColor2: 'rgba(47,191,113,0.02)',
      bottomLineColor: css.getPropertyValue('--loss').trim() || '#ef5350',
      bottomFillColor1: 'rgba(239,83,80,0.02)',
      bottomFillColor2: 'rgba(239,83,80,0.25)',
      lineWidth: 2,
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
