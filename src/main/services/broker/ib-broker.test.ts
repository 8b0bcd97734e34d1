// Adapter tests without a socket: a fake @stoqey client drives delayed-data fallbacks and hostile inbound messages.
import { EventEmitter } from 'node:events';
import { EventName, IBApi } from '@stoqey/ib';
import { describe, expect, it } from 'vitest';
import { IbBroker } from './ib-broker';
import { guardDecoder } from './inbound';
import { accountModeOf, inDailyRestartWindow } from './link';
import { memoryOrderIdStore } from './order-ids';
import { localTarget, tempDir } from '../../../../tests/support/broker';
import type { BrokerNotice, Quote } from './types';

type Call = [string, ...unknown[]];

/** Records every API call and lets the test emit what TWS would send. */
function fakeApi(): { api: IBApi; calls: Call[]; emit: (event: string, ...args: unknown[]) => void } {
  const ee = new EventEmitter();
  const calls: Call[] = [];
  const target = {
    on: (e: string, l: (...a: unknown[]) => void) => (ee.on(e, l), proxy),
    removeAllListeners: () => (ee.removeAllListeners(), proxy),
    serverVersion: 193,
    connect: () => {
      setImmediate(() => {
        ee.emit(EventName.server, 193, '20250106 10:00:00 US/Eastern');
        ee.emit(EventName.managedAccounts, 'DU7654321');
        ee.emit(EventName.nextValidId, 100);
      });
      return proxy;
    },
    disconnect: () => proxy,
  };
  const proxy: IBApi = new Proxy(target, {
    get: (t, k: string) => (k in t ? (t as Record<string, unknown>)[k] : (...a: unknown[]) => (calls.push([k, ...a]), proxy)),
  }) as unknown as IBApi;
  return { api: proxy, calls, emit: (event, ...args) => ee.emit(event, ...args) };
}

