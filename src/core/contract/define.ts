// Contract building blocks: a method is a pair of zod schemas (args, result); an event is one schema.
import { z } from 'zod';
import type { Result } from '../result';

export interface MethodSpec<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly args: A;
  readonly result: R;
  readonly summary: string;
}

/** Declares one method; `args` is always a single object so calls can grow fields without breaking. */
export function method<A extends z.ZodObject, R extends z.ZodType>(summary: string, args: A, result: R): MethodSpec<A, R> {
  return { args, result, summary };
}

/** Error codes that cross the wire as values, never as thrown exceptions. */
export const ErrorCode = z.enum([
  'VALIDATION',      // arguments failed the contract schema
  'UNKNOWN_METHOD',  // no such method in the contract
  'NOT_FOUND',
  'CONFLICT',
  'UNAVAILABLE',     // the service cannot answer now (e.g. not connected)
  'RISK_DENIED',
  'BROKER',          // the broker said no; details carry its code
  'TIMEOUT',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ContractError = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.unknown().optional(),
});
export type ContractError = z.infer<typeof ContractError>;

/** What a method returns: the app's one Result shape (core/result.ts), carrying a ContractError. */
export type { Result } from '../result';
export { ok } from '../result';

export const err = (code: ErrorCode, message: string, details?: unknown): Result<never, ContractError> => ({
  ok: false,
  error: details === undefined ? { code, message } : { code, message, details },
});

/** Thrown inside handlers to return a typed error value; the dispatcher converts it. */
export class ContractFailure extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly details?: unknown) {
    super(message);
    this.name = 'ContractFailure';
  }
}
