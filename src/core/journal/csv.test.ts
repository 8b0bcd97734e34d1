import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, parseCsv, toCsv } from './csv';

describe('CSV', () => {
  it('quotes commas, quotes, line breaks and edge spaces', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(-12.5)).toBe('-12.5');
  });

  it('keeps a typed note from running as a spreadsheet formula', () => {
    expect(csvCell('=HYPERLINK("x")', true)).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-5 was a loss', true)).toBe("'-5 was a loss");
    expect(csvCell('-5', false)).toBe('-5');
  });

  it('round-trips any text', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), fc.string({ unit: 'grapheme' }))), (rows) => {
        const text = toCsv(rows, [
          { header: 'a', value: (r) => r[0] },
          { header: 'b', value: (r) => r[1] },
        ]);
        expect(parseCsv(text)).toEqual([['a', 'b'], ...rows.map((r) => [r[0], r[1]])]);
      }),
    );
  });
});
