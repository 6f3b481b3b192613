// What a worker thread does, also callable in this thread: plain data in, plain data out.
import type { MessagePort } from 'node:worker_threads';
import type { IssuerKey } from '../ob3/keys.js';
import type { Lang, OpenBadgeCredential, VerificationReport } from '../ob3/model.js';
import { signDataIntegrity } from '../ob3/proof/data-integrity.js';
import { signJwt } from '../ob3/proof/jwt.js';
import { verify, type VerifyInput } from '../ob3/verify/index.js';
import { verifierResolver, type VerifierSettings } from '../verifier/resolver.js';

export interface SignTask {
  credential: OpenBadgeCredential;
  key: IssuerKey;
  verificationMethod: string;
}
export interface SignedBoth {
  signed: OpenBadgeCredential;
  jwt: string;
}

export async function signBoth({ credential, key, verificationMethod }: SignTask): Promise<SignedBoth> {
  const [signed, jwt] = await Promise.all([signDataIntegrity(credential, { key, verificationMethod }), signJwt(credential, key, verificationMethod)]);
  return { signed, jwt };
}

export interface VerifyTask {
  /** In a worker: where to ask the main thread for our own documents. */
  port?: MessagePort;
  /** Our own documents read ahead, by path (undefined: not one of ours); others are asked on `port`. */
  documents?: Record<string, unknown>;
  /** The pool's forgetting epoch: a thread that saw an older one forgets what it fetched first. */
  epoch: number;
  /** Bytes arrive in a worker as a Uint8Array. */
  input: VerifyInput | Uint8Array;
  lang: Lang;
  /** The verifier's clock, as an ISO date. */
  now: string;
  recipient?: string;
  settings: VerifierSettings;
}
/** A worker's question for one of our documents, and the answer. */
export interface Ask { ask: number; path: string }
export interface Answer { ask: number; document?: unknown; error?: string }

export function verifyHere(task: VerifyTask, own: (path: string) => Promise<unknown>): Promise<VerificationReport> {
  const input = task.input instanceof Uint8Array && !Buffer.isBuffer(task.input)
    ? Buffer.from(task.input.buffer, task.input.byteOffset, task.input.byteLength) : task.input as VerifyInput;
  return verify(input, {
    lang: task.lang, now: new Date(task.now), resolver: verifierResolver(task.settings, own), ...(task.recipient ? { recipient: task.recipient } : {}),
  });
}
