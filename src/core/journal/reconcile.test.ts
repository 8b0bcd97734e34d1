import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BrokerEvent, ExecutionEvent } from '../broker/events';
import { isTerminalStatus, orderKey } from '../broker/events';
import { type JournalModel, applyEvent, applySubmission, emptyModel, findOrder, modelFromView, viewFromModel } from './model';
import { applyRepairs, filledFromExecutions, reconcile } from './reconcile';
import { type OrderSpec, type World, WORLD_ACCOUNT, buildWorld, interleave } from '../../../tests/support/journal-synthetic';

const orderSpec: fc.Arbitrary<OrderSpec> = fc.record({
  external: fc.boolean(),
  neverSent: fc.boolean(),
  qty: fc.integer({ min: 1, max: 4 }),
  fills: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }),
  ending: fc.constantFrom('working', 'filled', 'cancelled'),
  correction: fc.boolean(),
  conIds: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
});

/** A broker world, an interleaving of its events with duplicates, and a crash point. */
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
    });
  });

function journalAfter(world: World, keys: number[], duplicates: number[], crashAt: number): JournalModel {
  const model = emptyModel();
  // Write-ahead: every app ticket and its order row exist before anything reaches the broker.
  for (const t of world.tickets) applySubmission(model, t);
  const events = interleave(world.streams, keys);
  const delivered: BrokerEvent[] = [];
  events.forEach((e, i) => {
    delivered.push(e);
    if (duplicates.includes(i)) delivered.push(e);
  });
  for (const e of delivered.slice(0, crashAt + duplicates.filter((d) => d < crashAt).length)) applyEvent(model, e);
  return model;
}

function currentByBase(executions: Iterable<{ base: string; execId: string; replacedBy: string | null }>): Map<string, string> {
  const out = new Map<string, string>();
  for (const x of executions) if (x.replacedBy === null) out.set(x.base, x.execId);
  return out;
}

function expectMatchesBroker(model: JournalModel, world: World): void {
  // Working orders: exactly the broker's, in the broker's state.
  const working = model.orders.filter((o) => !isTerminalStatus(o.state.status));
  expect(working.map((o) => orderKey(o)).sort()).toEqual(world.broker.openOrders.map((o) => orderKey(o)).sort());
  for (const o of working) {
    const truth = world.finalOrders.get(orderKey(o))!;
    expect(o.state.status).toBe(truth.status);
    expect(o.state.filledU).toBe(truth.filledU);
  }
  // Every order the journal knows that the broker finished is finished, with the broker's fills.
  const truths = [...world.finalOrders.values()];
  for (const o of model.orders) {
    const truth = findOrder(truths, o);
    if (!truth) {
      expect(isTerminalStatus(o.state.status)).toBe(true); // never sent: closed out
      expect(o.state.filledU).toBe(0);
      continue;
    }
    if (!truth.working) {
      expect(isTerminalStatus(o.state.status)).toBe(true);
      expect(o.state.filledU).toBe(truth.filledU);
    }
  }
  // Every app order that reached the broker is known and linked to its ticket.
  for (const truth of truths) {
    if (!truth.app) continue;
    expect(findOrder(model.orders, truth)?.ticketId).toMatch(/^sd-test-/);
  }
  // Fills: the broker's latest revision of each execution is the journal's current one.
  const journalCurrent = currentByBase(model.executions.values());
  const brokerCurrent = new Map<string, ExecutionEvent>();
  for (const e of world.broker.executions) {
    const base = e.execId.slice(0, e.execId.lastIndexOf('.'));
    const prev = brokerCurrent.get(base);
    if (!prev || prev.execId < e.execId) brokerCurrent.set(base, e);
  }
  expect([...journalCurrent.entries()].sort()).toEqual([...brokerCurrent.entries()].map(([b, e]) => [b, e.execId]).sort());
  for (const c of world.broker.commissions) expect(model.commissionExecIds.has(c.execId)).toBe(true);
  // Positions: equal to the broker's, contract by contract.
  const journalPositions = [...model.positions.values()].filter((p) => p.qtyU !== 0).map((p) => [p.conId, p.qtyU]);
  const brokerPositions = world.broker.positions.map((p) => [p.contract.conId, Math.round(p.position * 1e6)]);
  expect(journalPositions.sort()).toEqual(brokerPositions.sort());
}

