// Contract for the spread scanner: filters, scoring, ranked rows, progress and presets.
import { z } from 'zod';
import { method } from './define';

/**
 * The four verticals. Credit kinds sell the nearer-the-money leg, debit kinds buy it:
 * bull-call = long lower call / short higher call (debit) · bear-put = long higher put / short lower put (debit)
 * bull-put = short higher put / long lower put (credit) · bear-call = short lower call / long higher call (credit).
 */
export const SpreadKind = z.enum(['bear-call', 'bear-put', 'bull-call', 'bull-put']);
export type SpreadKind = z.infer<typeof SpreadKind>;
export const SPREAD_KINDS: readonly SpreadKind[] = SpreadKind.options;
export const CREDIT_KINDS: readonly SpreadKind[] = ['bull-put', 'bear-call'];
export const DEBIT_KINDS: readonly SpreadKind[] = ['bull-call', 'bear-put'];

const Finite = z.number().refine(Number.isFinite, 'Must be a finite number');
const NonNeg = Finite.refine((v) => v >= 0, 'Must be 0 or more');
const Fraction = Finite.refine((v) => v >= 0 && v <= 1, 'Must be between 0 and 1');

/** An inclusive range; a missing end is open. */
const Range = (inner: z.ZodType<number, number>) =>
  z
    .object({ min: inner.optional(), max: inner.optional() })
    .strict()
    .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, 'min must not exceed max');

/**
 * Scan filters. Every bound is optional; a candidate whose metric is unknown (missing IV, OI…) fails a bound
 * that needs it. Units: prices in dollars per share, money ($) per one spread (× multiplier), ratios as fractions.
 */
export const ScanFilters = z
  .object({
    kinds: z.array(SpreadKind).min(1).max(4),
    /** Calendar days to expiry (NYSE calendar), inclusive. */
    dte: z.object({ min: z.number().int().min(0), max: z.number().int().min(0) }).strict().refine((r) => r.min <= r.max, 'min must not exceed max'),
    /** |delta| of the short leg, 0–1. */
    shortDelta: Range(Fraction).optional(),
    /** Width in strike points. */
    width: Range(NonNeg).optional(),
    /** Width as a fraction of the underlying price (0.01 = 1 %). */
    widthOfSpot: Range(NonNeg).optional(),
    /** Credit kinds: minimum net credit per share at the scoring basis. */
    minCredit: NonNeg.optional(),
    /** Debit kinds: maximum net debit per share at the scoring basis. */
    maxDebit: NonNeg.optional(),
    /** Credit kinds: minimum credit ÷ width. */
    minCreditToWidth: Fraction.optional(),
    /** Debit kinds: maximum debit ÷ width. */
    maxDebitToWidth: Fraction.optional(),
    /** Minimum probability of profit at expiry, 0–1. */
    minPop: Fraction.optional(),
    /** Minimum expected value at expiry, $ per spread. */
    minEv: Finite.optional(),
    /** Minimum return on risk (max profit ÷ max loss). */
    minRor: NonNeg.optional(),
    /** Each leg: maximum bid-ask width in dollars. */
    maxLegSpread: NonNeg.optional(),
    /** Each leg: maximum bid-ask width as a fraction of its mid. */
    maxLegSpreadOfMid: NonNeg.optional(),
    /** Each leg: minimum open interest. */
    minOi: NonNeg.optional(),
    /** Each leg: minimum volume today. */
    minVolume: NonNeg.optional(),
    /** Each leg: maximum quote age in seconds. */
    maxQuoteAgeSec: NonNeg.optional(),
    /** Exit-cost guard: block when closing at today's leg spreads (half of each leg's bid-ask) exceeds this fraction of max loss. */
    maxExitCostOfMaxLoss: NonNeg.optional(),
  })
  .strict();
export type ScanFilters = z.infer<typeof ScanFilters>;

