// Recipient identifiers (OB 3.0 B.1 IdentityObject): `sha256$<hex>` over identifier ‖ salt.
import { createHash, randomBytes } from 'node:crypto';
import type { IdentityObject } from './model.js';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function hashIdentity(identifier: string, salt = ''): string {
  return 'sha256$' + createHash('sha256').update(identifier + salt, 'utf8').digest('hex');
}

/** A salted, hashed IdentityObject: the identifier can be checked but not read back. */
export function hashedIdentity(identityType: string, value: string, salt = randomBytes(16).toString('hex')): IdentityObject {
  return { type: 'IdentityObject', identityHash: hashIdentity(value, salt), identityType, hashed: true, salt };
}

export function emailIdentity(email: string, salt?: string): IdentityObject {
  return hashedIdentity('emailAddress', normalizeEmail(email), salt);
}

/** Whether `identity` designates `value` (§9.3); tries the value as given and normalised. */
export function identityMatches(identity: IdentityObject, value: string): boolean {
  const candidates = [...new Set([value.trim(), normalizeEmail(value)])];
  if (!identity.hashed) return candidates.includes(String(identity.identityHash).trim());
  const [algorithm, expected] = String(identity.identityHash).split('$');
  if (!expected) return false;
  const digest = algorithm === 'md5' ? 'md5' : algorithm === 'sha256' ? 'sha256' : undefined;
  if (!digest) return false;
  return candidates.some(
    (c) => createHash(digest).update(c + (identity.salt ?? ''), 'utf8').digest('hex') === expected.toLowerCase(),
  );
}
