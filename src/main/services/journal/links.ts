// Which spread, leg and role an execution belongs to: by its ticket, a roll's new legs, or an open spread it closes.
//
// A fill with our ticket id is matched to the spread's legs by conId, else by strike + right +
// expiry (never strike alone). A one-ticket roll's legs that are not the old spread's open a new
// spread. A fill with no ticket (an order placed in TWS, or the journal's synthetic expiry,
// assignment and exercise fills) is linked to the oldest open spread whose leg it reduces.
import type Database from 'better-sqlite3';
import { type Micros, spreadKindOf } from '../../../core/spreads';

export type FillSource = 'ticket' | 'external' | 'expiry' | 'assignment' | 'exercise';
export type LegName = 'long' | 'short' | 'bag' | 'other';

export interface TicketLink {
  id: string;
  spread_id: number;
  purpose: 'open' | 'close';
  action: 'BUY' | 'SELL';
  multiplier: number;
  right: 'C' | 'P';
  expiry: string;
  long_con_id: number | null;
  short_con_id: number | null;
  long_strike_u: number;
  short_strike_u: number;
}

export interface FillTerms {
  conId: number;
  secType: string;
  symbol: string;
  account: string;
  side: 'BOT' | 'SLD';
  strikeU: number | null;
  right: 'C' | 'P' | null;
  expiry: string | null;
}

export interface SpreadLink {
  spreadId: number;
  ticketId: string | null;
  role: 'open' | 'close';
  leg: LegName;
  source: FillSource;
  multiplier: number;
}

interface SpreadTerms {
  id: number;
  multiplier: number;
  right: 'C' | 'P';
  expiry: string;
  long_con_id: number | null;
  short_con_id: number | null;
  long_strike_u: number;
  short_strike_u: number;
}

interface TicketLeg {
  con_id: number | null;
  action: 'BUY' | 'SELL';
  expiry: string;
  strike_u: number;
  right: 'C' | 'P';
}

/** The leg of `s` a contract is, by conId first, then by strike, right and expiry together. */
export function legOf(s: Omit<SpreadTerms, 'id' | 'multiplier'>, f: Pick<FillTerms, 'conId' | 'strikeU' | 'right' | 'expiry'>): 'long' | 'short' | null {
  if (s.long_con_id !== null && f.conId === s.long_con_id) return 'long';
  if (s.short_con_id !== null && f.conId === s.short_con_id) return 'short';
  if (f.right !== s.right || f.expiry !== s.expiry) return null;
  if (f.strikeU === s.long_strike_u) return 'long';
  if (f.strikeU === s.short_strike_u) return 'short';
  return null;
}

