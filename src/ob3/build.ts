// Builds unsigned OpenBadgeCredentials (OB 3.0 App. B.1) from what a facilitator knows:
// the issuer, the badge (Achievement), the person, their reflection, and dates.
import { randomUUID } from 'node:crypto';
import { Ob3Error } from './errors.js';
import { emailIdentity, hashedIdentity } from './identity.js';
import {
  OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, OB_SCHEMA_VALIDATOR_TYPE, OB_V3_CONTEXT, VC_V2_CONTEXT,
  type Achievement, type AchievementSubject, type AchievementType, type Alignment, type CredentialStatus,
  type Evidence, type JsonObject, type LangString, type OpenBadgeCredential, type Profile,
} from './model.js';

export const OB_EXTENSIONS_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json';

/** `ext:` achievement types suited to informal, non-scholastic learning. */
export const INFORMAL_ACHIEVEMENT_TYPES = [
  'ext:SoftSkill', 'ext:LifeSkill', 'ext:DigitalSkill', 'ext:CivicEngagement', 'ext:Volunteering', 'ext:PeerRecognition',
] as const;

export interface AchievementInput {
  id: string;
  name: LangString;
  description: LangString;
  /** Markdown. */
  criteriaNarrative?: LangString;
  criteriaUrl?: string;
  image?: { url: string; alt: LangString };
  achievementType?: AchievementType;
  tags?: string[];
  inLanguage?: string;
  alignments?: Omit<Alignment, 'type'>[];
  version?: string;
  creator?: Profile;
  /** Signed EndorsementCredentials about this Achievement (§9.2), embedded as they are. */
  endorsements?: JsonObject[];
}

export interface RecipientInput {
  email?: string;
  did?: string;
  /** For people with neither email nor DID: an issuer-side id (IdentifierTypeEnum `systemId`), hashed. */
  systemId?: string;
  name?: string;
  /** Fixed salt for the email hash (tests); random per credential otherwise. */
  salt?: string;
}

export interface EvidenceInput {
  /** The participant's own words: what I did, what I learned. */
  narrative?: LangString;
  name?: LangString;
  description?: LangString;
  url?: string;
  genre?: string;
}

export interface CredentialInput {
  id?: string;
  issuer: Profile;
  achievement: AchievementInput;
  recipient: RecipientInput;
  evidence?: EvidenceInput[];
  validFrom?: Date | string;
  validUntil?: Date | string;
  awardedDate?: Date | string;
  name?: LangString;
  description?: LangString;
  /** One entry: the OB 3.0 schema allows a single credentialStatus object. */
  credentialStatus?: CredentialStatus;
}

const nonEmpty = (v: LangString | undefined): boolean =>
  typeof v === 'string' ? v.trim().length > 0 : !!v && Object.values(v).some((s) => s.trim().length > 0);

