// One worker thread of the pool (pool.ts): each named export is a task. Loading this module loads
// the contexts and warms jsonld, the schemas and the signature code, so a thread's first task is
// a warm one. Our own documents are asked of the main thread over the pool's BroadcastChannel.
import { BroadcastChannel } from 'node:worker_threads';
import { workerData } from 'piscina';
import { clearDocumentCache } from '../ob3/documents.js';
import { warmUp } from '../ob3/warm.js';
import { signBoth, verifyHere, type Answer, type Ask, type VerifyTask } from './tasks.js';

await warmUp();

const ASK_TIMEOUT_MS = 10_000;
const channel = new BroadcastChannel((workerData as { channel: string }).channel);
const waiting = new Map<string, { resolve(document: unknown): void; reject(error: Error): void }>();
let asked = 0;
channel.onmessage = (event) => {
  const answer = (event as unknown as { data: Answer }).data;
  const key = `${answer.task}:${answer.ask}`;
  const waiter = waiting.get(key);
  if (!waiter) return; // another thread's answer, or a question's
  waiting.delete(key);
  if (answer.error !== undefined) waiter.reject(new Error(answer.error));
  else waiter.resolve(answer.document);
};
// The channel must not keep a finished thread alive.
(channel as unknown as { unref(): void }).unref();

function askMain(task: string, path: string): Promise<unknown> {
  const ask = ++asked;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { waiting.delete(`${task}:${ask}`); reject(new Error('no answer from the main thread')); }, ASK_TIMEOUT_MS);
    waiting.set(`${task}:${ask}`, {
      resolve: (document) => { clearTimeout(timer); resolve(document); },
      reject: (error) => { clearTimeout(timer); reject(error); },
    });
    channel.postMessage({ task, ask, path } satisfies Ask);
  });
}

export const ready = (): true => true;
let epoch = 0;
export const verify = (task: VerifyTask) => {
  if (task.epoch !== epoch) {
    clearDocumentCache();
    epoch = task.epoch;
  }
  return verifyHere(task, (path) => askMain(task.id, path));
};
export { signBoth };
