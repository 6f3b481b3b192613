// Issue 15: badges as other people's software makes them — no subject id (the Digital Credentials
// Consortium's stack), VC 1.1, a status list kept by a separate status service, eddsa-2022 signed by
// the 2022 suite itself, ecdsa-rdfc-2019 (P-256, P-384), eddsa-jcs-2022, a bare did:key, a suite
// nobody here knows — and hostile shapes. Each gets the verdict a careful expert would give.
// Our jsonld changes load before jsonld itself, as in the app (src/ob3/jsonld-speed.ts).
import '../src/ob3/jsonld-speed.js';
import { expect } from 'chai';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import iconv from 'iconv-lite';
import jsigs from 'jsonld-signatures';
import { createSignCryptosuite as eddsaJcsSign } from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import { generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { bakePng, PNG_SIGNATURE } from '../src/ob3/bake/png.js';
import { bakeSvg } from '../src/ob3/bake/svg.js';
import { buildCredential } from '../src/ob3/build.js';
import { clearDocumentCache, DocumentResolver } from '../src/ob3/documents.js';
import { didKeyFor } from '../src/ob3/did.js';
import { generateKey, publicJwkFromMultibase, type IssuerKey } from '../src/ob3/keys.js';
import type { JsonObject, OpenBadgeCredential, VerificationReport } from '../src/ob3/model.js';
import { signDataIntegrity } from '../src/ob3/proof/data-integrity.js';
import { encodeBitstring, STATUS_LIST_MIN_ENTRIES } from '../src/ob3/status.js';
import { verify, type VerifyInput } from '../src/ob3/verify/index.js';
import { signJwt } from '../src/ob3/proof/jwt.js';
import { FIXTURES } from './helpers/fixtures.js';
import { badgeInput, publishIssuer, type TestIssuer } from './helpers/issuer.js';
import { startDocumentServer, type DocumentServer } from './helpers/server.js';

const NOW = new Date('2026-11-22T12:00:00Z');
const check = (report: VerificationReport, id: string) => report.checks.find((c) => c.id === id)!;
const explain = (report: VerificationReport) => JSON.stringify(report.checks, null, 1);
const loader = () => new DocumentResolver({ offline: true }).jsonldLoader();

/** Signs with any DataIntegrityProof cryptosuite, as another stack would (plain @digitalbazaar/vc). */
async function signWith(credential: object, signer: unknown, cryptosuite: unknown): Promise<OpenBadgeCredential> {
  const suite = new DataIntegrityProof({ signer, cryptosuite } as never);
  return (await vc.issue({ credential, suite, documentLoader: loader() })) as OpenBadgeCredential;
}

const ed25519Signer = (key: IssuerKey, id: string) => ({
  id, algorithm: 'Ed25519', sign: async ({ data }: { data: Uint8Array }) => new Uint8Array(cryptoSign(null, data, key.privateKey)),
});

/** A badge the DCC way: VC 2.0 (or 1.1), OB 3.0 context, a subject with a name and an achievement, no id, no identifier. */
function dccBadge(issuer: string, vc11 = false): JsonObject {
  const built = buildCredential(badgeInput(issuer)) as unknown as JsonObject;
  const subject = { ...(built.credentialSubject as JsonObject) };
  delete subject.id;
  delete subject.identifier;
  const { validFrom, credentialSchema: _schema, ...rest } = built;
  return vc11
    ? { ...rest, '@context': ['https://www.w3.org/2018/credentials/v1', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'], issuanceDate: validFrom, credentialSubject: subject }
    : { ...built, credentialSubject: subject };
}

describe('badges from other stacks (issue 15)', function () {
  this.timeout(30_000);
  let server: DocumentServer;
  let issuer: TestIssuer;
  before(async () => {
    server = await startDocumentServer();
    issuer = publishIssuer(server, 'autre-collectif');
  });
  after(() => server.close());
  beforeEach(() => clearDocumentCache());

  describe('authenticity first', () => {
    for (const vc11 of [false, true]) {
      it(`a VC ${vc11 ? '1.1' : '2.0'} badge whose subject has neither id nor identifier is authentic, with a conformance warning`, async () => {
        const signed = await signDataIntegrity(dccBadge(issuer.did, vc11) as unknown as OpenBadgeCredential, { key: issuer.key, verificationMethod: issuer.method });
        const report = await verify(signed, { now: NOW, lang: 'fr' });
        expect(report.verdict, explain(report)).to.equal('valid');
        expect(report.verified).to.equal(true);
        expect(check(report, 'type').status).to.equal('warn');
        expect(check(report, 'type').message).to.include('ni identifiant ni « identifier »').and.include('rien de son authenticité');
        expect(check(report, 'proof').status).to.equal('pass');
      });
    }

    it('a badge naming its subject in a list (VC allows several; OB 3.0 expects one) is authentic, with that warning', async () => {
      const badge = dccBadge(issuer.did);
      const signed = await signWith({ ...badge, credentialSubject: [badge.credentialSubject] }, ed25519Signer(issuer.key, issuer.method), eddsaRdfc2022);
      const report = await verify(signed, { now: NOW, lang: 'fr' });
      expect(report.verdict, explain(report)).to.equal('valid');
      expect(check(report, 'type')).to.include({ status: 'warn', code: 'TYPE_SUBJECT_LIST' });
    });

    it('a wallet’s export (a VerifiablePresentation holding the badge, enveloped or not) and a JWT copied with its quotes are read as the badge', async () => {
      const signed = await signWith(dccBadge(issuer.did), ed25519Signer(issuer.key, issuer.method), eddsaRdfc2022);
      const jwt = await signJwt(issuer.credential(), issuer.key, issuer.method);
      const presentation = (held: unknown) => ({ '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiablePresentation'], holder: 'did:example:wallet', verifiableCredential: held });
      for (const [name, input, verdict, code] of [
        ['one badge, as JSON text', JSON.stringify(presentation([signed])), 'valid', 'FORMAT_PASS'],
        ['one VC-JWT, as bytes', Buffer.from(JSON.stringify(presentation(jwt))), 'valid', 'FORMAT_PASS'],
        ['one badge, altered', presentation([{ ...signed, name: 'Autre chose' }]), 'invalid', 'FORMAT_PASS'],
        ['two badges', presentation([signed, jwt]), 'unsupported', 'PRESENTATION_COUNT'],
        ['none', presentation([]), 'unsupported', 'PRESENTATION_EMPTY'],
        ['a JWT in its JSON quotes', JSON.stringify(jwt), 'valid', 'FORMAT_PASS'],
        ['a VC 2.0 enveloped VC-JWT in a presentation', presentation([{ '@context': 'https://www.w3.org/ns/credentials/v2', id: `data:application/vc+jwt,${jwt}`, type: 'EnvelopedVerifiableCredential' }]), 'valid', 'FORMAT_PASS'],
      ] as [string, VerifyInput, string, string][]) {
        const report = await verify(input, { now: NOW, lang: 'fr' });
        expect([report.verdict, check(report, 'format').code], name).to.deep.equal([verdict, code]);
      }
    });

    it('the same badge altered after signing is invalid: the signature decides', async () => {
      const signed = await signDataIntegrity(dccBadge(issuer.did) as unknown as OpenBadgeCredential, { key: issuer.key, verificationMethod: issuer.method });
      const report = await verify({ ...signed, name: 'Autre chose' } as unknown as JsonObject, { now: NOW });
      expect(report.verdict).to.equal('invalid');
      expect(check(report, 'proof').status).to.equal('fail');
    });

    it('a date missing or unreadable is a warning; a clock a few minutes off is not "not yet valid" nor "expired"', async () => {
      const { validFrom: _from, ...undated } = dccBadge(issuer.did);
      const cases: [JsonObject, string, string][] = [
        [undated, 'warn', 'valid'], // VC 2.0 makes validFrom optional; OB 3.0 asks for it
        [{ ...dccBadge(issuer.did), validUntil: 'fin 2027' }, 'warn', 'valid'],
        [{ ...dccBadge(issuer.did), validFrom: new Date(NOW.getTime() + 90_000).toISOString() }, 'pass', 'valid'], // issuer's clock 90 s ahead
        [{ ...dccBadge(issuer.did), validFrom: '2026-01-01T00:00:00Z', validUntil: new Date(NOW.getTime() - 60_000).toISOString() }, 'pass', 'valid'],
        [{ ...dccBadge(issuer.did), validFrom: new Date(NOW.getTime() + 3_600_000).toISOString() }, 'fail', 'not-yet-valid'],
        [{ ...dccBadge(issuer.did), validFrom: '2026-01-01T00:00:00Z', validUntil: new Date(NOW.getTime() - 3_600_000).toISOString() }, 'fail', 'expired'],
      ];
      // @digitalbazaar/vc refuses to sign an unreadable date; a stack signing with jsonld-signatures alone does not.
      const sign = async (credential: JsonObject) => (credential.validUntil === 'fin 2027'
        ? await jsigs.sign(credential, {
          suite: new DataIntegrityProof({ signer: ed25519Signer(issuer.key, issuer.method), cryptosuite: eddsaRdfc2022 } as never),
          purpose: new jsigs.purposes.AssertionProofPurpose(), documentLoader: loader(),
        }) as OpenBadgeCredential
        : signWith(credential, ed25519Signer(issuer.key, issuer.method), eddsaRdfc2022));
      for (const [credential, status, verdict] of cases) {
        const signed = await sign(credential);
        const report = await verify(signed, { now: NOW, lang: 'fr' });
        expect([check(report, 'validity').status, report.verdict], `${JSON.stringify([credential.validFrom, credential.validUntil])}\n${explain(report)}`).to.deep.equal([status, verdict]);
        expect(check(report, 'proof').status).to.equal('pass');
      }
      const unreadable = await verify(await sign(cases[1]![0]), { now: NOW, lang: 'fr' });
      expect(check(unreadable, 'validity').message).to.include('« fin 2027 »').and.include('n’a pas pu être contrôlée');
    });

    it('a badge using a JSON-LD context we do not bundle is unverifiable here, never invalid (contexts are never downloaded)', async () => {
      const extension = 'https://example.org/contexts/extension-v1.json';
      const document = { '@context': { '@version': 1.1, '@protected': true, extensionNote: 'https://example.org/vocab#extensionNote' } };
      const theirs = async (url: string) => (url === extension ? { contextUrl: null, documentUrl: url, document } : loader()(url));
      const credential = { ...dccBadge(issuer.did), '@context': [...(dccBadge(issuer.did)['@context'] as string[]), extension], extensionNote: 'Atelier mobile' };
      const suite = new DataIntegrityProof({ signer: ed25519Signer(issuer.key, issuer.method), cryptosuite: eddsaRdfc2022 } as never);
      const signed = (await vc.issue({ credential, suite, documentLoader: theirs })) as OpenBadgeCredential;
      const report = await verify(signed, { now: NOW, lang: 'fr' });
      expect(report.verdict, explain(report)).to.equal('unverifiable');
      expect(check(report, 'proof')).to.include({ status: 'fail', code: 'CONTEXT_NOT_BUNDLED' });
      expect(check(report, 'proof').message).to.include(extension);
    });

    it('a badge file saved again on Windows (UTF-16 "Unicode", "ANSI" Windows-1252) is read as the same text, and the signature decides', async () => {
      const credential = { ...dccBadge(issuer.did), name: 'Écouter et accueillir — l’œuvre d’un groupe' };
      const signed = await signWith(credential, ed25519Signer(issuer.key, issuer.method), eddsaRdfc2022);
      const text = JSON.stringify(signed, null, 2).replace(/\n/g, '\r\n');
      const files: [string, Buffer][] = [
        ['UTF-16LE', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')])],
        ['UTF-16BE', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf16be')])],
        ['Windows-1252', iconv.encode(text, 'windows-1252')],
      ];
      for (const [encoding, bytes] of files) {
        const report = await verify(bytes, { now: NOW, lang: 'fr' });
        expect(report.verdict, `${encoding}\n${explain(report)}`).to.equal('valid');
        expect(check(report, 'format').message).to.include(encoding);
      }
      // Read in the wrong encoding, it would not verify: here, a 1252 file whose text was changed.
      const altered = await verify(iconv.encode(text.replace('l’œuvre', 'l’ouvre'), 'windows-1252'), { now: NOW, lang: 'fr' });
      expect(altered.verdict).to.equal('invalid');
    });

    it('a baked SVG saved again in another encoding (declared, Windows-1252 undeclared, UTF-16) is read as XML is, and the signature decides', async () => {
      const credential = { ...dccBadge(issuer.did), name: 'Écouter et accueillir — l’œuvre d’un groupe' };
      const signed = await signWith(credential, ed25519Signer(issuer.key, issuer.method), eddsaRdfc2022);
      const svg = bakeSvg(readFileSync(path.join(FIXTURES, 'images', 'unbaked.svg'), 'utf8'), JSON.stringify(signed, null, 2));
      const declaring = (encoding: string) => svg.replace('encoding="UTF-8"', `encoding="${encoding}"`);
      const files: [string, Buffer, string][] = [
        ['declared windows-1252', iconv.encode(declaring('windows-1252'), 'windows-1252'), 'windows-1252'],
        ['Windows-1252, undeclared', iconv.encode(svg.replace(/^<\?xml[^>]*>\s*/, ''), 'windows-1252'), 'Windows-1252'],
        ['Windows-1252, declaring UTF-8 wrongly', iconv.encode(svg, 'windows-1252'), 'Windows-1252'],
        ['UTF-16LE', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(declaring('UTF-16'), 'utf16le')]), 'UTF-16LE'],
      ];
      for (const [name, bytes, said] of files) {
        const report = await verify(bytes, { now: NOW, lang: 'fr' });
        expect(report.verdict, `${name}\n${explain(report)}`).to.equal('valid');
        expect(check(report, 'format').message, name).to.include('svg').and.include(said);
      }
      // Read in the wrong encoding, it would not verify: here, a 1252 file whose text was changed.
      const altered = await verify(iconv.encode(declaring('windows-1252').replace('l’œuvre', 'l’ouvre'), 'windows-1252'), { now: NOW, lang: 'fr' });
      expect(altered.verdict).to.equal('invalid');
      expect(check(altered, 'proof').status).to.equal('fail');
    });

    it('a badge’s web page given for the badge: its alternate badge is followed once; a page naming none is unsupported, with advice', async () => {
      const signed = await signWith(dccBadge(issuer.did), ed25519Signer(issuer.key, issuer.method), eddsaRdfc2022);
      server.json('/badges/42.json', signed);
      const page = (head: string) => ({ body: `<!DOCTYPE html><html lang="fr"><head><title>Badge</title>${head}</head><body><h1>Badge</h1></body></html>`, type: 'text/html' });
      server.routes.set('/badges/42', page('<link rel="stylesheet" href="/a.css"><link rel="alternate" type="application/vc+ld+json" href="42.json">'));
      const followed = await verify(`${server.origin}/badges/42`, { now: NOW, lang: 'fr' });
      expect(followed.verdict, explain(followed)).to.equal('valid');
      server.routes.set('/badges/43', page('<link rel="alternate" type="application/rss+xml" href="/feed">'));
      const none = await verify(`${server.origin}/badges/43`, { now: NOW, lang: 'fr' });
      expect(none.verdict).to.equal('unsupported');
      expect(check(none, 'format')).to.include({ code: 'INPUT_WEB_PAGE' });
      expect(check(none, 'format').message).to.include('page web').and.include('télécharger le badge');
      // An alternate that is itself a page is not followed further.
      server.routes.set('/badges/44', page('<link rel="alternate" type="application/json" href="/badges/43">'));
      expect((await verify(`${server.origin}/badges/44`, { now: NOW, lang: 'fr' })).verdict).to.equal('unsupported');
    });

    it('a schema departure, even under a declared schema, is a warning, never the verdict', async () => {
      const credential = issuer.credential() as unknown as JsonObject;
      expect(credential.credentialSchema, 'our builder declares the official schema').to.be.an('array');
      const subject = credential.credentialSubject as JsonObject;
      const { criteria: _criteria, ...achievement } = subject.achievement as JsonObject;
      credential.credentialSubject = { ...subject, achievement };
      const signed = await signDataIntegrity(credential as unknown as OpenBadgeCredential, { key: issuer.key, verificationMethod: issuer.method });
      const report = await verify(signed, { now: NOW, lang: 'en' });
      expect(report.verdict, explain(report)).to.equal('valid');
      expect(check(report, 'schema').status).to.equal('warn');
      expect(check(report, 'schema').message).to.include('declares').and.include('says nothing about its authenticity');
    });

    it('a VC-JWT whose registered claims disagree with the credential it wraps is authentic, with a conformance warning', async () => {
      const { CompactSign } = await import('jose');
      const credential = issuer.credential() as unknown as JsonObject;
      const payload = { ...credential, iss: issuer.did, jti: 'urn:uuid:another-id', nbf: Math.floor(Date.parse('2026-01-01T09:00:00Z') / 1000) };
      const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: issuer.method }).sign(issuer.key.privateKey);
      const report = await verify(jwt, { now: NOW, lang: 'en' });
      expect(report.verdict, explain(report)).to.equal('valid');
      expect(check(report, 'proof').status).to.equal('warn');
      expect(check(report, 'proof').message).to.include('"jti"').and.include('not a forgery');
      const [h, p, s] = jwt.split('.');
      const altered = [h, Buffer.from(JSON.stringify({ ...payload, name: 'x' })).toString('base64url'), s].join('.');
      void p;
      expect((await verify(altered, { now: NOW })).verdict, 'but a changed payload is').to.equal('invalid');
    });

    it('a recipient who does not match fails that question without calling the badge forged', async () => {
      const signed = await signDataIntegrity(issuer.credential(), { key: issuer.key, verificationMethod: issuer.method });
      const report = await verify(signed, { now: NOW, recipient: 'quelquun@example.org' });
      expect(report.verdict).to.equal('valid');
      expect(report.verified).to.equal(false);
      expect(check(report, 'recipient').status).to.equal('fail');
      expect((await verify(signed, { now: NOW, recipient: 'camille@example.org' })).verified).to.equal(true);
    });

    it('an address that cannot be reached is unverifiable, not invalid', async () => {
      const report = await verify('http://localhost:1/credentials/absent', { now: NOW, lang: 'fr' });
      expect(report.verdict).to.equal('unverifiable');
      expect(check(report, 'format').status).to.equal('fail');
    });
  });

  describe('delegated status lists', () => {
    let statusKeeper: TestIssuer;
    before(() => { statusKeeper = publishIssuer(server, 'service-de-statut'); });

    async function publishList(name: string, revoked: number[], signer: TestIssuer, overrides: JsonObject = {}) {
      const url = `${server.origin}/status-service/${name}`;
      const list = {
        '@context': ['https://www.w3.org/ns/credentials/v2'], id: url, type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        issuer: signer.did, validFrom: '2026-01-01T00:00:00Z',
        credentialSubject: { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: encodeBitstring(STATUS_LIST_MIN_ENTRIES, revoked) },
        ...overrides,
      };
      server.json(`/status-service/${name}`, await signDataIntegrity(list as unknown as OpenBadgeCredential, { key: signer.key, verificationMethod: signer.method }));
      return url;
    }
    const entry = (url: string, index: number) => ({ id: `${url}#${index}`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: String(index), statusListCredential: url });

    it('a list signed by a separate status service, named inside the badge’s signature, decides: valid, then revoked, saying who keeps it', async () => {
      const url = await publishList('a', [7], statusKeeper);
      const kept = await signDataIntegrity(issuer.credential({ credentialStatus: entry(url, 3) }), { key: issuer.key, verificationMethod: issuer.method });
      const report = await verify(kept, { now: NOW, lang: 'fr' });
      expect(report.verdict, explain(report)).to.equal('valid');
      expect(check(report, 'status').message).to.include(`tenue par ${statusKeeper.did}`);
      const revoked = await signDataIntegrity(issuer.credential({ credentialStatus: entry(url, 7) }), { key: issuer.key, verificationMethod: issuer.method });
      const gone = await verify(revoked, { now: NOW, lang: 'fr' });
      expect(gone.verdict).to.equal('revoked');
      expect(check(gone, 'status').message).to.include(statusKeeper.did);
    });

    it('a message entry (statusSize 2, statusMessage) shows the issuer’s message for the status found; an unreadable statusSize fails closed', async () => {
      const url = `${server.origin}/status-service/messages`;
      // Two bits per badge, most significant first: index 5 holds 0b01 (bit 11), index 6 holds 0b10 (bit 12).
      await publishList('messages', [], statusKeeper, {
        credentialSubject: { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: 'message', encodedList: encodeBitstring(STATUS_LIST_MIN_ENTRIES * 2, [11, 12]) },
      });
      const statusMessage = [{ status: '0x0', message: 'Rien à signaler' }, { status: '0x1', message: 'En cours de vérification' }, { status: '0x2', message: 'Renouvelé' }];
      const messageEntry = (index: number, size: unknown = 2) => ({ ...entry(url, index), statusPurpose: 'message', statusSize: size, statusMessage });
      for (const [index, message] of [[4, 'Rien à signaler'], [5, 'En cours de vérification'], [6, 'Renouvelé']] as const) {
        const signed = await signDataIntegrity(issuer.credential({ credentialStatus: messageEntry(index) }), { key: issuer.key, verificationMethod: issuer.method });
        const report = await verify(signed, { now: NOW, lang: 'fr' });
        expect(report.verdict, explain(report)).to.equal('valid');
        expect(check(report, 'status').message, String(index)).to.include(`message “${message}”`);
      }
      for (const size of ['deux', 0, 1000]) {
        const signed = await signDataIntegrity(issuer.credential({ credentialStatus: messageEntry(5, size) }), { key: issuer.key, verificationMethod: issuer.method });
        const report = await verify(signed, { now: NOW, lang: 'en' });
        expect(report.verdict, String(size)).to.equal('unverifiable');
        expect(check(report, 'status').message).to.include('statusSize');
      }
    });

    it('an entry that does not say its purpose takes its list’s: a set bit on a revocation list revokes; with no purpose anywhere, unverifiable', async () => {
      const url = await publishList('unsaid', [9], statusKeeper);
      const unsaid = (index: number, list = url) => { const { statusPurpose: _p, ...rest } = entry(list, index); return rest; };
      const verdictOf = async (status: ReturnType<typeof unsaid>) => (await verify(await signDataIntegrity(issuer.credential({ credentialStatus: status }), { key: issuer.key, verificationMethod: issuer.method }), { now: NOW, lang: 'en' })).verdict;
      expect(await verdictOf(unsaid(9))).to.equal('revoked');
      expect(await verdictOf(unsaid(8))).to.equal('valid');
      const bare = `${server.origin}/status-service/bare`;
      await publishList('bare', [9], statusKeeper, { credentialSubject: { id: `${bare}#list`, type: 'BitstringStatusList', encodedList: encodeBitstring(STATUS_LIST_MIN_ENTRIES, [9]) } });
      expect(await verdictOf(unsaid(9, bare))).to.equal('unverifiable');
    });

    it('fails closed when the list is not authentic as itself, not the list named, or cannot be had', async () => {
      // Claims the issuer's name but is signed with the status service's key.
      const forged = await publishList('forged', [], statusKeeper, { issuer: issuer.did });
      // A real list, but served at another address than its own id.
      const moved = await publishList('moved', [], statusKeeper, { id: `${server.origin}/status-service/elsewhere` });
      for (const [url, why] of [[forged, 'not by its issuer'], [moved, `not ${moved}`], [`${server.origin}/status-service/absent`, '']] as const) {
        clearDocumentCache();
        const signed = await signDataIntegrity(issuer.credential({ credentialStatus: entry(url, 1) }), { key: issuer.key, verificationMethod: issuer.method });
        const report = await verify(signed, { now: NOW, lang: 'en' });
        expect(report.verdict, url).to.equal('unverifiable');
        expect(check(report, 'status').status).to.equal('fail');
        if (why) expect(check(report, 'status').message).to.include(why);
      }
    });
  });

  describe('every W3C suite', () => {
    it('eddsa-2022, signed by the 2022 suite itself, verifies; altered, it does not', async () => {
      const { cryptosuite: eddsa2022 } = await import('@digitalbazaar/eddsa-2022-cryptosuite' as string) as { cryptosuite: unknown };
      const signed = await signWith(issuer.credential(), ed25519Signer(issuer.key, issuer.method), eddsa2022);
      expect((signed.proof as JsonObject).cryptosuite).to.equal('eddsa-2022');
      const report = await verify(signed, { now: NOW, lang: 'en' });
      expect(report.verdict, explain(report)).to.equal('valid');
      expect(check(report, 'proof').message).to.include('eddsa-2022');
      expect((await verify({ ...signed, name: 'x' } as unknown as JsonObject, { now: NOW })).verdict).to.equal('invalid');
    });

    for (const curve of ['P-256', 'P-384'] as const) {
      it(`ecdsa-rdfc-2019 with a ${curve} did:key verifies; altered, it does not`, async () => {
        const key = await EcdsaMultikey.generate({ curve });
        const did = `did:key:${key.publicKeyMultibase}`;
        const signer = { ...key.signer(), id: `${did}#${key.publicKeyMultibase}` };
        const signed = await signWith(buildCredential(badgeInput(did)), signer, ecdsaRdfc2019);
        const report = await verify(signed, { now: NOW, lang: 'en', offline: true });
        expect(report.verdict, explain(report)).to.equal('valid');
        expect(check(report, 'proof').message).to.include('ecdsa-rdfc-2019');
        expect((await verify({ ...signed, name: 'x' } as unknown as JsonObject, { now: NOW, offline: true })).verdict).to.equal('invalid');
      });
    }

    it('eddsa-jcs-2022 verifies; altered, it does not', async () => {
      const signed = await signWith(issuer.credential(), ed25519Signer(issuer.key, issuer.method), eddsaJcsSign());
      expect((signed.proof as JsonObject).cryptosuite).to.equal('eddsa-jcs-2022');
      const report = await verify(signed, { now: NOW, lang: 'en' });
      expect(report.verdict, explain(report)).to.equal('valid');
      expect((await verify({ ...signed, name: 'x' } as unknown as JsonObject, { now: NOW })).verdict).to.equal('invalid');
    });

    it('a bare did:key as verification method resolves to its one key', async () => {
      const key = generateKey();
      const did = didKeyFor(key.publicKeyMultibase);
      const signed = await signWith(buildCredential(badgeInput(did)), ed25519Signer(key, did), eddsaRdfc2022);
      expect((signed.proof as JsonObject).verificationMethod).to.equal(did);
      const report = await verify(signed, { now: NOW, lang: 'en', offline: true });
      expect(report.verdict, explain(report)).to.equal('valid');
      expect(check(report, 'provenance').status).to.equal('pass');
    });

    it('an issuer named by did:jwk (wallet stacks: walt.id, Sphereon, the EU wallet) — VC-JWT EdDSA and ES256, and Data Integrity', async () => {
      const didJwk = (jwk: object) => `did:jwk:${Buffer.from(JSON.stringify(jwk)).toString('base64url')}`;
      const jwt = async (alg: string, privateKey: KeyObject, did: string, kid = `${did}#0`) => {
        const { proof: _none, ...credential } = buildCredential(badgeInput(did)) as unknown as JsonObject;
        return new SignJWT({ ...credential, iss: did }).setProtectedHeader({ alg, typ: 'vc+jwt', kid }).sign(privateKey);
      };
      const ed = generateKeyPairSync('ed25519');
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const edDid = didJwk(ed.publicKey.export({ format: 'jwk' }));
      for (const [name, token] of [
        ['EdDSA', await jwt('EdDSA', ed.privateKey, edDid)],
        ['ES256', await jwt('ES256', ec.privateKey, didJwk(ec.publicKey.export({ format: 'jwk' })))],
        ['EdDSA, kid relative to the issuer', await jwt('EdDSA', ed.privateKey, edDid, '0')],
      ] as const) {
        const report = await verify(token, { now: NOW, lang: 'en', offline: true });
        expect(report.verdict, `${name}\n${explain(report)}`).to.equal('valid');
        expect(check(report, 'provenance').status, name).to.equal('pass');
      }
      // Signed by another key than the one the DID names: the signature does not hold.
      const other = generateKeyPairSync('ed25519');
      expect((await verify(await jwt('EdDSA', other.privateKey, edDid), { now: NOW, offline: true })).verdict).to.equal('invalid');
      // A did:jwk carrying its private key proves nothing (anyone holds it), and a broken one names no key: unverifiable.
      const leaked = didJwk(ed.privateKey.export({ format: 'jwk' }));
      for (const did of [leaked, 'did:jwk:bm90IGEga2V5']) {
        const report = await verify(await jwt('EdDSA', ed.privateKey, did), { now: NOW, lang: 'en', offline: true });
        expect(report.verdict, explain(report)).to.equal('unverifiable');
        expect(check(report, 'proof').code).to.equal('DID_INVALID');
      }
      // Data Integrity with a did:jwk verification method.
      const key = generateKey();
      const did = didJwk(publicJwkFromMultibase(key.publicKeyMultibase));
      const signed = await signWith(buildCredential(badgeInput(did)), ed25519Signer(key, `${did}#0`), eddsaRdfc2022);
      const report = await verify(signed, { now: NOW, lang: 'en', offline: true });
      expect(report.verdict, explain(report)).to.equal('valid');
      expect((await verify({ ...signed, name: 'x' } as unknown as JsonObject, { now: NOW, offline: true })).verdict).to.equal('invalid');
    });

    it('VC-JWT algorithms: ES256K (secp256k1) verifies; one we do not check is unsupported by name; none and HS256 prove nothing (unverifiable); an SD-JWT is unsupported, with advice', async () => {
      const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
      const did = `did:jwk:${Buffer.from(JSON.stringify(k1.publicKey.export({ format: 'jwk' }))).toString('base64url')}`;
      const { proof: _none, ...credential } = buildCredential(badgeInput(did)) as unknown as JsonObject;
      const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const token = (alg: string, sign: (input: string) => Buffer) => {
        const input = `${part({ alg, typ: 'vc+jwt', kid: `${did}#0` })}.${part({ ...credential, iss: did })}`;
        return `${input}.${sign(input).toString('base64url')}`;
      };
      const es256k = token('ES256K', (input) => cryptoSign('sha256', Buffer.from(input), { key: k1.privateKey, dsaEncoding: 'ieee-p1363' }));
      const valid = await verify(es256k, { now: NOW, lang: 'en', offline: true });
      expect(valid.verdict, explain(valid)).to.equal('valid');
      expect(check(valid, 'proof').message).to.include('ES256K');
      const forged = `${es256k.slice(0, es256k.lastIndexOf('.'))}.${Buffer.alloc(64, 1).toString('base64url')}`;
      expect((await verify(forged, { now: NOW, offline: true })).verdict).to.equal('invalid');
      const unknown = await verify(token('ML-DSA-44', () => Buffer.alloc(2420, 7)), { now: NOW, lang: 'en', offline: true });
      expect([unknown.verdict, check(unknown, 'proof').code]).to.deep.equal(['unsupported', 'PROOF_UNSUPPORTED']);
      expect(check(unknown, 'proof').message).to.include('ML-DSA-44');
      for (const alg of ['none', 'HS256']) {
        const report = await verify(token(alg, () => Buffer.from(alg === 'none' ? '' : 'secret')), { now: NOW, lang: 'en', offline: true });
        expect([report.verdict, check(report, 'proof').code], alg).to.deep.equal(['unverifiable', 'JWT_ALG_FORBIDDEN']);
      }
      const disclosure = part(['c2FsdA', 'given_name', 'Camille']);
      for (const sdJwt of [`${es256k}~${disclosure}~`, `${es256k}~`, `${es256k}~${disclosure}~${es256k}`]) {
        const report = await verify(sdJwt, { now: NOW, lang: 'fr', offline: true });
        expect([report.verdict, check(report, 'format').code]).to.deep.equal(['unsupported', 'INPUT_SD_JWT']);
        expect(check(report, 'format').message).to.include('SD-JWT').and.include('Demandez le badge');
      }
    });

    it('a badge given as a data: URL ("Copy image address" of a badge shown inline, a wallet export) is read as the file it holds', async () => {
      const key = generateKey();
      const did = didKeyFor(key.publicKeyMultibase);
      const signed = await signWith(buildCredential(badgeInput(did)), ed25519Signer(key, `${did}#${key.publicKeyMultibase}`), eddsaRdfc2022);
      const png = bakePng(readFileSync(path.join(FIXTURES, 'images', 'unbaked.png')), JSON.stringify(signed));
      for (const url of [`data:image/png;base64,${png.toString('base64')}`, `data:application/vc+ld+json,${encodeURIComponent(JSON.stringify(signed))}`, ` data:;base64,${Buffer.from(JSON.stringify(signed)).toString('base64').replace(/(.{76})/g, '$1\n')}`]) {
        const report = await verify(url, { now: NOW, lang: 'en', offline: true });
        expect(report.verdict, `${url.slice(0, 30)}\n${explain(report)}`).to.equal('valid');
        expect(check(report, 'format').message).to.include('data: URL');
      }
      const altered = await verify(`data:application/json,${encodeURIComponent(JSON.stringify({ ...signed, name: 'x' }))}`, { now: NOW, offline: true });
      expect(altered.verdict).to.equal('invalid');
      const broken = await verify('data:image/png;base64', { now: NOW, lang: 'en', offline: true });
      expect(broken.verdict).to.equal('unsupported');
    });

    it('a suite nobody here knows is unsupported, by name — never invalid', async () => {
      const signed = await signDataIntegrity(issuer.credential(), { key: issuer.key, verificationMethod: issuer.method });
      const other = { ...signed, proof: { ...(signed.proof as JsonObject), cryptosuite: 'bbs-2023' } };
      const report = await verify(other as unknown as JsonObject, { now: NOW, lang: 'en' });
      expect(report.verdict).to.equal('unsupported');
      expect(check(report, 'proof').message).to.include('bbs-2023');
    });
  });

  describe('bounds', () => {
    it('refuses an over-long proofValue at once, before decoding it', async () => {
      const signed = await signDataIntegrity(issuer.credential(), { key: issuer.key, verificationMethod: issuer.method });
      const huge = { ...signed, proof: { ...(signed.proof as JsonObject), proofValue: `z${'2'.repeat(1024 * 1024)}` } };
      const report = await verify(huge as unknown as JsonObject, { now: NOW, lang: 'fr' });
      expect(report.verdict).to.equal('invalid');
      expect(check(report, 'proof').message).to.include('anormalement longue');
    });

    it('refuses JSON with a key given twice, whatever its spelling', async () => {
      const signed = JSON.stringify(await signDataIntegrity(issuer.credential(), { key: issuer.key, verificationMethod: issuer.method }));
      const twice = [
        signed.replace('"credentialSubject":{', '"credentialSubject":{"name":"Quelqu’un d’autre",'),
        signed.replace('{"@context"', '{"\\u0069d":"urn:x","@context"'),
      ];
      for (const text of twice) {
        const report = await verify(text, { now: NOW, lang: 'fr' });
        expect(report.verdict).to.equal('invalid');
        expect(check(report, 'format').message).to.include('deux fois la clé');
      }
    });

    it('refuses a compressed openbadgecredential chunk (§5.3.1), iTXt or zTXt, without inflating it', async () => {
      const png = readFileSync(path.join(FIXTURES, 'images', 'unbaked.png'));
      // The chunk as another tool might write it: compression flag set (iTXt) or zTXt, the text deflated.
      const ihdrEnd = 8 + 4 + 4 + 13 + 4;
      const payload = deflateSync(Buffer.from('{"a":1}'));
      const itxt = Buffer.concat([Buffer.from('openbadgecredential\0\x01\x00\0\0', 'latin1'), payload]);
      const ztxt = Buffer.concat([Buffer.from('openbadgecredential\0\x00', 'latin1'), payload]);
      for (const [type, data] of [['iTXt', itxt], ['zTXt', ztxt]] as const) {
        const length = Buffer.alloc(4);
        length.writeUInt32BE(data.length);
        const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
        const crc = Buffer.alloc(4);
        crc.writeUInt32BE(crc32(body) >>> 0);
        const image = Buffer.concat([png.subarray(0, ihdrEnd), length, body, crc, png.subarray(ihdrEnd)]);
        expect(image.subarray(0, 8).equals(PNG_SIGNATURE)).to.equal(true);
        const report = await verify(image, { now: NOW, lang: 'en' });
        expect(report.verdict, type).to.equal('invalid');
        expect(check(report, 'format').message, type).to.include('compressed');
      }
    });
  });
});

describe('check codes (issue 16 §4)', () => {
  it('every check carries a stable code beside its sentence, the same in both languages', async () => {
    const issuerKey = generateKey();
    const did = didKeyFor(issuerKey.publicKeyMultibase);
    const signed = await signDataIntegrity(dccBadge(did) as unknown as OpenBadgeCredential, { key: issuerKey, verificationMethod: `${did}#${issuerKey.publicKeyMultibase}` });
    const [fr, en] = await Promise.all(['fr', 'en'].map((lang) => verify(signed, { now: NOW, lang: lang as 'fr' | 'en', offline: true })));
    expect(fr!.checks.map((c) => c.code)).to.deep.equal(en!.checks.map((c) => c.code));
    expect(check(fr!, 'type').code).to.equal('TYPE_NO_SUBJECT_ID');
    expect(check(fr!, 'proof').code).to.equal('PROOF_PASS');
    const tampered = await verify({ ...signed, name: 'x' } as unknown as JsonObject, { now: NOW, offline: true });
    expect(check(tampered, 'proof').code).to.equal('PROOF_INVALID');
    for (const c of [...fr!.checks, ...tampered.checks]) expect(c.code, c.id).to.match(/^[A-Z0-9]+(_[A-Z0-9]+)*$/);
  });
});
