// Ateliers and their participants: by hand or from a spreadsheet, with consent recorded,
// and erasure on request (GDPR) that leaves issued badges verifiable.
import { readFacts, type RawFacts } from '../reports/facts.js';
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Atelier, Collective, Participant } from '../store/index.js';
import { newId } from '../store/ids.js';
import type { Scope } from '../collectives/collectives.js';
import type { Context } from '../shared/context.js';
import { decodeSpreadsheetText, parseCsv } from './csv.js';
import { AppError, type AppErrorCode } from '../shared/errors.js';
import { outboxDir } from '../operations/mail.js';
import { hasHiddenCharacters } from '../shared/text.js';

export const MAX_CSV_BYTES = 1024 * 1024;
export const MAX_CSV_ROWS = 2000;

export interface AtelierForm {
  title: string;
  date: string;
  place: string;
  facilitators: string;
  badgeClassIds: string | string[];
}

async function readAtelierForm(ctx: Context, collective: Collective, form: Partial<AtelierForm>) {
  const title = (form.title ?? '').trim();
  const date = (form.date ?? '').trim();
  const problems: string[] = [];
  if (!title || title.length > 200 || hasHiddenCharacters(title)) problems.push('title');
  if (hasHiddenCharacters(`${form.place ?? ''}${form.facilitators ?? ''}`)) problems.push('place');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) problems.push('date');
  const wanted = ([] as string[]).concat(form.badgeClassIds ?? []).filter(Boolean);
  const known = new Set((await ctx.store.achievements.current(collective.id)).map((v) => v.badgeClassId));
  if (wanted.some((id) => !known.has(id))) problems.push('badgeClassIds');
  if (problems.length) throw new AppError('ATELIER_FORM_INVALID', 400, { fields: problems.join(',') });
  return { title, date, place: (form.place ?? '').trim(), facilitators: (form.facilitators ?? '').trim(), badgeClassIds: [...new Set(wanted)] };
}

export async function createAtelier(ctx: Context, scope: Scope, form: Partial<AtelierForm>): Promise<Atelier> {
  const { collective } = scope;
  const atelier: Atelier = { id: newId(), collectiveId: collective.id, createdAt: ctx.now().toISOString(), ...(await readAtelierForm(ctx, collective, form)) };
  await ctx.store.ateliers.create(atelier);
  return atelier;
}

export async function updateAtelier(ctx: Context, scope: Scope, id: string, form: Partial<AtelierForm>): Promise<Atelier> {
  const { collective } = scope;
  const atelier = await findAtelier(ctx, scope, id);
  const updated = { ...atelier, ...(await readAtelierForm(ctx, collective, form)) };
  await ctx.store.ateliers.update(updated);
  return updated;
}

