// Paper exchange acceptance 2: SIGKILL the exchange process mid-session; after a restart on the same books
// file no order, execution or position is lost and order ids keep increasing.
import { EventName, SecType, type CommissionReport, type Contract, type Execution, type Order, type OrderState } from '@stoqey/ib';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collect, connectClient, sleep, type TestClient, waitFor } from '../support/paper';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'paper-restart-'));
const db = join(dir, 'books.sqlite');
const children: ChildProcess[] = [];

// Every exchange this file started is gone before the next file runs, whatever the outcome.
afterAll(async () => {
  await Promise.all(
    children.map(
      (ch) =>
        new Promise<void>((done) => {
          if (ch.exitCode !== null || ch.signalCode !== null) return done();
          ch.once('exit', () => done());
          ch.kill('SIGKILL');
        }),
    ),
  );
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the CLI as a child process and resolves with the port it prints. */
async function startChild(): Promise<{ child: ChildProcess; port: number }> {
  // Node itself runs the CLI (tsx as a loader, not tsx's CLI, which runs the script in a grandchild that a SIGKILL of
  // the child would orphan: it used to leave two exchanges running after every run of the suite).
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/main/paper/cli.ts'), '--port', '0', '--seed', '42', '--db', db], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`exchange did not start: ${out} ${err}`)), 20_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`exchange exited (${code}): ${out} ${err}`)));
  });
  return { child, port };
}

interface Books {
  openOrders: { orderId: number; permId: number | undefined; status: string; lmtPrice: number | undefined; orderRef: string | undefined; conId: number | undefined }[];
  executions: { execId: string; orderId: number | undefined; conId: number | undefined; side: string | undefined; shares: number | undefined; price: number | undefined; cumQty: number | undefined; commission: number | undefined }[];
  positions: { conId: number | undefined; qty: number; avgCost: number }[];
  cash: number;
}

async function readBooks(c: TestClient): Promise<Books> {
  const open = collect<[number, Contract, Order, OrderState]>(c.ib, EventName.openOrder);
  c.ib.reqOpenOrders();
  await waitFor(c.ib, EventName.openOrderEnd);
  const execs = collect<[number, Contract, Execution]>(c.ib, EventName.execDetails);
  const reports = collect<[CommissionReport]>(c.ib, EventName.commissionReport);
  c.ib.reqExecutions(500, {} as never);
  await waitFor(c.ib, EventName.execDetailsEnd, (id) => id === 500);
  const pos = collect<[string, Contract, number, number]>(c.ib, EventName.position);
  c.ib.reqPositions();
  await waitFor(c.ib, EventName.positionEnd);
  c.ib.cancelPositions();
  const summary = collect<[number, string, string, string]>(c.ib, EventName.accountSummary);
  c.ib.reqAccountSummary(501, 'All', 'TotalCashValue');
  await waitFor(c.ib, EventName.accountSummaryEnd, (id) => id === 501);
  c.ib.cancelAccountSummary(501);
  return {
    openOrders: open.map(([id, con, o, st]) => ({ orderId: id, permId: o.permId, status: st.status, lmtPrice: o.lmtPrice, orderRef: o.orderRef, conId: con.conId })).sort((a, b) => a.orderId - b.orderId),
    executions: execs
      .filter((e) => e[0] === 500)
      .map(([, con, e]) => ({ execId: e.execId ?? '', orderId: e.orderId, conId: con.conId, side: e.side, shares: e.shares, price: e.price, cumQty: e.cumQty, commission: reports.find((r) => r[0].execId === e.execId)?.[0].commission }))
      .sort((a, b) => a.execId.localeCompare(b.execId)),
    positions: pos.map(([, con, qty, avg]) => ({ conId: con.conId, qty, avgCost: avg })).sort((a, b) => (a.conId ?? 0) - (b.conId ?? 0)),
    cash: Number(summary.find((s) => s[1] === 'TotalCashValue')?.[3]),
  };
}

