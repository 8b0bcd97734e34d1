// Risk: the trading state gate (pre-trade checks and breakers build on it).
export * from './trading-state';
export * from './types';
export * from './evaluate';
export * from './limits';
export * from './breakers';
