// Test helpers for code that talks to the paper exchange with the real @stoqey/ib client.
import { EventName, IBApi } from '@stoqey/ib';

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
