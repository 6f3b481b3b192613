// What a participant gets without an account: her claim link (her badge, its files, a wallet, LinkedIn,
// what the world sees, erasure) and *Mes badges* (a link by email, or from a claim link, to all her badges).
import { Router, type Request, type Response } from 'express';
import { translate } from '../i18n/index.js';
import { initials } from '../credentials/credentials.js';
import { AppError } from '../shared/errors.js';
import { SECRET_PAGE_HEADERS, field, form, locals } from '../web/http.js';
import { badgeCard, credentialView, linkedInUrl } from '../web/credential-view.js';
import { chooseDisplay, eraseByHolder, openClaimLink, participantEmail, type ClaimedBadge } from './claims.js';
import { createOffer } from '../wallets/wallets.js';
import { myBadgesFromClaim, openMyBadges, requestMyBadges, zipBadges } from './my-badges.js';
import { qrDataUrl } from '../web/qr.js';
import { errorMessage, render, type Web } from '../web/render.js';
import { sendBadgeFile } from '../web/badge-files.js';

export function learnerRoutes(web: Web): Router {
  const { ctx } = web;
  const router = Router();

  // A participant's claim link: her badge, its files, a wallet, LinkedIn, what the world sees, erasure. No account needed.
  async function claimed(req: Request, res: Response): Promise<ClaimedBadge> {
    res.set(SECRET_PAGE_HEADERS);
    return openClaimLink(ctx, String(req.params.token));
  }

  router.get('/claim/:token', async (req, res) => {
    const found = await claimed(req, res);
    const { record, credential, collective } = found;
    const lang = locals(res).lang;
    const view = credentialView(ctx, lang, credential, collective);
    render(web, res, 'public/claim', {
      ...view, title: translate(lang, 'claim.title'), og: undefined, state: record.status, linkedIn: linkedInUrl(credential, view.badge),
      claimPath: `/claim/${req.params.token}`, display: record.display, fullName: record.recipientName, initials: initials(record.recipientName),
      changed: req.query.changed === 'display' ? translate(lang, 'claim.displaySaved') : undefined,
      myBadges: !!(await participantEmail(ctx, record)),
    });
  });

  router.get('/claim/:token/badge.:ext', async (req, res) => {
    sendBadgeFile(req, res, await claimed(req, res), req.params.ext);
  });

  router.post('/claim/:token/wallet', async (req, res) => {
    const found = await claimed(req, res);
    const offer = await createOffer(ctx, found);
    render(web, res, 'public/claim-wallet', {
      title: translate(locals(res).lang, 'claim.walletPageTitle'), claimPath: `/claim/${req.params.token}`, ...offer, qr: await qrDataUrl(offer.link),
    });
  });

  router.post('/claim/:token/display', async (req, res) => {
    await chooseDisplay(ctx, await claimed(req, res), field(form(req), 'display'));
    res.redirect(303, `/claim/${req.params.token}?changed=display`);
  });

  router.post('/claim/:token/all', async (req, res) => {
    res.redirect(303, await myBadgesFromClaim(ctx, await claimed(req, res)));
  });

  // ---- My badges: a link by email (or from a claim link) to all of a learner's badges ----
  router.get('/my-badges', (_req, res) => {
    render(web, res, 'public/my-badges-request', { title: translate(locals(res).lang, 'myBadges.title') });
  });

  router.post('/my-badges', web.limiter.middleware(), async (req, res) => {
    const lang = locals(res).lang;
    const email = field(form(req), 'email');
    const title = translate(lang, 'myBadges.title');
    try {
      void requestMyBadges(ctx, email, lang);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return render(web, res, 'public/my-badges-request', { title, email, error: errorMessage(res, error) }, error.status);
    }
    render(web, res, 'public/my-badges-request', { title, sent: true });
  });

  async function mine(req: Request, res: Response) {
    res.set(SECRET_PAGE_HEADERS);
    return openMyBadges(ctx, String(req.params.token));
  }

  router.get('/my-badges/:token', async (req, res) => {
    const { link, badges } = await mine(req, res);
    const lang = locals(res).lang;
    render(web, res, 'public/my-badges', {
      title: translate(lang, 'myBadges.title'), email: link.email, base: `/my-badges/${req.params.token}`,
      badges: badges.map(({ record, credential, collective }) => {
        const card = badgeCard(ctx, lang, credential, { collective });
        return {
          id: record.id, name: card.name, issuer: card.issuer, issued: card.validFrom, image: card.image?.url,
          url: credential.id, public: record.display !== 'hidden', revoked: record.status === 'revoked',
        };
      }),
    });
  });

  router.get('/my-badges/:token/badges.zip', async (req, res) => {
    const { badges } = await mine(req, res);
    res.type('application/zip').set('Content-Disposition', 'attachment; filename="mes-badges.zip"').send(Buffer.from(zipBadges(badges)));
  });

  router.get('/my-badges/:token/:file', async (req, res) => {
    const { badges } = await mine(req, res);
    const [id, ext] = req.params.file.split('.', 2) as [string, string | undefined];
    const found = badges.find((b) => b.record.id === id);
    if (!found) throw new AppError('NOT_FOUND', 404);
    sendBadgeFile(req, res, found, ext ?? '');
  });

  router.post('/claim/:token/erase', async (req, res) => {
    const found = await claimed(req, res);
    if (field(form(req), 'confirm') !== 'yes') throw new AppError('ERASE_NOT_CONFIRMED', 400);
    await eraseByHolder(ctx, found);
    const lang = locals(res).lang;
    render(web, res, 'public/message', { title: translate(lang, 'claim.erasedTitle'), text: translate(lang, 'claim.erasedText') });
  });

  return router;
}
