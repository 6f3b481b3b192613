// Server configuration, from the environment, every value with a working default.
import path from 'node:path';

export interface Config {
  port: number;
  /** The address people and other software reach this instance at; issuer DIDs are built from it. */
  publicUrl: string;
  dataDir: string;
  keysDir: string;
  adminEmail?: string;
  adminPassword?: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT "${env.PORT}" is not a port number`);
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    throw new ConfigError(`PUBLIC_URL "${publicUrl}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError('PUBLIC_URL must be http(s)');
  return {
    port,
    publicUrl,
    dataDir: path.resolve(env.DATA_DIR || 'data'),
    keysDir: path.resolve(env.KEYS_DIR || 'keys'),
    ...(env.BADGEONS_ADMIN_EMAIL ? { adminEmail: env.BADGEONS_ADMIN_EMAIL } : {}),
    ...(env.BADGEONS_ADMIN_PASSWORD ? { adminPassword: env.BADGEONS_ADMIN_PASSWORD } : {}),
  };
}
