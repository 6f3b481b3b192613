// Documents served to software as well as people: JSON-LD when asked (Accept), and a badge's forms
// by extension — signed JSON, JWT, pictures baked with either (`?form=jwt`).
import type { IncomingMessage } from 'node:http';
import accepts from 'accepts';
import contentDisposition from 'content-disposition';
import type { Request, Response } from 'express';
import { bakedPng, bakedSvg, fileSlug, type PublicCredential } from '../credentials/credentials.js';
import { AppError } from '../shared/errors.js';

export const JSON_LD = 'application/ld+json; charset=utf-8';

/** JSON for software that asks for it (Accept), the page for browsers. */
export function wantsJson(req: IncomingMessage): boolean {
  return accepts(req).type(['text/html', 'application/ld+json', 'application/json']) !== 'text/html';
}

export function sendJson(res: Response, value: unknown, type = JSON_LD): void {
  res.set('Access-Control-Allow-Origin', '*').type(type).send(JSON.stringify(value, null, 2));
}

/** The badge's forms, by extension: signed JSON, JWT, and pictures baked with either (`?form=jwt`). */
export function sendBadgeFile(req: Request, res: Response, found: PublicCredential, ext: string): void {
  const { record, version } = found;
  // RFC 6266: the badge's own name, accents and all (filename*), and a plain one for old software.
  const disposition = (type: 'inline' | 'attachment') => ({
    'Content-Disposition': contentDisposition(`${version.name.replace(/[\\/:*?"<>|]+/g, ' ').trim() || 'badge'}.${ext}`, { type, fallback: `${fileSlug(version.name)}.${ext}` }),
  });
  const form = req.query.form === 'jwt' ? 'jwt' : 'json';
  if (ext === 'json') res.type(JSON_LD).set(disposition('inline')).send(record.json);
  else if (ext === 'jwt') res.type('application/vc+jwt').set(disposition('inline')).send(record.jwt);
  else if (ext === 'png') res.type('png').set(disposition('inline')).send(bakedPng(found, form));
  else if (ext === 'svg') res.type('image/svg+xml').set(disposition('attachment')).send(bakedSvg(found, form));
  else throw new AppError('NOT_FOUND', 404);
}
