// Broker events: what the @stoqey/ib adapter emits (orders, fills, positions, P&L), validated at trust boundaries.
export * from './events';
