// Rows to records: the one place that knows column names and how values are stored
// (JSON text for lists, 0/1 for booleans, bytes for pictures), whichever database holds them.
import type {
  Account, AchievementVersion, ApiToken, Atelier, ClaimLink, Collective, CredentialRecord, CredentialState, IssuedBadge, BatchRecord,
  Invitation, MailRecord, Participant, Role, PublicDisplay, StatusList, StatusPurpose, WalletDelivery, WalletFormat, WalletOffer,
} from '../index.js';
import type { Row } from './driver.js';

export const account = (r: Row): Account => ({
  id: r.id as string, email: r.email as string, name: r.name as string,
  passwordHash: (r.password_hash as string | null) ?? null, instanceAdmin: r.instance_admin === 1,
  createdAt: r.created_at as string,
});
export const invitation = (r: Row): Invitation => ({
  id: r.id as string, collectiveId: r.collective_id as string, email: r.email as string, name: r.name as string,
  role: r.role as Role, hash: r.hash as string, invitedBy: r.invited_by as string,
  createdAt: r.created_at as string, expiresAt: r.expires_at as string,
});
export const collective = (r: Row): Collective => ({
  id: r.id as string, slug: r.slug as string, name: r.name as string, description: r.description as string,
  url: r.url as string, email: r.email as string, town: r.town as string,
  logoPng: (r.logo_png as Buffer | null) ?? null, createdAt: r.created_at as string, kind: (r.kind as Collective['kind'] | undefined) ?? 'collective',
});
export const version = (r: Row): AchievementVersion => ({
  id: r.id as string, badgeClassId: r.badge_class_id as string, collectiveId: r.collective_id as string,
  version: r.version as number, name: r.name as string, description: r.description as string,
  criteria: r.criteria as string, achievementType: r.achievement_type as string, tags: JSON.parse(r.tags as string),
  language: r.language as string, alignmentUrl: r.alignment_url as string, alignmentName: r.alignment_name as string,
  validityDays: (r.validity_days as number | null) ?? null, statusPurpose: r.status_purpose as StatusPurpose, imageAlt: r.image_alt as string,
  imagePng: r.image_png as Buffer, imageSvg: (r.image_svg as string | null) ?? null, createdAt: r.created_at as string,
  questions: JSON.parse((r.questions as string | undefined) ?? '[]') as string[],
  alignments: JSON.parse((r.alignments as string | undefined) ?? '[]') as AchievementVersion['alignments'],
  keyOf: r.key_of ? JSON.parse(r.key_of as string) as AchievementVersion['keyOf'] : null,
});
export const atelier = (r: Row): Atelier => ({
  id: r.id as string, collectiveId: r.collective_id as string, title: r.title as string, date: r.date as string,
  place: r.place as string, facilitators: r.facilitators as string,
  badgeClassIds: JSON.parse(r.badge_class_ids as string), createdAt: r.created_at as string,
});
export const participant = (r: Row): Participant => ({
  id: r.id as string, atelierId: r.atelier_id as string, collectiveId: r.collective_id as string,
  name: r.name as string, email: r.email as string, consentAt: (r.consent_at as string | null) ?? null,
  createdAt: r.created_at as string,
  facts: {
    gender: (r.gender ?? null) as Participant['facts']['gender'], ageBand: (r.age_band ?? null) as Participant['facts']['ageBand'],
    situation: (r.situation ?? null) as Participant['facts']['situation'], commune: (r.commune as string | null) ?? null, qpv: (r.qpv ?? null) as Participant['facts']['qpv'],
  },
});
export const statusList = (r: Row): StatusList => ({
  id: r.id as string, collectiveId: r.collective_id as string, number: r.number as number,
  purpose: r.purpose as StatusPurpose, size: r.size as number,
  bits: r.bits as Buffer, signedJson: (r.signed_json as string | null) ?? null, updatedAt: r.updated_at as string,
});
export const issuedBadge = (r: Row): IssuedBadge => ({
  id: r.id as string, recipientName: r.recipient_name as string, badgeClassId: r.badge_class_id as string, badgeName: r.badge_name as string,
  validityDays: (r.validity_days as number | null) ?? null, atelierId: (r.atelier_id as string | null) ?? null,
  atelierTitle: (r.atelier_title as string | null) ?? null, issuedAt: r.issued_at as string, renewedAt: (r.renewed_at as string | null) ?? null,
  status: r.status as CredentialState, erasedAt: (r.erased_at as string | null) ?? null,
});