/** XSD dateTimeStamp without milliseconds, e.g. 2026-11-22T10:00:00Z. */
export function isoSeconds(date: Date | string): string {
  const d = new Date(date);
  if (Number.isNaN(d.getTime())) throw new Ob3Error('BUILD_INVALID', { detail: `invalid date ${String(date)}` });
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isUri(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\S+$/i.test(value);
}

export function buildAchievement(input: AchievementInput): Achievement {
  const missing = (['id', 'name', 'description'] as const).filter((k) => !nonEmpty(input[k]));
  if (!nonEmpty(input.criteriaNarrative) && !input.criteriaUrl) missing.push('criteria' as never);
  if (missing.length) throw new Ob3Error('BUILD_INVALID', { detail: `achievement ${missing.join(', ')} missing` });
  if (!isUri(input.id)) throw new Ob3Error('BUILD_INVALID', { detail: `achievement id "${input.id}" is not a URI` });
  if (input.image && !nonEmpty(input.image.alt)) {
    throw new Ob3Error('BUILD_INVALID', { detail: 'the badge image needs an alternative text' });
  }
  const achievement: Achievement = {
    id: input.id,
    type: ['Achievement'],
    name: input.name,
    description: input.description,
    criteria: {
      ...(input.criteriaUrl ? { id: input.criteriaUrl } : {}),
      ...(nonEmpty(input.criteriaNarrative) ? { narrative: input.criteriaNarrative! } : {}),
    },
  };
  if (input.achievementType) achievement.achievementType = input.achievementType;
  if (input.image) achievement.image = { id: input.image.url, type: 'Image', caption: input.image.alt };
  if (input.tags?.length) achievement.tag = input.tags;
  if (input.inLanguage) achievement.inLanguage = input.inLanguage;
  if (input.alignments?.length) achievement.alignment = input.alignments.map((a) => ({ type: ['Alignment'], ...a }));
  if (input.version) achievement.version = input.version;
  if (input.creator) achievement.creator = input.creator;
  if (input.endorsements?.length) achievement.endorsement = input.endorsements;
  return achievement;
}

/** What names the recipient in `credentialSubject`: salted identity hashes, and her display name. */
export function recipientFields(recipient: RecipientInput): Pick<AchievementSubject, 'identifier' | 'name'> {
  const identifiers = [
    ...(recipient.email ? [emailIdentity(recipient.email, recipient.salt)] : []),
    ...(recipient.systemId ? [hashedIdentity('systemId', recipient.systemId, recipient.salt)] : []),
  ];
  return { ...(identifiers.length ? { identifier: identifiers } : {}), ...(recipient.name?.trim() ? { name: recipient.name.trim() } : {}) };
}

/** An unsigned OpenBadgeCredential with every property the spec requires. */
export function buildCredential(input: CredentialInput, now = new Date()): OpenBadgeCredential {
  const { issuer, recipient } = input;
  if (!issuer?.id || !isUri(issuer.id)) throw new Ob3Error('BUILD_INVALID', { detail: 'issuer id missing or not a URI' });
  if (!recipient.email && !recipient.did && !recipient.systemId) {
    throw new Ob3Error('BUILD_INVALID', { detail: 'the recipient needs an email, a DID or a system id' });
  }
  if (recipient.did && !recipient.did.startsWith('did:')) {
    throw new Ob3Error('BUILD_INVALID', { detail: `"${recipient.did}" is not a DID` });
  }
  const achievement = buildAchievement(input.achievement);
  const subject: AchievementSubject = {
    type: ['AchievementSubject'], achievement, ...(recipient.did ? { id: recipient.did } : {}), ...recipientFields(recipient),
  };

  const validFrom = isoSeconds(input.validFrom ?? now);
  const credential: OpenBadgeCredential = {
    '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT, OB_EXTENSIONS_CONTEXT],
    id: input.id ?? `urn:uuid:${randomUUID()}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { ...issuer, type: ['Profile'] },
    validFrom,
    name: input.name ?? achievement.name,
    credentialSubject: subject,
  };
  if (input.description) credential.description = input.description;
  if (input.validUntil) {
    credential.validUntil = isoSeconds(input.validUntil);
    if (credential.validUntil <= validFrom) throw new Ob3Error('BUILD_INVALID', { detail: 'validUntil must follow validFrom' });
  }
  if (input.awardedDate) credential.awardedDate = isoSeconds(input.awardedDate);
  const evidence = (input.evidence ?? []).filter((e) => nonEmpty(e.narrative) || e.url);
  if (evidence.length) {
    credential.evidence = evidence.map((e): Evidence => ({
      ...(e.url ? { id: e.url } : {}),
      type: ['Evidence'],
      ...(e.name ? { name: e.name } : {}),
      ...(e.description ? { description: e.description } : {}),
      ...(nonEmpty(e.narrative) ? { narrative: e.narrative! } : {}),
      ...(e.genre ? { genre: e.genre } : {}),
    }));
  }
  if (input.credentialStatus) credential.credentialStatus = input.credentialStatus;
  credential.credentialSchema = [{ id: OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, type: OB_SCHEMA_VALIDATOR_TYPE }];
  return credential;
}
