// One worker thread of the pool (pool.ts): each named export is a task. Loading this module loads
// the contexts and warms jsonld, the schemas and the signature code, so a thread's first task is
// a warm one. A verification reads our own documents from its task, or asks the main thread for
// them on the port of its task.
import type { MessagePort } from 'node:worker_threads';
import { clearDocumentCache } from '../ob3/documents.js';
import { warmUp } from '../ob3/warm.js';
import { signBoth, verifyHere, type Answer, type Ask, type VerifyTask } from './tasks.js';

await warmUp();

const ASK_TIMEOUT_MS = 10_000;

/** Asks on `port`, one question at a time or several: answers come back by number. */
function asker(port: MessagePort): (path: string) => Promise<unknown> {
  const waiting = new Map<number, { resolve(document: unknown): void; reject(error: Error): void }>();
  let asked = 0;
  port.on('message', (answer: Answer) => {
    const waiter = waiting.get(answer.ask);
    waiting.delete(answer.ask);
    if (answer.error !== undefined) waiter?.reject(new Error(answer.error));
    else waiter?.resolve(answer.document);
  });
  return (path) => new Promise((resolve, reject) => {
    const ask = ++asked;
    const timer = setTimeout(() => { waiting.delete(ask); reject(new Error('no answer from the main thread')); }, ASK_TIMEOUT_MS);
    waiting.set(ask, {
      resolve: (document) => { clearTimeout(timer); resolve(document); },
      reject: (error) => { clearTimeout(timer); reject(error); },
    });
    port.postMessage({ ask, path } satisfies Ask);
  });
}

export const ready = (): true => true;
let epoch = 0;
export const verify = async (task: VerifyTask) => {
  if (task.epoch !== epoch) {
    clearDocumentCache();
    epoch = task.epoch;
  }
  const port = task.port!;
  const ask = asker(port);
  const { documents = {} } = task;
  try {
    return await verifyHere(task, (path) => (Object.hasOwn(documents, path) ? Promise.resolve(documents[path]) : ask(path)));
  } finally {
    port.close();
  }
};
export { signBoth };
