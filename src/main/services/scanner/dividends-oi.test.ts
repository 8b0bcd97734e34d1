// A scan against the paper exchange (own thread, real socket): each symbol's q says where it came from — the request,
// the settings, IBKR's dividends (tick 456) or none — and the rows on screen get open interest from tick-101 lines,
// once a day per leg, that are all given back afterwards.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanRequest } from '../../../core/contract';
import { localTarget, newBroker, waitFor } from '../../../../tests/support/broker';
import type { IbBroker } from '../broker/ib-broker';
import { silentLogger } from '../logging';
import { createSettingsStore, type SettingsStore } from '../settings/settings-store';
import { createScannerService, type ScannerService } from './service';
import { startPaperWorker, type PaperWorker } from './testing';

const CLIENT = 43;

const REQUEST: ScanRequest = {
  // SPY: IBKR (1.2 % simulated) · AAPL: the settings · TSLA: pays none (no tick 59) · QQQ: the request.
  symbols: ['SPY', 'AAPL', 'TSLA', 'QQQ'],
  filters: { kinds: ['bull-put', 'bear-call'], dte: { min: 0, max: 5 }, shortDelta: { min: 0.15, max: 0.3 }, width: { min: 1, max: 5 } },
  scoring: { by: 'ror', basis: 'mid' },
  top: 12,
  divYields: { QQQ: 0.004 },
};

describe('scan numbers: the dividend yield’s source and the open interest of the rows on screen', () => {
  let ex: PaperWorker;
  let broker: IbBroker;
  let settings: SettingsStore;
  let svc: ScannerService;

  beforeAll(async () => {
    ex = await startPaperWorker({ seed: 5, startAt: '2026-01-06T15:00:00Z', paused: true });
    broker = newBroker();
    await broker.connect(localTarget(ex.port, CLIENT));
    settings = createSettingsStore(mkdtempSync(join(tmpdir(), 'sd-scan-div-')), silentLogger(), () => undefined);
    settings.update({ ui: { scannerModel: { rate: 0.043, divYields: { AAPL: 0.02 } } } });
    svc = createScannerService({ broker, bus: { emit: () => undefined }, settings });
  });
  afterAll(async () => {
    await svc?.close();
    await broker?.close();
    await ex?.close();
  });

  it('q per symbol from the request, the settings, IBKR or none; the rows on screen get OI once a day; no line held after', async () => {
    const before = (await ex.client(CLIENT))!;
    const out = await (await svc.start(REQUEST)).done;
    expect(out.progress.state).toBe('complete');

    const bySymbol = new Map(out.progress.symbols.map((s) => [s.symbol, s]));
    expect(bySymbol.get('SPY')).toMatchObject({ divSource: 'ibkr' });
    expect(bySymbol.get('SPY')?.divYield).toBeCloseTo(0.012, 3);
    expect(bySymbol.get('AAPL')).toMatchObject({ divSource: 'settings', divYield: 0.02 });
    expect(bySymbol.get('TSLA')).toMatchObject({ divSource: 'none', divYield: 0 });
    expect(bySymbol.get('QQQ')).toMatchObject({ divSource: 'request', divYield: 0.004 });
    // The chains were valued with the q the progress names.
    for (const c of out.chains) expect(c.divYield).toBe(bySymbol.get(c.symbol)?.divYield);

    // No open interest until the trader sees rows: the scan itself opens no tick-101 line.
    const rows = out.results.rows;
    expect(rows.length).toBeGreaterThan(3);
    expect(out.requests.openInterest).toBe(0);
    for (const r of rows) expect(r.minOi).toBeNull();

    // The grid reports its rows on screen — twice at once, as a scroll can: one fetch, one line per leg.
    const shown = rows.slice(0, 3);
    const legs = new Set(shown.flatMap((r) => [r.short.conId, r.long.conId]));
    const scanId = out.results.scanId;
    const fps = shown.map((r) => r.fingerprint);
    expect([svc.viewport(scanId, fps), svc.viewport(scanId, fps)]).toEqual([true, true]);
    const latestRow = (fp: string) => svc.latest().results?.rows.find((r) => r.fingerprint === fp);
    await waitFor(() => fps.every((fp) => latestRow(fp)?.minOi !== null && latestRow(fp)?.minOi !== undefined), 30_000, 'OI of the rows on screen');
    for (const fp of fps) {
      const r = latestRow(fp)!;
      expect(r.short.openInterest).not.toBeNull();
      expect(r.long.openInterest).not.toBeNull();
      expect(r.minOi).toBe(Math.min(r.short.openInterest as number, r.long.openInterest as number));
    }
    await waitFor(() => svc.runDiagnostics()?.openInterestLines === legs.size, 10_000, 'one OI line per leg on screen');
    // Rows off screen stay unknown (unless they share a leg with a row on screen).
    const offScreen = (svc.latest().results?.rows ?? []).filter((r) => !fps.includes(r.fingerprint) && !legs.has(r.short.conId) && !legs.has(r.long.conId));
    expect(offScreen.length).toBeGreaterThan(0);
    for (const r of offScreen) expect(r.minOi).toBeNull();

    // OI is kept for the day: the same rows again ask nothing, and the next scan's rows carry it from the start.
    expect(svc.viewport(scanId, fps)).toBe(true);
    const again = await (await svc.start(REQUEST)).done;
    expect(again.requests.openInterest).toBe(0);
    const known = again.results.rows.filter((r) => fps.includes(r.fingerprint));
    expect(known.length).toBeGreaterThan(0);
    for (const r of known) expect(r.minOi).not.toBeNull();

    // Within IBKR's limits, and every line (quotes, the underlyings', open interest) given back.
    const after = (await ex.client(CLIENT))!;
    expect(after.pacingViolations - before.pacingViolations).toBe(0);
    expect(broker.diagnostics().errorsByCode['101']).toBeUndefined();
    await waitFor(() => broker.diagnostics().lines.held === 0, 15_000, 'broker lines released');
    let exchangeLines = (await ex.stats()).stats.linesInUse;
    for (let i = 0; i < 150 && exchangeLines !== 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      exchangeLines = (await ex.stats()).stats.linesInUse;
    }
    expect(exchangeLines).toBe(0);
  }, 120_000);
});
