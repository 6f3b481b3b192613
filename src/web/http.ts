// Small HTTP helpers the routes share: cookies, forms (urlencoded and multipart), CSRF tokens.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import proxyaddr from 'proxy-addr';
import type { NextFunction, Request, Response } from 'express';
import type { Lang } from '../ob3/model.js';
import type { Account } from '../accounts/repository.js';
import { AppError } from '../shared/errors.js';
import { langFromHeader } from '../i18n/index.js';

// No inline script or style anywhere; pictures from this site (and data: URLs) only, except on the verifier's result.
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/** Proxies whose X-Forwarded-For we believe (Express's `trust proxy`): a reverse proxy on this machine. */
export const TRUSTED_PROXIES = 'loopback';
const trusted = proxyaddr.compile(TRUSTED_PROXIES);

/** The client's address as Express's `req.ip` reads it, for requests answered ahead of Express too. */
export const clientAddress = (req: IncomingMessage): string => proxyaddr(req, trusted);

export const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

/** Pages whose address is a secret (claim links, "my badges"): not stored, not indexed, not passed on. */
export const SECRET_PAGE_HEADERS = { 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex', 'Referrer-Policy': 'no-referrer' };

export interface Locals {
  lang: Lang;
  /** This request's id in the logs (X-Request-Id). */
  requestId?: string;
  account?: Account;
  csrf: string;
  path: string;
}

export const locals = (res: Response): Locals => res.locals as Locals;

/** The language a visitor chose on the site (`/lang/…`), kept a year. */
export const LANG_COOKIE = 'badgeons_lang';

/** A page's language: the visitor's choice on the site, else her browser's. */
export function pageLanguage(cookies: Record<string, string>, acceptLanguage: string | undefined): Lang {
  const chosen = cookies[LANG_COOKIE];
  return chosen === 'fr' || chosen === 'en' ? chosen : langFromHeader(acceptLanguage);
}

export function readCookies(req: Pick<IncomingMessage, 'headers'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) {
      try {
        out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
      } catch { /* a malformed cookie is ignored */ }
    }
  }
  return out;
}

export interface CookieOptions {
  secure: boolean;
  maxAgeSeconds?: number;
}

