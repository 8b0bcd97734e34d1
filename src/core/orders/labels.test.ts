import { describe, expect, it } from 'vitest';
import { ExecutionRow, OrderRow } from '../contract/orders';
import { EXECUTION_SIDE_LABELS, labelOf, ORDER_INTENT_LABELS, ORDER_STATUS_LABELS } from './labels';

describe('order labels', () => {
  it('names every intent, status and side the contract can carry, in words (no raw code, no hyphen)', () => {
    const cases: Array<[readonly string[], Readonly<Record<string, string>>]> = [
      [OrderRow.shape.intent.options, ORDER_INTENT_LABELS],
      [OrderRow.shape.status.options, ORDER_STATUS_LABELS],
      [ExecutionRow.shape.side.options, EXECUTION_SIDE_LABELS],
    ];
    for (const [codes, map] of cases) {
      for (const code of codes) {
        const label = labelOf(map, code);
        expect(label, code).toMatch(/^[A-Z][a-z]+( [a-zA-Z]+)*$/);
        expect(label.includes('-'), code).toBe(false);
      }
    }
    expect(ORDER_INTENT_LABELS['exit-target']).toBe('Profit target');
    expect(ORDER_INTENT_LABELS['exit-stop']).toBe('Stop');
  });

  it('passes an unknown code through unchanged rather than hiding it', () => {
    expect(labelOf(ORDER_STATUS_LABELS, 'SomethingNew')).toBe('SomethingNew');
  });
});
