// Paper exchange connection behaviour: handshake and versions, startApi, ids, duplicate client ids, bad clients.
import { EventName } from '@stoqey/ib';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaperExchange, type PaperExchangeHandle } from '../../src/main/paper/index';
import { connectClient, sleep, type TestClient, waitFor } from '../support/paper';
import { encodeFrame, splitFields } from '../../src/main/paper/wire/framing';

let ex: PaperExchangeHandle;
let c: TestClient;

beforeAll(async () => {
  ex = await startPaperExchange({ port: 0, startAt: '2026-03-10T15:00:00Z' });
  c = await connectClient(ex.port, 7);
});

afterAll(async () => {
  c.close();
  await ex.close();
});

/** A bare TCP client speaking the framing by hand, for versions and malformed input. */
class RawClient {
  readonly socket: Socket;
  readonly frames: string[][] = [];
  closed = false;
  private buf: Buffer = Buffer.alloc(0);
  constructor(port: number) {
    this.socket = connect({ host: '127.0.0.1', port });
    this.socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      while (this.buf.length >= 4 && this.buf.length >= 4 + this.buf.readUInt32BE(0)) {
        const n = this.buf.readUInt32BE(0);
        this.frames.push(splitFields(this.buf.subarray(4, 4 + n).toString('utf8')));
        this.buf = this.buf.subarray(4 + n);
      }
    });
    this.socket.on('close', () => {
      this.closed = true;
    });
    this.socket.on('error', () => undefined);
  }
  hello(versions: string): void {
    const body = Buffer.from(versions);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    this.socket.write(Buffer.concat([Buffer.from('API\0', 'latin1'), len, body]));
  }
  send(fields: string[]): void {
    this.socket.write(encodeFrame(fields));
  }
  async until(pred: () => boolean, ms = 3000): Promise<void> {
    const end = Date.now() + ms;
    while (!pred() && Date.now() < end) await sleep(5);
    if (!pred()) throw new Error(`condition not met; frames: ${JSON.stringify(this.frames)}`);
  }
}

describe('handshake and startApi', () => {
  it('answers the highest common version with exactly two fields, then waits for startApi', async () => {
    for (const [offer, expected] of [['v100..193', '193'], ['v100..187', '187'], ['v157..178', '178'], ['v100..176', '176'], ['v100..225 +PACEAPI', '193']] as const) {
      const r = new RawClient(ex.port);
      r.hello(offer);
      await r.until(() => r.frames.length === 1);
      expect(r.frames[0]?.[0]).toBe(expected);
      expect(r.frames[0]?.length).toBe(2);
      expect(r.frames[0]?.[1]).toBe('20260310 11:00:00 US/Eastern');
      await sleep(30);
      expect(r.frames.length).toBe(1);
      r.send(['71', '2', '55', '']);
      await r.until(() => r.frames.length >= 6);
      expect(r.frames.slice(1).map((f) => f.slice(0, 4).join('|'))).toEqual(['15|1|DU1234567', '9|1|1', '4|2|-1|2104', '4|2|-1|2106', '4|2|-1|2158']);
      r.socket.destroy();
      await r.until(() => r.closed);
    }
  });

  it('closes connections whose versions it cannot speak, and pre-v100 clients', async () => {
    const r = new RawClient(ex.port);
    r.hello('v194..225');
    await r.until(() => r.closed);
    expect(r.frames).toEqual([]);
    const old = connect({ host: '127.0.0.1', port: ex.port });
    let closed = false;
    old.on('close', () => (closed = true));
    old.on('error', () => undefined);
    old.write('v63\0');
    for (let i = 0; i < 200 && !closed; i++) await sleep(5);
    expect(closed).toBe(true);
  });

  it('serves reqCurrentTime, reqIds and reqManagedAccts', async () => {
    const [[time]] = await Promise.all([waitFor<[number]>(c.ib, EventName.currentTime), Promise.resolve(c.ib.reqCurrentTime())]);
    expect(Math.abs(time - Math.floor(ex.now() / 1000))).toBeLessThanOrEqual(2);
    const [[id]] = await Promise.all([waitFor<[number]>(c.ib, EventName.nextValidId), Promise.resolve(c.ib.reqIds(1))]);
    expect(id).toBe(c.nextValidId);
    const [[acct]] = await Promise.all([waitFor<[string]>(c.ib, EventName.managedAccounts), Promise.resolve(c.ib.reqManagedAccts())]);
    expect(acct).toBe('DU1234567');
  });

  it('refuses a duplicate client id with 326 and closes that socket, leaving the first client alone', async () => {
    const dup = new RawClient(ex.port);
    dup.hello('v100..193');
    await dup.until(() => dup.frames.length === 1);
    dup.send(['71', '2', '7', '']);
    await dup.until(() => dup.closed);
    expect(dup.frames.at(-1)?.slice(0, 4)).toEqual(['4', '2', '-1', '326']);
    expect(dup.frames.at(-1)?.[4]).toBe('Unable to connect as the client id is already in use. Retry with a unique client id.');
    const [[time]] = await Promise.all([waitFor<[number]>(c.ib, EventName.currentTime), Promise.resolve(c.ib.reqCurrentTime())]);
    expect(time).toBeGreaterThan(0);
    expect(c.disconnected).toBe(false);
  });
});

describe('bad input never crashes the exchange or touches other clients', () => {
  it('answers malformed and unknown messages with TWS-style errors and drops a client that breaks framing', async () => {
    const bad = new RawClient(ex.port);
    bad.hello('v100..193');
    await bad.until(() => bad.frames.length === 1);
    bad.send(['71', '2', '66', '']);
    await bad.until(() => bad.frames.length >= 6);
    bad.send(['1', '11', 'abc']); // reqMktData with a non-numeric ticker id
    await bad.until(() => bad.frames.some((f) => f[3] === '320'));
    bad.send(['9', '8', '31', '0', 'SPY']); // truncated reqContractDetails
    await bad.until(() => bad.frames.some((f) => f[2] === '31' && f[3] === '320'));
    bad.send(['3', '12']); // truncated placeOrder
    await bad.until(() => bad.frames.some((f) => f[2] === '12' && f[3] === '320'));
    bad.send(['299', '1']); // an id no TWS knows
    await bad.until(() => bad.frames.some((f) => f[3] === '321'));
    bad.send(['20', '5', 'x']); // reqHistoricalData: not simulated
    await bad.until(() => bad.frames.some((f) => f[2] === '5' && f[3] === '321'));
    bad.send([]);
    bad.send(['', '', '']);
    await bad.until(() => bad.frames.filter((f) => f[3] === '320').length >= 5);
    expect(bad.closed).toBe(false);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(0x7fffffff);
    bad.socket.write(len);
    await bad.until(() => bad.closed);
    const [[time]] = await Promise.all([waitFor<[number]>(c.ib, EventName.currentTime), Promise.resolve(c.ib.reqCurrentTime())]);
    expect(time).toBeGreaterThan(0);
    expect(c.errors).toEqual([]);
  });
});
