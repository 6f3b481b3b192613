// Which failures mean "what the check needs could not be had" — a key, or a JSON-LD context we do
// not bundle and never download — (verdict unverifiable) rather than "forged" (invalid).
import type { Ob3Error } from '../errors.js';

const UNREACHABLE = new Set<string>([
  'NETWORK_OFFLINE', 'FETCH_FAILED', 'FETCH_GONE', 'FETCH_TIMEOUT', 'FETCH_TOO_LARGE', 'URL_FORBIDDEN', 'URL_INVALID',
  'DOCUMENT_NOT_FOUND', 'DID_METHOD_UNSUPPORTED', 'DID_INVALID', 'VERIFICATION_METHOD_NOT_FOUND', 'KEY_UNREACHABLE',
  'CONTEXT_NOT_BUNDLED',
]);

export function isUnreachable(error: Ob3Error): boolean {
  return UNREACHABLE.has(error.code);
}
