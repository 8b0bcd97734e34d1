// The Ticket's draft as the contract's Ticket argument, and why sending is not allowed right now (as a sentence).
import type { ConnectionStatus, Ticket, TicketPreview, TradingStatus } from '../../../core/contract';
import type { ParsedDraft, TicketDraft } from './ticket-model';

type Parsed = Extract<ParsedDraft, { ok: true }>;

/** The contract Ticket for a parsed draft: strikes in dollars, limit labelled credit/debit, expiry YYYYMMDD. */
export function toTicket(p: Parsed, d: TicketDraft): Ticket {
  const s = p.spread;
  const strike = (m: number) => m / 1_000_000;
  return {
    symbol: s.underlying,
    expiry: p.expiry.replaceAll('-', ''),
    kind: d.kind,
    longStrike: strike(s.longLeg.strike),
    shortStrike: strike(s.shortLeg.strike),
    quantity: p.quantity,
    limit: { amount: p.limit, kind: s.isCredit ? 'credit' : 'debit' },
    tif: d.tif,
    // The walk starts where the trader put the limit, so the first price sent is the one on screen.
    pricing: d.policy === 'walk' ? { mode: 'walk', start: 'limit', intervalSec: p.walkStepSec, capPct: p.walkCapPct } : { mode: 'fixed' },
    ...(p.targetPct !== null || p.stopPct !== null
      ? { exits: { ...(p.targetPct !== null ? { profitTargetPct: Math.max(1, p.targetPct) } : {}), ...(p.stopPct !== null ? { stop: { basis: 'maxLossPct' as const, value: p.stopPct } } : {}) } }
      : {}),
    intent: 'open',
  };
}

/**
 * Why Send is disabled, in a sentence, or null when it may be pressed. Checked in order: the connection, the
 * trading state, the fields, the server preview and its risk verdicts.
 */
export function sendBlocker(args: {
  connection: ConnectionStatus | null;
  trading: TradingStatus | null;
  parsed: ParsedDraft | null;
  preview: { state: 'idle' | 'loading' | 'ok' | 'error'; value: TicketPreview | null; error: string | null };
}): string | null {
  const { connection, trading, parsed, preview } = args;
  if (connection?.state !== 'connected') return 'Not connected to a broker profile; connect first.';
  if (!trading) return 'The trading state is not known yet.';
  if (trading.state === 'HALTED') return `Trading is halted: ${trading.reason}`;
  if (trading.state === 'REDUCING') return `Trading is reducing-only (${trading.reason}); a new spread adds risk.`;
  if (!parsed || !parsed.ok) return 'Fix the fields marked in red first.';
  if (preview.state === 'error') return preview.error ?? 'The preview failed.';
  if (preview.state !== 'ok' || !preview.value) return 'Waiting for the preview.';
  const block = preview.value.verdicts.find((v) => v.level === 'block');
  if (block || !preview.value.allowed) return block ? `Risk check blocks it: ${block.message}` : 'A risk check blocks this order.';
  return null;
}
