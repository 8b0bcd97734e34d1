// The IPC contract: every method and event the renderer and main may exchange, with zod schemas.
import type { z } from 'zod';
import { appEvents, appMethods } from './app';
import { connectionEvents, connectionMethods } from './connection';
import { settingsEvents, settingsMethods } from './settings';

export * from './define';
export * from './app';
export * from './settings';
export * from './connection';
export * from './settings-defaults';

export const methods = {
  ...appMethods,
  ...settingsMethods,
  ...connectionMethods,
} as const;

export const events = {
  ...appEvents,
  ...settingsEvents,
  ...connectionEvents,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodArgs<M extends MethodName> = z.input<Methods[M]['args']>;
export type MethodParsedArgs<M extends MethodName> = z.output<Methods[M]['args']>;
export type MethodResult<M extends MethodName> = z.output<Methods[M]['result']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export { METHOD_NAMES, EVENT_NAMES } from './names';
