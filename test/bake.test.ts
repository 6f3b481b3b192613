// Baking: the spec's placement rules, read back by an independent PNG chunk reader and by sharp.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import extractChunks from 'png-chunks-extract';
import sharp from 'sharp';
import { bakeImage, unbakeImage } from '../src/ob3/bake/index.js';
import { bakePng, unbakePng } from '../src/ob3/bake/png.js';
import { bakeSvg, unbakeSvg } from '../src/ob3/bake/svg.js';
import { buildCredential } from '../src/ob3/build.js';
import { didKeyFor, verificationMethodId } from '../src/ob3/did.js';
import { generateKey } from '../src/ob3/keys.js';
import { signDataIntegrity } from '../src/ob3/proof/data-integrity.js';
import { signJwt } from '../src/ob3/proof/jwt.js';
import { verify } from '../src/ob3/verify/index.js';
import { FIXTURES } from './helpers/fixtures.js';
import { badgeInput } from './helpers/issuer.js';

const PNG = readFileSync(path.join(FIXTURES, 'images', 'unbaked.png'));
const SVG = readFileSync(path.join(FIXTURES, 'images', 'unbaked.svg'), 'utf8');
const NOW = new Date('2026-11-22T12:00:00Z');

describe('baking', () => {
  const key = generateKey();
  const did = didKeyFor(key.publicKeyMultibase);
  const method = verificationMethodId(did, key);
  let json: string;
  let jwt: string;
  before(async () => {
    const credential = buildCredential(badgeInput(did));
    json = JSON.stringify(await signDataIntegrity(credential, { key, verificationMethod: method }));
    jwt = await signJwt(credential, key, method);
  });

  describe('PNG', () => {
    it('puts exactly one uncompressed iTXt `openbadgecredential` chunk right after IHDR', () => {
      const baked = bakePng(PNG, json);
      const chunks = extractChunks(baked);
      expect(chunks[0]!.name).to.equal('IHDR');
      expect(chunks[1]!.name).to.equal('iTXt');
      const data = Buffer.from(chunks[1]!.data);
      expect(data.subarray(0, 20).toString('latin1')).to.equal('openbadgecredential\0');
      expect(data[20], 'compression flag').to.equal(0);
      expect(data.subarray(24).toString('utf8')).to.equal(json); // keyword NUL flag method lang NUL translated NUL
      expect(chunks.filter((c) => c.name === 'iTXt')).to.have.length(1);
    });

    it('replaces an existing credential instead of adding a second one', () => {
      const twice = bakePng(bakePng(PNG, json), jwt);
      expect(extractChunks(twice).filter((c) => c.name === 'iTXt')).to.have.length(1);
      expect(unbakePng(twice)).to.deep.equal({ kind: 'ob3', text: jwt });
    });

    it('still opens in sharp, with the same pixels', async () => {
      const baked = bakePng(PNG, json);
      const meta = await sharp(baked).metadata();
      expect([meta.format, meta.width, meta.height]).to.deep.equal(['png', 384, 384]);
      const [a, b] = await Promise.all([sharp(PNG).raw().toBuffer(), sharp(baked).raw().toBuffer()]);
      expect(a.equals(b)).to.equal(true);
    });

    it('bakes last: an image re-encoded by sharp loses the chunk, baking after keeps it', async () => {
      const resized = await sharp(bakePng(PNG, json)).resize(256, 256).png().toBuffer();
      expect(() => unbakePng(resized)).to.throw().with.property('code', 'PNG_NO_CREDENTIAL');
      expect(unbakePng(bakePng(resized, json)).text).to.equal(json);
    });

    it('recognises an OB 2.0 image', () => {
      const itxt = Buffer.concat([Buffer.from('openbadges\0\0\0\0\0', 'latin1'), Buffer.from('{"type":"Assertion"}')]);
      const chunk = Buffer.alloc(12 + itxt.length);
      chunk.writeUInt32BE(itxt.length, 0);
      chunk.write('iTXt', 4, 'latin1');
      itxt.copy(chunk, 8);
      chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + itxt.length)), 8 + itxt.length);
      const ob2 = Buffer.concat([PNG.subarray(0, 33), chunk, PNG.subarray(33)]);
      expect(unbakePng(ob2).kind).to.equal('ob2');
    });

    it('refuses to bake into something that is not a PNG or SVG', () => {
      expect(() => bakeImage(Buffer.from('GIF89a'), json)).to.throw().with.property('code', 'IMAGE_UNSUPPORTED');
    });
  });

  describe('SVG', () => {
    it('adds the namespace and the credential right after the opening tag, JSON in CDATA', () => {
      const baked = bakeSvg(SVG, json);
      expect(baked).to.match(/<svg [^>]*xmlns:openbadges="https:\/\/purl\.imsglobal\.org\/ob\/v3p0"[^>]*><openbadges:credential><!\[CDATA\[\{/);
      expect(unbakeSvg(baked)).to.deep.equal({ kind: 'ob3', text: json });
    });

    it('puts a JWT in verify="…" and replaces an earlier credential', () => {
      const baked = bakeSvg(bakeSvg(SVG, json), jwt);
      expect(baked.match(/<openbadges:credential/g)).to.have.length(1);
      expect(baked).to.contain(`<openbadges:credential verify="${jwt}"></openbadges:credential>`);
      expect(unbakeSvg(baked).text).to.equal(jwt);
    });

    it('keeps JSON that contains "]]>" intact', () => {
      const tricky = JSON.stringify({ note: 'a ]]> b', x: '</openbadges:credential>' });
      expect(unbakeSvg(bakeSvg(SVG, tricky)).text).to.equal(tricky);
    });

    it('reads a credential under another prefix bound to the OB 3.0 namespace', () => {
      const other = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="https://purl.imsglobal.org/ob/v3p0"><ob:credential verify="${jwt}"/></svg>`;
      expect(unbakeSvg(other).text).to.equal(jwt);
    });

    it('verifies when the baked SVG arrives as a string (pasted text)', async () => {
      const report = await verify(bakeSvg(SVG, jwt), { offline: true, now: NOW });
      expect(report.verdict).to.equal('valid');
    });

    it('still renders in sharp', async () => {
      const meta = await sharp(Buffer.from(bakeSvg(SVG, json))).metadata();
      expect(meta.format).to.equal('svg');
    });

    it('recognises an OB 2.0 image', () => {
      const ob2 = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://example.org/a.json"/></svg>';
      expect(unbakeSvg(ob2).kind).to.equal('ob2');
    });

    it('refuses external entities and internal DTD subsets', () => {
      const xxe = '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>';
      expect(() => unbakeSvg(xxe)).to.throw().with.property('code', 'SVG_DOCTYPE_FORBIDDEN');
      expect(() => bakeSvg(xxe, json)).to.throw().with.property('code', 'SVG_DOCTYPE_FORBIDDEN');
    });

    it('refuses malformed XML with the line', () => {
      expect(() => unbakeSvg('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>')).to.throw().with.property('code', 'SVG_MALFORMED');
    });
  });

  for (const [image, type] of [[PNG, 'png'], [Buffer.from(SVG), 'svg']] as const) {
    for (const format of ['di', 'jwt'] as const) {
      it(`round trip: sign (${format}) → bake ${type} → unbake → verify`, async () => {
        const text = format === 'di' ? json : jwt;
        const baked = bakeImage(image, text);
        expect(baked.kind).to.equal(type);
        expect(unbakeImage(baked.bytes).text).to.equal(text);
        const report = await verify(baked.bytes, { offline: true, now: NOW });
        expect(report.verdict, JSON.stringify(report.checks)).to.equal('valid');
      });
    }
  }
});
