// Issue 15 §4: Open Badges 2.0, as the issuers still making most badges in France publish them —
// hosted and signed, as JSON, as a URL, as a JWS, baked in PNG (tEXt and iTXt) and SVG — served by
// a local issuer, verified through the same guarded loader, in the same report shape.
import { expect } from 'chai';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { CompactSign } from 'jose';
import { clearDocumentCache } from '../src/ob3/documents.js';
import { CHECK_IDS, type JsonObject, type VerificationReport } from '../src/ob3/model.js';
import { verify } from '../src/ob3/verify/index.js';
import { ob2Display } from '../src/ob3/verify/ob2.js';
import { WebClient, startTestApp } from './helpers/app.js';
import { FIXTURES } from './helpers/fixtures.js';
import { startDocumentServer, type DocumentServer } from './helpers/server.js';

const NOW = new Date('2026-11-22T12:00:00Z');
const check = (report: VerificationReport, id: string) => report.checks.find((c) => c.id === id)!;
const explain = (report: VerificationReport) => JSON.stringify(report.checks, null, 1);
const hashed = (email: string, salt: string) => ({ type: 'email', hashed: true, salt, identity: `sha256$${createHash('sha256').update(email + salt).digest('hex')}` });

/** A PNG with one text chunk after IHDR (tEXt, or uncompressed iTXt), as OB 2.0 bakers write. */
function bakeOb2Png(text: string, type: 'tEXt' | 'iTXt'): Buffer {
  const png = readFileSync(path.join(FIXTURES, 'images', 'unbaked.png'));
  const data = type === 'tEXt' ? Buffer.from(`openbadges\0${text}`, 'latin1') : Buffer.concat([Buffer.from('openbadges\0\0\0\0\0', 'latin1'), Buffer.from(text, 'utf8')]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  const ihdrEnd = 8 + 4 + 4 + 13 + 4;
  return Buffer.concat([png.subarray(0, ihdrEnd), length, body, crc, png.subarray(ihdrEnd)]);
}

describe('Open Badges 2.0 (issue 15)', function () {
  this.timeout(30_000);
  let server: DocumentServer;
  let o: string;
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

  const assertion = (n: string, extra: JsonObject = {}): JsonObject => ({
    '@context': 'https://w3id.org/openbadges/v2', type: 'Assertion', id: `${o}/ob2/assertions/${n}`,
    recipient: hashed('lea@example.org', 'sel'), badge: `${o}/ob2/badge`, verification: { type: 'hosted' },
    issuedOn: '2025-06-01T10:00:00Z', evidence: { narrative: 'A animé la réunion de quartier.' }, ...extra,
  });
  const host = (n: string, extra: JsonObject = {}) => { const a = assertion(n, extra); server.json(`/ob2/assertions/${n}`, a); return a; };
  const sign = (payload: JsonObject) => new CompactSign(Buffer.from(JSON.stringify(payload))).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
  const signedAssertion = (n: string, extra: JsonObject = {}) => assertion(n, { verification: { type: 'signed', creator: `${o}/ob2/key` }, ...extra });

  before(async () => {
    server = await startDocumentServer();
    o = server.origin;
    server.json('/ob2/issuer', {
      '@context': 'https://w3id.org/openbadges/v2', type: 'Issuer', id: `${o}/ob2/issuer`, name: 'Mission locale de test',
      url: 'https://mission-locale.example.org', email: 'contact@example.org', publicKey: `${o}/ob2/key`, revocationList: `${o}/ob2/revocations`,
    });
    server.json('/ob2/badge', {
      '@context': 'https://w3id.org/openbadges/v2', type: 'BadgeClass', id: `${o}/ob2/badge`, name: 'Animer une réunion',
      description: 'Sait préparer et animer une réunion.', image: 'https://mission-locale.example.org/badge.png',
      criteria: { narrative: 'A animé une réunion de bout en bout.' }, issuer: `${o}/ob2/issuer`,
    });
    server.json('/ob2/key', { '@context': 'https://w3id.org/openbadges/v2', type: 'CryptographicKey', id: `${o}/ob2/key`, owner: `${o}/ob2/issuer`, publicKeyPem: pem });
    server.json('/ob2/revocations', { '@context': 'https://w3id.org/openbadges/v2', id: `${o}/ob2/revocations`, type: 'RevocationList', issuer: `${o}/ob2/issuer`, revokedAssertions: [{ id: `${o}/ob2/assertions/s-revoked`, revocationReason: 'Délivré par erreur' }] });
  });
  after(() => server.close());
  beforeEach(() => clearDocumentCache());

  describe('hosted', () => {
    it('a hosted assertion, given as JSON, as its URL, and baked in PNG (tEXt, iTXt) and SVG, is authentic, in the same report shape', async () => {
      const a = host('1');
      const svg = readFileSync(path.join(FIXTURES, 'images', 'unbaked.svg'), 'utf8')
        .replace(/<svg([^>]*)>/, `<svg$1 xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="${a.id as string}"></openbadges:assertion>`);
      for (const input of [a, a.id as string, bakeOb2Png(a.id as string, 'tEXt'), bakeOb2Png(JSON.stringify(a), 'iTXt'), Buffer.from(svg)]) {
        clearDocumentCache();
        const report = await verify(input as never, { now: NOW, lang: 'fr', recipient: 'Lea@example.org' });
        expect(report.verdict, explain(report)).to.equal('valid');
        expect(report.openBadgesVersion).to.equal('2.0');
        expect(report.checks.map((c) => c.id)).to.deep.equal([...CHECK_IDS]);
        expect(check(report, 'format').message).to.include('Open Badges 2.0');
        expect(check(report, 'recipient').status).to.equal('pass');
      }
      const shown = ob2Display((await verify(a, { now: NOW })).credential as unknown as JsonObject);
      expect(shown.credentialSubject.achievement!.name).to.equal('Animer une réunion');
      expect(typeof shown.issuer === 'object' && shown.issuer.name).to.equal('Mission locale de test');
    });

    it('revoked (the hosted copy says so, or answers 410), expired, and a wrong recipient', async () => {
      host('2', { revoked: true, revocationReason: 'Erreur de saisie' });
      const revoked = await verify(assertion('2'), { now: NOW, lang: 'fr' });
      expect(revoked.verdict).to.equal('revoked');
      expect(check(revoked, 'status').message).to.include('Erreur de saisie');
      server.routes.set('/ob2/assertions/3', { body: 'gone', status: 410 });
      expect((await verify(assertion('3'), { now: NOW })).verdict).to.equal('revoked');
      // Baked as its URL, it is an OB 2.0 badge: gone means revoked. A bare address that answers 410
      // could be any badge (ours answer 410 once erased, still unrevoked): unverifiable, saying so.
      expect((await verify(bakeOb2Png(`${o}/ob2/assertions/3`, 'tEXt'), { now: NOW })).verdict).to.equal('revoked');
      const bare = await verify(`${o}/ob2/assertions/3`, { now: NOW, lang: 'en' });
      expect(bare.verdict).to.equal('unverifiable');
      expect(check(bare, 'format').message).to.include('HTTP 410');
      host('4', { expires: '2026-01-01T00:00:00Z' });
      expect((await verify(assertion('4'), { now: NOW })).verdict).to.equal('expired');
      host('5');
      const other = await verify(assertion('5'), { now: NOW, recipient: 'quelquun@example.org' });
      expect(other.verdict).to.equal('valid');
      expect(other.verified).to.equal(false);
    });

    it('older dates are read as their issuers wrote them: a bare date, a Unix timestamp (OB 1.0); an unreadable one is a warning', async () => {
      for (const [n, issuedOn, status] of [['d1', '2025-06-01', 'pass'], ['d2', 1748772000, 'pass'], ['d3', '1748772000', 'pass'], ['d4', 'juin 2025', 'warn']] as const) {
        host(n, { issuedOn });
        const report = await verify(assertion(n, { issuedOn }), { now: NOW, lang: 'fr' });
        expect([report.verdict, check(report, 'validity').status], String(issuedOn)).to.deep.equal(['valid', status]);
      }
    });

    it('invalid when the address hosts another badge, or the badge is hosted outside the issuer’s addresses; unverifiable when it cannot be had', async () => {
      server.json('/ob2/assertions/6', assertion('7'));
      const mismatch = await verify(assertion('6'), { now: NOW, lang: 'en' });
      expect(mismatch.verdict).to.equal('invalid');
      expect(check(mismatch, 'proof').message).to.include('another badge');

      // The issuer says its badges live on example.org only: one on this server is not its.
      server.json('/ob2/strict-issuer', { type: 'Issuer', id: `${o}/ob2/strict-issuer`, name: 'Strict', verification: { allowedOrigins: 'badges.example.org' } });
      server.json('/ob2/strict-badge', { type: 'BadgeClass', id: `${o}/ob2/strict-badge`, name: 'X', issuer: `${o}/ob2/strict-issuer` });
      host('8', { badge: `${o}/ob2/strict-badge` });
      const elsewhere = await verify(assertion('8', { badge: `${o}/ob2/strict-badge` }), { now: NOW, lang: 'en' });
      expect(elsewhere.verdict).to.equal('invalid');
      expect(check(elsewhere, 'provenance').status).to.equal('fail');

      // A BadgeClass URL that answers with another BadgeClass.
      server.json('/ob2/liar-badge', { type: 'BadgeClass', id: `${o}/ob2/badge`, name: 'Autre', issuer: `${o}/ob2/issuer` });
      host('9', { badge: `${o}/ob2/liar-badge` });
      expect((await verify(assertion('9', { badge: `${o}/ob2/liar-badge` }), { now: NOW })).verdict).to.equal('invalid');

      const absent = await verify(assertion('absent'), { now: NOW });
      expect(absent.verdict).to.equal('unverifiable');
    });
  });

  it('the verifier page and the API say it is the older format, with the same plain verdict', async () => {
    const a = host('page');
    const app = await startTestApp({ BADGEONS_FETCH_ALLOW_HOSTS: new URL(o).host });
    try {
      const recruiter = new WebClient(app.url);
      await recruiter.get('/verify');
      const page = await recruiter.postMultipart('/verify', { recipient: 'lea@example.org' }, { field: 'file', name: 'badge.png', type: 'image/png', bytes: bakeOb2Png(a.id as string, 'tEXt') });
      expect(page.text).to.include('data-verdict="valid"').and.include('id="ob2-note"').and.include('Animer une réunion').and.include('Mission locale de test');
      expect(page.text).to.include('Correspond : ce badge a bien été délivré à lea@example.org');
      const api = await (await fetch(`${app.url}/api/v1/verify`, { method: 'POST', body: JSON.stringify({ url: a.id }), headers: { 'content-type': 'application/json' } })).json() as { verdict: string; openBadgesVersion: string; checks: unknown[] };
      expect(api).to.include({ verdict: 'valid', openBadgesVersion: '2.0' });
      expect(api.checks).to.have.length(CHECK_IDS.length);
    } finally {
      await app.close();
    }
  });

  describe('signed', () => {
    it('an RS256 JWS checked with the issuer’s key verifies, as text and baked; not revoked per the issuer’s list', async () => {
      const jws = await sign(signedAssertion('s1'));
      for (const input of [jws, bakeOb2Png(jws, 'iTXt')]) {
        const report = await verify(input, { now: NOW, lang: 'en', recipient: 'lea@example.org' });
        expect(report.verdict, explain(report)).to.equal('valid');
        expect(check(report, 'proof').message).to.include('RS256');
        expect(check(report, 'provenance').status).to.equal('pass');
        expect(check(report, 'status').message).to.include('revocation list');
      }
    });

    it('revoked when the issuer’s list says so; invalid when altered or when the key is someone else’s; unverifiable when the list cannot be had', async () => {
      expect((await verify(await sign(signedAssertion('s-revoked')), { now: NOW })).verdict).to.equal('revoked');

      const [h, , s] = (await sign(signedAssertion('s2'))).split('.');
      const altered = [h, Buffer.from(JSON.stringify(signedAssertion('s2', { recipient: hashed('autre@example.org', 'sel') }))).toString('base64url'), s].join('.');
      const tampered = await verify(altered, { now: NOW });
      expect(tampered.verdict).to.equal('invalid');
      expect(check(tampered, 'proof').status).to.equal('fail');

      server.json('/ob2/stolen-key', { type: 'CryptographicKey', id: `${o}/ob2/stolen-key`, owner: `${o}/ob2/someone-else`, publicKeyPem: pem });
      const wrongOwner = await verify(await sign(signedAssertion('s3', { verification: { type: 'signed', creator: `${o}/ob2/stolen-key` } })), { now: NOW });
      expect(wrongOwner.verdict, explain(wrongOwner)).to.equal('invalid');
      expect(check(wrongOwner, 'provenance').status).to.equal('fail');

      const list = server.routes.get('/ob2/revocations')!;
      server.routes.delete('/ob2/revocations');
      clearDocumentCache();
      try {
        expect((await verify(await sign(signedAssertion('s4')), { now: NOW })).verdict, 'fails closed').to.equal('unverifiable');
      } finally {
        server.routes.set('/ob2/revocations', list);
      }
    });

    it('a signed assertion given without its JWS cannot be authenticated: unverifiable, saying why', async () => {
      const report = await verify(signedAssertion('s5'), { now: NOW, lang: 'fr' });
      expect(report.verdict).to.equal('unverifiable');
      expect(check(report, 'proof').message).to.include('sans sa signature');
    });
  });
});
