// What a worker thread does, also callable in this thread: plain data in, plain data out.
import type { IssuerKey } from '../ob3/keys.js';
import type { OpenBadgeCredential } from '../ob3/model.js';
import { signDataIntegrity } from '../ob3/proof/data-integrity.js';
import { signJwt } from '../ob3/proof/jwt.js';

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
