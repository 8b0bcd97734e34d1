import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BrokerEvent, CommissionReportEvent, ExecutionEvent, OrderStatusEvent } from '../../../core/broker';
import { parseCsv } from '../../../core/journal';
import { worldIntent } from '../../../../tests/support/journal-synthetic';
import { type Journal, openJournal, openMemoryJournal } from './index';

const T0 = Date.UTC(2025, 2, 3, 15, 0, 0);
let clock = T0;
let ids = 0;
const deps = () => ({ clock: () => clock, newTicketId: () => `sd-t${++ids}` });

const OPT = (conId: number, strike: number) => ({ conId, symbol: 'SPY', secType: 'OPT', lastTradeDateOrContractMonth: '20250321', strike, right: 'C', multiplier: '100' });

function exec(ticketId: string, orderId: number, execId: string, conId: number, strike: number, side: 'BOT' | 'SLD', shares: number, price: number, at = clock): ExecutionEvent {
  return {
    type: 'execution', receivedAt: at, orderId, clientId: 7, permId: 5000 + orderId, orderRef: ticketId, contract: OPT(conId, strike), execId,
    time: '20250303 10:00:00 US/Eastern', acctNumber: 'DU1', side, shares, price, cumQty: shares, avgPrice: price,
  };
}
const commission = (execId: string, amount = 0.65): CommissionReportEvent => ({ type: 'commissionReport', receivedAt: clock, execId, commission: amount, currency: 'USD', realizedPNL: null });
const status = (orderId: number, st: string, filled: number, remaining: number): OrderStatusEvent => ({
  type: 'orderStatus', receivedAt: clock, orderId, status: st, filled, remaining, avgFillPrice: filled ? 1.5 : 0, permId: 5000 + orderId, clientId: 7,
});

/** Opens a 405/410 bull call ×2 and closes it: entry 1.50 debit, exit 2.00 credit. */
function roundTrip(j: Journal): { spreadId: number; openTicket: string; closeTicket: string } {
  const opened = j.recordIntent(worldIntent([1, 2], 2, { orderId: 101, clientId: 7 }));
  if (!opened.ok) throw new Error(opened.error.message);
  const { ticketId: openTicket, spreadId } = opened.value;
  expect(j.recordSubmission({ ticketId: openTicket, orderId: 101, clientId: 7, limitPrice: 1.5 }).ok).toBe(true); // one price step
  const events: BrokerEvent[] = [
    status(101, 'Submitted', 0, 2),
    exec(openTicket, 101, 'e1.01.01', 1, 405, 'BOT', 2, 3.2),
    exec(openTicket, 101, 'e1.02.01', 2, 410, 'SLD', 2, 1.7),
    commission('e1.01.01', 1.3),
    commission('e1.02.01', 1.3),
    status(101, 'Filled', 2, 0),
  ];
  for (const e of events) expect(j.ingest(e).ok).toBe(true);
  expect(j.trades().map((t) => t.status)).toEqual(['open']); // loads the cache; the close below must refresh it
  clock += 86_400_000;
  const closing = j.recordIntent({ ...worldIntent([1, 2], 2, { orderId: 102, clientId: 7 }), purpose: 'close', spreadId, action: 'SELL', limitPrice: 2 });
  if (!closing.ok) throw new Error(closing.error.message);
  const closeTicket = closing.value.ticketId;
  const closeEvents: BrokerEvent[] = [
    exec(closeTicket, 102, 'e2.01.01', 1, 405, 'SLD', 2, 4.0),
    exec(closeTicket, 102, 'e2.02.01', 2, 410, 'BOT', 2, 2.0),
    commission('e2.01.01', 1.3),
    commission('e2.02.01', 1.3),
    status(102, 'Filled', 2, 0),
  ];
  expect(j.ingestBatch(closeEvents).ok).toBe(true);
  return { spreadId, openTicket, closeTicket };
}

let j: Journal;
beforeEach(() => {
  clock = T0;
  ids = 0;
  j = openMemoryJournal(deps());
});
afterEach(() => j.close());

