// The journal's pure domain (broker events themselves are core/broker's): order-state rules, reconciliation, trade records, analytics and CSV.
export * from './units';
export * from './orderState';
export * from './model';
export * from './reconcile';
export * from './trades';
export * from './analytics';
export * from './intent';
export * from './csv';
export * from './expiry';
