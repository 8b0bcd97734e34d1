import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type JournalView, applyEvent, applyRepairs, applySubmission, emptyModel, reconcile, viewFromModel } from '../../../core/journal';
import { type BrokerEvent, isTerminalStatus } from '../../../core/broker';
import { type OrderSpec, buildWorld, interleave } from '../../../../tests/support/journal-synthetic';
import { openMemoryJournal } from './index';

const orderSpec: fc.Arbitrary<OrderSpec> = fc.record({
  external: fc.boolean(),
  neverSent: fc.boolean(),
  qty: fc.integer({ min: 1, max: 4 }),
  fills: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }),
  ending: fc.constantFrom('working', 'filled', 'cancelled'),
  correction: fc.boolean(),
  conIds: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
});

const scenario = fc
  .array(orderSpec, { minLength: 1, maxLength: 5 })
  .map((specs) => buildWorld(specs))
  .chain((world) => {
    const n = world.streams.flat().length;
    return fc.record({
      world: fc.constant(world),
      keys: fc.array(fc.integer(), { minLength: n, maxLength: n }),
      duplicates: fc.array(fc.nat(Math.max(0, n - 1)), { maxLength: 6 }),
      crashAt: fc.nat(n),
      batchSize: fc.integer({ min: 1, max: 8 }),
    });
  });

/** Views compared as sets: row order is not part of the journal's meaning. */
function normalise(v: JournalView) {
  return {
    orders: v.orders.map((o) => JSON.stringify(o)).sort(),
    executions: v.executions.map((x) => JSON.stringify(x, Object.keys(x).sort())).sort(),
    commissions: [...v.commissionExecIds].sort(),
    positions: v.positions.map((p) => `${p.account}|${p.conId}|${p.qtyU}`).sort(),
    tickets: [...v.ticketIds].sort(),
  };
}

describe('SQLite journal vs the reference rules (property)', () => {
  it('after any interleaving, duplicates and crash point: same view as the pure model, and reconciled to the broker', () => {
    fc.assert(
      fc.property(scenario, ({ world, keys, duplicates, crashAt, batchSize }) => {
        const ids = world.tickets.map((t) => t.ticketId);
        let next = 0;
        const journal = openMemoryJournal({ clock: () => 1_741_000_000_000, newTicketId: () => ids[next++]! });
        const model = emptyModel();
        try {
          for (const t of world.tickets) {
            const r = journal.recordIntent(t.intent);
            expect(r.ok).toBe(true);
            applySubmission(model, t);
          }
          const delivered: BrokerEvent[] = [];
          interleave(world.streams, keys).forEach((e, i) => {
            delivered.push(e);
            if (duplicates.includes(i)) delivered.push(e);
          });
          const seen = delivered.slice(0, crashAt + duplicates.filter((d) => d < crashAt).length);
          // Alternate the single-event and the batched path.
          for (let i = 0; i < seen.length; i += batchSize) {
            const chunk = seen.slice(i, i + batchSize);
            if (batchSize === 1) expect(journal.ingest(chunk[0]!).ok).toBe(true);
            else expect(journal.ingestBatch(chunk).ok).toBe(true);
          }
          for (const e of seen) applyEvent(model, e);
          expect(normalise(journal.view())).toEqual(normalise(viewFromModel(model)));

          const result = journal.reconcile(world.broker);
          if (!result.ok) throw new Error(result.error.message);
          const expected = reconcile(viewFromModel(model), world.broker);
          expect(result.value.counts).toEqual(expected.counts);
          applyRepairs(model, expected.repairs);
          expect(normalise(journal.view())).toEqual(normalise(viewFromModel(model)));

          // Working orders are exactly the broker's; a second pass finds nothing.
          const working = journal.view().orders.filter((o) => !isTerminalStatus(o.state.status));
          expect(working.map((o) => o.permId).sort()).toEqual(world.broker.openOrders.map((o) => o.permId).sort());
          const again = journal.reconcile(world.broker);
          expect(again.ok && again.value.clean).toBe(true);
        } finally {
          journal.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});
