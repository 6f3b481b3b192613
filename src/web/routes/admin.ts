// A collective's admins: its public profile and logo, its members, its API tokens, its digital identity
// and keys. The instance's admins: its outbox and its backups.
import { Router, type Request, type Response } from 'express';
import { translate } from '../../i18n/index.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../../collectives/api-tokens.js';
import { updateCollective, type AdminScope } from '../../collectives/collectives.js';
import { cancelInvitation, inviteMember, listMembers, pendingInvitations, removeMember, renewInvitation, type SentInvitation } from '../../accounts/invitations.js';
import { AppError } from '../../shared/errors.js';
import { MAX_IMAGE_BYTES } from '../../badge-classes/images.js';
import { findOutboxRecord, listOutbox, readOutboxMessage } from '../../operations/mail.js';
import { issuerDid } from '../../collectives/issuers.js';
import { compromiseKey, listKeys, rotateCollectiveKey } from '../../collectives/keys.js';
import { backupStatus, downloadBackup } from '../../operations/backup.js';
import { field, form, locals } from '../http.js';
import { errorMessage, readUpload, render, requireScope, type Web } from '../render.js';

export function adminRoutes(web: Web): Router {
  const { ctx } = web;
  const router = Router();

  const scope = (req: Request, res: Response) => requireScope(web, req, res, 'admin');

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

  router.get('/c/:slug/settings', async (req, res) => settings(res, await scope(req, res)));

  router.post('/c/:slug/keys/rotate', async (req, res) => {
    const s = await scope(req, res);
    const key = rotateCollectiveKey(ctx, s);
    await settings(res, s, { keyNotice: translate(locals(res).lang, 'keys.rotated', { kid: key.kid }) });
  });

  router.post('/c/:slug/keys/:kid/compromised', async (req, res) => {
    const s = await scope(req, res);
    const since = field(form(req), 'since');
    try {
      const { withdrawn } = await compromiseKey(ctx, s, String(req.params.kid), new Date(/^\d{4}-\d{2}-\d{2}$/.test(since) ? `${since}T00:00:00Z` : 'invalid'));
      await settings(res, s, { keyNotice: translate(locals(res).lang, 'keys.compromisedDone', { count: withdrawn }) });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await settings(res, s, { keyError: errorMessage(res, error) }, error.status);
    }
  });

  // The instance's backups: when the last one was made, and one to download now.
  const instanceAdmin = (res: Response) => {
    const account = locals(res).account;
    if (!account?.instanceAdmin) throw new AppError(account ? 'FORBIDDEN' : 'LOGIN_REQUIRED', account ? 403 : 401);
    return account;
  };

  router.get('/admin/backups', async (_req, res) => {
    instanceAdmin(res);
    const { lang } = locals(res);
    const { last, sqlite } = await backupStatus(ctx);
    render(web, res, 'admin/backups', {
      title: translate(lang, 'backups.title'), last, sqlite, sealed: !!process.env.BADGEONS_BACKUP_PASSPHRASE,
      ...(last ? { lastKb: Math.ceil(last.bytes / 1024), lastHow: translate(lang, last.sealed ? 'backups.sealed' : 'backups.clear') } : {}),
      postgresHint: translate(lang, 'error.BACKUP_NEEDS_SQLITE'),
    });
  });

  router.post('/admin/backups', async (_req, res) => {
    const bytes = await downloadBackup(ctx, instanceAdmin(res));
    const name = `badgeons-${ctx.now().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.backup`;
    res.set({ 'Cache-Control': 'no-store', 'Content-Disposition': `attachment; filename="${name}"` }).type('application/octet-stream').send(bytes);
  });

  // The outbox: messages sent for the collective (or, for instance admins, the instance's own), readable
  // here when no SMTP server is configured and they were written to DATA_DIR/outbox instead.
  async function outboxOwner(req: Request, res: Response): Promise<{ collectiveId: string | null; base: string; back: string; name: string }> {
    if (req.params.slug === undefined) {
      if (!locals(res).account?.instanceAdmin) throw new AppError(locals(res).account ? 'FORBIDDEN' : 'LOGIN_REQUIRED', locals(res).account ? 403 : 401);
      return { collectiveId: null, base: '/admin/outbox', back: '/dashboard', name: 'Badgeons' };
    }
    const s = await scope(req, res);
    return { collectiveId: s.collective.id, base: `/c/${s.collective.slug}/outbox`, back: `/c/${s.collective.slug}/settings`, name: s.collective.name };
  }

  router.get(['/c/:slug/outbox', '/admin/outbox'], async (req, res) => {
    const owner = await outboxOwner(req, res);
    const messages = (await listOutbox(ctx, owner.collectiveId)).map((m) => ({ ...m, state: m.error ? 'failed' : m.file ? 'written' : 'sent' }));
    render(web, res, 'admin/outbox', { title: translate(locals(res).lang, 'outbox.title'), ...owner, messages, smtp: !!ctx.config.smtpUrl });
  });

  router.get(['/c/:slug/outbox/:id', '/admin/outbox/:id'], async (req, res) => {
    const owner = await outboxOwner(req, res);
    const [id, ext] = String(req.params.id).split('.', 2);
    const record = await findOutboxRecord(ctx, owner.collectiveId, id ?? '');
    const message = await readOutboxMessage(ctx, record);
    res.set('Cache-Control', 'no-store');
    if (ext === 'eml') return res.type('message/rfc822').set('Content-Disposition', `attachment; filename="${record.id}.eml"`).send(message.raw);
    if (ext !== undefined) throw new AppError('NOT_FOUND', 404);
    render(web, res, 'admin/outbox-message', { title: record.subject, ...owner, record, text: message.text });
  });

  router.post('/c/:slug/settings', async (req, res) => {
    const s = await scope(req, res);
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
    const s = await scope(req, res);
    const body = form(req);
    try {
      const sent = await inviteMember(ctx, s, { email: field(body, 'email'), name: field(body, 'name'), role: field(body, 'role') }, locals(res).lang);
      await settings(res, s, invited(res, sent));
    } catch (error) {
      await settings(res, s, { memberError: errorMessage(res, error), member: body }, (error as AppError).status);
    }
  });

  router.post('/c/:slug/invitations/:id/renew', async (req, res) => {
    const s = await scope(req, res);
    await settings(res, s, invited(res, await renewInvitation(ctx, s, String(req.params.id), locals(res).lang)));
  });

  router.post('/c/:slug/invitations/:id/cancel', async (req, res) => {
    const s = await scope(req, res);
    await cancelInvitation(ctx, s, String(req.params.id));
    res.redirect(303, `/c/${s.collective.slug}/settings#members`);
  });

  // API tokens let another tool issue and withdraw this collective's badges (VC-API).
  router.post('/c/:slug/tokens', async (req, res) => {
    const s = await scope(req, res);
    try {
      const { token, secret } = await createApiToken(ctx, s, field(form(req), 'name'));
      await settings(res, s, { newToken: { name: token.name, secret } });
    } catch (error) {
      await settings(res, s, { tokenError: errorMessage(res, error) }, (error as AppError).status);
    }
  });

  router.post('/c/:slug/tokens/:id/revoke', async (req, res) => {
    const s = await scope(req, res);
    await revokeApiToken(ctx, s, req.params.id);
    res.redirect(303, `/c/${s.collective.slug}/settings#api`);
  });

  router.post('/c/:slug/members/:accountId/remove', async (req, res) => {
    const s = await scope(req, res);
    try {
      await removeMember(ctx, s, String(req.params.accountId));
    } catch (error) {
      return settings(res, s, { memberError: errorMessage(res, error) }, (error as AppError).status);
    }
    res.redirect(303, `/c/${s.collective.slug}/settings#members`);
  });

  return router;
}
