// Keys, DIDs and the document loader's layers and limits.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundledContext, bundledContextUrls } from '../src/ob3/contexts.js';
import { controllerDocument, didKeyDocument, didKeyFor, didWebFromUrl, didWebToUrl } from '../src/ob3/did.js';
import { clearDocumentCache, DocumentResolver } from '../src/ob3/documents.js';
import { activeKey, generateKey, loadKey, loadKeys, rotateKey, saveKey } from '../src/ob3/keys.js';
import { startDocumentServer } from './helpers/server.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'badgeons-keys-'));

describe('keys and DIDs', () => {
  it('stores a key as a JWK file readable by its owner only, and reads it back', () => {
    const dir = tempDir();
    const key = generateKey();
    const file = saveKey(dir, key);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    const jwk = JSON.parse(readFileSync(file, 'utf8'));
    expect(jwk).to.include({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: key.kid });
    expect(Buffer.from(jwk.d, 'base64url')).to.have.length(32);
    expect(loadKey(file).publicKeyMultibase).to.equal(key.publicKeyMultibase);
    expect(key.kid).to.match(/^z6Mk/);
  });

  it('accepts the 64-byte `d` that ed25519-multikey exports', () => {
    const dir = tempDir();
    const key = generateKey();
    const file = saveKey(dir, key);
    const jwk = JSON.parse(readFileSync(file, 'utf8'));
    jwk.d = Buffer.concat([Buffer.from(jwk.d, 'base64url'), Buffer.from(jwk.x, 'base64url')]).toString('base64url');
    writeFileSync(file, JSON.stringify(jwk));
    expect(loadKey(file).kid).to.equal(key.kid);
  });

  it('says which file is broken', () => {
    const file = path.join(tempDir(), 'bad.jwk');
    writeFileSync(file, '{"kty":"RSA"}');
    expect(() => loadKey(file)).to.throw().with.property('code', 'KEY_FILE_INVALID');
  });

  it('rotation adds a key and keeps the retired ones published', () => {
    const dir = tempDir();
    const first = generateKey(new Date('2026-01-01T00:00:00Z'));
    saveKey(dir, first);
    const second = rotateKey(dir, new Date('2026-06-01T00:00:00Z'));
    const keys = loadKeys(dir);
    expect(keys.map((k) => k.kid)).to.deep.equal([first.kid, second.kid]);
    expect(keys[0]!.retired).to.equal('2026-06-01T00:00:00.000Z');
    expect(activeKey(keys)!.kid).to.equal(second.kid);
    const doc = controllerDocument('did:web:example.org', keys);
    expect(doc.assertionMethod).to.have.length(2);
  });

  it('maps did:web to and from URLs (port, path, http only for localhost)', () => {
    expect(didWebFromUrl('https://badges.example.org:8443/issuers/ariege')).to.equal('did:web:badges.example.org%3A8443:issuers:ariege');
    expect(didWebToUrl('did:web:badges.example.org%3A8443:issuers:ariege')).to.equal('https://badges.example.org:8443/issuers/ariege/did.json');
    expect(didWebToUrl('did:web:example.org')).to.equal('https://example.org/.well-known/did.json');
    expect(didWebToUrl('did:web:localhost%3A3000:issuers:x')).to.equal('http://localhost:3000/issuers/x/did.json');
  });

  it('computes did:key documents locally', () => {
    const key = generateKey();
    const doc = didKeyDocument(didKeyFor(key.publicKeyMultibase));
    expect(doc.verificationMethod![0]).to.include({ type: 'Multikey', publicKeyMultibase: key.publicKeyMultibase });
  });
});

describe('document loader', () => {
  it('serves every bundled context, checked against its pinned hash', () => {
    expect(bundledContextUrls()).to.include.members(['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json']);
    expect(bundledContext('https://www.w3.org/ns/credentials/v2')).to.have.property('@context');
  });

  it('refuses a context that is not bundled, naming it, and never downloads it', async () => {
    const server = await startDocumentServer();
    try {
      server.json('/ctx.jsonld', { '@context': {} });
      const loader = new DocumentResolver().jsonldLoader();
      let error: unknown;
      try { await loader(`${server.origin}/ctx.jsonld`); } catch (e) { error = e; }
      expect(error).to.have.property('code', 'CONTEXT_NOT_BUNDLED');
      expect(String((error as Error).message)).to.contain(`${server.origin}/ctx.jsonld`);
      expect(server.hits.get('/ctx.jsonld') ?? 0).to.equal(0);
    } finally {
      await server.close();
    }
  });

  it('consults local documents before the network, and the offline switch stops the network', async () => {
    const local = new DocumentResolver({ documents: { 'https://example.org/issuer': { id: 'https://example.org/issuer' } }, offline: true });
    expect(await local.fetchDocument('https://example.org/issuer#key')).to.deep.equal({ id: 'https://example.org/issuer' });
    let error: unknown;
    try { await local.fetchDocument('https://example.org/other'); } catch (e) { error = e; }
    expect(error).to.have.property('code', 'NETWORK_OFFLINE');
  });

  it('refuses plain http except for localhost, and non-http schemes', async () => {
    const resolver = new DocumentResolver();
    for (const url of ['http://example.org/did.json', 'file:///etc/passwd', 'ftp://example.org/x']) {
      let error: unknown;
      try { await resolver.fetchDocument(url); } catch (e) { error = e; }
      expect(error, url).to.have.property('code', 'URL_FORBIDDEN');
    }
  });

  it('caps document size, times out, and caches briefly', async () => {
    const server = await startDocumentServer();
    try {
      clearDocumentCache();
      server.routes.set('/big', { body: Buffer.alloc(300 * 1024, 0x20) });
      server.routes.set('/slow', { body: '', hang: true });
      server.json('/doc', { id: 'x' });
      const resolver = new DocumentResolver({ timeoutMs: 200 });
      const codeOf = async (p: string) => resolver.fetchDocument(`${server.origin}${p}`).then(() => 'ok', (e: { code: string }) => e.code);
      expect(await codeOf('/big')).to.equal('FETCH_TOO_LARGE');
      expect(await codeOf('/slow')).to.equal('FETCH_TIMEOUT');
      expect(await codeOf('/doc')).to.equal('ok');
      expect(await codeOf('/doc')).to.equal('ok');
      expect(server.hits.get('/doc')).to.equal(1);
      // The shared cache never lets a stricter resolver see what a laxer one fetched.
      const guarded = new DocumentResolver({ allowUrl: () => false });
      const guardedCode = await guarded.fetchDocument(`${server.origin}/doc`).then(() => 'ok', (e: { code: string }) => e.code);
      expect(guardedCode).to.equal('URL_FORBIDDEN');
      const offlineCode = await new DocumentResolver({ offline: true }).fetchDocument(`${server.origin}/doc`).then(() => 'ok', (e: { code: string }) => e.code);
      expect(offlineCode).to.equal('NETWORK_OFFLINE');
    } finally {
      await server.close();
    }
  });
});
