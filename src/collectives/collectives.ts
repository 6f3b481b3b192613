// Collectives (the issuers) and who may do what in them. Every facilitator page goes through
// `authorize`, so the web app and the CLI cannot disagree about permissions.
import type { Account, Collective, Role } from '../store/index.js';
import type { CollectiveKind } from './repository.js';
import { newId } from '../store/ids.js';
import type { Context } from '../shared/context.js';
import { AppError } from '../shared/errors.js';
import { normaliseImage } from '../badge-classes/images.js';
import { hasHiddenCharacters } from '../shared/text.js';

export type CollectiveForm = Pick<Collective, 'slug' | 'name' | 'description' | 'url' | 'email' | 'town'>;

export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const RESERVED = new Set(['new', 'nouveau', 'admin', 'api', 'static']);

function readForm(form: Partial<CollectiveForm>): Omit<CollectiveForm, 'slug'> {
  const s = (v: string | undefined) => (v ?? '').trim();
  const problems: string[] = [];
  const name = s(form.name);
  if (!name || name.length > 120 || hasHiddenCharacters(name)) problems.push('name');
  if (hasHiddenCharacters(s(form.description), true) || hasHiddenCharacters(s(form.town))) problems.push('description');
  const url = s(form.url);
  if (url && !/^https?:\/\/\S+$/.test(url)) problems.push('url');
  const email = s(form.email);
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problems.push('email');
  if (problems.length) throw new AppError('COLLECTIVE_FORM_INVALID', 400, { fields: problems.join(',') });
  return { name, description: s(form.description), url, email, town: s(form.town) };
}

/** A new collective; its creator becomes its admin. Its keys are made on first signature. */
export async function createCollective(ctx: Context, creator: Account, form: Partial<CollectiveForm>): Promise<Collective> {
  if (!creator.instanceAdmin) throw new AppError('FORBIDDEN', 403);
  return newCollective(ctx, creator, form, 'collective');
}

/** The slug a new collective or partner would have, checked (the form's, or one made from its name). */
export async function freeSlug(ctx: Context, form: Partial<CollectiveForm>): Promise<string> {
  const slug = ((form.slug ?? '').trim() || slugFrom(form.name ?? '')).toLowerCase();
  if (!SLUG.test(slug) || RESERVED.has(slug)) throw new AppError('SLUG_INVALID', 400, { slug });
  if (await ctx.store.collectives.bySlug(slug)) throw new AppError('SLUG_TAKEN', 409, { slug });
  return slug;
}

const slugFrom = (name: string) => name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');

/**
 * Makes a collective (or a partner) whose admin is `creator`. Callers decide who may: an instance
 * admin (createCollective), or the holder of a partner invitation (endorsements/partners.ts).
 */
export async function newCollective(ctx: Context, creator: Account, form: Partial<CollectiveForm>, kind: CollectiveKind, id = newId()): Promise<Collective> {
  const slug = await freeSlug(ctx, form);
  const collective: Collective = { id, slug, ...readForm(form), logoPng: null, createdAt: ctx.now().toISOString(), kind };
  await ctx.store.collectives.create(collective);
  await ctx.store.accounts.setMembership({ accountId: creator.id, collectiveId: collective.id, role: 'admin' });
  ctx.keys.active(collective.id, ctx.now());
  return collective;
}

export async function updateCollective(ctx: Context, { collective }: AdminScope, form: Partial<CollectiveForm>, logo: Buffer | undefined): Promise<Collective> {
  const updated: Collective = { ...collective, ...readForm(form) };
  if (logo?.length) updated.logoPng = (await normaliseImage(logo, 256)).png;
  await ctx.store.collectives.update(updated);
  return updated;
}

/**
 * Who acts in which collective, with which role: the key every use case acting on a collective
 * asks for. Only three functions make one — `authorize` (a signed-in member or instance admin),
 * `authenticateApiToken` (a tool holding the collective's token) and `operatorScope` (the people
 * running the server, from the CLI) — so a use case called without checking does not compile.
 */
export interface Scope {
  readonly collective: Collective;
  readonly role: Role;
  /** The signed-in member; absent when a tool acts through an API token. */
  readonly account?: Account;
  /** Recorded as the author of what is done: an account id, `api:<token id>` or `operator`. */
  readonly actorId: string;
  readonly [authorized]: true;
}

/** A signed-in member's scope. */
export type MemberScope = Scope & { readonly account: Account };
/** A scope whose role is admin: the only key to the use cases that change who is in a collective. */
export type AdminScope = MemberScope & { readonly role: 'admin' };

declare const authorized: unique symbol;

/** Builds a scope; the three makers above are its only callers. */
export function makeScope<S extends Scope>(fields: Omit<S, typeof authorized>): S {
  return fields as unknown as S;
}

/** The people running the server (CLI, shell access): admin of every collective. */
export function operatorScope(collective: Collective): Scope {
  return makeScope({ collective, role: 'admin', actorId: 'operator' });
}

/**
 * The collective `slug` if `account` has `needed` there (admins can do what facilitators do). An
 * instance admin is admin everywhere: a membership with a lesser role never lowers that.
 */
export async function authorize<R extends Role>(ctx: Context, account: Account, slug: string, needed: R): Promise<R extends 'admin' ? AdminScope : MemberScope> {
  const collective = await ctx.store.collectives.bySlug(slug);
  if (!collective) throw new AppError('NOT_FOUND', 404);
  const membership = (await ctx.store.accounts.memberships(account.id)).find((m) => m.collectiveId === collective.id);
  const role: Role | undefined = account.instanceAdmin ? 'admin' : membership?.role;
  if (!role || (needed === 'admin' && role !== 'admin')) throw new AppError('FORBIDDEN', 403);
  return makeScope<MemberScope>({ account, collective, role, actorId: account.id }) as R extends 'admin' ? AdminScope : MemberScope;
}

/** A collective by the slug in its public addresses. */
export async function findCollective(ctx: Context, slug: string): Promise<Collective> {
  const collective = await ctx.store.collectives.bySlug(slug);
  if (!collective) throw new AppError('NOT_FOUND', 404);
  return collective;
}

/** The collectives an account works in, with its role there; an instance admin sees them all, as admin. */
export async function myCollectives(ctx: Context, account: Account): Promise<{ slug: string; name: string; role: Role }[]> {
  const memberships = await ctx.store.accounts.memberships(account.id);
  const mine = memberships.map((m) => ({ slug: m.slug, name: m.name, role: account.instanceAdmin ? 'admin' as const : m.role }));
  if (!account.instanceAdmin) return mine;
  const joined = new Set(memberships.map((m) => m.collectiveId));
  return [...mine, ...(await ctx.store.collectives.list()).filter((c) => !joined.has(c.id)).map((c) => ({ slug: c.slug, name: c.name, role: 'admin' as const }))];
}
