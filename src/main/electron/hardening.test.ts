// Electron hardening without an Electron binary: navigation, windows, webviews, permissions, app:// paths, IPC senders.
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { denyAllPermissions, hardenWebContents, isTrustedSenderFrame, resolveAppFile, type HardenableContents, type HardenableSession } from './hardening';
import { isTrustedSenderUrl } from './window-options';

function fakeContents() {
  const emitter = new EventEmitter();
  let openHandler: ((details: unknown) => { action: string }) | null = null;
  const contents = {
    on: (name: string, fn: (...a: unknown[]) => void) => emitter.on(name, fn),
    setWindowOpenHandler: (fn: (details: unknown) => { action: string }) => {
      openHandler = fn;
    },
  };
  return { contents: contents as unknown as HardenableContents, emitter, open: (url: string) => openHandler?.({ url }) };
}

function fire(emitter: EventEmitter, name: string): boolean {
  let prevented = false;
  emitter.emit(name, { preventDefault: () => (prevented = true) }, 'https://example.com/');
  return prevented;
}

describe('hardenWebContents', () => {
  it('prevents navigation, frame navigation, redirects and webviews', () => {
    const { contents, emitter } = fakeContents();
    hardenWebContents(contents);
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      expect(emitter.listenerCount(name), name).toBe(1);
      expect(fire(emitter, name), name).toBe(true);
    }
  });

  it('denies every new window, whatever the URL', () => {
    const { contents, open } = fakeContents();
    hardenWebContents(contents);
    for (const url of ['https://example.com/', 'app://spreaddesk/index.html', 'file:///etc/passwd', 'javascript:alert(1)']) {
      expect(open(url), url).toEqual({ action: 'deny' });
    }
  });
});

describe('denyAllPermissions', () => {
  it('refuses every permission request and check', () => {
    let request: ((wc: unknown, p: string, cb: (g: boolean) => void) => void) | null = null;
    let check: ((wc: unknown, p: string) => boolean) | null = null;
    const session = {
      setPermissionRequestHandler: (h: typeof request) => (request = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
    };
    denyAllPermissions(session as unknown as HardenableSession);
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const answers: boolean[] = [];
      request!(null, p, (g) => answers.push(g));
      expect(answers, p).toEqual([false]);
      expect(check!(null, p), p).toBe(false);
    }
  });
});

describe('resolveAppFile', () => {
  const dir = join('/opt', 'SpreadDesk', 'renderer');
  it('maps app://spreaddesk paths into the renderer folder', () => {
    expect(resolveAppFile(dir, 'app://spreaddesk/')).toBe(join(dir, 'index.html'));
    expect(resolveAppFile(dir, 'app://spreaddesk/index.html')).toBe(join(dir, 'index.html'));
    expect(resolveAppFile(dir, 'app://spreaddesk/assets/index-abc.js')).toBe(join(dir, 'assets', 'index-abc.js'));
  });
  it('refuses other hosts and schemes', () => {
    expect(resolveAppFile(dir, 'app://evil/index.html')).toBeNull();
    expect(resolveAppFile(dir, 'https://spreaddesk/index.html')).toBeNull();
    expect(resolveAppFile(dir, 'not a url')).toBeNull();
  });
  it('never leaves the renderer folder (dot-dot, encoded, NUL, bad escapes)', () => {
    for (const u of [
      'app://spreaddesk/%2e%2e/main/electron-main.cjs',
      'app://spreaddesk/..%2f..%2fpackage.json',
      'app://spreaddesk/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc/passwd',
      'app://spreaddesk/%2fetc%2fpasswd',
      'app://spreaddesk/index.html%00.js',
      'app://spreaddesk/%E0%A4%A',
    ]) {
      const file = resolveAppFile(dir, u);
      expect(file === null || file.startsWith(dir + '/'), `${u} → ${file}`).toBe(true);
    }
    // The URL parser already folds a dotted %2e%2e segment; an encoded slash survives it and is caught here.
    expect(resolveAppFile(dir, 'app://spreaddesk/%2e%2e/main/electron-main.cjs')).toBe(join(dir, 'main', 'electron-main.cjs'));
    expect(resolveAppFile(dir, 'app://spreaddesk/..%2f..%2fpackage.json')).toBeNull();
    expect(resolveAppFile(dir, 'app://spreaddesk/index.html%00.js')).toBeNull();
    expect(resolveAppFile(dir, 'app://spreaddesk/%E0%A4%A')).toBeNull();
  });
});

describe('isTrustedSenderFrame', () => {
  it('accepts only our own top-level page', () => {
    expect(isTrustedSenderFrame({ url: 'app://spreaddesk/index.html', parent: null }, isTrustedSenderUrl)).toBe(true);
    expect(isTrustedSenderFrame({ url: 'app://spreaddesk/index.html', parent: {} }, isTrustedSenderUrl)).toBe(false);
    expect(isTrustedSenderFrame({ url: 'https://example.com/', parent: null }, isTrustedSenderUrl)).toBe(false);
    expect(isTrustedSenderFrame(null, isTrustedSenderUrl)).toBe(false);
    expect(isTrustedSenderFrame(undefined, isTrustedSenderUrl)).toBe(false);
  });
});
