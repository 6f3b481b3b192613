// What a badge page shows, read off the credential itself, whoever issued it: the public page,
// the facilitator's preview and the verifier's result render the same card from the same data.
import { translate, type AppMessageKey } from '../i18n/index.js';
import { localize } from '../ob3/lang-string.js';
import { CLOCK_SKEW_MS, readDateTime } from '../ob3/dates.js';
import { t as ob3Text } from '../ob3/messages.js';
import type { Alignment, JsonObject, Lang, OpenBadgeCredential } from '../ob3/model.js';
import { ob2Display } from '../ob3/verify/ob2.js';
import { UNPROVEN } from '../ob3/verify/checks/proof.js';
import { DAMAGED } from '../ob3/verify/index.js';
import type { Context } from '../shared/context.js';
import type { BadgeVerification } from '../verifier/verifying.js';
import type { Collective } from '../collectives/repository.js';

export interface BadgeCard {
  name: string;
  description: string;
  criteria: string;
  tags: string[];
  image?: { url: string; alt: string };
  issuer: string;
  issuerHref?: string;
  recipient: string;
  validFrom?: string;
  validUntil?: string;
  expired: boolean;
  evidence: { name: string; narrative: string; description: string; url?: string; photo?: true }[];
  /** What the badge recognises in the frameworks people read, in plain words. */
  alignments: { text: string; url: string }[];
}

/** "Compétence RECTEC « Travailler en équipe », niveau 2"; another alignment by its own name. */
function alignmentText(lang: Lang, a: Alignment): string {
  const name = localize(a.targetName, lang);
  const framework = localize(a.targetFramework, lang);
  const level = /(\d+)/.exec(localize(a.targetDescription, lang))?.[1];
  if (framework === 'RECTEC' || framework === 'CRCN') return translate(lang, level ? 'badge.alignedLevel' : 'badge.aligned', { framework, name, level });
  return framework && !name.startsWith(framework) ? `${framework} — ${name}` : name;
}

/** A link to one of our pages made relative; any other https address as it is. */
const displayableLink = (ctx: Context, url: string) => (url.startsWith(`${ctx.config.publicUrl}/`) ? url.slice(ctx.config.publicUrl.length) : url);

/** Pictures the page may show: ours (made relative, for the CSP), https, or inline images. */
function displayableImage(ctx: Context, url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  if (url.startsWith(`${ctx.config.publicUrl}/`)) return url.slice(ctx.config.publicUrl.length);
  if (/^https:\/\/\S+$/.test(url) || /^data:image\/(png|jpeg|webp|gif|svg\+xml);base64,[A-Za-z0-9+/=]+$/.test(url)) return url;
  return undefined;
}

