// jsonld.js copies the whole active context — every term definition, deeply — each time it
// enters a type-scoped context, and the OB 3.0 context is full of them: that copy was the largest
// single cost of verifying a Data Integrity proof. Term definitions are never changed once
// created (a redefinition makes a new object), so copying the maps shallowly is equivalent.
// The IG test vector (byte for byte) and every spec example check this stays true.
import { createRequire } from 'node:module';

interface ActiveContext {
  mappings: Map<string, unknown>;
  protected: Record<string, unknown>;
  previousContext?: ActiveContext;
  clone(): ActiveContext;
  [key: string]: unknown;
}

function shallowClone(this: ActiveContext): ActiveContext {
  const child: ActiveContext = {
    ...this,
    mappings: new Map(this.mappings),
    inverse: null,
    protected: { ...this.protected },
  };
  if (this.previousContext) child.previousContext = this.previousContext.clone();
  return child;
}

let installed = false;

/** Makes every active context derived from jsonld's initial ones clone shallowly. */
export function installFastContextClone(): void {
  if (installed) return;
  installed = true;
  const require = createRequire(import.meta.url);
  const context = require('jsonld/lib/context.js') as { getInitialContext(o: object): ActiveContext };
  for (const processingMode of [undefined, 'json-ld-1.0', 'json-ld-1.1']) {
    context.getInitialContext({ processingMode }).clone = shallowClone;
  }
}
