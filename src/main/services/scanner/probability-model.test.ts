// The probability-model setting: optional (old presets and forms stay valid), and a wrong value is a sentence.
import { describe, expect, it } from 'vitest';
import { issuesSentence } from '../../transport/issues';
import { ScanPreset, ScanRequest } from '../../../core/contract';

const request = { symbols: ['SPY'], filters: { kinds: ['bull-put'], dte: { min: 0, max: 30 } } };

describe('scoring.probabilityModel', () => {
  it('is optional and takes lognormal or smile', () => {
    expect(ScanRequest.safeParse({ ...request, scoring: { by: 'pop', basis: 'mid' } }).success).toBe(true);
    for (const probabilityModel of ['lognormal', 'smile']) {
      const parsed = ScanRequest.parse({ ...request, scoring: { by: 'pop', basis: 'mid', probabilityModel } });
      expect(parsed.scoring.probabilityModel).toBe(probabilityModel);
    }
    const preset = { name: 'p', symbols: ['SPY'], filters: request.filters, scoring: { by: 'evPerRisk', basis: 'natural', probabilityModel: 'smile' }, topPerSymbol: 10, top: 10 };
    expect(ScanPreset.parse(preset).scoring.probabilityModel).toBe('smile');
  });

  it('rejects any other value with a sentence naming the choices', () => {
    const args = { ...request, scoring: { by: 'pop', basis: 'mid', probabilityModel: 'normal' } };
    const parsed = ScanRequest.safeParse(args);
    expect(parsed.success).toBe(false);
    expect(issuesSentence(parsed.error!.issues, args)).toBe('Probability model must be lognormal or smile.');
  });
});
