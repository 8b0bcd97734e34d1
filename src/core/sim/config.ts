// The simulated market's configuration: underlyings, option classes, volatility and microstructure parameters.
import { z } from 'zod';

const StrikeBand = z.object({
  /** Applies while |K / center − 1| ≤ within. */
  within: z.number().positive(),
  step: z.number().positive(),
});

const ExpiryRules = z.object({
  /** Every trading day within this many calendar days. */
  dailyDays: z.number().int().min(0),
  /** Every Friday (Thursday when Friday is a holiday) within this many calendar days. */
  weeklyDays: z.number().int().min(0),
  /** Third Fridays within this many calendar days. */
  monthlyDays: z.number().int().min(0),
});

const OptionClass = z.object({
  tradingClass: z.string().min(1).max(6),
  /** 1–63, unique: the top bits of every conid of the class (conids are stable across restarts). */
  slot: z.number().int().min(1).max(63),
  multiplier: z.number().int().positive(),
  /** PM: settles at the close of expiry day; AM: at the open (last trade the day before). */
  settlement: z.enum(['PM', 'AM']),
  cashSettled: z.boolean(),
  style: z.enum(['American', 'European']),
  expiries: ExpiryRules,
  /** Every strike is a multiple of this (it is the conid's strike unit). */
  strikeQuantum: z.number().positive(),
  bands: z.array(StrikeBand).min(1),
  /** Strike range half-width: rangeSigmas × ATM vol × √T, clamped to [minRange, maxRange] (fractions of spot). */
  rangeSigmas: z.number().positive(),
  minRange: z.number().positive(),
  maxRange: z.number().positive(),
  tickRule: z.enum(['penny-all', 'penny', 'nickel-dime']),
  exchanges: z.array(z.string().min(1)).min(1),
  /**
   * Quoted width = max(minWidth, base + pct × time value + itmPct × intrinsic value) × (1 + dteWiden × T years): market
   * makers quote near-the-money options by their time value (a few cents in SPY even a month out) and deep in-the-money
   * ones wider by their price. itmPct defaults to pct (width proportional to the whole value).
   */
  spread: z.object({ base: z.number().min(0), pct: z.number().min(0), itmPct: z.number().min(0).optional(), minWidth: z.number().min(0), dteWiden: z.number().min(0) }),
  /** Typical displayed size near the money, in contracts. */
  size: z.number().positive(),
  /** Typical open interest near the money for a one-month expiry. */
  openInterest: z.number().positive(),
});

const Underlying = z.object({
  symbol: z.string().min(1).max(12),
  secType: z.enum(['STK', 'IND']),
  conId: z.number().int().positive(),
  /** Routing exchange of the underlying (SMART for stocks, CBOE for the index). */
  exchange: z.string(),
  primaryExchange: z.string(),
  longName: z.string(),
  industry: z.string(),
  category: z.string(),
  subcategory: z.string(),
  /** Long-run price level the path mean-reverts to (and the level on the anchor date). */
  spot: z.number().positive(),
  /** Annualised realised volatility of the price path. */
  realizedVol: z.number().positive(),
  /** Mean reversion speed of log price towards log(spot), per year. */
  meanReversion: z.number().min(0),
  /** Correlation of the path's shocks with the common market factor (1 = moves exactly with the market). */
  correlation: z.number().min(0).max(1),
  jumps: z.object({ perYear: z.number().min(0), mean: z.number(), sd: z.number().min(0) }),
  iv: z.object({
    /** ATM implied vol for very short and for long expiries; blended by exp(−T/tau). */
    atmShort: z.number().positive(),
    atmLong: z.number().positive(),
    tau: z.number().positive(),
    /** Vol change (relative) per standard deviation of moneyness at very short expiries; negative = equity skew. */
    skew: z.number(),
    /** The same for long expiries (blended with skew by exp(−T/tau), as the ATM level); skew when unset. */
    skewLong: z.number().optional(),
    curvature: z.number().min(0),
    /** Relative IV change per unit of log return since the open (spot–vol correlation, positive = vol up on down days). */
    spotVolBeta: z.number(),
    /** Day-to-day variation of the IV level (lognormal sd). */
    dailyVolOfVol: z.number().min(0),
  }),
  divYield: z.number().min(0),
  /** Underlying shares (or index points) traded per day, for volume ticks. */
  dailyVolume: z.number().positive(),
  /** Underlying bid/ask half-spread in basis points of price (rounded to cents, at least one cent). */
  halfSpreadBps: z.number().min(0),
  classes: z.array(OptionClass),
});

