// Parcours: ateliers in order (Médiance 66's three sessions on online procedures, a Garantie jeunes
// series) with the badges each aims at. The facilitator sees a grid — who attended what, who holds
// which badge —; a learner sees her own progress on her claim page, and nobody else's.
import type { Context } from '../shared/context.js';
import type { Scope } from '../collectives/collectives.js';
import type { Atelier, CredentialRecord, Parcours } from '../store/index.js';
import { newId } from '../store/ids.js';
import { AppError } from '../shared/errors.js';
import { hasHiddenCharacters } from '../shared/text.js';
import { personKey } from '../reports/report.js';

export async function createParcours(ctx: Context, scope: Scope, form: { name: string; atelierIds: string[] }): Promise<Parcours> {
  const name = form.name.trim();
  const ateliers = await stepsOf(ctx, scope.collective.id, [...new Set(form.atelierIds)]);
  if (!name || name.length > 200 || hasHiddenCharacters(name) || ateliers.length < 2 || ateliers.length !== new Set(form.atelierIds).size) {
    throw new AppError('PARCOURS_FORM_INVALID', 400);
  }
  const parcours: Parcours = { id: newId(), collectiveId: scope.collective.id, name, atelierIds: ateliers.map((a) => a.id), createdAt: ctx.now().toISOString() };
  await ctx.store.parcours.create(parcours);
  return parcours;
}

/** The ateliers of a parcours, in the order they are held. */
async function stepsOf(ctx: Context, collectiveId: string, atelierIds: string[]): Promise<Atelier[]> {
  const found = await Promise.all(atelierIds.map((id) => ctx.store.ateliers.byId(collectiveId, id)));
  return found.filter((a): a is Atelier => !!a).sort((a, b) => a.date.localeCompare(b.date));
}

export const listParcours = (ctx: Context, scope: Scope): Promise<Parcours[]> => ctx.store.parcours.list(scope.collective.id);

/** The facilitator's grid: each person (matched across ateliers) against each step: there or not, and the badges she got there. */
export async function parcoursGrid(ctx: Context, scope: Scope, id: string) {
  const parcours = await ctx.store.parcours.byId(scope.collective.id, id);
  if (!parcours) throw new AppError('NOT_FOUND', 404);
  const steps = await stepsOf(ctx, scope.collective.id, parcours.atelierIds);
  const names = new Map((await ctx.store.achievements.current(scope.collective.id)).map((v) => [v.badgeClassId, v.name]));
  const people = new Map<string, { name: string; cells: { attended: boolean; badges: string[] }[] }>();
  for (const [i, atelier] of steps.entries()) {
    const [participants, credentials] = await Promise.all([
      ctx.store.ateliers.participants(scope.collective.id, atelier.id), ctx.store.credentials.forAtelier(scope.collective.id, atelier.id),
    ]);
    for (const p of participants) {
      const row = people.get(personKey(p)) ?? { name: p.name, cells: steps.map(() => ({ attended: false, badges: [] as string[] })) };
      row.cells[i] = { attended: true, badges: credentials.filter((c) => c.participantId === p.id && c.status !== 'revoked' && !c.erasedAt).map((c) => names.get(c.badgeClassId) ?? '') };
      people.set(personKey(p), row);
    }
  }
  return { parcours, steps: steps.map((s) => ({ ...s, aims: s.badgeClassIds.map((b) => names.get(b) ?? '') })), people: [...people.values()].sort((a, b) => a.name.localeCompare(b.name)) };
}

/** Her progress in the parcours her badge belongs to: each step done (she was there) or still ahead. Hers only. */
export async function learnerProgress(ctx: Context, record: CredentialRecord) {
  if (!record.atelierId || !record.participantId) return [];
  const me = await ctx.store.ateliers.participant(record.collectiveId, record.participantId);
  if (!me) return [];
  const all = (await ctx.store.parcours.list(record.collectiveId)).filter((p) => p.atelierIds.includes(record.atelierId!));
  return Promise.all(all.map(async (parcours) => {
    const steps = await stepsOf(ctx, record.collectiveId, parcours.atelierIds);
    const done = await Promise.all(steps.map(async (s) => (await ctx.store.ateliers.participants(record.collectiveId, s.id)).some((p) => personKey(p) === personKey(me))));
    const next = done.indexOf(false);
    return { name: parcours.name, steps: steps.map((s, i) => ({ title: s.title, date: s.date, done: done[i], next: i === next })) };
  }));
}