export function setCookie(res: Response, name: string, value: string, { secure, maxAgeSeconds }: CookieOptions): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (secure) parts.push('Secure');
  if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${maxAgeSeconds}`);
  res.append('Set-Cookie', parts.join('; '));
}

/** The browser's CSRF cookie, unless missing or too short to be one of ours. */
function validCookie(req: Request): string | undefined {
  const value = readCookies(req)[Csrf.COOKIE];
  return value && value.length >= 16 ? value : undefined;
}

/** Tokens tied to a per-browser random cookie by an HMAC (works before and after login). */
export class Csrf {
  /** Device cookies are signed with their own key: a CSRF token (the HMAC of a value the browser chose) can never pass for one. */
  private readonly deviceKey: Buffer;

  constructor(private readonly secret: Buffer, private readonly secure: boolean) {
    this.deviceKey = createHmac('sha256', secret).update('badgeons device cookies').digest();
  }

  static readonly COOKIE = 'badgeons_csrf';
  static readonly DEVICE_COOKIE = 'badgeons_device';

  private sign(value: string): string {
    return createHmac('sha256', this.secret).update(value).digest('base64url');
  }

  private signDevice(value: string): string {
    return createHmac('sha256', this.deviceKey).update(value).digest('base64url');
  }

  /** Marks this browser as one where `accountId` signed in (a year), for login throttling. */
  rememberDevice(res: Response, accountId: string): void {
    const value = `${accountId}.${randomBytes(12).toString('base64url')}`;
    setCookie(res, Csrf.DEVICE_COOKIE, `${value}.${this.signDevice(value)}`, { secure: this.secure, maxAgeSeconds: 365 * 86400 });
  }

  /** The browser's device cookie, when it carries our signature. */
  knownDevice(req: Request): { accountId: string; id: string } | undefined {
    const [accountId, id, mac] = (readCookies(req)[Csrf.DEVICE_COOKIE] ?? '').split('.');
    if (!accountId || !id || !mac) return undefined;
    const expected = Buffer.from(this.signDevice(`${accountId}.${id}`));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected) ? { accountId, id } : undefined;
  }

  /**
   * Middleware: gives every page that has a form a token — made when the page first reads it, with
   * the cookie on a first visit — so a page without forms sets no cookie and can be served from cache.
   */
  issue = (req: Request, res: Response, next: NextFunction): void => {
    let token: string | undefined;
    Object.defineProperty(res.locals, 'csrf', {
      configurable: true,
      get: () => {
        if (token !== undefined) return token;
        let value = validCookie(req);
        if (!value) {
          value = randomBytes(18).toString('base64url');
          setCookie(res, Csrf.COOKIE, value, { secure: this.secure });
        }
        token = this.sign(value);
        return token;
      },
    });
    next();
  };

  /**
   * Middleware, before every route that cookies can reach: each request that is not GET/HEAD/OPTIONS
   * must carry the token, whatever its content type — a plain form in its `_csrf` field (parsed
   * before this runs), a multipart form in the `_csrf` query parameter of its action, anything else
   * in an `X-CSRF-Token` header. Bodies other than forms are refused (415) before any route.
   */
  guard = (req: Request, _res: Response, next: NextFunction): void => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const plain = req.is('application/x-www-form-urlencoded');
    if (!plain && !req.is('multipart/form-data')) throw new AppError('FORM_UNREADABLE', 415);
    const query = req.query._csrf;
    this.check(req, plain ? (req.body as Record<string, unknown> | undefined)?._csrf : (typeof query === 'string' ? query : req.get('x-csrf-token')));
    next();
  };

  check(req: Request, token: unknown): void {
    const value = validCookie(req);
    const expected = Buffer.from(this.sign(value ?? ''));
    const given = Buffer.from(typeof token === 'string' ? token : '');
    if (!value || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new AppError('CSRF', 403);
    }
  }
}

export type Fields = Record<string, string | string[]>;

/**
 * The fields of a urlencoded form. A route that reads plain forms answers 415 to any other body
 * (a multipart or JSON body never reaches it as `undefined`).
 */
export function form(req: Request): Fields {
  if (!req.is('application/x-www-form-urlencoded') || typeof req.body !== 'object' || req.body === null) {
    throw new AppError('FORM_UNREADABLE', 415);
  }
  return req.body as Fields;
}

/** The value of a form field (the first, when repeated). */
export function field(fields: Fields, name: string): string {
  const v = fields[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

export function fieldList(fields: Fields, name: string): string[] {
  const v = fields[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export interface Multipart {
  fields: Fields;
  file?: { name: string; bytes: Buffer };
  /** With `oversized: 'report'`: the file was bigger than allowed and was dropped; the fields are all there. */
  oversized?: true;
}

/**
 * Reads a multipart form with one file at most `maxFileBytes`; a bigger file is an error, not a
 * truncation — or, with `oversized: 'report'`, dropped and reported, so a form can be shown again
 * with everything else the person wrote.
 */
export function readMultipart(req: Request, maxFileBytes: number, maxFieldBytes = 64 * 1024, oversized: 'refuse' | 'report' = 'refuse'): Promise<Multipart> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: maxFileBytes, files: 1, fields: 200, fieldSize: maxFieldBytes, parts: 210 } });
    } catch {
      reject(new AppError('FORM_UNREADABLE', 400));
      return;
    }
    const fields: Fields = {};
    let file: Multipart['file'];
    let failure: AppError | undefined;
    let dropped = false;
    parser.on('field', (name, value, info) => {
      // A cut value would be read as something else: refuse it.
      if (info.valueTruncated) failure = new AppError('UPLOAD_TOO_LARGE', 413);
      const prior = fields[name];
      fields[name] = prior === undefined ? value : ([] as string[]).concat(prior, value);
    });
    parser.on('file', (_name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        if (oversized === 'report') dropped = true;
        else failure = new AppError('UPLOAD_TOO_LARGE', 413);
      });
      stream.on('end', () => {
        const bytes = Buffer.concat(chunks);
        if (bytes.length && !dropped) file = { name: info.filename ?? '', bytes };
      });
    });
    parser.on('filesLimit', () => { failure ??= new AppError('FORM_UNREADABLE', 400); });
    parser.on('error', () => reject(new AppError('FORM_UNREADABLE', 400)));
    parser.on('close', () => (failure ? reject(failure) : resolve({ fields, ...(file ? { file } : {}), ...(dropped ? { oversized: true as const } : {}) })));
    req.pipe(parser);
  });
}

/** A same-site path to go back to after login, never an absolute URL elsewhere. */
export function safeNext(value: unknown, fallback = '/dashboard'): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : fallback;
}
