// One problem model. A use case, the configuration and the CLI report a problem as an AppError: a
// stable code (the API/CLI contract), parameters for the message, and an HTTP status; messages live
// in the features' messages.ts and are translated at the edge. The pure core throws Ob3Error (its own
// catalogue); `problemOf` turns anything thrown into one Problem, which each edge renders once: an
// HTML page (web/render.ts), JSON `{error: {code, reason?, message}}` (web/routes/api.ts), OAuth's
// `{error, error_description}` (wallets/routes.ts) and a line on stderr (cli/index.ts, server.ts).
import { translate, type AppMessageKey } from '../i18n/index.js';
import { Ob3Error } from '../ob3/errors.js';
import type { Lang } from '../ob3/model.js';

export type AppErrorCode = Extract<AppMessageKey, `error.${string}`> extends `error.${infer C}` ? C : never;

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    readonly status = 400,
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
    this.name = 'AppError';
  }

  get messageKey(): AppMessageKey {
    return `error.${this.code}` as AppMessageKey;
  }

  /** A `reasonCode` parameter names a `reason.*` message, translated too (as `{reason}`), so no language mixes. */
  localized(lang: Lang): string {
    const { reasonCode } = this.params;
    const params = reasonCode === undefined ? this.params : { ...this.params, reason: translate(lang, `reason.${reasonCode}` as AppMessageKey, this.params) };
    return translate(lang, this.messageKey, params);
  }
}

/** What every edge shows of a problem: its code, its HTTP status, its message in the reader's language. */
export interface Problem {
  code: string;
  status: number;
  params: Record<string, unknown>;
  localized(lang: Lang): string;
  /** Not a problem the person caused or can act on: logged with its stack, shown as INTERNAL. */
  unexpected?: true;
}

/** HTTP status of a core error reaching a person: a document elsewhere failing is 502, our own keys 500, the rest their input. */
function coreStatus(code: string): number {
  if (/^(FETCH_|NETWORK_|URL_|DOCUMENT_)/.test(code)) return 502;
  if (/^(KEY_PASSPHRASE|KEY_FILE|SIGN_FAILED)/.test(code)) return 500;
  return 400;
}

const internal: Problem = { code: 'INTERNAL', status: 500, params: {}, localized: (lang) => translate(lang, 'error.INTERNAL'), unexpected: true };

/** Anything thrown, as the one Problem the edges render. */
export function problemOf(error: unknown): Problem {
  if (error instanceof AppError) return error;
  if (error instanceof Ob3Error) return { code: error.code, status: coreStatus(error.code), params: error.params, localized: (lang) => error.localized(lang) };
  // Express's body parsers: a body too large, or one that does not parse.
  const e = error as { type?: string; status?: number } | undefined;
  if (e?.type === 'entity.too.large') return new AppError('UPLOAD_TOO_LARGE', 413);
  if (e?.type && e.status && e.status < 500) return new AppError('FORM_UNREADABLE', 400);
  return internal;
}
