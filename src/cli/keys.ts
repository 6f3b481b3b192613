// badgeons keys generate [--dir keys]                   a standalone key file (for `badgeons sign`)
// badgeons keys list|rotate <collective>                the instance's keys (DATA_DIR/DATABASE_URL, KEYS_DIR)
// badgeons keys compromised <collective> <kid> --since YYYY-MM-DD
import { operatorScope } from '../collectives/collectives.js';
import { loadConfig } from '../config.js';
import { didKeyFor } from '../ob3/did.js';
import { generateKey, saveKey } from '../ob3/keys.js';
import { openContext } from '../server.js';
import type { Context } from '../shared/context.js';
import { AppError } from '../shared/errors.js';
import { compromiseKey, listKeys, rotateCollectiveKey } from '../collectives/keys.js';
import type { Collective } from '../store/index.js';
import { parse, usage, type Command } from './command.js';

const USAGE = 'badgeons keys generate [--dir keys] | keys list <collective> | keys rotate <collective> | keys compromised <collective> <kid> --since YYYY-MM-DD';

async function withCollective(slug: string | undefined, run: (ctx: Context, collective: Collective) => Promise<void>): Promise<number> {
  if (!slug) throw usage(USAGE);
  const ctx = await openContext(loadConfig(), () => {});
  try {
    const collective = await ctx.store.collectives.bySlug(slug);
    if (!collective) throw new AppError('NOT_FOUND', 404);
    await run(ctx, collective);
    return 0;
  } finally {
    await ctx.store.close();
  }
}

export const keys: Command = async (args) => {
  const { values, positionals } = parse(args, { dir: { type: 'string', default: 'keys' }, since: { type: 'string' } });
  const [action, slug, kid] = positionals;
  switch (action) {
    case 'generate': {
      if (positionals.length !== 1) throw usage(USAGE);
      const key = generateKey();
      const file = saveKey(values.dir!, key, process.env.BADGEONS_KEYS_PASSPHRASE || undefined);
      process.stdout.write(`file: ${file}\ndid: ${didKeyFor(key.publicKeyMultibase)}\nkid: ${key.kid}\n`);
      return 0;
    }
    case 'list':
      return withCollective(slug, async (ctx, collective) => {
        for (const k of listKeys(ctx, operatorScope(collective))) {
          process.stdout.write(`${k.kid}  created ${k.created}${k.active ? '  ACTIVE' : ''}${k.retired ? `  retired ${k.retired}` : ''}${k.compromised ? `  COMPROMISED since ${k.compromised}` : ''}\n`);
        }
      });
    case 'rotate':
      return withCollective(slug, async (ctx, collective) => {
        process.stdout.write(`New signing key for ${collective.slug}: ${rotateCollectiveKey(ctx, operatorScope(collective)).kid}\n`);
      });
    case 'compromised': {
      if (!kid || !values.since || !/^\d{4}-\d{2}-\d{2}/.test(values.since)) throw usage(USAGE);
      const since = new Date(values.since.length === 10 ? `${values.since}T00:00:00Z` : values.since);
      return withCollective(slug, async (ctx, collective) => {
        const { withdrawn } = await compromiseKey(ctx, operatorScope(collective), kid, since);
        process.stdout.write(`Key ${kid} marked compromised since ${since.toISOString()}; ${withdrawn} ${withdrawn === 1 ? 'badge' : 'badges'} withdrawn; a new key signs from now on.\n`);
      });
    }
    default:
      throw usage(USAGE);
  }
};
