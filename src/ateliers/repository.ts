// Ateliers and participants, and a participant's erasure (her badges, messages, links, batch traces).
// Kept in SQL once for SQLite and PostgreSQL (store/sql/driver.ts); the store composes every feature's part.
import type { Store } from '../store/index.js';
import type { ParticipantFacts } from '../reports/facts.js';
import type { SqlDriver, SqlRunner } from '../store/sql/driver.js';
import { atelier, batch, participant } from '../store/sql/rows.js';
import { eraseCredential } from '../credentials/repository.js';

export interface Atelier {
  id: string;
  collectiveId: string;
  title: string;
  date: string;
  place: string;
  facilitators: string;
  badgeClassIds: string[];
  createdAt: string;
}

export interface Participant {
  id: string;
  atelierId: string;
  collectiveId: string;
  name: string;
  email: string;
  consentAt: string | null;
  createdAt: string;
  /** For the report only: never in a credential, a page other than hers to the facilitator, an API answer or a log. */
  facts: ParticipantFacts;
}

export interface AtelierRepository {
  create(atelier: Atelier): Promise<void>;
  update(atelier: Atelier): Promise<void>;
  byId(collectiveId: string, id: string): Promise<Atelier | undefined>;
  list(collectiveId: string): Promise<Atelier[]>;
  /** All or nothing. */
  addParticipants(participants: Participant[]): Promise<void>;
  participants(collectiveId: string, atelierId: string): Promise<Participant[]>;
  participant(collectiveId: string, id: string): Promise<Participant | undefined>;
  updateParticipant(collectiveId: string, id: string, change: Pick<Participant, 'name' | 'email'>): Promise<void>;
  setConsent(collectiveId: string, id: string, at: string): Promise<void>;
  /**
   * Deletes the person's data — her row, her badges' signed copies and names, links, wallet records,
   * the messages sent to her (returned: their outbox files, for the caller to delete), her name and
   * words in batches — leaving only what verification needs, and no copy in the database's files.
   */
  eraseParticipant(collectiveId: string, id: string, now: string): Promise<{ mailFiles: string[] }>;
  /** Her participant rows across the collective's ateliers: by email when she gave one, else by name among those without. */
  samePerson(collectiveId: string, email: string, name: string): Promise<Participant[]>;
}

