// Nagle off on @stoqey's socket: the installed @stoqey keeps its TCP socket where noDelay() looks for it.
import { createServer, type Socket } from 'node:net';
import { IBApi } from '@stoqey/ib';
import { afterAll, describe, expect, it } from 'vitest';
import { noDelay } from './wire';

describe('noDelay', () => {
  const sockets: Socket[] = [];
  const server = createServer((s) => sockets.push(s));
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it("finds @stoqey's socket after connect() and turns Nagle off on it", async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const ib = new IBApi({ host: '127.0.0.1', port, clientId: 1 });
    try {
      ib.connect(1);
      const socket = (ib as unknown as { controller: { socket: { client: Socket } } }).controller.socket.client;
      const calls: boolean[] = [];
      const original = socket.setNoDelay.bind(socket);
      socket.setNoDelay = (on?: boolean) => {
        calls.push(on ?? true);
        return original(on);
      };
      expect(noDelay(ib)).toBe(true);
      expect(calls).toEqual([true]);
    } finally {
      ib.disconnect();
    }
  });

  it('says false (and does nothing) for an object without that socket', () => {
    expect(noDelay({})).toBe(false);
    expect(noDelay(null)).toBe(false);
  });
});
