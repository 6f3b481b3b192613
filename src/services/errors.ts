// Errors a use case reports to a person: a stable code (the API/CLI contract), parameters for the
// message, and the HTTP status a page should answer with. Messages live in src/i18n.
import type { AppMessageKey } from '../i18n/index.js';

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
}
