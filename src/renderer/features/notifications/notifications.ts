// Notifications in the window: each `notification.raised` from main (already filtered by the mute settings) as a toast, and as
// a desktop notification where the browser allows it (headless mode in a browser that granted permission; in the desktop
// app the window is denied the permission and main shows a native notification instead).
import type { Notice } from '../../../core/contract';
import type { PlatformClient } from '../../platform/client';
import { useAppStore } from '../../stores/app-store';

type NotificationCtor = new (title: string, options?: { body?: string; tag?: string }) => unknown;

function desktop(n: Notice): void {
  const N = (globalThis as { Notification?: NotificationCtor & { permission?: string } }).Notification;
  if (N && N.permission === 'granted') new N(n.title, { body: n.body, tag: `spreaddesk-${n.kind}-${n.at}` });
}

/** Follows `notification.raised`; returns an unsubscribe. A notice older than the binding (the bus replays its last event to a new client) is not news. */
export function bindNotifications(client: PlatformClient, now: () => number = Date.now): () => void {
  const since = now();
  return client.on('notification.raised', (n) => {
    if (n.at < since) return;
    // Breakers and disconnects already toast as errors from main's log (UI.md: errors are toasts); one toast is enough.
    useAppStore.getState().addLog({ level: n.level, message: `${n.title}: ${n.body}`, at: n.at }, n.kind === 'fill' || n.kind === 'reject' || n.kind === 'exit');
    desktop(n);
  });
}
