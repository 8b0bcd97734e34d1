// Session recording and replay: a practice session's market path in a file (seed, start, every control), replayed seeded.
//
// The simulated market is a pure function of seed, configuration, simulated instant and the scenarios in force, so
// a session's market path is fully described by its first line (seed, configuration, session mode, speed, start
// instant, paused) and the controls applied after it. Each control is written with the simulated instant it took
// effect and the wall milliseconds since the start. A replay starts from the same first line and applies:
//   • market scenarios (gaps, vol shocks, widening, IV noise, halts, connection losses) and jumps when simulated
//     time reaches their recorded instant (a gap keeps its recorded instant exactly), so the quote at any instant
//     is the recorded session's, whatever the pacing of the replay;
//   • pause, resume and speed changes at their recorded wall offset, so the replay runs at the recorded pace.
// The file also holds marks — every underlying's price once per simulated minute, at most once a wall second — the
// recorded path itself: a replay compares its own prices with them and logs the first difference (a recording
// made by another version of the market model).
// One JSON object per line; written synchronously (controls and marks are rare, and a crash keeps what was said).
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import type { SimCommand } from './exchange';
import type { MarketModel } from '../../core/sim/model';

export interface RecordingHeader {
  kind: 'session';
  version: 1;
  seed: number;
  /** The configuration as given (merged over the defaults again on replay). */
  config: unknown;
  mode: 'open' | 'nyse';
  speed: number;
  /** Simulated instant the session started at (epoch ms). */
  start: number;
  paused: boolean;
}

export interface RecordedControl {
  kind: 'control';
  /** Simulated instant the control took effect. */
  at: number;
  /** Wall milliseconds since the session started. */
  wall: number;
  /** Jumps are written with their target instant (`to`), never relative. */
  cmd: SimCommand;
}

export interface RecordedMark {
  kind: 'mark';
  at: number;
  /** Underlying prices (dollars) by symbol. */
  spots: Record<string, number>;
}

export type RecordingLine = RecordingHeader | RecordedControl | RecordedMark;

/** Controls that change the pace of the replay (wall-timed); the rest change the market (timed by simulated instant). */
export function isPaceControl(cmd: SimCommand): boolean {
  return cmd.op === 'pause' || cmd.op === 'resume' || cmd.op === 'setSpeed';
}

/** Reads a recording; throws with a sentence naming the file and line when it is not one. */
export function readRecording(path: string): { header: RecordingHeader; controls: RecordedControl[]; marks: RecordedMark[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`Cannot read the recording ${path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const parsed = lines.map((l, i) => {
    try {
      return JSON.parse(l) as RecordingLine;
    } catch {
      throw new Error(`${path} line ${i + 1} is not a recording line (JSON expected).`);
    }
  });
  const header = parsed[0];
  if (!header || header.kind !== 'session' || header.version !== 1 || !Number.isFinite(header.seed) || !Number.isFinite(header.start)) {
    throw new Error(`${path} is not a session recording (its first line must be the session header).`);
  }
  const controls = parsed.filter((l): l is RecordedControl => l.kind === 'control');
  const marks = parsed.filter((l): l is RecordedMark => l.kind === 'mark');
  return { header, controls, marks };
}

/** Writes a session's market path as it happens. */
export class SessionRecorder {
  private lastMarkMinute = -Infinity;
  private lastMarkWall = -Infinity;
  private pendingMark: number | null = null;

  constructor(
    private readonly path: string,
    header: RecordingHeader,
    private readonly wall0: number,
  ) {
    writeFileSync(path, `${JSON.stringify(header)}\n`);
  }

  control(cmd: SimCommand, at: number, wall: number): void {
    if (cmd.op === 'status') return;
    const c: SimCommand = cmd.op === 'jump' ? { op: 'jump', to: cmd.to ?? at + (cmd.by ?? 0) } : cmd;
    this.write({ kind: 'control', at, wall: wall - this.wall0, cmd: c });
  }

  /**
   * A mark of every underlying's price, once per simulated minute and at most once a wall second. It is written
   * one round later (or at close), so a control set at its very instant (a gap) is in it, as a replay sees it.
   */
  mark(model: MarketModel, at: number, wall: number): void {
    this.flush(model);
    const minute = Math.floor(at / 60_000);
    if (minute === this.lastMarkMinute || wall - this.lastMarkWall < 1000) return;
    this.lastMarkMinute = minute;
    this.lastMarkWall = wall;
    this.pendingMark = at;
  }

  /** Writes the pending mark. */
  flush(model: MarketModel): void {
    if (this.pendingMark === null) return;
    const at = this.pendingMark;
    this.pendingMark = null;
    this.write({ kind: 'mark', at, spots: spotsAt(model, at) });
  }

  private write(line: RecordingLine): void {
    appendFileSync(this.path, `${JSON.stringify(line)}\n`);
  }
}

function spotsAt(model: MarketModel, at: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const u of model.underlyings()) out[u.symbol] = model.spot(u, at);
  return out;
}

/** Feeds a recording's controls back to the exchange as simulated (or wall) time reaches them. */
export class SessionReplayer {
  private market: RecordedControl[];
  private pace: RecordedControl[];
  private marks: RecordedMark[];
  private mismatchLogged = false;
  /** Applying a control runs the books, which ask again: the inner call must not take the next control. */
  private busy = false;

  constructor(
    recording: ReturnType<typeof readRecording>,
    private readonly wall0: number,
    private readonly apply: (cmd: SimCommand, at: number) => void,
    private readonly log: (line: string) => void,
  ) {
    this.market = recording.controls.filter((c) => !isPaceControl(c.cmd));
    this.pace = recording.controls.filter((c) => isPaceControl(c.cmd));
    this.marks = [...recording.marks];
  }

  /** Controls still to come. */
  get pending(): number {
    return this.market.length + this.pace.length;
  }

  /**
   * Applies what is due, in recorded order: pace controls whose wall offset has passed, market controls whose
   * instant simulated time has reached (a pace control that stops time first lets the market controls recorded
   * before it through). `now` reads the simulated clock afresh, since a control can move it.
   */
  due(now: () => number, wall: number, model: MarketModel): void {
    if (this.busy) return;
    this.busy = true;
    try {
      this.step(now, wall, model);
    } finally {
      this.busy = false;
    }
  }

  private step(now: () => number, wall: number, model: MarketModel): void {
    for (;;) {
      const p = this.pace[0];
      const m = this.market[0];
      const paceDue = p !== undefined && p.wall <= wall - this.wall0;
      const marketDue = m !== undefined && m.at <= now();
      if (!paceDue && !marketDue) break;
      // Both due: the one recorded first goes first.
      const takePace = paceDue && (!marketDue || (m !== undefined && p !== undefined && p.wall <= m.wall));
      const c = takePace ? this.pace.shift() : this.market.shift();
      if (!c) break;
      try {
        this.apply(c.cmd, c.at);
      } catch (e) {
        this.log(`replay: ${JSON.stringify(c.cmd)} not applied: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const t = now();
    while (this.marks[0] !== undefined && this.marks[0].at <= t) {
      const mk = this.marks.shift();
      if (!mk || this.mismatchLogged) continue;
      const mine = spotsAt(model, mk.at);
      const off = Object.entries(mk.spots).find(([sym, px]) => mine[sym] !== undefined && Math.abs((mine[sym] ?? 0) - px) > 1e-9);
      if (off) {
        this.mismatchLogged = true;
        this.log(`replay: ${off[0]} was ${off[1]} at ${new Date(mk.at).toISOString()} in the recording but is ${mine[off[0]]} now (recorded by another version of the market model?)`);
      }
    }
  }
}