export const ScoreBy = z.enum(['ror', 'pop', 'evPerRisk', 'edge']);
export type ScoreBy = z.infer<typeof ScoreBy>;
export const PriceBasis = z.enum(['mid', 'natural']);
export type PriceBasis = z.infer<typeof PriceBasis>;

/**
 * Where POP and EV come from when they rank (scoring by POP or EV/risk): lognormal at one leg's implied volatility,
 * or the expiry's own volatility smile (risk-neutral, Breeden–Litzenberger; core/scanner/smile.ts). Both figures are
 * on every row either way; filters (minPop, minEv) use the lognormal ones.
 */
export const ProbabilityModel = z.enum(['lognormal', 'smile'], { error: 'Probability model must be lognormal or smile' });
export type ProbabilityModel = z.infer<typeof ProbabilityModel>;
/**
 * Lognormal: the smile's σ′ term makes POP σ move with quote noise between neighbouring strikes (no arbitrage
 * repair yet), it cannot take a drift, and a guided scan's first pass builds it from a sparse sample of strikes.
 */
export const DEFAULT_PROBABILITY_MODEL: ProbabilityModel = 'lognormal';

/**
 * Ranking: the score (higher is better), the price it is computed at (filters on price use the same basis) and the
 * probability model of a POP or EV/risk score (absent = DEFAULT_PROBABILITY_MODEL).
 */
export const ScanScoring = z.object({ by: ScoreBy, basis: PriceBasis, probabilityModel: ProbabilityModel.optional() }).strict();
export type ScanScoring = z.infer<typeof ScanScoring>;

const Symbol = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][A-Z0-9.]{0,11}$/, 'Symbols are 1–12 letters, digits or dots');

/** Rows of the final top that get IBKR's what-if by default (ScanRequest.whatIfTop), and the most a scan may ask for. */
export const DEFAULT_WHAT_IF_TOP = 10;
export const MAX_WHAT_IF_TOP = 50;

export const ScanMode = z.enum(['guided', 'exhaustive']);
export type ScanMode = z.infer<typeof ScanMode>;

export const ScanRequest = z
  .object({
    symbols: z.array(Symbol).min(1).max(50),
    filters: ScanFilters,
    scoring: ScanScoring,
    /** Rows kept per symbol. */
    topPerSymbol: z.number().int().min(1).max(500).default(50),
    /** Rows kept overall. */
    top: z.number().int().min(1).max(1000).default(100),
    /**
     * Per-symbol quota in the overall top: each symbol with candidates keeps its best min(this, its rows) there, so one
     * symbol cannot crowd out the rest (0 = ranking by score alone). Shrinks to ⌊top ÷ symbols⌋ when that is less.
     */
    minPerSymbol: z.number().int().min(0).max(100).default(3),
    /** Annualised drift for POP/EV; absent = risk-neutral (r − q). */
    drift: Finite.optional(),
    /** Re-quote the rows shown every N seconds after the scan completes; absent = off. */
    autoRefreshSec: z.number().int().min(5).max(3600).optional(),
    /** Risk-free rate (continuous, annualised) for POP/EV/edge; absent = the scanner's configured rate (ScannerDeps.rate). */
    rate: Finite.optional(),
    /** Dividend yield (continuous, annualised) for every symbol; absent = per symbol from `divYields`, then settings, then IBKR's dividends, then 0. */
    divYield: Finite.optional(),
    /** Per-symbol dividend yields (continuous, annualised); a symbol not listed uses `divYield`, then the settings. */
    divYields: z.record(z.string().max(12), Finite).optional(),
    /**
     * guided (default): quote a sparse sample per expiry, then only the legs of candidates that can still reach the
     * top-K (core/scanner/guided.ts; bounds exist for ROR scoring, other scores quote the whole plan) · exhaustive:
     * quote every planned leg. Rows are ranked from real quotes either way.
     */
    mode: ScanMode.default('guided'),
    /**
     * Broker-verified rows: the best this many rows of the final top get IBKR's what-if for one spread (margin change
     * and commission), sent as background work after the scan's quotes; 0 = off. Needs a session that may trade.
     */
    whatIfTop: z.number({ error: 'What-if rows must be a number' }).int('What-if rows must be a whole number').min(0, 'What-if rows must be 0 (off) or more').max(MAX_WHAT_IF_TOP, `What-if rows must be at most ${MAX_WHAT_IF_TOP}`).default(DEFAULT_WHAT_IF_TOP),
  })
  .strict();