async function connected() {
  const fake = fakeApi();
  const broker = new IbBroker({ dataDir: tempDir(), createApi: () => fake.api, orderIdStore: () => memoryOrderIdStore() });
  const notices: BrokerNotice[] = [];
  broker.onNotice((n) => notices.push(n));
  const facts = await broker.connect(localTarget(1, 3));
  return { broker, fake, notices, facts };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('IbBroker with a fake client', () => {
  it('reports handshake facts and counts the handshake against the pacer', async () => {
    const { broker, facts } = await connected();
    expect(facts).toMatchObject({ serverVersion: 193, accounts: ['DU7654321'], accountMode: 'SIMULATED', nextValidId: 100, clientId: 3 });
    expect(broker.status()).toMatchObject({ state: 'connected', accountMode: 'SIMULATED', isSimulated: true, lines: { held: 0, budget: 100 } });
    expect(broker.reserveOrderId()).toBe(100);
    await broker.close();
  });

  it('354 switches to delayed data (type 3) and requests the line again; the quote is labelled delayed', async () => {
    const { broker, fake, notices } = await connected();
    const quotes: Quote[] = [];
    const sub = broker.subscribeQuote({ conId: 42, symbol: 'XYZ' }, { onQuote: (q) => quotes.push(q) });
    await tick();
    const first = fake.calls.filter((c) => c[0] === 'reqMktData');
    expect(first).toHaveLength(1);
    const firstId = first[0]?.[1] as number;
    fake.emit(EventName.error, new Error('Requested market data is not subscribed.'), 354, firstId);
    await tick();
    expect(fake.calls.some((c) => c[0] === 'reqMarketDataType' && c[1] === 3)).toBe(true);
    const again = fake.calls.filter((c) => c[0] === 'reqMktData');
    expect(again).toHaveLength(2);
    const secondId = again[1]?.[1] as number;
    expect(secondId).not.toBe(firstId);
    expect(broker.status().marketDataType).toBe('delayed');
    expect(notices.find((n) => n.code === 354)?.level).toBe('warn');
    fake.emit(EventName.marketDataType, secondId, 3);
    fake.emit(EventName.tickPrice, secondId, 66, 1.25, {});
    expect(quotes.at(-1)).toMatchObject({ bid: 1.25, delayed: true, marketDataType: 3 });
    expect(sub.latest()?.delayed).toBe(true);
    expect(broker.diagnostics().lines.held).toBe(1);
    sub.release();
    await broker.close();
  });

  it('10167 keeps the line and marks it delayed; farm notices are information', async () => {
    const { broker, fake, notices } = await connected();
    const statuses: boolean[] = [];
    const sub = broker.subscribeQuote({ conId: 43 }, { onStatus: () => statuses.push(sub.latest()?.delayed ?? false) });
    await tick();
    const id = fake.calls.find((c) => c[0] === 'reqMktData')?.[1] as number;
    fake.emit(EventName.error, new Error('Requested market data is not subscribed. Displaying delayed market data.'), 10167, id);
    fake.emit(EventName.info, 'Market data farm connection is OK:usfarm', 2104);
    expect(sub.status).toBe('live');
    expect(broker.diagnostics().lines.held).toBe(1);
    expect(notices.find((n) => n.code === 2104)).toMatchObject({ level: 'info' });
    expect(broker.diagnostics().errorsByCode).toMatchObject({ '10167': 1, '2104': 1 });
    sub.release();
    await broker.close();
  });

  it('survives hostile inbound messages: wrong types, unknown ids, throwing listeners', async () => {
    const { broker, fake } = await connected();
    broker.onEvent(() => {
      throw new Error('a buggy journal listener');
    });
    const sub = broker.subscribeQuote({ conId: 44 }, { onQuote: () => { throw new Error('a buggy panel'); } });
    await tick();
    const id = fake.calls.find((c) => c[0] === 'reqMktData')?.[1] as number;
    expect(() => {
      fake.emit(EventName.tickPrice, id, 'bid', 'NaN');
      fake.emit(EventName.tickPrice, id, 1, Number.POSITIVE_INFINITY);
      fake.emit(EventName.tickPrice, id, 1, 1.5);
      fake.emit(EventName.tickSize, 999_999, 0, 10);
      fake.emit(EventName.contractDetails, 12345, { contract: null });
      fake.emit(EventName.openOrder, 'x', null, undefined, 7);
      fake.emit(EventName.orderStatus, Number.NaN, 'Filled', 'a', 'b', 'c');
      fake.emit(EventName.execDetails, -1, {}, { execId: 5 });
      fake.emit(EventName.commissionReport, 'not an object');
      fake.emit(EventName.position, 7, null, 'x');
      fake.emit(EventName.nextValidId, 'ten');
      fake.emit(EventName.error, 'not an error object', 'code', 'id');
      fake.emit(EventName.securityDefinitionOptionParameter, 1, null, 'x', null, 'm', 'not an array', null);
    }).not.toThrow();
    expect(sub.latest()?.bid).toBe(1.5);
    expect(broker.diagnostics().decodeErrors).toBeGreaterThanOrEqual(7);
    expect(broker.status().state).toBe('connected');
    sub.release();
    await broker.close();
  });
});

describe('the decoder guard (a @stoqey decode throw must not escape the socket handler)', () => {
  it('skips a message whose advancedOrderReject is not JSON and decodes the next one', () => {
    const ib = new IBApi({ host: '127.0.0.1', port: 1, clientId: 1 });
    const controller = (ib as unknown as { controller: { socket: { _serverVersion: number }; onMessage(t: string[]): void; processIngressQueue(): void } }).controller;
    controller.socket._serverVersion = 193;
    const errors: unknown[] = [];
    const seen: number[] = [];
    ib.on(EventName.error, (_e: Error, code: number) => seen.push(code));
    guardDecoder(ib, (e) => errors.push(e));
    controller.onMessage(['4', '2', '5', '201', 'Order rejected', '{not json']);
    controller.onMessage(['4', '2', '6', '202', 'Order Canceled - reason:', '']);
    expect(() => controller.processIngressQueue()).not.toThrow();
    expect(errors).toHaveLength(1);
    expect(seen).toEqual([202]);
  });
});

describe('connection facts', () => {
  it('account mode: SIMULATED for the local exchange, PAPER for DU accounts or paper profiles, LIVE otherwise', () => {
    const t = (live: boolean, simulated: boolean) => ({ ...localTarget(1), live, simulated });
    expect(accountModeOf(t(false, true), ['DU1'])).toBe('SIMULATED');
    expect(accountModeOf(t(true, false), ['DU1234567'])).toBe('PAPER');
    expect(accountModeOf(t(false, false), ['U1234567'])).toBe('PAPER');
    expect(accountModeOf(t(true, false), ['U1234567'])).toBe('LIVE');
  });

  it('the daily-restart window wraps midnight New York time', () => {
    const at = (iso: string) => Date.parse(iso);
    const w = { startEt: '23:45', minutes: 30 };
    expect(inDailyRestartWindow(at('2025-01-07T04:50:00Z'), w)).toBe(true); // 23:50 ET
    expect(inDailyRestartWindow(at('2025-01-07T05:10:00Z'), w)).toBe(true); // 00:10 ET
    expect(inDailyRestartWindow(at('2025-01-07T05:20:00Z'), w)).toBe(false); // 00:20 ET
    expect(inDailyRestartWindow(at('2025-01-07T05:10:00Z'), null)).toBe(false);
  });
});