export function ateliersSql(db: SqlDriver): Pick<Store, 'ateliers'> {
  return {
    ateliers: {
      async create(a) {
        await db.run(`INSERT INTO ateliers (id, collective_id, title, date, place, facilitators, badge_class_ids, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [a.id, a.collectiveId, a.title, a.date, a.place, a.facilitators, JSON.stringify(a.badgeClassIds), a.createdAt]);
      },
      async update(a) {
        await db.run(`UPDATE ateliers SET title = ?, date = ?, place = ?, facilitators = ?, badge_class_ids = ?
          WHERE id = ? AND collective_id = ?`, [a.title, a.date, a.place, a.facilitators, JSON.stringify(a.badgeClassIds), a.id, a.collectiveId]);
      },
      async byId(collectiveId, id) {
        const r = await db.get('SELECT * FROM ateliers WHERE id = ? AND collective_id = ?', [id, collectiveId]);
        return r && atelier(r);
      },
      async list(collectiveId) {
        return (await db.all('SELECT * FROM ateliers WHERE collective_id = ? ORDER BY date DESC, created_at DESC', [collectiveId])).map(atelier);
      },
      async addParticipants(list: Participant[]) {
        await db.transaction(async (tx) => {
          for (const p of list) {
            await tx.run(`INSERT INTO participants (id, atelier_id, collective_id, name, email, consent_at, created_at, gender, age_band, situation, commune, qpv)
              VALUES (@id, @atelierId, @collectiveId, @name, @email, @consentAt, @createdAt, @gender, @ageBand, @situation, @commune, @qpv)`, { ...p, ...p.facts });
          }
        });
      },
      async participants(collectiveId, atelierId) {
        return (await db.all('SELECT * FROM participants WHERE collective_id = ? AND atelier_id = ? ORDER BY lower(name), name',
          [collectiveId, atelierId])).map(participant);
      },
      async participant(collectiveId, id) {
        const r = await db.get('SELECT * FROM participants WHERE id = ? AND collective_id = ?', [id, collectiveId]);
        return r && participant(r);
      },
      async updateParticipant(collectiveId, id, change) {
        await db.run('UPDATE participants SET name = ?, email = ? WHERE id = ? AND collective_id = ?', [change.name, change.email, id, collectiveId]);
      },
      async samePerson(collectiveId, email, name) {
        const who = email ? 'lower(email) = lower(?)' : "email = '' AND lower(name) = lower(?)";
        return (await db.all(`SELECT * FROM participants WHERE collective_id = ? AND ${who}`, [collectiveId, email || name])).map(participant);
      },
      async setConsent(collectiveId, id, at) {
        await db.run('UPDATE participants SET consent_at = ? WHERE id = ? AND collective_id = ?', [at, id, collectiveId]);
      },
      async eraseParticipant(collectiveId, id, now) {
        const mailFiles = await db.transaction((tx) => eraseParticipantRows(tx, collectiveId, id, now));
        await db.forget();
        return { mailFiles };
      },
    },
  };
}

/** In a transaction: the person's rows, her badges' names and signed copies, her words in batches, what was sent to her. */
async function eraseParticipantRows(tx: SqlRunner, collectiveId: string, id: string, now: string): Promise<string[]> {
  const person = await tx.get('SELECT * FROM participants WHERE id = ? AND collective_id = ?', [id, collectiveId]);
  if (!person) return [];
  // Her requests for a badge in this atelier (her name, her words): those that became her badges, and those with her address.
  await tx.run(`DELETE FROM badge_requests WHERE atelier_id = ? AND collective_id = ? AND (credential_id IN (SELECT id FROM credentials WHERE participant_id = ?)
    OR (email <> '' AND lower(email) = lower(?)))`, [person.atelier_id, collectiveId, id, String(person.email)]);
  for (const r of await tx.all('SELECT id FROM credentials WHERE participant_id = ? AND collective_id = ?', [id, collectiveId])) {
    await eraseCredential(tx, r.id as string, now);
  }
  // Her name and words in the atelier's batches: the errors list names her, a pending request keeps her reflection.
  for (const j of await tx.all('SELECT * FROM jobs WHERE atelier_id = ? AND collective_id = ?', [person.atelier_id, collectiveId])) {
    const saved = batch(j);
    const errors = saved.errors.map((e) => (e.participantId === id ? { ...e, participant: '' } : e));
    const request = saved.request && { ...saved.request, reflections: Object.fromEntries(Object.entries(saved.request.reflections).filter(([k]) => k !== id)) };
    await tx.run('UPDATE jobs SET errors = ?, request = ? WHERE id = ?', [JSON.stringify(errors), request && JSON.stringify(request), saved.id]);
  }
  const email = String(person.email).trim().toLowerCase();
  let files: string[] = [];
  if (email) {
    // What was sent to her, by this collective or by the instance (her "my badges" links).
    const sent = await tx.all('SELECT file FROM mail_log WHERE lower(recipient) = ? AND (collective_id = ? OR collective_id IS NULL)', [email, collectiveId]);
    files = sent.map((m) => m.file as string | null).filter((f): f is string => !!f);
    await tx.run('DELETE FROM mail_log WHERE lower(recipient) = ? AND (collective_id = ? OR collective_id IS NULL)', [email, collectiveId]);
    await tx.run('DELETE FROM learner_links WHERE email = ?', [email]);
  }
  await tx.run('DELETE FROM participants WHERE id = ? AND collective_id = ?', [id, collectiveId]);
  return files;
}
