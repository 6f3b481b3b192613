// /verify?url=…: the verdict on a badge issued here, with every check in plain words.
import { Router } from 'express';
import { translate } from '../../i18n/index.js';
import { t as ob3Text } from '../../ob3/messages.js';
import { ownCredentialId, verifyOwnCredential } from '../../services/verifying.js';
import { locals } from '../http.js';
import { render, type Web } from '../render.js';

export function verifyRoutes(web: Web): Router {
  const router = Router();
  router.get('/verify', async (req, res) => {
    const lang = locals(res).lang;
    const url = typeof req.query.url === 'string' ? req.query.url.trim() : '';
    const id = url ? ownCredentialId(web.ctx, url) : undefined;
    const data: Record<string, unknown> = { title: translate(lang, 'verify.title'), url };
    if (url && !id) data.error = translate(lang, 'verify.notOurs');
    if (id) {
      const report = await verifyOwnCredential(web.ctx, id, lang);
      data.report = {
        ...report,
        verdictText: ob3Text(lang, `verdict.${report.verdict}`),
        checks: report.checks.map((c) => ({ ...c, label: translate(lang, `verify.check.${c.id}`), statusText: translate(lang, `verify.status.${c.status}`) })),
      };
      data.credentialUrl = url;
    }
    render(web, res, 'public/verify', data);
  });
  return router;
}
