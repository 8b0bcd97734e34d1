// Orders: the order state machine, fill aggregation, the pricing ladder and the BAG ticket model.
export * from './state';
export * from './fills';
export * from './ladder';
export * from './ticket';
export * from './analytics';
export * from './labels';
