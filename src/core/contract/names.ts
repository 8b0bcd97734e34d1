// The contract's method and event names as plain strings: the preload's allow-list (no zod in preload).
// A unit test keeps this list equal to the keys of `methods` and `events`.
export const METHOD_NAMES = [
  'app.info',
  'settings.get',
  'settings.update',
  'connection.get',
  'connection.connect',
  'connection.disconnect',
  'connection.tune',
  'diagnostics.snapshot',
  'diagnostics.prometheus',
] as const;

export const EVENT_NAMES = [
  'app.logged',
  'settings.changed',
  'connection.status',
] as const;
