// What a participant gets without an account: her claim link or the short code on her card (her badge,
// its files, a wallet, LinkedIn, what the world sees, erasure) and *Mes badges* (a link by email, or
// from a claim link, to all her badges). For facilitators: handing a group's badges over (cards, mail).
import { Router, type Request, type Response } from 'express';
import { translate } from '../i18n/index.js';
import { initials } from '../credentials/credentials.js';
import { AppError } from '../shared/errors.js';
import { SECRET_PAGE_HEADERS, field, form, locals } from '../web/http.js';
import { badgeCard, credentialView, linkedInUrl } from '../web/credential-view.js';
import { chooseDisplay, claimPathForCode, eraseByHolder, openClaimLink, participantEmail, recordPickup, type ClaimedBadge } from './claims.js';
import { groupCards, sendGroupLinks } from './handover.js';
import { requestPathForCode } from '../requests/requests.js';
import { acceptEndorsement, endorsementsOf } from '../endorsements/endorsements.js';
import { learnerProgress } from '../parcours/parcours.js';
import { acceptedFromElsewhere, presentBadge } from '../issuing/presented.js';
import { MAX_INPUT_BYTES } from '../ob3/verify/input.js';
import { MAX_CREDENTIAL_BYTES } from '../ob3/bake/png.js';
import { takeRequest } from '../operations/rate-limits.js';
import { collectiveBase, memberScope, tr } from '../web/members.js';
import { createOffer } from '../wallets/wallets.js';
import { myBadgesFromClaim, openMyBadges, requestMyBadges, zipBadges } from './my-badges.js';
import { qrDataUrl } from '../web/qr.js';
import { bindTo, errorMessage, readUpload, render, type Web } from '../web/render.js';
import { sendBadgeFile } from '../web/badge-files.js';

export function learnerRoutes(web: Web): Router {
  const on = bindTo(web);
  return Router()
    .get('/code', on((w, _req, res) => render(w, res, 'learners/code', { title: tr(res, 'code.title') })))
    .post('/code', on(postCode))
    .get('/claim/:token', on(showClaim))
    .get('/claim/:token/linkedin', on(followLinkedIn))
    .get('/claim/:token/badge.:ext', on(async (w, req, res) => sendBadgeFile(req, res, await claimed(w, req, res), String(req.params.ext))))
    .post('/claim/:token/wallet', on(postWalletOffer))
    .post('/claim/:token/display', on(postDisplay))
    .post('/claim/:token/all', on(async (w, req, res) => res.redirect(303, await myBadgesFromClaim(w.ctx, await claimed(w, req, res)))))
    .post('/claim/:token/erase', on(postErase))
    .post('/claim/:token/endorsements/:eid/accept', on(postAcceptEndorsement))
    .post('/claim/:token/present', web.limiter.middleware(), on(postPresent))
    .get('/my-badges', on((w, _req, res) => render(w, res, 'learners/my-badges-request', { title: tr(res, 'myBadges.title') })))
    .post('/my-badges', web.limiter.middleware(), on(postMyBadgesRequest))
    .get('/my-badges/:token', on(showMyBadges))
    .get('/my-badges/:token/badges.zip', on(getMyBadgesZip))
    .get('/my-badges/:token/:file', on(getMyBadgeFile))
    .get('/c/:slug/ateliers/:id/cards', on(showGroupCards))
    .post('/c/:slug/ateliers/:id/send-all', on(postSendAll));
}

/** The badge behind a claim link; the page is a secret (no cache, no referrer). */
function claimed(web: Web, req: Request, res: Response): Promise<ClaimedBadge> {
  res.set(SECRET_PAGE_HEADERS);
  return openClaimLink(web.ctx, String(req.params.token));
}

// A code typed from the card: a few tries a minute per address, and a ceiling for everyone together,
// so 50-bit codes cannot be walked through (README, Security).
const CODE_TRIES_PER_MINUTE = 10;
const CODE_TRIES_PER_MINUTE_ALL = 300;

