// Starts Badgeons: configuration from the environment, the SQLite store under DATA_DIR,
// the first admin, then the web app. `npm start` runs this file.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig, type Config } from './config.js';
import { bootstrapAdmin } from './services/accounts.js';
import { createContext, type Context } from './services/context.js';
import { openSqliteStore } from './store/sqlite/index.js';
import { createApp } from './web/app.js';

export interface RunningServer {
  url: string;
  ctx: Context;
  server: Server;
  close(): Promise<void>;
}

export function openContext(config: Config, log?: (line: string) => void): Context {
  const store = openSqliteStore(path.join(config.dataDir, 'badgeons.sqlite'));
  return createContext(store, config, log ? { log } : {});
}

/**
 * Listens on `config.port` (0: any free port). When PUBLIC_URL was not set, it follows the
 * port actually bound, so issuer DIDs point at this server.
 */
export async function startServer(config: Config, options: { log?: (line: string) => void; publicUrlFromPort?: boolean } = {}): Promise<RunningServer> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  if (options.publicUrlFromPort) config = { ...config, publicUrl: `http://localhost:${port}` };
  const ctx = openContext(config, options.log);
  const app = await createApp(ctx);
  server.on('request', app);
  server.keepAliveTimeout = 30_000;
  const interrupted = await ctx.store.jobs.interruptRunning();
  if (interrupted) ctx.log(`Badgeons: ${interrupted} issuing batch(es) were interrupted by the last stop; badges saved before it are kept.`);
  const first = await bootstrapAdmin(ctx);
  if (first?.created) ctx.log(`Badgeons: administrator account created for ${first.created}.`);
  if (first?.setupLink) ctx.log(`Badgeons: no account yet. Open this link to create the administrator account:\n  ${first.setupLink}`);
  return {
    url: `http://localhost:${port}`,
    ctx,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ctx.store.close();
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`badgeons: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const running = await startServer(config, { publicUrlFromPort: !process.env.PUBLIC_URL && config.port === 0 });
  running.ctx.log(`Badgeons is running at ${config.publicUrl} (data: ${config.dataDir}, keys: ${config.keysDir})`);
  const stop = () => { running.close().then(() => process.exit(0), () => process.exit(1)); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`badgeons: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
