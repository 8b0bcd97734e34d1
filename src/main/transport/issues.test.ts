import { describe, expect, it } from 'vitest';
import { methods } from '../../core/contract';
import { createDispatcher, type HandlerMap } from './dispatch';
import { fieldName, issueSentence, issuesSentence } from './issues';

describe('validation issues as sentences', () => {
  it('the watchlist typo names the symbol, not the schema path', () => {
    const args = { patch: { ui: { scannerForm: { symbols: ['SPY', 'SP Y'] } } } };
    const s = issueSentence({ path: ['patch', 'ui', 'scannerForm', 'symbols', 1], message: 'Symbols are 1–12 letters, digits or dots' }, args);
    expect(s).toBe('“SP Y” is not a ticker symbol: symbols are 1–12 letters, digits or dots.');
    expect(s).not.toContain('patch.');
  });

  it('other fields by their label, with the value when short', () => {
    expect(issueSentence({ path: ['patch', 'profiles', 0, 'port'], message: 'Port must be between 1 and 65535' }, { patch: { profiles: [{ port: 70000 }] } })).toBe('Port must be between 1 and 65535.');
    expect(issueSentence({ path: ['host'], message: 'Host is required' }, { host: 'bad host' })).toBe('Host is required.');
    expect(issueSentence({ path: ['dte', 'max'], message: 'Too big: expected number to be <=3650' }, { dte: { max: 'x' } })).toBe('Max “x”: too big: expected number to be <=3650.');
    expect(fieldName(['patch', 'ui', 'scannerForm', 'symbols', 1])).toBe('symbols');
    expect(issuesSentence([{ path: [], message: 'Unrecognized key: "x"' }], {})).toBe('Unrecognized key: "x".');
  });

  it('the dispatcher answers a bad watchlist with the sentence and keeps the path in details for the field', async () => {
    const d = createDispatcher({} as HandlerMap);
    const form = { symbols: ['SPY', 'SP$Y'], filters: { kinds: ['bull-put'], dte: { min: 0, max: 45 }, shortDelta: { min: 0.15, max: 0.3 }, width: { min: 1, max: 10 } }, scoring: { by: 'ror', basis: 'mid' }, topPerSymbol: 50, top: 100 };
    expect(methods['settings.update'].args.safeParse({ patch: { ui: { scannerForm: { ...form, symbols: ['SPY'] } } } }).success).toBe(true);
    const res = await d.dispatch('settings.update', { patch: { ui: { scannerForm: form } } }, { transport: 'direct' });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe('VALIDATION');
    expect(res.error.message).toBe('“SP$Y” is not a ticker symbol: symbols are 1–12 letters, digits or dots.');
    expect(res.error.details).toEqual([{ path: ['patch', 'ui', 'scannerForm', 'symbols', '1'], message: 'Symbols are 1–12 letters, digits or dots', sentence: res.error.message }]);
  });
});
