// The broker Session against two paper exchanges: concurrent connect/disconnect callers never leave the app
// describing one target while the socket belongs to another, and a target switch never serves the old chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionStatus } from '../../src/core/contract';
import { startPaperExchange, type PaperExchangeHandle } from '../../src/main/paper';
import { createServices, type Services } from '../../src/main/services/app';
import type { IbBroker } from '../../src/main/services/broker/ib-broker';
import type { ConnectTarget } from '../../src/main/services/broker/types';
import { silentLogger } from '../../src/main/services/logging';
import { localTarget, newBroker, waitFor } from '../support/broker';

const clientsOn = (ex: PaperExchangeHandle): number => ex.clients().length;

describe('broker session: single-flight connect and disconnect', () => {
  let a: PaperExchangeHandle;
  let b: PaperExchangeHandle;
  const brokers: IbBroker[] = [];
  const broker = (): IbBroker => {
    const x = newBroker();
    brokers.push(x);
    return x;
  };
  // Two endpoints that list different chains (different trading days give different expiries).
  const targetA = (): ConnectTarget => localTarget(a.port, 41);
  const targetB = (): ConnectTarget => ({ ...localTarget(b.port, 42), profile: 'tws-paper', simulated: false });

  beforeAll(async () => {
    a = await startPaperExchange({ seed: 5, startAt: '2025-03-03T15:00:00Z' });
    b = await startPaperExchange({ seed: 6, startAt: '2025-08-04T15:00:00Z' });
  });
  afterAll(async () => {
    for (const x of brokers) await x.close();
    await a?.close();
    await b?.close();
  });

  /** The invariant: the status, the handshake facts and the only open socket all name the same target. */
  async function expectConsistent(x: IbBroker, want: ConnectTarget): Promise<void> {
    expect(x.status()).toMatchObject({ state: 'connected', profile: want.profile, clientId: want.clientId });
    expect(x.facts()).toMatchObject({ host: want.host, port: want.port, clientId: want.clientId });
    const [here, other] = want.port === a.port ? [a, b] : [b, a];
    await waitFor(() => clientsOn(here) === 1 && clientsOn(other) === 0, 5_000, 'one socket, on the wanted exchange');
  }

  it('two connects to different targets in the same tick: the first completes, then the second takes over', async () => {
    const x = broker();
    const first = x.connect(targetA());
    const second = x.connect(targetB());
    const [r1, r2] = await Promise.allSettled([first, second]);
    expect(r1).toMatchObject({ status: 'fulfilled', value: { port: a.port } });
    expect(r2).toMatchObject({ status: 'fulfilled', value: { port: b.port } });
    await expectConsistent(x, targetB());
    await x.disconnect();
    await waitFor(() => clientsOn(b) === 0, 5_000, 'socket closed');
  });

  it('many callers for the same target share one attempt and one socket', async () => {
    const x = broker();
    const facts = await Promise.all([x.connect(targetA()), x.connect(targetA()), x.connect(targetA())]);
    expect(new Set(facts).size).toBe(1);
    expect(x.diagnostics().connects).toBe(1);
    await expectConsistent(x, targetA());
    await x.disconnect();
    await waitFor(() => clientsOn(a) === 0, 5_000, 'socket closed');
  });

  it('a disconnect in the same tick cancels the attempt and the connect queued behind it, with a sentence', async () => {
    const x = broker();
    const first = x.connect(targetA());
    const second = x.connect(targetB());
    const off = x.disconnect();
    const [r1, r2] = await Promise.allSettled([first, second, off]);
    expect(r1.status).toBe('rejected');
    expect(r2.status).toBe('rejected');
    expect(String((r2 as PromiseRejectedResult).reason?.userMessage ?? (r2 as PromiseRejectedResult).reason)).toMatch(/cancelled: you disconnected/);
    expect(x.status().state).toBe('disconnected');
    expect(x.facts()).toBeNull();
    await waitFor(() => clientsOn(a) === 0 && clientsOn(b) === 0, 5_000, 'no socket left open');
  });

  it('a target switch never serves the previous exchange\'s chain', async () => {
    const fresh = broker();
    await fresh.connect(targetB());
    const [spyB] = await fresh.qualify({ secType: 'STK', symbol: 'SPY' });
    const chainB = await fresh.optionChainParams({ symbol: 'SPY', secType: 'STK', conId: spyB?.conId ?? 0 });
    await fresh.disconnect();

    const x = broker();
    await x.connect(targetA());
    const [spyA] = await x.qualify({ secType: 'STK', symbol: 'SPY' });
    const chainA = await x.optionChainParams({ symbol: 'SPY', secType: 'STK', conId: spyA?.conId ?? 0 });
    expect(x.referenceCacheSize()).toBe(1);
    expect(chainA.map((c) => c.expirations)).not.toEqual(chainB.map((c) => c.expirations));

    await x.connect(targetB());
    expect(x.referenceCacheSize()).toBe(0);
    const again = await x.optionChainParams({ symbol: 'SPY', secType: 'STK', conId: spyA?.conId ?? 0 });
    expect(again).toEqual(chainB);
    await expectConsistent(x, targetB());
  });
});

