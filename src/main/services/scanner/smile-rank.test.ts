// A scan ranked by the smile's POP against the paper exchange (own thread, real socket): the request's probability
// model reaches the ranking (guided mode, which quotes the whole plan for a POP score), and every row says so.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanRequest } from '../../../core/contract';
import { localTarget, newBroker } from '../../../../tests/support/broker';
import type { IbBroker } from '../broker/ib-broker';
import { silentLogger } from '../logging';
import { createSettingsStore } from '../settings/settings-store';
import { createScannerService, type ScannerService } from './service';
import { startPaperWorker, type PaperWorker } from './testing';

const CLIENT = 44;

const REQUEST: ScanRequest = {
  symbols: ['SPY', 'QQQ'],
  filters: { kinds: ['bull-put', 'bear-call'], dte: { min: 0, max: 5 }, shortDelta: { min: 0.1, max: 0.35 }, width: { min: 1, max: 5 } },
  scoring: { by: 'pop', basis: 'mid', probabilityModel: 'smile' },
  top: 20,
  minPerSymbol: 0,
};

describe('scan ranked by the smile', () => {
  let ex: PaperWorker;
  let broker: IbBroker;
  let svc: ScannerService;

  beforeAll(async () => {
    ex = await startPaperWorker({ seed: 7, startAt: '2026-01-06T15:00:00Z', paused: true });
    broker = newBroker();
    await broker.connect(localTarget(ex.port, CLIENT));
    const settings = createSettingsStore(mkdtempSync(join(tmpdir(), 'sd-scan-smile-')), silentLogger(), () => undefined);
    svc = createScannerService({ broker, bus: { emit: () => undefined }, settings });
  });
  afterAll(async () => {
    await svc?.close();
    await broker?.close();
    await ex?.close();
  });

  it('ranks by POP σ: each row names the smile, its score is its POP σ, and EV σ is there beside EV', async () => {
    const out = await (await svc.start(REQUEST)).done;
    expect(out.progress.state).toBe('complete');
    const rows = out.results.rows;
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.probabilityModel).toBe('smile');
      expect(r.score).toBe(r.popSmile);
      expect(r.evSmile).not.toBeNull();
      // A vertical's payoff lies within [0, width], so its EV lies within the net ± width (× multiplier).
      expect(Math.abs(r.evSmile!)).toBeLessThanOrEqual((r.width + r.priceMid) * r.multiplier + 1e-9);
    }
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.popSmile!).toBeGreaterThanOrEqual(rows[i]!.popSmile!);
  }, 120_000);
});
