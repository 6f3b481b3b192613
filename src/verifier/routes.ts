// The public verifier: any Open Badge, ours or not, as an uploaded image, pasted JSON or JWT,
// or a URL (`/verify?url=…` is also what every badge page's *Vérifier* button opens).
import { Router, type Response } from 'express';
import { translate } from '../i18n/index.js';
import { MAX_CREDENTIAL_BYTES } from '../ob3/bake/png.js';
import { imageKind } from '../ob3/bake/index.js';
import { MAX_INPUT_BYTES, type VerifyInput } from '../ob3/verify/input.js';
import { verifyBadge } from './verifying.js';
import { CONTENT_SECURITY_POLICY, field, locals } from '../web/http.js';
import { verificationView } from '../web/credential-view.js';
import { errorMessage, readUpload, render, type Web } from '../web/render.js';

/** An uploaded badge picture small enough to show back inline. */
const MAX_INLINE_IMAGE_BYTES = 1024 * 1024;

export function verifyRoutes(web: Web): Router {
  const { ctx } = web;
  const router = Router();
  const limit = web.limiter.middleware();

  async function page(res: Response, input: VerifyInput | undefined, values: Record<string, string>, image?: string) {
    const lang = locals(res).lang;
    const data: Record<string, unknown> = { title: translate(lang, 'verify.title'), values };
    if (input !== undefined) {
      try {
        data.result = verificationView(ctx, lang, await verifyBadge(ctx, input, lang, values.recipient), image, values.recipient);
        data.values = {}; // the form below is for the next badge
        // The badge's own picture may live on its issuer's site.
        res.set('Content-Security-Policy', CONTENT_SECURITY_POLICY.replace("img-src 'self' data:", "img-src 'self' data: https:"));
      } catch (error) {
        data.error = errorMessage(res, error);
      }
    }
    render(web, res, 'verifier/verify', data);
  }

  router.get('/verify', (req, res, next) => (typeof req.query.url === 'string' && req.query.url.trim() ? limit(req, res, next) : next()), async (req, res) => {
    const url = typeof req.query.url === 'string' ? req.query.url.trim() : '';
    await page(res, url || undefined, { url });
  });

  router.post('/verify', limit, async (req, res) => {
    const form = await readUpload(req, MAX_INPUT_BYTES, MAX_CREDENTIAL_BYTES);
    const text = field(form.fields, 'text');
    const url = field(form.fields, 'url');
    const recipient = field(form.fields, 'recipient').trim();
    const bytes = form.file?.bytes;
    if (!bytes && !text.trim() && !url) {
      const lang = locals(res).lang;
      return render(web, res, 'verifier/verify', {
        title: translate(lang, 'verify.title'), values: { text, url, recipient }, error: translate(lang, 'error.VERIFY_INPUT_MISSING'),
      }, 400);
    }
    const kind = bytes && imageKind(bytes);
    const image = kind && bytes.length <= MAX_INLINE_IMAGE_BYTES
      ? `data:${kind === 'png' ? 'image/png' : 'image/svg+xml'};base64,${bytes.toString('base64')}` : undefined;
    await page(res, bytes ?? (text.trim() || url), { text: bytes ? '' : text, url, recipient }, image);
  });
  return router;
}
