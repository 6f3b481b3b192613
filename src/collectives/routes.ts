// A member's collectives: the dashboard (and invitations waiting there), creating a collective (instance
// admins), a collective's page, and its settings for its admins: profile and logo, members and
// invitations, API tokens, digital identity and keys. Public: the issuer page, did.json, logo, status lists.
import { Router, type Request, type Response } from 'express';
import { OB_V3_CONTEXT, VC_V2_CONTEXT } from '../ob3/model.js';
import { publishedBadgeClasses, currentBadgeClasses } from '../badge-classes/achievements.js';
import { AppError } from '../shared/errors.js';
import { findStatusList, issuerDid, issuerDidDocument, issuerPageUrl, issuerProfile, statusListCredential } from './issuers.js';
import { findCollective, updateCollective, type AdminScope, createCollective, myCollectives } from './collectives.js';
import { field, form, locals } from '../web/http.js';
import { bindTo, errorMessage, render, type Web, readUpload } from '../web/render.js';
import { sendJson, wantsJson } from '../web/badge-files.js';
import { createApiToken, listApiTokens, revokeApiToken } from './api-tokens.js';
import { cancelInvitation, inviteMember, listMembers, pendingInvitations, removeMember, renewInvitation, type SentInvitation, answerInvitation, myInvitations } from '../accounts/invitations.js';
import { MAX_IMAGE_BYTES } from '../badge-classes/images.js';
import { compromiseKey, listKeys, rotateCollectiveKey } from './keys.js';
import { listAteliers } from '../ateliers/ateliers.js';
import { countIssued } from '../issuing/issuing.js';
import { endorsementsOf, endorsingFor } from '../endorsements/endorsements.js';
import { adminScope, collectiveBase, currentAccount, memberScope, tr } from '../web/members.js';

export function collectiveRoutes(web: Web): Router {
  const on = bindTo(web);
  return Router()
    .get('/dashboard', on((w, _req, res) => dashboard(w, res)))
    .post('/invitations/mine/:id', on(answerFromDashboard))
    .post('/collectives', on(postCollective))
    .get('/c/:slug', on(showCollective))
    .get('/c/:slug/settings', on(async (w, req, res) => settings(w, res, await adminScope(w, req, res))))
    .post('/c/:slug/settings', on(postSettings))
    .post('/c/:slug/keys/rotate', on(rotateKey))
    .post('/c/:slug/keys/:kid/compromised', on(declareKeyCompromised))
    .post('/c/:slug/members', on(postMember))
    .post('/c/:slug/members/:accountId/remove', on(postRemoveMember))
    .post('/c/:slug/invitations/:id/renew', on(postRenewInvitation))
    .post('/c/:slug/invitations/:id/cancel', on(postCancelInvitation))
    .post('/c/:slug/tokens', on(postApiToken))
    .post('/c/:slug/tokens/:id/revoke', on(postRevokeApiToken))
    .get('/issuers/:slug/did.json', on(getDidDocument))
    .get('/issuers/:slug/logo.png', on(getLogo))
    .get('/status/:slug/:number', on(getStatusList))
    .get('/issuers/:slug', on(showIssuer));
}

async function dashboard(web: Web, res: Response, extra: Record<string, unknown> = {}, status = 200) {
  const { ctx } = web;
  const account = currentAccount(res);
  const collectives = (await myCollectives(ctx, account)).map((c) => ({ ...c, roleKey: `role.${c.role}` }));
  const invitations = (await myInvitations(ctx, account)).map((i) => ({ ...i, roleKey: `role.${i.role}` }));
  render(web, res, 'collectives/dashboard', { title: tr(res, 'dashboard.title'), name: account.name, collectives, invitations, canCreate: account.instanceAdmin, ...extra }, status);
}

// An invitation answered from the dashboard: only the invited account sees it there.
async function answerFromDashboard(web: Web, req: Request, res: Response) {
  const account = currentAccount(res);
  const accept = field(form(req), 'answer') === 'accept';
  const name = (await myInvitations(web.ctx, account)).find((i) => i.id === req.params.id)?.collectiveName;
  await answerInvitation(web.ctx, account, String(req.params.id), accept);
  await dashboard(web, res, accept ? { joined: name } : {});
}

