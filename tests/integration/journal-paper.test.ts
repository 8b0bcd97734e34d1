// The journal in a scripted session against the local paper exchange: every fill recorded, money exact, broker agrees.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openJournal } from '../../src/main/services/journal';
import { runPaperSession } from '../fixtures/journal/paper-session';

const dir = mkdtempSync(join(tmpdir(), 'journal-paper-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('journal in a paper trading session', () => {
  it('records three spreads, reconciles clean, and its cash flows equal the paper account to the micro-dollar', async () => {
    const lines: string[] = [];
    const session = await runPaperSession({ dataDir: dir, roundTrips: 3, leaveOpen: 1, seed: 11, speed: 240, holdMs: 500, log: (l) => lines.push(l) });
    expect(session.spreads).toHaveLength(3);
    // The journal saw every event live, so the broker has nothing to add.
    expect(session.reconciliation.diffs).toEqual([]);
    expect(session.reconciliation.clean).toBe(true);

    const opened = openJournal({ dataDir: dir });
    if (!opened.ok) throw new Error(opened.error.message);
    const journal = opened.value.journal;
    try {
      const trades = journal.trades();
      expect(trades.map((t) => t.status)).toEqual(['closed', 'closed', 'open']);
      for (const t of trades) {
        expect(t.quantity).toBeGreaterThan(0);
        expect(t.commissionsU).toBeGreaterThan(0);
        expect(t.maxRiskU).toBeGreaterThan(0);
      }
      // Every dollar that moved in the paper account moved through a journaled fill (start: $100,000).
      const journalCashU = trades.reduce((sum, t) => sum + t.entryCashU + t.exitCashU - t.commissionsU, 0);
      expect(journalCashU).toBe(Math.round((session.account.cash - 100_000) * 1_000_000));
      // And the positions the journal implies are the account's.
      const positions = journal.view().positions.map((p) => [p.conId, p.qtyU / 1_000_000]).sort();
      expect(positions).toEqual(session.account.positions.filter((p) => p.qty !== 0).map((p) => [p.conId, p.qty]).sort());
      const a = journal.analytics();
      expect(a.overall.trades).toBe(2);
      console.log(`journal paper session: ${lines.join(' | ')}; closed net P&L ${(a.overall.netPnlU / 1e6).toFixed(2)}, account cash ${session.account.cash.toFixed(2)}`);
    } finally {
      journal.close();
    }
  }, 120_000);
});
