// The roll form: close a held spread and open another (new expiry and/or strikes) as ONE 4-leg combo at a net price,
// previewed by the server (legs, net mid/natural, risk verdicts, the exact sentence) and sent through the execution service.
import { useEffect, useRef, useState } from 'react';
import type { NetPriceArg, PositionSpread, Ticket, TicketPreview } from '../../../core/contract';
import { useClient } from '../../platform/context';
import { useAppStore } from '../../stores/app-store';
import '../orders/orders.css';
import './ticket.css';

const newTicketId = (spreadId: number) => `roll-${spreadId}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
const net = (n: NetPriceArg | null) => (n ? `${n.amount.toFixed(2)} ${n.kind === 'credit' ? 'cr' : 'db'}` : '—');
const px = (x: number | null) => (x === null ? '—' : x.toFixed(2));

/** The roll's fields as the contract's Ticket, or the sentence saying which field is wrong. */
export function rollTicket(s: PositionSpread, f: { expiry: string; longStrike: string; shortStrike: string; quantity: string; limit: string; kind: 'credit' | 'debit' }): { ok: true; ticket: Ticket } | { ok: false; message: string } {
  const expiry = f.expiry.trim().replaceAll('-', '');
  if (!/^\d{8}$/.test(expiry)) return { ok: false, message: 'The new expiry is a date, YYYY-MM-DD.' };
  const long = Number(f.longStrike), short = Number(f.shortStrike), q = Number(f.quantity), l = Number(f.limit);
  if (!(long > 0) || !(short > 0) || long === short) return { ok: false, message: 'The new strikes are two different prices.' };
  if (!Number.isInteger(q) || q < 1 || q > s.quantity) return { ok: false, message: `Roll between 1 and ${s.quantity} spread${s.quantity === 1 ? '' : 's'}.` };
  if (f.limit.trim() === '' || !(l >= 0) || Math.abs(Math.round(l * 100) - l * 100) > 1e-9) return { ok: false, message: 'The net limit is a price in whole cents.' };
  return {
    ok: true,
    ticket: {
      symbol: s.symbol, expiry: s.expiry, kind: s.kind, longStrike: s.longStrike, shortStrike: s.shortStrike, quantity: q,
      limit: { amount: l, kind: f.kind }, tif: 'DAY', pricing: { mode: 'fixed' }, intent: 'roll', spreadId: s.spreadId,
      rollTo: { symbol: s.symbol, expiry, kind: s.kind, longStrike: long, shortStrike: short },
    },
  };
}

/** Roll: new expiry and strikes (prefilled with the held ones), Preview prices the 4 legs, Send is the explicit confirm. */
export function RollBar({ spread, onDone }: { spread: PositionSpread; onDone(): void }) {
  const client = useClient();
  const iso = `${spread.expiry.slice(0, 4)}-${spread.expiry.slice(4, 6)}-${spread.expiry.slice(6)}`;
  const [f, setF] = useState({ expiry: iso, longStrike: String(spread.longStrike), shortStrike: String(spread.shortStrike), quantity: String(spread.quantity), limit: '', kind: 'credit' as 'credit' | 'debit' });
  const [preview, setPreview] = useState<TicketPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'preview' | 'send' | null>(null);
  const ticketId = useRef(newTicketId(spread.spreadId));
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const edit = (patch: Partial<typeof f>) => {
    setF((x) => ({ ...x, ...patch }));
    setPreview(null);
  };
  const ask = (fields = f) => {
    // The preview needs a limit to judge; until the trader sets one, price it at zero, then again at the net mid.
    const r = rollTicket(spread, fields.limit.trim() === '' ? { ...fields, limit: '0' } : fields);
    if (!r.ok) return setError(r.message);
    setBusy('preview');
    setError(null);
    void client.invoke('ticket.preview', { ticket: r.ticket }).then((res) => {
      setBusy(null);
      if (!res.ok) return setError(res.error.message);
      const mid = res.value.netMid;
      if (fields.limit.trim() === '' && mid) {
        const next = { ...fields, limit: mid.amount.toFixed(2), kind: mid.kind };
        setF(next);
        return ask(next);
      }
      setPreview(res.value);
    });
  };
  const send = () => {
    const r = rollTicket(spread, f);
    if (!r.ok) return setError(r.message);
    setBusy('send');
    setError(null);
    void client.invoke('order.submit', { ticketId: ticketId.current, ticket: r.ticket }).then((res) => {
      setBusy(null);
      if (!res.ok) return setError(res.error.message);
      useAppStore.getState().addLog({ level: 'info', message: `Roll sent (#${res.value.orderId}): ${res.value.sentence}`, at: Date.now() }, true);
      onDone();
    });
  };
  const block = preview?.verdicts.find((v) => v.level === 'block') ?? null;
  const sameLimit = preview && preview.limit.amount.toFixed(2) === Number(f.limit).toFixed(2) && preview.limit.kind === f.kind;
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter') ask();
    if (e.key === 'Escape') onDone();
  };
  return (
    <div className="ord-modify pos-action roll-bar" data-testid="roll-form" onKeyDown={onKey}>
      <span className="label">Roll {spread.symbol} {spread.shortStrike}/{spread.longStrike} {spread.right} {iso} to</span>
      <label className="pos-field">expiry <input ref={first} className="scan-input num roll-expiry" value={f.expiry} onChange={(e) => edit({ expiry: e.target.value })} aria-label="New expiry" data-testid="roll-expiry" /></label>
      <label className="pos-field">short <input className="scan-input num" value={f.shortStrike} onChange={(e) => edit({ shortStrike: e.target.value })} aria-label="New short strike" data-testid="roll-short" /></label>
      <label className="pos-field">long <input className="scan-input num" value={f.longStrike} onChange={(e) => edit({ longStrike: e.target.value })} aria-label="New long strike" data-testid="roll-long" /></label>
      <span className="ord-dim">net</span>
      <input className="scan-input num" value={f.limit} onChange={(e) => edit({ limit: e.target.value })} placeholder="mid" aria-label="Net limit for the whole roll" data-testid="roll-limit" />
      <select className="scan-input" value={f.kind} onChange={(e) => edit({ kind: e.target.value as 'credit' | 'debit' })} aria-label="Credit or debit" data-testid="roll-kind">
        <option value="credit">cr</option>
        <option value="debit">db</option>
      </select>
      <span className="ord-dim">×</span>
      <input className="scan-input num ord-qty" value={f.quantity} onChange={(e) => edit({ quantity: e.target.value })} aria-label="Spreads to roll" data-testid="roll-qty" />
      <button type="button" className="btn btn-small" onClick={() => ask()} disabled={busy !== null} data-testid="roll-preview">{busy === 'preview' ? 'Pricing…' : 'Preview'}</button>
      <button
        type="button"
        className="btn btn-small btn-primary"
        onClick={send}
        disabled={busy !== null || !preview || !preview.allowed || !sameLimit}
        title={!preview ? 'Preview first' : !sameLimit ? 'The limit changed: preview again' : block ? block.message : 'Send the roll as one combo order'}
        data-testid="roll-send"
      >
        {busy === 'send' ? 'Sending…' : 'Send roll'}
      </button>
      <button type="button" className="btn btn-small" onClick={onDone}>Cancel</button>
      {error ? <span className="tk-error" role="alert" data-testid="roll-error">{error}</span> : null}
      {preview ? (
        <div className="roll-preview" data-testid="roll-preview-body">
          <table className="roll-legs">
            <thead>
              <tr><th>Leg</th><th>Expiry</th><th>Strike</th><th>Bid</th><th>Ask</th></tr>
            </thead>
            <tbody>
              {preview.legs.map((l, i) => (
                <tr key={`${l.conId ?? i}`}>
                  <td>{i < 2 ? 'close' : 'open'} {l.action}</td>
                  <td className="num">{l.expiry}</td>
                  <td className="num">{l.strike} {l.right}</td>
                  <td className="num">{px(l.bid)}</td>
                  <td className="num">{px(l.ask)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="roll-facts">
            <span>net mid <b className="num" data-testid="roll-mid">{net(preview.netMid)}</b></span>
            <span>natural <b className="num" data-testid="roll-natural">{net(preview.netNatural)}</b></span>
            <button type="button" className="btn btn-small" disabled={!preview.netMid} onClick={() => preview.netMid && edit({ limit: preview.netMid.amount.toFixed(2), kind: preview.netMid.kind })} data-testid="roll-use-mid">Use mid</button>
            <button type="button" className="btn btn-small" disabled={!preview.netNatural} onClick={() => preview.netNatural && edit({ limit: preview.netNatural.amount.toFixed(2), kind: preview.netNatural.kind })} data-testid="roll-use-natural">Use natural</button>
            <span className="ord-dim">commission ≈ ${preview.commission.toFixed(2)}</span>
          </div>
          {preview.sentence ? <div className="roll-sentence" data-testid="roll-sentence">{preview.sentence}</div> : null}
          {preview.verdicts.filter((v) => v.level !== 'pass').map((v) => (
            <div key={v.code} className={v.level === 'block' ? 'tk-error' : 'pos-warn'} data-testid="roll-verdict">{v.message}</div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