async function postCollective(web: Web, req: Request, res: Response) {
  const body = form(req);
  try {
    const collective = await createCollective(web.ctx, currentAccount(res), {
      slug: field(body, 'slug'), name: field(body, 'name'), description: field(body, 'description'),
      url: field(body, 'url'), email: field(body, 'email'), town: field(body, 'town'),
    });
    res.redirect(303, `/c/${collective.slug}`);
  } catch (error) {
    await dashboard(web, res, { error: errorMessage(res, error), values: body }, error instanceof AppError ? error.status : 400);
  }
}

async function showCollective(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const [badges, ateliers, issued] = await Promise.all([currentBadgeClasses(web.ctx, s), listAteliers(web.ctx, s), countIssued(web.ctx, s)]);
  render(web, res, 'collectives/collective', { ...collectiveBase(s), title: s.collective.name, badges, ateliers, issued, isPartner: s.collective.kind === 'partner' });
}

async function settings(web: Web, res: Response, s: AdminScope, extra: Record<string, unknown> = {}, status = 200) {
  const { ctx } = web;
  const members = (await listMembers(ctx, s)).map((m) => ({ ...m, roleKey: `role.${m.role}`, self: m.id === s.account.id }));
  const now = ctx.now().toISOString();
  const invitations = (await pendingInvitations(ctx, s)).map((i) => ({ ...i, roleKey: `role.${i.role}`, expired: i.expiresAt <= now }));
  render(web, res, 'collectives/settings', {
    collective: s.collective, cpath: `/c/${s.collective.slug}`, title: tr(res, 'settings.title'),
    values: s.collective, members, invitations, did: issuerDid(ctx, s.collective), apiTokens: await listApiTokens(ctx, s),
    apiBase: ctx.config.publicUrl, didUrl: `/issuers/${s.collective.slug}/did.json`, keys: listKeys(ctx, s), today: now.slice(0, 10),
    ...extra,
  }, status);
}

/** A settings form's failure shown on the settings page, under the form that failed. */
async function settingsError(web: Web, res: Response, s: AdminScope, error: unknown, slot: string, extra: Record<string, unknown> = {}) {
  await settings(web, res, s, { [slot]: errorMessage(res, error), ...extra }, (error as AppError).status);
}

async function postSettings(web: Web, req: Request, res: Response) {
  const s = await adminScope(web, req, res);
  const upload = await readUpload(req, MAX_IMAGE_BYTES);
  const values = {
    name: field(upload.fields, 'name'), description: field(upload.fields, 'description'), url: field(upload.fields, 'url'),
    email: field(upload.fields, 'email'), town: field(upload.fields, 'town'),
  };
  try {
    const updated = await updateCollective(web.ctx, s, values, upload.file?.bytes);
    await settings(web, res, { ...s, collective: updated }, { saved: true });
  } catch (error) {
    await settingsError(web, res, s, error, 'profileError', { values: { ...s.collective, ...values } });
  }
}

async function rotateKey(web: Web, req: Request, res: Response) {
  const s = await adminScope(web, req, res);
  const key = rotateCollectiveKey(web.ctx, s);
  await settings(web, res, s, { keyNotice: tr(res, 'keys.rotated', { kid: key.kid }) });
}

async function declareKeyCompromised(web: Web, req: Request, res: Response) {
  const s = await adminScope(web, req, res);
  const since = field(form(req), 'since');
  try {
    const { withdrawn } = await compromiseKey(web.ctx, s, String(req.params.kid), new Date(/^\d{4}-\d{2}-\d{2}$/.test(since) ? `${since}T00:00:00Z` : 'invalid'));
    await settings(web, res, s, { keyNotice: tr(res, 'keys.compromisedDone', { count: withdrawn }) });
  } catch (error) {
    await settingsError(web, res, s, error, 'keyError');
  }
}

/** The invitation just made or renewed: its link for the admin to pass on, and how the mail went. */
const invited = (res: Response, sent: SentInvitation) => ({
  invited: {
    name: sent.invitation.name, url: sent.url, ...(sent.mail ? { mailed: sent.invitation.email } : {}),
    ...(sent.mailError ? { mailError: errorMessage(res, sent.mailError) } : {}),
  },
});

