// The execution service as the kill switch sees it: cancel every working order (reported order by order), list the
// open spreads from the journal, and flatten each as ONE closing combo through the execution service.
//
// Flatten prices at the combo's natural (a marketable limit on a valid tick, within the fat-finger check), fixed:
// a kill is about getting out, and a walk that starts at mid would leave the position open for its intervals.
import { bagToNet, rightOf } from '../../../core/orders/ticket';
import { fromMicros } from '../../../core/journal/units';
import { roundToTick, TICKS_COMBO, toDollars, toMicros, type Micros } from '../../../core/spreads';
import type { Journal } from '../journal';
import type { LegQuoteCache } from '../execution/quotes';
import type { ExecutionService } from '../execution/service';
import type { ExecutionForRisk, KillSpread } from './service';

export interface ExecutionForRiskDeps {
  journal: () => Journal | null;
  quotes: LegQuoteCache;
  now?: () => number;
}

interface HeldSpread extends KillSpread {
  kind: Parameters<typeof rightOf>[0];
  expiry: string;
  longConId: number | null;
  shortConId: number | null;
  broken: boolean;
}

export function executionForRisk(execution: ExecutionService, deps: ExecutionForRiskDeps): ExecutionForRisk {
  const now = deps.now ?? Date.now;

  /** Open (and broken) spreads from the journal, with the legs' conIds the broker holds. Cheap: no broker request. */
  const held = (): HeldSpread[] | null => {
    const j = deps.journal();
    if (!j) return null;
    const trades = j.trades().filter((t) => (t.status === 'open' || t.status === 'broken') && t.openQuantity > 0);
    if (trades.length === 0) return [];
    const legs = new Map(j.positions().spreads.map((s) => [s.spreadId, s]));
    return trades.map((t) => {
      const h = legs.get(t.id);
      return {
        spreadId: t.id, underlying: t.underlying, quantity: t.openQuantity, maxLoss: t.maxRiskU === null ? 0 : fromMicros(t.maxRiskU), expiry: t.expiry, kind: t.kind,
        longConId: h?.long.conId ?? null, shortConId: h?.short.conId ?? null, broken: t.status === 'broken',
        label: `${t.underlying} ${t.expiry} ${t.kind} ×${t.openQuantity} (spread ${t.id})`,
      };
    });
  };

  return {
    async cancelAll() {
      // This session's orders first (each stops its walk), then earlier sessions' and everyone else's (global cancel).
      const own = await execution.cancelAll();
      const others = await execution.cancelOthers();
      const rows = execution.list(true);
      const mine = own.cancelled.map((orderId) => {
        const row = rows.find((r) => r.orderId === orderId);
        return row?.done
          ? { orderId, ok: true, message: `Order ${orderId} cancelled.` }
          : { orderId, ok: false, message: `Order ${orderId}: cancel sent, not yet confirmed by the broker.` };
      });
      return [...mine, ...others.map((o) => ({ orderId: o.orderId ?? -1, ok: o.ok, message: o.message }))];
    },
    listOpenSpreads: () => Promise.resolve(held()),
    async closeSpread(spreadId) {
      const s = held()?.find((x) => x.spreadId === spreadId);
      if (!s) return { orderId: null, ok: false, message: `Spread ${spreadId} is not open in the journal.` };
      if (s.broken) return { orderId: null, ok: false, message: `${s.label}: its legs are uneven, so it cannot be closed as one combo; close its legs from Positions.` };
      if (s.longConId === null || s.shortConId === null) return { orderId: null, ok: false, message: `${s.label}: the broker's legs for it are not known; close it from Positions.` };
      try {
        const right = rightOf(s.kind);
        const chain = await deps.quotes.contracts(s.underlying, s.expiry, right);
        const strikeOf = (conId: number) => chain.find((c) => c.conId === conId)?.strike ?? null;
        const longStrike = strikeOf(s.longConId);
        const shortStrike = strikeOf(s.shortConId);
        if (longStrike === null || shortStrike === null) return { orderId: null, ok: false, message: `${s.label}: its legs are not in the ${s.expiry} chain any more; close it from Positions.` };
        const [l, sh] = await Promise.all([deps.quotes.quote(s.longConId), deps.quotes.quote(s.shortConId)]);
        if (l.bid === null || sh.ask === null) return { orderId: null, ok: false, message: `${s.label}: no two-sided quote to price the close; close it from Positions.` };
        // Closing SELLs the held combo; its natural is the combo bid (long bid − short ask), rounded toward crossing.
        const natural = roundToTick((toMicros(l.bid) - toMicros(sh.ask)) as Micros, TICKS_COMBO, 'down');
        const net = bagToNet('SELL', natural);
        const r = await execution.closeSpread({
          ticketId: `kill-${now()}-${spreadId}`, spreadId, symbol: s.underlying, expiry: s.expiry, kind: s.kind, longStrike, shortStrike, quantity: s.quantity,
          limit: { amount: toDollars(net.amount), kind: net.kind },
        });
        return { orderId: r.orderId, ok: true, message: `${r.sentence} (order ${r.orderId}, marketable at natural).` };
      } catch (e) {
        return { orderId: null, ok: false, message: `${s.label}: the close was not sent: ${e instanceof Error ? e.message : String(e)}` };
      }
    },
  };
}