async function postCode(web: Web, req: Request, res: Response) {
  const code = field(form(req), 'code');
  try {
    const wait = Math.max(await takeRequest(web.ctx, `code:${req.ip ?? ''}`, CODE_TRIES_PER_MINUTE), await takeRequest(web.ctx, 'code:*', CODE_TRIES_PER_MINUTE_ALL));
    if (wait) {
      res.set('Retry-After', String(wait));
      throw new AppError('RATE_LIMITED', 429, { seconds: wait });
    }
    // A card's code opens her badge; an atelier's code (on the facilitator's screen) opens its request page.
    res.redirect(303, await requestPathForCode(web.ctx, code) ?? await claimPathForCode(web.ctx, code));
  } catch (error) {
    render(web, res, 'learners/code', { title: tr(res, 'code.title'), code, error: errorMessage(res, error) }, (error as AppError).status);
  }
}

async function showClaim(web: Web, req: Request, res: Response) {
  const found = await claimed(web, req, res);
  const { record, credential, collective } = found;
  await recordPickup(web.ctx, found, 'opened');
  const lang = locals(res).lang;
  const view = credentialView(web.ctx, lang, credential, collective);
  const expired = !!view.badge.validUntil && Date.parse(view.badge.validUntil) < web.ctx.now().getTime();
  render(web, res, 'learners/claim', {
    ...view, title: translate(lang, 'claim.title'), og: undefined, state: record.status, valid: record.status === 'active' && !expired, expired,
    linkedIn: `/claim/${req.params.token}/linkedin`,
    claimPath: `/claim/${req.params.token}`, display: record.display, fullName: record.recipientName, initials: initials(record.recipientName),
    changed: req.query.changed === 'display' ? translate(lang, 'claim.displaySaved') : undefined,
    myBadges: !!(await participantEmail(web.ctx, record)),
    forYou: (await endorsementsOf(web.ctx, record.id)).filter((e) => !e.withdrawnAt),
    progress: await learnerProgress(web.ctx, record),
    presentable: (await acceptedFromElsewhere(web.ctx, record.collectiveId)).size > 0 && record.status !== 'revoked',
    presented: req.query.presented === '1' ? tr(res, 'present.done') : undefined,
  });
}

/** LinkedIn's form, filled in; going there counts as sharing the badge. */
async function followLinkedIn(web: Web, req: Request, res: Response) {
  const found = await claimed(web, req, res);
  if (found.record.status === 'revoked' || found.record.display === 'hidden') throw new AppError('NOT_FOUND', 404);
  await recordPickup(web.ctx, found, 'shared');
  const view = credentialView(web.ctx, locals(res).lang, found.credential, found.collective);
  res.redirect(303, linkedInUrl(found.credential, view.badge));
}

/** A badge from elsewhere she presents: verified, and kept only if it is hers and a badge-clé accepts it. */
async function postPresent(web: Web, req: Request, res: Response) {
  const found = await claimed(web, req, res);
  const upload = await readUpload(req, MAX_INPUT_BYTES, MAX_CREDENTIAL_BYTES);
  const input = upload.file?.bytes ?? field(upload.fields, 'url').trim();
  if (!input || (typeof input === 'string' && !input)) throw new AppError('VERIFY_INPUT_MISSING', 400);
  await presentBadge(web.ctx, found.record, await participantEmail(web.ctx, found.record), input, locals(res).lang);
  res.redirect(303, `/claim/${req.params.token}?presented=1`);
}

async function postAcceptEndorsement(web: Web, req: Request, res: Response) {
  await acceptEndorsement(web.ctx, await claimed(web, req, res), String(req.params.eid));
  res.redirect(303, `/claim/${req.params.token}`);
}

async function postWalletOffer(web: Web, req: Request, res: Response) {
  const offer = await createOffer(web.ctx, await claimed(web, req, res));
  render(web, res, 'learners/claim-wallet', {
    title: tr(res, 'claim.walletPageTitle'), claimPath: `/claim/${req.params.token}`, ...offer, qr: await qrDataUrl(offer.link),
  });
}

async function postDisplay(web: Web, req: Request, res: Response) {
  await chooseDisplay(web.ctx, await claimed(web, req, res), field(form(req), 'display'));
  res.redirect(303, `/claim/${req.params.token}?changed=display`);
}

