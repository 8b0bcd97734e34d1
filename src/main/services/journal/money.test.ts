// Money defects found by an independent recomputation, each pinned against a real SQLite journal file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommissionReportEvent, ContractRef, ExecutionEvent, PositionEvent } from '../../../core/broker';
import type { BrokerView, TicketIntent } from '../../../core/journal';
import { worldIntent } from '../../../../tests/support/journal-synthetic';
import { type Journal, openJournal } from './index';

const M = 1_000_000;
const T0 = Date.UTC(2025, 2, 3, 15, 0, 0);
let clock = T0;
let ids = 0;
let dir: string;
let j: Journal;

const OPT = (conId: number, strike: number, right: 'C' | 'P' = 'C', multiplier: string | null = '100'): ContractRef => ({
  conId, symbol: 'SPY', secType: 'OPT', lastTradeDateOrContractMonth: '20250321', strike, right, ...(multiplier === null ? {} : { multiplier }),
});
function exec(ref: string | undefined, orderId: number, execId: string, contract: ContractRef, side: 'BOT' | 'SLD', shares: number, price: number, time = '20250303 10:00:00 US/Eastern'): ExecutionEvent {
  return {
    type: 'execution', receivedAt: clock, orderId, clientId: ref ? 7 : 0, permId: 5000 + orderId, ...(ref ? { orderRef: ref } : {}), contract, execId,
    time, acctNumber: 'DU1', side, shares, price,
  };
}
const fee = (execId: string, amount: number): CommissionReportEvent => ({ type: 'commissionReport', receivedAt: clock, execId, commission: amount, currency: 'USD', realizedPNL: null });
const pos = (contract: ContractRef, position: number): PositionEvent => ({ type: 'position', receivedAt: clock, account: 'DU1', contract, position, avgCost: 0 });
const view = (v: Partial<BrokerView>): BrokerView => ({ openOrders: [], orderStatuses: [], executions: [], commissions: [], positions: [], ...v });

