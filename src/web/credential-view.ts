// What a badge page shows, read off the credential itself: the public page and the
// facilitator's preview render the same thing from the same data.
import { translate } from '../i18n/index.js';
import { localize } from '../ob3/lang-string.js';
import type { Lang, OpenBadgeCredential } from '../ob3/model.js';
import type { Context } from '../services/context.js';
import type { AchievementVersion, Collective } from '../store/index.js';

export function credentialView(
  ctx: Context, lang: Lang, credential: OpenBadgeCredential, version: AchievementVersion, collective: Collective,
): Record<string, unknown> {
  const url = credential.id;
  const recipient = localize(credential.credentialSubject.name, lang);
  const issuer = typeof credential.issuer === 'string' ? collective.name : localize(credential.issuer.name, lang) || collective.name;
  const imageUrl = `/achievements/${version.id}/image.png`;
  return {
    title: version.name, version, collective, recipient, issuer, url, imageUrl,
    validFrom: credential.awardedDate ?? credential.validFrom,
    validUntil: credential.validUntil,
    evidence: (credential.evidence ?? []).map((e) => ({ name: localize(e.name, lang), narrative: localize(e.narrative, lang) })),
    links: Object.fromEntries(['png', 'svg', 'json', 'jwt'].map((ext) => [ext, `${new URL(url).pathname}.${ext}`])),
    verifyUrl: `/verify?url=${encodeURIComponent(url)}`,
    og: {
      title: version.name,
      description: `${translate(lang, 'credential.awardedTo', { name: recipient })} — ${issuer}`,
      url,
      image: `${ctx.config.publicUrl}${imageUrl}`,
    },
  };
}