export class SpreadLinker {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      rollSpread: p('SELECT id, multiplier, right, expiry, long_con_id, short_con_id, long_strike_u, short_strike_u FROM spread_positions WHERE rolled_from_ticket = ?'),
      ticketLegs: p('SELECT con_id, action, expiry, strike_u, right FROM ticket_legs WHERE ticket_id = ? ORDER BY leg_index'),
      spreadAccount: p('SELECT underlying, account FROM spread_positions WHERE id = ?'),
      insertSpread: p(`INSERT INTO spread_positions (underlying, kind, right, expiry, long_strike_u, short_strike_u, multiplier, long_con_id, short_con_id, account, created_at, rolled_from_ticket)
        VALUES (@underlying, @kind, @right, @expiry, @long_strike_u, @short_strike_u, @multiplier, @long_con_id, @short_con_id, @account, @created_at, @rolled_from_ticket)`),
      openCandidates: p(`SELECT id, multiplier, right, expiry, long_con_id, short_con_id, long_strike_u, short_strike_u FROM spread_positions
        WHERE status IN ('open', 'broken') AND (account IS NULL OR account = ?)
          AND (long_con_id = ? OR short_con_id = ? OR (underlying = ? AND right = ? AND expiry = ? AND (long_strike_u = ? OR short_strike_u = ?)))
        ORDER BY id`),
      legNet: p(`SELECT
          COALESCE(SUM(CASE WHEN se.leg = 'long' THEN (CASE e.side WHEN 'BOT' THEN e.shares_u ELSE -e.shares_u END) END), 0) AS long_net,
          COALESCE(SUM(CASE WHEN se.leg = 'short' THEN (CASE e.side WHEN 'SLD' THEN e.shares_u ELSE -e.shares_u END) END), 0) AS short_net
        FROM spread_executions se JOIN executions e ON e.exec_id = se.exec_id AND e.replaced_by IS NULL WHERE se.spread_id = ?`),
    };
  }

  /** A fill sent by one of our tickets. */
  forTicket(link: TicketLink, f: FillTerms, at: number): SpreadLink {
    const base = { ticketId: link.id, source: 'ticket' as const };
    if (f.secType === 'BAG') return { ...base, spreadId: link.spread_id, role: link.purpose, leg: 'bag', multiplier: link.multiplier };
    const leg = legOf(link, f);
    if (leg) return { ...base, spreadId: link.spread_id, role: link.purpose, leg, multiplier: link.multiplier };
    if (link.purpose === 'close') {
      const rolled = this.rolledSpread(link, at);
      if (rolled) {
        const newLeg = legOf(rolled, f);
        if (newLeg) return { ...base, spreadId: rolled.id, role: 'open', leg: newLeg, multiplier: rolled.multiplier };
      }
    }
    return { ...base, spreadId: link.spread_id, role: link.purpose, leg: 'other', multiplier: link.multiplier };
  }

  /**
   * The new spread a closing ticket's extra legs open (a one-ticket roll), created on its first
   * fill from the ticket's legs that are not the old spread's. Null when they are not one vertical.
   */
  private rolledSpread(link: TicketLink, at: number): SpreadTerms | null {
    const existing = this.s.rollSpread.get(link.id) as SpreadTerms | undefined;
    if (existing) return existing;
    const legs = (this.s.ticketLegs.all(link.id) as TicketLeg[]).filter(
      (l) => legOf(link, { conId: l.con_id ?? -1, strikeU: l.strike_u, right: l.right, expiry: l.expiry }) === null,
    );
    if (legs.length !== 2 || legs[0]!.right !== legs[1]!.right || legs[0]!.expiry !== legs[1]!.expiry || legs[0]!.action === legs[1]!.action) return null;
    // A SELL combo reverses every leg's action.
    const buys = (l: TicketLeg) => (l.action === 'BUY') === (link.action === 'BUY');
    const long = legs.find(buys)!;
    const short = legs.find((l) => !buys(l))!;
    const old = this.s.spreadAccount.get(link.spread_id) as { underlying: string; account: string | null };
    const row = {
      underlying: old.underlying, kind: spreadKindOf(long.right, long.strike_u as Micros, short.strike_u as Micros), right: long.right, expiry: long.expiry,
      long_strike_u: long.strike_u, short_strike_u: short.strike_u, multiplier: link.multiplier, long_con_id: long.con_id, short_con_id: short.con_id,
      account: old.account, created_at: at, rolled_from_ticket: link.id,
    };
    const id = Number(this.s.insertSpread.run(row).lastInsertRowid);
    return { id, multiplier: row.multiplier, right: row.right, expiry: row.expiry, long_con_id: row.long_con_id, short_con_id: row.short_con_id, long_strike_u: row.long_strike_u, short_strike_u: row.short_strike_u };
  }

  /** A fill no ticket of ours sent: the oldest open spread whose leg it reduces, if any. */
  forOutside(f: FillTerms, source: Exclude<FillSource, 'ticket'>): SpreadLink | null {
    if (f.secType === 'BAG') return null;
    const candidates = this.s.openCandidates.all(f.account, f.conId, f.conId, f.symbol, f.right, f.expiry, f.strikeU, f.strikeU) as SpreadTerms[];
    for (const s of candidates) {
      const leg = legOf(s, f);
      if (!leg) continue;
      const reduces = (leg === 'long' && f.side === 'SLD') || (leg === 'short' && f.side === 'BOT');
      if (!reduces) continue;
      const net = this.s.legNet.get(s.id) as { long_net: number; short_net: number };
      if ((leg === 'long' ? net.long_net : net.short_net) <= 0) continue;
      return { spreadId: s.id, ticketId: null, role: 'close', leg, source, multiplier: s.multiplier };
    }
    return null;
  }
}
