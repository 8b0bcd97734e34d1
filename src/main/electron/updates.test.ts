import { describe, expect, it } from 'vitest';
import { silentLogger } from '../services/logging';
import { startAutoUpdate, type Updater } from './updates';

describe('startAutoUpdate', () => {
  const counting = () => {
    const calls: string[] = [];
    const updater: Updater = { checkForUpdatesAndNotify: () => (calls.push('check'), Promise.resolve(null)) };
    return { calls, load: () => Promise.resolve(updater) };
  };

  it('does nothing while the setting is off (the default)', async () => {
    const u = counting();
    expect(await startAutoUpdate({ enabled: false, packaged: true, logger: silentLogger(), load: u.load })).toBe('off');
    expect(u.calls).toEqual([]);
  });

  it('never checks from a development run', async () => {
    const u = counting();
    expect(await startAutoUpdate({ enabled: true, packaged: false, logger: silentLogger(), load: u.load })).toBe('development');
    expect(u.calls).toEqual([]);
  });

  it('checks once when on and packaged, and says unavailable without the package', async () => {
    const u = counting();
    expect(await startAutoUpdate({ enabled: true, packaged: true, logger: silentLogger(), load: u.load })).toBe('checking');
    expect(u.calls).toEqual(['check']);
    expect(await startAutoUpdate({ enabled: true, packaged: true, logger: silentLogger(), load: () => Promise.resolve(null) })).toBe('unavailable');
  });
});
