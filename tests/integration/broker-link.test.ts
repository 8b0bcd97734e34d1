// Acceptance 6.5: 1100/1101/1102 and 326 sequences produce the right states and user messages; plus the
// liveness probe (a silent socket is declared dead) and the daily-restart window (expected, not alarming).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaperExchange, type PaperExchangeHandle } from '../../src/main/paper';
import { ClientIdInUseError, LinkLostError } from '../../src/main/services/broker/errors';
import type { IbBroker } from '../../src/main/services/broker/ib-broker';
import { localTarget, newBroker, waitFor } from '../support/broker';
import type { BrokerNotice, PlaceOrderRequest, QuoteSubscription } from '../../src/main/services/broker/types';

const order: PlaceOrderRequest = { ticketId: 'T-link', action: 'BUY', quantity: 1, orderType: 'LMT', contract: { kind: 'single', conId: 1, symbol: 'SPY' }, limitPrice: 1, minTick: 0.01 };

describe('TWS link notices 1100 / 1101 / 1102 (paper exchange faults)', () => {
  let ex: PaperExchangeHandle;
  let broker: IbBroker;
  const notices: BrokerNotice[] = [];
  const subs: QuoteSubscription[] = [];
  let lastQuoteAt = 0;
  const lines = () => ex.clients().find((c) => c.clientId === 21)?.linesInUse ?? 0;

  beforeAll(async () => {
    ex = await startPaperExchange({ seed: 3, publishIntervalMs: 100 });
    broker = newBroker();
    broker.onNotice((n) => notices.push(n));
    await broker.connect(localTarget(ex.port, 21));
    for (const symbol of ['SPY', 'QQQ', 'IWM', 'AAPL']) {
      const [c] = await broker.qualify({ secType: 'STK', symbol });
      subs.push(broker.subscribeQuote({ conId: c?.conId ?? 0 }, { onQuote: () => (lastQuoteAt = Date.now()) }));
    }
    await waitFor(() => broker.liveLineIds().length === 4 && lines() === 4 && lastQuoteAt > 0, 5_000, 'four live lines');
  });
  afterAll(async () => {
    for (const s of subs) s.release();
    await broker?.close();
    await ex?.close();
  });

  it('1100 → link lost: reported, new orders refused with a clear sentence; 1102 → allowed again, data kept', async () => {
    const ids = broker.liveLineIds();
    ex.faults.connectivityLoss(600, { dataLost: false });
    await waitFor(() => broker.status().linkLost === true, 2_000, '1100');
    const s = broker.status();
    expect(s.state).toBe('connected'); // the socket to TWS is fine; TWS's link to IBKR is not
    expect(s.message).toBe('TWS lost its connection to IBKR. New orders are paused until it comes back; working orders stay at IBKR.');
    expect(notices.find((n) => n.code === 1100)).toMatchObject({ level: 'warn', message: s.message });
    const allowed = broker.tradingAllowed();
    expect(allowed.ok).toBe(false);
    await expect(broker.placeOrder(order)).rejects.toBeInstanceOf(LinkLostError);
    await expect(broker.placeOrder(order)).rejects.toThrow('New orders are paused: TWS has lost its connection to IBKR.');
    // Farm-broken notices during the outage are warnings for the trader, not errors.
    expect(notices.filter((n) => n.code === 2103 || n.code === 2105).every((n) => n.level === 'warn')).toBe(true);
    await waitFor(() => broker.status().linkLost === false, 3_000, '1102');
    expect(notices.find((n) => n.code === 1102)).toMatchObject({ level: 'info', message: 'TWS is connected to IBKR again, and no data was lost.' });
    expect(broker.tradingAllowed().ok).toBe(true);
    expect(broker.liveLineIds()).toEqual(ids); // data maintained: same subscriptions
    expect(broker.diagnostics().lines.resubscribed).toBe(0);
  });

  it('1100 → 1101 (data lost): every subscription is requested again and the counts match', async () => {
    const ids = broker.liveLineIds();
    ex.faults.connectivityLoss(600, { dataLost: true });
    await waitFor(() => broker.status().linkLost === true, 2_000, '1100');
    await waitFor(() => notices.some((n) => n.code === 1101), 3_000, '1101');
    expect(notices.find((n) => n.code === 1101)).toMatchObject({ level: 'info', message: 'TWS is connected to IBKR again, but market data was lost; SpreadDesk is resubscribing your quotes and account streams.' });
    expect(broker.status().linkLost).toBe(false);
    const restoredAt = Date.now();
    await waitFor(() => broker.liveLineIds().length === 4 && lines() === 4 && lastQuoteAt > restoredAt, 3_000, 'resubscribed lines with fresh quotes');
    expect(broker.liveLineIds().filter((id) => ids.includes(id))).toEqual([]);
    expect(broker.diagnostics().lines).toMatchObject({ held: 4, resubscribed: 4 });
    expect(lines()).toBe(broker.diagnostics().lines.held);
    expect(broker.diagnostics().errorsByCode['101']).toBeUndefined();
  });
});

