// Unit tests of the small broker mechanisms: requests, backoff, error table, order ids, executions, state machine.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff';
import { ConnectionMachine, IllegalTransitionError } from './connection-state';
import {
  BrokerSaidError,
  CancelNotFoundError,
  ClientIdInUseError,
  ERROR_TABLE,
  FARM_CODES,
  fromBrokerCode,
  isInformational,
  LinkLostError,
  NoSecurityDefinitionError,
  OrderRejectedError,
  PacingViolationError,
  RequestTimeoutError,
  userMessage,
} from './errors';
import { ExecutionBook } from './executions';
import { fileOrderIdStore, memoryOrderIdStore, OrderIdAllocator, RESERVE_BLOCK } from './order-ids';
import { RequestRegistry } from './requests';
import { ManualTimers } from './timers';

describe('RequestRegistry', () => {
  it('collects replies and resolves on End, measuring latency from the send', async () => {
    const timers = new ManualTimers(0);
    const reg = new RequestRegistry(timers);
    const { reqId, promise } = reg.begin<number, number>({ kind: 'sum', timeoutMs: 1000, finish: (xs) => xs.reduce((a, b) => a + b, 0) });
    timers.advance(500); // queued behind the pacer: does not count
    reg.sent(reqId);
    reg.push(reqId, 2);
    reg.push(reqId, 3);
    timers.advance(40);
    expect(reg.end(reqId)).toBe(true);
    await expect(promise).resolves.toBe(5);
    expect(reg.stats()).toMatchObject({ pending: 0, completed: 1, latencyP50Ms: 40 });
    expect(reg.push(reqId, 1)).toBe(false); // late replies are ignored
  });

  it('rejects on error and on timeout, and runs the timeout clean-up', async () => {
    const timers = new ManualTimers(0);
    const reg = new RequestRegistry(timers);
    const a = reg.begin({ kind: 'details', timeoutMs: 1000, finish: () => 1 });
    reg.sent(a.reqId);
    reg.fail(a.reqId, fromBrokerCode(200, 'No security definition has been found for the request', a.reqId));
    await expect(a.promise).rejects.toBeInstanceOf(NoSecurityDefinitionError);
    let cleaned = -1;
    const b = reg.begin({ kind: 'snapshot', what: 'the SPY quote', timeoutMs: 1000, finish: () => 1, onTimeout: (id) => (cleaned = id) });
    reg.sent(b.reqId);
    timers.advance(1000);
    await expect(b.promise).rejects.toBeInstanceOf(RequestTimeoutError);
    await expect(b.promise).rejects.toThrow('the SPY quote');
    expect(cleaned).toBe(b.reqId);
    expect(reg.stats().timeouts).toBe(1);
  });

  it('fails everything on disconnect and never reuses an id', async () => {
    const reg = new RequestRegistry(new ManualTimers(0));
    const ps = [1, 2, 3].map(() => reg.begin({ kind: 'x', timeoutMs: 10, finish: () => 0 }));
    expect(new Set(ps.map((p) => p.reqId)).size).toBe(3);
    expect(reg.failAll((what) => new Error(`lost ${what}`))).toBe(3);
    for (const p of ps) await expect(p.promise).rejects.toThrow('lost x');
  });

  it('a finish that throws rejects instead of crashing', async () => {
    const reg = new RequestRegistry(new ManualTimers(0));
    const p = reg.begin({ kind: 'x', timeoutMs: 10, finish: () => { throw new Error('bad reply'); } });
    reg.end(p.reqId);
    await expect(p.promise).rejects.toThrow('bad reply');
  });
});

describe('Backoff', () => {
  it('grows exponentially, is capped, jitters downward only, and resets', () => {
    const b = new Backoff({ initialMs: 250, maxMs: 4000, jitter: 0, random: () => 0.5 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000]);
    b.reset();
    expect(b.next()).toBe(250);
    const j = new Backoff({ initialMs: 1000, maxMs: 1000, jitter: 0.3, random: () => 0.999 });
    const d = j.next();
    expect(d).toBeGreaterThanOrEqual(700);
    expect(d).toBeLessThanOrEqual(1000);
    const rnd = new Backoff();
    for (let i = 0; i < 100; i++) expect(rnd.next()).toBeLessThanOrEqual(4000);
  });
});

describe('error table', () => {
  it('maps each code to a typed error with a trader sentence', () => {
    const cases: Array<[number, new (...a: never[]) => Error]> = [
      [100, PacingViolationError],
      [200, NoSecurityDefinitionError],
      [201, OrderRejectedError],
      [326, ClientIdInUseError],
      [1100, LinkLostError],
      [10147, CancelNotFoundError],
      [99999, BrokerSaidError],
    ];
    for (const [code, Cls] of cases) expect(fromBrokerCode(code, 'x')).toBeInstanceOf(Cls);
    expect(fromBrokerCode(201, 'Order rejected - reason:Insufficient buying power').userMessage).toBe('IBKR rejected the order: Order rejected - reason:Insufficient buying power');
    expect(userMessage(424242, 'Something odd')).toBe('The broker said: Something odd');
    for (const code of [1100, 1101, 1102, 2110, 100, 101, 102, 103, 200, 201, 202, 300, 321, 326, 354, 10147, 10148, 10167, 2104, 2106, 2158, 502, 504]) {
      expect(ERROR_TABLE[code], `code ${code}`).toBeDefined();
      expect(userMessage(code, 'm').length).toBeGreaterThan(10);
    }
  });

  it('treats farm notices and restores as information, never errors', () => {
    for (const code of [2104, 2106, 2158]) {
      expect(FARM_CODES.has(code)).toBe(true);
      expect(isInformational(code)).toBe(true);
    }
    expect(isInformational(1102)).toBe(true);
    expect(isInformational(2199)).toBe(true);
    expect(isInformational(1100)).toBe(false);
    expect(isInformational(201)).toBe(false);
  });
});

