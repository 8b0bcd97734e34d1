import { describe, expect, it } from 'vitest';
import { DEFAULT_BOUNDS, isTrustedSenderUrl, mainWindowOptions, sanitizeBounds } from './window-options';

describe('mainWindowOptions', () => {
  const opts = mainWindowOptions('/app/preload.cjs', DEFAULT_BOUNDS);
  const web = opts.webPreferences ?? {};

  it('isolates and sandboxes the renderer', () => {
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and dangerous features off', () => {
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.experimentalFeatures).toBe(false);
    expect(web.webviewTag).toBe(false);
    expect(web.navigateOnDragDrop).toBe(false);
  });

  it('uses the given preload and bounds', () => {
    expect(web.preload).toBe('/app/preload.cjs');
    expect(opts.width).toBe(1440);
    expect(opts.height).toBe(900);
    expect(opts.show).toBe(false);
    expect(opts.x).toBeUndefined();
  });

  it('declares exactly the webPreferences it checks (a new field needs a decision here)', () => {
    expect(Object.keys(web).sort()).toEqual(
      [
        'allowRunningInsecureContent', 'contextIsolation', 'devTools', 'experimentalFeatures', 'navigateOnDragDrop', 'nodeIntegration',
        'nodeIntegrationInSubFrames', 'nodeIntegrationInWorker', 'preload', 'safeDialogs', 'sandbox', 'spellcheck', 'webSecurity', 'webviewTag',
      ].sort(),
    );
  });
});

describe('sanitizeBounds', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
  it('keeps visible bounds and clamps tiny ones', () => {
    expect(sanitizeBounds({ x: 10, y: 10, width: 200, height: 100 }, screen)).toEqual({ x: 10, y: 10, width: 1100, height: 680, maximized: false });
  });
  it('drops a position on a display that is gone', () => {
    expect(sanitizeBounds({ x: 5000, y: 10, width: 1400, height: 900 }, screen)).toEqual({ width: 1400, height: 900, maximized: false });
  });
  it('uses defaults when nothing was saved', () => {
    expect(sanitizeBounds(null, screen)).toEqual(DEFAULT_BOUNDS);
  });
});

describe('isTrustedSenderUrl', () => {
  it('accepts only the app origin', () => {
    expect(isTrustedSenderUrl('app://spreaddesk/index.html')).toBe(true);
    expect(isTrustedSenderUrl('https://spreaddesk/index.html')).toBe(false);
    expect(isTrustedSenderUrl('app://evil/index.html')).toBe(false);
    expect(isTrustedSenderUrl('file:///etc/passwd')).toBe(false);
    expect(isTrustedSenderUrl('')).toBe(false);
    expect(isTrustedSenderUrl('not a url')).toBe(false);
  });
});

describe('DevTools', () => {
  it('are off unless asked for (the packaged app never asks)', () => {
    expect(mainWindowOptions('/p.cjs', DEFAULT_BOUNDS).webPreferences?.devTools).toBe(false);
    expect(mainWindowOptions('/p.cjs', DEFAULT_BOUNDS, { devTools: false }).webPreferences?.devTools).toBe(false);
    expect(mainWindowOptions('/p.cjs', DEFAULT_BOUNDS, { devTools: true }).webPreferences?.devTools).toBe(true);
  });
});
