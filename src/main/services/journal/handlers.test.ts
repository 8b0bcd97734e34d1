import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EventName, methods } from '../../../core/contract';
import type { BrokerView } from '../../../core/journal';
import type { BrokerEvent } from '../../../core/broker';
import { buildWorld } from '../../../../tests/support/journal-synthetic';
import { createEventBus } from '../events';
import { silentLogger } from '../logging';
import { journalHandlers } from './handlers';
import { type JournalService, createJournalService } from './service';

const ctx = { transport: 'direct' } as const;
const tick = () => new Promise((r) => setImmediate(r));

let dir: string;
let service: JournalService;
let listener: ((e: BrokerEvent) => void) | null;
let view: BrokerView;
let emitted: { name: EventName; payload: unknown }[];

// One filled app spread (two legs + BAG), one working external order.
const world = buildWorld([
  { external: false, neverSent: false, qty: 2, fills: [2], ending: 'filled', correction: true, conIds: [1, 2] },
  { external: true, neverSent: false, qty: 1, fills: [], ending: 'working', correction: false, conIds: [3, 3] },
]);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'journal-handlers-'));
  emitted = [];
  const bus = createEventBus({ validate: true });
  bus.subscribe((name, payload) => emitted.push({ name, payload }));
  view = world.broker;
  service = createJournalService({
    dataDir: dir,
    bus,
    logger: silentLogger(),
    now: () => Date.UTC(2025, 2, 3, 16),
    broker: {
      onEvent: (l) => {
        listener = l;
        return () => (listener = null);
      },
      brokerView: async () => view,
    },
  });
});
afterEach(() => {
  service.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Calls a handler and checks its result against the contract, as the dispatcher does in strict mode. */
async function call<M extends keyof ReturnType<typeof journalHandlers>>(name: M, args: Parameters<ReturnType<typeof journalHandlers>[M]>[0]) {
  const handler = journalHandlers(service)[name] as (a: unknown, c: typeof ctx) => unknown;
  const value = await handler(methods[name].args.parse(args), ctx);
  return methods[name].result.parse(value) as Awaited<ReturnType<ReturnType<typeof journalHandlers>[M]>>;
}

describe('journal handlers', () => {
  it('journals broker events as they stream in and announces the trades they touch', async () => {
    const ticket = world.tickets[0]!;
    const r = service.journal!.recordIntent(ticket.intent);
    expect(r.ok).toBe(true);
    for (const e of world.streams[0]!) listener!(e);
    await tick();
    const updated = emitted.filter((e) => e.name === 'journal.updated');
    expect(updated.at(-1)?.payload).toMatchObject({ spreadIds: [1] });
    const { trades, total } = await call('journal.trades', {});
    expect(total).toBe(1);
    expect(trades[0]).toMatchObject({ status: 'open', quantity: 2, entrySide: 'debit', priceSteps: 0 });
    expect(trades[0]!.entryPrice).toBeCloseTo(1.55, 10); // 3.25 corrected long leg − 1.70 short leg
  });

  it('reconciles with the broker and reports what it repaired', async () => {
    service.journal!.recordIntent(world.tickets[0]!.intent);
    const r = await call('journal.reconcile', {});
    expect(r.clean).toBe(false);
    expect(r.counts).toMatchObject({ missingExecution: 3, externalOrder: 1 });
    expect(r.summary).toContain('order(s) placed outside the app recorded');
    expect((await call('journal.status', {})).lastReconciliation).toMatchObject({ clean: false });
    expect((await call('journal.reconcile', {})).clean).toBe(true);
  });

  it('edits notes and tags, summarises, draws the curve, exports and backs up', async () => {
    service.journal!.recordIntent(world.tickets[0]!.intent);
    await call('journal.reconcile', {});
    const noted = await call('journal.setNote', { spreadId: 1, note: 'entered on the pullback' });
    expect(noted.note).toBe('entered on the pullback');
    const tagged = await call('journal.setTags', { spreadId: 1, tags: ['pullback', 'spy'] });
    expect(tagged.tags).toEqual(['pullback', 'spy']);
    expect(emitted.some((e) => e.name === 'journal.updated')).toBe(true);
    const summary = await call('journal.summary', {});
    expect(summary.openTrades).toBe(1);
    expect(summary.overall.trades).toBe(0);
    expect((await call('journal.equityCurve', { maxPoints: 100 })).points).toEqual([]);
    const csv = await call('journal.export', { kind: 'trades' });
    expect(csv.path.startsWith(join(dir, 'exports'))).toBe(true);
    expect(readFileSync(csv.path, 'utf8')).toContain('entered on the pullback');
    const named = await call('journal.export', { kind: 'executions', fileName: 'fills-march' });
    expect(named.path).toBe(join(dir, 'exports', 'fills-march.csv'));
    const backup = await call('journal.backup', {});
    expect(existsSync(backup.path)).toBe(true);
    expect(backup.path.startsWith(join(dir, 'backups'))).toBe(true);
  });

  it('rejects unsafe export names at the contract', () => {
    expect(methods['journal.export'].args.safeParse({ kind: 'trades', fileName: '../../etc/passwd' }).success).toBe(false);
    expect(methods['journal.export'].args.safeParse({ kind: 'trades', fileName: 'a/b' }).success).toBe(false);
  });

  it('answers NOT_FOUND for an unknown trade', async () => {
    await expect(call('journal.setNote', { spreadId: 99, note: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('journal service without a usable journal', () => {
  it('reports the reason and refuses journal calls with UNAVAILABLE', async () => {
    const blocked = mkdtempSync(join(tmpdir(), 'journal-blocked-'));
    const messages: string[] = [];
    const bus = createEventBus();
    bus.subscribe((name, payload) => {
      if (name === 'app.logged') messages.push((payload as { message: string }).message);
    });
    writeFileSync(join(blocked, 'data'), 'a file where the data directory should be');
    const s = createJournalService({ dataDir: join(blocked, 'data'), bus, logger: silentLogger() });
    try {
      expect(s.status()).toMatchObject({ available: false });
      expect(messages[0]).toMatch(/^Trade journal unavailable — trading is disabled\./);
      await expect(Promise.resolve().then(() => journalHandlers(s)['journal.trades']({}, ctx))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      s.close();
      rmSync(blocked, { recursive: true, force: true });
    }
  });
});
