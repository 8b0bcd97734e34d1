// Price paths under a fast-forwarded week: quotes across expiries touch several days, and no day path is rebuilt.
import { describe, expect, it } from 'vitest';
import { dayFromYmd, dayToYmd, etToUtc } from './calendar';
import { DEFAULT_SIM_CONFIG } from './config';
import { MarketModel } from './model';
import type { OptionContract } from './universe';

describe('price paths', () => {
  it('a fast-forwarded week of quotes across expiries builds each day path once (no cache thrash)', () => {
    const model = new MarketModel(DEFAULT_SIM_CONFIG, 42);
    const start = etToUtc(dayFromYmd(2026, 3, 9), 9 * 60 + 30); // Monday open
    const end = etToUtc(dayFromYmd(2026, 3, 13), 16 * 60); // Friday close
    // Subscriptions: for each underlying, a few strikes around the money in its first six expiries (several
    // expire during the week), as a trader's watchlist and positions would hold.
    const subs: OptionContract[] = [];
    for (const u of model.underlyings()) {
      for (const info of model.classesOf(u.symbol)) {
        const day = model.listingDay(start);
        for (const e of model.expiries(info, day).slice(0, 5)) {
          const strikes = model.strikes(info, e, day);
          const spot = model.spot(u, start);
          const atm = strikes.reduce((best, k) => (Math.abs(k - spot) < Math.abs(best - spot) ? k : best), strikes[0] ?? spot);
          const found = model.findOptions({ symbol: u.symbol, tradingClass: info.cfg.tradingClass, expiry: dayToYmd(e), strike: atm }, start);
          subs.push(...found.slice(0, 1));
        }
      }
    }
    expect(subs.length).toBeGreaterThan(20);
    const builds = (): number => [...model.paths.values()].reduce((a, p) => a + p.builds, 0);
    let quotes = 0;
    let warm = -1;
    let steps = 0;
    for (let t = start; t <= end; t += 30 * 60_000) {
      for (const c of subs) {
        model.optionQuote(c, t);
        if (t >= c.expiryInstant) model.settlementSpot(c);
        quotes++;
      }
      if (warm < 0 && t >= start + 60 * 60_000) warm = builds();
      steps++;
    }
    const days = 5;
    // At most one build per underlying and day touched (the week, the prior day, the expiry days are in it).
    expect(builds()).toBeLessThanOrEqual(model.paths.size * (days + 1));
    expect(steps).toBeGreaterThan(150);
    expect(quotes).toBe(steps * subs.length);
    expect(warm).toBeGreaterThan(0);
  }, 120_000);
});
