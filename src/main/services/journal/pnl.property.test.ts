// Property: every P&L the journal reports equals an independent sum over the raw fills and fees it was given.
//
// Random spreads are opened and closed in pieces (by ticket, or from TWS), with corrections,
// commissions arriving late or on the BAG line, and the trade list read in between. The expected
// figures are summed here from the generated events alone, never through the journal's code.
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BrokerEvent, ContractRef, ExecutionEvent } from '../../../core/broker';
import { worldIntent } from '../../../../tests/support/journal-synthetic';
import { openJournal } from './index';

const M = 1_000_000;
interface Piece { qty: number; longPx: number; shortPx: number; byTws: boolean; feeLate: boolean; corrected: boolean }
interface SpreadPlan { qty: number; longPx: number; shortPx: number; bagFee: boolean; closes: Piece[] }

const cents = fc.integer({ min: 5, max: 900 }); // price in cents
const piece = fc.record({ qty: fc.integer({ min: 1, max: 3 }), longPx: cents, shortPx: cents, byTws: fc.boolean(), feeLate: fc.boolean(), corrected: fc.boolean() });
const plan: fc.Arbitrary<SpreadPlan> = fc.record({ qty: fc.integer({ min: 1, max: 5 }), longPx: cents, shortPx: cents, bagFee: fc.boolean(), closes: fc.array(piece, { maxLength: 3 }) });

const OPT = (conId: number, strike: number): ContractRef => ({ conId, symbol: 'SPY', secType: 'OPT', lastTradeDateOrContractMonth: '20250321', strike, right: 'C', multiplier: '100' });

describe('journal P&L vs an independent sum over fills (property)', () => {
  it('net, gross and fees of every spread equal the sums of its raw fills and commissions', () => {
    fc.assert(
      fc.property(fc.array(plan, { minLength: 1, maxLength: 4 }), (plans) => {
        const dir = mkdtempSync(join(tmpdir(), 'journal-pnl-'));
        let n = 0;
        const o = openJournal({ dataDir: dir, clock: () => Date.UTC(2025, 2, 3, 15), newTicketId: () => `sd-p${++n}`, idleCheckpointMs: 0 });
        if (!o.ok) throw new Error(o.error.message);
        const j = o.value.journal;
        try {
          const expected = new Map<number, { cash: number; fees: number; open: number }>();
          let orderId = 100;
          let seq = 0;
          const fill = (ref: string | undefined, oid: number, conId: number, strike: number, side: 'BOT' | 'SLD', qty: number, cents: number, execId = `x${++seq}.01`): ExecutionEvent => ({
            type: 'execution', receivedAt: Date.UTC(2025, 2, 3, 15), orderId: ref ? oid : 0, clientId: ref ? 7 : 0, permId: ref ? 9000 + oid : 0, ...(ref ? { orderRef: ref } : {}),
            contract: OPT(conId, strike), execId, time: '20250303 10:00:00 US/Eastern', acctNumber: 'DU1', side, shares: qty, price: cents / 100,
          });
          const fee = (execId: string, amount: number): BrokerEvent => ({ type: 'commissionReport', receivedAt: 0, execId, commission: amount, currency: 'USD' });
          plans.forEach((p, i) => {
            // Each spread trades its own two contracts, so no close can belong to another spread.
            const [a, b] = [10 + 2 * i, 11 + 2 * i];
            const oid = ++orderId;
            const r = j.recordIntent(worldIntent([a, b], p.qty, { orderId: oid, clientId: 7 }));
            if (!r.ok) throw new Error(r.error.message);
            const { ticketId, spreadId } = r.value;
            const e = { cash: 0, fees: 0, open: p.qty };
            const L = fill(ticketId, oid, a, 400 + a * 5, 'BOT', p.qty, p.longPx);
            const S = fill(ticketId, oid, b, 400 + b * 5, 'SLD', p.qty, p.shortPx);
            const events: BrokerEvent[] = [L, S];
            e.cash += (p.shortPx - p.longPx) * p.qty * M; // cents × 100 multiplier = dollars × M / 100 × 100
            if (p.bagFee) {
              const bag: ExecutionEvent = { ...fill(ticketId, oid, 28812380, 0, 'BOT', p.qty, p.longPx - p.shortPx), contract: { conId: 28812380, symbol: 'SPY', secType: 'BAG' } };
              events.push(bag, fee(bag.execId, 1.3 * p.qty));
              e.fees += 1.3 * p.qty * M; // the legs carry no fee here: the BAG's is the fee
            } else {
              events.push(fee(L.execId, 0.65 * p.qty), fee(S.execId, 0.65 * p.qty));
              e.fees += 1.3 * p.qty * M;
            }
            j.ingestBatch(events);
            j.trades(); // the cache is loaded between steps: later events must refresh it
            for (const c of p.closes) {
              const qty = Math.min(c.qty, e.open);
              if (qty === 0) break;
              e.open -= qty;
              let ref: string | undefined;
              let coid = 0;
              if (!c.byTws) {
                coid = ++orderId;
                const cr = j.recordIntent({ ...worldIntent([a, b], qty, { orderId: coid, clientId: 7 }), purpose: 'close', spreadId, action: 'SELL', limitPrice: 1 });
                if (!cr.ok) throw new Error(cr.error.message);
                ref = cr.value.ticketId;
              }
              const cl = fill(ref, coid, a, 400 + a * 5, 'SLD', qty, c.longPx);
              const cs = fill(ref, coid, b, 400 + b * 5, 'BOT', qty, c.shortPx);
              let longPx = c.longPx;
              const later: BrokerEvent[] = [fee(cl.execId, 0.65 * qty), fee(cs.execId, 0.65 * qty)];
              const now: BrokerEvent[] = [cl, cs];
              if (c.corrected) {
                longPx = c.longPx + 1; // TWS corrects the price; no new commission report
                now.push({ ...cl, execId: cl.execId.replace(/\.01$/, '.02'), price: longPx / 100 });
              }
              e.cash += (longPx - c.shortPx) * qty * M;
              e.fees += 1.3 * qty * M;
              if (c.feeLate) {
                j.ingestBatch(now);
                j.trades();
                j.ingestBatch(later);
              } else j.ingestBatch([...now, ...later]);
            }
            expected.set(spreadId, e);
          });
          for (const t of j.trades()) {
            const e = expected.get(t.id)!;
            expect(t.commissionsU).toBe(Math.round(e.fees));
            expect(t.openQuantity).toBe(e.open);
            if (e.open === 0) {
              expect(t.status).toBe('closed');
              expect(t.grossPnlU).toBe(Math.round(e.cash));
              expect(t.netPnlU).toBe(Math.round(e.cash - e.fees));
            }
          }
        } finally {
          j.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 40 },
    );
  });
});
