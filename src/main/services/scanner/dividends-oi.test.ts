// A scan against the paper exchange (own thread, real socket): each symbol's q says where it came from — the request,
// the settings, IBKR's dividends (tick 456) or none — and the final top's legs carry open interest from tick-101
// lines that are all given back afterwards.
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

describe('scan numbers: the dividend yield’s source and the final top’s open interest', () => {
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

  it('q per symbol from the request, the settings, IBKR or none; the top’s legs carry OI; no line held after', async () => {
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

    // Every leg of the final top has its open interest (the paper exchange lists OI for every option), one line each.
    const rows = out.results.rows;
    expect(rows.length).toBeGreaterThan(0);
    const legs = new Set(rows.flatMap((r) => [r.short.conId, r.long.conId]));
    for (const r of rows) {
      expect(r.short.openInterest).not.toBeNull();
      expect(r.long.openInterest).not.toBeNull();
      expect(r.minOi).toBe(Math.min(r.short.openInterest as number, r.long.openInterest as number));
    }
    expect(out.requests.openInterest).toBe(legs.size);

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
