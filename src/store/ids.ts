// Record ids double as public URL segments (credentials, badge pages), so they must be unguessable.
import { randomBytes } from 'node:crypto';

/** 128 random bits, base64url (22 characters). */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}
