// The pinned JSON-LD contexts shipped in contexts/: read once, checked against the
// SHA-256 digests of contexts/index.json, served by URL. Nothing here touches the network.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectPath } from './paths.js';

interface ContextIndex {
  contexts: Record<string, string>;
  aliases: Record<string, string>;
  /** Other published states of the same URL (see contexts/README.md). */
  alternates: Record<string, { file: string }>;
  sha256: Record<string, string>;
}

let bundled: Map<string, object> | undefined;
let alternates: Map<string, object> | undefined;

function loadBundled(): Map<string, object> {
  const dir = projectPath('contexts');
  const index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as ContextIndex;
  const byFile = new Map<string, object>();
  const read = (file: string): object => {
    let doc = byFile.get(file);
    if (!doc) {
      const bytes = readFileSync(path.join(dir, file));
      const digest = createHash('sha256').update(bytes).digest('hex');
      if (digest !== index.sha256[file]) {
        throw new Error(`contexts/${file} does not match its pinned SHA-256 in contexts/index.json`);
      }
      doc = Object.freeze(JSON.parse(bytes.toString('utf8')) as object);
      byFile.set(file, doc);
    }
    return doc;
  };
  const map = new Map<string, object>();
  for (const [url, file] of Object.entries({ ...index.contexts, ...index.aliases })) map.set(url, read(file));
  alternates = new Map(Object.entries(index.alternates).map(([url, alt]) => [url, read(alt.file)]));
  return map;
}

/** The bundled context for `url`, or undefined. */
export function bundledContext(url: string): object | undefined {
  bundled ??= loadBundled();
  return bundled.get(url);
}

export function bundledContextUrls(): string[] {
  bundled ??= loadBundled();
  return [...bundled.keys()];
}

/** An earlier (or later) published state of the context at `url`, when one is known. */
export function alternateContext(url: string): object | undefined {
  bundled ??= loadBundled();
  return alternates!.get(url);
}
