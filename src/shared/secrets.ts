// Secrets handed out in cookies, links and headers (sessions, setup/reset/claim links, API tokens):
// 256 random bits each; only their SHA-256 is stored, so a copy of the database opens nothing.
// (Random secrets of that size need no slow hash, unlike passwords.)
import { createHash, randomBytes } from 'node:crypto';

export const newSecret = (): string => randomBytes(32).toString('base64url');
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('base64url');
