// The contract's method and event names as plain strings: the preload's allow-list (no zod in preload).
// A unit test keeps this list equal to the keys of `methods` and `events`.
export const METHOD_NAMES = [
  'app.info',
  'scan.start',
  'scan.stop',
  'scan.latest',
  'scan.presets',
  'scan.savePreset',
  'scan.deletePreset',
  'settings.get',
  'trading.get',
  'settings.update',
  'connection.get',
  'connection.connect',
  'connection.disconnect',
  'connection.tune',
  'diagnostics.snapshot',
  'diagnostics.prometheus',
  'journal.status',
  'journal.trades',
  'journal.summary',
  'journal.equityCurve',
  'journal.setNote',
  'journal.setTags',
  'journal.export',
  'journal.backup',
  'journal.reconcile',
] as const;

export const EVENT_NAMES = [
  'app.logged',
  'scan.progress',
  'scan.results',
  'settings.changed',
  'trading.status',
  'connection.status',
  'journal.updated',
] as const;
