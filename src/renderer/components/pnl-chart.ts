// The terminal's P&L chart look (lightweight-charts): dark chrome and a baseline series green above zero, red below.
import { ColorType } from 'lightweight-charts';

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** Chart options shared by every P&L chart; callers add their scales and sizes. */
export function pnlChartChrome(fontSize: number) {
  return {
    autoSize: true,
    layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: cssVar('--text-dim', '#8a93a3'), fontSize },
    grid: { vertLines: { visible: false }, horzLines: { color: '#1c222d' } },
    crosshair: { horzLine: { labelBackgroundColor: '#232a36' }, vertLine: { labelBackgroundColor: '#232a36' } },
    handleScale: false,
    handleScroll: false,
  } as const;
}

/** Baseline-at-zero series colours: `edge` is the fill opacity at the curve, `far` away from it. */
export function pnlBaselineColors(edge: number, far: number) {
  return {
    baseValue: { type: 'price', price: 0 },
    topLineColor: cssVar('--gain', '#2fbf71'),
    topFillColor1: `rgba(47,191,113,${edge})`,
    topFillColor2: `rgba(47,191,113,${far})`,
    bottomLineColor: cssVar('--loss', '#ef5350'),
    bottomFillColor1: `rgba(239,83,80,${far})`,
    bottomFillColor2: `rgba(239,83,80,${edge})`,
    lineWidth: 2,
  } as const;
}
