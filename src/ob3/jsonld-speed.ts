// Three changes to jsonld.js's handling of active contexts, each keeping its output identical (the IG
// test vector byte for byte, every spec example and every other stack's credential in the tests
// check it). The OB 3.0 context is full of type-scoped contexts, and jsonld.js re-did their work
// for every node of every credential: that was most of the cost of a Data Integrity proof.
// 1. Cloning: jsonld copies the whole active context, every term definition deeply, each time it
//    enters a scoped context. Term definitions are never changed once created (a redefinition
//    makes a new object), so copying the maps shallowly is equivalent.
// 2. Reverting a type-scoped context returned a fresh copy of the previous context; returning the
//    previous context itself is equivalent (process() never changes the context it is given) and
//    lets the next step find it in a cache.
// 3. Type-scoped contexts are processed onto a fresh copy, so jsonld's own cache of processed
//    contexts (keyed by the context they were processed onto) never hits for them. We memoise
//    process() by the same inputs jsonld's cache uses — the active context, the local context,
//    the flags, base, processing mode and the context cache — and only results that raised no event, so that
//    safe mode sees every event it would have seen.
import { createRequire } from 'node:module';

interface ActiveContext {
  mappings: Map<string, unknown>;
  protected: Record<string, unknown>;
  previousContext?: ActiveContext;
  clone(): ActiveContext;
  revertToPreviousContext(): ActiveContext;
  [key: string]: unknown;
}

interface ProcessArgs {
  activeCtx: ActiveContext;
  localCtx: unknown;
  options: { base?: string; eventHandler?: unknown; contextResolver?: { sharedCache?: object }; [key: string]: unknown };
  propagate?: boolean;
  overrideProtected?: boolean;
  cycles?: Set<string>;
}

interface ContextApi {
  getInitialContext(o: object): ActiveContext;
  process(args: ProcessArgs): Promise<ActiveContext>;
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

function revertToPreviousContext(this: ActiveContext): ActiveContext {
  return this.previousContext ?? this;
}

/** context cache → active context → local context → flags → processed context. */
const processed = new WeakMap<object, WeakMap<object, WeakMap<object, Map<string, ActiveContext>>>>();
const NO_SHARED_CACHE = {};

function entry(args: ProcessArgs): Map<string, ActiveContext> | undefined {
  const { activeCtx, localCtx, options } = args;
  if (typeof localCtx !== 'object' || localCtx === null) return undefined;
  const shared = options.contextResolver?.sharedCache ?? NO_SHARED_CACHE;
  let byActive = processed.get(shared);
  if (!byActive) processed.set(shared, (byActive = new WeakMap()));
  let byLocal = byActive.get(activeCtx);
  if (!byLocal) byActive.set(activeCtx, (byLocal = new WeakMap()));
  let byFlags = byLocal.get(localCtx);
  if (!byFlags) byLocal.set(localCtx, (byFlags = new Map()));
  return byFlags;
}

function memoised(original: ContextApi['process']): ContextApi['process'] {
  return async (args) => {
    const cache = entry(args);
    if (!cache) return original(args);
    const { base, processingMode } = args.options;
    const flags = `${args.propagate ?? true}|${args.overrideProtected ?? false}|${String(base)}|${String(processingMode)}`;
    const hit = cache.get(flags);
    if (hit) return hit;
    let events = 0;
    const count = ({ next }: { next(): void }) => { events += 1; next(); };
    const handlers = [count, ...[args.options.eventHandler ?? []].flat()];
    const result = await original({ ...args, options: { ...args.options, eventHandler: handlers } });
    if (events === 0) cache.set(flags, result);
    return result;
  };
}

/**
 * Installs the three changes above on jsonld's context module. jsonld's expansion keeps its own
 * reference to process(), taken when it loads: this module must be evaluated first — it installs
 * itself on import, and refuses to run late rather than silently do less.
 */
function install(): void {
  const require = createRequire(import.meta.url);
  if (require.cache[require.resolve('jsonld/lib/expand.js')]) {
    throw new Error('src/ob3/jsonld-speed.js must be imported before jsonld is loaded');
  }
  const context = require('jsonld/lib/context.js') as ContextApi;
  for (const processingMode of [undefined, 'json-ld-1.0', 'json-ld-1.1']) {
    const initial = context.getInitialContext({ processingMode });
    initial.clone = shallowClone;
    initial.revertToPreviousContext = revertToPreviousContext;
  }
  context.process = memoised(context.process.bind(context));
}

install();
