// The funder's report: for a period (and optionally one badge class or one atelier), how many
// ateliers, people (each counted once), badges, and what became of them; the people by gender, age
// band, situation, département, EPCI and QPV; the badges by skill and by month; the same figures for
// the period before. Every count from 1 to 4 is shown as "< 5", and where that alone would let a
// reader recompute it from the total, the next smallest count is hidden too — so the report can be
// sent as it is. Nothing in it names or singles out anyone.
import type { Context } from '../shared/context.js';
import type { Scope } from '../collectives/collectives.js';
import type { Account } from '../store/index.js';
import type { Participant } from '../ateliers/repository.js';
import { AppError } from '../shared/errors.js';
import { AGE_BANDS, GENDERS, QPV, SITUATIONS } from './facts.js';
import { territoryOf } from './territories.js';
import type { ReportBadge } from './repository.js';

export const SMALL_CELL = 5;

export interface ReportQuery { from: string; to: string; badgeClassId?: string; atelierId?: string }

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The period from the query string: this calendar year to date by default. */
export function readReportQuery(query: Record<string, unknown>, now: Date): ReportQuery {
  const text = (k: string) => (typeof query[k] === 'string' ? (query[k] as string).trim() : '');
  const from = DATE.test(text('from')) ? text('from') : `${now.getUTCFullYear()}-01-01`;
  const to = DATE.test(text('to')) ? text('to') : now.toISOString().slice(0, 10);
  if (from > to) throw new AppError('REPORT_PERIOD_INVALID', 400);
  return { from, to, ...(text('badge') ? { badgeClassId: text('badge') } : {}), ...(text('atelier') ? { atelierId: text('atelier') } : {}) };
}

/** A count as it may be shown: itself, or "< 5". */
export interface Cell { key: string; count: number; hidden: boolean }

/** Primary suppression (1–4), then secondary: a lone hidden cell would be the total minus the others, so hide the next smallest. */
export function suppress(counts: Map<string, number>, keys: readonly string[] = [...counts.keys()]): Cell[] {
  const cells = keys.map((key) => ({ key, count: counts.get(key) ?? 0, hidden: false }));
  for (const c of cells) c.hidden = c.count > 0 && c.count < SMALL_CELL;
  if (cells.filter((c) => c.hidden).length === 1) {
    const next = cells.filter((c) => !c.hidden && c.count > 0).sort((a, b) => a.count - b.count)[0];
    if (next) next.hidden = true;
  }
  return cells;
}

export const shown = (count: number): Cell => ({ key: '', count, hidden: count > 0 && count < SMALL_CELL });

const plainName = (name: string) => name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
/** One person across ateliers: her email when she gave one, else her name. */
export const personKey = (p: Pick<Participant, 'email' | 'name'>) => (p.email ? `@${p.email.toLowerCase()}` : `#${plainName(p.name)}`);

const tally = <T>(items: T[], keyOf: (item: T) => string | null | undefined) => {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item) ?? 'unknown';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
};

interface Totals { ateliers: number; people: number; badges: number; opened: number; wallet: number; shared: number; revoked: number }

