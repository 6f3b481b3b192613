// The people running the instance, and a collective's admins for their own messages: backups, and
// the outbox of messages written when no SMTP server is set.
import { Router, type Request, type Response } from 'express';
import { AppError } from '../shared/errors.js';
import { findOutboxRecord, listOutbox, readOutboxMessage } from './mail.js';
import { backupStatus, downloadBackup } from './backup.js';
import { locals } from '../web/http.js';
import { bindTo, render, type Web } from '../web/render.js';
import { adminScope, tr } from '../web/members.js';

export function operationsRoutes(web: Web): Router {
  const on = bindTo(web);
  return Router()
    .get('/admin/backups', on(showBackups))
    .post('/admin/backups', on(postBackup))
    .get(['/c/:slug/outbox', '/admin/outbox'], on(showOutbox))
    .get(['/c/:slug/outbox/:id', '/admin/outbox/:id'], on(showOutboxMessage));
}

/** The instance's admins only. */
function instanceAdmin(res: Response) {
  const account = locals(res).account;
  if (!account?.instanceAdmin) throw new AppError(account ? 'FORBIDDEN' : 'LOGIN_REQUIRED', account ? 403 : 401);
  return account;
}

// The instance's backups: when the last one was made, and one to download now.
async function showBackups(web: Web, _req: Request, res: Response) {
  instanceAdmin(res);
  const { last, sqlite } = await backupStatus(web.ctx);
  render(web, res, 'operations/backups', {
    title: tr(res, 'backups.title'), last, sqlite, sealed: !!process.env.BADGEONS_BACKUP_PASSPHRASE,
    ...(last ? { lastKb: Math.ceil(last.bytes / 1024), lastHow: tr(res, last.sealed ? 'backups.sealed' : 'backups.clear') } : {}),
    postgresHint: tr(res, 'error.BACKUP_NEEDS_SQLITE'),
  });
}

async function postBackup(web: Web, _req: Request, res: Response) {
  const bytes = await downloadBackup(web.ctx, instanceAdmin(res));
  const name = `badgeons-${web.ctx.now().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.backup`;
  res.set({ 'Cache-Control': 'no-store', 'Content-Disposition': `attachment; filename="${name}"` }).type('application/octet-stream').send(bytes);
}

// The outbox: messages sent for the collective (or, for instance admins, the instance's own), readable
// here when no SMTP server is configured and they were written to DATA_DIR/outbox instead.
async function outboxOwner(web: Web, req: Request, res: Response): Promise<{ collectiveId: string | null; base: string; back: string; name: string }> {
  if (req.params.slug === undefined) {
    instanceAdmin(res);
    return { collectiveId: null, base: '/admin/outbox', back: '/dashboard', name: 'Badgeons' };
  }
  const s = await adminScope(web, req, res);
  return { collectiveId: s.collective.id, base: `/c/${s.collective.slug}/outbox`, back: `/c/${s.collective.slug}/settings`, name: s.collective.name };
}

async function showOutbox(web: Web, req: Request, res: Response) {
  const owner = await outboxOwner(web, req, res);
  const messages = (await listOutbox(web.ctx, owner.collectiveId)).map((m) => ({ ...m, state: m.error ? 'failed' : m.file ? 'written' : 'sent' }));
  render(web, res, 'operations/outbox', { title: tr(res, 'outbox.title'), ...owner, messages, smtp: !!web.ctx.config.smtpUrl });
}

async function showOutboxMessage(web: Web, req: Request, res: Response) {
  const owner = await outboxOwner(web, req, res);
  const [id, ext] = String(req.params.id).split('.', 2);
  const record = await findOutboxRecord(web.ctx, owner.collectiveId, id ?? '');
  const message = await readOutboxMessage(web.ctx, record);
  res.set('Cache-Control', 'no-store');
  if (ext === 'eml') return res.type('message/rfc822').set('Content-Disposition', `attachment; filename="${record.id}.eml"`).send(message.raw);
  if (ext !== undefined) throw new AppError('NOT_FOUND', 404);
  render(web, res, 'operations/outbox-message', { title: record.subject, ...owner, record, text: message.text });
}
