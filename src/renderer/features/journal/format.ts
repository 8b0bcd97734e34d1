// Number formats for the Journal panel: signed money, labelled credit/debit prices, percentages, durations, New York dates.

const MINUS = '\u2212';
const moneyFmt = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** +1,234.50 / −87.00 / 0.00 — P&L always carries its sign. */
export function signedMoney(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const rounded = Math.round(x * 100) / 100;
  if (rounded === 0) return '0.00';
  return `${rounded > 0 ? '+' : MINUS}${moneyFmt.format(Math.abs(rounded))}`;
}

/** 1,234.50 for amounts without direction (risk, commissions). */
export function money(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const rounded = Math.round(x * 100) / 100;
  return rounded < 0 ? `${MINUS}${moneyFmt.format(-rounded)}` : moneyFmt.format(rounded);
}

/** A net spread price with its side: "1.25 cr", "0.80 db". */
export function netPrice(price: number | null, side: 'credit' | 'debit' | null): string {
  if (price === null || side === null) return '—';
  return `${price.toFixed(2)} ${side === 'credit' ? 'cr' : 'db'}`;
}

export function percent(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const v = x * 100;
  return `${v < 0 ? MINUS : ''}${Math.abs(v).toFixed(digits)}%`;
}

export function ratio(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(2);
}

export function holding(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

const nyFmt = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

/** "Mar 03 10:30" in New York time, the clock the market runs on. */
export function nyDateTime(t: number | null | undefined): string {
  if (t === null || t === undefined) return '—';
  return nyFmt.format(t).replace(',', '');
}

/** "20250321" → "2025-03-21". */
export function expiryLabel(expiry: string): string {
  return /^\d{8}$/.test(expiry) ? `${expiry.slice(0, 4)}-${expiry.slice(4, 6)}-${expiry.slice(6)}` : expiry;
}


/** Direction colour class for a P&L figure (colour means direction only). */
export function tone(x: number | null | undefined): '' | 'gain' | 'loss' {
  if (x === null || x === undefined || Math.round(x * 100) === 0) return '';
  return x > 0 ? 'gain' : 'loss';
}
