// Server configuration, from the environment, every value with a working default.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { AppError } from './shared/errors.js';

export interface Config {
  port: number;
  /** The address people and other software reach this instance at; issuer DIDs are built from it. */
  publicUrl: string;
  dataDir: string;
  keysDir: string;
  /** Seals the private keys under KEYS_DIR (keys found in clear are sealed at first use). */
  keysPassphrase?: string;
  /** postgres://… : PostgreSQL instead of the SQLite file under DATA_DIR (several app instances, one database). */
  databaseUrl?: string;
  adminEmail?: string;
  adminPassword?: string;
  /** Issuers (DIDs or URLs) this instance vouches for besides its own collectives; others get a warning. */
  knownIssuers: string[];
  /** host:port pairs the verifier may fetch from although they are private addresses (a test issuer, an intranet). */
  fetchAllowHosts: string[];
  fetchTimeoutMs: number;
  /** How long a client has to send a whole request (slow clients holding connections are cut off). */
  requestTimeoutMs: number;
  /** API and verifier requests per minute and client address. */
  rateLimitPerMinute: number;
  /** How long a learner's claim link works. */
  claimLinkDays: number;
  /** Each claim link comes with a 6-digit code that wallets ask for (OpenID4VCI tx_code). */
  walletPin: boolean;
  /** smtp(s)://user:pass@host:port; without it, messages are written to DATA_DIR/outbox. */
  smtpUrl?: string;
  mailFrom: string;
  /** Worker threads for signing and verifying (0: all in the main thread); default one per core but one (at most 4). */
  workers: number;
  /** Verifications that may wait for a worker before new ones are answered 503 (Retry-After). */
  verifyQueue: number;
}

/**
 * One worker thread per core but one (kept for pages and light requests), at most four: each
 * thread holds its own copy of the contexts, schemas and suites (about 100 MB). On one core, none.
 */
function defaultWorkers(): number {
  const cores = availableParallelism();
  return Math.min(cores - 1, 4);
}

/** The embedded database, when DATABASE_URL is not set. */
export const databaseFile = (config: Pick<Config, 'dataDir'>): string => path.join(config.dataDir, 'badgeons.sqlite');

function smtpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError('CONFIG_NOT_URL', 400, { name: 'SMTP_URL', value: '…', example: 'smtp://user:password@host:587' });
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new AppError('CONFIG_SCHEME', 400, { name: 'SMTP_URL', schemes: 'smtp:// / smtps://', hint: '' });
  return value;
}

function databaseUrl(value: string): string {
  if (!/^postgres(ql)?:\/\//.test(value)) throw new AppError('CONFIG_SCHEME', 400, { name: 'DATABASE_URL', schemes: 'postgres://', hint: ' (DATA_DIR/badgeons.sqlite when empty)' });
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AppError('CONFIG_NOT_PORT', 400, { value: String(env.PORT) });
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    throw new AppError('CONFIG_NOT_URL', 400, { name: 'PUBLIC_URL', value: publicUrl, example: 'https://badges.example.org' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AppError('CONFIG_SCHEME', 400, { name: 'PUBLIC_URL', schemes: 'https:// / http://', hint: '' });
  const list = (value: string | undefined) => (value ?? '').split(/[\s,]+/).filter(Boolean);
  const positive = (name: string, fallback: number, least = 1) => {
    const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
    if (!Number.isInteger(value) || value < least) throw new AppError('CONFIG_NOT_POSITIVE', 400, { name, value: String(env[name]) });
    return value;
  };
  const flag = (name: string, fallback: boolean) => {
    const value = (env[name] ?? '').trim().toLowerCase();
    if (value === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    throw new AppError('CONFIG_NOT_SWITCH', 400, { name, value: String(env[name]) });
  };
  return {
    port,
    publicUrl,
    dataDir: path.resolve(env.DATA_DIR || 'data'),
    keysDir: path.resolve(env.KEYS_DIR || 'keys'),
    ...(env.BADGEONS_KEYS_PASSPHRASE ? { keysPassphrase: env.BADGEONS_KEYS_PASSPHRASE } : {}),
    ...(env.DATABASE_URL ? { databaseUrl: databaseUrl(env.DATABASE_URL) } : {}),
    ...(env.BADGEONS_ADMIN_EMAIL ? { adminEmail: env.BADGEONS_ADMIN_EMAIL } : {}),
    ...(env.BADGEONS_ADMIN_PASSWORD ? { adminPassword: env.BADGEONS_ADMIN_PASSWORD } : {}),
    knownIssuers: list(env.BADGEONS_KNOWN_ISSUERS),
    fetchAllowHosts: list(env.BADGEONS_FETCH_ALLOW_HOSTS).map((h) => h.toLowerCase()),
    fetchTimeoutMs: positive('BADGEONS_FETCH_TIMEOUT_MS', 5000),
    requestTimeoutMs: positive('BADGEONS_REQUEST_TIMEOUT_MS', 30_000),
    rateLimitPerMinute: positive('BADGEONS_RATE_LIMIT', 120),
    claimLinkDays: positive('BADGEONS_CLAIM_LINK_DAYS', 90),
    walletPin: flag('BADGEONS_WALLET_PIN', true),
    ...(env.SMTP_URL ? { smtpUrl: smtpUrl(env.SMTP_URL) } : {}),
    mailFrom: env.MAIL_FROM || `Badgeons <badgeons@${url.hostname}>`,
    workers: positive('BADGEONS_WORKERS', defaultWorkers(), 0),
    verifyQueue: positive('BADGEONS_VERIFY_QUEUE', 256),
  };
}
