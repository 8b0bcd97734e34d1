// Disconnect chaos (tests/reliability/chaos.ts): seeded fault episodes while the app scans and walks orders.
// `npm test` runs CHAOS_EPISODES (default 4); `CHAOS_EPISODES=500 CHAOS_SEED=17 npm run test:chaos` runs the long one.
// CHAOS_FROM runs a shard (episodes FROM..FROM+EPISODES−1 of the same seed); CHAOS_LOG appends one JSON line per episode.
import { describe, expect, it } from 'vitest';
import { detectionByFault, runChaos } from './chaos';

const EPISODES = Number(process.env.CHAOS_EPISODES ?? 4);
const SEED = Number(process.env.CHAOS_SEED ?? 17);
const FROM = Number(process.env.CHAOS_FROM ?? 0);
/** CHAOS_BUDGET_MIN: stop starting episodes after this many minutes (a long run on a busy machine); the summary says how many ran. */
const BUDGET_MS = process.env.CHAOS_BUDGET_MIN ? Number(process.env.CHAOS_BUDGET_MIN) * 60_000 : undefined;

describe('disconnect chaos', () => {
  it(
    `${EPISODES} seeded fault episodes (seed ${SEED}${FROM ? `, from ${FROM}` : ''}): HALTED when noticed, walks end by policy and agree with the exchange, every execution journaled, no duplicate order or reused id, lines restored, scans end`,
    async () => {
      const report = await runChaos({ episodes: EPISODES, seed: SEED, from: FROM, log: (l) => console.log(l), logFile: process.env.CHAOS_LOG, budgetMs: BUDGET_MS });
      const { episodes, ...totals } = report;
      console.log(`[chaos] ${JSON.stringify({ ...totals, ran: episodes.length, detectByFault: detectionByFault(report) })}`);
      expect(report.violations).toEqual([]);
      if (BUDGET_MS === undefined) expect(episodes).toHaveLength(EPISODES);
      else expect(episodes.length).toBeGreaterThan(0);
      expect(report.integrity).toBe('ok');
      // Every noticed fault halted trading no later than the issue's bound (1 s after the app noticed).
      for (const e of episodes) if (e.haltMs !== null) expect(e.haltMs).toBeLessThanOrEqual(1_000);
      // The episodes did what they are for: faults were noticed; each submitted order reached the exchange once.
      expect(episodes.some((e) => e.detectMs !== null)).toBe(true);
      expect(report.ordersAtExchange).toBe(new Set(episodes.flatMap((e) => (e.orderId === null ? [] : [e.orderId]))).size);
    },
    EPISODES * 120_000 + 120_000,
  );
});
