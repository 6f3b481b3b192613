// Starts Badgeons: configuration from the environment, the store (the SQLite file under DATA_DIR,
// or PostgreSQL at DATABASE_URL), the first admin, then the web app. `npm start` runs this file.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { databaseFile, loadConfig, type Config } from './config.js';
import { Ob3Error } from './ob3/errors.js';
import { AppError } from './shared/errors.js';
import { langFromLocale } from './ob3/messages.js';
import { resanitiseStoredSvgs } from './badge-classes/images.js';
import { bootstrapAdmin } from './accounts/accounts.js';
import { createContext, type Context, type LogSink } from './shared/context.js';
import { batchesStopped, interruptStaleBatches } from './issuing/issuing.js';
import { openPostgresStore } from './store/postgres/index.js';
import { openSqliteStore } from './store/sqlite/index.js';
import { createApp } from './web/app.js';
import { warmVerifier } from './verifier/verifying.js';
import { warmUp } from './ob3/warm.js';
import { startWorkers, type Workers } from './workers/pool.js';

/** How long requests in flight get to finish when the server is asked to stop. */
const DRAIN_MS = 10_000;

export interface RunningServer {
  url: string;
  ctx: Context;
  server: Server;
  /** First start with no account: the one-time link to create the administrator (a secret: never logged). */
  setupLink?: string;
  close(): Promise<void>;
}

export async function openContext(config: Config, log?: LogSink, workers?: Workers): Promise<Context> {
  const store = config.databaseUrl ? await openPostgresStore(config.databaseUrl) : await openSqliteStore(databaseFile(config));
  return createContext(store, config, { ...(log ? { log } : {}), ...(workers ? { workers } : {}) });
}

/**
 * Listens on `config.port` (0: any free port). When PUBLIC_URL was not set, it follows the
 * port actually bound, so issuer DIDs point at this server.
 */
export async function startServer(config: Config, options: { log?: (line: string) => void; publicUrlFromPort?: boolean } = {}): Promise<RunningServer> {
  // A request has requestTimeoutMs to arrive whole (headers within half of it): a client that trickles
  // bytes to hold connections open is cut off with 408.
  const server = createServer({
    requestTimeout: config.requestTimeoutMs, headersTimeout: Math.ceil(config.requestTimeoutMs / 2),
    connectionsCheckingInterval: Math.min(30_000, Math.ceil(config.requestTimeoutMs / 4)),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  if (options.publicUrlFromPort) config = { ...config, publicUrl: `http://localhost:${port}` };
  // Worker threads warm up (contexts, suites) before the server takes its first request.
  const workers = await startWorkers({ threads: config.workers, maxQueue: config.verifyQueue });
  const ctx = await openContext(config, options.log, workers);
  // Every key must open now (sealed ones need BADGEONS_KEYS_PASSPHRASE), not at the first badge;
  // with a passphrase, keys still in clear are sealed here.
  try {
    ctx.keys.linkKey();
    for (const collective of await ctx.store.collectives.list()) ctx.keys.all(collective.id);
  } catch (error) {
    await Promise.all([ctx.store.close(), workers.close()]);
    server.close();
    throw error;
  }
  const app = await createApp(ctx);
  // Before the first request: what a first verification needs is loaded now, not when a recruiter tries the demo.
  const warmMs = await warmUp();
  const verifierMs = await warmVerifier(ctx);
  ctx.record('warm', { ms: warmMs, verifierMs, workers: workers.threads });
  server.on('request', app);
  server.keepAliveTimeout = 30_000;
  // SQLite is one process's database: whatever its batches were doing stopped with the last process.
  // On PostgreSQL another instance may be running batches: only those that stopped reporting are over.
  const interrupted = await interruptStaleBatches(ctx, ctx.store.kind === 'sqlite');
  if (interrupted) ctx.log(`Badgeons: ${interrupted} issuing batch(es) were interrupted by the last stop; badges saved before it are kept.`);
  const resanitised = await resanitiseStoredSvgs(ctx.store);
  if (resanitised) ctx.log(`Badgeons: ${resanitised} stored SVG picture(s) sanitised again.`);
  const first = await bootstrapAdmin(ctx);
  if (first?.created) ctx.log(`Badgeons: administrator account created for ${first.created}.`);
  if (first?.setupLink) ctx.log('Badgeons: no account yet; the link to create the administrator account is printed on the terminal (stderr).');
  return {
    url: `http://localhost:${port}`,
    ctx,
    server,
    ...(first?.setupLink ? { setupLink: first.setupLink } : {}),
    // Stops taking requests, lets those in flight finish (at most DRAIN_MS) and batches end after the
    // badge in hand (left interrupted, to be resumed), then closes the database.
    async close() {
      ctx.stop();
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
      await Promise.all([drained, batchesStopped()]);
      clearTimeout(force);
      await Promise.all([ctx.store.close(), workers.close()]);
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // Before anything runs: said in the language of the operator's LANG, with its code.
    process.stderr.write(`badgeons: ${error.code}: ${error.localized(langFromLocale(process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG))}\n`);
    process.exit(2);
  }
  const running = await startServer(config, { publicUrlFromPort: !process.env.PUBLIC_URL && config.port === 0 });
  running.ctx.log(`Badgeons is running at ${config.publicUrl} (data: ${config.dataDir}, keys: ${config.keysDir})`);
  // Plainly, for the person who ran `npm start`, and outside the structured log (it opens the first account).
  if (running.setupLink) process.stderr.write(`\nBadgeons: no account yet. Open this link to create the administrator account (valid 7 days):\n\n    ${running.setupLink}\n\n`);
  const stop = (signal: string) => {
    running.ctx.log(`Badgeons: ${signal}: finishing the requests in progress, then stopping.`);
    running.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    const message = error instanceof Ob3Error ? `${error.code}: ${error.localized(langFromLocale(process.env.LANG))}` : error instanceof Error ? error.message : String(error);
    process.stderr.write(`badgeons: cannot start: ${message}\n`);
    process.exit(1);
  });
}
