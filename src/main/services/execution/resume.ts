// Taking an order over after a restart: the journaled ticket behind a working order (its terms, legs and walk start).
//
// The journal keeps each ticket's parsed form, leg conIds and walk start in the intent's preview JSON (written by the
// execution service before the order left), and one order_submissions row per price sent. This reads them back,
// read-only, by the order's orderRef (= the journal ticket id). It reads the journal's tables directly because the
// journal has no "ticket by id" read yet; move it there when one lands.
import { Ticket, type TicketParsed } from '../../../core/contract';
import type { Journal } from '../journal';

export interface JournaledTicket {
  journalTicketId: string;
  clientTicketId: string | null;
  ticket: TicketParsed;
  legConIds: [number, number];
  /** When the walk started (its step index continues from here); null for older tickets. */
  walkStartedAt: number | null;
  /** Prices sent so far (the first placement and every walk step or modify). */
  submissions: number;
  sentence: string;
  createdAt: number;
}

interface TicketRow {
  preview: string;
  created_at: number;
}

/** The ticket behind `journalTicketId`, or null when the journal does not know it (or it predates resumable tickets). */
export function journaledTicket(journal: Pick<Journal, 'db'>, journalTicketId: string): JournaledTicket | null {
  const row = journal.db.prepare('SELECT preview, created_at FROM tickets WHERE id = ?').get(journalTicketId) as TicketRow | undefined;
  if (!row) return null;
  let preview: unknown;
  try {
    preview = JSON.parse(row.preview);
  } catch {
    return null;
  }
  if (!preview || typeof preview !== 'object') return null;
  const p = preview as { ticket?: unknown; legConIds?: unknown; walkStartedAt?: unknown; clientTicketId?: unknown; sentence?: unknown };
  const parsed = Ticket.safeParse(p.ticket);
  const legs = p.legConIds;
  if (!parsed.success || !Array.isArray(legs) || legs.length !== 2 || !legs.every((x) => Number.isInteger(x) && x > 0)) return null;
  const submissions = journal.db.prepare('SELECT count(*) FROM order_submissions WHERE ticket_id = ?').pluck().get(journalTicketId) as number;
  return {
    journalTicketId,
    clientTicketId: typeof p.clientTicketId === 'string' ? p.clientTicketId : null,
    ticket: parsed.data,
    legConIds: [legs[0] as number, legs[1] as number],
    walkStartedAt: typeof p.walkStartedAt === 'number' ? p.walkStartedAt : null,
    submissions,
    sentence: typeof p.sentence === 'string' ? p.sentence : '',
    createdAt: row.created_at,
  };
}

/** An open spread whose opening ticket attached exits, as a restarted app re-arms them. */
export interface JournaledExits {
  spreadId: number;
  entry: JournaledTicket;
  entryOrderId: number | null;
  /** Spread units open and the entry cash per share ($, + credit / − debit). */
  openQuantity: number;
  entryCashPerShare: number;
  /** Order ids (this client) of the closing tickets already sent for this spread's exits. */
  exitOrders: { orderId: number; kind: 'exit-target' | 'exit-stop' }[];
}

/** Open spreads with attached exits (from their opening tickets), for re-arming after a restart. */
export function journaledExits(journal: Pick<Journal, 'db' | 'trades'>, clientId: number): JournaledExits[] {
  const open = journal.trades().filter((t) => t.status === 'open' && t.openQuantity > 0 && t.quantity > 0);
  const out: JournaledExits[] = [];
  const orderOf = journal.db.prepare('SELECT order_id FROM orders WHERE ticket_id = ? AND client_id = ? ORDER BY id DESC LIMIT 1').pluck();
  for (const t of open) {
    const rows = journal.db.prepare('SELECT id, purpose FROM tickets WHERE spread_id = ? ORDER BY created_at, id').all(t.id) as { id: string; purpose: string }[];
    const opening = rows.find((r) => r.purpose === 'open');
    const entry = opening ? journaledTicket(journal, opening.id) : null;
    if (!entry?.ticket.exits || (entry.ticket.exits.profitTargetPct === undefined && entry.ticket.exits.stop === undefined)) continue;
    const exitOrders: JournaledExits['exitOrders'] = [];
    for (const r of rows.filter((x) => x.purpose === 'close')) {
      const c = journaledTicket(journal, r.id);
      const kind = c?.clientTicketId?.startsWith(`${entry.clientTicketId}:exit-target`) ? 'exit-target' : c?.clientTicketId?.startsWith(`${entry.clientTicketId}:exit-stop`) ? 'exit-stop' : null;
      const orderId = orderOf.get(r.id, clientId) as number | undefined;
      if (kind && orderId !== undefined) exitOrders.push({ orderId, kind });
    }
    out.push({
      spreadId: t.id, entry, entryOrderId: (orderOf.get(entry.journalTicketId, clientId) as number | undefined) ?? null, openQuantity: t.openQuantity,
      entryCashPerShare: t.entryCashU / 1_000_000 / (t.multiplier * t.quantity), exitOrders,
    });
  }
  return out;
}