export async function findAtelier(ctx: Context, scope: Scope, id: string): Promise<Atelier> {
  const { collective } = scope;
  const atelier = await ctx.store.ateliers.byId(collective.id, id);
  if (!atelier) throw new AppError('NOT_FOUND', 404);
  return atelier;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const YES = /^(oui|o|yes|y|x|1|true|vrai|ok)$/i;

interface ParticipantInput {
  name: string;
  email?: string;
  consent?: boolean;
  /** For the report, all optional (reports/facts.ts). */
  facts?: RawFacts;
}

function checkParticipant(input: ParticipantInput): AppErrorCode | undefined {
  if (!input.name.trim() || input.name.length > 200) return 'PARTICIPANT_NAME_REQUIRED';
  if (hasHiddenCharacters(input.name) || hasHiddenCharacters(input.email ?? '')) return 'PARTICIPANT_NAME_CONTROL';
  if (input.email?.trim() && !EMAIL.test(input.email.trim())) return 'PARTICIPANT_EMAIL_INVALID';
  return undefined;
}

const cleaned = (input: { name: string; email?: string }) => ({ name: input.name.trim().replace(/\s+/g, ' '), email: (input.email ?? '').trim().toLowerCase() });

function newParticipant(ctx: Context, atelier: Atelier, input: ParticipantInput): Participant {
  const now = ctx.now().toISOString();
  return {
    id: newId(), atelierId: atelier.id, collectiveId: atelier.collectiveId, ...cleaned(input), consentAt: input.consent ? now : null, createdAt: now,
    facts: readFacts(input.facts ?? {}, atelier.date),
  };
}

const key = (p: { name: string; email?: string }) => `${p.name.trim().toLowerCase().replace(/\s+/g, ' ')}|${(p.email ?? '').trim().toLowerCase()}`;

export async function addParticipant(ctx: Context, scope: Scope, atelierId: string, input: ParticipantInput): Promise<Participant> {
  const { collective } = scope;
  const atelier = await findAtelier(ctx, scope, atelierId);
  const problem = checkParticipant(input);
  if (problem) throw new AppError(problem);
  const existing = await ctx.store.ateliers.participants(collective.id, atelier.id);
  if (existing.some((p) => key(p) === key(input))) throw new AppError('PARTICIPANT_DUPLICATE', 409, { name: input.name });
  const participant = newParticipant(ctx, atelier, input);
  await ctx.store.ateliers.addParticipants([participant]);
  return participant;
}

export interface ImportReport {
  imported: Participant[];
  rejected: { line: number; code: AppErrorCode; text: string }[];
}

const HEADERS: Record<string, 'name' | 'first' | 'last' | 'email' | 'consent' | keyof RawFacts> = {
  nom: 'last', 'nom de famille': 'last', prenom: 'first', 'prénom': 'first', 'nom complet': 'name', name: 'name',
  'nom et prénom': 'name', 'prénom nom': 'name', participant: 'name', participante: 'name', 'full name': 'name',
  'first name': 'first', 'last name': 'last', email: 'email', 'e-mail': 'email', mail: 'email', courriel: 'email',
  'adresse mail': 'email', 'adresse e-mail': 'email', consentement: 'consent', consent: 'consent', accord: 'consent',
  // The report's optional facts (reports/facts.ts).
  genre: 'gender', sexe: 'gender', 'âge': 'age', age: 'age', "tranche d'âge": 'age', 'tranche d’âge': 'age', 'année de naissance': 'birthYear',
  situation: 'situation', commune: 'commune', 'commune de résidence': 'commune', ville: 'commune', qpv: 'qpv', 'quartier prioritaire': 'qpv',
};

/**
 * Imports participants from a spreadsheet export. Good rows go in together in one transaction;
 * each bad row is reported with its line and why. Nothing is half-imported.
 */
export async function importParticipants(ctx: Context, scope: Scope, atelierId: string, bytes: Buffer): Promise<ImportReport> {
  const { collective } = scope;
  const atelier = await findAtelier(ctx, scope, atelierId);
  if (bytes.length === 0) throw new AppError('CSV_EMPTY');
  if (bytes.length > MAX_CSV_BYTES) throw new AppError('CSV_TOO_LARGE', 413, { max: '1 Mo' });
  const text = decodeSpreadsheetText(bytes);
  if (text.includes('\u0000')) throw new AppError('CSV_NOT_TEXT', 415);
  let rows = parseCsv(text);
  if (rows.length === 0) throw new AppError('CSV_EMPTY');
  const header = rows[0]!.fields.map((f) => HEADERS[f.trim().toLowerCase()]);
  const columns = header.some(Boolean) ? header : ['name', 'email', 'consent'];
  if (header.some(Boolean)) rows = rows.slice(1);
  if (!columns.includes('name') && !columns.includes('last') && !columns.includes('first')) throw new AppError('CSV_NO_NAME_COLUMN');
  if (rows.length > MAX_CSV_ROWS) throw new AppError('CSV_TOO_MANY_ROWS', 413, { max: MAX_CSV_ROWS });

  const seen = new Set((await ctx.store.ateliers.participants(collective.id, atelier.id)).map(key));
  const report: ImportReport = { imported: [], rejected: [] };
  for (const row of rows) {
    const get = (c: string) => row.fields.filter((_, i) => columns[i] === c).join(' ').trim();
    const input: ParticipantInput = {
      name: get('name') || [get('first'), get('last')].filter(Boolean).join(' '),
      email: get('email'),
      consent: YES.test(get('consent')),
      facts: { gender: get('gender'), age: get('age'), birthYear: get('birthYear'), situation: get('situation'), commune: get('commune'), qpv: get('qpv') },
    };
    const text = row.fields.join(' ; ').slice(0, 200);
    const problem = checkParticipant(input) ?? (seen.has(key(input)) ? 'PARTICIPANT_DUPLICATE' : undefined);
    if (problem) {
      report.rejected.push({ line: row.line, code: problem, text });
      continue;
    }
    try {
      report.imported.push(newParticipant(ctx, atelier, input));
      seen.add(key(input));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      report.rejected.push({ line: row.line, code: error.code, text });
    }
  }
  await ctx.store.ateliers.addParticipants(report.imported);
  return report;
}

export async function findParticipant(ctx: Context, scope: Scope, id: string): Promise<Participant> {
  const { collective } = scope;
  const participant = await ctx.store.ateliers.participant(collective.id, id);
  if (!participant) throw new AppError('NOT_FOUND', 404);
  return participant;
}

/** Changes a participant's name or email, checked as when she was added; she keeps her consent. */
export async function editParticipant(
  ctx: Context, scope: Scope, participantId: string, input: { name: string; email: string },
): Promise<{ previous: Participant; participant: Participant }> {
  const { collective } = scope;
  const participant = await findParticipant(ctx, scope, participantId);
  const problem = checkParticipant(input);
  if (problem) throw new AppError(problem);
  const others = (await ctx.store.ateliers.participants(collective.id, participant.atelierId)).filter((p) => p.id !== participant.id);
  if (others.some((p) => key(p) === key(input))) throw new AppError('PARTICIPANT_DUPLICATE', 409, { name: input.name });
  const change = cleaned(input);
  await ctx.store.ateliers.updateParticipant(collective.id, participant.id, change);
  return { previous: participant, participant: { ...participant, ...change } };
}

export async function recordConsent(ctx: Context, scope: Scope, participantId: string): Promise<void> {
  const { collective } = scope;
  const participant = await findParticipant(ctx, scope, participantId);
  if (!participant.consentAt) await ctx.store.ateliers.setConsent(collective.id, participant.id, ctx.now().toISOString());
}

/** GDPR erasure: the person's data goes; their badges' status entries stay, so copies they hold still verify. */
export async function eraseParticipant(ctx: Context, scope: Scope, participantId: string): Promise<void> {
  const { collective } = scope;
  const participant = await findParticipant(ctx, scope, participantId);
  await forgetParticipant(ctx, collective.id, participant.id);
}

/** Erases a participant from the store, then the messages to her left in the outbox folder. */
export async function forgetParticipant(ctx: Context, collectiveId: string, participantId: string): Promise<void> {
  const { mailFiles } = await ctx.store.ateliers.eraseParticipant(collectiveId, participantId, ctx.now().toISOString());
  for (const file of mailFiles) rmSync(path.join(outboxDir(ctx), path.basename(file)), { force: true });
}

export const listAteliers = (ctx: Context, { collective }: Scope): Promise<Atelier[]> => ctx.store.ateliers.list(collective.id);

export const atelierParticipants = (ctx: Context, { collective }: Scope, atelier: Atelier): Promise<Participant[]> =>
  ctx.store.ateliers.participants(collective.id, atelier.id);
