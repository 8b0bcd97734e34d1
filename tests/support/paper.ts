// Test helpers for code that talks to the paper exchange with the real @stoqey/ib client.
import { EventName, IBApi } from '@stoqey/ib';
import { connect } from 'node:net';

export interface ErrorRecord {
  message: string;
  code: number;
  reqId: number;
}

export interface TestClient {
  ib: IBApi;
  clientId: number;
  /** Every `error` event (id-bearing TWS errors and client-side errors). */
  errors: ErrorRecord[];
  /** Every `info` event (TWS errors sent with id −1: farm notices, 1100/1101/1102, 326 …). */
  infos: { message: string; code: number }[];
  /** Raw frames as @stoqey/ib received them (fields), in order. */
  received: string[][];
  nextValidId: number;
  disconnected: boolean;
  close(): void;
}

/** Connects a real @stoqey/ib client (always with explicit host/port/clientId) and waits for nextValidId. */
export async function connectClient(port: number, clientId: number, opts: { maxReqPerSec?: number; host?: string; recordFrames?: boolean; timeoutMs?: number } = {}): Promise<TestClient> {
  const ib = new IBApi({ host: opts.host ?? '127.0.0.1', port, clientId, maxReqPerSec: opts.maxReqPerSec ?? 40 } as never);
  const client: TestClient = {
    ib,
    clientId,
    errors: [],
    infos: [],
    received: [],
    nextValidId: -1,
    disconnected: false,
    close: () => {
      try {
        ib.disconnect();
      } catch {
        // already closed
      }
    },
  };
  ib.on(EventName.error, (err: Error, code: number, reqId: number) => client.errors.push({ message: err.message, code, reqId }));
  ib.on(EventName.info, (message: string, code: number) => client.infos.push({ message, code }));
  ib.on(EventName.disconnected, () => {
    client.disconnected = true;
  });
  if (opts.recordFrames) ib.on(EventName.received, (tokens: string[]) => client.received.push([...tokens]));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`client ${clientId}: no nextValidId within ${opts.timeoutMs ?? 5000} ms`)), opts.timeoutMs ?? 5000);
    ib.once(EventName.nextValidId, (id: number) => {
      clearTimeout(timer);
      client.nextValidId = id;
      resolve();
    });
    ib.connect(clientId);
  });
  return client;
}

/** Resolves with the arguments of the first event that matches, or rejects after a timeout. */
export function waitFor<A extends unknown[] = unknown[]>(ib: IBApi, event: EventName, match: (...args: A) => boolean = () => true, timeoutMs = 5000): Promise<A> {
  return new Promise((resolve, reject) => {
    const handler = (...args: unknown[]): void => {
      if (!match(...(args as A))) return;
      clearTimeout(timer);
      ib.off(event as never, handler as never);
      resolve(args as A);
    };
    const timer = setTimeout(() => {
      ib.off(event as never, handler as never);
      reject(new Error(`timed out waiting for ${event}`));
    }, timeoutMs);
    ib.on(event as never, handler as never);
  });
}

/** Collects every emission of an event into an array (live). */
export function collect<A extends unknown[] = unknown[]>(ib: IBApi, event: EventName): A[] {
  const out: A[] = [];
  ib.on(event as never, ((...args: unknown[]) => out.push(args as A)) as never);
  return out;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Errors that report a decoding problem inside @stoqey/ib (should never happen against this exchange). */
export function decodeErrors(c: TestClient): ErrorRecord[] {
  return c.errors.filter((e) => /Underrun|unprocessed data|No parser implementation|Decoding error/i.test(e.message));
}

/**
 * A bare TWS API client over a raw socket: each `send` is one write, at a moment the test controls (no client
 * library pacing or batching in between), and every inbound frame is recorded. For pacing tests.
 */
export interface RawClient {
  /** Inbound frames (fields), in order. */
  frames: string[][];
  /** Writes one message now. */
  send(fields: (string | number)[]): void;
  /** Writes several messages in one socket write. */
  sendMany(messages: (string | number)[][]): void;
  /** Resolves once `pred` holds over the frames (checked on every frame), or rejects after the timeout. */
  until(pred: (frames: string[][]) => boolean, timeoutMs?: number): Promise<void>;
  closed: boolean;
  close(): void;
}

function frame(fields: (string | number)[]): Buffer {
  const body = Buffer.from(fields.map((f) => `${f}\0`).join(''), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

export async function connectRaw(port: number, clientId: number, host = '127.0.0.1'): Promise<RawClient> {
  const { connect } = await import('node:net');
  const socket = connect({ port, host });
  socket.setNoDelay(true);
  let buf = Buffer.alloc(0);
  let hello = false;
  const waiters = new Set<() => void>();
  const client: RawClient = {
    frames: [],
    closed: false,
    send: (fields) => void socket.write(frame(fields)),
    sendMany: (messages) => void socket.write(Buffer.concat(messages.map(frame))),
    until: (pred, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        if (pred(client.frames)) return resolve();
        const check = (): void => {
          if (!pred(client.frames)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`raw client ${clientId}: condition not met within ${timeoutMs} ms (${client.frames.length} frames)`));
        }, timeoutMs);
        waiters.add(check);
      }),
    close: () => {
      client.closed = true;
      socket.destroy();
    },
  };
  socket.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 4) {
      const len = buf.readUInt32BE(0);
      if (buf.length < 4 + len) break;
      const fields = buf.subarray(4, 4 + len).toString('utf8').split('\0');
      fields.pop();
      buf = buf.subarray(4 + len);
      if (!hello) {
        hello = true;
        socket.write(frame([71, 2, clientId, '']));
        continue;
      }
      client.frames.push(fields);
    }
    for (const w of [...waiters]) w();
  });
  socket.on('close', () => {
    client.closed = true;
  });
  socket.on('error', () => {
    client.closed = true;
  });
  const offer = Buffer.from('v100..193', 'ascii');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(offer.length, 0);
  socket.write(Buffer.concat([Buffer.from('API\0', 'latin1'), len, offer]));
  await client.until((f) => f.some((x) => x[0] === '9'), 10_000);
  return client;
}

/** Whether a TCP connection to the port is accepted (false while an exchange refuses connections). */
export const canConnect = (port: number, host = '127.0.0.1'): Promise<boolean> =>
  new Promise((resolve) => {
    const s = connect({ host, port });
    s.on('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

/** Resolves once no frame has reached the client for 100 ms: it holds everything the exchange sent. */
export async function drained(c: { received: readonly unknown[] }): Promise<void> {
  let last = -1;
  while (last !== c.received.length) {
    last = c.received.length;
    await sleep(100);
  }
}
