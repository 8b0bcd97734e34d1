import { describe, expect, it } from 'vitest';
import { Ticket, type ConnectionStatus, type TicketPreview, type TradingStatus } from '../../../core/contract';
import { EMPTY_DRAFT, parseDraft, type TicketDraft } from './ticket-model';
import { sendBlocker, toTicket } from './ticket-wire';

const draft: TicketDraft = { ...EMPTY_DRAFT, symbol: 'spy', expiry: '2026-12-18', kind: 'bull-put', shortStrike: '560', longStrike: '555', limit: '1.20', targetPct: '50', stopPct: '80' };
const connected = { state: 'connected' } as ConnectionStatus;
const active: TradingStatus = { state: 'ACTIVE', code: 'OK', reason: 'Reconciled', since: 0 };

describe('Ticket wire', () => {
  it('builds a contract Ticket that the zod schema accepts: labelled limit, YYYYMMDD, walk from the limit, exits', () => {
    const p = parseDraft(draft);
    if (!p.ok) throw new Error('draft');
    const t = toTicket(p, draft);
    expect(Ticket.safeParse(t).success).toBe(true);
    expect(t).toMatchObject({ symbol: 'SPY', expiry: '20261218', longStrike: 555, shortStrike: 560, limit: { amount: 1.2, kind: 'credit' }, pricing: { mode: 'walk', start: 'limit', intervalSec: 10, capPct: 50 }, exits: { profitTargetPct: 50, stop: { basis: 'maxLossPct', value: 80 } } });
    const fixed = toTicket(p, { ...draft, policy: 'fixed' });
    expect(fixed.pricing).toEqual({ mode: 'fixed' });
  });

  it('says why Send is disabled, in order: connection, trading state, fields, preview, risk', () => {
    const p = parseDraft(draft);
    const ok = { state: 'ok' as const, value: { verdicts: [{ code: 'MAX_LOSS', level: 'pass', message: 'Max loss within limit.' }], allowed: true } as unknown as TicketPreview, error: null };
    expect(sendBlocker({ connection: null, trading: active, parsed: p, preview: ok })).toMatch(/Not connected/);
    expect(sendBlocker({ connection: connected, trading: { ...active, state: 'HALTED', reason: 'Reconciling with the broker.' }, parsed: p, preview: ok })).toBe('Trading is halted: Reconciling with the broker.');
    expect(sendBlocker({ connection: connected, trading: { ...active, state: 'REDUCING' }, parsed: p, preview: ok })).toMatch(/reducing-only/);
    expect(sendBlocker({ connection: connected, trading: active, parsed: parseDraft({ ...draft, limit: 'x' }), preview: ok })).toMatch(/Fix the fields/);
    expect(sendBlocker({ connection: connected, trading: active, parsed: p, preview: { state: 'error', value: null, error: 'Order entry is not available.' } })).toBe('Order entry is not available.');
    expect(sendBlocker({ connection: connected, trading: active, parsed: p, preview: { state: 'loading', value: null, error: null } })).toMatch(/Waiting/);
    const blocked = { ...ok, value: { verdicts: [{ code: 'DAILY_LOSS', level: 'block', message: 'Daily loss limit reached.' }], allowed: false } as unknown as TicketPreview };
    expect(sendBlocker({ connection: connected, trading: active, parsed: p, preview: blocked })).toBe('Risk check blocks it: Daily loss limit reached.');
    expect(sendBlocker({ connection: connected, trading: active, parsed: p, preview: ok })).toBeNull();
  });
});
