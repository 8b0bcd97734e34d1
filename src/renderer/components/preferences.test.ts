import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../core/contract';
import { prefsPatch, toPrefsDraft, validatePrefs } from './Preferences';

describe('Preferences validation', () => {
  const base = toPrefsDraft(defaultSettings(), { pacerRate: 45, lineBudget: 100 });

  it('accepts the defaults and builds the patch', () => {
    expect(validatePrefs(base)).toEqual({});
    expect(prefsPatch(base)).toEqual({ ui: { density: 'compact', colorBlindSafe: false, notifications: base.notifications, backupKeep: 10, autoUpdate: false }, tuning: { pacerRate: 45, lineBudget: 100 } });
  });

  it('explains each limit as a sentence on its field', () => {
    expect(validatePrefs({ ...base, pacerRate: '60' })).toEqual({ pacerRate: 'IBKR allows at most 50 messages per second' });
    expect(validatePrefs({ ...base, pacerRate: 'fast' }).pacerRate).toBe('Pacer rate must be a whole number of messages per second');
    expect(validatePrefs({ ...base, lineBudget: '0' })).toEqual({ lineBudget: 'At least 1 line' });
    expect(validatePrefs({ ...base, backupKeep: '0' })).toEqual({ backupKeep: 'Keep at least 1 backup' });
    expect(validatePrefs({ ...base, backupKeep: '400' })).toEqual({ backupKeep: 'Keep at most 365 backups' });
  });
});
