// The main window's options as a pure function, so a unit test can check every security field.
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';

export const APP_ORIGIN = 'app://spreaddesk';
export const MIN_WIDTH = 1100;
export const MIN_HEIGHT = 680;

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized?: boolean;
}

export const DEFAULT_BOUNDS: WindowBounds = { width: 1440, height: 900 };

/** Clamps saved bounds to a sane size and to a visible display, so a removed monitor never hides the window. */
export function sanitizeBounds(saved: WindowBounds | null, displays: Rectangle[]): WindowBounds {
  if (!saved) return DEFAULT_BOUNDS;
  const width = Math.max(MIN_WIDTH, Math.min(saved.width, 10_000));
  const height = Math.max(MIN_HEIGHT, Math.min(saved.height, 10_000));
  if (saved.x === undefined || saved.y === undefined) return { width, height, maximized: saved.maximized ?? false };
  const { x, y } = saved;
  const visible = displays.some((d) => x + 100 > d.x && x < d.x + d.width - 100 && y >= d.y - 10 && y < d.y + d.height - 50);
  return visible ? { x, y, width, height, maximized: saved.maximized ?? false } : { width, height, maximized: saved.maximized ?? false };
}

/** `devTools` only for an unpackaged (development) run: a packaged app gives no console into the broker session. */
export function mainWindowOptions(preloadPath: string, bounds: WindowBounds, options: { devTools?: boolean } = {}): BrowserWindowConstructorOptions {
  return {
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    width: bounds.width,
    height: bounds.height,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    title: 'SpreadDesk',
    backgroundColor: '#0b0e14',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: options.devTools ?? false,
      safeDialogs: true,
    },
  };
}

/** True when an IPC message comes from our own renderer origin (never a navigated-away or injected frame). */
export function isTrustedSenderUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}
