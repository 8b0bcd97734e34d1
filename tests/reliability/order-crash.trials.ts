// Order-flow crash trials (tests/reliability/order-crash.ts), `npm run test:crash`: CRASH_TRIALS (default 100)
// SIGKILLs of the headless app while it trades against the paper exchange; CRASH_SEED replays a run's plan.
import { describe, expect, it } from 'vitest';
import { KILL_POINTS, runOrderCrashTrials } from './order-crash';

const TRIALS = Number(process.env.CRASH_TRIALS ?? 100);
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
/** CRASH_RETRY=0 leaves out the client's resubmit of interrupted tickets after each restart. */
const RETRY = process.env.CRASH_RETRY !== '0';

describe('order-flow crash trials', () => {
  it(
    `${TRIALS} SIGKILLs while trading${RETRY ? '' : ' (no resubmits)'}: every fill journaled once, no order sent twice, no id reused, integrity ok (seed ${SEED})`,
    async () => {
      // Every invariant is checked inside, after each restart; a broken one throws with its trial and the seed.
      const totals = await runOrderCrashTrials({ trials: TRIALS, seed: SEED, retry: RETRY, log: (l) => console.log(l) });
      console.log(`[order crash] ${JSON.stringify(totals)}`);
      console.log(`[order crash] kill points aimed/fired: ${KILL_POINTS.map((p) => `${p} ${totals.aimed[p]}/${totals.fired[p]}`).join(', ')}`);
      console.log(`[order crash] tickets found by the kill: ${Object.entries(totals.ticketStates).map(([k, v]) => `${k} ${v}`).join(', ')}; restarts: ${Object.entries(totals.startStates).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      console.log(`[order crash] ${totals.trials} trials in ${totals.seconds} s (${totals.secondsPerTrial} s per trial)`);
      expect(totals.trials).toBe(TRIALS);
      expect(totals.ordersAtExchange).toBeGreaterThan(0);
      // The run reached the order path's kill points, not only restarts (each aimed point fired at least once when aimed at).
      for (const p of KILL_POINTS) if (totals.aimed[p] > 0) expect(totals.fired[p], `kill point ${p}`).toBeGreaterThan(0);
    },
    TRIALS * 60_000 + 120_000,
  );
});
