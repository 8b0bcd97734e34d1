// Electron hardening as plain functions (types only from 'electron'), so unit tests check them without an Electron binary.
// Follows Electron's security checklist: no navigation, no new windows, no webviews, no permissions, app:// only.
import type { Event, HandlerDetails, WebContents } from 'electron';
import { join, normalize, sep } from 'node:path';
import { APP_ORIGIN } from './window-options';

/** The parts of a WebContents the hardening touches (a test passes an EventEmitter with this shape). */
export type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * Every web contents the app creates: it may not navigate or redirect anywhere (the app is one page loaded once from
 * app://), may not attach a <webview>, and may not open windows. A link a trader clicks does nothing rather than turning
 * the trading window into a browser.
 */
export function hardenWebContents(contents: HardenableContents): void {
  const deny = (event: Event) => event.preventDefault();
  contents.on('will-navigate', deny);
  contents.on('will-frame-navigate', deny);
  contents.on('will-redirect', deny);
  contents.on('will-attach-webview', deny);
  contents.setWindowOpenHandler((_details: HandlerDetails) => ({ action: 'deny' }));
}

/** The parts of a Session the hardening touches. */
export type HardenableSession = {
  setPermissionRequestHandler(handler: (wc: WebContents, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (wc: WebContents | null, permission: string) => boolean): void;
};

/** No web permission is ever granted (camera, geolocation, notifications: main shows notifications itself). */
export function denyAllPermissions(session: HardenableSession): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * The file an app:// request may read: only under the built renderer folder, only on our host. Anything else
 * (another host, `..`, an encoded `%2e%2e%2f`, an absolute path, a NUL byte) is null and answered 404.
 */
export function resolveAppFile(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (`${url.protocol}//${url.host}` !== APP_ORIGIN) return null;
  let rel: string;
  try {
    rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
  } catch {
    return null;
  }
  if (rel.includes('\0')) return null;
  const root = normalize(rendererDir);
  const file = normalize(join(root, rel));
  return file.startsWith(root + sep) ? file : null;
}

/** The IPC caller: a frame with its URL and whether it is the top frame (Electron's WebFrameMain, narrowed). */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}

/** Only our own top-level page may call main: not an iframe, not a page that navigated elsewhere, not a missing frame. */
export function isTrustedSenderFrame(frame: SenderFrame | null | undefined, isTrustedSenderUrl: (url: string) => boolean): boolean {
  return !!frame && frame.parent === null && isTrustedSenderUrl(frame.url);
}
