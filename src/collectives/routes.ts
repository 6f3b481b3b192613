// A member's collectives: the dashboard (and invitations waiting there), creating a collective (instance
// admins), a collective's page, and its settings for its admins: profile and logo, members and
// invitations, API tokens, digital identity and keys.
import { Router, type Request, type Response } from 'express';
import { translate } from '../i18n/index.js';
import { OB_V3_CONTEXT, VC_V2_CONTEXT } from '../ob3/model.js';
import { publishedBadgeClasses, currentBadgeClasses } from '../badge-classes/achievements.js';
import { AppError } from '../shared/errors.js';
import { findStatusList, issuerDid, issuerDidDocument, issuerPageUrl, issuerProfile, statusListCredential } from './issuers.js';
import type { Collective, Role } from '../store/index.js';
import { findCollective, updateCollective, type AdminScope, createCollective, myCollectives } from './collectives.js';
import { field, form, locals } from '../web/http.js';
import { errorMessage, render, type Web, readUpload } from '../web/render.js';
import { sendJson, wantsJson } from '../web/badge-files.js';
import { createApiToken, listApiTokens, revokeApiToken } from './api-tokens.js';
import { cancelInvitation, inviteMember, listMembers, pendingInvitations, removeMember, renewInvitation, type SentInvitation, answerInvitation, myInvitations } from '../accounts/invitations.js';
import { MAX_IMAGE_BYTES } from '../badge-classes/images.js';
import { compromiseKey, listKeys, rotateCollectiveKey } from './keys.js';
import { listAteliers } from '../ateliers/ateliers.js';
import { countIssued } from '../issuing/issuing.js';
import { collectiveBase, currentAccount, memberScope, tr } from '../web/members.js';

