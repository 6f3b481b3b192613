// Every word the web app shows, in French (first) and English. Views call {{t "key"}};
// errors carry `error.<CODE>` keys. Plain words: badge, atelier, participant — never "credential subject".
import { fillTemplate } from '../ob3/messages.js';
import type { Lang } from '../ob3/model.js';
import { webMessages } from '../web/messages.js';
import { learnersMessages } from '../learners/messages.js';
import { accountsMessages } from '../accounts/messages.js';
import { collectivesMessages } from '../collectives/messages.js';
import { badgeClassesMessages } from '../badge-classes/messages.js';
import { ateliersMessages } from '../ateliers/messages.js';
import { issuingMessages } from '../issuing/messages.js';
import { operationsMessages } from '../operations/messages.js';
import { credentialsMessages } from '../credentials/messages.js';
import { verifierMessages } from '../verifier/messages.js';
import { sharedMessages } from '../shared/messages.js';
import { endorsementsMessages } from '../endorsements/messages.js';
import { requestsMessages } from '../requests/messages.js';
import { reportsMessages } from '../reports/messages.js';
import { parcoursMessages } from '../parcours/messages.js';

export type Catalogue = Record<string, { fr: string; en: string }>;

// Each feature keeps its own words (<feature>/messages.ts); here they are one catalogue, one key space.
const messages = {
  ...webMessages, ...learnersMessages, ...accountsMessages, ...collectivesMessages, ...badgeClassesMessages, ...ateliersMessages,
  ...issuingMessages, ...operationsMessages, ...credentialsMessages, ...verifierMessages, ...endorsementsMessages, ...requestsMessages, ...reportsMessages, ...parcoursMessages, ...sharedMessages,
};

export type AppMessageKey = keyof typeof messages;

const dateFormats: Record<Lang, Intl.DateTimeFormat> = {
  fr: new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' }),
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' }),
};

/** "22 novembre 2026" / "22 November 2026"; '' for what is not a date. */
export function formatDate(lang: Lang, value: unknown): string {
  const d = new Date(String(value));
  return Number.isNaN(d.getTime()) ? '' : dateFormats[lang].format(d);
}

export function hasMessage(key: string): key is AppMessageKey {
  return key in messages;
}

export function translate(lang: Lang, key: AppMessageKey, params: Record<string, unknown> = {}): string {
  return fillTemplate(messages[key][lang], params, lang);
}

/** French typography: a narrow no-break space before : ; ! ? and » and after «, so none starts a line. */
export const NARROW_NBSP = '\u202F';
const frenchSpacing = (text: string) => text.replace(/ ([:;!?»])/g, `${NARROW_NBSP}$1`).replace(/« /g, `«${NARROW_NBSP}`);

/**
 * A message for a page: as `translate`, with French typography on French pages. Only the message's
 * own words are set so; what people typed (the parameters) is left exactly as they wrote it.
 */
export function translateForPage(lang: Lang, key: AppMessageKey, params: Record<string, unknown> = {}): string {
  return fillTemplate(lang === 'fr' ? frenchSpacing(messages[key].fr) : messages[key][lang], params, lang);
}

/** fr or en from an Accept-Language header, by the order of preference; French by default. */
export function langFromHeader(header: string | undefined): Lang {
  const ranked = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag ?? '', q: q ? Number(q.slice(2)) : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const base = tag.split('-')[0];
    if (base === 'fr' || base === 'en') return base;
  }
  return 'fr';
}