export const SimConfigSchema = z.object({
  /** Risk-free rate (continuous). */
  rate: z.number(),
  /** First day of the price path (YYYYMMDD); prices are a pure function of seed and time from here on. */
  anchorDate: z.string().regex(/^\d{8}$/),
  /** Market-wide jumps (crash days) hitting every underlying in proportion to its correlation. */
  marketJumps: z.object({ perYear: z.number().min(0), mean: z.number(), sd: z.number().min(0) }),
  /** Step of the intraday price path in simulated milliseconds. */
  stepMs: z.number().int().min(100).max(60_000),
  underlyings: z.array(Underlying).min(1),
});

export type SimConfig = z.infer<typeof SimConfigSchema>;
export type UnderlyingConfig = z.infer<typeof Underlying>;
export type OptionClassConfig = z.infer<typeof OptionClass>;

type ClassOverrides = Partial<OptionClassConfig> & Pick<OptionClassConfig, 'tradingClass' | 'slot' | 'bands'>;

function equityClass(c: ClassOverrides): OptionClassConfig {
  return {
    multiplier: 100,
    settlement: 'PM',
    cashSettled: false,
    style: 'American',
    expiries: { dailyDays: 0, weeklyDays: 56, monthlyDays: 380 },
    strikeQuantum: 0.5,
    rangeSigmas: 4,
    minRange: 0.1,
    maxRange: 0.6,
    tickRule: 'penny',
    exchanges: ['SMART', 'CBOE', 'AMEX', 'ISE', 'PHLX', 'BOX'],
    spread: { base: 0.02, pct: 0.015, minWidth: 0.01, dteWiden: 0.6 },
    size: 60,
    openInterest: 4000,
    ...c,
  };
}

type Defaulted = 'exchange' | 'category' | 'subcategory' | 'meanReversion' | 'correlation' | 'jumps' | 'halfSpreadBps';
type UnderlyingOverrides = Omit<UnderlyingConfig, Defaulted | 'iv'> &
  Partial<Pick<UnderlyingConfig, Defaulted>> & { iv: Partial<UnderlyingConfig['iv']> & Pick<UnderlyingConfig['iv'], 'atmShort' | 'atmLong'> };

function stock(u: UnderlyingOverrides): UnderlyingConfig {
  return {
    exchange: 'SMART',
    category: '',
    subcategory: '',
    meanReversion: 1.5,
    correlation: 0.6,
    jumps: { perYear: 4, mean: -0.01, sd: 0.03 },
    halfSpreadBps: 0.5,
    ...u,
    iv: { tau: 0.3, skew: -0.1, curvature: 0.03, spotVolBeta: 3, dailyVolOfVol: 0.04, ...u.iv },
  };
}

const etfBands = [
  { within: 0.08, step: 1 },
  { within: 0.25, step: 5 },
  { within: 5, step: 10 },
];
const etfExpiries = { dailyDays: 35, weeklyDays: 95, monthlyDays: 380 };
const etfClass = { tickRule: 'penny-all' as const, expiries: etfExpiries, minRange: 0.05, maxRange: 0.45, spread: { base: 0.01, pct: 0.003, itmPct: 0.005, minWidth: 0.01, dteWiden: 0.5 } };

