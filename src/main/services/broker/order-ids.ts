// Order-id allocation: ids come from nextValidId but never go below a persisted high-water mark, so no id is reused.
//
// TWS rejects an order id that is not greater than every id used before (error 103), and a reused id could
// even modify an old order. TWS tells us the next id at each connect, but a reset API setting, a fresh paper
// exchange or a second client can make that number lower than what we already used — so we remember the
// highest id we ever sent, per profile and client id, in a small JSON file, written before the id leaves us.
//
// The mark is reserved a block ahead (RESERVE_BLOCK ids): one durable write (two fsyncs) covers the next block of
// orders instead of sitting on every click's path to the wire. A restart starts above the reserved mark, so at
// most a block of ids is skipped — TWS needs increasing ids, not consecutive ones.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../fs/atomic-write';
import { ours } from './errors';

export interface OrderIdStore {
  /** The highest id ever allocated under this key, or null when none. */
  load(): number | null;
  /** Persists a new high-water mark; must be durable when it returns. */
  save(highWater: number): void;
}

export const ORDER_IDS_FILE = 'broker-order-ids.json';

interface FileShape {
  version: 1;
  highWater: Record<string, number>;
}

function readFileShape(path: string): FileShape {
  if (!existsSync(path)) return { version: 1, highWater: {} };
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (raw && typeof raw === 'object' && 'highWater' in raw && raw.highWater && typeof raw.highWater === 'object') {
      const out: Record<string, number> = {};
      for (const [k, v] of Object.entries(raw.highWater as Record<string, unknown>)) if (typeof v === 'number' && Number.isSafeInteger(v)) out[k] = v;
      return { version: 1, highWater: out };
    }
  } catch {
    // Fall through: an unreadable file must not stop trading, but it must not lower the mark either —
    // the caller still takes max(nextValidId, …) and the broker's own check (103) remains.
  }
  return { version: 1, highWater: {} };
}

/** A store keyed by e.g. "tws-paper:1" (profile and client id) in one JSON file, written atomically. */
export function fileOrderIdStore(path: string, key: string): OrderIdStore {
  return {
    load() {
      return readFileShape(path).highWater[key] ?? null;
    },
    save(highWater) {
      const current = readFileShape(path);
      current.highWater[key] = Math.max(current.highWater[key] ?? 0, highWater);
      mkdirSync(dirname(path), { recursive: true });
      writeFileAtomic(path, JSON.stringify(current, null, 2));
    },
  };
}

export function memoryOrderIdStore(initial: number | null = null): OrderIdStore & { value: number | null } {
  const s = {
    value: initial,
    load: () => s.value,
    save: (h: number) => {
      s.value = Math.max(s.value ?? 0, h);
    },
  };
  return s;
}

/** Ids reserved per durable write of the high-water mark. */
export const RESERVE_BLOCK = 64;

export class OrderIdAllocator {
  private highWater: number;
  /** The mark as persisted: every id up to it may be handed out without another write. */
  private durable: number;
  private nextId = 0;
  private ready = false;
  /** Ids handed out by allocate() and not yet used by an order: the only ids a placement may carry. */
  private readonly reserved = new Set<number>();

  constructor(private readonly store: OrderIdStore) {
    this.highWater = store.load() ?? 0;
    this.durable = this.highWater;
  }

  /** TWS's nextValidId (at every connect, and after reqIds). */
  onNextValidId(id: number): void {
    if (!Number.isSafeInteger(id) || id < 0) return;
    this.nextId = Math.max(this.nextId, id, this.highWater + 1);
    this.ready = true;
    this.reserveAhead();
  }

  /** An order id seen in openOrder/orderStatus/execution: ours must stay above it. */
  observe(id: number): void {
    if (Number.isSafeInteger(id) && id >= this.nextId) this.nextId = id + 1;
  }

  /** The connection dropped: wait for the next nextValidId before allocating again. */
  reset(): void {
    this.ready = false;
  }

  /** Persists the mark a block ahead now (at connect), so the first order does not wait for the write either. */
  private reserveAhead(): void {
    if (!this.ready) return;
    const id = Math.max(this.nextId, this.highWater + 1);
    if (id + RESERVE_BLOCK - 1 <= this.durable) return;
    try {
      this.store.save(id + RESERVE_BLOCK - 1);
      this.durable = id + RESERVE_BLOCK - 1;
    } catch {
      // allocate() retries the write and refuses the id if it still fails.
    }
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** The highest id handed out (the persisted mark may be up to a block above it). */
  get highWaterMark(): number {
    return this.highWater;
  }

  /** A fresh id, durably recorded before it is returned. Throws when not connected or the mark cannot be saved. */
  allocate(): number {
    if (!this.ready) throw ours.notConnected('Order ids are not available until the broker connection is ready.');
    const id = Math.max(this.nextId, this.highWater + 1);
    if (id > this.durable) {
      this.store.save(id + RESERVE_BLOCK - 1); // throws → the id is never used
      this.durable = id + RESERVE_BLOCK - 1;
    }
    this.highWater = id;
    this.nextId = id + 1;
    this.reserved.add(id);
    return id;
  }

  /**
   * Uses a reserved id for one placement. An id this allocator did not hand out, or one already used, is
   * refused: a caller-chosen id could be another order's, and TWS would treat the placement as its modify.
   */
  claim(id: number): number {
    if (!this.reserved.delete(id)) throw ours.invalidOrder(`Order id ${id} was not reserved by SpreadDesk for a new order (or was already used); a new order always gets a fresh id.`);
    return id;
  }
}
