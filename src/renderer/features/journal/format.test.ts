import { describe, expect, it } from 'vitest';
import { holding, money, netPrice, percent, signedMoney, tone } from './format';

describe('journal panel formats', () => {
  it('signs P&L with a real minus and thousands separators', () => {
    expect(signedMoney(1234.5)).toBe('+1,234.50');
    expect(signedMoney(-87)).toBe('\u221287.00');
    expect(signedMoney(0.001)).toBe('0.00');
    expect(signedMoney(null)).toBe('—');
    expect(money(-5.2)).toBe('\u22125.20');
  });
  it('labels credits and debits instead of signing prices', () => {
    expect(netPrice(1.25, 'credit')).toBe('1.25 cr');
    expect(netPrice(0.8, 'debit')).toBe('0.80 db');
    expect(netPrice(null, null)).toBe('—');
  });
  it('formats percentages, holding times and direction', () => {
    expect(percent(0.316)).toBe('31.6%');
    expect(percent(-0.05)).toBe('\u22125.0%');
    expect(holding(45 * 60_000)).toBe('45m');
    expect(holding(26 * 3_600_000 + 5 * 60_000)).toBe('26h 05m');
    expect(holding(3 * 86_400_000 + 4 * 3_600_000)).toBe('3d 4h');
    expect([tone(1), tone(-1), tone(0.001)]).toEqual(['gain', 'loss', '']);
  });
});
