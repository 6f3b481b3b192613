// badgeons sign <unsigned.json> --key <file.jwk> [--issuer <did-or-url>] [--format di|jwt]
import { AppError } from '../shared/errors.js';
import { randomUUID } from 'node:crypto';
import { isoSeconds } from '../ob3/build.js';
import { didKeyFor, verificationMethodId } from '../ob3/did.js';
import { loadKey } from '../ob3/keys.js';
import type { OpenBadgeCredential, Profile } from '../ob3/model.js';
import { signDataIntegrity } from '../ob3/proof/data-integrity.js';
import { signJwt } from '../ob3/proof/jwt.js';
import { parseJsonObject } from '../ob3/verify/input.js';
import { parse, readInputFile, usage, type Command } from './command.js';

export const sign: Command = async (args) => {
  const { values, positionals } = parse(args, {
    key: { type: 'string' },
    issuer: { type: 'string' },
    format: { type: 'string', default: 'di' },
  });
  if (positionals.length !== 1 || !values.key) throw usage('badgeons sign <unsigned.json> --key <file.jwk> [--issuer <did-or-url>] [--format di|jwt]');
  if (values.format !== 'di' && values.format !== 'jwt') throw new AppError('OPTION_INVALID', 400, { option: '--format', value: String(values.format), expected: 'di, jwt' });
  const key = loadKey(values.key);
  const credential = parseJsonObject(readInputFile(positionals[0]!).toString('utf8')) as unknown as OpenBadgeCredential;

  // The signer decides who the issuer is; whatever else the issuer profile says is kept.
  const issuer = values.issuer ?? didKeyFor(key.publicKeyMultibase);
  const profile: Partial<Profile> = typeof credential.issuer === 'object' && credential.issuer ? credential.issuer : {};
  credential.issuer = { ...profile, id: issuer, type: profile.type ?? ['Profile'] };
  credential.id ??= `urn:uuid:${randomUUID()}`;
  if (!credential.validFrom && !credential.issuanceDate) credential.validFrom = isoSeconds(new Date());

  const method = verificationMethodId(issuer, key);
  if (values.format === 'jwt') {
    process.stdout.write((await signJwt(credential, key, method)) + '\n');
  } else {
    const signed = await signDataIntegrity(credential, { key, verificationMethod: method });
    process.stdout.write(JSON.stringify(signed, null, 2) + '\n');
  }
  return 0;
};
