// Test support for the broker layer: accelerated timers shared with the paper exchange, and a connected pair.
//
// Used by tests/integration/broker-*.test.ts. An accelerated clock lets a test run minutes of pacing or line
// churn in seconds: the adapter's timers and the exchange's rate limiter read the same virtual clock.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PaperExchangeHandle } from '../../src/main/paper';
import { IbBroker, type IbBrokerOptions } from '../../src/main/services/broker/ib-broker';
import type { ManualTimers, Timers } from '../../src/main/services/broker/timers';
import type { Broker, ConnectTarget } from '../../src/main/services/broker/types';

/** Wall-clock epoch ms with sub-millisecond resolution, comparable across processes. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Virtual time running `speed` times faster than the wall clock from `start` (epoch ms): virtual = start +
 * (wall − start) × speed. Two processes given the same start and speed read the same virtual clock.
 */
export function acceleratedTimers(speed: number, start = wallNow()): Timers {
  return {
    now: () => start + (wallNow() - start) * speed,
    setTimeout(fn, ms) {
      const t = setTimeout(fn, Math.max(0, ms) / speed);
      t.unref?.();
      return t;
    },
    clearTimeout(h) {
      clearTimeout(h as ReturnType<typeof setTimeout>);
    },
  };
}

export function tempDir(prefix = 'sd-broker-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function localTarget(port: number, clientId = 1): ConnectTarget {
  return { profile: 'local-paper', host: '127.0.0.1', port, clientId, live: false, simulated: true };
}

export function newBroker(options: Partial<IbBrokerOptions> = {}): IbBroker {
  return new IbBroker({ dataDir: options.dataDir ?? tempDir(), ...options });
}

/** Largest number of timestamps in any half-open window [t, t + windowMs). `times` must be sorted. */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  let max = 0;
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    while ((times[i] ?? 0) - (times[j] ?? 0) >= windowMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

export async function waitFor(check: () => boolean, timeoutMs: number, what: string, stepMs = 10): Promise<void> {
  // A wait is not a speed assertion: on a loaded machine (npm run test:stress) everything is slower, so no wait gives
  // up before WAIT_FLOOR_MS. Speed goals are figures printed by `npm run bench`.
  const limit = Math.max(timeoutMs, WAIT_FLOOR_MS);
  const end = Date.now() + limit;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${limit} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** The shortest a test waits for something before failing (see waitFor). */
export const WAIT_FLOOR_MS = 30_000;

/** One turn of the event loop, so socket writes are read by the other side (both ends live in this process). */
export const ioTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Runs `totalMs` of virtual time on a manual clock in steps of `stepMs`. After each step it waits (in real time)
 * until `delivered()` says everything written so far has reached the other end, so virtual time never moves on
 * while messages are still in flight: timing measured on the virtual clock is then free of scheduler jitter.
 * Stops early when `done()` returns true.
 */
export async function driveClock(timers: ManualTimers, options: { totalMs: number; stepMs: number; delivered: () => boolean; done?: () => boolean; maxWaitMs?: number }): Promise<void> {
  const end = timers.now() + options.totalMs;
  while (timers.now() < end && !(options.done?.() ?? false)) {
    timers.advance(Math.min(options.stepMs, end - timers.now()));
    const deadline = Date.now() + Math.max(options.maxWaitMs ?? 0, WAIT_FLOOR_MS);
    await ioTurn();
    while (!options.delivered()) {
      if (Date.now() > deadline) throw new Error('messages still in flight after the real-time wait');
      await ioTurn();
    }
  }
}

/** Connects `broker` on a standing manual clock: turns the event loop until the handshake is done. */
export async function connectOnClock(broker: IbBroker, target: ConnectTarget): Promise<void> {
  const connecting = broker.connect(target);
  while (broker.status().state !== 'connected') await ioTurn();
  await connecting;
}

/**
 * For driveClock: true once the in-process exchange has read every message `broker` wrote as client `clientId`
 * (the broker's count includes the "API\0" hello, which the exchange does not count).
 */
export function deliveredTo(ex: PaperExchangeHandle, broker: IbBroker, clientId: number): () => boolean {
  return () => (ex.exchange.sessionsList().find((s) => s.clientId === clientId)?.limiter.total ?? 0) >= broker.messageCounts().out - 1;
}

/** Runs a request to completion while driving the manual clock (at most `totalMs` of virtual time), then returns its outcome. */
export async function runOnClock<T>(timers: ManualTimers, p: Promise<T>, options: { totalMs: number; stepMs: number; delivered: () => boolean }): Promise<T> {
  let settled = false;
  void p.finally(() => (settled = true)).catch(() => undefined);
  await driveClock(timers, { ...options, done: () => settled });
  return p;
}

/** SPY's call strikes within `withinPct` of spot at the expiry `expiryIndex` of its chain (for tests that trade verticals). */
export async function nearMoneySpyCalls(b: Pick<Broker, 'qualify' | 'snapshotQuote' | 'optionChainParams' | 'optionContracts'>, expiryIndex: number, withinPct: number): Promise<{ expiry: string; strikes: number[] }> {
  const [spy] = await b.qualify({ secType: 'STK', symbol: 'SPY' });
  const spot = (await b.snapshotQuote({ conId: spy!.conId }, { priority: 'quote' })).last ?? 500;
  const [chain] = await b.optionChainParams({ symbol: 'SPY', secType: 'STK', conId: spy!.conId });
  const expiry = chain!.expirations[expiryIndex]!;
  const calls = await b.optionContracts({ symbol: 'SPY', expiry, right: 'C' });
  return { expiry, strikes: calls.map((c) => c.strike ?? 0).filter((k) => Math.abs(k - spot) < spot * withinPct).sort((a, c) => a - c) };
}

/** One contract method through the app's dispatcher (as the direct transport calls it); its error thrown as an Error. */
export async function dispatchOrThrow<T>(services: { dispatcher: { dispatch(m: never, a: never, c: never): Promise<{ ok: boolean; value?: unknown; error?: { message: string } }> } }, method: string, args: unknown): Promise<T> {
  const r = await services.dispatcher.dispatch(method as never, args as never, { transport: 'direct' } as never);
  if (!r.ok) throw new Error(`${method}: ${r.error?.message ?? 'failed'}`);
  return r.value as T;
}
