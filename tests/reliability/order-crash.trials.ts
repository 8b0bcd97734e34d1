// Order-flow crash trials (tests/reliability/order-crash.ts), `npm run test:crash`: CRASH_TRIALS (default 100)
// SIGKILLs of the headless app while it trades against the paper exchange; CRASH_SEED replays a run.
import { describe, expect, it } from 'vitest';
import { runOrderCrashTrials } from './order-crash';

const TRIALS = Number(process.env.CRASH_TRIALS ?? 100);
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
/** CRASH_RETRY=0 leaves out the client's resubmit of interrupted tickets after each restart. */
const RETRY = process.env.CRASH_RETRY !== '0';

describe('order-flow crash trials', () => {
  it(
    `${TRIALS} SIGKILLs while trading${RETRY ? '' : ' (no resubmits)'}: every fill journaled once, no order sent twice, no id reused, integrity ok (seed ${SEED})`,
    async () => {
      const totals = await runOrderCrashTrials({ trials: TRIALS, seed: SEED, retry: RETRY, log: (l) => console.log(l) });
      console.log(`[order crash] ${JSON.stringify(totals)}`);
      expect(totals.trials).toBe(TRIALS);
      expect(totals.ordersAtExchange).toBeGreaterThan(0);
    },
    TRIALS * 60_000 + 120_000,
  );
});
