// Proofs: the Implementation Guide test vector, our signatures read by independent software,
// and the legacy forms a verifier must keep accepting.
// Our jsonld changes load before jsonld itself, as in the app (src/ob3/jsonld-speed.ts).
import '../src/ob3/jsonld-speed.js';
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import { CompactSign, exportJWK } from 'jose';
import jsonld from 'jsonld';
import { controllerDocument, didKeyFor, verificationMethodId } from '../src/ob3/did.js';
import { DocumentResolver } from '../src/ob3/documents.js';
import { generateKey, keyFromSeed } from '../src/ob3/keys.js';
import type { JsonObject, OpenBadgeCredential } from '../src/ob3/model.js';
import { signDataIntegrity } from '../src/ob3/proof/data-integrity.js';
import { signJwt } from '../src/ob3/proof/jwt.js';
import { verify } from '../src/ob3/verify/index.js';
import { FIXTURES, SPEC, readJson, readText } from './helpers/fixtures.js';
import { badgeInput } from './helpers/issuer.js';
import { buildCredential } from '../src/ob3/build.js';
import { startDocumentServer, type DocumentServer } from './helpers/server.js';

const VECTOR = path.join(FIXTURES, 'impl-guide', 'ldp-test-vector');
const NOW = new Date('2026-11-22T12:00:00Z');
const offline = new DocumentResolver({ offline: true });

