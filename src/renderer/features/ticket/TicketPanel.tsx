// The Ticket panel: legs with live quotes, net mid/natural, risk and reward, odds, greeks, margin vs IBKR, risk verdicts,
// the payoff, and a two-step send (Ctrl+Enter previews the exact sentence, a second explicit confirm sends).
// Over 300 lines because the form, the numbers and the confirm step share one draft and one keyboard map.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { SpreadKind, Ticket, TicketPreview } from '../../../core/contract';
import { EmptyState, Panel } from '../../components/Panel';
import { useClient } from '../../platform/context';
import { reportError, useAppStore } from '../../stores/app-store';
import { KIND_LABEL, ageLabel, greek, money, netLabel, percent, signedMoney } from '../scanner/format';
import { TicketPayoff, type PayoffData } from './TicketPayoff';
import { legViews, localPreview, marketFor, netFromLegs, orderSentence, parseDraft, stepLimit, walkLimit, type TicketDraft } from './ticket-model';
import { isCreditKind } from '../../../core/spreads';
import { CancelAllDialog } from '../orders/OrdersPanel';
import { bindOrdersStore } from '../orders/orders-store';
import { bindTicketToSelection, useTicketStore } from './ticket-store';
import { sendBlocker, toTicket } from './ticket-wire';
import './ticket.css';

const ODDS_TOOLTIP =
  'Probability the profit target is reached before the stop. Model: the underlying follows a lognormal (GBM) path at the legs’ implied volatility and drift r − q, watched continuously; the target and stop are turned into underlying prices at today’s mark (per-leg IV held constant). Time decay is not counted, so for credit spreads the figure is conservative.';

// `key` is the ticket the answer was computed for: an answer for an older draft is never shown or confirmed.
type ServerPreview = { state: 'idle' | 'loading' | 'ok' | 'error'; value: TicketPreview | null; error: string | null; key: string | null };

function newTicketId(): string {
  return `t-${globalThis.crypto.randomUUID()}`;
}

function Field({ label, error, children, wide }: { label: string; error?: string | undefined; children: ReactNode; wide?: boolean }) {
  return (
    <label className={`tk-field ${wide ? 'tk-field-wide' : ''}`}>
      <span className="label">{label}</span>
      {children}
      {error ? <span className="tk-error" role="alert">{error}</span> : null}
    </label>
  );
}

function Fact({ label, title, children, tone }: { label: string; title?: string; children: ReactNode; tone?: 'gain' | 'loss' | '' }) {
  return (
    <div className="tk-fact" title={title}>
      <span className="label">{label}</span>
      <span className={`num ${tone ?? ''}`}>{children}</span>
    </div>
  );
}

