// The IPC contract: every method and event the renderer and main may exchange, with zod schemas.
import type { z } from 'zod';
import { appEvents, appMethods } from './app';
import { scannerEvents, scannerMethods } from './scanner';
import { brokerEvents, brokerMethods } from './broker';
import { connectionEvents, connectionMethods } from './connection';
import { diagnosticsEvents, diagnosticsMethods } from './diagnostics';
import { journalEvents, journalMethods } from './journal';
import { settingsEvents, settingsMethods } from './settings';
import { tradingEvents, tradingMethods } from './trading';
import { riskEvents, riskMethods } from './risk';
import { ordersEvents, ordersMethods } from './orders';
import { portfolioEvents, portfolioMethods } from './portfolio';
import { simEvents, simMethods } from './sim';
import { notificationEvents } from './notifications';

export * from './define';
export * from './app';
export * from './scanner';
export * from './settings';
export * from './trading';
export * from './connection';
export * from './broker';
export * from './diagnostics';
export * from './journal';
export * from './settings-defaults';
export * from './risk';
export * from './orders';
export * from './portfolio';
export * from './sim';
export * from './notifications';

export const methods = {
  ...tradingMethods,
  ...appMethods,
  ...scannerMethods,
  ...settingsMethods,
  ...connectionMethods,
  ...brokerMethods,
  ...diagnosticsMethods,
  ...journalMethods,
  ...riskMethods,
  ...ordersMethods,
  ...portfolioMethods,
  ...simMethods,
} as const;

export const events = {
  ...tradingEvents,
  ...appEvents,
  ...scannerEvents,
  ...settingsEvents,
  ...connectionEvents,
  ...brokerEvents,
  ...diagnosticsEvents,
  ...journalEvents,
  ...riskEvents,
  ...ordersEvents,
  ...portfolioEvents,
  ...simEvents,
  ...notificationEvents,
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
export * from './handlers';
