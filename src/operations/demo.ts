// `badgeons demo`: a demo collective with two starter badges, a year of ateliers (for the report), a
// partner that endorses one badge class, and an atelier of four with their badges issued (carrying
// the endorsement) and one pending request, so a newcomer has something to look at straight away.
// Run again, it adds another such atelier.
import type { Account, AchievementVersion, Collective } from '../store/index.js';
import { newId } from '../store/ids.js';
import { copyStarterBadge } from '../badge-classes/achievements.js';
import { addParticipant, createAtelier } from '../ateliers/ateliers.js';
import { authorize, newCollective, type Scope } from '../collectives/collectives.js';
import { endorseAchievement } from '../endorsements/endorsements.js';
import { requestEntry, submitRequest } from '../requests/requests.js';
import type { Context } from '../shared/context.js';
import { credentialUrl, issueOne, prepareIssue } from '../issuing/issuing.js';

const DEMO_SLUG = 'demo';
const DEMO_ACCOUNT = 'demo@badgeons.invalid';
const DEMO_PARTNER_SLUG = 'partenaire-demo';

export async function fillDemo(ctx: Context): Promise<{ collective: Collective; url: string; partner: Collective; requestUrl: string; reportUrl: string }> {
  const { store } = ctx;
  const now = ctx.now().toISOString();
  let account: Account | undefined = await store.accounts.byEmail(DEMO_ACCOUNT);
  if (!account) {
    // No password: nobody signs in as the demo facilitator; it only signs the demo badge.
    account = { id: newId(), email: DEMO_ACCOUNT, name: 'Animatrice de démonstration', passwordHash: null, instanceAdmin: false, createdAt: now };
    await store.accounts.create(account);
  }
  let collective = await store.collectives.bySlug(DEMO_SLUG);
  const created = !collective;
  if (!collective) {
    collective = {
      id: newId(), slug: DEMO_SLUG, name: 'Collectif de démonstration', town: 'Foix',
      description: 'Un collectif pour essayer Badgeons : ses badges sont de vrais badges signés, mais de démonstration.',
      url: '', email: '', logoPng: null, createdAt: now, kind: 'collective',
    };
    await store.collectives.create(collective);
    await store.accounts.setMembership({ accountId: account.id, collectiveId: collective.id, role: 'admin' });
  }
  // The demo facilitator acts as any member would: through her scope in the demo collective.
  const scope = await authorize(ctx, account, DEMO_SLUG, 'admin');
  if ((await store.achievements.current(collective.id)).length === 0) {
    await copyStarterBadge(ctx, scope, 'ecoute');
    await copyStarterBadge(ctx, scope, 'demarches');
  }
  const badges = await store.achievements.current(collective.id);
  const atelier = await createAtelier(ctx, scope, {
    title: 'Atelier « Mes compétences cachées »', date: now.slice(0, 10), place: 'Médiathèque de Foix',
    facilitators: account.name, badgeClassIds: badges.map((b) => b.badgeClassId),
  });
  if (created) await demoYear(ctx, scope, badges);
  // A small group, so the group actions (cards, mail, who opened hers) have something to show.
  const people = [
    { name: 'Camille Exemple', words: 'Pendant l’atelier, j’ai écouté chacune sans couper la parole, et j’ai aidé une nouvelle venue à trouver sa place.' },
    { name: 'Nadia Benali', email: 'nadia@example.org', words: 'J’ai accueilli le groupe et présenté chacune.' },
    { name: 'Loïc Martin', words: '' },
    { name: 'Zoé Lœuvre', email: 'zoe@example.org', words: 'J’ai reformulé ce que disait une participante pour vérifier que j’avais compris.' },
  ];
  const participants = [];
  for (const p of people) participants.push(await addParticipant(ctx, scope, atelier.id, { name: p.name, ...(p.email ? { email: p.email } : {}), consent: true }));
  const listening = badges.find((b) => b.name === 'Écouter et accueillir') ?? badges[0]!;
  const partner = await demoPartner(ctx, account, listening.id);
  const { awards } = await prepareIssue(ctx, scope, atelier.id, {
    badgeClassId: listening.badgeClassId, participantIds: participants.map((p) => p.id), reissue: false,
    reflections: Object.fromEntries(participants.map((p, i) => [p.id, people[i]!.words])),
  });
  const record = await issueOne(ctx, scope, awards[0]!);
  for (const award of awards.slice(1)) await issueOne(ctx, scope, award);
  // One pending request, in someone's own words, for the facilitator to answer.
  const entry = await requestEntry(ctx, scope, atelier.id);
  await submitRequest(ctx, entry.url.split('/').pop()!, {
    badgeClassId: listening.badgeClassId, name: 'Samira Exemple', email: '', consent: true,
    reflection: 'J’ai accueilli une nouvelle venue et je lui ai présenté chacune du groupe.',
  });
  return { collective, url: credentialUrl(ctx, record.id), partner, requestUrl: entry.url, reportUrl: `${ctx.config.publicUrl}/c/${collective.slug}/report` };
}

