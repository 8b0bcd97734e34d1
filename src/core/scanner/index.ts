// The scanner engine's public API: chain snapshots, the engine, row order, merging, checks and request planning.
export * from './chain';
export * from './engine';
export * from './fingerprint';
export * from './filters';
export * from './heap';
export * from './merge';
export * from './check';
export { KIND_SPECS, buildRow, candidateMetrics, scoreOf, quoteValid, midOf, type KindSpec, type ModelContext, type CandidateMetrics } from './metrics';
export { normCdf, probAbove, expectedCallPayoff, expectedPutPayoff, bsmPrice, bsmDelta } from './math';
export { syntheticChain, type SyntheticChainSpec } from './synthetic';
export * from './plan';
export * from './delta';
export * from './guided';
export * from './dividends';
