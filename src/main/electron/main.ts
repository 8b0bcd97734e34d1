// Electron entry: one secure window over the same services the headless entry uses.
import { app, BrowserWindow, Menu, net, Notification, protocol, screen, session } from 'electron';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pkg from '../../../package.json';
import { createServices, type Services } from '../services/app';
import { createLogger } from '../services/logging';
import { writeFileAtomic } from '../fs/atomic-write';
import { contentSecurityPolicy } from '../transport/protocol';
import { registerIpcTransport } from '../transport/ipc.electron';
import { denyAllPermissions, hardenWebContents, resolveAppFile } from './hardening';
import { buildMenu } from './menu';
import { startAutoUpdate } from './updates';
import { APP_ORIGIN, isTrustedSenderUrl, mainWindowOptions, sanitizeBounds, type WindowBounds } from './window-options';

// Every renderer sandboxed, whatever its webPreferences say (the main window also sets sandbox: true).
app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

// `--data-dir=DIR` (as in headless): a separate profile folder, e.g. for the smoke test. Set before the single-instance
// lock, which is per data folder.
const dataDirArg = process.argv.find((a) => a.startsWith('--data-dir='));
if (dataDirArg) app.setPath('userData', resolve(dataDirArg.slice('--data-dir='.length)));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void start();
}

async function start(): Promise<void> {
  await app.whenReady();
  const dataDir = app.getPath('userData');
  const logger = await createLogger({ dataDir });
  const rendererDir = join(__dirname, '..', 'renderer');
  const csp = contentSecurityPolicy([]);

  protocol.handle('app', async (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    if (!file || !existsSync(file)) return new Response('Not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('content-security-policy', csp);
    headers.set('x-content-type-options', 'nosniff');
    if (extname(file) === '.js') headers.set('content-type', 'text/javascript');
    return new Response(res.body, { status: res.status, headers });
  });

  // Deny every permission (notifications are shown by main) and all navigation, redirects, webviews and new windows.
  denyAllPermissions(session.defaultSession);
  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents));

  const services: Services = await createServices({ mode: 'electron', dataDir, version: pkg.version, logger, autoConnect: !process.argv.includes('--no-connect') });
  const stateFile = join(dataDir, 'window-state.json');
  const saved = readBounds(stateFile);
  const bounds = sanitizeBounds(saved, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow(mainWindowOptions(join(__dirname, 'preload.cjs'), bounds, { devTools: !app.isPackaged }));
  if (bounds.maximized) win.maximize();

  const unregister = registerIpcTransport({
    dispatcher: services.dispatcher,
    bus: services.bus,
    logger,
    isTrustedSenderUrl,
    targets: () => BrowserWindow.getAllWindows().map((w) => w.webContents),
  });

  // Notices the trader has not muted, as native notifications (the window's own Notification API is denied above).
  const offNotices = services.notifications.onNotice((n) => {
    if (Notification.isSupported()) new Notification({ title: `SpreadDesk: ${n.title}`, body: n.body, silent: n.level === 'info' }).show();
  });
  Menu.setApplicationMenu(buildMenu({ dataDir, isMac: process.platform === 'darwin', devTools: !app.isPackaged }));
  win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    const b = win.getNormalBounds();
    writeFileAtomic(stateFile, JSON.stringify({ ...b, maximized: win.isMaximized() } satisfies WindowBounds));
  });
  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => {
    unregister();
    offNotices();
    void services.close().finally(() => app.quit());
  });
  await win.loadURL(`${APP_ORIGIN}/index.html`);
  void startAutoUpdate({ enabled: services.settings.get().ui.autoUpdate, packaged: app.isPackaged, logger });
}

function readBounds(file: string): WindowBounds | null {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowBounds>;
    return typeof v.width === 'number' && typeof v.height === 'number' ? (v as WindowBounds) : null;
  } catch {
    return null;
  }
}
