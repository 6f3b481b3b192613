#!/usr/bin/env node
// The `badgeons` command: dispatches to one module per command.
import { langFromLocale } from '../ob3/messages.js';
import { AppError, problemOf } from '../shared/errors.js';
import type { Command } from './command.js';

// Each command loads only what it needs: `sign`, `bake` and `verify` start without the web app, the
// store or the mail, which the instance commands (keys, demo, backup, restore) bring in.
const commands: Record<string, () => Promise<Command>> = {
  keys: async () => (await import('./keys.js')).keys,
  sign: async () => (await import('./sign.js')).sign,
  bake: async () => (await import('./bake.js')).bake,
  unbake: async () => (await import('./bake.js')).unbake,
  verify: async () => (await import('./verify.js')).verifyCommand,
  demo: async () => (await import('./demo.js')).demo,
  backup: async () => (await import('./backup.js')).backup,
  restore: async () => (await import('./backup.js')).restore,
};

const HELP = `badgeons — Open Badges 3.0: keys, signing, baking, verification

  badgeons keys generate [--dir keys]
  badgeons keys list|rotate <collective>
  badgeons keys compromised <collective> <kid> --since YYYY-MM-DD   revokes what the key signed since
  badgeons sign <unsigned.json> --key <file.jwk> [--issuer <did-or-url>] [--format di|jwt]
  badgeons bake <image.png|.svg> <signed.json|.jwt> -o <out>
  badgeons unbake <image.png|.svg>
  badgeons verify <file|url|-> [--json] [--documents map.json] [--now ISO] [--offline] [--recipient email]
  badgeons demo     fill the instance (DATA_DIR, KEYS_DIR, PUBLIC_URL) with a demo collective and badge
  badgeons backup <file>              database snapshot + keys of the instance, while it runs
  badgeons restore <file> [--force]   into DATA_DIR and KEYS_DIR (server stopped)
                    (BADGEONS_BACKUP_PASSPHRASE encrypts / decrypts the backup file)

Exit codes: 0 success / verified, 1 not verified, 2 unreadable input or bad usage.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP + '\n');
    return name ? 0 : 2;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) throw new AppError('COMMAND_UNKNOWN', 400, { name });
  const command = await load();
  return command(rest, { lang: langFromLocale(process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG) });
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    const lang = langFromLocale(process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG);
    // The CLI edge of the problem model: the stable code, then the message in LANG's language.
    const problem = problemOf(error);
    // Wrong arguments are followed by the help text.
    const help = problem.code === 'USAGE' || problem.code === 'COMMAND_UNKNOWN' || problem.code === 'ARGUMENTS_INVALID' ? `\n${HELP}\n` : '';
    if (!problem.unexpected) process.stderr.write(`badgeons: ${problem.code}: ${problem.localized(lang)}\n${help}`);
    else process.stderr.write(`badgeons: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
