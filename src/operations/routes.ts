// The people running the instance, and a collective's admins for their own messages: backups, and
// the outbox of messages written when no SMTP server is set.
import { Router, type Request, type Response } from 'express';
import { translate } from '../i18n/index.js';
import { AppError } from '../shared/errors.js';
import { findOutboxRecord, listOutbox, readOutboxMessage } from './mail.js';
import { backupStatus, downloadBackup } from './backup.js';
import { locals } from '../web/http.js';
import { render, type Web } from '../web/render.js';
import { memberScope } from '../web/members.js';

export function operationsRoutes(web: Web): Router {
  const { ctx } = web;
  const router = Router();
  const adminScope = (req: Request, res: Response) => memberScope(web, req, res, 'admin');

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
    const s = await adminScope(req, res);
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


  return router;
}
