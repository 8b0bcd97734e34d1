// The dispatcher: one loop for every transport — validate args, run the handler, return a result value.
import {
  ContractFailure,
  type CallContext,
  type Handler,
  type HandlerMap,
  methods,
  type ContractError,
  type MethodName,
  type Result,
} from '../../core/contract';
import { issueSentence, issuesSentence } from './issues';

/** @deprecated Import HandlerMap, Handler and CallContext from core/contract; kept so branches written before the move still build. */
export type { CallContext, Handler, HandlerMap, PartialHandlerMap } from '../../core/contract';

export interface Dispatcher {
  dispatch(method: unknown, args: unknown, ctx: CallContext): Promise<Result<unknown, ContractError>>;
}

export function createDispatcher(handlers: HandlerMap, options: { onInternalError?: (method: string, e: unknown) => void; validateResults?: boolean } = {}): Dispatcher {
  return {
    async dispatch(method, rawArgs, ctx) {
      if (typeof method !== 'string' || !Object.hasOwn(methods, method)) {
        return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method: ${String(method).slice(0, 80)}` } };
      }
      const name = method as MethodName;
      const spec = methods[name];
      const parsed = spec.args.safeParse(rawArgs ?? {});
      if (!parsed.success) {
        return {
          ok: false,
          // A sentence about the value that is wrong; `details` keep each issue's path so the UI can put it on the field.
          error: {
            code: 'VALIDATION',
            message: issuesSentence(parsed.error.issues, rawArgs),
            details: parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String), message: i.message, sentence: issueSentence(i, rawArgs) })),
          },
        };
      }
      try {
        const handler = handlers[name] as Handler<MethodName> | undefined;
        // The type system requires every handler; this guards maps assembled loosely (tests, partial builds).
        if (!handler) return { ok: false, error: { code: 'UNAVAILABLE', message: `${name} is not available in this build.` } };
        const value = await handler(parsed.data as never, ctx);
        if (options.validateResults) spec.result.parse(value);
        return { ok: true, value };
      } catch (e) {
        if (e instanceof ContractFailure) {
          const error: ContractError = e.details === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, details: e.details };
          return { ok: false, error };
        }
        options.onInternalError?.(name, e);
        return { ok: false, error: { code: 'INTERNAL', message: `${name} failed unexpectedly; the details are in the log.` } };
      }
    },
  };
}