describe('proofs', () => {
  describe('Implementation Guide eddsa-rdfc-2022 test vector', () => {
    const keypair = readJson(path.join(VECTOR, 'keypair.json'));
    const values = readJson(path.join(VECTOR, 'intermediate-values.json'));
    const unsigned = readJson(path.join(VECTOR, 'credential.unsigned.json')) as unknown as OpenBadgeCredential;
    const expected = readJson(path.join(VECTOR, 'credential.signed.json'));
    const key = keyFromSeed(Buffer.from(String(keypair.secretKeyHex).slice(0, 64), 'hex'));
    const loader = offline.jsonldLoader();

    it('derives the published public key from the published secret key', () => {
      expect(key.publicKeyMultibase).to.equal(keypair.publicKeyMultibase);
    });

    it('canonicalizes the document to the published N-Quads and hash', async () => {
      const nquads = await jsonld.canonize(unsigned, { algorithm: 'RDFC-1.0', format: 'application/n-quads', documentLoader: loader, safe: true });
      expect(nquads).to.equal(readText(path.join(VECTOR, 'document-canon.nq')) + '\n');
      expect(createHash('sha256').update(nquads).digest('hex')).to.equal(values.documentHashHex);
    });

    it('reproduces the signed credential byte for byte', async () => {
      const signed = await signDataIntegrity(unsigned, {
        key, verificationMethod: String(keypair.id), created: '2010-01-01T19:23:24Z',
      });
      expect(JSON.stringify(signed)).to.equal(JSON.stringify(expected));
      const proof = signed.proof as JsonObject;
      expect(proof.proofValue).to.equal(values.proofValue);
    });
  });

  describe('our faster jsonld (src/ob3/jsonld-speed.ts) canonicalises exactly as plain jsonld', () => {
    const PLAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'helpers', 'canonize-plain.js');
    const canonizePlain = (documents: object[]) => new Promise<string[]>((resolve, reject) => {
      const child = execFile(process.execPath, [PLAIN], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) =>
        (error ? reject(error) : resolve(JSON.parse(stdout) as string[])));
      child.stdin!.end(JSON.stringify(documents));
    });
    const canonizeOurs = (document: object) =>
      jsonld.canonize(document, { algorithm: 'RDFC-1.0', format: 'application/n-quads', documentLoader: offline.jsonldLoader(), safe: true })
        .catch((error: unknown) => `error: ${error instanceof Error ? error.message : String(error)}`);
    /** Each credential, and its proof configuration as a Data Integrity suite canonicalises it. */
    const withProofConfigurations = (credential: JsonObject): JsonObject[] => [
      credential,
      ...([] as JsonObject[]).concat((credential.proof as JsonObject[]) ?? []).map(({ proofValue: _value, ...proof }) =>
        ({ '@context': credential['@context'], ...proof })),
    ];

    it('every spec and Implementation Guide example, its proof configurations and a badge of ours: the same N-Quads, twice', async function () {
      this.timeout(60_000);
      const files = [
        ...readdirSync(SPEC).filter((f) => f.endsWith('.json')).map((f) => path.join(SPEC, f)),
        ...readdirSync(path.join(FIXTURES, 'impl-guide')).filter((f) => f.endsWith('.json')).map((f) => path.join(FIXTURES, 'impl-guide', f)),
        path.join(VECTOR, 'credential.signed.json'),
      ];
      const documents = files.map(readJson).filter((d) => d['@context']).flatMap(withProofConfigurations);
      documents.push(...withProofConfigurations(await signDataIntegrity(
        buildCredential(badgeInput(didKeyFor(generateKey().publicKeyMultibase))), { key: generateKey(), verificationMethod: 'did:example:1#k' })));
      // One scoped context met onto one active context both ways: as a type's (the node is a "knows") and as a
      // property's (the "knows" of the nested node, where the type's context no longer applies).
      documents.push({
        '@context': { '@vocab': 'https://example.org/', knows: { '@id': 'https://example.org/knows', '@context': { name: 'https://example.org/scopedName' } } },
        '@type': 'knows', other: { knows: { name: 'x' } },
      });
      expect(documents.length).to.be.greaterThan(30);
      const plain = await canonizePlain(documents);
      const first: string[] = [];
      for (const document of documents) first.push(await canonizeOurs(document));
      const again: string[] = [];
      for (const document of documents) again.push(await canonizeOurs(document));
      expect(first).to.deep.equal(plain);
      expect(again).to.deep.equal(plain);
      expect(plain.filter((nquads) => !nquads.startsWith('error:')).length).to.be.greaterThan(30);
    });
  });

  describe('our faster jsonld keeps safe mode as strict as plain jsonld', () => {
    it('a scoped context that raises an event is refused in safe mode even after it was processed leniently', async () => {
      // "@foo" is a reserved-looking term: jsonld drops it with a warning, which safe mode turns into an error.
      const document = {
        '@context': { '@vocab': 'https://example.org/', Thing: { '@id': 'https://example.org/Thing', '@context': { '@foo': 'https://example.org/foo' } } },
        '@type': 'Thing', name: 'x',
      };
      const canonize = (safe: boolean) => jsonld.canonize(document, { algorithm: 'RDFC-1.0', format: 'application/n-quads', documentLoader: offline.jsonldLoader(), safe });
      expect(await canonize(false)).to.include('<https://example.org/name> "x"');
      let refused: unknown;
      await canonize(true).catch((error: unknown) => { refused = error; });
      expect(String(refused)).to.match(/safe mode|reserved/i);
    });
  });

  describe('Data Integrity made by Badgeons', () => {
    const key = generateKey();
    const did = didKeyFor(key.publicKeyMultibase);
    const method = verificationMethodId(did, key);

    it('verifies in plain @digitalbazaar/vc with the same contexts', async () => {
      const signed = await signDataIntegrity(buildCredential(badgeInput(did)), { key, verificationMethod: method });
      const documents = { [method]: { '@context': 'https://w3id.org/security/multikey/v1', ...controllerDocument(did, [key]).verificationMethod![0] }, [did]: controllerDocument(did, [key]) };
      const result = await vc.verifyCredential({
        credential: signed,
        suite: new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }),
        documentLoader: offline.jsonldLoader(documents),
        now: NOW,
      });
      expect(result.verified, JSON.stringify(result.error)).to.equal(true);
    });

    it('fails when any signed field changes', async () => {
      const signed = await signDataIntegrity(buildCredential(badgeInput(did)), { key, verificationMethod: method });
      const tampered = structuredClone(signed);
      tampered.credentialSubject.achievement.name = 'Parler en public';
      const report = await verify(tampered, { offline: true, now: NOW, lang: 'en' });
      expect(report.verdict).to.equal('invalid');
      expect(report.checks.find((c) => c.id === 'proof')!.status).to.equal('fail');
    });
  });

  describe('formats verifiers must keep accepting', () => {
    let server: DocumentServer;
    before(async () => { server = await startDocumentServer(); });
    after(() => server.close());

    it('accepts Ed25519Signature2020 proofs', async () => {
      const key = generateKey();
      const did = didKeyFor(key.publicKeyMultibase);
      const method = verificationMethodId(did, key);
      const credential = buildCredential(badgeInput(did));
      credential['@context'].push('https://w3id.org/security/suites/ed25519-2020/v1');
      const { Ed25519VerificationKey2020 } = await import('@digitalbazaar/ed25519-verification-key-2020' as string);
      const jwk = key.privateKey.export({ format: 'jwk' });
      const seed = Buffer.from(jwk.d!, 'base64url');
      const keyPair = await Ed25519VerificationKey2020.generate({ seed, id: method, controller: did });
      const suite = new Ed25519Signature2020({ key: keyPair } as object);
      const signed = await vc.issue({ credential, suite, documentLoader: offline.jsonldLoader() });
      const report = await verify(signed, { offline: true, now: NOW, lang: 'en' });
      expect(report.verdict, JSON.stringify(report.checks)).to.equal('valid');
      expect(report.checks.find((c) => c.id === 'proof')!.message).to.contain('Ed25519Signature2020');
    });

    it('accepts a VC 1.1 credential with issuanceDate/expirationDate, and reads its expiry', async () => {
      const key = generateKey();
      const did = didKeyFor(key.publicKeyMultibase);
      const credential = buildCredential(badgeInput(did)) as unknown as JsonObject;
      credential['@context'] = ['https://www.w3.org/2018/credentials/v1', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json', 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json'];
      credential.issuanceDate = credential.validFrom;
      credential.expirationDate = '2026-06-01T00:00:00Z';
      delete credential.validFrom;
      delete credential.credentialSchema;
      const signed = await signDataIntegrity(credential as unknown as OpenBadgeCredential, { key, verificationMethod: verificationMethodId(did, key) });
      const before = await verify(signed, { offline: true, now: new Date('2026-03-01T00:00:00Z') });
      expect(before.verdict, JSON.stringify(before.checks)).to.equal('valid');
      const after = await verify(signed, { offline: true, now: NOW });
      expect(after.verdict).to.equal('expired');
    });

    it('accepts the legacy `vc` JWT claim', async () => {
      const key = generateKey();
      const did = didKeyFor(key.publicKeyMultibase);
      const credential = buildCredential(badgeInput(did));
      const payload = { vc: credential, iss: did, jti: credential.id, nbf: Date.parse(credential.validFrom!) / 1000 };
      const jwt = await new CompactSign(Buffer.from(JSON.stringify(payload)))
        .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: verificationMethodId(did, key) })
        .sign(key.privateKey);
      const report = await verify(jwt, { offline: true, now: NOW });
      expect(report.verdict, JSON.stringify(report.checks)).to.equal('valid');
    });

    for (const alg of ['ES256', 'RS256'] as const) {
      it(`accepts ${alg} JWTs with the key from kid (did:web) or from a jwk header vouched for by a JWKS`, async () => {
        const pair = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
        const publicJwk = await exportJWK(pair.publicKey);
        const did = `${server.didWebHost}:${alg.toLowerCase()}`;
        const method = `${did}#key-1`;
        server.json(`/${alg.toLowerCase()}/did.json`, {
          '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/jwk/v1'], id: did,
          verificationMethod: [{ id: method, type: 'JsonWebKey', controller: did, publicKeyJwk: publicJwk }],
          assertionMethod: [method],
        });
        const credential = buildCredential(badgeInput(did));
        const claims = { ...credential, iss: did, jti: credential.id, nbf: Date.parse(credential.validFrom!) / 1000 };
        const byKid = await new CompactSign(Buffer.from(JSON.stringify(claims))).setProtectedHeader({ alg, typ: 'JWT', kid: method }).sign(pair.privateKey);
        const report = await verify(byKid, { now: NOW, lang: 'en' });
        expect(report.verdict, JSON.stringify(report.checks)).to.equal('valid');

        // With the key in the header, provenance needs the issuer to vouch for it (its DID document).
        const byJwk = await new CompactSign(Buffer.from(JSON.stringify(claims))).setProtectedHeader({ alg, typ: 'JWT', jwk: publicJwk }).sign(pair.privateKey);
        const report2 = await verify(byJwk, { now: NOW, lang: 'en' });
        expect(report2.verdict, JSON.stringify(report2.checks)).to.equal('valid');

        // A stranger's key in the header proves nothing about the issuer.
        const other = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
        const forged = await new CompactSign(Buffer.from(JSON.stringify(claims))).setProtectedHeader({ alg, typ: 'JWT', jwk: await exportJWK(other.publicKey) }).sign(other.privateKey);
        const report3 = await verify(forged, { now: NOW, lang: 'en' });
        expect(report3.verified).to.equal(false);
        expect(report3.checks.find((c) => c.id === 'provenance')!.status).to.equal('fail');
      });
    }

    it('refuses a jwk header that holds a private key', async () => {
      const key = generateKey();
      const did = didKeyFor(key.publicKeyMultibase);
      const credential = buildCredential(badgeInput(did));
      const privateJwk = await exportJWK(key.privateKey);
      const jwt = await new CompactSign(Buffer.from(JSON.stringify({ ...credential, iss: did, jti: credential.id })))
        .setProtectedHeader({ alg: 'EdDSA', jwk: privateJwk }).sign(key.privateKey);
      const report = await verify(jwt, { offline: true, now: NOW, lang: 'en' });
      expect(report.verdict).to.equal('invalid');
      expect(report.checks.find((c) => c.id === 'proof')!.message).to.contain('private key');
    });

    it('checks that iss, jti and sub agree with the credential: a disagreement is reported, as the issuer’s defect, not a forgery', async () => {
      const key = generateKey();
      const did = didKeyFor(key.publicKeyMultibase);
      const credential = buildCredential(badgeInput(did, { recipient: { did: 'did:example:camille' } }));
      const good = await signJwt(credential, key, verificationMethodId(did, key));
      expect((await verify(good, { offline: true, now: NOW })).verdict).to.equal('valid');
      const claims = { ...credential, iss: did, jti: 'urn:uuid:another', sub: 'did:example:camille' };
      const bad = await new CompactSign(Buffer.from(JSON.stringify(claims))).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: verificationMethodId(did, key) }).sign(key.privateKey);
      const report = await verify(bad, { offline: true, now: NOW, lang: 'en' });
      expect(report.verdict).to.equal('valid');
      expect(report.checks.find((c) => c.id === 'proof')!.status).to.equal('warn');
      expect(report.checks.find((c) => c.id === 'proof')!.message).to.contain('"jti"');
    });
  });
});