describe('broker service: concurrent connection.connect callers', () => {
  let services: Services;
  let tws: PaperExchangeHandle;
  const ctx = { transport: 'direct' } as const;

  beforeAll(async () => {
    tws = await startPaperExchange({ seed: 7 });
    services = await createServices({ mode: 'headless', dataDir: mkdtempSync(join(tmpdir(), 'sd-broker-session-')), version: '0.0.0-test', logger: silentLogger(), strictContract: true });
    // "TWS paper" points at a second paper exchange, so both profiles can really connect.
    const current = services.settings.get();
    services.settings.update({ profiles: current.profiles.map((p) => (p.id === 'tws-paper' ? { ...p, port: tws.port, clientId: 9 } : p)) });
  });
  afterAll(async () => {
    await services?.close();
    await tws?.close();
  });

  it('two profiles in the same tick: both calls settle and the status names the profile whose socket is open', async () => {
    const paper = services.dispatcher.dispatch('connection.connect', { profile: 'local-paper' }, ctx);
    const live = services.dispatcher.dispatch('connection.connect', { profile: 'tws-paper' }, ctx);
    const [r1, r2] = await Promise.all([paper, live]);
    expect(r1).toMatchObject({ ok: true, value: { profile: 'local-paper' } });
    expect(r2).toMatchObject({ ok: true, value: { state: 'connected', profile: 'tws-paper', clientId: 9 } });
    const status = (await services.dispatcher.dispatch('connection.get', {}, ctx)) as { ok: true; value: ConnectionStatus };
    expect(status.value).toMatchObject({ state: 'connected', profile: 'tws-paper', clientId: 9 });
    expect(services.broker.broker.facts()).toMatchObject({ port: tws.port, clientId: 9 });
    await waitFor(() => tws.clients().length === 1, 5_000, 'one socket on the TWS-paper exchange');
    // Choosing a TWS profile stops the in-app paper exchange: nothing is left connected to it.
    expect(services.broker.paper()).toBeNull();
  });

  it('a disconnect in the same tick as a connect leaves the app disconnected', async () => {
    const connecting = services.dispatcher.dispatch('connection.connect', { profile: 'local-paper' }, ctx);
    const off = services.dispatcher.dispatch('connection.disconnect', {}, ctx);
    const [c, d] = await Promise.all([connecting, off]);
    expect(d).toMatchObject({ ok: true });
    expect(c.ok).toBe(false);
    const status = (await services.dispatcher.dispatch('connection.get', {}, ctx)) as { ok: true; value: ConnectionStatus };
    expect(status.value.state).toBe('disconnected');
    await waitFor(() => tws.clients().length === 0, 5_000, 'TWS-paper socket closed');
  });
});