export const credential = (r: Row): CredentialRecord => ({
  id: r.id as string, collectiveId: r.collective_id as string, badgeClassId: r.badge_class_id as string,
  versionId: r.version_id as string, atelierId: (r.atelier_id as string | null) ?? null,
  participantId: (r.participant_id as string | null) ?? null, recipientName: r.recipient_name as string,
  json: (r.json as string | null) ?? null, jwt: (r.jwt as string | null) ?? null,
  statusListId: r.status_list_id as string, statusIndex: r.status_index as number, issuedAt: r.issued_at as string,
  issuedBy: r.issued_by as string, erasedAt: (r.erased_at as string | null) ?? null,
  status: r.status as CredentialState, statusReason: (r.status_reason as string | null) ?? null,
  statusChangedAt: (r.status_changed_at as string | null) ?? null, renewedAt: (r.renewed_at as string | null) ?? null,
  display: r.display as PublicDisplay, batchId: (r.job_id as string | null) ?? null,
  openedAt: (r.opened_at as string | null) ?? null, walletAt: (r.wallet_at as string | null) ?? null, sharedAt: (r.shared_at as string | null) ?? null,
});
export const claimLink = (r: Row): ClaimLink => ({
  credentialId: r.credential_id as string, hash: r.hash as string, createdAt: r.created_at as string, expiresAt: r.expires_at as string,
  txCodeHash: (r.tx_code_hash as string | null) ?? null,
  codeHash: (r.code_hash as string | null) ?? null,
});
export const walletOffer = (r: Row): WalletOffer => ({
  id: r.id as string, credentialId: r.credential_id as string, codeHash: r.code_hash as string,
  txCodeHash: (r.tx_code_hash as string | null) ?? null, failedCodes: r.failed_codes as number,
  createdAt: r.created_at as string, expiresAt: r.expires_at as string,
  tokenHash: (r.token_hash as string | null) ?? null, tokenExpiresAt: (r.token_expires_at as string | null) ?? null,
});
export const walletDelivery = (r: Row): WalletDelivery => ({
  credentialId: r.credential_id as string, subjectDid: r.subject_did as string, format: r.format as WalletFormat, deliveredAt: r.delivered_at as string,
});
export const mail = (r: Row): MailRecord => ({
  id: r.id as string, collectiveId: (r.collective_id as string | null) ?? null, recipient: r.recipient as string,
  subject: r.subject as string, kind: r.kind as MailRecord['kind'], file: (r.file as string | null) ?? null,
  error: (r.error as string | null) ?? null, createdAt: r.created_at as string,
});
export const apiToken = (r: Row): ApiToken => ({
  id: r.id as string, collectiveId: r.collective_id as string, name: r.name as string, hash: r.hash as string,
  createdBy: r.created_by as string, createdAt: r.created_at as string,
  lastUsedAt: (r.last_used_at as string | null) ?? null, revokedAt: (r.revoked_at as string | null) ?? null,
});
export const batch = (r: Row): BatchRecord => ({
  id: r.id as string, collectiveId: r.collective_id as string, atelierId: r.atelier_id as string,
  total: r.total as number, done: r.done as number, failed: r.failed as number,
  state: r.state as BatchRecord['state'], errors: JSON.parse(r.errors as string),
  request: r.request ? JSON.parse(r.request as string) : null, createdAt: r.created_at as string, updatedAt: r.updated_at as string,
});
