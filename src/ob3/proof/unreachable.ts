// Which failures mean "no key could be had" (verdict unverifiable) rather than "forged" (invalid).
import type { Ob3Error } from '../errors.js';

const UNREACHABLE = new Set<string>([
  'NETWORK_OFFLINE', 'FETCH_FAILED', 'FETCH_GONE', 'FETCH_TIMEOUT', 'FETCH_TOO_LARGE', 'URL_FORBIDDEN', 'URL_INVALID',
  'DOCUMENT_NOT_FOUND', 'DID_METHOD_UNSUPPORTED', 'DID_INVALID', 'VERIFICATION_METHOD_NOT_FOUND', 'KEY_UNREACHABLE',
]);

export function isUnreachable(error: Ob3Error): boolean {
  return UNREACHABLE.has(error.code);
}