export type ScanRequest = z.input<typeof ScanRequest>;
export type ScanRequestParsed = z.output<typeof ScanRequest>;

/** One leg's quote as the row used it. */
export const ScanLeg = z.object({
  conId: z.number().int().nullable(),
  strike: z.number(),
  right: z.enum(['C', 'P']),
  /** +1 bought, −1 sold. */
  side: z.union([z.literal(1), z.literal(-1)]),
  bid: z.number(),
  ask: z.number(),
  iv: z.number().nullable(),
  delta: z.number().nullable(),
  openInterest: z.number().nullable(),
  volume: z.number().nullable(),
  /** Epoch ms of the quote, null when unknown. */
  quoteTime: z.number().nullable(),
});
export type ScanLeg = z.infer<typeof ScanLeg>;

/**
 * A ranked candidate. Prices are positive amounts per share, labelled by `isCredit` (never a bare signed price).
 * Money ($) is per one spread. Metrics (max profit/loss, ROR, POP, EV, edge) are at the scoring basis.
 */
export const ScanRow = z.object({
  fingerprint: z.string(),
  symbol: z.string(),
  kind: SpreadKind,
  isCredit: z.boolean(),
  expiry: z.string().regex(/^\d{8}$/),
  dte: z.number().int(),
  shortStrike: z.number(),
  longStrike: z.number(),
  width: z.number(),
  multiplier: z.number(),
  spot: z.number(),
  basis: PriceBasis,
  /** Net credit (credit kinds) or debit (debit kinds) per share at mid and at natural. */
  priceMid: z.number(),
  priceNatural: z.number(),
  maxProfit: z.number(),
  maxLoss: z.number(),
  breakeven: z.number(),
  ror: z.number(),
  pop: z.number().nullable(),
  /** POP from the expiry's own volatility smile (risk-neutral, Breeden–Litzenberger; core/scanner/smile.ts), beside the lognormal `pop`. */
  popSmile: z.number().nullable().optional(),
  ev: z.number().nullable(),
  /** EV at expiry from the smile ($ per spread, undiscounted like `ev`): ±∫ P(S_T > x) dx over the strikes plus the net at open. */
  evSmile: z.number().nullable().optional(),
  evPerRisk: z.number().nullable(),
  evPerRiskSmile: z.number().nullable().optional(),
  /**
   * The model whose figure is the score (POP or EV/risk scoring): the requested one, or lognormal where the expiry has
   * too few IVs for a smile. Null when the score needs no probability (ROR, edge).
   */
  probabilityModel: ProbabilityModel.nullable().optional(),
  edge: z.number().nullable(),
  score: z.number(),
  shortDelta: z.number().nullable(),
  shortIv: z.number().nullable(),
  /** The worse leg's bid-ask as a fraction of its mid. */
  worstLegSpreadOfMid: z.number(),
  minOi: z.number().nullable(),
  minVolume: z.number().nullable(),
  /** Age of the older leg's quote in ms at ranking time, null when unknown. */
  quoteAgeMs: z.number().nullable(),
  /** complete: quotes, IV and delta known and fresh · partial: IV/delta (so POP/EV) missing · stale: a leg's quote is older than the staleness limit. */
  completeness: z.enum(['complete', 'partial', 'stale']),
  short: ScanLeg,
  long: ScanLeg,
  /**
   * IBKR's what-if for opening one spread at the conservative mid (ScanRequest.whatIfTop): the account's initial and
   * maintenance margin change and the commission, $; null when it was asked but gave nothing (`whatIfUnavailable` says
   * why). Absent on rows that were not verified. Never part of the ranking.
   */
  whatIf: z.object({ initMarginChange: z.number().nullable(), maintMarginChange: z.number().nullable(), commission: z.number().nullable(), at: z.number() }).nullable().optional(),
  /** Why a verified row has no what-if, as a sentence (trading not allowed, a refusal, no answer in time). */
  whatIfUnavailable: z.string().nullable().optional(),
});
export type ScanRow = z.infer<typeof ScanRow>;
export type RowWhatIf = NonNullable<ScanRow['whatIf']>;

