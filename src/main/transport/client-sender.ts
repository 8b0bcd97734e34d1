// Back-pressure for one WebSocket client: a bounded send buffer; progress frames coalesced, the rest queued, a hopeless client dropped.
import type { ServerFrame } from './protocol';

/** The part of a ws WebSocket the sender uses. */
export interface FrameSocket {
  readonly bufferedAmount: number;
  send(data: string, cb?: (err?: Error) => void): void;
  /** Closes the client (it reconnects and receives the latest state of every event). */
  close(code: number, reason: string): void;
}

export interface SenderLimits {
  /** Frames are written while the socket's buffer holds at most this many bytes; above it they wait. */
  maxBuffered: number;
  /** Bytes of waiting non-coalescible frames after which the client is considered stalled and closed. */
  maxQueued: number;
}

export const DEFAULT_LIMITS: SenderLimits = { maxBuffered: 1 << 20, maxQueued: 8 << 20 };

/** Events where only the newest matters: a slow client gets the latest one instead of every step. */
export function isCoalescible(name: string): boolean {
  return name.endsWith('.progress') || name === 'connection.status' || name === 'trading.status' || name === 'settings.changed';
}

export interface ClientSender {
  send(frame: ServerFrame): void;
  /** Frames waiting (coalescible slots + queue) and their bytes; for tests and diagnostics. */
  pending(): { frames: number; bytes: number };
  /** Frames replaced by a newer one of the same event before they were sent. */
  coalesced(): number;
  closed(): boolean;
}

export function createClientSender(socket: FrameSocket, limits: SenderLimits = DEFAULT_LIMITS): ClientSender {
  // Waiting event frames in order; a coalescible event holds one slot that newer payloads overwrite in place.
  const queue: { key: string | null; data: string }[] = [];
  const slots = new Map<string, { key: string | null; data: string }>();
  let queuedBytes = 0;
  let replaced = 0;
  let dead = false;

  const drop = (why: string) => {
    dead = true;
    queue.length = 0;
    slots.clear();
    queuedBytes = 0;
    socket.close(1013, why);
  };

  // A frame's callback runs once it has left ws's buffer for the kernel: the moment to write more. While the queue is
  // non-empty the buffer is over its limit, so some frame is in flight and its callback will flush again.
  const write = (data: string) => socket.send(data, (err) => (err ? undefined : flush()));
  const flush = () => {
    while (!dead && queue.length > 0 && socket.bufferedAmount <= limits.maxBuffered) {
      const item = queue.shift()!;
      if (item.key !== null) slots.delete(item.key);
      queuedBytes -= item.data.length;
      write(item.data);
    }
  };

  return {
    send(frame) {
      if (dead) return;
      const data = JSON.stringify(frame);
      if (frame.type === 'result') {
        // A result answers a call the client waits for: never coalesced or held back. A client that keeps calling
        // without reading its answers is cut off at the same bound as a stalled event stream.
        if (socket.bufferedAmount > limits.maxBuffered + limits.maxQueued) drop('SpreadDesk: this client does not read its answers.');
        else write(data);
        return;
      }
      if (queue.length === 0 && socket.bufferedAmount <= limits.maxBuffered) {
        write(data);
        return;
      }
      const key = isCoalescible(frame.name) ? frame.name : null;
      const older = key !== null ? slots.get(key) : undefined;
      if (older) {
        // The newer payload replaces the waiting one and takes its place at the end, after what came between.
        queue.splice(queue.indexOf(older), 1);
        queuedBytes -= older.data.length;
        replaced++;
      }
      const item = { key, data };
      queue.push(item);
      if (key !== null) slots.set(key, item);
      queuedBytes += data.length;
      if (queuedBytes > limits.maxQueued) drop('SpreadDesk: this client fell too far behind; reconnect to receive the current state.');
    },
    pending: () => ({ frames: queue.length, bytes: queuedBytes }),
    coalesced: () => replaced,
    closed: () => dead,
  };
}
