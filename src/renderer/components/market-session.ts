// The US equity-options session at an instant, as the status bar shows it: pre / regular / after / closed, and why.
import { holidayName, isEarlyClose, isTradingDay, sessionState, specialClosureReason } from '../../core/market/calendar';
import { toNewYork } from '../../core/market/timezone';

export type SessionKind = 'pre' | 'regular' | 'after' | 'closed';

export interface SessionInfo {
  kind: SessionKind;
  /** Short text for the status bar. */
  label: string;
  /** Why, for the tooltip and a closed day: a holiday's name, "early close 13:00 ET", "weekend". */
  detail: string | null;
  /** New York wall clock, HH:MM:SS. */
  clock: string;
}

const LABEL: Record<SessionKind, string> = { pre: 'Pre-market', regular: 'Market open', after: 'After hours', closed: 'Market closed' };
const pad = (n: number) => String(n).padStart(2, '0');

export function marketSession(ms: number): SessionInfo {
  const ny = toNewYork(ms);
  const state = sessionState(ms);
  const kind: SessionKind = state === 'post' ? 'after' : state;
  const holiday = holidayName(ny.date);
  const special = specialClosureReason(ny.date);
  const weekday = new Date(`${ny.date}T12:00:00Z`).getUTCDay();
  const detail = special
    ? special
    : holiday
      ? String(holiday)
      : weekday === 0 || weekday === 6
        ? 'weekend'
        : isTradingDay(ny.date) && isEarlyClose(ny.date)
          ? 'early close 13:00 ET'
          : null;
  return { kind, label: LABEL[kind], detail, clock: `${pad(ny.hour)}:${pad(ny.minute)}:${pad(ny.second)}` };
}