/** The default universe: index ETFs with dailies, SPX/SPXW, and seven large caps with weeklies and monthlies. */
export const DEFAULT_SIM_CONFIG: SimConfig = {
  rate: 0.043,
  anchorDate: '20250102',
  marketJumps: { perYear: 3, mean: -0.012, sd: 0.015 },
  stepMs: 1000,
  underlyings: [
    stock({
      symbol: 'SPY', secType: 'STK', conId: 756733, primaryExchange: 'ARCA', longName: 'SPDR S&P 500 ETF TRUST',
      industry: 'Funds', category: 'Equity Fund', subcategory: 'Large Cap', spot: 590, realizedVol: 0.13, meanReversion: 1, correlation: 1,
      jumps: { perYear: 0, mean: 0, sd: 0 },
      iv: { atmShort: 0.14, atmLong: 0.19, tau: 0.25, skew: -0.22, skewLong: -0.28, curvature: 0.07, spotVolBeta: 4 }, divYield: 0.012, dailyVolume: 60_000_000, halfSpreadBps: 0.1,
      classes: [equityClass({ tradingClass: 'SPY', slot: 10, bands: etfBands, size: 600, openInterest: 25_000, ...etfClass })],
    }),
    stock({
      symbol: 'QQQ', secType: 'STK', conId: 320227571, primaryExchange: 'NASDAQ', longName: 'INVESCO QQQ TRUST SERIES 1',
      industry: 'Funds', category: 'Equity Fund', subcategory: 'Large Cap', spot: 510, realizedVol: 0.17, meanReversion: 1, correlation: 0.92,
      jumps: { perYear: 1, mean: -0.01, sd: 0.015 },
      iv: { atmShort: 0.18, atmLong: 0.22, tau: 0.25, skew: -0.12, curvature: 0.04, spotVolBeta: 3.5 }, divYield: 0.006, dailyVolume: 35_000_000, halfSpreadBps: 0.2,
      classes: [equityClass({ tradingClass: 'QQQ', slot: 11, bands: etfBands, size: 400, openInterest: 15_000, ...etfClass })],
    }),
    stock({
      symbol: 'IWM', secType: 'STK', conId: 9579970, primaryExchange: 'ARCA', longName: 'ISHARES RUSSELL 2000 ETF',
      industry: 'Funds', category: 'Equity Fund', subcategory: 'Small Cap', spot: 220, realizedVol: 0.2, meanReversion: 1, correlation: 0.85, jumps: { perYear: 1, mean: -0.01, sd: 0.015 },
      iv: { atmShort: 0.21, atmLong: 0.24, tau: 0.25, skew: -0.1, curvature: 0.04, spotVolBeta: 3 }, divYield: 0.012, dailyVolume: 30_000_000, halfSpreadBps: 0.3,
      classes: [equityClass({ tradingClass: 'IWM', slot: 12, size: 300, openInterest: 10_000, ...etfClass, bands: [{ within: 0.15, step: 1 }, { within: 5, step: 5 }] })],
    }),
    stock({
      symbol: 'SPX', secType: 'IND', conId: 416904, exchange: 'CBOE', primaryExchange: 'CBOE', longName: 'S&P 500 Stock Index',
      industry: 'Indices', category: 'Broad Range Equity Index', subcategory: '*', spot: 5900, realizedVol: 0.13, meanReversion: 1, correlation: 1,
      jumps: { perYear: 0, mean: 0, sd: 0 },
      iv: { atmShort: 0.14, atmLong: 0.19, tau: 0.25, skew: -0.22, skewLong: -0.28, curvature: 0.07, spotVolBeta: 4 }, divYield: 0.013, dailyVolume: 2_500_000_000, halfSpreadBps: 0,
      classes: [
        equityClass({
          tradingClass: 'SPX', slot: 13, settlement: 'AM', cashSettled: true, style: 'European', strikeQuantum: 5,
          expiries: { dailyDays: 0, weeklyDays: 0, monthlyDays: 380 }, tickRule: 'nickel-dime', exchanges: ['SMART', 'CBOE'],
          bands: [{ within: 0.1, step: 5 }, { within: 0.3, step: 25 }, { within: 5, step: 100 }], minRange: 0.1, maxRange: 0.5,
          spread: { base: 0.1, pct: 0.01, minWidth: 0.05, dteWiden: 0.5 }, size: 30, openInterest: 6000,
        }),
        equityClass({
          tradingClass: 'SPXW', slot: 14, cashSettled: true, style: 'European', strikeQuantum: 5,
          expiries: { dailyDays: 35, weeklyDays: 95, monthlyDays: 380 }, tickRule: 'nickel-dime', exchanges: ['SMART', 'CBOE'],
          bands: [{ within: 0.1, step: 5 }, { within: 0.3, step: 25 }, { within: 5, step: 100 }], minRange: 0.05, maxRange: 0.4,
          spread: { base: 0.1, pct: 0.01, minWidth: 0.05, dteWiden: 0.5 }, size: 40, openInterest: 3000,
        }),
      ],
    }),
    stock({
      symbol: 'AAPL', secType: 'STK', conId: 265598, primaryExchange: 'NASDAQ', longName: 'APPLE INC', industry: 'Technology', category: 'Computers', subcategory: 'Computers',
      spot: 230, realizedVol: 0.24, iv: { atmShort: 0.26, atmLong: 0.27 }, divYield: 0.0045, dailyVolume: 50_000_000,
      classes: [equityClass({ tradingClass: 'AAPL', slot: 15, bands: [{ within: 0.1, step: 2.5 }, { within: 0.3, step: 5 }, { within: 5, step: 10 }], size: 120, openInterest: 8000 })],
    }),
    stock({
      symbol: 'MSFT', secType: 'STK', conId: 272093, primaryExchange: 'NASDAQ', longName: 'MICROSOFT CORP', industry: 'Technology', category: 'Software', subcategory: 'Applications Software',
      spot: 420, realizedVol: 0.22, iv: { atmShort: 0.24, atmLong: 0.25 }, divYield: 0.008, dailyVolume: 20_000_000,
      classes: [equityClass({ tradingClass: 'MSFT', slot: 16, bands: [{ within: 0.1, step: 2.5 }, { within: 0.3, step: 5 }, { within: 5, step: 10 }] })],
    }),
    stock({
      symbol: 'NVDA', secType: 'STK', conId: 4815747, primaryExchange: 'NASDAQ', longName: 'NVIDIA CORP', industry: 'Technology', category: 'Semiconductors', subcategory: 'Electronic Compo-Semicon',
      spot: 140, realizedVol: 0.45, iv: { atmShort: 0.48, atmLong: 0.45, skew: -0.06 }, divYield: 0.0003, dailyVolume: 250_000_000,
      classes: [equityClass({ tradingClass: 'NVDA', slot: 17, bands: [{ within: 0.15, step: 1 }, { within: 0.4, step: 2.5 }, { within: 5, step: 5 }], size: 200, openInterest: 12_000 })],
    }),
    stock({
      symbol: 'TSLA', secType: 'STK', conId: 76792991, primaryExchange: 'NASDAQ', longName: 'TESLA INC', industry: 'Consumer, Cyclical', category: 'Auto Manufacturers', subcategory: 'Auto-Cars/Light Trucks',
      spot: 340, realizedVol: 0.55, jumps: { perYear: 6, mean: 0, sd: 0.05 }, iv: { atmShort: 0.58, atmLong: 0.52, skew: -0.03, curvature: 0.05 }, divYield: 0, dailyVolume: 90_000_000,
      classes: [equityClass({ tradingClass: 'TSLA', slot: 18, bands: [{ within: 0.15, step: 2.5 }, { within: 0.4, step: 5 }, { within: 5, step: 10 }], size: 150, openInterest: 10_000 })],
    }),
    stock({
      symbol: 'AMZN', secType: 'STK', conId: 3691937, primaryExchange: 'NASDAQ', longName: 'AMAZON.COM INC', industry: 'Communications', category: 'Internet', subcategory: 'E-Commerce/Products',
      spot: 210, realizedVol: 0.3, iv: { atmShort: 0.32, atmLong: 0.31 }, divYield: 0, dailyVolume: 40_000_000,
      classes: [equityClass({ tradingClass: 'AMZN', slot: 19, bands: [{ within: 0.1, step: 2.5 }, { within: 0.3, step: 5 }, { within: 5, step: 10 }] })],
    }),
    stock({
      symbol: 'META', secType: 'STK', conId: 107113386, primaryExchange: 'NASDAQ', longName: 'META PLATFORMS INC-CLASS A', industry: 'Communications', category: 'Internet', subcategory: 'Internet Content-Entmt',
      spot: 600, realizedVol: 0.33, iv: { atmShort: 0.35, atmLong: 0.34 }, divYield: 0.0035, dailyVolume: 15_000_000,
      classes: [equityClass({ tradingClass: 'META', slot: 20, bands: [{ within: 0.1, step: 5 }, { within: 0.3, step: 10 }, { within: 5, step: 20 }], size: 40 })],
    }),
    stock({
      symbol: 'GOOGL', secType: 'STK', conId: 208813719, primaryExchange: 'NASDAQ', longName: 'ALPHABET INC-CL A', industry: 'Communications', category: 'Internet', subcategory: 'Web Portals/ISP',
      spot: 175, realizedVol: 0.29, iv: { atmShort: 0.31, atmLong: 0.3 }, divYield: 0.0045, dailyVolume: 30_000_000,
      classes: [equityClass({ tradingClass: 'GOOGL', slot: 21, bands: [{ within: 0.1, step: 2.5 }, { within: 0.3, step: 5 }, { within: 5, step: 10 }] })],
    }),
  ],
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

/**
 * Reads a user configuration over the defaults. Top-level keys override; `underlyings` entries merge over
 * the default entry of the same symbol (new symbols must be complete); `symbols` keeps only those listed.
 * Throws with a readable message when the result is invalid.
 */
export function parseSimConfig(input: unknown): SimConfig {
  const raw = isPlainObject(input) ? input : {};
  const { symbols, underlyings, ...rest } = raw as { symbols?: unknown; underlyings?: unknown } & Record<string, unknown>;
  const merged = deepMerge(DEFAULT_SIM_CONFIG, rest) as Record<string, unknown>;
  let list: unknown[] = DEFAULT_SIM_CONFIG.underlyings;
  if (Array.isArray(underlyings)) {
    list = underlyings.map((u) => {
      const sym = isPlainObject(u) ? u['symbol'] : undefined;
      const def = DEFAULT_SIM_CONFIG.underlyings.find((d) => d.symbol === sym);
      return def ? deepMerge(def, u) : u;
    });
  }
  if (Array.isArray(symbols)) {
    const keep = new Set(symbols.map(String));
    list = list.filter((u) => isPlainObject(u) && keep.has(String(u['symbol'])));
  }
  merged['underlyings'] = list;
  const parsed = SimConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`Invalid simulator config at ${first ? first.path.join('.') : '?'}: ${first?.message ?? 'invalid'}`);
  }
  validateSimConfig(parsed.data);
  return parsed.data;
}