describe('OrderIdAllocator', () => {
  it('starts at nextValidId, stays above the high-water mark and everything observed', () => {
    const store = memoryOrderIdStore(null);
    const a = new OrderIdAllocator(store);
    expect(() => a.allocate()).toThrow(/not available/);
    a.onNextValidId(5);
    expect([a.allocate(), a.allocate()]).toEqual([5, 6]);
    // One durable write reserves a block: the persisted mark is at or above every id handed out.
    expect(store.value).toBe(5 + RESERVE_BLOCK - 1);
    let saves = 0;
    const counted = new OrderIdAllocator({ load: () => null, save: () => void saves++ });
    counted.onNextValidId(1);
    for (let i = 0; i < RESERVE_BLOCK * 2 + 1; i++) counted.allocate();
    expect(saves).toBe(3);
    a.observe(40);
    expect(a.allocate()).toBe(41);
    // A reconnect to a broker that forgot (a reset paper account) gives a lower id: we never go back.
    a.reset();
    a.onNextValidId(1);
    expect(a.allocate()).toBe(42);
  });

  it('keeps increasing across restarts through the file store, per key, surviving a corrupt file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-ids-'));
    const path = join(dir, 'ids.json');
    const first = new OrderIdAllocator(fileOrderIdStore(path, 'local-paper:1'));
    first.onNextValidId(100);
    const used = [first.allocate(), first.allocate(), first.allocate()];
    const restarted = new OrderIdAllocator(fileOrderIdStore(path, 'local-paper:1'));
    restarted.onNextValidId(100); // the broker does not know about the last three yet
    // Above everything used (it starts past the reserved block: ids need only increase).
    expect(restarted.allocate()).toBe(100 + RESERVE_BLOCK);
    expect(restarted.allocate()).toBeGreaterThan(Math.max(...used));
    const other = new OrderIdAllocator(fileOrderIdStore(path, 'tws-paper:1'));
    other.onNextValidId(7);
    expect(other.allocate()).toBe(7);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ version: 1, highWater: { 'local-paper:1': 100 + 2 * RESERVE_BLOCK - 1, 'tws-paper:1': 7 + RESERVE_BLOCK - 1 } });
    writeFileSync(path, '{not json');
    const afterCorruption = new OrderIdAllocator(fileOrderIdStore(path, 'local-paper:1'));
    afterCorruption.onNextValidId(300);
    expect(afterCorruption.allocate()).toBe(300);
  });

  it('never returns an id it could not persist', () => {
    const a = new OrderIdAllocator({ load: () => 10, save: () => { throw new Error('disk full'); } });
    a.onNextValidId(1);
    expect(() => a.allocate()).toThrow('disk full');
    expect(a.highWaterMark).toBe(10);
  });
});

describe('ExecutionBook', () => {
  it('ignores replays, replaces corrections, ignores stale revisions', () => {
    const book = new ExecutionBook<{ qty: number }>();
    expect(book.apply('0000e0d5.6575a8b1.01.01', { qty: 1 })).toBe('new');
    expect(book.apply('0000e0d5.6575a8b1.01.01', { qty: 1 })).toBe('replay');
    expect(book.apply('0000e0d5.6575a8b1.01.02', { qty: 2 })).toBe('correction');
    expect(book.apply('0000e0d5.6575a8b1.01.01', { qty: 1 })).toBe('stale');
    expect(book.apply('0000e0d5.6575a8b2.01.01', { qty: 5 })).toBe('new');
    expect(book.current()).toEqual([{ qty: 2 }, { qty: 5 }]);
    expect(book.applyCommission('x.01')).toBe(true);
    expect(book.applyCommission('x.01')).toBe(false);
  });
});

describe('ConnectionMachine', () => {
  it('follows the table and throws on an illegal transition', () => {
    const seen: string[] = [];
    const m = new ConnectionMachine(() => 0, (f, t) => seen.push(`${f}>${t}`));
    m.to('connecting', 'user');
    m.to('connected', 'handshake');
    m.to('reconnecting', 'socket closed');
    m.to('connecting', 'retry');
    m.to('disconnected', 'user');
    expect(seen).toEqual(['disconnected>connecting', 'connecting>connected', 'connected>reconnecting', 'reconnecting>connecting', 'connecting>disconnected']);
    expect(() => m.to('connected', 'bug')).toThrow(IllegalTransitionError);
  });
});
