// A collective's list of the badges it issued, from its ateliers or through the API: found by a
// name (accents and case ignored), by badge, state or origin, a page at a time, or all of them as
// a spreadsheet for the collective's reports (funders ask how many badges, which, when).
import { spreadsheetCell } from '../shared/text.js';
import { translate, type AppMessageKey } from '../i18n/index.js';
import type { Lang } from '../ob3/model.js';
import type { Collective, CredentialState, IssuedBadge } from '../store/index.js';
import type { Scope } from '../collectives/collectives.js';
import type { Context } from '../shared/context.js';
import { credentialUrl } from '../issuing/issuing.js';

export const ISSUED_STATES = ['active', 'expired', 'suspended', 'revoked', 'erased'] as const;
export type IssuedState = (typeof ISSUED_STATES)[number];

export interface IssuedQuery {
  text: string;
  badgeClassId: string;
  state: IssuedState | '';
  source: 'atelier' | 'api' | '';
  page: number;
}

export interface IssuedLine extends IssuedBadge {
  state: IssuedState;
  expiresAt: string | null;
  url: string;
}

export const ISSUED_PAGE_SIZE = 50;

/** The query from a page's address; anything unknown is ignored rather than refused. */
export function readIssuedQuery(params: Record<string, unknown>): IssuedQuery {
  const one = (key: string) => (typeof params[key] === 'string' ? (params[key] as string).trim() : '');
  const state = one('state') as IssuedState;
  const source = one('source');
  const page = Number(one('page'));
  return {
    text: one('q').slice(0, 100),
    badgeClassId: one('badge').slice(0, 64),
    state: ISSUED_STATES.includes(state) ? state : '',
    source: source === 'atelier' || source === 'api' ? source : '',
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** "Élodie" is found by "elodie": what people type on a phone. */
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

function expiry(badge: IssuedBadge): string | null {
  if (!badge.validityDays) return null;
  return new Date(Date.parse(badge.renewedAt ?? badge.issuedAt) + badge.validityDays * 86_400_000).toISOString();
}

function stateOf(badge: IssuedBadge, expiresAt: string | null, now: Date): IssuedState {
  if (badge.erasedAt) return 'erased';
  if (badge.status !== 'active') return badge.status;
  return expiresAt && Date.parse(expiresAt) < now.getTime() ? 'expired' : 'active';
}

/** Every badge matching the query, newest first. */
async function matching(ctx: Context, collective: Collective, query: IssuedQuery): Promise<IssuedLine[]> {
  const status: CredentialState | undefined =
    query.state === 'revoked' || query.state === 'suspended' ? query.state : query.state === 'active' || query.state === 'expired' ? 'active' : undefined;
  const rows = await ctx.store.credentials.listIssued(collective.id, {
    ...(query.badgeClassId ? { badgeClassId: query.badgeClassId } : {}), ...(status ? { status } : {}), ...(query.source ? { source: query.source } : {}),
  });
  const words = fold(query.text).split(/\s+/).filter(Boolean);
  const now = ctx.now();
  const lines: IssuedLine[] = [];
  for (const row of rows) {
    const expiresAt = expiry(row);
    const state = stateOf(row, expiresAt, now);
    if (query.state && state !== query.state) continue;
    const haystack = fold(`${row.recipientName} ${row.badgeName} ${row.atelierTitle ?? ''}`);
    if (!words.every((w) => haystack.includes(w))) continue;
    lines.push({ ...row, state, expiresAt, url: credentialUrl(ctx, row.id) });
  }
  return lines;
}

/** One page of the list, and how many badges match in all. */
export async function listIssuedBadges(
  ctx: Context, scope: Scope, query: IssuedQuery,
): Promise<{ lines: IssuedLine[]; total: number; page: number; pages: number }> {
  const { collective } = scope;
  const all = await matching(ctx, collective, query);
  const pages = Math.max(1, Math.ceil(all.length / ISSUED_PAGE_SIZE));
  const page = Math.min(query.page, pages);
  return { lines: all.slice((page - 1) * ISSUED_PAGE_SIZE, page * ISSUED_PAGE_SIZE), total: all.length, page, pages };
}

/** All matching badges as CSV the way French spreadsheets open it: UTF-8 with a BOM, `;`-separated. */
export async function issuedBadgesCsv(ctx: Context, scope: Scope, query: IssuedQuery, lang: Lang): Promise<string> {
  const { collective } = scope;
  const t = (key: string) => translate(lang, key as AppMessageKey);
  const header = ['name', 'badge', 'issuedOn', 'atelier', 'state', 'expiresOn', 'address'].map((k) => t(`issued.csv.${k}`));
  const rows = (await matching(ctx, collective, { ...query, page: 1 })).map((l) => [
    l.erasedAt ? t('issued.erasedName') : l.recipientName, l.badgeName, l.issuedAt.slice(0, 10), l.atelierTitle ?? t('issued.byApi'),
    t(`issued.state.${l.state}`), l.expiresAt?.slice(0, 10) ?? '', l.url,
  ]);
  return `\uFEFF${[header, ...rows].map((r) => r.map(spreadsheetCell).join(';')).join('\r\n')}\r\n`;
}