describe('reconcile (property)', () => {
  it('any interleaving, duplicates and crash point reconcile to the broker and then stay clean', () => {
    fc.assert(
      fc.property(scenario, ({ world, keys, duplicates, crashAt }) => {
        const model = journalAfter(world, keys, duplicates, crashAt);
        const report = reconcile(viewFromModel(model), world.broker);
        // A consistent world never needs positions adopted: fills explain them.
        expect(report.counts.positionMismatch).toBe(0);
        applyRepairs(model, report.repairs);
        expectMatchesBroker(model, world);
        const again = reconcile(viewFromModel(model), world.broker);
        expect(again.diffs).toEqual([]);
        expect(again.clean).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('a journal that saw everything, in order, is already clean', () => {
    fc.assert(
      fc.property(fc.array(orderSpec, { minLength: 1, maxLength: 5 }), (specs) => {
        const world = buildWorld(specs);
        const model = emptyModel();
        for (const t of world.tickets) applySubmission(model, t);
        for (const e of world.streams.flat()) applyEvent(model, e);
        // Orders never sent are the only thing the broker cannot confirm.
        const report = reconcile(viewFromModel(model), world.broker);
        const neverSent = world.tickets.length - [...world.finalOrders.values()].filter((o) => o.app).length;
        expect(report.diffs.filter((d) => d.kind !== 'orderNoLongerOpen')).toEqual([]);
        expect(report.counts.orderNoLongerOpen).toBe(neverSent);
      }),
      { numRuns: 200 },
    );
  });
});

describe('reconcile (examples)', () => {
  const world = buildWorld([
    { external: false, neverSent: false, qty: 2, fills: [1], ending: 'working', correction: false, conIds: [1, 2] },
    { external: true, neverSent: false, qty: 1, fills: [], ending: 'working', correction: false, conIds: [3, 3] },
  ]);

  it('names an order placed outside the app and records it', () => {
    const model = emptyModel();
    for (const t of world.tickets) applySubmission(model, t);
    for (const e of world.streams[0]!) applyEvent(model, e);
    const report = reconcile(viewFromModel(model), world.broker);
    expect(report.diffs).toEqual([expect.objectContaining({ kind: 'externalOrder', orderRef: null, symbol: 'SPY' })]);
    applyRepairs(model, report.repairs);
    expect(model.orders.find((o) => o.permId === 900_001)?.origin).toBe('external');
  });

  it('finds a fill the journal missed and the position it explains', () => {
    const model = emptyModel();
    for (const t of world.tickets) applySubmission(model, t);
    // Crash before any fill of the first order reached the journal.
    for (const e of world.streams[0]!.filter((e) => e.type !== 'execution')) applyEvent(model, e);
    applyEvent(model, world.streams[1]![0]!);
    const report = reconcile(viewFromModel(model), world.broker);
    expect(report.counts.missingExecution).toBe(3); // two legs and the BAG line
    expect(report.counts.positionMismatch).toBe(0);
  });

  it('adopts a position opened before the journal existed, once', () => {
    const model = modelFromView(viewFromModel(emptyModel()));
    const broker = {
      ...world.broker,
      openOrders: [],
      orderStatuses: [],
      executions: [],
      commissions: [],
      positions: [{ type: 'position' as const, receivedAt: 0, account: WORLD_ACCOUNT, contract: { conId: 77, symbol: 'QQQ', secType: 'OPT' }, position: -3 }],
    };
    const report = reconcile(viewFromModel(model), broker);
    expect(report.diffs).toEqual([{ kind: 'positionMismatch', account: WORLD_ACCOUNT, conId: 77, symbol: 'QQQ', journalU: 0, brokerU: -3_000_000 }]);
    applyRepairs(model, report.repairs);
    expect(reconcile(viewFromModel(model), broker).clean).toBe(true);
  });

  it('closes out an order that never reached the broker', () => {
    const model = emptyModel();
    applySubmission(model, { ticketId: 't1', orderId: 5, clientId: 7, quantity: 1 });
    const report = reconcile(viewFromModel(model), { openOrders: [], orderStatuses: [], executions: [], commissions: [], positions: [] });
    expect(report.diffs).toEqual([
      { kind: 'orderNoLongerOpen', orderKey: 'c7:o5', orderRef: 't1', journal: { status: 'PendingSubmit', filledU: 0 }, inferred: { status: 'Cancelled', filledU: 0 } },
    ]);
  });

  it('keeps a filled order filled when the open-order list predates its fill (found by the order-flow crash trials)', () => {
    // The order filled between the broker's open-order answer and its executions answer: the list still shows it
    // Submitted with nothing filled, the executions show it complete. Before the fix the repair moved the journal
    // back to Submitted, the next comparison found it no longer open, and trading stayed halted.
    const filled = buildWorld([{ external: false, neverSent: false, qty: 2, fills: [2], ending: 'filled', correction: false, conIds: [1, 2] }]);
    const model = emptyModel();
    for (const t of filled.tickets) applySubmission(model, t);
    for (const e of filled.streams[0]!) applyEvent(model, e);
    const order = model.orders[0]!;
    expect(order.state).toMatchObject({ status: 'Filled', filledU: 2_000_000 });
    const open = filled.streams[0]!.find((e) => e.type === 'openOrder')!;
    const status = filled.streams[0]!.find((e) => e.type === 'orderStatus' && e.status === 'Submitted')!;
    const stale = { ...filled.broker, openOrders: [open, open] as typeof filled.broker.openOrders, orderStatuses: [status] as typeof filled.broker.orderStatuses };
    const report = reconcile(viewFromModel(model), stale);
    expect(report.repairs.filter((r) => r.kind === 'setOrderState')).toEqual([]);
    expect(report.clean).toBe(true);
    applyRepairs(model, report.repairs);
    expect(model.orders[0]!.state).toMatchObject({ status: 'Filled', filledU: 2_000_000 });
    // A part fill the executions show lifts a stale open order's filled quantity, and it stays working.
    const part = buildWorld([{ external: false, neverSent: false, qty: 2, fills: [1], ending: 'working', correction: false, conIds: [1, 2] }]);
    const m2 = emptyModel();
    for (const t of part.tickets) applySubmission(m2, t);
    for (const e of part.streams[0]!.filter((e) => e.type !== 'orderStatus')) applyEvent(m2, e);
    const staleStatus = part.streams[0]!.find((e) => e.type === 'orderStatus' && e.filled === 0)!;
    const r2 = reconcile(viewFromModel(m2), { ...part.broker, orderStatuses: [staleStatus] as typeof part.broker.orderStatuses });
    expect(r2.repairs.filter((r) => r.kind === 'setOrderState')).toEqual([expect.objectContaining({ status: 'Submitted', filledU: 1_000_000 })]);
  });

  it('counts combo fills from the BAG line when present, else the fullest leg', () => {
    expect(filledFromExecutions([{ conId: 1, secType: 'OPT', sharesU: 2 }, { conId: 9, secType: 'BAG', sharesU: 1 }])).toBe(1);
    expect(filledFromExecutions([{ conId: 1, secType: 'OPT', sharesU: 2 }, { conId: 2, secType: 'OPT', sharesU: 1 }])).toBe(2);
  });
});