async function postErase(web: Web, req: Request, res: Response) {
  const found = await claimed(web, req, res);
  if (field(form(req), 'confirm') !== 'yes') throw new AppError('ERASE_NOT_CONFIRMED', 400);
  await eraseByHolder(web.ctx, found);
  render(web, res, 'site/message', { title: tr(res, 'claim.erasedTitle'), text: tr(res, 'claim.erasedText') });
}

// The answer is the same whether or not the address holds badges: it reveals nothing.
function postMyBadgesRequest(web: Web, req: Request, res: Response) {
  const email = field(form(req), 'email');
  const title = tr(res, 'myBadges.title');
  try {
    void requestMyBadges(web.ctx, email, locals(res).lang);
  } catch (error) {
    return render(web, res, 'learners/my-badges-request', { title, email, error: errorMessage(res, error) }, (error as AppError).status);
  }
  render(web, res, 'learners/my-badges-request', { title, sent: true });
}

function mine(web: Web, req: Request, res: Response) {
  res.set(SECRET_PAGE_HEADERS);
  return openMyBadges(web.ctx, String(req.params.token));
}

async function showMyBadges(web: Web, req: Request, res: Response) {
  const { link, badges } = await mine(web, req, res);
  const lang = locals(res).lang;
  // Her parcours, once each, from the badges that belong to one.
  const progress = [...new Map((await Promise.all(badges.map((b) => learnerProgress(web.ctx, b.record)))).flat().map((p) => [p.name, p])).values()];
  render(web, res, 'learners/my-badges', {
    progress,
    title: translate(lang, 'myBadges.title'), email: link.email, base: `/my-badges/${req.params.token}`,
    badges: badges.map(({ record, credential, collective }) => {
      const card = badgeCard(web.ctx, lang, credential, { collective });
      return {
        id: record.id, name: card.name, issuer: card.issuer, issued: card.validFrom, image: card.image?.url,
        url: credential.id, public: record.display !== 'hidden', revoked: record.status === 'revoked',
      };
    }),
  });
}

async function getMyBadgesZip(web: Web, req: Request, res: Response) {
  const { badges } = await mine(web, req, res);
  res.type('application/zip').set('Content-Disposition', 'attachment; filename="mes-badges.zip"').send(Buffer.from(zipBadges(badges)));
}

async function getMyBadgeFile(web: Web, req: Request, res: Response) {
  const { badges } = await mine(web, req, res);
  const [id, ext] = String(req.params.file).split('.', 2) as [string, string | undefined];
  const found = badges.find((b) => b.record.id === id);
  if (!found) throw new AppError('NOT_FOUND', 404);
  sendBadgeFile(req, res, found, ext ?? '');
}

/** The group's cards on one print page: A6 cards, four to an A4 sheet, with crop marks. */
async function showGroupCards(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const filter = { ...(typeof req.query.batch === 'string' ? { batchId: req.query.batch } : {}), withoutEmail: req.query.without === 'email' };
  const { atelier, cards } = await groupCards(web.ctx, s, String(req.params.id), filter);
  res.set(SECRET_PAGE_HEADERS);
  render(web, res, 'learners/cards', {
    ...collectiveBase(s), title: tr(res, 'cards.title', { atelier: atelier.title }), atelier, withoutEmail: filter.withoutEmail,
    codeAddress: `${web.ctx.config.publicUrl.replace(/^https?:\/\//, '')}/code`,
    cards: await Promise.all(cards.map(async (c) => ({
      ...c, qr: await qrDataUrl(c.url), name: c.badge.record.recipientName, badgeName: c.badge.version.name, imageUrl: `/achievements/${c.badge.version.id}/image.png`,
    }))),
  });
}

/** Every person with an email gets her link; the page says who got it and who did not, and why. */
async function postSendAll(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const batchId = field(form(req), 'batch');
  const { atelier, results, withoutEmail } = await sendGroupLinks(web.ctx, s, String(req.params.id), locals(res).lang, batchId ? { batchId } : {});
  render(web, res, 'learners/sent', {
    ...collectiveBase(s), title: tr(res, 'sent.title'), atelier, withoutEmail,
    sent: results.filter((r) => r.sent).length,
    results: results.map((r) => ({ ...r, error: r.error && errorMessage(res, r.error) })),
  });
}
