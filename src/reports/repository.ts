// What the report reads, in two queries for a period: the participants of the ateliers held in it
// (with their optional facts), and the badges those ateliers issued. Kept in SQL once for SQLite and
// PostgreSQL; the store composes every feature's part.
import type { Store } from '../store/index.js';
import type { SqlDriver } from '../store/sql/driver.js';
import { participant } from '../store/sql/rows.js';
import type { Participant } from '../ateliers/repository.js';

export interface ReportBadge {
  badgeClassId: string;
  badgeName: string;
  atelierId: string;
  participantId: string | null;
  issuedAt: string;
  status: string;
  openedAt: string | null;
  walletAt: string | null;
  sharedAt: string | null;
}

export interface ReportRepository {
  /** Participants of the collectives' ateliers dated within [from, to] (ISO dates), with the atelier's date. */
  participants(collectiveIds: string[], from: string, to: string): Promise<(Participant & { atelierDate: string })[]>;
  /** The badges (not erased) issued at those ateliers. */
  badges(collectiveIds: string[], from: string, to: string): Promise<ReportBadge[]>;
  /** How many ateliers, and which (id, date, badge classes offered). */
  ateliers(collectiveIds: string[], from: string, to: string): Promise<{ id: string; badgeClassIds: string[] }[]>;
}

const inList = (ids: string[]) => ids.map(() => '?').join(', ');

export function reportsSql(db: SqlDriver): Pick<Store, 'reports'> {
  return {
    reports: {
      async participants(ids, from, to) {
        if (!ids.length) return [];
        return (await db.all(`SELECT p.*, a.date AS atelier_date FROM participants p JOIN ateliers a ON a.id = p.atelier_id
          WHERE a.collective_id IN (${inList(ids)}) AND a.date >= ? AND a.date <= ?`, [...ids, from, to]))
          .map((r) => ({ ...participant(r), atelierDate: r.atelier_date as string }));
      },
      async badges(ids, from, to) {
        if (!ids.length) return [];
        return (await db.all(`SELECT c.badge_class_id, v.name AS badge_name, c.atelier_id, c.participant_id, c.issued_at, c.status, c.opened_at, c.wallet_at, c.shared_at
          FROM credentials c JOIN ateliers a ON a.id = c.atelier_id JOIN achievement_versions v ON v.id = c.version_id
          WHERE a.collective_id IN (${inList(ids)}) AND a.date >= ? AND a.date <= ? AND c.erased_at IS NULL`, [...ids, from, to]))
          .map((r) => ({
            badgeClassId: r.badge_class_id as string, badgeName: r.badge_name as string, atelierId: r.atelier_id as string,
            participantId: (r.participant_id as string | null) ?? null, issuedAt: r.issued_at as string, status: r.status as string,
            openedAt: (r.opened_at as string | null) ?? null, walletAt: (r.wallet_at as string | null) ?? null, sharedAt: (r.shared_at as string | null) ?? null,
          }));
      },
      async ateliers(ids, from, to) {
        if (!ids.length) return [];
        return (await db.all(`SELECT id, badge_class_ids FROM ateliers WHERE collective_id IN (${inList(ids)}) AND date >= ? AND date <= ?`, [...ids, from, to]))
          .map((r) => ({ id: r.id as string, badgeClassIds: JSON.parse(r.badge_class_ids as string) as string[] }));
      },
    },
  };
}
