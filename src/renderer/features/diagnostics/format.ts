// Formatting for the Diagnostics panel: rates, durations and latencies in the terminal's compact style.

export function ms(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v < 10) return `${v.toFixed(1)} ms`;
  if (v < 10_000) return `${Math.round(v)} ms`;
  return `${(v / 1000).toFixed(1)} s`;
}

export function rate(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v < 10 ? v.toFixed(1) : Math.round(v).toLocaleString('en-US');
}

export function count(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : v.toLocaleString('en-US');
}

export function duration(msValue: number | null | undefined): string {
  if (msValue === null || msValue === undefined) return '—';
  const s = Math.floor(msValue / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${sec}s` : `${sec}s`;
}

/** Well-known broker codes, named for the errors table. */
export const CODE_NAMES: Record<string, string> = {
  '100': 'pacing violation',
  '101': 'max tickers',
  '102': 'duplicate ticker id',
  '103': 'duplicate order id',
  '200': 'no security definition',
  '201': 'order rejected',
  '202': 'order cancelled',
  '300': 'unknown ticker id',
  '321': 'validation error',
  '326': 'client id in use',
  '354': 'not subscribed',
  '1100': 'link lost',
  '1101': 'restored, data lost',
  '1102': 'restored, data kept',
  '2103': 'farm broken',
  '2104': 'market data farm OK',
  '2105': 'HMDS farm broken',
  '2106': 'HMDS farm OK',
  '2110': 'TWS–server link broken',
  '2158': 'sec-def farm OK',
  '10147': 'cancel: not found',
  '10148': 'cancel: not cancellable',
  '10167': 'delayed data',
};
