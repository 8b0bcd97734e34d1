import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeAnalytics } from '../../../core/journal';
import { journalHandlers } from './handlers';
import { JOURNAL_FILE, type Journal, openJournal } from './index';
import { newestFirst, readOverview } from './overview';
import type { JournalService } from './service';

const ctx = { transport: 'direct' } as const;
let dir: string;
let j: Journal;

/** n closed bull calls with two leg fills in and out each (as in the journal bench), the i-th closing at a P&L of i % 7 − 3 dimes. */
function addSpreads(n: number, from = 0, db: Database.Database = j.db): void {
  const spread = db.prepare(`INSERT INTO spread_positions (underlying, kind, right, expiry, long_strike_u, short_strike_u, multiplier, long_con_id, short_con_id, created_at, status, opened_at, closed_at)
    VALUES (?, 'bull-call', 'C', '20250321', 400000000, 405000000, 100, 1, 2, ?, 'closed', ?, ?)`);
  const exec = db.prepare(`INSERT INTO executions (exec_id, exec_base, revision, order_id, client_id, perm_id, account, con_id, symbol, sec_type, multiplier, side, shares_u, price_u, exec_time, at, received_at)
    VALUES (?, ?, 1, ?, 7, ?, 'DU1', ?, 'SPY', 'OPT', 100, ?, 1000000, ?, '', ?, ?)`);
  const link = db.prepare("INSERT INTO spread_executions (exec_id, spread_id, ticket_id, role, leg, source) VALUES (?, ?, NULL, ?, ?, 'external')");
  db.transaction(() => {
    for (let i = from; i < from + n; i++) {
      const at = Date.UTC(2024, 0, 2) + i * 3_600_000;
      const id = Number(spread.run(['SPY', 'QQQ'][i % 2], at, at, at + 86_400_000).lastInsertRowid);
      const legs: [string, string, number, string, number, number][] = [
        ['open', 'long', 1, 'BOT', 3_200_000, at], ['open', 'short', 2, 'SLD', 1_700_000, at],
        ['close', 'long', 1, 'SLD', 3_200_000 + ((i % 7) - 3) * 100_000, at + 86_400_000], ['close', 'short', 2, 'BOT', 1_700_000, at + 86_400_000],
      ];
      legs.forEach(([role, leg, con, side, price, t], k) => {
        exec.run(`x${i}.${k}`, `x${i}.${k}`, i, 1000 + i, con, side, price, t, t);
        link.run(`x${i}.${k}`, id, role, leg);
      });
    }
  })();
}

const stored = () => j.db.prepare('SELECT count(*) FROM journal_overview').pluck().get() as number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'journal-overview-'));
  const r = openJournal({ dataDir: dir });
  if (!r.ok) throw new Error(r.error.message);
  j = r.value.journal;
});
afterEach(() => {
  j.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('journal overview (the tabs’ opening view kept in one row)', () => {
  it('answers exactly as the records do, and is rebuilt after a change (a note, a new spread), also across a reopen', () => {
    addSpreads(40);
    const h = journalHandlers({ journal: j } as unknown as JournalService);
    const check = () => {
      const all = j.trades();
      const a = computeAnalytics(all);
      const summary = h['journal.summary']({ filter: {} }, ctx) as { overall: { trades: number; netPnl: number } };
      expect(summary.overall.trades).toBe(a.overall.trades);
      expect(summary.overall.netPnl).toBeCloseTo(a.overall.netPnlU / 1e6, 9);
      // The same answer as a filter that keeps everything (which reads the records).
      expect(summary).toEqual(h['journal.summary']({ filter: { status: 'closed' } }, ctx));
      expect(h['journal.equityCurve']({ filter: {}, maxPoints: 10 }, ctx)).toEqual(h['journal.equityCurve']({ filter: { status: 'closed' }, maxPoints: 10 }, ctx));
      const page = h['journal.trades']({ filter: {}, limit: 15 }, ctx) as { trades: { id: number; note: string | null }[]; total: number };
      expect(page.total).toBe(all.length);
      expect(page.trades.map((t) => t.id)).toEqual([...all].sort(newestFirst).slice(0, 15).map((t) => t.id));
      return page;
    };
    check();
    expect(stored()).toBe(1);
    // A note changes a trade: the row is gone in the same transaction, and the next read shows the note.
    expect(j.setNote(40, 'late exit').ok).toBe(true);
    expect(stored()).toBe(0);
    expect(check().trades.find((t) => t.id === 40)?.note).toBe('late exit');
    check();
    expect(stored()).toBe(1);
    // Spreads written behind this journal object's back (another connection): the trigger drops the row, closing this
    // journal does not store an overview from records that miss them, and a reopened journal rebuilds it with them.
    const other = new Database(join(dir, JOURNAL_FILE));
    addSpreads(5, 40, other);
    other.close();
    expect(stored()).toBe(0);
    const reopen = () => {
      j.close();
      const r = openJournal({ dataDir: dir });
      if (!r.ok) throw new Error(r.error.message);
      j = r.value.journal;
    };
    reopen();
    const h2 = journalHandlers({ journal: j } as unknown as JournalService);
    expect((h2['journal.trades']({ filter: {}, limit: 5 }, ctx) as { total: number }).total).toBe(45);
    // After a reopen the stored row answers without reading every record.
    reopen();
    expect(stored()).toBe(1);
    expect(readOverview(j.db, () => { throw new Error('the records were read'); }).total).toBe(45);
  });

  it('is left current when the journal closes, so the next open reads one row after a session that traded', () => {
    addSpreads(30);
    j.trades(); // the session holds the records (the risk check and Positions read them)
    expect(stored()).toBe(0);
    // A session's own write (here a note) drops the row; closing stores it again from the records this session holds.
    expect(j.setNote(7, 'rolled early').ok).toBe(true);
    j.close();
    const r = openJournal({ dataDir: dir });
    if (!r.ok) throw new Error(r.error.message);
    j = r.value.journal;
    expect(stored()).toBe(1);
    const o = readOverview(j.db, () => { throw new Error('the records were read'); });
    expect(o.total).toBe(30);
    expect(o.analytics).toEqual(computeAnalytics(j.trades()));
  });
});
