// CLI arguments: the documented example parses to the request it describes; mistakes name the flag.
import { describe, expect, it } from 'vitest';
import { parseScanArgs } from './args';

const ok = (argv: string[]) => {
  const r = parseScanArgs(argv);
  if (!r.ok) throw new Error(r.message);
  return r.options;
};
const fail = (argv: string[]) => {
  const r = parseScanArgs(argv);
  if (r.ok) throw new Error('expected a parse error');
  return r.message;
};

describe('scan CLI arguments', () => {
  it('parses the documented example', () => {
    const o = ok('--host 127.0.0.1 --port 7497 --symbols SPY,QQQ --dte 0-45 --kind credit --delta 0.15-0.30 --width 1-10 --top 50 --json --dump-chain out.json'.split(' '));
    expect(o).toMatchObject({ host: '127.0.0.1', port: 7497, json: true, dumpChain: 'out.json' });
    expect(o.request).toEqual({
      symbols: ['SPY', 'QQQ'],
      filters: { kinds: ['bull-put', 'bear-call'], dte: { min: 0, max: 45 }, shortDelta: { min: 0.15, max: 0.3 }, width: { min: 1, max: 10 } },
      scoring: { by: 'ror', basis: 'mid' },
      top: 50,
      topPerSymbol: 50,
      minPerSymbol: 3,
      mode: 'guided',
      whatIfTop: 10,
    });
    expect(ok(['--symbols', 'SPY', '--min-per-symbol', '0']).request.minPerSymbol).toBe(0);
    expect(ok(['--symbols', 'SPY', '--what-if-top', '0']).request.whatIfTop).toBe(0);
  });

  it('--mode guided (default) or exhaustive, and names anything else', () => {
    expect(ok(['--symbols', 'SPY', '--mode', 'exhaustive']).request.mode).toBe('exhaustive');
    expect(ok(['--symbols', 'SPY']).request.mode).toBe('guided');
    const bad = parseScanArgs(['--symbols', 'SPY', '--mode', 'fast']);
    expect(bad).toMatchObject({ ok: false, message: '--mode must be guided or exhaustive, got "fast".' });
  });

  it('defaults: port 7497, credit kinds, DTE 0–45, ROR at mid, top 50', () => {
    const o = ok(['--symbols', 'spy']);
    expect(o.port).toBe(7497);
    expect(o.json).toBe(false);
    expect(o.request.symbols).toEqual(['SPY']);
    expect(o.request.filters).toEqual({ kinds: ['bull-put', 'bear-call'], dte: { min: 0, max: 45 } });
    expect(o.request.scoring).toEqual({ by: 'ror', basis: 'mid' });
  });

  it('percent flags become fractions; open-ended ranges; kinds lists; score names', () => {
    const o = ok(['--symbols=IWM', '--kind', 'bull-call,bear-put', '--width', '2-', '--width-pct', '-2', '--min-pop', '65', '--min-ror', '20', '--max-leg-spread-pct', '10', '--max-exit-cost', '25', '--min-credit-width', '30', '--score', 'ev', '--basis', 'natural', '--drift', '5', '--min-oi', '100', '--max-age', '30']);
    expect(o.request.filters).toEqual({
      kinds: ['bull-call', 'bear-put'], dte: { min: 0, max: 45 }, width: { min: 2 }, widthOfSpot: { max: 0.02 },
      minPop: 0.65, minRor: 0.2, maxLegSpreadOfMid: 0.1, maxExitCostOfMaxLoss: 0.25, minCreditToWidth: 0.3, minOi: 100, maxQuoteAgeSec: 30,
    });
    expect(o.request.scoring).toEqual({ by: 'evPerRisk', basis: 'natural' });
    expect(ok(['--symbols', 'X', '--score', 'pop', '--probability', 'smile']).request.scoring).toEqual({ by: 'pop', basis: 'mid', probabilityModel: 'smile' });
    expect(o.request.drift).toBeCloseTo(0.05, 12);
    expect(ok(['--symbols', 'X', '--kind', 'all']).request.filters.kinds).toHaveLength(4);
    expect(ok(['--symbols', 'X', '--dte', '7']).request.filters.dte).toEqual({ min: 7, max: 7 });
  });

  it('names the flag that is wrong', () => {
    expect(fail([])).toContain('--symbols is required');
    expect(fail(['--symbols', 'SPY', '--port', 'abc'])).toContain('--port must be a number');
    expect(fail(['--symbols', 'SPY', '--port', '70000'])).toContain('--port must be 1–65535');
    expect(fail(['--symbols', 'SPY', '--dte', '45-0'])).toContain('--dte');
    expect(fail(['--symbols', 'SPY', '--kind', 'iron-condor'])).toContain('unknown kind "iron-condor"');
    expect(fail(['--symbols', 'SPY', '--score', 'fun'])).toContain('--score must be');
    expect(fail(['--symbols', 'SPY', '--bogus', '1'])).toContain('Unknown option --bogus');
    expect(fail(['--symbols', 'SPY', '--delta', '0.1-2'])).toMatch(/^--delta \(max\): /);
    expect(fail(['--symbols', 'SPY', '--what-if-top', '51'])).toBe('--what-if-top: what-if rows must be at most 50.');
    expect(fail(['--symbols', 'SPY', '--top', '0'])).toContain('--top: too small');
    expect(fail(['--symbols', 'SPY', '--top'])).toContain('--top needs a value');
    expect(parseScanArgs(['--help'])).toMatchObject({ ok: false, help: true });
  });
});
