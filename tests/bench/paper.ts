// Benchmark of the paper exchange: sustained ticks/s to one client, and a full SPY chain's contract details.
import { EventName, SecType } from '@stoqey/ib';
import { connect, type Socket } from 'node:net';
import { dayFromYmd, dayToYmd, etToUtc } from '../../src/core/sim/calendar';
import { DEFAULT_SIM_CONFIG } from '../../src/core/sim/config';
import { MarketModel } from '../../src/core/sim/model';
import type { OptionContract } from '../../src/core/sim/universe';
import { startPaperExchange } from '../../src/main/paper/index';
import { connectClient, waitFor } from '../support/paper';
import { encodeFrame, splitFields } from '../../src/main/paper/wire/framing';

const TICK_IDS = new Set(['1', '2', '21', '45', '46']);

/** A minimal raw TWS client: counts frames by message id without decoding them into objects. */
class RawCounter {
  readonly socket: Socket;
  ticks = 0;
  frames = 0;
  contractData = 0;
  contractEnd = false;
  private buf: Buffer = Buffer.alloc(0);
  private readyResolve: (() => void) | null = null;
  readonly ready: Promise<void>;
  constructor(port: number, clientId: number) {
    this.ready = new Promise((r) => (this.readyResolve = r));
    this.socket = connect({ host: '127.0.0.1', port });
    this.socket.on('connect', () => {
      const body = Buffer.from('v100..193');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(body.length);
      this.socket.write(Buffer.concat([Buffer.from('API\0', 'latin1'), len, body]));
    });
    let first = true;
    this.socket.on('data', (d: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      let off = 0;
      while (this.buf.length - off >= 4) {
        const n = this.buf.readUInt32BE(off);
        if (this.buf.length - off < 4 + n) break;
        const nul = this.buf.indexOf(0, off + 4);
        const id = this.buf.toString('latin1', off + 4, nul);
        this.frames++;
        if (first) {
          first = false;
          this.socket.write(encodeFrame(['71', '2', String(clientId), '']));
        } else if (TICK_IDS.has(id)) this.ticks++;
        else if (id === '9') this.readyResolve?.();
        else if (id === '10') this.contractData++;
        else if (id === '52') this.contractEnd = true;
        else if (id === '4') {
          const f = splitFields(this.buf.toString('utf8', off + 4, off + 4 + n));
          if (Number(f[3]) < 2100) console.log(`  exchange error: ${f.slice(2).join(' ')}`);
        }
        off += 4 + n;
      }
      this.buf = off === this.buf.length ? Buffer.alloc(0) : this.buf.subarray(off);
    });
  }
  send(fields: string[]): void {
    this.socket.write(encodeFrame(fields));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export default async function run(argv: string[]): Promise<void> {
  const seconds = Number(argv.find((a) => a.startsWith('--seconds='))?.slice(10) ?? 5);
  const lines = 300;

  // 1. Sustained tick throughput to one client: 300 option lines, a fast clock, 20 ms publishing rounds.
  const ex = await startPaperExchange({ port: 0, seed: 42, speed: 600, publishIntervalMs: 20, lineBudget: lines, pacing: { maxPerSecond: 100_000 }, startAt: '2026-03-10T15:00:00Z' });
  const raw = new RawCounter(ex.port, 1);
  await raw.ready;
  const chain = ex.model.findOptions({ symbol: 'SPY' }, ex.now()).filter((c) => Math.abs(c.strike / 570 - 1) < 0.06);
  for (let i = 0; i < lines; i++) {
    const c = chain[(i * 7) % chain.length];
    if (!c) continue;
    raw.send(['1', '11', String(100 + i), String(c.conId), '', '', '', '', '', '', 'SMART', '', '', '', '', '0', '', '0', '0', '']);
  }
  await sleep(1000);
  const t0 = performance.now();
  const n0 = raw.ticks;
  const perSecond: number[] = [];
  for (let s = 0; s < seconds; s++) {
    const a = raw.ticks;
    await sleep(1000);
    perSecond.push(raw.ticks - a);
  }
  const rate = ((raw.ticks - n0) / (performance.now() - t0)) * 1000;
  console.log(`sustained ticks/s to one client (raw TCP reader, ${lines} option lines, 20 ms rounds): ${Math.round(rate).toLocaleString('en-US')} ticks/s`);
  console.log(`  per second: ${perSecond.map((x) => x.toLocaleString('en-US')).join(', ')}  (target ≥ 50,000: ${rate >= 50_000 ? 'met' : 'NOT met'})`);
  raw.socket.destroy();

  // The same load through a real @stoqey/ib client (its decoder is the slower side).
  const ib = await connectClient(ex.port, 2, { maxReqPerSec: 10_000 });
  let stoqeyTicks = 0;
  for (const e of [EventName.tickPrice, EventName.tickSize, EventName.tickOptionComputation, EventName.tickString, EventName.tickGeneric]) ib.ib.on(e as never, (() => stoqeyTicks++) as never);
  for (let i = 0; i < lines; i++) {
    const c = chain[(i * 7) % chain.length];
    if (c) ib.ib.reqMktData(100 + i, { conId: c.conId, exchange: 'SMART' }, '', false, false);
  }
  await sleep(1500);
  const s0 = stoqeyTicks;
  const st = performance.now();
  await sleep(seconds * 1000);
  const stoqeyRate = ((stoqeyTicks - s0) / (performance.now() - st)) * 1000;
  console.log(`same load decoded by @stoqey/ib: ${Math.round(stoqeyRate).toLocaleString('en-US')} tick events/s (tickPrice's derived size events included)`);
  ib.close();
  await ex.close();

  // 2. Time to answer a full SPY chain's contract details.
  const ex2 = await startPaperExchange({ port: 0, seed: 42, startAt: '2026-03-10T15:00:00Z' });
  const raw2 = new RawCounter(ex2.port, 3);
  await raw2.ready;
  let t = performance.now();
  raw2.send(['9', '8', '1', '0', 'SPY', 'OPT', '', '', '', '', 'SMART', '', 'USD', '', '', '0', '', '', '']);
  while (!raw2.contractEnd) await sleep(1);
  const rawMs = performance.now() - t;
  console.log(`full SPY chain contract details (raw reader): ${raw2.contractData.toLocaleString('en-US')} contracts in ${Math.round(rawMs)} ms`);
  raw2.socket.destroy();
  const c2 = await connectClient(ex2.port, 4);
  let count = 0;
  c2.ib.on(EventName.contractDetails, () => count++);
  t = performance.now();
  const done = waitFor(c2.ib, EventName.contractDetailsEnd, () => true, 60_000);
  c2.ib.reqContractDetails(2, { symbol: 'SPY', secType: SecType.OPT, exchange: 'SMART', currency: 'USD' });
  await done;
  console.log(`full SPY chain contract details via @stoqey/ib: ${count.toLocaleString('en-US')} contracts in ${Math.round(performance.now() - t)} ms (request to contractDetailsEnd)`);
  c2.close();
  await ex2.close();

  // 3. A fast-forwarded week of quotes across expiries (the old 3-day path cache rebuilt paths here: issue 15 point 8).
  const model = new MarketModel(DEFAULT_SIM_CONFIG, 42);
  const start = etToUtc(dayFromYmd(2026, 3, 9), 9 * 60 + 30);
  const end = etToUtc(dayFromYmd(2026, 3, 13), 16 * 60);
  const subs: OptionContract[] = [];
  for (const u of model.underlyings()) {
    for (const info of model.classesOf(u.symbol)) {
      const day = model.listingDay(start);
      for (const e of model.expiries(info, day).slice(0, 5)) {
        const spot = model.spot(u, start);
        const strikes = model.strikes(info, e, day).filter((k) => Math.abs(k / spot - 1) < 0.03);
        for (const k of strikes.slice(0, 4)) subs.push(...model.findOptions({ symbol: u.symbol, tradingClass: info.cfg.tradingClass, expiry: dayToYmd(e), strike: k }, start));
      }
    }
  }
  let quotes = 0;
  const w0 = performance.now();
  for (let tt = start; tt <= end; tt += 60_000) {
    for (const c of subs) {
      model.optionQuote(c, tt);
      quotes++;
    }
  }
  const wMs = performance.now() - w0;
  const builds = [...model.paths.values()].reduce((a, p) => a + p.builds, 0);
  console.log(
    `fast-forwarded week (Mon open → Fri close, 1-minute steps, ${subs.length} options across 5 expiries per class): ${Math.round((quotes / wMs) * 1000).toLocaleString('en-US')} option quotes/s, ` +
      `${builds} day paths built for ${model.paths.size} underlyings (≤ one per underlying and day means no rebuilds)`,
  );
}
