// Presets live in settings: saved by name, replaced on the same name, deleted; other ui patches leave them alone.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanPreset } from '../../../core/contract';
import { silentLogger } from '../logging';
import { createSettingsStore } from '../settings/settings-store';
import { newBroker } from '../../../../tests/support/broker';
import { createScannerService } from './service';

const preset = (name: string, symbols = ['SPY']): ScanPreset => ({
  name,
  symbols,
  filters: { kinds: ['bull-put', 'bear-call'], dte: { min: 0, max: 45 }, shortDelta: { min: 0.15, max: 0.3 } },
  scoring: { by: 'ror', basis: 'mid' },
  topPerSymbol: 50,
  top: 100,
});

describe('scanner presets', () => {
  it('save, replace, delete — and a ui patch for something else keeps them (and keeps panel sizes)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scan-presets-'));
    const settings = createSettingsStore(dir, silentLogger(), () => undefined);
    const svc = createScannerService({ broker: newBroker({ dataDir: dir }), bus: { emit: () => undefined }, settings });
    expect(svc.presets()).toEqual([]);
    svc.savePreset(preset('Weekly'));
    svc.savePreset(preset('Anchor', ['IWM']));
    expect(svc.savePreset(preset('Weekly', ['QQQ'])).map((p) => [p.name, p.symbols[0]])).toEqual([['Anchor', 'IWM'], ['Weekly', 'QQQ']]);
    settings.update({ ui: { panelSizes: { 'main-vertical': [60, 40] } } });
    settings.update({ ui: { scannerForm: { symbols: ['SPY'], filters: preset('x').filters, scoring: preset('x').scoring, topPerSymbol: 10, top: 10 } } });
    expect(settings.get().ui.panelSizes).toEqual({ 'main-vertical': [60, 40] });
    expect(svc.presets().map((p) => p.name)).toEqual(['Anchor', 'Weekly']);
    // Survives a restart (written to disk).
    const again = createSettingsStore(dir, silentLogger(), () => undefined);
    expect(again.get().ui.scannerPresets.map((p) => p.name)).toEqual(['Anchor', 'Weekly']);
    expect(svc.deletePreset('Anchor').map((p) => p.name)).toEqual(['Weekly']);
    expect(() => svc.deletePreset('Nope')).toThrow('No preset named "Nope".');
  });
});