/** Cross-field rules: unique symbols, conids and slots; strikes on the conid grid. */
export function validateSimConfig(cfg: SimConfig): void {
  const symbols = new Set<string>();
  const slots = new Set<number>();
  const classes = new Set<string>();
  for (const u of cfg.underlyings) {
    if (symbols.has(u.symbol)) throw new Error(`Duplicate underlying ${u.symbol}`);
    symbols.add(u.symbol);
    for (const c of u.classes) {
      if (slots.has(c.slot)) throw new Error(`Duplicate conid slot ${c.slot} (${c.tradingClass})`);
      if (classes.has(c.tradingClass)) throw new Error(`Duplicate trading class ${c.tradingClass}`);
      slots.add(c.slot);
      classes.add(c.tradingClass);
      for (const b of c.bands) {
        const n = b.step / c.strikeQuantum;
        if (Math.abs(n - Math.round(n)) > 1e-9) throw new Error(`${c.tradingClass}: strike step ${b.step} is not a multiple of ${c.strikeQuantum}`);
      }
      if (c.minRange > c.maxRange) throw new Error(`${c.tradingClass}: minRange > maxRange`);
    }
  }
  for (const u of cfg.underlyings) {
    // An underlying conid must not fall into an option class's conid block.
    const slot = Math.floor(u.conId / 2 ** 25);
    if (slots.has(slot)) throw new Error(`${u.symbol}: conId ${u.conId} collides with option conid slot ${slot}`);
  }
}
