// Electron transport: the contract over ipcMain.handle, with the sender frame checked against our origin.
import { ipcMain, type WebContents } from 'electron';
import { isTrustedSenderFrame } from '../electron/hardening';
import type { EventBus } from '../services/events';
import type { Logger } from '../services/logging';
import type { Dispatcher } from './dispatch';

export const INVOKE_CHANNEL = 'spreaddesk:invoke';
export const EVENT_CHANNEL = 'spreaddesk:event';

export interface IpcTransportOptions {
  dispatcher: Dispatcher;
  bus: EventBus;
  logger: Logger;
  isTrustedSenderUrl: (url: string | undefined) => boolean;
  /** The web contents that receive events (the app's own windows). */
  targets: () => WebContents[];
}

export function registerIpcTransport(options: IpcTransportOptions): () => void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, method: unknown, args: unknown) => {
    // Only our own top-level page may call main; a navigated or embedded frame is refused.
    const frame = event.senderFrame;
    if (!isTrustedSenderFrame(frame, options.isTrustedSenderUrl)) {
      options.logger.warn({ url: frame?.url }, 'ipc call from an untrusted frame refused');
      return { ok: false, error: { code: 'VALIDATION', message: 'Caller not allowed' } };
    }
    return options.dispatcher.dispatch(method, args, { transport: 'electron' });
  });
  const unsubscribe = options.bus.subscribe((name, payload) => {
    for (const wc of options.targets()) if (!wc.isDestroyed()) wc.send(EVENT_CHANNEL, name, payload);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(INVOKE_CHANNEL);
  };
}
