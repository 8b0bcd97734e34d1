// The wire frames of the contract over a message transport (WebSocket); Electron IPC uses the same shapes.
import { z } from 'zod';

export const CallFrame = z.object({
  type: z.literal('call'),
  id: z.union([z.number().int(), z.string().max(64)]),
  method: z.string().max(100),
  args: z.unknown().optional(),
});
export type CallFrame = z.infer<typeof CallFrame>;

export type ServerFrame =
  | { type: 'result'; id: number | string | null; result: unknown }
  | { type: 'event'; name: string; payload: unknown };

/** Content-Security-Policy shared by both modes: no remote content, no inline scripts, no eval. */
export function contentSecurityPolicy(connectSrc: string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    // ag-grid and lightweight-charts set inline style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${["'self'", ...connectSrc].join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
