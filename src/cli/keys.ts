// badgeons keys generate [--dir keys]
import { didKeyFor } from '../ob3/did.js';
import { generateKey, saveKey } from '../ob3/keys.js';
import { parse, UsageError, type Command } from './command.js';

export const keys: Command = async (args) => {
  const { values, positionals } = parse(args, { dir: { type: 'string', default: 'keys' } });
  if (positionals[0] !== 'generate' || positionals.length !== 1) throw new UsageError('usage: badgeons keys generate [--dir keys]');
  const key = generateKey();
  const file = saveKey(values.dir, key);
  process.stdout.write(`file: ${file}\ndid: ${didKeyFor(key.publicKeyMultibase)}\nkid: ${key.kid}\n`);
  return 0;
};
