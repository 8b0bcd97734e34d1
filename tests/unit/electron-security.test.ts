// Electron security checklist at config level (Electron cannot run here): what main wires, what the sources never do, the CSP.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../src/main/transport/protocol';

const root = join(import.meta.dirname, '..', '..');
const read = (f: string) => readFileSync(join(root, f), 'utf8');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const rel = join(dir, name);
    if (statSync(join(root, rel)).isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|tsx|html)$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(rel);
  }
  return out;
}
const app = [...sourceFiles('src/main'), ...sourceFiles('src/preload'), ...sourceFiles('src/renderer')];

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

describe('the Electron main process wires the hardening', () => {
  const main = read('src/main/electron/main.ts');
  it('sandboxes every renderer and hardens every web contents it creates', () => {
    expect(main).toMatch(/^app\.enableSandbox\(\);$/m);
    expect(main).toMatch(/app\.on\('web-contents-created', \(_e, contents\) => hardenWebContents\(contents\)\)/);
    expect(main).toContain('denyAllPermissions(session.defaultSession)');
  });
  it('serves the renderer from app:// through the path check, with the CSP header, and loads nothing else', () => {
    expect(main).toContain('resolveAppFile(rendererDir, request.url)');
    expect(main).toContain("headers.set('content-security-policy', csp)");
    expect([...main.matchAll(/\.loadURL\(([^)]*)\)/g)].map((m) => m[1])).toEqual(['`${APP_ORIGIN}/index.html`']);
    expect(main).not.toMatch(/loadFile\(|file:\/\//);
  });
  it('DevTools and the menu toggle only when not packaged; the IPC transport checks the sender', () => {
    expect(main).toMatch(/mainWindowOptions\([^;]*\{ devTools: !app\.isPackaged \}\)/);
    expect(main).toMatch(/buildMenu\(\{[^}]*devTools: !app\.isPackaged \}\)/);
    expect(main).toMatch(/registerIpcTransport\(\{[^}]*isTrustedSenderUrl,/s);
    expect(read('src/main/transport/ipc.electron.ts')).toContain('isTrustedSenderFrame(frame, options.isTrustedSenderUrl)');
  });
  it('the preload exposes one allow-listed bridge and nothing of Electron', () => {
    const preload = read('src/preload/index.ts');
    expect([...preload.matchAll(/exposeInMainWorld\(/g)]).toHaveLength(1);
    expect(preload).toContain("exposeInMainWorld('spreaddesk', createBridge(ipcRenderer))");
  });
});

describe('no source turns a protection off or reaches remote content', () => {
  it('never weakens webPreferences, opens external URLs, or evaluates strings', () => {
    const banned = /nodeIntegration:\s*true|contextIsolation:\s*false|sandbox:\s*false|webSecurity:\s*false|allowRunningInsecureContent:\s*true|enableBlinkFeatures|webviewTag:\s*true|openExternal\(|dangerouslySetInnerHTML|\.innerHTML\s*=|\beval\(|new Function\(/;
    const hits = app.filter((f) => banned.test(read(f))).map((f) => relative(root, join(root, f)));
    expect(hits).toEqual([]);
  });
  it('the renderer names no remote URL (nothing is fetched or loaded from the network)', () => {
    const remote = /(?:src|href)\s*=\s*["']https?:|fetch\(\s*["'`]https?:|import\(\s*["'`]https?:/;
    expect(sourceFiles('src/renderer').filter((f) => remote.test(read(f)))).toEqual([]);
  });
  it('the current Electron major (43 and later are supported)', () => {
    const pkg = JSON.parse(read('package.json')) as { devDependencies: Record<string, string> };
    expect(Number(/\d+/.exec(pkg.devDependencies.electron!)?.[0])).toBeGreaterThanOrEqual(43);
  });
});

describe('Content-Security-Policy', () => {
  for (const [mode, csp] of [
    ['electron', contentSecurityPolicy([])],
    ['headless', contentSecurityPolicy(['ws://127.0.0.1:5199', 'ws://localhost:5199'])],
  ] as const) {
    it(`${mode}: nothing by default, scripts only from the app, no eval, no frames, no plugins`, () => {
      const d = directives(csp);
      expect(d.get('default-src')).toEqual(["'none'"]);
      expect(d.get('script-src')).toEqual(["'self'"]);
      expect(d.get('object-src')).toEqual(["'none'"]);
      expect(d.get('base-uri')).toEqual(["'none'"]);
      expect(d.get('form-action')).toEqual(["'none'"]);
      expect(d.get('frame-ancestors')).toEqual(["'none'"]);
      expect(d.has('frame-src') || d.has('child-src') || d.has('worker-src')).toBe(false);
      expect(csp).not.toMatch(/unsafe-eval|wasm-unsafe-eval|strict-dynamic|https?:|\*/);
      for (const src of d.get('connect-src')!) expect(src, src).toMatch(/^'self'$|^ws:\/\/(127\.0\.0\.1|localhost):\d+$/);
    });
  }
});
