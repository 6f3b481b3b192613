// The verifier end to end: the spec's examples, tampering, every verdict, and hostile input.
import { expect } from 'chai';
import sharp from 'sharp';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bakePng } from '../src/ob3/bake/png.js';
import { buildCredential } from '../src/ob3/build.js';
import { clearDocumentCache, DocumentResolver } from '../src/ob3/documents.js';
import { generateKey } from '../src/ob3/keys.js';
import { CHECK_IDS, type JsonObject, type OpenBadgeCredential, type VerificationReport } from '../src/ob3/model.js';
import { signDataIntegrity } from '../src/ob3/proof/data-integrity.js';
import { signJwt } from '../src/ob3/proof/jwt.js';
import { encodeBitstring, STATUS_LIST_MIN_ENTRIES } from '../src/ob3/status.js';
import { verify } from '../src/ob3/verify/index.js';
import { FIXTURES, readJson, readText, signedDataIntegrity, signedJwts, specDocuments } from './helpers/fixtures.js';
import { publishIssuer, type TestIssuer } from './helpers/issuer.js';
import { startDocumentServer, type DocumentServer } from './helpers/server.js';

const NOW = new Date('2026-11-22T12:00:00Z');
const check = (report: VerificationReport, id: string) => report.checks.find((c) => c.id === id)!;

