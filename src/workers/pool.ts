// The CPU-bound work of badges — verifying a badge (RDFC canonicalisation is most of it, then the
// schema) and signing one with Data Integrity and as a VC-JWT — runs in a pool of worker threads
// (piscina), so the thread that serves pages never waits behind it and the other cores work. With no
// threads (BADGEONS_WORKERS=0, the CLI, the bench's reference) the same functions run in this thread.
// Our own documents (DID documents, status lists: the store lives here) that a badge names are read
// here and travel with its task; any other the worker asks this thread for, over a MessageChannel of
// its own, sent with the task. A task that need not wait for this thread runs through at once: with
// the documents read ahead, a thread's CPU per verification fell by a third (README, *Worker pool*).
// Verifications are admitted only while the queue has room: past it, 503 with Retry-After instead
// of unbounded latency. Signing is never refused (a batch waits its turn).
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { IssuerKey } from '../ob3/keys.js';
import type { OpenBadgeCredential, VerificationReport } from '../ob3/model.js';
import { AppError } from '../shared/errors.js';
import { clearDocumentCache } from '../ob3/documents.js';
import { signBoth, verifyHere, type Ask, type Answer, type SignedBoth, type VerifyTask } from './tasks.js';

/** One of our own documents by its path under PUBLIC_URL (read from the store), or undefined. */
export type OwnDocuments = (path: string) => Promise<unknown>;

export interface Workers {
  /** Worker threads (0: everything runs in this thread). */
  readonly threads: number;
  /** Tasks that run at once: threads × tasks per thread (1 in this thread). A batch signs this many badges at a time. */
  readonly concurrency: number;
  /**
   * Verifies a badge with the public verifier's resolver (`own` answers for our own documents). In
   * a worker thread, the documents at the paths `named` gives are read first and travel with the
   * task; any other is asked for on the task's line.
   */
  verify(task: Omit<VerifyTask, 'port' | 'epoch' | 'documents'>, own: OwnDocuments, named?: () => string[]): Promise<VerificationReport>;
  /** Signs a credential with Data Integrity and as VC-JWT, with one key. */
  signBoth(credential: OpenBadgeCredential, key: IssuerKey, verificationMethod: string): Promise<SignedBoth>;
  /** Throws BUSY (503, Retry-After) when verifications already wait beyond the queue bound. */
  admitVerification(): void;
  /** Forgets fetched documents (other issuers' lists and keys, kept a minute) in every thread. */
  forgetFetched(): Promise<void>;
  /** Tasks waiting for a thread, and completed since the start. */
  stats(): { queued: number; completed: number };
  close(): Promise<void>;
}

/**
 * Tasks one thread holds at once. A verification waits for the main thread's answers (our DID
 * documents, status lists) in the middle, and a batch saves one badge while the next is signed;
 * with one task per thread, the thread idled through each. Measured on 2 cores with one thread:
 * 16 connections on POST /api/v1/verify, 1 task 446/s, 4 tasks 766/s, 8 870/s, 16 919–951/s (no
 * pool: 589/s); issuing 500 badges, 2 at once 552–642/s, 8 624–800/s, 16 692–817/s (no pool: 600–676/s).
 */
const TASKS_PER_THREAD = 16;

/** Runs everything in this thread. */
export function inThisThread(): Workers {
  return {
    threads: 0,
    concurrency: 1,
    verify: (task, own) => verifyHere({ ...task, epoch: 0 }, own),
    signBoth: (credential, key, verificationMethod) => signBoth({ credential, key, verificationMethod }),
    admitVerification: () => undefined,
    forgetFetched: async () => clearDocumentCache(),
    stats: () => ({ queued: 0, completed: 0 }),
    close: async () => undefined,
  };
}

export interface PoolOptions {
  /** Worker threads (0: none, everything in this thread). */
  threads: number;
  /** Verifications allowed to wait for a thread before new ones get 503. */
  maxQueue?: number;
}

export const DEFAULT_MAX_QUEUE = 256;

/**
 * A private line between one verification in a worker and this thread: the worker asks for our
 * own documents on `port` (sent with the task), this thread answers from the store.
 */
function documentLine(own: OwnDocuments): { port: MessagePort; close(): void } {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (ask: Ask) => {
    const answer = (reply: Omit<Answer, 'ask'>) => port1.postMessage({ ask: ask.ask, ...reply } satisfies Answer);
    own(ask.path).then((document) => answer({ document }), (error: unknown) => answer({ error: error instanceof Error ? error.message : String(error) }));
  });
  return { port: port2, close: () => port1.close() };
}

/**
 * Our documents a verification will likely ask for, read before it starts: each question the
 * thread does not have to ask saves a round trip between threads. One that fails is left out,
 * so the thread asks and meets the same failure.
 */
async function readAhead(paths: string[], own: OwnDocuments): Promise<Record<string, unknown>> {
  const read = await Promise.all(paths.map((path) => own(path).then((document) => [[path, document] as const], () => [])));
  return Object.fromEntries(read.flat());
}

/** Starts the pool: every thread loads contexts and warms up before taking its first task. */
export async function startWorkers({ threads, maxQueue = DEFAULT_MAX_QUEUE }: PoolOptions): Promise<Workers> {
  if (threads <= 0) return inThisThread();
  const pool = new Piscina({
    filename: new URL('./worker.js', import.meta.url).href,
    minThreads: threads, maxThreads: threads, idleTimeout: Infinity, concurrentTasksPerWorker: TASKS_PER_THREAD,
    // Verification admits up to maxQueue (admitVerification); signing batches may queue beyond it.
    maxQueue: Infinity,
  });
  await Promise.all(Array.from({ length: threads }, () => pool.run(null, { name: 'ready' })));
  // Bumped to make every thread forget what it fetched, before the next verification it runs (the
  // number travels with the task: an idle piscina thread waits in Atomics.wait, not on its channel).
  let epoch = 0;
  let closed = false;
  // piscina would start a thread again for a task given after destroy(): a closed pool refuses it.
  const run = <T>(task: unknown, name: string, transferList?: MessagePort[]): Promise<T> =>
    (closed ? Promise.reject(new Error('the worker pool is closed')) : pool.run(task, { name, ...(transferList ? { transferList } : {}) }));
  return {
    threads,
    concurrency: threads * TASKS_PER_THREAD,
    verify: async (task, own, named) => {
      const documents = await readAhead(named?.() ?? [], own);
      const line = documentLine(own);
      try {
        return await run<VerificationReport>({ ...task, documents, port: line.port, epoch } satisfies VerifyTask, 'verify', [line.port]);
      } finally {
        line.close();
      }
    },
    signBoth: (credential, key, verificationMethod) => run({ credential, key, verificationMethod }, 'signBoth'),
    admitVerification: () => {
      if (pool.queueSize >= maxQueue) throw new AppError('BUSY', 503, { seconds: 2 });
    },
    forgetFetched: async () => {
      clearDocumentCache();
      epoch++;
    },
    stats: () => ({ queued: pool.queueSize, completed: pool.completed }),
    close: () => {
      closed = true;
      return pool.destroy();
    },
  };
}
