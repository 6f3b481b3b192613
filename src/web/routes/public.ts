// The home page and the choice of language; every other public page lives with its feature
// (collectives, badge-classes, credentials, learners, verifier).
import { Router } from 'express';
import { translate } from '../../i18n/index.js';
import { LANG_COOKIE, locals, safeNext, setCookie } from '../http.js';
import { render, type Web } from '../render.js';

export function publicRoutes(web: Web): Router {
  const router = Router();

  router.get('/', (_req, res) => render(web, res, 'site/home', { title: translate(locals(res).lang, 'home.title') }));

  router.get('/lang/:lang', (req, res) => {
    const lang = req.params.lang === 'en' ? 'en' : 'fr';
    setCookie(res, LANG_COOKIE, lang, { secure: web.secure, maxAgeSeconds: 365 * 86400 });
    res.redirect(303, safeNext(req.query.next, '/'));
  });

  return router;
}
