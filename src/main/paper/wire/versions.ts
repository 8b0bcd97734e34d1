// Server-version gates (MIN_SERVER_VER_*) that change message layouts within the range this exchange speaks.

export const SV = {
  MD_SIZE_MULTIPLIER: 110,
  UNREALIZED_PNL: 129,
  MARKET_CAP_PRICE: 131,
  REALIZED_PNL: 135,
  LAST_LIQUIDITY: 136,
  WHAT_IF_EXT_FIELDS: 142,
  ORDER_CONTAINER: 145,
  ENCODE_MSG_ASCII7: 153,
  PRICE_BASED_VOLATILITY: 156,
  FRACTIONAL_SIZE_SUPPORT: 163,
  SIZE_RULES: 164,
  ADVANCED_ORDER_REJECT: 166,
  MANUAL_ORDER_TIME: 169,
  PEGBEST_PEGMID_OFFSETS: 170,
  BOND_ISSUERID: 176,
  FA_PROFILE_DESUPPORT: 177,
  PENDING_PRICE_REVISION: 178,
  FUND_DATA_FIELDS: 179,
  LAST_TRADE_DATE: 182,
  CUSTOMER_ACCOUNT: 183,
  PROFESSIONAL_CUSTOMER: 184,
  BOND_ACCRUED_INTEREST: 185,
  INELIGIBILITY_REASONS: 186,
  RFQ_FIELDS: 187,
  INCLUDE_OVERNIGHT: 189,
  UNDO_RFQ_FIELDS: 190,
  CME_TAGGING_FIELDS: 192,
  CME_TAGGING_FIELDS_IN_OPEN_ORDER: 193,
} as const;

/** Highest version this exchange answers; above 200 the protocol turns to protobuf. */
export const MAX_SERVER_VERSION = 193;
/** Lowest version this exchange speaks (ib_insync/ib_async ask for 157..178). */
export const MIN_SERVER_VERSION = 157;

/**
 * The version to answer a client offering [min, max]: the highest both sides support, or null when
 * the ranges do not meet.
 */
export function negotiateVersion(clientMin: number, clientMax: number): number | null {
  const v = Math.min(clientMax, MAX_SERVER_VERSION);
  if (v < clientMin || v < MIN_SERVER_VERSION) return null;
  return v;
}
