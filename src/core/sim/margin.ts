// Reg-T margin of a paper account for what this app trades: stock, long options, verticals, naked short options.
//
// Long options are paid in full (no requirement beyond the premium). A short option paired with a long option
// of the same underlying, expiry, right and multiplier is a vertical: credit verticals require width ×
// multiplier per pair (the credit received sits in cash, so buying power drops by width − credit), debit
// verticals require nothing beyond the debit paid. Unpaired short options use the Reg-T naked formula.

export interface MarginPosition {
  conId: number;
  qty: number;
  secType: 'STK' | 'OPT' | 'IND';
  underlying: string;
  /** Broad-based index options use 15%/10% instead of 20%/10%. */
  broadIndex: boolean;
  right?: 'C' | 'P';
  strike?: number;
  expiryDay?: number;
  multiplier: number;
  /** Mark price per share of this instrument. */
  mark: number;
  /** Underlying price (for options). */
  spot: number;
}

export interface MarginResult {
  initial: number;
  maintenance: number;
}

/** Naked short option requirement per contract (Reg-T / CBOE). */
export function nakedRequirement(p: Pick<MarginPosition, 'right' | 'strike' | 'multiplier' | 'mark' | 'spot' | 'broadIndex'>): number {
  const k = p.strike ?? 0;
  const s = p.spot;
  const otm = p.right === 'C' ? Math.max(0, k - s) : Math.max(0, s - k);
  const pct = p.broadIndex ? 0.15 : 0.2;
  const a = p.mark + pct * s - otm;
  const b = p.mark + 0.1 * (p.right === 'C' ? s : k);
  return Math.max(a, b) * p.multiplier;
}

/** Requirement of one short leg covered by one long leg (same underlying, expiry, right, multiplier). */
export function pairRequirement(right: 'C' | 'P', shortStrike: number, longStrike: number, multiplier: number): number {
  return Math.max(0, right === 'C' ? longStrike - shortStrike : shortStrike - longStrike) * multiplier;
}

/** Account requirement: stock 50%/25% (shorts 50%/30%), option pairs and naked shorts as above. */
export function accountMargin(positions: readonly MarginPosition[]): MarginResult {
  let initial = 0;
  let maintenance = 0;
  const groups = new Map<string, MarginPosition[]>();
  for (const p of positions) {
    if (p.qty === 0) continue;
    if (p.secType !== 'OPT') {
      const value = Math.abs(p.qty * p.mark * p.multiplier);
      initial += 0.5 * value;
      maintenance += (p.qty > 0 ? 0.25 : 0.3) * value;
      continue;
    }
    const key = `${p.underlying}|${p.expiryDay ?? 0}|${p.right ?? ''}|${p.multiplier}`;
    const g = groups.get(key) ?? [];
    g.push(p);
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    const longs = g.filter((p) => p.qty > 0).map((p) => ({ p, left: p.qty }));
    const shorts = g.filter((p) => p.qty < 0).map((p) => ({ p, left: -p.qty }));
    // Cover the shorts that need cover most first, each with the long that leaves the smallest requirement.
    shorts.sort((a, b) => nakedRequirement(b.p) - nakedRequirement(a.p));
    for (const s of shorts) {
      while (s.left > 0) {
        let best: (typeof longs)[number] | null = null;
        let bestReq = Infinity;
        for (const l of longs) {
          if (l.left === 0) continue;
          const r = pairRequirement(s.p.right ?? 'C', s.p.strike ?? 0, l.p.strike ?? 0, s.p.multiplier);
          if (r < bestReq) {
            bestReq = r;
            best = l;
          }
        }
        const naked = nakedRequirement(s.p);
        if (!best || bestReq >= naked) {
          initial += naked * s.left;
          maintenance += naked * s.left;
          s.left = 0;
          break;
        }
        const n = Math.min(s.left, best.left);
        initial += bestReq * n;
        maintenance += bestReq * n;
        s.left -= n;
        best.left -= n;
      }
    }
  }
  return { initial: round2(initial), maintenance: round2(maintenance) };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