describe('client id in use (326)', () => {
  it('is explained, retried with the same client id, and connects once the id is free', async () => {
    const ex = await startPaperExchange({ seed: 4 });
    const first = newBroker();
    const second = newBroker({ backoff: { initialMs: 200, maxMs: 800 } });
    try {
      await first.connect(localTarget(ex.port, 31));
      const failure = await second.connect(localTarget(ex.port, 31)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(ClientIdInUseError);
      expect((failure as ClientIdInUseError).userMessage).toBe(
        'Another program is already connected to TWS with this client id. Close it, or choose another client id in Settings; SpreadDesk keeps retrying with the same id.',
      );
      expect(second.status()).toMatchObject({ state: 'reconnecting', clientId: 31, lastError: { code: 326 } });
      expect(second.status().message).toContain('Another program is already connected');
      // It keeps trying with the same id while the first holds it …
      await new Promise((r) => setTimeout(r, 700));
      expect(second.status().state).not.toBe('connected');
      expect(ex.clients().map((c) => c.clientId)).toEqual([31]);
      // … and gets in, still as 31, once the id is free.
      await first.disconnect();
      await waitFor(() => second.status().state === 'connected', 5_000, 'the second client to connect');
      expect(second.facts()?.clientId).toBe(31);
      expect(ex.clients().map((c) => c.clientId)).toEqual([31]);
    } finally {
      await first.close();
      await second.close();
      await ex.close();
    }
  });
});

describe('liveness and expected outages', () => {
  it('a silent socket is probed with reqCurrentTime and declared dead when nothing answers', async () => {
    const ex = await startPaperExchange({ seed: 5 });
    const broker = newBroker({ probeIntervalMs: 300, probeTimeoutMs: 600, backoff: { initialMs: 100, maxMs: 400 } });
    try {
      await broker.connect(localTarget(ex.port, 41));
      await waitFor(() => broker.diagnostics().probe.lastRttMs !== null, 3_000, 'a probe answered on a quiet socket');
      expect(broker.status().state).toBe('connected');
      ex.faults.setLatency(60_000); // the exchange goes silent but keeps the socket open
      await waitFor(() => broker.status().state !== 'connected', 3_000, 'the probe to declare the socket dead');
      expect(broker.diagnostics()).toMatchObject({ probe: { failed: 1 }, lastDisconnectReason: 'TWS did not answer the liveness probe within 1 s; it may be frozen.' });
      ex.faults.setLatency(0);
      await waitFor(() => broker.status().state === 'connected', 5_000, 'the reconnect');
    } finally {
      await broker.close();
      await ex.close();
    }
  });

  it('a disconnect inside the daily-restart window is reported as expected, not as an alarm', async () => {
    const ex = await startPaperExchange({ seed: 6 });
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hour12: false }).formatToParts(new Date(Date.now() - 60_000));
    const hhmm = `${Number(parts.find((p) => p.type === 'hour')?.value) % 24}:${parts.find((p) => p.type === 'minute')?.value}`;
    const broker = newBroker({ dailyRestart: { startEt: hhmm, minutes: 5 }, backoff: { initialMs: 100, maxMs: 400 } });
    const notices: BrokerNotice[] = [];
    broker.onNotice((n) => notices.push(n));
    try {
      await broker.connect(localTarget(ex.port, 51));
      ex.faults.dropClient(51);
      await waitFor(() => broker.status().state !== 'connected', 2_000, 'the drop');
      expect(broker.status().expectedOutage).toBe(true);
      const n = notices.find((x) => /daily restart/.test(x.message));
      expect(n?.level).toBe('info');
      expect(notices.some((x) => x.level === 'warn' || x.level === 'error')).toBe(false);
      await waitFor(() => broker.status().state === 'connected', 3_000, 'the reconnect');
      expect(broker.status().expectedOutage).toBe(false);
    } finally {
      await broker.close();
      await ex.close();
    }
  });
});
