// Pages anyone can open without an account: home, the issuer (HTML, JSON-LD, did.json, status lists),
// badge classes, and issued badges with their downloadable forms.
import { Router, type Request, type Response } from 'express';
import { hasMessage, translate, type AppMessageKey } from '../../i18n/index.js';
import { OB_V3_CONTEXT, VC_V2_CONTEXT } from '../../ob3/model.js';
import { achievementDocument, achievementUrl, findVersion, publishedBadgeClasses } from '../../badge-classes/achievements.js';
import { STARTER_BADGES, starterPicture } from '../../badge-classes/catalogue.js';
import { assertPublished, bakedPng, bakedSvg, fileSlug, findPublicCredential, initials, type PublicCredential } from '../../credentials/credentials.js';
import { AppError } from '../../shared/errors.js';
import { findStatusList, issuerDid, issuerDidDocument, issuerPageUrl, issuerProfile, statusListCredential } from '../../collectives/issuers.js';
import type { Collective, CredentialRecord } from '../../store/index.js';
import { authorize, findCollective } from '../../collectives/collectives.js';
import { allowedActions } from '../../credentials/credential-status.js';
import { SECRET_PAGE_HEADERS, field, form, locals, safeNext, setCookie } from '../http.js';
import { badgeCard, credentialView, linkedInUrl } from '../credential-view.js';
import { chooseDisplay, eraseByHolder, openClaimLink, participantEmail, type ClaimedBadge } from '../../learners/claims.js';
import { createOffer } from '../../wallets/wallets.js';
import { myBadgesFromClaim, openMyBadges, requestMyBadges, zipBadges } from '../../learners/my-badges.js';
import { qrDataUrl } from '../qr.js';
import { errorMessage, render, type Web } from '../render.js';

export const LANG_COOKIE = 'badgeons_lang';
const JSON_LD = 'application/ld+json; charset=utf-8';

/** JSON for software that asks for it (Accept), the page for browsers. */
function wantsJson(req: Request): boolean {
  return req.accepts(['text/html', 'application/ld+json', 'application/json']) !== 'text/html';
}

function sendJson(res: Response, value: unknown, type = JSON_LD): void {
  res.set('Access-Control-Allow-Origin', '*').type(type).send(JSON.stringify(value, null, 2));
}

export function publicRoutes(web: Web): Router {
  const { ctx } = web;
  const router = Router();

  const collectiveBySlug = (slug: string): Promise<Collective> => findCollective(ctx, slug);

  router.get('/', (_req, res) => render(web, res, 'public/home', { title: translate(locals(res).lang, 'home.title') }));

  router.get('/lang/:lang', (req, res) => {
    const lang = req.params.lang === 'en' ? 'en' : 'fr';
    setCookie(res, LANG_COOKIE, lang, { secure: web.secure, maxAgeSeconds: 365 * 86400 });
    res.redirect(303, safeNext(req.query.next, '/'));
  });

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

  router.get('/catalogue/:key.svg', (req, res) => {
    const starter = STARTER_BADGES.find((b) => b.key === req.params.key);
    if (!starter) throw new AppError('NOT_FOUND', 404);
    res.type('image/svg+xml').set('Cache-Control', 'public, max-age=86400').send(starterPicture(starter));
  });

  const achievement = (id: string) => findVersion(ctx, id);

  router.get('/achievements/:id/image.png', async (req, res) => {
    const { version } = await achievement(req.params.id);
    // Versions are immutable, so their pictures can be cached for good.
    res.type('png').set('Cache-Control', 'public, max-age=31536000, immutable').set('Access-Control-Allow-Origin', '*').send(version.imagePng);
  });

  router.get('/achievements/:file', async (req, res) => {
    const [id, ext] = req.params.file.split('.', 2) as [string, string | undefined];
    if (ext !== undefined && ext !== 'json') throw new AppError('NOT_FOUND', 404);
    const { version, collective } = await achievement(id);
    if (ext === 'json' || wantsJson(req)) return sendJson(res, achievementDocument(ctx, collective, version));
    const url = achievementUrl(ctx, version);
    render(web, res, 'public/achievement', {
      title: version.name, version, collective, imageUrl: `/achievements/${version.id}/image.png`,
      typeKey: `type.${version.achievementType}`,
      og: { title: version.name, description: version.description, url, image: `${url}/image.png` },
    });
  });

  /** The badge's forms, by extension: signed JSON, JWT, and pictures baked with either (`?form=jwt`). */
  function sendBadgeFile(req: Request, res: Response, found: PublicCredential, ext: string): void {
    const { record, version } = found;
    const slug = fileSlug(version.name);
    const form = req.query.form === 'jwt' ? 'jwt' : 'json';
    if (ext === 'json') res.type(JSON_LD).set('Content-Disposition', `inline; filename="${slug}.json"`).send(record.json);
    else if (ext === 'jwt') res.type('application/vc+jwt').set('Content-Disposition', `inline; filename="${slug}.jwt"`).send(record.jwt);
    else if (ext === 'png') res.type('png').set('Content-Disposition', `inline; filename="${slug}.png"`).send(bakedPng(found, form));
    else if (ext === 'svg') res.type('image/svg+xml').set('Content-Disposition', `attachment; filename="${slug}.svg"`).send(bakedSvg(found, form));
    else throw new AppError('NOT_FOUND', 404);
  }

  router.get('/credentials/:file', async (req, res) => {
    const [id, ext] = req.params.file.split('.', 2) as [string, string | undefined];
    const found = await findPublicCredential(ctx, id);
    const { record, credential, collective } = found;
    res.set('Access-Control-Allow-Origin', '*');
    if (ext !== undefined || wantsJson(req)) {
      assertPublished(found, 'file');
      return sendBadgeFile(req, res, found, ext ?? 'json');
    }
    const manage = await managePanel(record, collective, res, !!credential.validUntil);
    // The collective's members still reach a badge its holder hid, to manage it.
    if (!manage) assertPublished(found, 'page');
    const lang = locals(res).lang;
    const changed = typeof req.query.changed === 'string' && hasMessage(`credential.statusChanged.${req.query.changed}`)
      ? translate(lang, `credential.statusChanged.${req.query.changed}` as AppMessageKey) : undefined;
    const shown = record.display === 'name' ? undefined : initials(record.recipientName);
    render(web, res, 'public/credential', {
      ...credentialView(ctx, lang, credential, collective, shown), state: record.status, changed, manage,
      filesPrivate: record.display !== 'name',
    });
  });

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

  /** For members of the issuing collective: the badge's state, its private reason, and what they can do. */
  async function managePanel(record: CredentialRecord, collective: Collective, res: Response, expires: boolean) {
    const account = locals(res).account;
    if (!account) return undefined;
    try {
      await authorize(ctx, account, collective.slug, 'facilitator');
    } catch (error) {
      if (error instanceof AppError) return undefined; // not a member: the public view
      throw error;
    }
    return {
      base: `/c/${collective.slug}/credentials/${record.id}`, reason: record.statusReason, renewedAt: record.renewedAt,
      actions: await allowedActions(ctx, record), canRenew: expires && record.status !== 'revoked',
    };
  }

  return router;
}
