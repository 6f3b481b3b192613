// Canonicalises JSON-LD documents (a JSON array on stdin) with plain jsonld — in its own process,
// so none of src/ob3/jsonld-speed.ts's changes are loaded — over the contexts/ files read directly.
// Prints a JSON array: each document's RDFC-1.0 N-Quads, or "error: …".
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jsonld from 'jsonld';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const index = JSON.parse(readFileSync(path.join(root, 'contexts/index.json'), 'utf8')) as {
  contexts: Record<string, string>; aliases: Record<string, string>;
};
const files = { ...index.contexts, ...index.aliases };
const documentLoader = async (url: string) => {
  const file = files[url];
  if (!file) throw new Error(`no bundled context for ${url}`);
  return { contextUrl: null, documentUrl: url, document: JSON.parse(readFileSync(path.join(root, 'contexts', file), 'utf8')) as object };
};

const documents = JSON.parse(readFileSync(0, 'utf8')) as object[];
const out: string[] = [];
for (const document of documents) {
  try {
    out.push(await jsonld.canonize(document, { algorithm: 'RDFC-1.0', format: 'application/n-quads', documentLoader, safe: true }));
  } catch (error) {
    out.push(`error: ${error instanceof Error ? error.message : String(error)}`);
  }
}
process.stdout.write(JSON.stringify(out));
