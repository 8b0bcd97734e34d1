// Labels for the Positions tab: prices with their side, a leg or orphan in one line, an exit's rules and state.
import type { ExitView } from '../../../core/contract';
import type { GridRow } from './positions-store';

const MINUS = '\u2212';

/** "1.25 cr" / "0.80 db" / "—". */
export function netLabel(p: { amount: number; kind: 'credit' | 'debit' } | null | undefined): string {
  return p ? `${p.amount.toFixed(2)} ${p.kind === 'credit' ? 'cr' : 'db'}` : '—';
}

const signed = (q: number) => `${q > 0 ? '+' : q < 0 ? MINUS : ''}${Math.abs(q)}`;

/** A leg or an orphan as the trader reads it: "+1 500 C" / "−2 SPY 20261218 495 P". */
export function legLabel(r: GridRow): string {
  if (r.type === 'leg') return `${signed(r.leg.journalQty)} ${r.leg.strike} ${r.leg.right}`;
  if (r.type === 'orphan') {
    const o = r.orphan;
    return [signed(o.quantity), o.strike ?? '', o.right ?? o.secType].filter((x) => x !== '').join(' ');
  }
  return '';
}

/** The rules in a few words, then what they say now: "50% · 2×cr · 21d — holding". */
export function exitLabel(e: ExitView | null): string {
  if (!e) return '—';
  const r = e.rules;
  const parts = [
    r.profitTargetPct !== undefined ? `tgt ${r.profitTargetPct}%` : null,
    r.stopCreditMultiple !== undefined ? `stop ${r.stopCreditMultiple}×cr` : null,
    r.stopMaxLossPct !== undefined ? `stop ${r.stopMaxLossPct}% ML` : null,
    r.trailingStop !== undefined ? `trail $${r.trailingStop}` : null,
    r.dteDays !== undefined ? `${r.dteDays} DTE` : null,
  ].filter((x): x is string => x !== null);
  const rules = `${parts.join(' · ') || 'no rule'}${r.auto ? ' (auto)' : ''}`;
  if (e.state === 'fired') return `FIRED ${rules}${e.orderId !== null ? ` → #${e.orderId}` : ''}`;
  if (e.state === 'blocked') return `${rules} — paused: ${e.message ?? ''}`;
  return rules;
}
