// Errors as values: the app's one result shape, a value or an error whose message is a sentence a trader can act on.
//
// Every fallible operation that a caller must handle returns Result<T, E>; E defaults to a code and a message.
// Domains narrow the code (the contract's ErrorCode, the journal's codes, a spread's issue list) but never the shape.

/** A reason code and the sentence the user sees. */
export interface Failure<C extends string = string> {
  readonly code: C;
  readonly message: string;
}

export type Result<T, E = Failure> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/** The success value. */
export const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });

/** A failure carrying its error. */
export const failed = <E>(error: E): { readonly ok: false; readonly error: E } => ({ ok: false, error });

/** A failure with a code and a sentence. */
export const failure = <C extends string>(code: C, message: string): { readonly ok: false; readonly error: Failure<C> } =>
  ({ ok: false, error: { code, message } });
