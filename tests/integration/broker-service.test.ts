// Integration: the app's services with the broker wired in — Local paper starts the exchange in-process and connects through the same layer.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionStatus, DiagnosticsSnapshot, PrometheusState } from '../../src/core/contract';
import { createServices, type Services } from '../../src/main/services/app';
import { silentLogger } from '../../src/main/services/logging';

const ctx = { transport: 'direct' } as const;

describe('broker service in the app (Local paper profile)', () => {
  let services: Services;
  const statuses: ConnectionStatus[] = [];
  const logged: Array<{ level: string; message: string; code?: number }> = [];

  beforeAll(async () => {
    services = await createServices({ mode: 'headless', dataDir: mkdtempSync(join(tmpdir(), 'sd-broker-svc-')), version: '0.0.0-test', logger: silentLogger(), strictContract: true });
    services.bus.subscribe((name, payload) => {
      if (name === 'connection.status') statuses.push(payload as ConnectionStatus);
      if (name === 'app.logged') logged.push(payload as { level: string; message: string; code?: number });
    });
  });
  afterAll(async () => {
    await services?.close();
  });

  it('starts disconnected, describing the active profile', async () => {
    const res = await services.dispatcher.dispatch('connection.get', {}, ctx);
    expect(res).toMatchObject({ ok: true, value: { state: 'disconnected', profile: 'local-paper', isSimulated: true, accountMode: 'SIMULATED' } });
  });

  it('connection.connect starts the paper exchange on an ephemeral loopback port and connects to it', async () => {
    const res = await services.dispatcher.dispatch('connection.connect', {}, ctx);
    expect(res.ok).toBe(true);
    const status = (res as { value: ConnectionStatus }).value;
    expect(status).toMatchObject({ state: 'connected', profile: 'local-paper', serverVersion: 193, isSimulated: true, accountMode: 'SIMULATED', linkLost: false });
    expect(status.accounts[0]).toMatch(/^DU/);
    const paper = services.broker.paper();
    expect(paper?.host).toBe('127.0.0.1');
    expect(paper?.port).toBeGreaterThan(0);
    expect(statuses.map((s) => s.state)).toEqual(expect.arrayContaining(['connecting', 'connected']));
    // Farm notices are logged as information, never as errors.
    expect(logged.filter((l) => l.code === 2104 || l.code === 2106 || l.code === 2158).every((l) => l.level === 'info')).toBe(true);
    expect(logged.some((l) => l.code === 2104)).toBe(true);
  });

  it('diagnostics.snapshot reports rates, pacer, lines, latency and the exchange view; Prometheus serves them on loopback', async () => {
    const b = services.broker.broker;
    const [spy] = await b.qualify({ secType: 'STK', symbol: 'SPY' });
    const sub = b.subscribeQuote({ conId: spy?.conId ?? 0 });
    await expect.poll(() => sub.latest()?.bid ?? null, { timeout: 5000 }).not.toBeNull();
    const res = await services.dispatcher.dispatch('diagnostics.snapshot', {}, ctx);
    expect(res.ok).toBe(true);
    const d = (res as { value: DiagnosticsSnapshot }).value;
    expect(d).toMatchObject({ state: 'connected', accountMode: 'SIMULATED', lines: { held: 1, budget: 100 }, paper: { linesInUse: 1, clients: 1 }, prometheus: { enabled: false, url: null } });
    expect(d.messagesIn.total).toBeGreaterThan(0);
    expect(d.requests.latencyP50Ms).not.toBeNull();
    const on = await services.dispatcher.dispatch('diagnostics.prometheus', { enabled: true }, ctx);
    const url = (on as { value: PrometheusState }).value.url ?? '';
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const text = await (await fetch(url)).text();
    expect(text).toContain('spreaddesk_lines_held 1');
    expect(text).toContain('spreaddesk_connection_state{state="connected"} 1');
    expect((await fetch(url.replace('/metrics', '/other'))).status).toBe(404);
    await services.dispatcher.dispatch('diagnostics.prometheus', { enabled: false }, ctx);
    sub.release();
  });

  it('connection.tune changes pacing and budget; connection.disconnect cancels lines first', async () => {
    const t = await services.dispatcher.dispatch('connection.tune', { tuning: { lineBudget: 60 } }, ctx);
    expect(t).toMatchObject({ ok: true, value: { pacerRate: 45, lineBudget: 60 } });
    expect((await services.dispatcher.dispatch('connection.tune', { tuning: { pacerRate: 80 } }, ctx)).ok).toBe(false);
    const [qqq] = await services.broker.broker.qualify({ secType: 'STK', symbol: 'QQQ' });
    const sub = services.broker.broker.subscribeQuote({ conId: qqq?.conId ?? 0 });
    await expect.poll(() => services.broker.paper()?.stats().linesInUse).toBe(1);
    const res = await services.dispatcher.dispatch('connection.disconnect', {}, ctx);
    expect(res).toMatchObject({ ok: true, value: { state: 'disconnected' } });
    await expect.poll(() => services.broker.paper()?.stats().linesInUse).toBe(0);
    expect(services.broker.broker.diagnostics().lines.held).toBe(0);
    sub.release();
  });
});

describe('reference data against the paper exchange', () => {
  it('qualify returns an empty list for an unknown contract (200), and an index where a stock does not exist', async () => {
    const { startPaperExchange } = await import('../../src/main/paper');
    const { newBroker, localTarget } = await import('../support/broker');
    const ex = await startPaperExchange({ seed: 2 });
    const b = newBroker();
    try {
      await b.connect(localTarget(ex.port, 91));
      expect(await b.qualify({ secType: 'STK', symbol: 'NOSUCH' })).toEqual([]);
      const [spx] = await b.qualify({ secType: 'IND', symbol: 'SPX' });
      expect(spx).toMatchObject({ symbol: 'SPX', secType: 'IND' });
      const chains = await b.optionChainParams({ symbol: 'SPX', secType: 'IND', conId: spx?.conId ?? 0 });
      expect(chains.map((c) => c.tradingClass).sort()).toEqual(expect.arrayContaining(['SPX', 'SPXW']));
      // The expiry × strike grid can list pairs that do not exist; optionContracts lists the real ones.
      const w = chains.find((c) => c.tradingClass === 'SPXW');
      const real = await b.optionContracts({ symbol: 'SPX', expiry: w?.expirations[0] ?? '', tradingClass: 'SPXW' });
      expect(real.length).toBeGreaterThan(0);
      expect(real.every((c) => c.expiry === w?.expirations[0] && c.tradingClass === 'SPXW' && c.strike !== null && (c.right === 'C' || c.right === 'P'))).toBe(true);
      expect(real.length).toBeLessThanOrEqual((w?.strikes.length ?? 0) * 2);
      // A month (YYYYMM) lists every expiry of that month in one request: each one's contracts, and nothing outside it.
      const month = (w?.expirations[0] ?? '').slice(0, 6);
      const wholeMonth = await b.optionContracts({ symbol: 'SPX', expiry: month, tradingClass: 'SPXW' });
      const expiries = new Set(wholeMonth.map((c) => c.expiry));
      expect(wholeMonth.every((c) => c.expiry?.startsWith(month) && c.tradingClass === 'SPXW')).toBe(true);
      expect([...expiries].sort()).toEqual((w?.expirations ?? []).filter((e) => e.startsWith(month)));
      expect(wholeMonth.filter((c) => c.expiry === w?.expirations[0]).map((c) => c.conId).sort()).toEqual(real.map((c) => c.conId).sort());
    } finally {
      await b.close();
      await ex.close();
    }
  });
});
