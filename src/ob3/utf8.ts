// Strict UTF-8: badge text that is not valid UTF-8 is refused, never repaired with U+FFFD.
import { Ob3Error } from './errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new Ob3Error('UTF8_INVALID');
  }
}
