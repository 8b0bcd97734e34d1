// Contract for desktop notifications: one event per thing the trader should hear about (fills, rejects, exits fired, breakers, disconnects).
import { z } from 'zod';

/** Each kind can be muted in Settings → Preferences (ui.notifications, keyed by NOTICE_SETTING in core/notifications). */
export const NoticeKind = z.enum(['fill', 'reject', 'exit', 'breaker', 'disconnect']);
export type NoticeKind = z.infer<typeof NoticeKind>;

export const Notice = z.object({
  kind: NoticeKind,
  /** info: good news or neutral (a fill); warn: needs a look (an exit fired, a disconnect); error: something refused or halted. */
  level: z.enum(['info', 'warn', 'error']),
  title: z.string(),
  body: z.string(),
  at: z.number(),
});
export type Notice = z.infer<typeof Notice>;

export const notificationEvents = {
  /** Raised by main only for kinds the trader has not muted; the renderer shows a toast and a desktop notification. */
  'notification.raised': Notice,
} as const;
