// Simulated exchange time: a wall clock (injected) mapped to market time, real-time or accelerated.
import { type DayNum, nextTradingDay, sessionOf, tradingDayOnOrAfter, utcToEt } from './calendar';

/** Anything that tells the time in epoch milliseconds. */
export interface Clock {
  now(): number;
}

/** A clock that moves only when told to; the tests' way to control time. */
export class ManualClock implements Clock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/**
 * 'open': the market is always in a regular session — session time runs on and skips nights, weekends
 *   and holidays, so a user at any hour sees a live market (the default).
 * 'nyse': simulated time follows the wall clock through real nights and weekends.
 */
export type SessionMode = 'open' | 'nyse';

export interface SimClockOptions {
  wall: Clock;
  /** Simulated milliseconds per wall millisecond (1 = real time, 60 = a minute per second). */
  speed: number;
  mode: SessionMode;
  /** Simulated instant at the wall clock's current reading. In 'open' mode it is moved into a session. */
  start: number;
}

/** Where an instant falls for 'open' mode: inside a session or moved to the next open. */
function snapIntoSession(t: number): { day: DayNum; offset: number } {
  const { day } = utcToEt(t);
  let d = tradingDayOnOrAfter(day);
  for (;;) {
    const s = sessionOf(d);
    if (s && t < s.close) return { day: d, offset: Math.max(0, t - s.open) };
    d = nextTradingDay(d);
    const next = sessionOf(d);
    if (next && t < next.open) return { day: d, offset: 0 };
  }
}

/** Maps wall time to simulated market time. */
export class SimClock implements Clock {
  readonly mode: SessionMode;
  private speed: number;
  private wall0: number;
  private base: number; // sim time at wall0 ('nyse') or session-elapsed at wall0 ('open')
  private day0: DayNum = 0;
  // Cursor over sessions for 'open' mode: elapsed session time before `cursorDay`.
  private cursorDay: DayNum = 0;
  private cursorElapsed = 0;

  constructor(private readonly opts: SimClockOptions) {
    this.mode = opts.mode;
    this.speed = opts.speed;
    this.wall0 = opts.wall.now();
    if (opts.mode === 'open') {
      const snap = snapIntoSession(opts.start);
      this.day0 = snap.day;
      this.base = snap.offset;
      this.cursorDay = snap.day;
    } else {
      this.base = opts.start;
    }
  }

  get rate(): number {
    return this.speed;
  }

  /** Elapsed simulated time since construction. */
  private elapsed(): number {
    return (this.opts.wall.now() - this.wall0) * this.speed;
  }

  now(): number {
    if (this.mode === 'nyse') return this.base + this.elapsed();
    const e = this.base + this.elapsed();
    if (e < this.cursorElapsed) {
      this.cursorDay = this.day0;
      this.cursorElapsed = 0;
    }
    for (;;) {
      const s = sessionOf(this.cursorDay);
      if (!s) {
        this.cursorDay = nextTradingDay(this.cursorDay);
        continue;
      }
      const len = s.close - s.open;
      if (e - this.cursorElapsed < len) return s.open + (e - this.cursorElapsed);
      this.cursorElapsed += len;
      this.cursorDay = nextTradingDay(this.cursorDay);
    }
  }

  /** Changes the speed from now on without a jump in simulated time (while paused, the speed to resume at). */
  setSpeed(speed: number): void {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`Speed must be a positive number, not ${speed}.`);
    if (this.paused) {
      this.resumeSpeed = speed;
      return;
    }
    this.rebase(speed);
  }

  private rebase(speed: number): void {
    const wallNow = this.opts.wall.now();
    if (this.mode === 'nyse') this.base = this.now();
    else this.base += (wallNow - this.wall0) * this.speed;
    this.wall0 = wallNow;
    this.speed = speed;
  }

  private resumeSpeed = 0;

  /** Frozen: simulated time stands still until resume(). */
  get paused(): boolean {
    return this.speed === 0;
  }

  /** The speed in force when running (while paused: the one resume() restores). */
  get runSpeed(): number {
    return this.paused ? this.resumeSpeed : this.speed;
  }

  pause(): void {
    if (this.paused) return;
    this.resumeSpeed = this.speed;
    this.rebase(0);
  }

  resume(): void {
    if (!this.paused) return;
    this.rebase(this.resumeSpeed);
  }

  /**
   * Jumps forward to instant t (never backwards: the books hold executions stamped with earlier times). In
   * 'open' mode an instant outside a session lands on the next open, as a start does.
   */
  jumpTo(t: number): void {
    if (!Number.isFinite(t)) throw new RangeError('The jump target is not a time.');
    const now = this.now();
    if (t < now) throw new RangeError('Simulated time only runs forward.');
    this.wall0 = this.opts.wall.now();
    if (this.mode === 'nyse') {
      this.base = t;
      return;
    }
    const snap = snapIntoSession(t);
    this.day0 = snap.day;
    this.base = snap.offset;
    this.cursorDay = snap.day;
    this.cursorElapsed = 0;
  }
}

/**
 * The default start for 'open' mode: the wall time itself when it is inside a session, otherwise
 * 30 minutes after the next open, so the day already has a little history.
 */
export function defaultOpenStart(wallMs: number): number {
  const { day } = utcToEt(wallMs);
  const s = sessionOf(day);
  if (s && wallMs >= s.open && wallMs < s.close) return wallMs;
  if (s && wallMs < s.open) return s.open + 30 * 60_000;
  const next = sessionOf(nextTradingDay(day));
  return (next?.open ?? wallMs) + 30 * 60_000;
}
