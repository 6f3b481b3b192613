// Test fixtures: the spec's examples (test/fixtures, see its README) and the documents
// their verification needs. The spec publishes no key documents, revocation lists or JWKS
// for its example issuers, so we build them here from the examples themselves: the
// Data Integrity key is the multibase fragment of `verificationMethod`, the JWT key is the
// `jwk` header. Written to a temp folder as a `--documents` map, like a user would.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { controllerDocument } from '../../src/ob3/did.js';
import type { JsonObject } from '../../src/ob3/model.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures');
export const SPEC = path.join(FIXTURES, 'spec');

export const readJson = (file: string): JsonObject => JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
export const readText = (file: string): string => readFileSync(file, 'utf8').trim();

export const signedDataIntegrity = (): string[] =>
  readdirSync(SPEC).filter((f) => f.endsWith('.signed-dataintegrity.json')).map((f) => path.join(SPEC, f));
export const signedJwts = (): string[] =>
  readdirSync(SPEC).filter((f) => f.endsWith('.signed.jwt')).map((f) => path.join(SPEC, f));

/** Local documents (URL → JSON) that make every signed spec example verifiable offline. */
export function specDocuments(): Record<string, unknown> {
  const docs: Record<string, unknown> = {};
  const keysByController = new Map<string, Set<string>>();
  const collect = (credential: JsonObject) => {
    for (const proof of ([] as JsonObject[]).concat((credential.proof as JsonObject[]) ?? [])) {
      const vm = String(proof.verificationMethod);
      const [controller, fragment] = vm.split('#');
      if (!fragment?.startsWith('z6Mk')) continue; // placeholder proofs in ex36's endorsements
      if (!keysByController.has(controller!)) keysByController.set(controller!, new Set());
      keysByController.get(controller!)!.add(fragment);
    }
    const status = credential.credentialStatus as JsonObject | undefined;
    if (status?.type === '1EdTechRevocationList') docs[String(status.id)] = { id: status.id, revokedCredentials: [] };
  };
  for (const file of signedDataIntegrity()) collect(readJson(file));
  for (const [controller, keys] of keysByController) {
    docs[controller] = controllerDocument(controller, [...keys].map((k) => ({ publicKeyMultibase: k })));
  }
  for (const file of signedJwts()) {
    const [header, payload] = readText(file).split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as JsonObject);
    const jwksUrl = new URL('/.well-known/jwks.json', String(payload!.iss)).href;
    const jwks = (docs[jwksUrl] as { keys: JsonObject[] } | undefined) ?? { keys: [] };
    jwks.keys.push(header!.jwk as JsonObject);
    docs[jwksUrl] = jwks;
    collect(payload!);
  }
  return docs;
}

/** Writes `documents` as a `--documents` map (URL → file relative to the map) in a temp folder. */
export function writeDocumentsMap(documents: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'badgeons-docs-'));
  const map: Record<string, string> = {};
  Object.entries(documents).forEach(([url, doc], i) => {
    const file = `doc-${i}.json`;
    writeFileSync(path.join(dir, file), JSON.stringify(doc, null, 2));
    map[url] = file;
  });
  const mapFile = path.join(dir, 'map.json');
  writeFileSync(mapFile, JSON.stringify(map, null, 2));
  return mapFile;
}
