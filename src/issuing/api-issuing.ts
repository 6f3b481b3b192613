// Issuing for other tools (VC-API `POST /credentials/issue`): the caller names one of the
// collective's badge classes by its achievement URL and the person; Badgeons builds the
// credential from its own records (so the badge page, status and renewal work as for the
// facilitators' badges), signs it, and stores it.
import type { EvidenceInput, RecipientInput } from '../ob3/build.js';
import { localize } from '../ob3/lang-string.js';
import type { JsonObject } from '../ob3/model.js';
import type { Scope } from '../collectives/collectives.js';
import { isId } from '../store/ids.js';
import { achievementUrl } from '../badge-classes/achievements.js';
import type { Context } from '../shared/context.js';
import { AppError } from '../shared/errors.js';
import { hasHiddenCharacters } from '../shared/text.js';
import { issuerDid } from '../collectives/issuers.js';
import { issueBadge } from './issuing.js';

/** A text field of the request, refused when it holds control characters (shared/text.ts). */
function text(value: unknown, max: number, field = 'text'): string {
  const words = localize(value, 'fr').trim().slice(0, max);
  if (hasHiddenCharacters(words, true)) throw new AppError('API_REQUEST_INVALID', 400, { reasonCode: 'controlCharacters', field });
  return words;
}
const isObject = (value: unknown): value is JsonObject => !!value && typeof value === 'object' && !Array.isArray(value);

function recipientOf(subject: JsonObject): RecipientInput {
  const recipient: RecipientInput = {};
  if (typeof subject.id === 'string' && subject.id.startsWith('did:')) recipient.did = subject.id;
  const identifiers = Array.isArray(subject.identifier) ? subject.identifier.filter(isObject) : [];
  const email = identifiers.find((i) => i.identityType === 'emailAddress' && i.hashed !== true && typeof i.identityHash === 'string');
  if (email) {
    const address = String(email.identityHash).trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) throw new AppError('API_REQUEST_INVALID', 400, { reasonCode: 'notEmail', field: 'credentialSubject.identifier' });
    recipient.email = address;
  }
  const name = text(subject.name, 200, 'credentialSubject.name');
  if (hasHiddenCharacters(name)) throw new AppError('API_REQUEST_INVALID', 400, { reasonCode: 'controlCharacters', field: 'credentialSubject.name' });
  if (name) recipient.name = name;
  if (!recipient.did && !recipient.email) {
    throw new AppError('API_REQUEST_INVALID', 400, { reasonCode: 'subjectIdentity' });
  }
  return recipient;
}

function evidenceOf(credential: JsonObject): EvidenceInput[] {
  const list = Array.isArray(credential.evidence) ? credential.evidence.filter(isObject).slice(0, 10) : [];
  return list.map((e) => ({
    ...(typeof e.id === 'string' && /^https:\/\/\S+$/.test(e.id) ? { url: e.id } : {}),
    ...(text(e.name, 200) ? { name: text(e.name, 200) } : {}),
    ...(text(e.description, 1000) ? { description: text(e.description, 1000) } : {}),
    ...(text(e.narrative, 5000) ? { narrative: text(e.narrative, 5000) } : {}),
    ...(text(e.genre, 100) ? { genre: text(e.genre, 100) } : {}),
  }));
}

export async function issueFromApi(ctx: Context, scope: Scope, body: unknown): Promise<{ id: string; verifiableCredential: unknown }> {
  const { collective } = scope;
  if (!isObject(body) || !isObject(body.credential)) throw new AppError('API_REQUEST_INVALID', 400, { reasonCode: 'credentialBody' });
  const credential = body.credential;
  const options = isObject(body.options) ? body.options : {};
  const format = options.format ?? 'di';
  if (format !== 'di' && format !== 'jwt') throw new AppError('API_REQUEST_INVALID', 400, { reasonCode: 'format' });
  const issuer = typeof credential.issuer === 'string' ? credential.issuer : isObject(credential.issuer) ? credential.issuer.id : undefined;
  if (issuer !== undefined && issuer !== issuerDid(ctx, collective)) {
    throw new AppError('API_ISSUER_MISMATCH', 400, { issuer: String(issuer), expected: issuerDid(ctx, collective) });
  }
  const subject = isObject(credential.credentialSubject) ? credential.credentialSubject : undefined;
  const achievementId = subject && isObject(subject.achievement) ? subject.achievement.id : undefined;
  const prefix = `${ctx.config.publicUrl}/achievements/`;
  const versionId = typeof achievementId === 'string' && achievementId.startsWith(prefix) ? achievementId.slice(prefix.length) : '';
  const version = isId(versionId) ? await ctx.store.achievements.version(versionId) : undefined;
  if (!subject || !version || version.collectiveId !== collective.id) {
    throw new AppError('API_ACHIEVEMENT_UNKNOWN', 400, { achievement: String(achievementId ?? ''), example: achievementUrl(ctx, { id: '…' }) });
  }
  const record = await issueBadge(
    ctx, { collective, version, recipient: recipientOf(subject), evidence: evidenceOf(credential) },
    { atelierId: null, participantId: null, issuedBy: scope.actorId },
  );
  return { id: record.id, verifiableCredential: format === 'jwt' ? record.jwt : JSON.parse(record.json!) };
}