describe('verify', () => {
  describe('the spec examples', () => {
    const documents = specDocuments();
    const options = { documents, offline: true, now: NOW, lang: 'en' as const };

    for (const file of [...signedDataIntegrity(), ...signedJwts()]) {
      const name = path.basename(file);
      it(`${name} verifies`, async () => {
        const report = await verify(readFileSync(file), options);
        expect(report.verdict, JSON.stringify(report.checks, null, 1)).to.equal('valid');
        expect(report.checks.map((c) => c.id)).to.deep.equal([...CHECK_IDS]);
      });

      it(`${name} fails with one field changed`, async () => {
        let input: string | JsonObject;
        if (file.endsWith('.jwt')) {
          const [h, p, s] = readText(file).split('.');
          const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as JsonObject;
          payload.name = `${String(payload.name)}!`;
          input = [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.');
        } else {
          input = readJson(file);
          input.name = `${String(input.name)}!`;
        }
        const report = await verify(input, options);
        expect(report.verified).to.equal(false);
        expect(report.verdict).to.equal('invalid');
        expect(check(report, 'proof').status).to.equal('fail');
      });
    }

    it('reports ex36’s placeholder endorsement proofs as a warning, not a failure', async () => {
      const report = await verify(readFileSync(path.join(FIXTURES, 'spec', 'ex36-complete-openbadgecredential.signed-dataintegrity.json')), options);
      expect(check(report, 'endorsements').status).to.equal('warn');
      expect(check(report, 'status').status).to.equal('pass');
    });

    it('without the issuer’s key document, says unverifiable rather than invalid', async () => {
      const report = await verify(readFileSync(signedDataIntegrity()[0]!), { offline: true, now: NOW, lang: 'en' });
      expect(report.verdict).to.equal('unverifiable');
      expect(check(report, 'proof').message).to.contain('Offline');
    });
  });

  describe('verdicts', () => {
    let server: DocumentServer;
    let issuer: TestIssuer;
    const revoked = new Set<number>();
    const suspended = new Set<number>();

    async function publishLists() {
      for (const [purpose, set] of [['revocation', revoked], ['suspension', suspended]] as const) {
        const list = {
          '@context': ['https://www.w3.org/ns/credentials/v2'],
          id: `${server.origin}/status/${purpose}`,
          type: ['VerifiableCredential', 'BitstringStatusListCredential'],
          issuer: issuer.did,
          validFrom: '2026-01-01T00:00:00Z',
          credentialSubject: { id: `${server.origin}/status/${purpose}#list`, type: 'BitstringStatusList', statusPurpose: purpose, encodedList: encodeBitstring(STATUS_LIST_MIN_ENTRIES, set) },
        };
        server.json(`/status/${purpose}`, await signDataIntegrity(list as unknown as OpenBadgeCredential, { key: issuer.key, verificationMethod: issuer.method }));
      }
      clearDocumentCache();
    }

    const statusEntry = (index: number, purpose = 'revocation') => ({
      id: `${server.origin}/status/${purpose}#${index}`, type: 'BitstringStatusListEntry', statusPurpose: purpose,
      statusListIndex: String(index), statusListCredential: `${server.origin}/status/${purpose}`,
    });

    before(async () => {
      server = await startDocumentServer();
      issuer = publishIssuer(server, 'ariege');
      await publishLists();
    });
    after(() => server.close());

    it('valid: a did:web issuer resolved over the network, with status lists', async () => {
      const signed = await signDataIntegrity(issuer.credential({ credentialStatus: statusEntry(7) }), { key: issuer.key, verificationMethod: issuer.method });
      const report = await verify(signed, { now: NOW, lang: 'en' });
      expect(report.verdict, JSON.stringify(report.checks)).to.equal('valid');
      expect(report.verified).to.equal(true);
      expect(check(report, 'status').status).to.equal('pass');
    });

    it('revoked, suspended, then reinstated', async () => {
      const sign = (purpose: string) => signDataIntegrity(issuer.credential({ credentialStatus: statusEntry(4242, purpose) }), { key: issuer.key, verificationMethod: issuer.method });
      const [signed, suspendable] = [await sign('revocation'), await sign('suspension')];
      suspended.add(4242);
      await publishLists();
      expect((await verify(suspendable, { now: NOW })).verdict).to.equal('suspended');
      expect((await verify(signed, { now: NOW })).verdict).to.equal('valid');
      revoked.add(4242);
      await publishLists();
      const report = await verify(signed, { now: NOW, lang: 'fr' });
      expect(report.verdict).to.equal('revoked');
      expect(check(report, 'status').message).to.contain('révoqué');
      revoked.delete(4242);
      suspended.delete(4242);
      await publishLists();
      expect((await verify(signed, { now: NOW })).verdict).to.equal('valid');
      expect((await verify(suspendable, { now: NOW })).verdict).to.equal('valid');
    });

    it('accepts a status list signed under the pre-2025 state of the credentials/v2 context', async () => {
      const list = {
        '@context': ['https://www.w3.org/ns/credentials/v2'], id: `${server.origin}/status/old`,
        type: ['VerifiableCredential', 'BitstringStatusListCredential'], issuer: issuer.did, validFrom: '2024-09-01T00:00:00Z',
        credentialSubject: { id: `${server.origin}/status/old#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', statusSize: 1, encodedList: encodeBitstring(STATUS_LIST_MIN_ENTRIES, [3]) },
      };
      const signer = path.join(path.dirname(fileURLToPath(import.meta.url)), 'helpers', 'sign-with-alternates.js');
      const signedList = execFileSync(process.execPath, [signer], {
        input: JSON.stringify({ credential: list, jwk: issuer.key.privateKey.export({ format: 'jwk' }), method: issuer.method }),
      }).toString('utf8');
      server.routes.set('/status/old', { body: signedList });
      const entry = (index: number) => ({ ...statusEntry(index), statusListCredential: `${server.origin}/status/old` });
      const sign = (index: number) => signDataIntegrity(issuer.credential({ credentialStatus: entry(index) }), { key: issuer.key, verificationMethod: issuer.method });
      const active = await verify(await sign(2), { now: NOW, lang: 'en' });
      expect(active.verdict, JSON.stringify(active.checks)).to.equal('valid');
      expect((await verify(await sign(3), { now: NOW })).verdict).to.equal('revoked');
    });

    it('fails closed when the status list cannot be fetched', async () => {
      const entries = { ...statusEntry(1), statusListCredential: `${server.origin}/status/missing` };
      const signed = await signDataIntegrity(issuer.credential({ credentialStatus: entries }), { key: issuer.key, verificationMethod: issuer.method });
      const report = await verify(signed, { now: NOW, lang: 'en' });
      expect(report.verified).to.equal(false);
      expect(report.verdict).to.equal('unverifiable');
      expect(check(report, 'status').message).to.contain('HTTP 404');
    });

    it('accepts a status list kept by someone else, named in the badge; refuses one that only claims the issuer’s name', async () => {
      const stranger = publishIssuer(server, 'stranger');
      const list = {
        '@context': ['https://www.w3.org/ns/credentials/v2'], id: `${server.origin}/status/fake`,
        type: ['VerifiableCredential', 'BitstringStatusListCredential'], issuer: stranger.did, validFrom: '2026-01-01T00:00:00Z',
        credentialSubject: { type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: encodeBitstring(STATUS_LIST_MIN_ENTRIES) },
      };
      server.json('/status/fake', await signDataIntegrity(list as unknown as OpenBadgeCredential, { key: stranger.key, verificationMethod: stranger.method }));
      const entries = { ...statusEntry(1), statusListCredential: `${server.origin}/status/fake` };
      const signed = await signDataIntegrity(issuer.credential({ credentialStatus: entries }), { key: issuer.key, verificationMethod: issuer.method });
      const report = await verify(signed, { now: NOW, lang: 'en' });
      expect(report.verified, 'Bitstring Status List: the list’s issuer MAY differ').to.equal(true);
      expect(check(report, 'status').message).to.contain(`kept by ${stranger.did}`);

      // Claiming to be the issuer is not enough: the list must be signed with the issuer's key.
      server.json('/status/fake', await signDataIntegrity({ ...list, issuer: issuer.did } as unknown as OpenBadgeCredential, { key: stranger.key, verificationMethod: stranger.method }));
      clearDocumentCache();
      const forged = await verify(signed, { now: NOW, lang: 'en' });
      expect(forged.verified).to.equal(false);
      expect(forged.verdict).to.equal('unverifiable');
      expect(check(forged, 'status').message).to.contain('not by its issuer');
    });

    it('expired and not yet valid, against a clock that can be set', async () => {
      const signed = await signJwt(issuer.credential({ validFrom: '2026-01-01T00:00:00Z', validUntil: '2026-06-30T00:00:00Z' }), issuer.key, issuer.method);
      expect((await verify(signed, { now: new Date('2025-12-31T00:00:00Z') })).verdict).to.equal('not-yet-valid');
      expect((await verify(signed, { now: new Date('2026-03-01T00:00:00Z') })).verdict).to.equal('valid');
      const expired = await verify(signed, { now: NOW, lang: 'fr' });
      expect(expired.verdict).to.equal('expired');
      expect(check(expired, 'validity').message).to.contain('expiré le 30 juin 2026');
    });

    it('invalid when the key belongs to someone other than the issuer', async () => {
      const other = publishIssuer(server, 'usurper');
      const signed = await signDataIntegrity(issuer.credential(), { key: other.key, verificationMethod: other.method });
      const report = await verify(signed, { now: NOW, lang: 'en' });
      expect(report.verdict).to.equal('invalid');
      expect(check(report, 'provenance').status).to.equal('fail');
    });

    it('keeps verifying after key rotation: the retired key stays in the DID document', async () => {
      const oldKey = issuer.key;
      const oldBadge = await signDataIntegrity(issuer.credential(), { key: oldKey, verificationMethod: issuer.method });
      const rotated = publishIssuer(server, 'ariege', generateKey());
      const { controllerDocument } = await import('../src/ob3/did.js');
      server.json('/issuers/ariege/did.json', controllerDocument(issuer.did, [oldKey, rotated.key]));
      clearDocumentCache();
      const newBadge = await signDataIntegrity(rotated.credential(), { key: rotated.key, verificationMethod: rotated.method });
      expect((await verify(oldBadge, { now: NOW })).verdict).to.equal('valid');
      expect((await verify(newBadge, { now: NOW })).verdict).to.equal('valid');
      server.json('/issuers/ariege/did.json', controllerDocument(issuer.did, [oldKey]));
      clearDocumentCache();
    });

    it('matches the recipient by email through the salted hash', async () => {
      const signed = await signDataIntegrity(issuer.credential(), { key: issuer.key, verificationMethod: issuer.method });
      expect(check(await verify(signed, { now: NOW, recipient: 'camille@example.org' }), 'recipient').status).to.equal('pass');
      const other = await verify(signed, { now: NOW, recipient: 'someone@example.org' });
      expect(check(other, 'recipient').status).to.equal('fail');
      expect(other.verified, 'not this person’s badge').to.equal(false);
      expect(other.verdict, 'but still authentic').to.equal('valid');
    });

    it('verifies embedded endorsements, and warns on a bad one', async () => {
      const endorser = publishIssuer(server, 'endorser');
      const endorsement = {
        '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
        id: 'urn:uuid:6d8f1b2a-0000-4000-8000-000000000001',
        type: ['VerifiableCredential', 'EndorsementCredential'],
        name: 'La mairie recommande ce badge',
        issuer: { id: endorser.did, type: ['Profile'], name: 'Mairie' },
        validFrom: '2026-01-01T00:00:00Z',
        credentialSubject: { id: 'https://badgeons.example.org/achievements/travailler-en-equipe', type: ['EndorsementSubject'], endorsementComment: 'Utile pour l’emploi.' },
      };
      const signedEndorsement = await signDataIntegrity(endorsement as unknown as OpenBadgeCredential, { key: endorser.key, verificationMethod: endorser.method });
      const withGood = issuer.credential();
      withGood.endorsement = [signedEndorsement as unknown as JsonObject];
      const good = await verify(await signDataIntegrity(withGood, { key: issuer.key, verificationMethod: issuer.method }), { now: NOW });
      expect(check(good, 'endorsements').status).to.equal('pass');
      const withBad = issuer.credential();
      withBad.endorsement = [{ ...signedEndorsement, name: 'Altérée' } as unknown as JsonObject];
      const bad = await verify(await signDataIntegrity(withBad, { key: issuer.key, verificationMethod: issuer.method }), { now: NOW });
      expect(check(bad, 'endorsements').status).to.equal('warn');
      expect(bad.verdict).to.equal('valid');
    });

    it('verifies a credential fetched from an https/localhost URL', async () => {
      const signed = await signDataIntegrity(issuer.credential(), { key: issuer.key, verificationMethod: issuer.method });
      server.routes.set('/credentials/abc', { body: JSON.stringify(signed), type: 'application/vc+ld+json' });
      const report = await verify(`${server.origin}/credentials/abc`, { now: NOW, lang: 'en' });
      expect(report.verdict).to.equal('valid');
      expect(check(report, 'format').message).to.contain('url');
    });

    it('gives up on a URL that never answers, with a timeout message', async () => {
      server.routes.set('/hang', { body: '', hang: true });
      const report = await verify(`${server.origin}/hang`, { timeoutMs: 300, lang: 'en' });
      expect(report.verdict).to.equal('unverifiable');
      expect(check(report, 'format').message).to.contain('did not answer');
    });
  });

  it('what people send instead of a badge — a screenshot, a phone photo, a PDF certificate — is unsupported with advice, never invalid', async () => {
    const picture = (format: 'png' | 'jpeg' | 'webp') => sharp({ create: { width: 390, height: 844, channels: 3, background: '#e8e0d0' } })[format]().toBuffer();
    const cases: [string, Buffer, string][] = [
      ['a screenshot (PNG, no badge inside)', await picture('png'), 'capture d’écran'],
      ['a phone photo (JPEG)', await picture('jpeg'), 'Ce fichier est un JPEG'],
      ['a picture from a messaging app (WebP)', await picture('webp'), 'Ce fichier est un WebP'],
      ['a PDF certificate', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj <<>> endobj\n'), 'Ce fichier est un PDF'],
    ];
    for (const [name, bytes, message] of cases) {
      const report = await verify(bytes, { now: NOW, lang: 'fr', resolver: new DocumentResolver({ offline: true }) });
      expect(report.verdict, name).to.equal('unsupported');
      expect(report.checks.find((c) => c.id === 'format')!.message, name).to.include(message).and.include('lien');
    }
  });

  describe('hostile and broken input never crashes', () => {
    const key = generateKey();
    let signed: OpenBadgeCredential;
    let png: Buffer;
    before(async () => {
      const { didKeyFor, verificationMethodId } = await import('../src/ob3/did.js');
      const did = didKeyFor(key.publicKeyMultibase);
      const { badgeInput } = await import('./helpers/issuer.js');
      signed = await signDataIntegrity(buildCredential(badgeInput(did)), { key, verificationMethod: verificationMethodId(did, key) });
      png = bakePng(readFileSync(path.join(FIXTURES, 'images', 'unbaked.png')), JSON.stringify(signed));
    });

    it('an unexpected internal failure says so, rather than blaming the input', async () => {
      const broken = { fetchBytes: () => { throw new TypeError('boom'); } } as unknown as DocumentResolver;
      const report = await verify('https://badges.example.org/credentials/1', { resolver: broken, lang: 'en' });
      expect(report.verdict).to.equal('invalid');
      expect(check(report, 'format').message).to.contain('could not be completed').and.to.contain('boom');
    });

    const cases: [string, () => unknown, string, string][] = [
      ['a truncated PNG (damaged on its way: nothing said of the badge)', () => png.subarray(0, png.length - 100), 'unverifiable', 'truncated'],
      ['a PNG with a bad CRC (damaged)', () => { const b = Buffer.from(png); b[40] = b[40]! ^ 0xff; return b; }, 'unverifiable', 'CRC'],
      ['a PNG with two credential chunks', () => {
        const itxtEnd = 8 + 25 + 12 + png.readUInt32BE(33);
        return Buffer.concat([png.subarray(0, itxtEnd), png.subarray(33, itxtEnd), png.subarray(itxtEnd)]);
      }, 'invalid', 'more than one'],
      ['an SVG with an external entity', () => Buffer.from('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>'), 'invalid', 'DOCTYPE'],
      ['an SVG billion laughs', () => Buffer.from('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><svg xmlns="http://www.w3.org/2000/svg">&lol2;</svg>'), 'invalid', 'DOCTYPE'],
      ['a JWT with alg none', () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...signed, proof: undefined })).toString('base64url')}.`, 'unverifiable', '"none"'],
      ['a JWT with HS256', () => `${Buffer.from('{"alg":"HS256","kid":"x"}').toString('base64url')}.${Buffer.from(JSON.stringify(signed)).toString('base64url')}.c2ln`, 'unverifiable', 'HS256'],
      ['a 10 MB JSON', () => Buffer.from(`{"a":"${'x'.repeat(10 * 1024 * 1024)}"}`), 'invalid', 'too large'],
      ['10,000-deep nesting', () => Buffer.from('{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)), 'invalid', 'nested too deeply'],
      ['bytes that are not UTF-8 (read as Windows-1252, never repaired with U+FFFD)', () => Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 'unverifiable', 'Malformed or incomplete JSON'],
      ['malformed JSON (a copy cut short)', () => Buffer.from('{"@context": ['), 'unverifiable', 'Malformed or incomplete JSON'],
      ['an empty file', () => Buffer.alloc(0), 'unverifiable', 'empty'],
      ['an OB 2.0 assertion with no way to verify it', () => ({ '@context': 'https://w3id.org/openbadges/v2', type: 'Assertion', id: 'https://example.org/a' }), 'invalid', 'Open Badges 2.0 badge without a verification type'],
      ['a hosted OB 2.0 assertion, offline', () => ({ '@context': 'https://w3id.org/openbadges/v2', type: 'Assertion', id: 'https://example.org/a', verification: { type: 'hosted' } }), 'unverifiable', 'https://example.org/a'],
      ['a plain VC that is not a badge', () => ({ '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], issuer: 'did:example:1', credentialSubject: {} }), 'unsupported', 'not an Open Badges 3.0'],
      ['an unknown context (never downloaded: its signature cannot be checked here)', () => ({ ...signed, '@context': [...signed['@context'], 'https://evil.example/context.jsonld'] }), 'unverifiable', 'https://evil.example/context.jsonld'],
      ['a verification method on an unknown DID method', () => ({ ...signed, proof: { ...(signed.proof as JsonObject), verificationMethod: 'did:ion:abc#key-1' } }), 'unverifiable', 'did:ion:abc'],
      ['no proof at all (nothing shows who issued it, nothing shows it forged)', () => ({ ...signed, proof: undefined }), 'unverifiable', 'no proof'],
    ];
    for (const [name, make, verdict, message] of cases) {
      it(`${name}: ${verdict}, with a specific message`, async () => {
        const report = await verify(make() as Uint8Array, { offline: true, now: NOW, lang: 'en', resolver: new DocumentResolver({ offline: true }) });
        expect(report.verified).to.equal(false);
        expect(report.verdict).to.equal(verdict);
        const failed = report.checks.find((c) => c.status === 'fail');
        expect(failed?.message, JSON.stringify(report.checks)).to.contain(message);
      });
    }
  });
});
