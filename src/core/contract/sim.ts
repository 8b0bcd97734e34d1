// Contract for the embedded paper exchange's practice controls: simulated clock, speed, pause, jumps and scenarios.
import { z } from 'zod';
import { method } from './define';

const Symbol = z.string().trim().min(1).max(12);

/** One practice scenario applied to the simulated market from the current simulated instant on. */
export const SimScenario = z.discriminatedUnion('kind', [
  /** The underlying gaps by pct percent now (e.g. −3 for a 3% drop). */
  z.object({ kind: z.literal('gap'), symbol: Symbol, pct: z.number().gt(-100).lte(100) }),
  /** Every implied volatility moves by this many vol points (+5 = 20% → 25%); 0 ends the shock. */
  z.object({ kind: z.literal('volShock'), points: z.number().min(-50).max(200) }),
  /** Option quotes are this many times their normal width (1 = normal). */
  z.object({ kind: z.literal('widen'), factor: z.number().min(0.1).max(20) }),
  /** Per-strike IV jitter of ± this many vol points (0 = none). */
  z.object({ kind: z.literal('ivNoise'), points: z.number().min(0).max(20) }),
  /** Trading halt of one underlying: its quotes freeze and its orders (single or combo) do not fill. */
  z.object({ kind: z.literal('halt'), symbol: Symbol, halted: z.boolean() }),
  /** The exchange loses its link for a while: 1100, then 1102 (data kept) or 1101 (data lost). */
  z.object({ kind: z.literal('connectionLoss'), seconds: z.number().min(1).max(600), dataLost: z.boolean().default(false) }),
  /** TWS freezes: it stops answering for a while but keeps the socket open (a half-open link only a liveness probe finds). */
  z.object({ kind: z.literal('freeze'), seconds: z.number().min(1).max(600) }),
  /** The app's connection drops and its client id stays in use for a while: each reconnect meanwhile gets error 326. */
  z.object({ kind: z.literal('clientIdInUse'), seconds: z.number().min(1).max(600) }),
  /** TWS's daily restart now: every client drops and connections are refused for the duration. */
  z.object({ kind: z.literal('dailyRestart'), seconds: z.number().min(1).max(600) }),
  /** Ends vol shock, widening, noise and halts (price gaps already taken stay in the history). */
  z.object({ kind: z.literal('reset') }),
]);
export type SimScenario = z.infer<typeof SimScenario>;

export const SimScenarioState = z.object({
  /** Vol points added to every IV (0.05 = +5 points). */
  volShift: z.number(),
  widen: z.number(),
  /** IV jitter, as a fraction (0.01 = ±1 point). */
  ivNoise: z.number(),
  halted: z.array(z.string()),
  gaps: z.array(z.object({ symbol: z.string(), at: z.number(), pct: z.number() })),
});
export type SimScenarioState = z.infer<typeof SimScenarioState>;

export const SimStatus = z.object({
  /** The embedded paper exchange is running (the Local paper profile): the data on screen is simulated. */
  active: z.boolean(),
  /** Simulated market time (epoch ms) at `sampledAt`; null when inactive. */
  now: z.number().nullable(),
  /** Wall-clock epoch ms at which `now` was read: a display runs the clock on as now + (wall − sampledAt) × speed. */
  sampledAt: z.number(),
  /** Simulated ms per wall ms while running (the speed a resume restores while paused). */
  speed: z.number(),
  paused: z.boolean(),
  /** 'open': always inside a session (nights and weekends skipped); 'nyse': real NYSE hours. */
  mode: z.enum(['open', 'nyse']).nullable(),
  /** The simulated clock is not the wall clock (accelerated, paused, jumped or session-skipping). */
  simulatedTime: z.boolean(),
  seed: z.number().nullable(),
  scenario: SimScenarioState.nullable(),
});
export type SimStatus = z.infer<typeof SimStatus>;

const empty = z.object({}).strict();

export const simMethods = {
  'sim.status': method('The simulated clock and the scenarios in force (inactive unless the embedded paper exchange runs).', empty, SimStatus),
  'sim.setSpeed': method('Runs the simulated clock at speed × wall time (1 = real time, 60 = a minute per second).', z.object({ speed: z.number().positive().max(100_000) }).strict(), SimStatus),
  'sim.pause': method('Freezes the simulated market: time stands still, quotes stop moving, resting orders wait.', empty, SimStatus),
  'sim.resume': method('Lets simulated time run again at the chosen speed.', empty, SimStatus),
  'sim.jump': method(
    'Moves simulated time forward, to an instant (`to`, epoch ms) or by a duration (`by`, ms); expiries and DAY orders in between take effect.',
    z
      .object({ to: z.number().optional(), by: z.number().positive().max(366 * 86_400_000).optional() })
      .strict()
      .refine((a) => (a.to === undefined) !== (a.by === undefined), { message: 'Give either a time to jump to or a duration to jump by.' }),
    SimStatus,
  ),
  'sim.scenario': method('Applies a practice scenario (gap, vol shock, wider quotes, IV noise, halt, connection loss, a frozen TWS, client id in use, daily restart, reset).', z.object({ scenario: SimScenario }).strict(), SimStatus),
};

export const simEvents = {};
