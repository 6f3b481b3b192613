// Secrets sealed with a passphrase: scrypt derives an AES-256-GCM key; salt, nonce and tag travel
// with the ciphertext. Used for private keys at rest and for backups.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** salt (16) ‖ nonce (12) ‖ tag (16) ‖ ciphertext. */
export function seal(plain: Uint8Array, passphrase: string): Buffer {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', scryptSync(passphrase, salt, 32, SCRYPT), iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([salt, iv, cipher.getAuthTag(), body]);
}

/** The plain bytes, or undefined when the passphrase is wrong or the bytes were altered. */
export function unseal(sealed: Uint8Array, passphrase: string): Buffer | undefined {
  const bytes = Buffer.from(sealed);
  if (bytes.length < 44) return undefined;
  const decipher = createDecipheriv('aes-256-gcm', scryptSync(passphrase, bytes.subarray(0, 16), 32, SCRYPT), bytes.subarray(16, 28));
  decipher.setAuthTag(bytes.subarray(28, 44));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(44)), decipher.final()]);
  } catch {
    return undefined;
  }
}