function intent(i: TicketIntent): { ticketId: string; spreadId: number } {
  const r = j.recordIntent(i);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
/** Opens 1 × SPY 405/410 bull call (conIds 1, 2) at 1.50 debit with 0.65 per leg. */
function openOne(qty = 1): { ticketId: string; spreadId: number } {
  const o = intent(worldIntent([1, 2], qty, { orderId: 101, clientId: 7 }));
  expect(j.ingestBatch([
    exec(o.ticketId, 101, 'o1.01', OPT(1, 405), 'BOT', qty, 3.2), exec(o.ticketId, 101, 'o2.01', OPT(2, 410), 'SLD', qty, 1.7),
    fee('o1.01', 0.65 * qty), fee('o2.01', 0.65 * qty),
  ]).ok).toBe(true);
  return o;
}
const only = () => {
  const all = j.trades();
  return all.length === 1 ? all[0]! : all;
};

beforeEach(() => {
  clock = T0;
  ids = 0;
  dir = mkdtempSync(join(tmpdir(), 'journal-money-'));
  const o = openJournal({ dataDir: dir, clock: () => clock, newTicketId: () => `sd-m${++ids}`, idleCheckpointMs: 0 });
  if (!o.ok) throw new Error(o.error.message);
  j = o.value.journal;
});
afterEach(() => {
  j.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('journal money', () => {
  it('adds a commission that arrives after the trade list was read', () => {
    const o = intent(worldIntent([1, 2], 1, { orderId: 101, clientId: 7 }));
    j.ingestBatch([exec(o.ticketId, 101, 'o1.01', OPT(1, 405), 'BOT', 1, 3.2), exec(o.ticketId, 101, 'o2.01', OPT(2, 410), 'SLD', 1, 1.7)]);
    expect(j.trades()[0]!.commissionsU).toBe(0); // loads the cache
    j.ingest(fee('o1.01', 0.65));
    expect(j.trades()[0]!.commissionsU).toBe(0.65 * M);
    // …and one that reconciliation repairs in.
    expect(j.reconcile(view({ commissions: [fee('o2.01', 0.65)] })).ok).toBe(true);
    expect(j.trades()[0]!.commissionsU).toBe(1.3 * M);
  });

  it('keeps the fee of a fill corrected without a new commission report', () => {
    openOne();
    j.ingest(exec(undefined, 101, 'o1.02', OPT(1, 405), 'BOT', 1, 3.1)); // no orderRef: linked through its order (permId)
    j.ingest({ ...exec('sd-m1', 101, 'o2.02', OPT(2, 410), 'SLD', 1, 1.75) });
    const t = j.trades().find((x) => x.id === 1)!;
    expect(t.commissionsU).toBe(1.3 * M);
    expect(t.entryCashU).toBe(-135 * M); // 1.75 − 3.10 with the corrections
  });

  it('reads an execution without a multiplier with the spread multiplier, not ×1', () => {
    const o = intent(worldIntent([1, 2], 1, { orderId: 101, clientId: 7 }));
    j.ingestBatch([exec(o.ticketId, 101, 'o1.01', OPT(1, 405, 'C', null), 'BOT', 1, 3.2), exec(o.ticketId, 101, 'o2.01', OPT(2, 410, 'C', null), 'SLD', 1, 1.7)]);
    expect(only()).toMatchObject({ entryCashU: -150 * M });
  });

  it('reads execution times written in US/Central', () => {
    clock = T0 + 3_600_000; // received an hour later than executed
    const o = intent(worldIntent([1, 2], 1, { orderId: 101, clientId: 7 }));
    j.ingestBatch([
      exec(o.ticketId, 101, 'o1.01', OPT(1, 405), 'BOT', 1, 3.2, '20250303 09:00:00 US/Central'),
      exec(o.ticketId, 101, 'o2.01', OPT(2, 410), 'SLD', 1, 1.7, '20250303 09:00:00 US/Central'),
    ]);
    expect(only()).toMatchObject({ openedAt: Date.UTC(2025, 2, 3, 15) });
  });

  it('never matches a leg by strike alone: a put at the long strike is not the call leg', () => {
    const o = intent(worldIntent([1, 2], 1, { orderId: 101, clientId: 7, legs: [
      { conId: null, action: 'BUY', ratio: 1, expiry: '20250321', strike: 405, right: 'C' },
      { conId: null, action: 'SELL', ratio: 1, expiry: '20250321', strike: 410, right: 'C' },
    ] }));
    j.ingestBatch([exec(o.ticketId, 101, 'o1.01', OPT(1, 405), 'BOT', 1, 3.2), exec(o.ticketId, 101, 'p1.01', OPT(9, 405, 'P'), 'BOT', 1, 2.0)]);
    expect(j.db.prepare("SELECT exec_id, leg FROM spread_executions ORDER BY exec_id").all()).toEqual([{ exec_id: 'o1.01', leg: 'long' }, { exec_id: 'p1.01', leg: 'other' }]);
  });

  it('closes a spread closed from TWS (no ticket of ours) and books its P&L', () => {
    openOne();
    j.ingestBatch([exec(undefined, 0, 'tws1.01', OPT(1, 405), 'SLD', 1, 4.0), exec(undefined, 0, 'tws2.01', OPT(2, 410), 'BOT', 1, 2.0), fee('tws1.01', 0.65), fee('tws2.01', 0.65)]);
    expect(only()).toMatchObject({ status: 'closed', grossPnlU: 50 * M, commissionsU: 2.6 * M, netPnlU: 47.4 * M });
    expect(j.db.prepare("SELECT DISTINCT source FROM spread_executions WHERE role = 'close'").pluck().all()).toEqual(['external']);
  });

  it('books a one-ticket 4-leg roll: the old spread closes, the new one opens', () => {
    const { spreadId } = openOne();
    clock += 86_400_000;
    const roll = intent({
      ...worldIntent([1, 2], 1, { orderId: 102, clientId: 7 }), purpose: 'close', spreadId, action: 'BUY', limitPrice: 0.3,
      legs: [
        { conId: 1, action: 'SELL', ratio: 1, expiry: '20250321', strike: 405, right: 'C' },
        { conId: 2, action: 'BUY', ratio: 1, expiry: '20250321', strike: 410, right: 'C' },
        { conId: 3, action: 'BUY', ratio: 1, expiry: '20250418', strike: 415, right: 'C' },
        { conId: 4, action: 'SELL', ratio: 1, expiry: '20250418', strike: 420, right: 'C' },
      ],
    });
    const far = (conId: number, strike: number): ContractRef => ({ ...OPT(conId, strike), lastTradeDateOrContractMonth: '20250418' });
    j.ingestBatch([
      exec(roll.ticketId, 102, 'r1.01', OPT(1, 405), 'SLD', 1, 4.0), exec(roll.ticketId, 102, 'r2.01', OPT(2, 410), 'BOT', 1, 2.0),
      exec(roll.ticketId, 102, 'r3.01', far(3, 415), 'BOT', 1, 3.0), exec(roll.ticketId, 102, 'r4.01', far(4, 420), 'SLD', 1, 1.3),
    ]);
    const [old, fresh] = j.trades();
    expect(old).toMatchObject({ id: spreadId, status: 'closed', grossPnlU: 50 * M, exitCashU: 200 * M });
    expect(fresh).toMatchObject({ status: 'open', kind: 'bull-call', expiry: '20250418', entryCashU: -170 * M, quantity: 1 });
  });

  it('closes a spread that expired worthless from the broker positions (synthetic expiry fills)', () => {
    openOne();
    clock = Date.UTC(2025, 2, 24, 14); // the Monday after expiry
    const r = j.reconcile(view({ positions: [pos(OPT(1, 405), 0), pos(OPT(2, 410), 0)] }));
    expect(r.ok).toBe(true);
    const t = only();
    expect(t).toMatchObject({ status: 'closed', grossPnlU: -150 * M, netPnlU: -151.3 * M, closedAt: Date.UTC(2025, 2, 21, 20) });
    expect(j.db.prepare("SELECT DISTINCT source FROM spread_executions WHERE role = 'close'").pluck().all()).toEqual(['expiry']);
    expect(j.reconcile(view({ positions: [] })).ok && j.view().positions).toEqual([]); // now clean, nothing adopted
  });

  it('books an assigned short leg at its intrinsic value and leaves the long leg open', () => {
    openOne();
    clock = Date.UTC(2025, 2, 14, 14); // before expiry: early assignment of the 410 call
    const r = j.reconcile(view({ positions: [pos(OPT(1, 405), 1), pos(OPT(2, 410), 0)] }), { underlyingPrices: { SPY: 412.5 } });
    expect(r.ok).toBe(true);
    const t = only();
    expect(t).toMatchObject({ status: 'broken', exitCashU: -250 * M });
    expect(j.db.prepare("SELECT source FROM spread_executions WHERE role = 'close'").pluck().all()).toEqual(['assignment']);
  });

  it('survives a restart with the same trades', () => {
    openOne();
    j.ingestBatch([exec(undefined, 0, 'tws1.01', OPT(1, 405), 'SLD', 1, 4.0), exec(undefined, 0, 'tws2.01', OPT(2, 410), 'BOT', 1, 2.0)]);
    const before = j.trades();
    j.close();
    const o = openJournal({ dataDir: dir, clock: () => clock, idleCheckpointMs: 0 });
    if (!o.ok) throw new Error(o.error.message);
    j = o.value.journal;
    expect(j.trades()).toEqual(before);
  });

  it('opens from stored trade records and never serves a stale one', () => {
    openOne();
    expect(j.trades()).toHaveLength(1); // stores the record
    expect(j.db.prepare('SELECT count(*) FROM trade_records').pluck().get()).toBe(1);
    j.ingest(exec(undefined, 0, 'tws1.01', OPT(1, 405), 'SLD', 1, 4.0)); // the write drops the record in its own transaction
    expect(j.db.prepare('SELECT count(*) FROM trade_records').pluck().get()).toBe(0);
    j.close(); // closed before reading: the next open must rebuild it from the fills
    const o = openJournal({ dataDir: dir, clock: () => clock, idleCheckpointMs: 0 });
    if (!o.ok) throw new Error(o.error.message);
    j = o.value.journal;
    expect(only()).toMatchObject({ status: 'broken', exitCashU: 400 * M });
    j.db.prepare("UPDATE trade_records SET version = 0, record = '{}'").run(); // a record from an older rule is rebuilt
    j.close();
    const again = openJournal({ dataDir: dir, clock: () => clock, idleCheckpointMs: 0 });
    if (!again.ok) throw new Error(again.error.message);
    j = again.value.journal;
    expect(only()).toMatchObject({ status: 'broken', exitCashU: 400 * M });
  });

  it('shows positions as spreads from the broker positions, with an orphan leg', () => {
    const { spreadId } = openOne(2);
    j.ingestBatch([pos(OPT(1, 405), 2), pos(OPT(2, 410), -2), pos(OPT(7, 430, 'P'), -1)]);
    const g = j.positions();
    expect(g.spreads).toEqual([{ spreadId, matched: true, long: { conId: 1, journalU: 2 * M, brokerU: 2 * M }, short: { conId: 2, journalU: -2 * M, brokerU: -2 * M } }]);
    expect(g.orphans).toEqual([{ account: 'DU1', conId: 7, symbol: 'SPY', qtyU: -1 * M }]);
  });
});