describe('books survive SIGKILL', () => {
  it('keeps every order, execution and position across a kill -9 and restart', async () => {
    const first = await startChild();
    const c = await connectClient(first.port, 41, { timeoutMs: 10_000 });
    // Build some books: a resting GTC option order, a filled bull put spread, a filled stock order.
    const details = collect<[number, { contract: Contract }]>(c.ib, EventName.contractDetails);
    c.ib.reqContractDetails(1, { symbol: 'SPY', secType: SecType.OPT, exchange: 'SMART', currency: 'USD', right: 'P' as never });
    await waitFor(c.ib, EventName.contractDetailsEnd, (id) => id === 1, 20_000);
    const chain = details.map((d) => d[1].contract).filter((x) => x.lastTradeDateOrContractMonth === details.at(-1)?.[1].contract.lastTradeDateOrContractMonth);
    const mid = Math.floor(chain.length / 2);
    const [k1, k2] = [chain[mid - 3], chain[mid - 8]];
    if (!k1?.conId || !k2?.conId) throw new Error('no strikes');
    let id = c.nextValidId;
    const filled = new Set<number>();
    c.ib.on(EventName.orderStatus, (oid: number, st: string) => st === 'Filled' && filled.add(oid));
    const resting = id++;
    c.ib.placeOrder(resting, { conId: k1.conId, exchange: 'SMART' }, { action: 'BUY' as never, orderType: 'LMT' as never, lmtPrice: 0.01, totalQuantity: 3, transmit: true, tif: 'GTC' as never, orderRef: 'keep-me' });
    const spread = id++;
    c.ib.placeOrder(spread, { symbol: 'SPY', secType: SecType.BAG, exchange: 'SMART', currency: 'USD', comboLegs: [{ conId: k2.conId, ratio: 1, action: 'BUY' as never, exchange: 'SMART' }, { conId: k1.conId, ratio: 1, action: 'SELL' as never, exchange: 'SMART' }] }, { action: 'BUY' as never, orderType: 'MKT' as never, totalQuantity: 2, transmit: true, orderRef: 'bps' });
    const stock = id++;
    c.ib.placeOrder(stock, { symbol: 'SPY', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }, { action: 'BUY' as never, orderType: 'MKT' as never, totalQuantity: 10, transmit: true });
    for (let i = 0; i < 500 && !(filled.has(spread) && filled.has(stock)); i++) await sleep(10);
    expect([...filled].sort()).toEqual([spread, stock].sort());
    const before = await readBooks(c);
    expect(before.openOrders.map((o) => [o.orderId, o.status, o.orderRef])).toEqual([[resting, 'Submitted', 'keep-me']]);
    expect(before.executions.length).toBeGreaterThanOrEqual(4);
    expect(before.positions.length).toBe(3);

    // One more order, and the kill lands the moment it is acknowledged.
    const last = id;
    const acked = waitFor(c.ib, EventName.orderStatus, (oid, st) => oid === last && st === 'Submitted', 10_000);
    c.ib.placeOrder(last, { conId: k2.conId, exchange: 'SMART' }, { action: 'SELL' as never, orderType: 'LMT' as never, lmtPrice: 99, totalQuantity: 1, transmit: true, tif: 'GTC' as never, orderRef: 'last' });
    await acked;
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    expect(first.child.signalCode).toBe('SIGKILL');
    c.close();

    const second = await startChild();
    const c2 = await connectClient(second.port, 41, { timeoutMs: 10_000 });
    expect(c2.nextValidId).toBe(last + 1);
    const after = await readBooks(c2);
    expect(after.openOrders.map((o) => [o.orderId, o.status, o.orderRef])).toEqual([[resting, 'Submitted', 'keep-me'], [last, 'Submitted', 'last']]);
    expect(after.openOrders[0]?.permId).toBe(before.openOrders[0]?.permId);
    expect(after.executions).toEqual(before.executions);
    expect(after.positions).toEqual(before.positions);
    expect(after.cash).toBe(before.cash);
    // New orders continue the id and permId sequences.
    const next = last + 1;
    const open = collect<[number, Contract, Order, OrderState]>(c2.ib, EventName.openOrder);
    c2.ib.placeOrder(next, { conId: k2.conId, exchange: 'SMART' }, { action: 'BUY' as never, orderType: 'LMT' as never, lmtPrice: 0.01, totalQuantity: 1, transmit: true });
    await waitFor(c2.ib, EventName.orderStatus, (oid, st) => oid === next && st === 'Submitted');
    const maxPerm = Math.max(...after.openOrders.map((o) => o.permId ?? 0));
    expect(open.find((o) => o[0] === next)?.[2].permId).toBeGreaterThan(maxPerm);
    c2.close();
    second.child.kill('SIGKILL');
  }, 60_000);
});
