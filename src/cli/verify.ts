// badgeons verify <file|url|-> [--json] [--documents map.json] [--now ISO] [--offline] [--recipient email]
import { AppError } from '../shared/errors.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { localize } from '../ob3/lang-string.js';
import type { CheckStatus, Lang, VerificationReport } from '../ob3/model.js';
import { t } from '../ob3/messages.js';
import { DAMAGED, verify } from '../ob3/verify/index.js';
import { parse, readInputFile, usage, type Command } from './command.js';

/** Reads a documents map: {"url or DID": "file relative to the map"}. */
function loadDocuments(mapFile: string): Record<string, unknown> {
  let map: Record<string, string>;
  try {
    map = JSON.parse(readFileSync(mapFile, 'utf8')) as Record<string, string>;
  } catch (error) {
    throw new AppError('FILE_UNREADABLE', 400, { file: mapFile, cause: (error as NodeJS.ErrnoException).code ?? 'JSON' });
  }
  const documents: Record<string, unknown> = {};
  for (const [url, file] of Object.entries(map)) {
    const full = path.resolve(path.dirname(mapFile), file);
    let text: string;
    try {
      text = readFileSync(full, 'utf8').trim();
    } catch {
      throw new AppError('FILE_UNREADABLE', 400, { file: full, cause: url });
    }
    try {
      documents[url] = JSON.parse(text);
    } catch {
      documents[url] = text; // a JWT (e.g. a status list credential served as VC-JWT)
    }
  }
  return documents;
}

const MARK: Record<CheckStatus, string> = { pass: '✔', fail: '✘', warn: '!', skip: '–' };

export function formatReport(report: VerificationReport, lang: Lang): string {
  const lines = [`${report.verified ? '✔' : '✘'} ${t(lang, `verdict.${report.verdict}`)}`];
  const c = report.credential;
  if (c) {
    const name = localize(c.name, lang) || localize(c.credentialSubject?.achievement?.name, lang);
    const issuer = typeof c.issuer === 'string' ? c.issuer : localize(c.issuer?.name, lang) || c.issuer?.id;
    if (name) lines.push(`  ${lang === 'fr' ? 'Badge' : 'Badge'} : ${name}`);
    if (issuer) lines.push(`  ${lang === 'fr' ? 'Émetteur' : 'Issuer'} : ${issuer}`);
  }
  lines.push('');
  for (const check of report.checks) lines.push(`  ${MARK[check.status]} ${check.id.padEnd(12)} ${check.message}`);
  return lines.join('\n') + '\n';
}

export const verifyCommand: Command = async (args, { lang }) => {
  const { values, positionals } = parse(args, {
    json: { type: 'boolean', default: false },
    documents: { type: 'string' },
    now: { type: 'string' },
    offline: { type: 'boolean', default: false },
    recipient: { type: 'string' },
  });
  if (positionals.length !== 1) throw usage('badgeons verify <file|url|-> [--json] [--documents map.json] [--now ISO] [--offline] [--recipient email]');
  const target = positionals[0]!;
  let now: Date | undefined;
  if (values.now !== undefined) {
    now = new Date(values.now);
    if (Number.isNaN(now.getTime())) throw new AppError('OPTION_INVALID', 400, { option: '--now', value: String(values.now), expected: 'ISO 8601, 2026-12-02T10:00:00Z' });
  }
  const input = /^https?:\/\//i.test(target) ? target : readInputFile(target);
  const report = await verify(input, {
    lang, offline: values.offline,
    ...(now ? { now } : {}),
    ...(values.recipient ? { recipient: values.recipient } : {}),
    ...(values.documents ? { documents: loadDocuments(values.documents) } : {}),
  });
  process.stdout.write(values.json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report, lang));
  if (report.verified) return 0;
  // Unreadable input (the format check failed, not for want of the network) is a usage error.
  const format = report.checks[0];
  return format?.status === 'fail' && (report.verdict === 'invalid' || report.verdict === 'unsupported' || DAMAGED.has(format.code ?? '')) ? 2 : 1;
};
