// Warming up at start: a first signature and verification load and compile what every later one
// reuses (JSON-LD contexts, canonicalisation, the official schemas, the suites), so the first badge a
// recruiter verifies after a restart is as quick as the tenth. Offline: a did:key, nothing fetched.
import { buildCredential } from './build.js';
import { controllerDocument, verificationMethodId } from './did.js';
import { DocumentResolver } from './documents.js';
import { generateKey } from './keys.js';
import type { OpenBadgeCredential } from './model.js';
import { signDataIntegrity } from './proof/data-integrity.js';
import { signJwt } from './proof/jwt.js';
import { encodeBitstring, STATUS_LIST_MIN_ENTRIES } from './status.js';
import { verify } from './verify/index.js';

/** A plain, complete OB 3.0 credential issued by `did` (also the bench's sample). */
export function sampleCredential(did: string): OpenBadgeCredential {
  return buildCredential({
    issuer: { id: did, type: ['Profile'], name: "Badgeons l'Ariège" },
    achievement: {
      id: 'https://badgeons.example.org/achievements/travailler-en-equipe',
      name: 'Travailler en équipe', description: 'Coopérer au sein d’un groupe.',
      criteriaNarrative: 'A participé à un atelier et su écouter les autres.',
      image: { url: 'https://badgeons.example.org/images/equipe.png', alt: 'Trois mains réunies' },
      achievementType: 'ext:SoftSkill', tags: ['coopération'], inLanguage: 'fr',
    },
    recipient: { email: 'camille@example.org', name: 'Camille' },
    evidence: [{ narrative: 'J’ai organisé le tour de parole.' }],
    validFrom: '2026-01-01T00:00:00Z',
  });
}

const WARM_ROUNDS = 40;

/**
 * Signs and verifies a sample badge in both forms, a few dozen times, as the server meets them: a
 * did:web issuer and a revocation list (documents given locally, nothing fetched). Returns how
 * long it took (ms). Never throws.
 */
export async function warmUp(): Promise<number> {
  const start = performance.now();
  try {
    const key = generateKey();
    const did = 'did:web:warm.badgeons.invalid';
    const method = verificationMethodId(did, key);
    const listUrl = 'https://warm.badgeons.invalid/status/1';
    const list = await signDataIntegrity({
      '@context': ['https://www.w3.org/ns/credentials/v2'], id: listUrl, type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: did, validFrom: '2026-01-01T00:00:00Z',
      credentialSubject: { id: `${listUrl}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: encodeBitstring(STATUS_LIST_MIN_ENTRIES) },
    } as unknown as OpenBadgeCredential, { key, verificationMethod: method });
    const resolver = new DocumentResolver({ offline: true, documents: { [did]: controllerDocument(did, [key]), [listUrl]: list } });
    const credential: OpenBadgeCredential = {
      ...sampleCredential(did),
      credentialStatus: { id: `${listUrl}#7`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '7', statusListCredential: listUrl },
    };
    // Rounds, not one: the JIT compiles the hot paths of canonicalisation only after they have run a while.
    for (let round = 0; round < WARM_ROUNDS; round++) {
      const [signed, jwt] = await Promise.all([signDataIntegrity(credential, { key, verificationMethod: method, resolver }), signJwt(credential, key, method)]);
      await verify(signed, { resolver, now: new Date('2026-06-01T00:00:00Z') });
      await verify(jwt, { resolver, now: new Date('2026-06-01T00:00:00Z') });
    }
  } catch {
    // A warm-up that fails only leaves the first real verification slower.
  }
  return Math.round(performance.now() - start);
}
