// Acceptance 2: no code path other than the execution service reaches the broker's place/modify/cancel.
// The broker adapter defines them (and sends the TWS message); the paper exchange is the other side of the wire.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..', '..', '..');
const ALLOWED = ['src/main/services/execution/', 'src/main/services/broker/', 'src/main/paper/'];
const CALL = /\.(placeOrder|modifyOrder|cancelOrder|cancelAllOrders|reqGlobalCancel)\s*\(|\[\s*['"](placeOrder|modifyOrder|cancelOrder|cancelAllOrders)['"]\s*\]/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

describe('execution boundary', () => {
  it('only src/main/services/execution calls the broker’s placeOrder/modifyOrder/cancelOrder', () => {
    const offenders = files(join(ROOT, 'src'))
      .map((f) => relative(ROOT, f).split(sep).join('/'))
      .filter((f) => !ALLOWED.some((a) => f.startsWith(a)))
      .filter((f) => CALL.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the check catches a call (the pattern is live)', () => {
    expect(CALL.test('await deps.broker.placeOrder({})')).toBe(true);
    expect(CALL.test("broker['cancelOrder'](1)")).toBe(true);
    expect(CALL.test('const placeOrderLabel = 1')).toBe(false);
  });
});
