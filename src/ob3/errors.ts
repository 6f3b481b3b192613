// One error class for the whole core: a stable `code` (a key of the message catalogue),
// the parameters of its message, and an English `message` for logs.
import type { Lang } from './model.js';
import { t, type MessageKey, type Params } from './messages.js';

export type ErrorCode = Extract<MessageKey, Uppercase<MessageKey>>;

export class Ob3Error extends Error {
  readonly code: ErrorCode;
  readonly params: Params;

  constructor(code: ErrorCode, params: Params = {}, options?: { cause?: unknown }) {
    super(t('en', code, params), options);
    this.name = 'Ob3Error';
    this.code = code;
    this.params = params;
  }

  /** The message in the user's language. */
  localized(lang: Lang): string {
    return t(lang, this.code, this.params);
  }
}

/** Turns anything thrown into an Ob3Error, keeping ours and wrapping the rest under `fallback`. */
export function toOb3Error(error: unknown, fallback: ErrorCode, params: Params = {}): Ob3Error {
  if (error instanceof Ob3Error) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new Ob3Error(fallback, { detail, ...params }, { cause: error });
}

/** Finds an Ob3Error anywhere in a cause chain (libraries wrap what our document loader throws). */
export function findOb3Error(error: unknown): Ob3Error | undefined {
  for (let e = error, depth = 0; e && depth < 8; depth++) {
    if (e instanceof Ob3Error) return e;
    const err = e as { cause?: unknown; errors?: unknown[]; details?: { cause?: unknown } };
    e = err.cause ?? err.details?.cause ?? err.errors?.[0];
  }
  return undefined;
}
