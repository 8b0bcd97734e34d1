// Price increments (ticks) for options and option combos, and rounding that always states its direction.
//
// Tick tables used here (minimum price variation per contract, US listed options):
//
//   table          below $3.00   at/above $3.00   applies to
//   PENNY_ALL      $0.01         $0.01            SPY, QQQ, IWM (Penny Interval Program, all prices)
//   PENNY          $0.01         $0.05            other Penny Interval Program classes (list changes twice a year)
//   NICKEL_DIME    $0.05         $0.10            non-penny classes; also SPX and SPXW (Cboe)
//   COMBO          $0.01         $0.01            net price of a multi-leg combo (BAG) order
//
// The issue text sketched non-penny classes as $0.01/$0.05; that is the Penny Program's rule, not the
// non-penny one, so this table follows the exchanges instead. An unknown class gets NICKEL_DIME: every price
// on that coarser grid is also on the finer grids, so a limit price we send can never be rejected for its
// increment. When IBKR's market rule for a contract is known (reqMarketRule price increments), build the
// exact table with tickTableFromIncrements and use it instead.
//
// Rounding never guesses a direction: callers say 'down' or 'up'. For orders, roundLimitPrice rounds a BUY
// limit down and a SELL limit up, so rounding never makes a price worse for us than the one asked for.
// Negative prices (credit BAG limits) are rounded by their magnitude on the same grid, mirrored.
import { type Micros, toMicros } from './money';

/** One band of a tick table: from this |price| upward (until the next band), prices are multiples of increment. */
export interface TickBand {
  readonly from: Micros;
  readonly increment: Micros;
}

/** Bands sorted by `from`, the first starting at 0. */
export type TickTable = readonly TickBand[];

/** Which way to round a price onto the tick grid. */
export type RoundDirection = 'down' | 'up';

const band = (from: number, increment: number): TickBand => ({ from: from as Micros, increment: increment as Micros });

/** $0.01 at every price (SPY, QQQ, IWM). */
export const TICKS_PENNY_ALL: TickTable = [band(0, 10_000)];
/** $0.01 below $3, $0.05 at/above $3 (Penny Interval Program classes). */
export const TICKS_PENNY: TickTable = [band(0, 10_000), band(3_000_000, 50_000)];
/** $0.05 below $3, $0.10 at/above $3 (non-penny classes, SPX, SPXW). */
export const TICKS_NICKEL_DIME: TickTable = [band(0, 50_000), band(3_000_000, 100_000)];
/** $0.01 at every price: the net price of an option combo (BAG). */
export const TICKS_COMBO: TickTable = [band(0, 10_000)];

const PENNY_ALL_CLASSES = new Set(['SPY', 'QQQ', 'IWM']);
// A deliberately short list of long-standing Penny Program members; anything else defaults to NICKEL_DIME.
const PENNY_CLASSES = new Set(['AAPL', 'AMZN', 'MSFT', 'NVDA', 'TSLA', 'META', 'AMD', 'GOOGL', 'NFLX', 'BAC', 'DIA', 'EEM', 'GLD', 'SLV', 'TLT', 'XLF']);

/** The tick table of a single option by trading class (see the table in the module header). */
export function optionTickTable(tradingClass: string): TickTable {
  const c = tradingClass.trim().toUpperCase();
  if (PENNY_ALL_CLASSES.has(c)) return TICKS_PENNY_ALL;
  if (PENNY_CLASSES.has(c)) return TICKS_PENNY;
  return TICKS_NICKEL_DIME;
}

/**
 * Builds a tick table from IBKR market-rule increments ({lowEdge, increment} in float dollars). Returns null
 * if the bands are not usable: unsorted, not starting at 0, or a band edge not on both neighbouring grids.
 */
export function tickTableFromIncrements(increments: readonly { lowEdge: number; increment: number }[]): TickTable | null {
  const bands = increments.map((i) => band(toMicros(i.lowEdge), toMicros(i.increment)));
  if (bands.length === 0 || bands[0]?.from !== 0) return null;
  for (let i = 0; i < bands.length; i++) {
    const b = bands[i] as TickBand;
    if (!(b.increment > 0) || b.from % b.increment !== 0) return null;
    const prev = bands[i - 1];
    if (prev && (b.from <= prev.from || b.from % prev.increment !== 0)) return null;
  }
  return bands;
}

function bandAt(absPrice: number, table: TickTable): TickBand {
  let found = table[0] as TickBand;
  for (let i = 1; i < table.length; i++) {
    const b = table[i] as TickBand;
    if (absPrice >= b.from) found = b;
    else break;
  }
  return found;
}

// Rounds a non-negative price onto the grid.
function roundAbs(p: number, table: TickTable, direction: RoundDirection): number {
  const inc = bandAt(p, table).increment;
  return (direction === 'down' ? Math.floor(p / inc) : Math.ceil(p / inc)) * inc;
}

/**
 * The nearest valid price in the given direction: 'down' → the largest valid price ≤ price, 'up' → the
 * smallest valid price ≥ price. A price already on the grid is returned unchanged.
 */
export function roundToTick(price: Micros, table: TickTable, direction: RoundDirection): Micros {
  if (price >= 0) return (roundAbs(price, table, direction) + 0) as Micros;
  return (0 - roundAbs(-price, table, direction === 'down' ? 'up' : 'down')) as Micros;
}

/** True when the price is a valid increment for the table (negative prices by magnitude). */
export function isOnTick(price: Micros, table: TickTable): boolean {
  const a = price < 0 ? -price : price;
  return a % bandAt(a, table).increment === 0;
}

/**
 * Rounds a limit price so it is never worse for us than asked: a BUY limit (the most we pay) rounds down, a
 * SELL limit (the least we accept) rounds up. Applies to BAG limits too, where a negative BUY limit means a
 * credit: rounding it down asks for a larger credit.
 */
export function roundLimitPrice(price: Micros, action: 'BUY' | 'SELL', table: TickTable): Micros {
  return roundToTick(price, table, action === 'BUY' ? 'down' : 'up');
}

/** The next valid price strictly above (up) or below (down) a price. */
export function nextTick(price: Micros, table: TickTable, direction: RoundDirection): Micros {
  return direction === 'up' ? roundToTick((price + 1) as Micros, table, 'up') : roundToTick((price - 1) as Micros, table, 'down');
}

/**
 * Moves n whole ticks along the grid (n > 0 up, n < 0 down); from an off-grid price the first step lands on
 * the adjacent grid price in the direction of the move. n = 0 returns the price unchanged.
 */
export function stepTicks(price: Micros, n: number, table: TickTable): Micros {
  if (Math.trunc(n) === 0) return price;
  const dir: RoundDirection = n > 0 ? 'up' : 'down';
  let p = roundToTick(price, table, dir === 'up' ? 'down' : 'up');
  for (let i = 0; i < Math.abs(Math.trunc(n)); i++) p = nextTick(p, table, dir);
  return p;
}

/** The increment that applies at a price (magnitude), e.g. $0.05 at $3.20 on PENNY. */
export function tickSizeAt(price: Micros, table: TickTable): Micros {
  return bandAt(price < 0 ? -price : price, table).increment;
}