async function postMember(web: Web, req: Request, res: Response) {
  const s = await adminScope(web, req, res);
  const body = form(req);
  try {
    const sent = await inviteMember(web.ctx, s, { email: field(body, 'email'), name: field(body, 'name'), role: field(body, 'role') }, locals(res).lang);
    await settings(web, res, s, invited(res, sent));
  } catch (error) {
    await settingsError(web, res, s, error, 'memberError', { member: body });
  }
}

async function postRemoveMember(web: Web, req: Request, res: Response) {
  const s = await adminScope(web, req, res);
  try {
    await removeMember(web.ctx, s, String(req.params.accountId));
  } catch (error) {
    return settingsError(web, res, s, error, 'memberError');
  }
  res.redirect(303, `/c/${s.collective.slug}/settings#members`);
}

async function postRenewInvitation(web: Web, req: Request, res: Response) {
  const s = await adminScope(web, req, res);
  await settings(web, res, s, invited(res, await renewInvitation(web.ctx, s, String(req.params.id), locals(res).lang)));
}

async function postCancelInvitation(web: Web, req: Request, res: Response) {
  const s = await adminScope(web, req, res);
  await cancelInvitation(web.ctx, s, String(req.params.id));
  res.redirect(303, `/c/${s.collective.slug}/settings#members`);
}

// API tokens let another tool issue and withdraw this collective's badges (VC-API).
async function postApiToken(web: Web, req: Request, res: Response) {
  const s = await adminScope(web, req, res);
  try {
    const { token, secret } = await createApiToken(web.ctx, s, field(form(req), 'name'));
    await settings(web, res, s, { newToken: { name: token.name, secret } });
  } catch (error) {
    await settingsError(web, res, s, error, 'tokenError');
  }
}

async function postRevokeApiToken(web: Web, req: Request, res: Response) {
  const s = await adminScope(web, req, res);
  await revokeApiToken(web.ctx, s, String(req.params.id));
  res.redirect(303, `/c/${s.collective.slug}/settings#api`);
}

async function getDidDocument(web: Web, req: Request, res: Response) {
  sendJson(res, issuerDidDocument(web.ctx, await findCollective(web.ctx, String(req.params.slug))), 'application/did+json');
}

async function getLogo(web: Web, req: Request, res: Response) {
  const collective = await findCollective(web.ctx, String(req.params.slug));
  if (!collective.logoPng) throw new AppError('NOT_FOUND', 404);
  res.type('png').set('Cache-Control', 'public, max-age=3600').send(collective.logoPng);
}

async function getStatusList(web: Web, req: Request, res: Response) {
  const collective = await findCollective(web.ctx, String(req.params.slug));
  const list = await findStatusList(web.ctx, collective, Number(req.params.number));
  // Short caching: verifiers must see a revocation soon.
  res.set('Access-Control-Allow-Origin', '*').set('Cache-Control', 'public, max-age=60')
    .type('application/vc+ld+json').send(await statusListCredential(web.ctx, collective, list));
}

async function showIssuer(web: Web, req: Request, res: Response) {
  const collective = await findCollective(web.ctx, String(req.params.slug));
  if (wantsJson(req)) return sendJson(res, { '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT], ...issuerProfile(web.ctx, collective) });
  const [badges, endorsements, endorseAs] = await Promise.all([
    publishedBadgeClasses(web.ctx, collective), endorsementsOf(web.ctx, collective.id), endorsingFor(web.ctx, locals(res).account, collective),
  ]);
  const pageUrl = issuerPageUrl(web.ctx, collective);
  render(web, res, 'collectives/issuer', {
    title: collective.name, collective, did: issuerDid(web.ctx, collective), pageUrl, endorsements, endorseAs, isPartner: collective.kind === 'partner',
    badges: badges.map((v) => ({ ...v, url: `/achievements/${v.id}` })),
    og: { title: collective.name, description: collective.description, url: pageUrl, ...(collective.logoPng ? { image: `${pageUrl}/logo.png` } : {}) },
  });
}
