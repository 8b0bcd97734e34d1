// The Positions tab's action bars: close the selected spread (one combo through the execution service) and set its exits.
import { useState } from 'react';
import type { ExitRulesArg, PositionSpread } from '../../../core/contract';
import { useClient } from '../../platform/context';
import { useAppStore } from '../../stores/app-store';
import { netLabel } from './format';

const newTicketId = (spreadId: number) => `close-${spreadId}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;

/** Close: prefilled at the natural price now (marketable), editable in whole cents; Send is the explicit confirm. */
export function CloseBar({ spread, onDone }: { spread: PositionSpread; onDone(): void }) {
  const client = useClient();
  const start = spread.closeNatural ?? spread.closeMid;
  const [limit, setLimit] = useState(start ? start.amount.toFixed(2) : '');
  const [kind, setKind] = useState<'credit' | 'debit'>(start?.kind ?? (spread.entry.kind === 'credit' ? 'debit' : 'credit'));
  const [qty, setQty] = useState(String(spread.quantity));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const send = () => {
    const l = Number(limit), q = Number(qty);
    if (!(l >= 0) || limit.trim() === '' || Math.abs(Math.round(l * 100) - l * 100) > 1e-9) return setError('The limit is a price in whole cents.');
    if (!Number.isInteger(q) || q < 1 || q > spread.quantity) return setError(`Close between 1 and ${spread.quantity} spread${spread.quantity === 1 ? '' : 's'}.`);
    setBusy(true);
    setError(null);
    void client.invoke('positions.close', { spreadId: spread.spreadId, ticketId: newTicketId(spread.spreadId), quantity: q, limit: { amount: l, kind } }).then((r) => {
      setBusy(false);
      if (!r.ok) return setError(r.error.message);
      useAppStore.getState().addLog({ level: 'info', message: `Close sent (#${r.value.orderId}): ${r.value.sentence}`, at: Date.now() }, true);
      onDone();
    });
  };
  return (
    <div className="ord-modify pos-action" data-testid="position-close">
      <span className="label">Close {spread.symbol} {spread.shortStrike}/{spread.longStrike} {spread.right}</span>
      <span className="ord-dim">mid {netLabel(spread.closeMid)} · natural {netLabel(spread.closeNatural)}</span>
      <input className="scan-input num" value={limit} onChange={(e) => setLimit(e.target.value)} aria-label="Close limit" data-testid="position-close-limit" onKeyDown={(e) => e.key === 'Enter' && send()} />
      <select className="scan-input" value={kind} onChange={(e) => setKind(e.target.value as 'credit' | 'debit')} aria-label="Credit or debit" data-testid="position-close-kind">
        <option value="credit">cr</option>
        <option value="debit">db</option>
      </select>
      <span className="ord-dim">×</span>
      <input className="scan-input num ord-qty" value={qty} onChange={(e) => setQty(e.target.value)} aria-label="Spreads to close" data-testid="position-close-qty" />
      <button type="button" className="btn btn-small ord-danger" onClick={send} disabled={busy} data-testid="position-close-send">{busy ? 'Sending…' : 'Send close'}</button>
      <button type="button" className="btn btn-small" onClick={onDone}>Cancel</button>
      {error ? <span className="tk-error" role="alert" data-testid="position-close-error">{error}</span> : null}
    </div>
  );
}

const opt = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s));

/** Exit rules: target % of max profit, stop (× credit for credit spreads, else % of max loss), trailing $, DTE; auto sends the close. */
export function ExitBar({ spread, onDone }: { spread: PositionSpread; onDone(): void }) {
  const client = useClient();
  const r = spread.exit?.rules;
  const credit = spread.entry.kind === 'credit';
  const [target, setTarget] = useState(r?.profitTargetPct?.toString() ?? '');
  const [stop, setStop] = useState((credit ? r?.stopCreditMultiple : r?.stopMaxLossPct)?.toString() ?? '');
  const [trail, setTrail] = useState(r?.trailingStop?.toString() ?? '');
  const [dte, setDte] = useState(r?.dteDays?.toString() ?? '');
  const [auto, setAuto] = useState(r?.auto ?? false);
  const [error, setError] = useState<string | null>(null);
  const save = () => {
    const rules: ExitRulesArg = { auto };
    const t = opt(target), s = opt(stop), tr = opt(trail), d = opt(dte);
    if ([t, s, tr, d].some((x) => x !== undefined && !Number.isFinite(x))) return setError('Each rule is a number, or empty for none.');
    if (t !== undefined) rules.profitTargetPct = t;
    if (s !== undefined) {
      if (credit) rules.stopCreditMultiple = s;
      else rules.stopMaxLossPct = s;
    }
    if (tr !== undefined) rules.trailingStop = tr;
    if (d !== undefined) rules.dteDays = d;
    void client.invoke('exit.set', { spreadId: spread.spreadId, rules }).then((res) => {
      if (res.ok) onDone();
      else setError(res.error.message);
    });
  };
  const clear = () => {
    void client.invoke('exit.clear', { spreadId: spread.spreadId }).then((res) => (res.ok ? onDone() : setError(res.error.message)));
  };
  return (
    <div className="ord-modify pos-action" data-testid="position-exits">
      <span className="label">Exits {spread.symbol} {spread.shortStrike}/{spread.longStrike}</span>
      <label className="pos-field">target <input className="scan-input num" value={target} onChange={(e) => setTarget(e.target.value)} placeholder="%" aria-label="Profit target, % of max profit" data-testid="exit-target" /></label>
      <label className="pos-field">stop <input className="scan-input num" value={stop} onChange={(e) => setStop(e.target.value)} placeholder={credit ? '× cr' : '% ML'} aria-label={credit ? 'Stop, multiple of the credit' : 'Stop, % of max loss'} data-testid="exit-stop" /></label>
      <label className="pos-field">trail $ <input className="scan-input num" value={trail} onChange={(e) => setTrail(e.target.value)} aria-label="Trailing stop, dollars per spread" data-testid="exit-trail" /></label>
      <label className="pos-field">DTE <input className="scan-input num" value={dte} onChange={(e) => setDte(e.target.value)} aria-label="Close at this many days to expiry" data-testid="exit-dte" /></label>
      <label className="pos-field" title="When a rule fires, send the closing order through the execution service (off: alert only)"><input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} data-testid="exit-auto" /> auto close</label>
      <button type="button" className="btn btn-small btn-primary" onClick={save} data-testid="exit-save">Set</button>
      {spread.exit ? <button type="button" className="btn btn-small" onClick={clear} data-testid="exit-clear">Clear</button> : null}
      <button type="button" className="btn btn-small" onClick={onDone}>Cancel</button>
      {error ? <span className="tk-error" role="alert">{error}</span> : null}
    </div>
  );
}
