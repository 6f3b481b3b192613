// The CPU-bound work of badges — checking and making Data Integrity proofs (RDFC canonicalisation
// is almost all of it) and signing VC-JWTs — runs in a pool of worker threads (piscina), so the
// thread that serves pages never waits behind it and every core is used. With no threads
// (BADGEONS_WORKERS=0, the CLI, most tests) the same functions run in this thread.
// Verification requests are admitted only while the queue has room: past it, 503 with Retry-After
// instead of unbounded latency. Signing is never refused (a batch waits its turn).
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { IssuerKey } from '../ob3/keys.js';
import type { OpenBadgeCredential } from '../ob3/model.js';
import { checkProofJob, type ProofJob, type ProofRunner } from '../ob3/proof/data-integrity.js';
import { AppError } from '../shared/errors.js';
import { signBoth, type SignTask, type SignedBoth } from './tasks.js';

export interface Workers {
  /** Worker threads (0: everything runs in this thread). */
  readonly threads: number;
  /** Where embedded proofs are checked (a DocumentResolver's `runProof`). */
  readonly runProof: ProofRunner;
  /** Signs a credential with Data Integrity and as VC-JWT, with one key. */
  signBoth(credential: OpenBadgeCredential, key: IssuerKey, verificationMethod: string): Promise<SignedBoth>;
  /** Throws BUSY (503, Retry-After) when verifications already wait beyond the queue bound. */
  admitVerification(): void;
  /** Tasks waiting for a thread, and completed since the start. */
  stats(): { queued: number; completed: number };
  close(): Promise<void>;
}

/** Runs everything in this thread. */
export function inThisThread(): Workers {
  return {
    threads: 0,
    runProof: checkProofJob,
    signBoth: (credential, key, verificationMethod) => signBoth({ credential, key, verificationMethod }),
    admitVerification: () => undefined,
    stats: () => ({ queued: 0, completed: 0 }),
    close: async () => undefined,
  };
}

export interface PoolOptions {
  /** Worker threads; default: one per core. */
  threads?: number;
  /** Verifications allowed to wait for a thread before new ones get 503. */
  maxQueue?: number;
}

export const DEFAULT_MAX_QUEUE = 256;

/** Starts the pool: every thread loads contexts and warms up before taking its first task. */
export async function startWorkers({ threads = availableParallelism(), maxQueue = DEFAULT_MAX_QUEUE }: PoolOptions = {}): Promise<Workers> {
  if (threads <= 0) return inThisThread();
  const pool = new Piscina({
    filename: new URL('./worker.js', import.meta.url).href,
    minThreads: threads, maxThreads: threads,
    // Verification admits up to maxQueue; signing batches may queue beyond it.
    maxQueue: Infinity,
    idleTimeout: Infinity,
  });
  await Promise.all(Array.from({ length: threads }, () => pool.run(null, { name: 'ready' })));
  let closed = false;
  // piscina would start a thread again for a task given after destroy(): a closed pool refuses it.
  const run = <T>(task: unknown, name: string): Promise<T> =>
    (closed ? Promise.reject(new Error('the worker pool is closed')) : pool.run(task, { name }));
  return {
    threads,
    runProof: (job: ProofJob) => run(job, 'checkProof'),
    signBoth: (credential, key, verificationMethod) => run({ credential, key, verificationMethod } satisfies SignTask, 'signBoth'),
    admitVerification: () => {
      if (pool.queueSize >= maxQueue) throw new AppError('BUSY', 503, { seconds: 2 });
    },
    stats: () => ({ queued: pool.queueSize, completed: pool.completed }),
    close: () => { closed = true; return pool.destroy(); },
  };
}