export const ScanId = z.string().min(1).max(64);

/**
 * Where a symbol's dividend yield q came from: the scan request, the settings (ui.scannerModel.divYields), IBKR's
 * dividends (generic tick 456: next 12 months' ÷ spot, past 12 months' when no forecast), or none of them (q = 0).
 */
export const DivSource = z.enum(['request', 'settings', 'ibkr', 'none']);
export type DivSource = z.infer<typeof DivSource>;

export const ScanProgress = z.object({
  scanId: ScanId,
  state: z.enum(['planning', 'quoting', 'complete', 'stopped', 'failed']),
  /** Option quotes received / planned. */
  quoted: z.number().int().min(0),
  planned: z.number().int().min(0),
  /** Estimated ms to completion, null when unknown. */
  etaMs: z.number().nullable(),
  startedAt: z.number(),
  elapsedMs: z.number(),
  /** Per symbol: quoted/planned and a message when a symbol could not be scanned. */
  symbols: z.array(
    z.object({
      symbol: z.string(),
      quoted: z.number().int(),
      planned: z.number().int(),
      error: z.string().nullable(),
      /** The dividend yield the symbol was valued with (continuous, annualised) and its source; absent until it is priced. */
      divYield: z.number().optional(),
      divSource: DivSource.optional(),
    }),
  ),
  message: z.string().nullable(),
  /** True when the data comes from the local simulated exchange. */
  simulated: z.boolean(),
  /** Delayed data in use (no live subscription). */
  delayed: z.boolean(),
});
export type ScanProgress = z.infer<typeof ScanProgress>;

/** A results frame on the wire: the ranked order by fingerprint and only the rows new or changed since the last frame. */
export const ScanResultsDelta = z.object({ order: z.array(z.string()), changed: z.array(ScanRow) });
export type ScanResultsDelta = z.infer<typeof ScanResultsDelta>;

export const ScanResults = z.object({
  scanId: ScanId,
  /** Ranked overall top-K, best first. */
  rows: z.array(ScanRow),
  /** Candidates evaluated / passing every filter so far. */
  evaluated: z.number().int().min(0),
  passed: z.number().int().min(0),
  /** True once the scan has every planned quote (or was stopped). */
  final: z.boolean(),
  at: z.number(),
  /** Event frames: `rows` is empty and this carries the change (see core/scanner/delta.ts); absent in scan.latest. */
  delta: ScanResultsDelta.optional(),
});
export type ScanResults = z.infer<typeof ScanResults>;

/**
 * Default risk-free rate (continuous, annualised): the 3-month Treasury bill rate the issue measured (≈ 4.3 %); a
 * setting (ui.scannerModel.rate) the trader should keep current — TWS sends none.
 */
export const DEFAULT_SCAN_RATE = 0.043;

/** The scanner's model inputs kept in settings. Dividend yields per symbol (TWS's tick 456 is not read by the broker yet). */
export const ScannerModel = z
  .object({
    rate: Finite.refine((v) => v > -0.05 && v < 0.5, 'The rate must be between −5 % and 50 %'),
    divYields: z.record(z.string().max(12), Finite.refine((v) => v >= 0 && v < 0.5, 'A dividend yield must be between 0 and 50 %')),
  })
  .strict();
export type ScannerModel = z.infer<typeof ScannerModel>;