async function period(ctx: Context, collectiveIds: string[], query: ReportQuery) {
  const { reports } = ctx.store;
  let [participants, badges, ateliers] = await Promise.all([
    reports.participants(collectiveIds, query.from, query.to), reports.badges(collectiveIds, query.from, query.to), reports.ateliers(collectiveIds, query.from, query.to),
  ]);
  if (query.atelierId) {
    ateliers = ateliers.filter((a) => a.id === query.atelierId);
    participants = participants.filter((p) => p.atelierId === query.atelierId);
    badges = badges.filter((b) => b.atelierId === query.atelierId);
  }
  if (query.badgeClassId) {
    ateliers = ateliers.filter((a) => a.badgeClassIds.includes(query.badgeClassId!));
    badges = badges.filter((b) => b.badgeClassId === query.badgeClassId);
    const holders = new Set(badges.map((b) => b.participantId));
    participants = participants.filter((p) => holders.has(p.id));
  }
  // Each person once, with the latest facts given about her.
  const people = new Map<string, Participant['facts']>();
  for (const p of [...participants].sort((a, b) => a.atelierDate.localeCompare(b.atelierDate))) {
    const before = people.get(personKey(p));
    people.set(personKey(p), before ? { ...before, ...Object.fromEntries(Object.entries(p.facts).filter(([, v]) => v !== null)) } : p.facts);
  }
  const totals: Totals = {
    ateliers: ateliers.length, people: people.size, badges: badges.length,
    opened: badges.filter((b) => b.openedAt || b.walletAt || b.sharedAt).length, wallet: badges.filter((b) => b.walletAt).length,
    shared: badges.filter((b) => b.sharedAt).length, revoked: badges.filter((b) => b.status === 'revoked').length,
  };
  return { totals, people: [...people.values()], badges };
}

const previousPeriod = (q: ReportQuery): ReportQuery => {
  const shift = (date: string) => `${Number(date.slice(0, 4)) - 1}${date.slice(4)}`;
  return { ...q, from: shift(q.from), to: shift(q.to) };
};

function breakdowns(people: Participant['facts'][], badges: ReportBadge[]) {
  const territory = (f: Participant['facts']) => (f.commune ? territoryOf(f.commune) : undefined);
  const departements = tally(people, (f) => territory(f)?.departement);
  const epcis = tally(people, (f) => territory(f)?.epci || (f.commune ? 'none' : null));
  const names = new Map<string, string>();
  for (const f of people) {
    const t = territory(f);
    if (t) { names.set(`departement:${t.departement}`, `${t.departementName} (${t.departement})`); names.set(`epci:${t.epci}`, t.epciName); }
  }
  const skills = tally(badges, (b) => b.badgeClassId);
  for (const b of badges) names.set(`skill:${b.badgeClassId}`, b.badgeName);
  const months = tally(badges, (b) => b.issuedAt.slice(0, 7));
  return {
    names,
    gender: suppress(tally(people, (f) => f.gender), [...GENDERS, 'unknown']),
    ageBand: suppress(tally(people, (f) => f.ageBand), [...AGE_BANDS, 'unknown']),
    situation: suppress(tally(people, (f) => f.situation), [...SITUATIONS, 'unknown']),
    qpv: suppress(tally(people, (f) => f.qpv), [...QPV.filter((q) => q !== 'unknown'), 'unknown']),
    departement: suppress(departements),
    epci: suppress(epcis),
    skill: suppress(skills),
    month: suppress(months, [...months.keys()].sort()),
  };
}

export type Report = Awaited<ReturnType<typeof computeReport>>;

async function computeReport(ctx: Context, collectiveIds: string[], query: ReportQuery) {
  const [current, previous] = await Promise.all([period(ctx, collectiveIds, query), period(ctx, collectiveIds, previousPeriod(query))]);
  const totals = Object.fromEntries(Object.entries(current.totals).map(([k, v]) => [k, shown(v)])) as Record<keyof Totals, Cell>;
  const before = Object.fromEntries(Object.entries(previous.totals).map(([k, v]) => [k, shown(v)])) as Record<keyof Totals, Cell>;
  return { query, totals, previous: previous.totals.ateliers || previous.totals.badges ? before : undefined, ...breakdowns(current.people, current.badges) };
}

/** A collective's report, for its members (admins and facilitators). */
export function collectiveReport(ctx: Context, scope: Scope, query: ReportQuery) {
  return computeReport(ctx, [scope.collective.id], query);
}

/** The network's report across every collective (partners excluded), for the instance's admins only. */
export async function networkReport(ctx: Context, account: Account, query: ReportQuery) {
  if (!account.instanceAdmin) throw new AppError('FORBIDDEN', 403);
  const collectives = (await ctx.store.collectives.list()).filter((c) => c.kind === 'collective');
  return computeReport(ctx, collectives.map((c) => c.id), query);
}
