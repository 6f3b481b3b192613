// A badge issued to a participant with an email, through the same services the pages use.
import type { Context } from '../../src/shared/context.js';
import { addParticipant, createAtelier } from '../../src/ateliers/ateliers.js';
import { copyStarterBadge } from '../../src/badge-classes/achievements.js';
import { authorize, createCollective, type Scope } from '../../src/collectives/collectives.js';
import { issueOne, prepareIssue } from '../../src/issuing/issuing.js';
import type { Collective } from '../../src/store/index.js';
import { ADMIN } from './app.js';

export async function issueToEmail(ctx: Context, slug: string, name: string, email: string): Promise<{ collective: Collective; scope: Scope; credentialId: string }> {
  const admin = (await ctx.store.accounts.byEmail(ADMIN.email))!;
  const collective = (await ctx.store.collectives.bySlug(slug)) ?? (await createCollective(ctx, admin, { slug, name: `Collectif ${slug}` }));
  const scope = await authorize(ctx, admin, slug, 'admin');
  const version = (await ctx.store.achievements.current(collective.id))[0] ?? (await copyStarterBadge(ctx, scope, 'ecoute'));
  const atelier = await createAtelier(ctx, scope, { title: 'Atelier', date: '2026-11-20', badgeClassIds: [version.badgeClassId] });
  const participant = await addParticipant(ctx, scope, atelier.id, { name, email, consent: true });
  const { awards } = await prepareIssue(ctx, scope, atelier.id, {
    badgeClassId: version.badgeClassId, participantIds: [participant.id], reissue: false, reflections: { [participant.id]: 'J’ai écouté.' },
  });
  const record = await issueOne(ctx, scope, awards[0]!);
  return { collective, scope, credentialId: record.id };
}