/**
 * A demo partner (its own page and key) that endorses the demo badge before it is issued, so the
 * badge carries a real endorsement. Made once; the demo account administers it.
 */
async function demoPartner(ctx: Context, account: Account, versionId: string): Promise<Collective> {
  const partner = (await ctx.store.collectives.bySlug(DEMO_PARTNER_SLUG)) ?? await newCollective(ctx, account, {
    slug: DEMO_PARTNER_SLUG, name: 'Entreprise d’insertion de démonstration', town: 'Pamiers',
    description: 'Un partenaire pour essayer les recommandations : il reconnaît les badges du collectif de démonstration.',
  }, 'partner');
  if ((await ctx.store.endorsements.forSubject(versionId)).every((e) => e.endorserId !== partner.id || e.withdrawnAt)) {
    await endorseAchievement(ctx, await authorize(ctx, account, DEMO_PARTNER_SLUG, 'admin'), versionId, 'Nous recrutons des personnes qui savent accueillir et écouter.');
  }
  return partner;
}

/**
 * A year of plausible ateliers (one a month, 6 to 14 people, with the facts a facilitator notes), so
 * the funder's report has something to show. Deterministic: the same demo every time.
 */
async function demoYear(ctx: Context, scope: Scope, badges: AchievementVersion[]): Promise<void> {
  let seed = 7;
  const next = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const towns = ['Foix', 'Pamiers', 'Lavelanet', 'Tarascon-sur-Ariège', 'Mirepoix 09500', 'Saverdun'];
  const genders = ['woman', 'woman', 'woman', 'man', 'man', 'other', 'no-answer'];
  const situations = ['job-seeker', 'rsa', 'mission-locale', 'employed', 'training', 'retired', 'other'];
  const today = ctx.now();
  for (let month = 11; month >= 1; month--) {
    const date = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - month, 10)).toISOString().slice(0, 10);
    const badge = badges[month % badges.length]!;
    const atelier = await createAtelier(ctx, scope, { title: `Atelier du ${date}`, date, place: towns[month % towns.length]!.replace(/ \d+$/, ''), badgeClassIds: [badge.badgeClassId] });
    const ids: string[] = [];
    for (let i = 0, n = 6 + next(9); i < n; i++) {
      const facts = { gender: genders[next(genders.length)]!, age: String(17 + next(50)), situation: situations[next(situations.length)]!, commune: towns[next(towns.length)]!, qpv: next(5) ? 'no' : 'yes' };
      ids.push((await addParticipant(ctx, scope, atelier.id, { name: `Personne ${month}-${i}`, consent: true, facts })).id);
    }
    const { awards } = await prepareIssue(ctx, scope, atelier.id, { badgeClassId: badge.badgeClassId, participantIds: ids, reissue: false, reflections: {} });
    for (const award of awards) await issueOne(ctx, scope, award);
  }
}
