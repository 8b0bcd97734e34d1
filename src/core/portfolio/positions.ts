// Positions as spreads: the broker's leg-by-leg positions explained by the journal's open spreads, the rest shown as orphan legs.
//
// The broker is the truth for what is held; the journal says which legs belong together. Each
// broker position is shared out to the open spreads that hold that contract (oldest first); what no
// spread explains is an orphan leg, never dropped. Quantities are micro-units (signed: + long, − short).

export interface OpenSpreadLegs {
  spreadId: number;
  account: string | null;
  longConId: number | null;
  shortConId: number | null;
  /** Units the journal says are open on each leg (positive for both legs). */
  longOpenU: number;
  shortOpenU: number;
}

export interface BrokerLeg {
  account: string;
  conId: number;
  symbol: string;
  qtyU: number;
}

export interface LegCheck {
  conId: number | null;
  /** Signed: what the journal expects (+ long, − short) and what the broker's position covers of it. */
  journalU: number;
  brokerU: number;
}

export interface SpreadHolding {
  spreadId: number;
  long: LegCheck;
  short: LegCheck;
  /** Both legs held at the broker exactly as the journal says. */
  matched: boolean;
}

export interface GroupedPositions {
  spreads: SpreadHolding[];
  orphans: BrokerLeg[];
}

const key = (account: string, conId: number): string => `${account}|${conId}`;

export function groupPositions(spreads: readonly OpenSpreadLegs[], broker: readonly BrokerLeg[]): GroupedPositions {
  const left = new Map<string, BrokerLeg>();
  for (const b of broker) {
    if (b.qtyU === 0) continue;
    const k = key(b.account, b.conId);
    const prev = left.get(k);
    left.set(k, prev ? { ...prev, qtyU: prev.qtyU + b.qtyU } : { ...b });
  }
  const accounts = [...new Set(broker.map((b) => b.account))];
  /** Takes up to `wantU` (signed) of a contract from the broker's remaining position. */
  const take = (account: string | null, conId: number | null, wantU: number): number => {
    if (conId === null || wantU === 0) return 0;
    for (const a of account === null ? accounts : [account]) {
      const b = left.get(key(a, conId));
      if (!b || Math.sign(b.qtyU) !== Math.sign(wantU)) continue;
      const got = Math.sign(wantU) * Math.min(Math.abs(wantU), Math.abs(b.qtyU));
      b.qtyU -= got;
      if (b.qtyU === 0) left.delete(key(a, conId));
      return got;
    }
    return 0;
  };
  const out: SpreadHolding[] = [...spreads]
    .sort((x, y) => x.spreadId - y.spreadId)
    .map((s) => {
      const long: LegCheck = { conId: s.longConId, journalU: s.longOpenU, brokerU: take(s.account, s.longConId, s.longOpenU) };
      const short: LegCheck = { conId: s.shortConId, journalU: -s.shortOpenU, brokerU: take(s.account, s.shortConId, -s.shortOpenU) };
      return { spreadId: s.spreadId, long, short, matched: long.brokerU === long.journalU && short.brokerU === short.journalU };
    });
  const orphans = [...left.values()].filter((b) => b.qtyU !== 0).sort((a, b) => a.account.localeCompare(b.account) || a.conId - b.conId);
  return { spreads: out, orphans };
}
