// The paper account's books on disk: orders, executions, positions, cash and id counters in one SQLite file.
import type Database from 'better-sqlite3';
import { openSqlite } from '../services/sqlite';

export interface StoredState {
  meta: Map<string, string>;
  clientIds: Map<number, number>;
  orders: string[];
  executions: string[];
  positions: string[];
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS client_ids (client_id INTEGER PRIMARY KEY, max_order_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS orders (perm_id INTEGER PRIMARY KEY, client_id INTEGER NOT NULL, order_id INTEGER NOT NULL, status TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (client_id, order_id));
CREATE TABLE IF NOT EXISTS executions (exec_id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, perm_id INTEGER NOT NULL, day INTEGER NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS executions_day ON executions (day);
CREATE TABLE IF NOT EXISTS positions (con_id INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ledger (seq INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL);
`;

/**
 * Durable books: WAL with synchronous=FULL, one transaction per state change, committed before the exchange
 * tells any client about it — a SIGKILL never loses an acknowledged order, fill or position.
 */
export class BooksStore {
  private readonly db: Database.Database;
  private readonly st: {
    setMeta: Database.Statement;
    setClient: Database.Statement;
    upsertOrder: Database.Statement;
    insertExec: Database.Statement;
    upsertPosition: Database.Statement;
    deletePosition: Database.Statement;
    ledger: Database.Statement;
  };

  constructor(readonly file: string) {
    this.db = openSqlite(file);
    if (file !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
    this.st = {
      setMeta: this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      setClient: this.db.prepare('INSERT INTO client_ids (client_id, max_order_id) VALUES (?, ?) ON CONFLICT(client_id) DO UPDATE SET max_order_id = MAX(max_order_id, excluded.max_order_id)'),
      upsertOrder: this.db.prepare('INSERT INTO orders (perm_id, client_id, order_id, status, body) VALUES (?, ?, ?, ?, ?) ON CONFLICT(perm_id) DO UPDATE SET status = excluded.status, body = excluded.body'),
      insertExec: this.db.prepare('INSERT INTO executions (exec_id, seq, perm_id, day, body) VALUES (?, ?, ?, ?, ?)'),
      upsertPosition: this.db.prepare('INSERT INTO positions (con_id, body) VALUES (?, ?) ON CONFLICT(con_id) DO UPDATE SET body = excluded.body'),
      deletePosition: this.db.prepare('DELETE FROM positions WHERE con_id = ?'),
      ledger: this.db.prepare('INSERT INTO ledger (time, kind, body) VALUES (?, ?, ?)'),
    };
  }

  load(): StoredState {
    const meta = new Map((this.db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    const clientIds = new Map((this.db.prepare('SELECT client_id, max_order_id FROM client_ids').all() as { client_id: number; max_order_id: number }[]).map((r) => [r.client_id, r.max_order_id]));
    const orders = (this.db.prepare('SELECT body FROM orders ORDER BY perm_id').all() as { body: string }[]).map((r) => r.body);
    const executions = (this.db.prepare('SELECT body FROM executions ORDER BY seq').all() as { body: string }[]).map((r) => r.body);
    const positions = (this.db.prepare('SELECT body FROM positions ORDER BY con_id').all() as { body: string }[]).map((r) => r.body);
    return { meta, clientIds, orders, executions, positions };
  }

  /** Runs the writes of one state change atomically. */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  setMeta(key: string, value: string): void {
    this.st.setMeta.run(key, value);
  }

  useOrderId(clientId: number, orderId: number): void {
    this.st.setClient.run(clientId, orderId);
  }

  saveOrder(permId: number, clientId: number, orderId: number, status: string, body: string): void {
    this.st.upsertOrder.run(permId, clientId, orderId, status, body);
  }

  saveExecution(execId: string, seq: number, permId: number, day: number, body: string): void {
    this.st.insertExec.run(execId, seq, permId, day, body);
  }

  savePosition(conId: number, body: string | null): void {
    if (body === null) this.st.deletePosition.run(conId);
    else this.st.upsertPosition.run(conId, body);
  }

  ledger(time: number, kind: string, body: string): void {
    this.st.ledger.run(time, kind, body);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
