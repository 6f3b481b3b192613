// Record ids double as public URL segments (credentials, badge pages), so they must be unguessable.
import { randomBytes } from 'node:crypto';

/** Whether `value` has the shape of an id (checked before any lookup by a URL segment). */
export function isId(value: string): boolean {
  return /^[A-Za-z0-9_-]{22}$/.test(value);
}

/** 128 random bits, base64url (22 characters). */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}
