// Market facts: contracts and keys, OCC symbols, the NYSE calendar, New York time, option expiry and DTE.
//
// API summary (all pure; "now" is always an argument, instants are UTC epoch milliseconds):
//   Dates      IsoDate 'YYYY-MM-DD' · isoDate(y,m,d) · parseIsoDate('2025-01-17' | '20250117') · toIbDate
//              addDays · daysBetween · weekday · toEpochDay/fromEpochDay · easterSunday
//   Time zone  nyOffsetMinutes(ms) → −240|−300 · toNewYork(ms) → {date, hour, minute, …} · nyDate(ms)
//              fromNewYork(date, minuteOfDay) · nyInstant(date, h, m)   (US DST rules, no tz database)
//   Calendar   isTradingDay(date) · holidayName(date) · isEarlyClose(date) · tradingSession(date)
//              sessionState(ms) → 'pre'|'regular'|'post'|'closed' · next/previousTradingDay · listHolidays(y)
//   Expiry     expiryInstant(date, 'AM'|'PM') · expiryInstantFor(class, date) · daysToExpiry(ms, date)
//              yearsToExpiry(ms, expiryMs) (ACT/365) · isZeroDte · isExpired
//   Contracts  OptionRight 'C'|'P' · optionKey/parseOptionKey · underlyingKey · exerciseStyle(class)
//              settlementStyle(class) · strikeToString/strikeFromString (strikes in micros, exact)
//   OCC        parseOcc('SPY   250117C00590000') · formatOcc({root, expiry, right, strikeMicros})
export * from './dates';
export * from './timezone';
export * from './calendar';
export * from './expiry';
export * from './contracts';
export * from './occ';