export function TicketPanel() {
  const client = useClient();
  const { draft, row, stage, openSeq } = useTicketStore();
  const connection = useAppStore((s) => s.connection);
  const trading = useAppStore((s) => s.trading);
  const [server, setServer] = useState<ServerPreview>({ state: 'idle', value: null, error: null, key: null });
  const [sending, setSending] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const ticketId = useRef(newTicketId());
  const firstField = useRef<HTMLInputElement>(null);
  const sendButton = useRef<HTMLButtonElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);

  useEffect(() => bindTicketToSelection(), []);
  // The blotters' events bind here, not in their tabs: the Ticket is always mounted, and fill/reject alerts must
  // arrive whichever bottom tab is showing.
  useEffect(() => bindOrdersStore(client), [client]);
  useEffect(() => {
    ticketId.current = newTicketId();
    if (openSeq > 0) rootRef.current?.focus();
  }, [openSeq]);
  // Quote ages tick once a second.
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  const parsed = useMemo(() => (draft ? parseDraft(draft) : null), [draft]);
  const local = useMemo(() => {
    if (!parsed?.ok) return null;
    const market = marketFor(parsed, row, Date.now());
    return localPreview(parsed, market, row?.spot ?? null);
  }, [parsed, row]);

  // The server preview follows the draft (debounced) and refreshes every 3 s for live quotes and the what-if.
  const previewKey = parsed?.ok && draft ? JSON.stringify(toTicket(parsed, draft)) : null;
  useEffect(() => {
    if (!previewKey || connection?.state !== 'connected') {
      setServer({ state: 'idle', value: null, error: null, key: null });
      return;
    }
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const run = () => {
      void client.invoke('ticket.preview', { ticket: JSON.parse(previewKey) as Ticket }).then((r) => {
        if (!alive) return;
        if (r.ok) setServer({ state: 'ok', value: r.value, error: null, key: previewKey });
        else setServer({ state: 'error', value: null, error: r.error.message, key: previewKey });
        timer = setTimeout(run, 3000);
      });
    };
    timer = setTimeout(run, 200);
    return () => {
      alive = false;
      if (timer) clearTimeout(timer);
    };
  }, [client, previewKey, connection?.state]);

  const edit = useTicketStore((s) => s.edit);
  // Until the server has answered for this exact draft, it is loading: nothing stale is shown or sent.
  const current: ServerPreview = server.key === previewKey ? server : { state: previewKey ? 'loading' : 'idle', value: null, error: null, key: null };
  const blocker = sendBlocker({ connection, trading, parsed, preview: current });

  const preview = useCallback(() => {
    if (blocker) return;
    useTicketStore.getState().setStage('confirm');
  }, [blocker]);

  const send = useCallback(() => {
    if (!parsed?.ok || !draft || blocker || sending) return;
    setSending(true);
    const id = ticketId.current;
    void client.invoke('order.submit', { ticketId: id, ticket: toTicket(parsed, draft) }).then((r) => {
      setSending(false);
      if (r.ok) {
        useAppStore.getState().addLog({ level: 'info', message: `Sent order #${r.value.orderId}: ${r.value.sentence}`, at: Date.now() }, true);
        ticketId.current = newTicketId();
        useTicketStore.getState().setStage('edit');
      } else {
        reportError(r.error, 'Sending the order');
        useTicketStore.getState().setStage('edit');
      }
    });
  }, [client, parsed, draft, blocker, sending]);

  useEffect(() => {
    if (stage === 'confirm') sendButton.current?.focus();
  }, [stage]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      if (stage === 'confirm') useTicketStore.getState().setStage('edit');
      else useTicketStore.getState().close();
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && stage === 'edit') {
      e.preventDefault();
      preview();
    }
  };

  const actions = (
    <button type="button" className="btn btn-small" onClick={() => useTicketStore.getState().openManual()} data-testid="ticket-new" title="Enter legs by hand">
      New
    </button>
  );

  if (!draft) {
    return (
      <Panel title="Ticket" testId="panel-ticket" actions={actions}>
        <CancelAllDialog />
        <EmptyState title="No spread selected">
          Select a scanner row and press Enter (or Open in Ticket) to preview it here, or press New to enter the legs by hand.
        </EmptyState>
      </Panel>
    );
  }

  const errors = parsed && !parsed.ok ? parsed.errors : {};
  const isCredit = isCreditKind(draft.kind);
  const legs = parsed?.ok ? legViews(parsed, row) : [];
  // Live leg quotes: the server's when it has them, else the scanner row's.
  const serverLegs = current.value?.legs ?? [];
  const legRows = legs.map((l) => {
    const s = serverLegs.find((x) => x.strike === l.strike && x.right === l.right);
    return s ? { ...l, bid: s.bid, ask: s.ask, mid: s.mid, iv: s.iv ?? l.iv, age: s.quoteAgeMs } : { ...l, age: l.quoteTime === null ? null : now - l.quoteTime };
  });
  const [shortLeg, longLeg] = legRows;
  const localNet = shortLeg && longLeg && shortLeg.bid !== null && shortLeg.ask !== null && longLeg.bid !== null && longLeg.ask !== null ? netFromLegs({ bid: shortLeg.bid, ask: shortLeg.ask }, { bid: longLeg.bid, ask: longLeg.ask }, isCredit) : null;
  const netMid = current.value?.netMid ? (current.value.netMid.kind === 'credit') === isCredit ? current.value.netMid.amount : -current.value.netMid.amount : localNet?.mid ?? null;
  const netNat = current.value?.netNatural ? (current.value.netNatural.kind === 'credit') === isCredit ? current.value.netNatural.amount : -current.value.netNatural.amount : localNet?.natural ?? null;
  const walkTo = parsed?.ok && draft.policy === 'walk' ? (current.value?.walkCap?.amount ?? walkLimit(parsed.limit, netNat, parsed.walkCapPct, isCredit)) : null;
  const sentence = current.value?.sentence ?? (parsed?.ok ? orderSentence(parsed, draft, walkTo) : '');
  const sv = current.value;
  const payoff: PayoffData | null = local
    ? { x: local.curve.x, expiry: local.curve.expiry, today: local.curve.today, strikes: [local.spread.lowStrike / 1e6, local.spread.highStrike / 1e6], breakeven: local.breakeven, spot: local.spot }
    : null;
  const set = (k: keyof TicketDraft) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => edit({ [k]: e.target.value });
  const stepBy = (n: number) => edit({ limit: stepLimit(draft.limit, n) });

  return (
    <Panel title="Ticket" testId="panel-ticket" actions={actions}>
      <CancelAllDialog />
      <div className="ticket" ref={rootRef} tabIndex={-1} onKeyDown={onKeyDown} data-testid="ticket" data-stage={stage}>
        <div className="tk-row">
          <Field label="Symbol" error={errors.symbol}>
            <input ref={firstField} className="scan-input tk-sym" value={draft.symbol} onChange={set('symbol')} data-testid="ticket-symbol" aria-invalid={!!errors.symbol} />
          </Field>
          <Field label="Expiry" error={errors.expiry}>
            <input className="scan-input tk-exp" value={draft.expiry} onChange={set('expiry')} placeholder="YYYY-MM-DD" data-testid="ticket-expiry" aria-invalid={!!errors.expiry} />
          </Field>
          <Field label="Kind">
            <select className="scan-input tk-kind" value={draft.kind} onChange={set('kind')} data-testid="ticket-kind">
              {(['bull-put', 'bear-call', 'bull-call', 'bear-put'] as SpreadKind[]).map((k) => (
                <option key={k} value={k}>{KIND_LABEL[k]} ({isCreditKind(k) ? 'cr' : 'db'})</option>
              ))}
            </select>
          </Field>
          <Field label="Short" error={errors.shortStrike}>
            <input className="scan-input num tk-strike" value={draft.shortStrike} onChange={set('shortStrike')} data-testid="ticket-short" aria-invalid={!!errors.shortStrike} />
          </Field>
          <Field label="Long" error={errors.longStrike}>
            <input className="scan-input num tk-strike" value={draft.longStrike} onChange={set('longStrike')} data-testid="ticket-long" aria-invalid={!!errors.longStrike} />
          </Field>
        </div>

        <table className="tk-legs" data-testid="ticket-legs">
          <thead>
            <tr><th>Leg</th><th className="num">Bid</th><th className="num">Ask</th><th className="num">Mid</th><th className="num">IV</th><th className="num">Age</th></tr>
          </thead>
          <tbody>
            {legRows.map((l) => (
              <tr key={l.side} className={l.age !== null && l.age > 60_000 ? 'tk-stale' : ''}>
                <td>{l.side === 'short' ? 'SELL' : 'BUY'} {l.strike} {l.right}</td>
                <td className="num">{l.bid === null ? '—' : l.bid.toFixed(2)}</td>
                <td className="num">{l.ask === null ? '—' : l.ask.toFixed(2)}</td>
                <td className="num">{l.mid === null ? '—' : l.mid.toFixed(2)}</td>
                <td className="num">{percent(l.iv)}</td>
                <td className="num">{ageLabel(l.age)}</td>
              </tr>
            ))}
            {legRows.length === 0 ? <tr><td colSpan={6} className="tk-dim">Complete the legs to see their quotes.</td></tr> : null}
          </tbody>
        </table>

        <div className="tk-row tk-price">
          <Fact label="Mid">{netMid === null ? '—' : netLabel(netMid, isCredit)}</Fact>
          <Fact label="Natural">{netNat === null ? '—' : netLabel(netNat, isCredit)}</Fact>
          <Field label={`Limit (${isCredit ? 'credit' : 'debit'})`} error={errors.limit}>
            <span className="tk-limit">
              <button type="button" className="btn btn-small" onClick={() => stepBy(-1)} aria-label="One tick lower" data-testid="ticket-limit-down">−</button>
              <input
                className="scan-input num tk-limit-input"
                value={draft.limit}
                onChange={set('limit')}
                onKeyDown={(e) => {
                  if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
                    e.preventDefault();
                    stepBy(e.key === 'ArrowUp' ? 1 : -1);
                  }
                }}
                data-testid="ticket-limit"
                aria-invalid={!!errors.limit}
                title="↑/↓ step one tick ($0.01 for a combo)"
              />
              <button type="button" className="btn btn-small" onClick={() => stepBy(1)} aria-label="One tick higher" data-testid="ticket-limit-up">+</button>
            </span>
          </Field>
          <Field label="Qty" error={errors.quantity}>
            <input className="scan-input num tk-qty" value={draft.quantity} onChange={set('quantity')} data-testid="ticket-qty" aria-invalid={!!errors.quantity} />
          </Field>
          <Field label="TIF">
            <select className="scan-input" value={draft.tif} onChange={set('tif')} data-testid="ticket-tif">
              <option value="DAY">DAY</option>
              <option value="GTC">GTC</option>
            </select>
          </Field>
        </div>

        <div className="tk-row">
          <Field label="Pricing">
            <select className="scan-input" value={draft.policy} onChange={set('policy')} data-testid="ticket-policy" title="fixed: the limit stays · walk: steps toward natural every N s up to the cap">
              <option value="walk">Walk</option>
              <option value="fixed">Fixed</option>
            </select>
          </Field>
          {draft.policy === 'walk' ? (
            <>
              <Field label="Step s" error={errors.walkStepSec}>
                <input className="scan-input num tk-small" value={draft.walkStepSec} onChange={set('walkStepSec')} data-testid="ticket-walk-step" />
              </Field>
              <Field label="Cap %" error={errors.walkCapPct}>
                <input className="scan-input num tk-small" value={draft.walkCapPct} onChange={set('walkCapPct')} data-testid="ticket-walk-cap" title="Stop conceding at this % of the mid-to-natural distance" />
              </Field>
            </>
          ) : null}
          <Field label="Target %" error={errors.targetPct}>
            <input className="scan-input num tk-small" value={draft.targetPct} onChange={set('targetPct')} data-testid="ticket-target" title="Profit target, % of max profit (GTC, OCA with the stop); empty = none" />
          </Field>
          <Field label="Stop %" error={errors.stopPct}>
            <input className="scan-input num tk-small" value={draft.stopPct} onChange={set('stopPct')} data-testid="ticket-stop" title="Stop, % of max loss: watched by SpreadDesk while it runs (IBKR would only simulate a combo stop); when it fires the target is cancelled and the spread closed at natural; empty = none" />
          </Field>
        </div>

        {local ? (
          <div className="tk-facts" data-testid="ticket-facts">
            <Fact label="Max profit">{money(sv?.maxProfit ?? local.maxProfit)}</Fact>
            <Fact label="Max loss">{money(sv?.maxLoss ?? local.maxLoss)}</Fact>
            <Fact label="Breakeven">{(sv?.breakevens ?? [local.breakeven]).map((b) => b.toFixed(2)).join(', ')}</Fact>
            <Fact label="Return/risk">{percent(local.ror)}</Fact>
            <Fact label="POP" title="Probability of profit at expiry (lognormal at the legs' IV)">{percent(sv?.pop ?? local.pop)}</Fact>
            <Fact label="P(max)" title="Probability of the full max profit at expiry">{percent(sv?.pMaxProfit ?? local.pMaxProfit)}</Fact>
            <Fact label="EV" tone={(sv?.ev ?? local.ev ?? 0) >= 0 ? 'gain' : 'loss'} title="Expected value at expiry per position, $">{signedMoney(sv?.ev ?? local.ev)}</Fact>
            <Fact label="P(tgt first)" title={`${ODDS_TOOLTIP}${local.exit ? ` Target at ${local.exit.targetAt?.toFixed(2) ?? '—'}, stop at ${local.exit.stopAt?.toFixed(2) ?? '—'}; P(stop first) ${percent(local.exit.pStop)}.` : ''}`}>
              {/* The row's IVs when opened from the scanner; else the server's, from the legs' live model IVs. */}
              <span data-testid="ticket-p-target">{local.exit ? percent(local.exit.pTarget) : sv?.exitOdds ? percent(sv.exitOdds.pTarget) : '—'}</span>
            </Fact>
            <Fact label="Δ" title="Net delta, share-equivalents">{greek(sv?.greeks.delta ?? local.greeks?.delta ?? null, 1)}</Fact>
            <Fact label="Γ" title="Net gamma per $1">{greek(sv?.greeks.gamma ?? local.greeks?.gamma ?? null, 3)}</Fact>
            <Fact label="Θ/day" title="Net theta, $ per calendar day">{greek(sv?.greeks.thetaPerDay ?? local.greeks?.theta ?? null, 2)}</Fact>
            <Fact label="Vega" title="Net vega, $ per vol point">{greek(sv?.greeks.vega ?? local.greeks?.vega ?? null, 2)}</Fact>
          </div>
        ) : null}

        {local ? (
          <table className="tk-margin" data-testid="ticket-margin">
            <thead>
              <tr><th /><th className="num">Model (Reg-T)</th><th className="num">IBKR what-if</th></tr>
            </thead>
            <tbody>
              <tr><td>Margin</td><td className="num">{money(sv?.regTMargin ?? local.regT)}</td><td className="num">{sv?.whatIf ? money(sv.whatIf.marginChange) : '—'}</td></tr>
              <tr><td>Commission</td><td className="num">{money(sv?.commission ?? local.commission)}</td><td className="num">{sv?.whatIf ? money(sv.whatIf.commission) : '—'}</td></tr>
              <tr><td>Equity w/ loan after</td><td className="num tk-dim">—</td><td className="num">{sv?.whatIf ? money(sv.whatIf.equityWithLoanAfter) : '—'}</td></tr>
              {sv && !sv.whatIf && sv.whatIfUnavailable ? <tr><td colSpan={3} className="tk-dim">IBKR what-if: {sv.whatIfUnavailable}</td></tr> : null}
            </tbody>
          </table>
        ) : null}

        <ul className="tk-verdicts" data-testid="ticket-verdicts">
          {current.state === 'loading' ? <li className="tk-dim">Checking with the broker and the risk rules…</li> : null}
          {current.state === 'error' ? <li className="tk-verdict tk-block">✕ {current.error}</li> : null}
          {sv?.verdicts.map((v) => (
            <li key={v.code} className={`tk-verdict tk-${v.level}`} title={v.code}>
              {v.level === 'pass' ? '✓' : v.level === 'warn' ? '!' : '✕'} {v.message}
            </li>
          ))}
        </ul>

        {payoff ? <TicketPayoff data={payoff} /> : null}

        <div className="tk-send">
          {stage === 'confirm' ? (
            <div className="tk-confirm" data-testid="ticket-confirm" role="dialog" aria-label="Confirm order">
              <p className="tk-sentence mono" data-testid="ticket-sentence">{sentence}</p>
              <div className="tk-send-row">
                <button type="button" className="btn btn-small" onClick={() => useTicketStore.getState().setStage('edit')} data-testid="ticket-back">Back (Esc)</button>
                <button ref={sendButton} type="button" className="btn btn-small btn-primary tk-send-btn" onClick={send} disabled={!!blocker || sending} title={blocker ?? 'Send this order'} data-testid="ticket-send">
                  {sending ? 'Sending…' : isCredit ? 'Send SELL' : 'Send BUY'}
                </button>
              </div>
            </div>
          ) : (
            <div className="tk-send-row">
              <span className="tk-blocker" data-testid="ticket-blocker">{blocker ?? sentence}</span>
              <button type="button" className="btn btn-small btn-primary" onClick={preview} disabled={!!blocker} title={blocker ?? 'Review the exact order (Ctrl+Enter)'} data-testid="ticket-preview">
                Review ⌃⏎
              </button>
            </div>
          )}
        </div>
      </div>
    </Panel>
  );
}
