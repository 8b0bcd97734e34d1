// Handlers: the shape services implement for the contract's methods, declared here so services never import a transport.
import type { MethodName, MethodParsedArgs, MethodResult } from './index';

export interface CallContext {
  /** Which transport delivered the call, for logs. */
  transport: 'electron' | 'ws' | 'direct';
}

export type Handler<M extends MethodName> = (args: MethodParsedArgs<M>, ctx: CallContext) => Promise<MethodResult<M>> | MethodResult<M>;
/** One handler per contract method; each service contributes a `Pick<HandlerMap, …>` spread into services/app.ts. */
export type HandlerMap = { [M in MethodName]: Handler<M> };
export type PartialHandlerMap = Partial<HandlerMap>;