export const ScanPreset = z
  .object({
    name: z.string().trim().min(1).max(40),
    symbols: z.array(Symbol).max(50),
    filters: ScanFilters,
    scoring: ScanScoring,
    topPerSymbol: z.number().int().min(1).max(500),
    top: z.number().int().min(1).max(1000),
    /** Per-symbol quota in the top (ScanRequest.minPerSymbol); absent in presets saved before it existed = 3. */
    minPerSymbol: z.number().int().min(0).max(100).optional(),
    /** Rows verified by IBKR's what-if (ScanRequest.whatIfTop); absent in presets saved before it existed = the default. */
    whatIfTop: z.number().int().min(0).max(MAX_WHAT_IF_TOP).optional(),
  })
  .strict();
export type ScanPreset = z.infer<typeof ScanPreset>;

/** Most rows the grid reports on screen at once (a tall window at the smallest row height shows about 100). */
export const VIEWPORT_MAX_ROWS = 500;

/**
 * The rows the trader sees in the results grid, by fingerprint, so auto-refresh re-quotes them first every cycle.
 * A later call replaces the earlier one; an empty list means none are visible (the rest still rotate through refresh).
 */
export const ScanViewport = z
  .object({
    scanId: ScanId,
    fingerprints: z
      .array(z.string().min(1, 'A fingerprint must not be empty').max(120, 'A fingerprint is at most 120 characters'))
      .max(VIEWPORT_MAX_ROWS, `At most ${VIEWPORT_MAX_ROWS} visible rows can be reported`),
  })
  .strict();
export type ScanViewport = z.infer<typeof ScanViewport>;

export const scannerMethods = {
  'scan.start': method('Start a scan (stops any running one); progress and results stream as events.', ScanRequest, z.object({ scanId: ScanId, planned: z.number().int() })),
  'scan.stop': method('Stop the running scan, or the auto-refresh of the last one.', z.object({ scanId: ScanId.optional() }).strict(), z.object({ stopped: z.boolean() })),
  'scan.viewport': method(
    'Report the result rows visible in the grid; auto-refresh re-quotes their legs first. A viewport for a scan that is no longer the current one is ignored (applied: false).',
    ScanViewport,
    z.object({ applied: z.boolean() }),
  ),
  'scan.latest': method('The last progress and results, for a window that opens mid-scan.', z.object({}).strict(), z.object({ progress: ScanProgress.nullable(), results: ScanResults.nullable() })),
  'scan.presets': method('Saved scanner presets.', z.object({}).strict(), z.array(ScanPreset)),
  'scan.savePreset': method('Save (or replace by name) a scanner preset.', z.object({ preset: ScanPreset }).strict(), z.array(ScanPreset)),
  'scan.deletePreset': method('Delete a scanner preset by name.', z.object({ name: z.string().min(1).max(40) }).strict(), z.array(ScanPreset)),
};

export const scannerEvents = {
  'scan.progress': ScanProgress,
  'scan.results': ScanResults,
};

/** The scanner panel's form as last used (a preset without a name), restored when the panel opens. */
export const ScannerForm = ScanPreset.omit({ name: true });
export type ScannerForm = z.infer<typeof ScannerForm>;

/** The results grid's layout: column widths, order, visibility and sort, plus its filter model. */
export const ScannerGridState = z
  .object({
    columns: z
      .array(
        z
          .object({
            colId: z.string().min(1).max(40),
            width: z.number().min(10).max(2000).optional(),
            hide: z.boolean().optional(),
            sort: z.enum(['asc', 'desc']).nullable().optional(),
            sortIndex: z.number().int().min(0).nullable().optional(),
            pinned: z.enum(['left', 'right']).nullable().optional(),
          })
          .strict(),
      )
      .max(60),
    filterModel: z.record(z.string().max(40), z.unknown()),
  })
  .strict();
export type ScannerGridState = z.infer<typeof ScannerGridState>;