export function collectiveRoutes(web: Web): Router {
  const { ctx } = web;
  const router = Router();
  const collectiveBySlug = (slug: string): Promise<Collective> => findCollective(ctx, slug);
  const scope = (req: Request, res: Response, role: Role = 'facilitator') => memberScope(web, req, res, role);
  const adminScope = (req: Request, res: Response) => memberScope(web, req, res, 'admin');
  const account = currentAccount;
  const base = collectiveBase;

  async function dashboard(res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const a = account(res);
    const collectives = (await myCollectives(ctx, a)).map((c) => ({ ...c, roleKey: `role.${c.role}` }));
    const invitations = (await myInvitations(ctx, a)).map((i) => ({ ...i, roleKey: `role.${i.role}` }));
    render(web, res, 'facilitator/dashboard', { title: tr(res, 'dashboard.title'), name: a.name, collectives, invitations, canCreate: a.instanceAdmin, ...extra }, status);
  }

  router.get('/dashboard', (_req, res) => dashboard(res));

  // An invitation answered from the dashboard: only the invited account sees it there.
  router.post('/invitations/mine/:id', async (req, res) => {
    const a = account(res);
    const accept = field(form(req), 'answer') === 'accept';
    const name = (await myInvitations(ctx, a)).find((i) => i.id === req.params.id)?.collectiveName;
    await answerInvitation(ctx, a, String(req.params.id), accept);
    await dashboard(res, accept ? { joined: name } : {});
  });

  router.post('/collectives', async (req, res) => {
    const body = form(req);
    try {
      const c = await createCollective(ctx, account(res), {
        slug: field(body, 'slug'), name: field(body, 'name'), description: field(body, 'description'),
        url: field(body, 'url'), email: field(body, 'email'), town: field(body, 'town'),
      });
      res.redirect(303, `/c/${c.slug}`);
    } catch (error) {
      await dashboard(res, { error: errorMessage(res, error), values: body }, error instanceof AppError ? error.status : 400);
    }
  });

  router.get('/c/:slug', async (req, res) => {
    const s = await scope(req, res);
    const [badges, ateliers, issued] = await Promise.all([currentBadgeClasses(ctx, s), listAteliers(ctx, s), countIssued(ctx, s)]);
    render(web, res, 'facilitator/collective', { ...base(s), title: s.collective.name, badges, ateliers, issued });
  });

  async function settings(res: Response, s: AdminScope, extra: Record<string, unknown> = {}, status = 200) {
    const members = (await listMembers(ctx, s)).map((m) => ({ ...m, roleKey: `role.${m.role}`, self: m.id === s.account.id }));
    const now = ctx.now().toISOString();
    const invitations = (await pendingInvitations(ctx, s)).map((i) => ({ ...i, roleKey: `role.${i.role}`, expired: i.expiresAt <= now }));
    const did = issuerDid(ctx, s.collective);
    render(web, res, 'admin/settings', {
      collective: s.collective, cpath: `/c/${s.collective.slug}`, title: translate(locals(res).lang, 'settings.title'),
      values: s.collective, members, invitations, did, apiTokens: await listApiTokens(ctx, s), apiBase: ctx.config.publicUrl, didUrl: `/issuers/${s.collective.slug}/did.json`, keys: listKeys(ctx, s), today: ctx.now().toISOString().slice(0, 10),
      ...extra,
    }, status);
  }

  router.get('/c/:slug/settings', async (req, res) => settings(res, await adminScope(req, res)));

  router.post('/c/:slug/keys/rotate', async (req, res) => {
    const s = await adminScope(req, res);
    const key = rotateCollectiveKey(ctx, s);
    await settings(res, s, { keyNotice: translate(locals(res).lang, 'keys.rotated', { kid: key.kid }) });
  });

  router.post('/c/:slug/keys/:kid/compromised', async (req, res) => {
    const s = await adminScope(req, res);
    const since = field(form(req), 'since');
    try {
      const { withdrawn } = await compromiseKey(ctx, s, String(req.params.kid), new Date(/^\d{4}-\d{2}-\d{2}$/.test(since) ? `${since}T00:00:00Z` : 'invalid'));
      await settings(res, s, { keyNotice: translate(locals(res).lang, 'keys.compromisedDone', { count: withdrawn }) });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await settings(res, s, { keyError: errorMessage(res, error) }, error.status);
    }
  });

  router.post('/c/:slug/settings', async (req, res) => {
    const s = await adminScope(req, res);
    const form = await readUpload(req, MAX_IMAGE_BYTES);
    const values = {
      name: field(form.fields, 'name'), description: field(form.fields, 'description'), url: field(form.fields, 'url'),
      email: field(form.fields, 'email'), town: field(form.fields, 'town'),
    };
    try {
      const updated = await updateCollective(ctx, s, values, form.file?.bytes);
      await settings(res, { ...s, collective: updated }, { saved: true });
    } catch (error) {
      await settings(res, s, { profileError: errorMessage(res, error), values: { ...s.collective, ...values } }, (error as AppError).status);
    }
  });

  /** The invitation just made or renewed: its link for the admin to pass on, and how the mail went. */
  const invited = (res: Response, sent: SentInvitation) => ({
    invited: {
      name: sent.invitation.name, url: sent.url, ...(sent.mail ? { mailed: sent.invitation.email } : {}),
      ...(sent.mailError ? { mailError: errorMessage(res, sent.mailError) } : {}),
    },
  });

  router.post('/c/:slug/members', async (req, res) => {
    const s = await adminScope(req, res);
    const body = form(req);
    try {
      const sent = await inviteMember(ctx, s, { email: field(body, 'email'), name: field(body, 'name'), role: field(body, 'role') }, locals(res).lang);
      await settings(res, s, invited(res, sent));
    } catch (error) {
      await settings(res, s, { memberError: errorMessage(res, error), member: body }, (error as AppError).status);
    }
  });

  router.post('/c/:slug/invitations/:id/renew', async (req, res) => {
    const s = await adminScope(req, res);
    await settings(res, s, invited(res, await renewInvitation(ctx, s, String(req.params.id), locals(res).lang)));
  });

  router.post('/c/:slug/invitations/:id/cancel', async (req, res) => {
    const s = await adminScope(req, res);
    await cancelInvitation(ctx, s, String(req.params.id));
    res.redirect(303, `/c/${s.collective.slug}/settings#members`);
  });

  // API tokens let another tool issue and withdraw this collective's badges (VC-API).
  router.post('/c/:slug/tokens', async (req, res) => {
    const s = await adminScope(req, res);
    try {
      const { token, secret } = await createApiToken(ctx, s, field(form(req), 'name'));
      await settings(res, s, { newToken: { name: token.name, secret } });
    } catch (error) {
      await settings(res, s, { tokenError: errorMessage(res, error) }, (error as AppError).status);
    }
  });

  router.post('/c/:slug/tokens/:id/revoke', async (req, res) => {
    const s = await adminScope(req, res);
    await revokeApiToken(ctx, s, req.params.id);
    res.redirect(303, `/c/${s.collective.slug}/settings#api`);
  });

  router.post('/c/:slug/members/:accountId/remove', async (req, res) => {
    const s = await adminScope(req, res);
    try {
      await removeMember(ctx, s, String(req.params.accountId));
    } catch (error) {
      return settings(res, s, { memberError: errorMessage(res, error) }, (error as AppError).status);
    }
    res.redirect(303, `/c/${s.collective.slug}/settings#members`);
  });

  // ---- public: the issuer page (HTML, JSON-LD), did.json, logo, status lists ----
  router.get('/issuers/:slug/did.json', async (req, res) => {
    sendJson(res, issuerDidDocument(ctx, await collectiveBySlug(req.params.slug)), 'application/did+json');
  });

  router.get('/issuers/:slug/logo.png', async (req, res) => {
    const collective = await collectiveBySlug(req.params.slug);
    if (!collective.logoPng) throw new AppError('NOT_FOUND', 404);
    res.type('png').set('Cache-Control', 'public, max-age=3600').send(collective.logoPng);
  });

  router.get('/status/:slug/:number', async (req, res) => {
    const collective = await collectiveBySlug(req.params.slug);
    const list = await findStatusList(ctx, collective, Number(req.params.number));
    // Short caching: verifiers must see a revocation soon.
    res.set('Access-Control-Allow-Origin', '*').set('Cache-Control', 'public, max-age=60')
      .type('application/vc+ld+json').send(await statusListCredential(ctx, collective, list));
  });

  router.get('/issuers/:slug', async (req, res) => {
    const collective = await collectiveBySlug(req.params.slug);
    if (wantsJson(req)) return sendJson(res, { '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT], ...issuerProfile(ctx, collective) });
    const badges = await publishedBadgeClasses(ctx, collective);
    render(web, res, 'public/issuer', {
      title: collective.name, collective, did: issuerDid(ctx, collective), pageUrl: issuerPageUrl(ctx, collective),
      badges: badges.map((v) => ({ ...v, url: `/achievements/${v.id}` })),
      og: { title: collective.name, description: collective.description, url: issuerPageUrl(ctx, collective), ...(collective.logoPng ? { image: `${issuerPageUrl(ctx, collective)}/logo.png` } : {}) },
    });
  });

  return router;
}