export function badgeCard(ctx: Context, lang: Lang, credential: OpenBadgeCredential, options: { image?: string; collective?: Collective } = {}): BadgeCard {
  const achievement = credential.credentialSubject?.achievement;
  const issuerObject = typeof credential.issuer === 'object' ? credential.issuer : undefined;
  const imageId = typeof achievement?.image === 'object' ? achievement.image.id : achievement?.image;
  const image = options.image ?? displayableImage(ctx, imageId) ?? displayableImage(ctx, typeof credential.image === 'object' ? credential.image.id : credential.image);
  const name = localize(achievement?.name, lang) || localize(credential.name, lang);
  const validUntil = credential.validUntil ?? credential.expirationDate;
  const issuerUrl = typeof issuerObject?.url === 'string' && /^https?:\/\//.test(issuerObject.url) ? issuerObject.url : undefined;
  const issuerHref = options.collective ? `/issuers/${options.collective.slug}` : issuerUrl;
  return {
    name,
    description: localize(achievement?.description, lang),
    criteria: localize(achievement?.criteria?.narrative, lang),
    tags: Array.isArray(achievement?.tag) ? achievement.tag.filter((t) => typeof t === 'string') : [],
    ...(image ? { image: { url: image, alt: localize(typeof achievement?.image === 'object' ? achievement.image.caption : '', lang) || name } } : {}),
    issuer: localize(issuerObject?.name, lang) || options.collective?.name || String(issuerObject?.id ?? credential.issuer ?? ''),
    ...(issuerHref ? { issuerHref } : {}),
    recipient: localize(credential.credentialSubject?.name, lang),
    ...((credential.awardedDate ?? credential.validFrom ?? credential.issuanceDate) ? { validFrom: credential.awardedDate ?? credential.validFrom ?? credential.issuanceDate } : {}),
    ...(validUntil ? { validUntil } : {}),
    // Said as the verifier says it (ob3/dates.ts): a readable date, past by more than the clocks' leeway.
    expired: (readDateTime(validUntil) ?? Infinity) < ctx.now().getTime() - CLOCK_SKEW_MS,
    evidence: (credential.evidence ?? []).map((e) => ({
      name: localize(e.name, lang), narrative: localize(e.narrative, lang), description: localize(e.description, lang),
      ...(typeof e.id === 'string' && /^https?:\/\//.test(e.id) ? { url: displayableLink(ctx, e.id) } : {}),
      // Our own learners' photos are shown; another site's picture is only linked (nothing is fetched from elsewhere).
      ...(typeof e.id === 'string' && e.id.startsWith(`${ctx.config.publicUrl}/evidence/`) ? { photo: true } : {}),
    })),
    alignments: (Array.isArray(achievement?.alignment) ? achievement.alignment : [])
      .filter((a) => a && typeof a.targetUrl === 'string' && /^https?:\/\//.test(a.targetUrl)).map((a) => ({ text: alignmentText(lang, a), url: a.targetUrl })),
  };
}

/** The public page of a badge issued here (and the facilitator's preview). */
export function credentialView(ctx: Context, lang: Lang, credential: OpenBadgeCredential, collective: Collective, shownName?: string) {
  const url = credential.id;
  const badge = badgeCard(ctx, lang, credential, { collective });
  if (shownName !== undefined) badge.recipient = shownName;
  return {
    title: badge.name, badge, collective, url,
    links: Object.fromEntries(['png', 'svg', 'json', 'jwt'].map((ext) => [ext, `${new URL(url).pathname}.${ext}`])),
    // So that a verifier given this page's address finds the badge itself (ours follows these).
    alternates: [{ type: 'application/vc+ld+json', href: `${url}.json` }, { type: 'application/vc+jwt', href: `${url}.jwt` }],
    verifyUrl: `/verify?url=${encodeURIComponent(url)}`,
    og: {
      title: badge.name,
      description: `${translate(lang, 'credential.awardedTo', { name: badge.recipient })} — ${badge.issuer}`,
      url,
      ...(badge.image ? { image: `${ctx.config.publicUrl}${badge.image.url}` } : {}),
    },
  };
}

/** LinkedIn's "add a certification to your profile" link, filled in from the badge. */
export function linkedInUrl(credential: OpenBadgeCredential, badge: BadgeCard): string {
  const url = new URL('https://www.linkedin.com/profile/add');
  const issued = badge.validFrom ? new Date(badge.validFrom) : undefined;
  const until = badge.validUntil ? new Date(badge.validUntil) : undefined;
  const params: Record<string, string | undefined> = {
    startTask: 'CERTIFICATION_NAME', name: badge.name, organizationName: badge.issuer,
    issueYear: issued && String(issued.getUTCFullYear()), issueMonth: issued && String(issued.getUTCMonth() + 1),
    expirationYear: until && String(until.getUTCFullYear()), expirationMonth: until && String(until.getUTCMonth() + 1),
    certUrl: credential.id, certId: credential.id.split('/').pop(),
  };
  for (const [key, value] of Object.entries(params)) if (value) url.searchParams.set(key, value);
  return url.href;
}

// Red only for what may be forged: nothing to check (unsupported) or nothing to check it with (unverifiable) is a warning.
const VERDICT_STYLE: Record<string, string> = { valid: 'success', expired: 'warning', 'not-yet-valid': 'warning', suspended: 'warning', unverifiable: 'warning', unsupported: 'warning' };

/** Unverifiable because nothing signs it, or because the file is damaged, is not "try again later": it says what to ask for. */
function meaningKey(report: BadgeVerification['report']): string {
  const code = (id: string) => report.checks.find((c) => c.id === id)?.code ?? '';
  if (UNPROVEN.has(code('proof'))) return 'verify.meaning.unsigned';
  if (DAMAGED.has(code('format'))) return 'verify.meaning.damaged';
  return `verify.meaning.${report.verdict}`;
}

/** The verifier's result: verdict, what it means, the badge (only when its signature holds), every check. */
export function verificationView(ctx: Context, lang: Lang, { report, issuer, recipientMatches }: BadgeVerification, image?: string, recipient?: string): Record<string, unknown> {
  const tr = (key: string, params: Record<string, unknown> = {}) => translate(lang, key as AppMessageKey, params);
  return {
    // Whose badge it is, in plain words: the address given, never the hash it was compared with.
    ...(recipientMatches !== undefined ? { recipient: { matches: recipientMatches, text: tr(recipientMatches ? 'verify.recipientMatches' : 'verify.recipientDiffers', { email: recipient ?? '' }) } } : {}),
    verdict: report.verdict,
    verdictText: ob3Text(lang, `verdict.${report.verdict}`),
    verdictStyle: VERDICT_STYLE[report.verdict] ?? 'error',
    meaning: tr(meaningKey(report)),
    // A badge whose signature does not hold shows nothing of what it claims.
    ...(issuer && report.credential ? { badge: badgeCard(ctx, lang, report.openBadgesVersion === '2.0' ? ob2Display(report.credential as unknown as JsonObject) : report.credential, image ? { image } : {}) } : {}),
    ob2: report.openBadgesVersion === '2.0',
    ...(issuer ? { issuer } : {}),
    checks: report.checks.map((c) => ({ ...c, label: tr(`verify.check.${c.id}`), statusText: tr(`verify.status.${c.status}`) })),
    credentialId: issuer ? report.credential?.id : undefined,
    // Who recognises the badge, in plain words — only for a badge whose own signature holds.
    endorsements: issuer ? (report.endorsements ?? []).map((e) => ({
      who: e.endorser.name ?? e.endorser.id, comment: e.comment, since: e.validFrom, verdict: e.verdict,
      standing: e.verdict === 'valid' ? tr('verify.endorsementStands') : e.verdict === 'revoked' || e.verdict === 'suspended' ? tr('verify.endorsementWithdrawn') : tr('verify.endorsementUnchecked', { reason: e.reason ?? e.verdict }),
    })) : [],
  };
}
