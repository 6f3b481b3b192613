// Bounded fuzzing (fast-check, fixed seed, a few thousand cases in all, stops by itself): the
// unbaker, the JWT and JSON readers, the whole verifier on mutated credentials, and the CSV import.
// Whatever the bytes, each answers or refuses with one of our typed errors — never anything else,
// never a half-written import.
import { expect } from 'chai';
import fc from 'fast-check';
import sharp from 'sharp';
import { bakeImage, unbakeImage } from '../src/ob3/bake/index.js';
import { Ob3Error } from '../src/ob3/errors.js';
import { decodeJwtCredential } from '../src/ob3/proof/jwt.js';
import { verify } from '../src/ob3/verify/index.js';
import { parseJsonObject } from '../src/ob3/verify/input.js';
import { createAtelier, importParticipants } from '../src/ateliers/ateliers.js';
import { authorize, createCollective } from '../src/collectives/collectives.js';
import { AppError } from '../src/shared/errors.js';
import { startTestApp, ADMIN, type TestApp } from './helpers/app.js';
import { issueToEmail } from './helpers/learner.js';

const SEED = 20261122;
const ours = (error: unknown) => error instanceof Ob3Error || error instanceof AppError;

/** Flips, overwrites, cuts or inserts bytes of `base`. */
const mutated = (base: Uint8Array) => fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'cut', 'insert')), { minLength: 1, maxLength: 8 })
  .map((edits) => {
    let bytes = Buffer.from(base);
    for (const [at, value, how] of edits) {
      const i = at % Math.max(1, bytes.length);
      if (how === 'set') bytes[i] = value;
      else if (how === 'cut') bytes = bytes.subarray(0, i);
      else bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from([value]), bytes.subarray(i)]);
    }
    return bytes;
  });

describe('fuzzing (fixed seed)', function () {
  this.timeout(180_000);
  let app: TestApp;
  let json: string;
  let jwt: string;

  before(async () => {
    app = await startTestApp();
    const { credentialId } = await issueToEmail(app.ctx, 'ariege', 'Nadia Benali', 'nadia@example.org');
    const record = (await app.ctx.store.credentials.byId(credentialId))!;
    json = record.json!;
    jwt = record.jwt!;
  });
  after(async () => { await app?.close(); });

  it('the unbaker: 1,500 mutated baked PNG and SVG pictures', async () => {
    const png = bakeImage(await sharp({ create: { width: 32, height: 32, channels: 4, background: '#1f6f8b' } }).png().toBuffer(), json).bytes;
    const svg = bakeImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle r="4"/></svg>'), json).bytes;
    let read = 0;
    fc.assert(fc.property(fc.oneof(mutated(png), mutated(svg)), (bytes) => {
      try {
        const found = unbakeImage(bytes);
        expect(found.text).to.be.a('string');
        read++;
      } catch (error) {
        if (!ours(error)) throw error;
      }
    }), { seed: SEED, numRuns: 1500 });
    expect(read, 'some mutations leave the credential readable').to.be.greaterThan(0);
  });

  it('the JWT and JSON readers: 2,000 mutated tokens and texts', () => {
    fc.assert(fc.property(mutated(Buffer.from(jwt)), (bytes) => {
      try {
        decodeJwtCredential(bytes.toString('latin1'));
      } catch (error) {
        if (!ours(error)) throw error;
      }
    }), { seed: SEED, numRuns: 1000 });
    fc.assert(fc.property(fc.oneof(mutated(Buffer.from(json)).map((b) => b.toString('utf8')), fc.string({ maxLength: 200 }), fc.json()), (text) => {
      try {
        expect(parseJsonObject(text)).to.be.an('object');
      } catch (error) {
        if (!ours(error)) throw error;
      }
    }), { seed: SEED, numRuns: 1000 });
  });

  it('the whole verifier: 300 mutated credentials never crash it, and none verifies unless unchanged', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(mutated(Buffer.from(json)), mutated(Buffer.from(jwt))), async (bytes) => {
      const report = await verify(bytes.toString('utf8'), { offline: true });
      expect(report.checks.length).to.be.greaterThan(0);
      if (report.verdict === 'valid') expect([json, jwt]).to.include(bytes.toString('utf8'));
    }), { seed: SEED, numRuns: 300 });
  });

  it('the CSV import: 400 arbitrary spreadsheets import whole rows or refuse, never half', async () => {
    const admin = (await app.ctx.store.accounts.byEmail(ADMIN.email))!;
    const collective = await createCollective(app.ctx, admin, { slug: 'fuzz', name: 'Fuzz' });
    const scope = await authorize(app.ctx, admin, 'fuzz', 'admin');
    const atelier = await createAtelier(app.ctx, scope, { title: 'Atelier', date: '2026-11-22', badgeClassIds: [] });
    const cell = fc.oneof(fc.string({ maxLength: 12 }), fc.emailAddress(), fc.constantFrom('oui', 'non', 'nom', 'email', '"', '""', ';', ',', '\n', '\r\n', 'é'));
    const sheet = fc.array(fc.array(cell, { maxLength: 4 }), { maxLength: 6 })
      .chain((rows) => fc.constantFrom(';', ',', '\t').map((sep) => ['nom;email;consentement'.replace(/;/g, sep), ...rows.map((r) => r.join(sep))].join('\n')));
    await fc.assert(fc.asyncProperty(fc.oneof(sheet.map((t) => Buffer.from(t)), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b))), async (bytes) => {
      const before = (await app.ctx.store.ateliers.participants(collective.id, atelier.id)).length;
      let imported = 0;
      try {
        const report = await importParticipants(app.ctx, scope, atelier.id, bytes);
        imported = report.imported.length;
        for (const p of report.imported) expect(p.name.trim(), 'a name').not.to.equal('');
      } catch (error) {
        if (!ours(error)) throw error;
      }
      expect((await app.ctx.store.ateliers.participants(collective.id, atelier.id)).length).to.equal(before + imported);
    }), { seed: SEED, numRuns: 400 });
  });
});
