// Batches: what they were asked, their progress, resuming them; badges presented from elsewhere.
// Kept in SQL once for SQLite and PostgreSQL (store/sql/driver.ts); the store composes every feature's part.
import type { Store } from '../store/index.js';
import type { Row, SqlDriver } from '../store/sql/driver.js';
import type { PresentedBadge } from './presented.js';
import { batch } from '../store/sql/rows.js';

/** What a batch was asked to do: kept until it finishes, so an interrupted batch can be resumed. */
export interface BatchRequest {
  badgeClassId: string;
  participantIds: string[];
  /** Each person's own words, by participant id; optional. */
  reflections: Record<string, string>;
  reissue: boolean;
}

export interface BatchRecord {
  id: string;
  collectiveId: string;
  atelierId: string;
  total: number;
  done: number;
  failed: number;
  /** `interrupted`: the server stopped during the batch; credentials saved before that are kept. */
  state: 'running' | 'finished' | 'interrupted';
  /** `participant`: her name at the time ('' once she is erased). */
  errors: { participantId?: string; participant: string; code: string; badge?: string }[];
  /** Dropped when the batch finishes (it holds reflections). */
  request: BatchRequest | null;
  createdAt: string;
  /** Written with each progress report: a running batch that stopped reporting lost its process. */
  updatedAt: string;
}

export interface BatchRepository {
  create(batch: BatchRecord): Promise<void>;
  update(batch: BatchRecord): Promise<void>;
  byId(collectiveId: string, id: string): Promise<BatchRecord | undefined>;
  /** Running jobs that have not reported since `staleBefore` (their process died) are marked interrupted. */
  interruptStale(staleBefore: string): Promise<number>;
  /**
   * Takes an interrupted batch (or a running one silent since `staleBefore`) back to running;
   * false when another request or instance took it first.
   */
  resume(collectiveId: string, id: string, now: string, staleBefore: string): Promise<boolean>;
}

export function issuingSql(db: SqlDriver): Pick<Store, 'batches'> {
  return {
    batches: {
      async create(j) {
        await db.run(`INSERT INTO jobs (id, collective_id, atelier_id, total, done, failed, state, errors, request, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [j.id, j.collectiveId, j.atelierId, j.total, j.done, j.failed, j.state,
          JSON.stringify(j.errors), j.request && JSON.stringify(j.request), j.createdAt, j.updatedAt]);
      },
      async update(j) {
        await db.run('UPDATE jobs SET done = ?, failed = ?, state = ?, errors = ?, request = ?, updated_at = ? WHERE id = ?',
          [j.done, j.failed, j.state, JSON.stringify(j.errors), j.request && JSON.stringify(j.request), j.updatedAt, j.id]);
      },
      async byId(collectiveId, id) {
        const r = await db.get('SELECT * FROM jobs WHERE id = ? AND collective_id = ?', [id, collectiveId]);
        return r && batch(r);
      },
      async interruptStale(staleBefore) {
        return db.run('UPDATE jobs SET state = \'interrupted\' WHERE state = \'running\' AND updated_at < ?', [staleBefore]);
      },
      async resume(collectiveId, id, now, staleBefore) {
        return (await db.run(`UPDATE jobs SET state = 'running', updated_at = ? WHERE id = ? AND collective_id = ?
          AND (state = 'interrupted' OR (state = 'running' AND updated_at < ?))`, [now, id, collectiveId, staleBefore])) === 1;
      },
    },
  };
}

/** Badges from elsewhere that participants presented and that verified (issuing/presented.ts). */
export interface PresentedBadgeRepository {
  /** Once per badge and person: presenting it again changes nothing. */
  add(badge: PresentedBadge): Promise<void>;
  /** What the people of a collective presented, by the participant ids they have in it. */
  forParticipants(collectiveId: string, participantIds: string[]): Promise<PresentedBadge[]>;
}

export function presentedSql(db: SqlDriver): Pick<Store, 'presented'> {
  const row = (r: Row): PresentedBadge => ({
    id: r.id as string, collectiveId: r.collective_id as string, participantId: r.participant_id as string, achievementId: r.achievement_id as string,
    credentialId: r.credential_id as string, badgeName: r.badge_name as string, issuerName: r.issuer_name as string, presentedAt: r.presented_at as string,
  });
  return {
    presented: {
      async add(b) {
        await db.run(`INSERT INTO presented_badges (id, collective_id, participant_id, achievement_id, credential_id, badge_name, issuer_name, presented_at)
          VALUES (@id, @collectiveId, @participantId, @achievementId, @credentialId, @badgeName, @issuerName, @presentedAt)
          ON CONFLICT (participant_id, credential_id) DO NOTHING`, { ...b });
      },
      async forParticipants(collectiveId, ids) {
        if (!ids.length) return [];
        return (await db.all(`SELECT * FROM presented_badges WHERE collective_id = ? AND participant_id IN (${ids.map(() => '?').join(', ')})`, [collectiveId, ...ids])).map(row);
      },
    },
  };
}
