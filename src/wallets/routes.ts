// OpenID4VCI for wallets: issuer and authorization-server metadata, the offer a claim page's QR
// code points at, and the token, nonce and credential endpoints. OAuth-style JSON errors
// ({error, error_description}), no cookies, no CSRF (bearer tokens and one-time codes only).
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { problemOf } from '../shared/errors.js';
import {
  WalletError, authorizationServerMetadata, credentialIssuerMetadata, credentialOffer, exchangeCode, issueNonce, issueToWallet,
} from './wallets.js';
import type { Web } from '../web/render.js';

const MAX_WALLET_BODY = '64kb';

function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.set({ 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*' });
  next();
}

export function walletRoutes(web: Web): Router {
  const { ctx } = web;
  const router = Router();
  const paths = ['/.well-known/openid-credential-issuer', '/.well-known/oauth-authorization-server', '/oid4vci'];
  router.use(paths, noStore, web.limiter.middleware());

  router.get('/.well-known/openid-credential-issuer', (_req, res) => { res.json(credentialIssuerMetadata(ctx)); });
  router.get('/.well-known/oauth-authorization-server', (_req, res) => { res.json(authorizationServerMetadata(ctx)); });
  router.get('/oid4vci/offers/:secret', async (req, res) => { res.json(await credentialOffer(ctx, req.params.secret)); });
  router.post('/oid4vci/token', express.urlencoded({ extended: false, limit: MAX_WALLET_BODY }), async (req, res) => {
    res.json(await exchangeCode(ctx, (req.body ?? {}) as Record<string, unknown>));
  });
  router.post('/oid4vci/nonce', async (_req, res) => { res.json(await issueNonce(ctx)); });
  router.post('/oid4vci/credential', express.json({ limit: MAX_WALLET_BODY }), async (req, res) => {
    res.json(await issueToWallet(ctx, req.headers.authorization, req.body));
  });

  router.use(paths, (error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    // The OAuth edge of the problem model: OAuth's own error codes, English descriptions for developers.
    let known: WalletError;
    if (error instanceof WalletError) known = error;
    else {
      const problem = problemOf(error);
      // The rate limiter set Retry-After: OAuth clients read the 429 and wait.
      if (problem.status === 429) known = new WalletError('temporarily_unavailable', `Too many requests; try again in ${String(problem.params.seconds ?? 60)} s.`, 429);
      else if (problem.code === 'FORM_UNREADABLE' || problem.code === 'UPLOAD_TOO_LARGE') known = new WalletError('invalid_request', `The request body could not be read: ${problem.localized('en')}`, problem.status);
      else if (!problem.unexpected) known = new WalletError('credential_request_denied', `This badge cannot be delivered (${problem.code}): ${problem.localized('en')}`);
      else {
        ctx.log(`Badgeons: wallet endpoint error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
        known = new WalletError('server_error', 'Something went wrong on our side; try again.', 500);
      }
    }
    if (known.status === 401) res.set('WWW-Authenticate', `Bearer error="${known.error}"`);
    res.status(known.status).json({ error: known.error, error_description: known.description, ...known.extra });
  });
  return router;
}