describe('write-ahead intents', () => {
  it('records the ticket, its legs and its first submission in one commit', () => {
    const r = j.recordIntent(worldIntent([1, 2], 3, { orderId: 100, clientId: 7 }));
    expect(r).toEqual({ ok: true, value: { ticketId: 'sd-t1', spreadId: 1, orderRow: 1 } });
    expect(j.db.prepare('SELECT count(*) FROM ticket_legs').pluck().get()).toBe(2);
    expect(j.db.prepare('SELECT order_ref, status, total_qty_u FROM orders').get()).toEqual({ order_ref: 'sd-t1', status: 'PendingSubmit', total_qty_u: 3_000_000 });
    expect(j.db.prepare('SELECT long_con_id, short_con_id, status FROM spread_positions').get()).toEqual({ long_con_id: 1, short_con_id: 2, status: 'pending' });
  });

  it('stores the trade-record cache without leaving the connection below synchronous=FULL', () => {
    j.db.pragma('synchronous = FULL');
    expect(j.recordIntent(worldIntent([1, 2], 1, { orderId: 100, clientId: 7 })).ok).toBe(true);
    expect(j.trades().map((t) => t.id)).toEqual([1]);
    expect(j.db.prepare('SELECT count(*) FROM trade_records').pluck().get()).toBe(1);
    expect(j.db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('answers bad input, a risk denial and an unknown spread with error values', () => {
    const bad = j.recordIntent({ ...worldIntent([1, 2], 1), quantity: 0 });
    expect(!bad.ok && bad.error.code).toBe('VALIDATION');
    expect(!bad.ok && bad.error.message).toMatch(/^The journal refused the order's record: Quantity\b/);
    const denied = j.recordIntent({ ...worldIntent([1, 2], 1), risk: { verdict: 'deny', reasons: [{ code: 'MAX_LOSS', message: 'Max loss 900 exceeds the 500 limit' }] } });
    expect(!denied.ok && denied.error).toEqual({ code: 'RISK_DENIED', message: expect.stringContaining('Max loss 900 exceeds the 500 limit') });
    const orphan = j.recordIntent({ ...worldIntent([1, 2], 1), purpose: 'close', spreadId: 42 });
    expect(!orphan.ok && orphan.error.code).toBe('NOT_FOUND');
    expect(j.db.prepare('SELECT count(*) FROM tickets').pluck().get()).toBe(0);
  });

  it('refuses to reuse a broker order id that belongs to another order', () => {
    expect(j.recordIntent(worldIntent([1, 2], 1, { orderId: 100, clientId: 7 })).ok).toBe(true);
    const again = j.recordIntent(worldIntent([1, 2], 1, { orderId: 100, clientId: 7 }));
    expect(!again.ok && again.error.code).toBe('CONFLICT');
    expect(j.db.prepare('SELECT count(*) FROM tickets').pluck().get()).toBe(1); // rolled back whole
  });

  it('is visible to another connection as soon as recordIntent returns (committed, not buffered)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-wal-'));
    try {
      const o = openJournal({ dataDir: dir, ...deps() });
      if (!o.ok) throw new Error(o.error.message);
      const r = o.value.journal.recordIntent(worldIntent([1, 2], 1, { orderId: 7, clientId: 7 }));
      const reader = new Database(o.value.file, { readonly: true });
      expect(reader.prepare('SELECT id FROM tickets').pluck().all()).toEqual([r.ok && r.value.ticketId]);
      reader.close();
      o.value.journal.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('event ingestion', () => {
  it('stores the same broker event once, alone or in a batch', () => {
    const e = status(1, 'Submitted', 0, 1);
    expect(j.ingest(e)).toEqual({ ok: true, value: 'stored' });
    expect(j.ingest({ ...e, receivedAt: e.receivedAt + 5 })).toEqual({ ok: true, value: 'duplicate' });
    const x = exec('none', 1, 'x.01', 1, 405, 'BOT', 1, 1);
    expect(j.ingestBatch([x, x, commission('x.01'), commission('x.01'), e])).toEqual({ ok: true, value: { stored: 2, duplicates: 3 } });
    expect(j.db.prepare('SELECT count(*) FROM order_events').pluck().get()).toBe(3);
    expect(j.db.prepare('SELECT count(*) FROM executions').pluck().get()).toBe(1);
    expect(j.db.prepare('SELECT count(*) FROM commissions').pluck().get()).toBe(1);
  });

  it('keeps every broker message with its raw payload', () => {
    const e = status(1, 'Submitted', 0, 1);
    j.ingest(e);
    const row = j.db.prepare('SELECT type, status, filled_u, remaining_u, raw FROM order_events').get() as { raw: string };
    expect(row).toMatchObject({ type: 'orderStatus', status: 'Submitted', filled_u: 0, remaining_u: 1_000_000 });
    expect(JSON.parse(row.raw)).toEqual(e);
  });

  it('replaces a corrected execution, whichever arrives first', () => {
    for (const order of [['c.01.01', 'c.01.02'], ['c.01.02', 'c.01.01']]) {
      const mem = openMemoryJournal(deps());
      for (const id of order) mem.ingest(exec('none', 1, id, 1, 405, 'BOT', 1, id.endsWith('2') ? 3.25 : 3.2));
      expect(mem.db.prepare('SELECT exec_id, replaced_by FROM executions ORDER BY exec_id').all()).toEqual([
        { exec_id: 'c.01.01', replaced_by: 'c.01.02' },
        { exec_id: 'c.01.02', replaced_by: null },
      ]);
      expect(mem.view().positions).toEqual([{ account: 'DU1', conId: 1, symbol: 'SPY', qtyU: 1_000_000 }]);
      mem.close();
    }
  });

  it('rolls a failing batch back completely', () => {
    const good = status(1, 'Submitted', 0, 1);
    const broken = { ...exec('none', 1, 'bad.01', 1, 405, 'BOT', 1, 1), side: 'XX' } as unknown as ExecutionEvent;
    const r = j.ingestBatch([good, broken]);
    expect(r.ok).toBe(false);
    expect(j.db.prepare('SELECT count(*) FROM order_events').pluck().get()).toBe(0);
  });

  it('keeps the latest position, account value and daily P&L', () => {
    const pos = { type: 'position' as const, receivedAt: clock, account: 'DU1', contract: OPT(1, 405), position: 2, avgCost: 320 };
    expect(j.ingest(pos)).toEqual({ ok: true, value: 'stored' });
    expect(j.ingest(pos)).toEqual({ ok: true, value: 'duplicate' });
    expect(j.ingest({ ...pos, position: 0 })).toEqual({ ok: true, value: 'stored' });
    j.ingest({ type: 'pnl', receivedAt: Date.UTC(2025, 2, 4, 2), account: 'DU1', dailyPnL: 12.34, unrealizedPnL: 1.7976931348623157e308 });
    j.ingest({ type: 'accountValue', receivedAt: clock, account: 'DU1', key: 'NetLiquidation', value: '100000.25', currency: 'USD' });
    expect(j.db.prepare('SELECT position_u FROM broker_positions').pluck().get()).toBe(0);
    expect(j.db.prepare('SELECT day, daily_u, unrealized_u FROM daily_pnl').get()).toEqual({ day: '2025-03-03', daily_u: 12_340_000, unrealized_u: null });
    expect(j.db.prepare('SELECT value FROM account_snapshots').pluck().get()).toBe('100000.25');
  });
});

describe('spreads, trades and analytics', () => {
  it('groups leg fills into the spread and computes its P&L when closed', () => {
    const { spreadId } = roundTrip(j);
    expect(j.db.prepare('SELECT status, open_qty_u FROM spread_positions WHERE id = ?').get(spreadId)).toEqual({ status: 'closed', open_qty_u: 0 });
    const [t] = j.trades();
    expect(t).toMatchObject({ status: 'closed', quantity: 2, entryCashU: -300_000_000, exitCashU: 400_000_000, commissionsU: 5_200_000, netPnlU: 94_800_000, priceSteps: 1, slippageU: 10_000_000 });
    const a = j.analytics();
    expect(a.overall).toMatchObject({ trades: 1, wins: 1, netPnlU: 94_800_000 });
  });

  it('shows an open spread while only the opening fills are in', () => {
    const r = j.recordIntent(worldIntent([1, 2], 1, { orderId: 5, clientId: 7 }));
    const ticket = r.ok ? r.value.ticketId : '';
    j.ingestBatch([exec(ticket, 5, 'o.1.01', 1, 405, 'BOT', 1, 3), exec(ticket, 5, 'o.2.01', 2, 410, 'SLD', 1, 1.5)]);
    expect(j.trades({ status: 'open' })).toHaveLength(1);
    expect(j.trades({ status: 'closed' })).toHaveLength(0);
  });
});

describe('notes, tags, risk events', () => {
  it('saves, replaces and clears notes and tags', () => {
    const { spreadId } = roundTrip(j);
    expect(j.setNote(spreadId, '  took it off at 60%, "as planned"  ')).toEqual({ ok: true, value: null });
    expect(j.setTags(spreadId, ['earnings', ' earnings ', 'plan-a', ''])).toEqual({ ok: true, value: ['earnings', 'plan-a'] });
    expect(j.trades()[0]).toMatchObject({ note: 'took it off at 60%, "as planned"', tags: ['earnings', 'plan-a'] });
    j.setNote(spreadId, '');
    j.setTags(spreadId, []);
    expect(j.trades()[0]).toMatchObject({ note: '', tags: [] });
    expect(!j.setNote(999, 'x').ok).toBe(true);
    const long = j.setTags(spreadId, ['x'.repeat(41)]);
    expect(!long.ok && long.error.code).toBe('VALIDATION');
  });

  it('records risk denials with their reason', () => {
    j.startSession({ appVersion: '0.1.0', profile: 'local-paper', simulated: true });
    expect(j.recordRiskEvent({ kind: 'denied', code: 'MAX_LOSS', message: 'Max loss 900 exceeds the 500 limit', details: { maxLoss: 900 } }).ok).toBe(true);
    expect(j.db.prepare('SELECT kind, code, message, session_id FROM risk_events').get()).toEqual({ kind: 'denied', code: 'MAX_LOSS', message: 'Max loss 900 exceeds the 500 limit', session_id: 1 });
  });
});

describe('export and backup', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'journal-export-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('exports trades and executions as CSV that parses back', () => {
    const { spreadId } = roundTrip(j);
    j.setNote(spreadId, 'line one\nline two, with "quotes"');
    const trades = j.exportCsv('trades', join(dir, 'trades.csv'));
    expect(trades.ok && trades.value.rows).toBe(1);
    const rows = parseCsv(readFileSync(join(dir, 'trades.csv'), 'utf8'));
    const header = rows[0]!;
    const row = Object.fromEntries(header.map((h, i) => [h, rows[1]![i]]));
    expect(row).toMatchObject({ underlying: 'SPY', status: 'closed', net_pnl: '94.8', commissions: '5.2', note: 'line one\nline two, with "quotes"' });
    const execs = j.exportCsv('executions', join(dir, 'executions.csv'));
    expect(execs.ok && execs.value.rows).toBe(4);
    const erows = parseCsv(readFileSync(join(dir, 'executions.csv'), 'utf8'));
    expect(erows[1]).toContain('e1.01.01');
  });

  it('backs up online to a checked copy and refuses to overwrite', async () => {
    const o = openJournal({ dataDir: dir, ...deps() });
    if (!o.ok) throw new Error(o.error.message);
    roundTrip(o.value.journal);
    const target = join(dir, 'backup.sqlite');
    const b = await o.value.journal.backup(target);
    expect(b.ok).toBe(true);
    const copy = new Database(target, { readonly: true });
    expect(copy.prepare('SELECT count(*) FROM executions').pluck().get()).toBe(4);
    copy.close();
    const again = await o.value.journal.backup(target);
    expect(!again.ok && again.error.code).toBe('CONFLICT');
    o.value.journal.close();
  });
});
