// The Positions and P&L tabs' state: the latest positions snapshot and P&L summary (positions.updated / pnl.updated), and the intraday P&L line.
import { create } from 'zustand';
import type { OrphanLeg, PnlSummary, PositionLeg, PositionSpread, PositionsSnapshot } from '../../../core/contract';
import type { PlatformClient } from '../../platform/client';

export interface PnlPoint {
  t: number;
  total: number;
}

export interface PositionsState {
  snapshot: PositionsSnapshot | null;
  summary: PnlSummary | null;
  /** The book's total P&L as it streamed in this window (for the intraday chart), one point per second at most. */
  intraday: PnlPoint[];
}

export const usePositionsStore = create<PositionsState>(() => ({ snapshot: null, summary: null, intraday: [] }));

const MAX_POINTS = 4000;

/** Appends a point, keeping one per second (the newest wins) and at most MAX_POINTS. */
export function addPoint(list: readonly PnlPoint[], p: PnlPoint): PnlPoint[] {
  const last = list[list.length - 1];
  const out = last && Math.floor(last.t / 1000) >= Math.floor(p.t / 1000) ? [...list.slice(0, -1), { t: Math.max(last.t, p.t), total: p.total }] : [...list, p];
  return out.length > MAX_POINTS ? out.slice(out.length - MAX_POINTS) : out;
}

/** One grid row: a held spread, one of its legs (when expanded), or a broker leg no spread explains. */
export type GridRow =
  | { type: 'spread'; id: string; spread: PositionSpread; expanded: boolean }
  | { type: 'leg'; id: string; spread: PositionSpread; leg: PositionLeg }
  | { type: 'orphan'; id: string; orphan: OrphanLeg };

/** Spreads (each followed by its legs when expanded), then the orphan legs: never hidden, always last. */
export function gridRows(snapshot: PositionsSnapshot | null, expanded: ReadonlySet<number>): GridRow[] {
  if (!snapshot) return [];
  const out: GridRow[] = [];
  for (const s of snapshot.spreads) {
    const open = expanded.has(s.spreadId);
    out.push({ type: 'spread', id: `s${s.spreadId}`, spread: s, expanded: open });
    if (open) for (const leg of s.legs) out.push({ type: 'leg', id: `s${s.spreadId}-${leg.role}`, spread: s, leg });
  }
  for (const o of snapshot.orphans) out.push({ type: 'orphan', id: `o${o.account}-${o.conId}`, orphan: o });
  return out;
}

/** Loads the snapshot and summary, then follows their events; returns an unsubscribe. */
export function bindPositionsStore(client: PlatformClient): () => void {
  const onSummary = (summary: PnlSummary) => usePositionsStore.setState((s) => ({ summary, intraday: addPoint(s.intraday, { t: summary.at, total: summary.total }) }));
  const load = async () => {
    const [p, s] = await Promise.all([client.invoke('positions.list', {}), client.invoke('pnl.summary', {})]);
    if (p.ok) usePositionsStore.setState({ snapshot: p.value });
    if (s.ok) onSummary(s.value);
  };
  const offs = [
    client.on('positions.updated', (snapshot) => {
      usePositionsStore.setState({ snapshot });
    }),
    client.on('pnl.updated', onSummary),
    client.onTransport((t) => {
      if (t === 'open') void load();
    }),
  ];
  return () => offs.forEach((off) => off());
}
