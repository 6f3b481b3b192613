// A test issuer: a fresh key, a did:web DID served by a DocumentServer, and a badge to sign.
import { buildCredential, type CredentialInput } from '../../src/ob3/build.js';
import { controllerDocument, verificationMethodId } from '../../src/ob3/did.js';
import { generateKey, type IssuerKey } from '../../src/ob3/keys.js';
import type { OpenBadgeCredential } from '../../src/ob3/model.js';
import type { DocumentServer } from './server.js';

export interface TestIssuer {
  did: string;
  key: IssuerKey;
  method: string;
  credential(overrides?: Partial<CredentialInput>): OpenBadgeCredential;
}

export function badgeInput(issuerId: string, overrides: Partial<CredentialInput> = {}): CredentialInput {
  return {
    issuer: { id: issuerId, type: ['Profile'], name: "Badgeons l'Ariège", url: 'https://badgeons.example.org' },
    achievement: {
      id: 'https://badgeons.example.org/achievements/travailler-en-equipe',
      name: 'Travailler en équipe',
      description: 'Reconnaît la capacité à coopérer au sein d’un groupe.',
      criteriaNarrative: '- A participé à un atelier collectif\n- A su **écouter** les autres',
      image: { url: 'https://badgeons.example.org/images/equipe.png', alt: 'Trois mains réunies' },
      achievementType: 'ext:SoftSkill',
      tags: ['coopération', 'écoute'],
      inLanguage: 'fr',
    },
    recipient: { email: 'Camille@Example.org', name: 'Camille', salt: 'sel-fixe' },
    evidence: [{ narrative: 'J’ai organisé le tour de parole pendant l’atelier.' }],
    validFrom: '2026-01-01T09:00:00Z',
    ...overrides,
  };
}

/** Publishes a did:web issuer with `keys` on `server` and returns it. */
export function publishIssuer(server: DocumentServer, name: string, key: IssuerKey = generateKey()): TestIssuer {
  const did = `${server.didWebHost}:issuers:${name}`;
  server.json(`/issuers/${name}/did.json`, controllerDocument(did, [key]));
  return {
    did, key, method: verificationMethodId(did, key),
    credential: (overrides) => buildCredential(badgeInput(did, overrides)),
  };
}
