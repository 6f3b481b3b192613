// Badge classes and their immutable versions.
// Kept in SQL once for SQLite and PostgreSQL (store/sql/driver.ts); the store composes every feature's part.
import type { AlignmentChoice } from './frameworks.js';
import type { Store, StatusPurpose } from '../store/index.js';
import { type SqlDriver, type SqlRunner } from '../store/sql/driver.js';
import { version } from '../store/sql/rows.js';

export interface BadgeClass {
  id: string;
  collectiveId: string;
  currentVersionId: string;
  createdAt: string;
}

/** One immutable version of a badge class: what issued badges point at. */
/** What makes a badge class a badge-clé (méta-badge). */
/** `outside`: Achievement ids of other issuers' badges that count too, once a person presents one and it verifies. */
export interface KeyOf { components: string[]; needed: number; auto: boolean; outside?: string[] }

export interface AchievementVersion {
  id: string;
  badgeClassId: string;
  collectiveId: string;
  version: number;
  name: string;
  description: string;
  criteria: string;
  achievementType: string;
  tags: string[];
  language: string;
  alignmentUrl: string;
  alignmentName: string;
  validityDays: number | null;
  /** What the badges' one status entry can say (OB 3.0 allows a single `credentialStatus`). */
  statusPurpose: StatusPurpose;
  imageAlt: string;
  /** Up to three questions that guide a person asking for this badge in her own words. */
  questions: string[];
  /** Competences of RECTEC, the CRCN, ESCO or ROME this badge class recognises (badge-classes/frameworks.ts). */
  alignments: AlignmentChoice[];
  /** A badge-clé: awarded for holding `needed` of these badge classes; `auto`: issued without asking. */
  keyOf: KeyOf | null;
  imagePng: Buffer;
  imageSvg: string | null;
  createdAt: string;
}

export interface AchievementRepository {
  /** A new badge class and its first version. */
  create(badgeClass: BadgeClass, version: AchievementVersion): Promise<void>;
  /** A new version that becomes current; older versions stay for issued badges. */
  addVersion(version: AchievementVersion): Promise<void>;
  classById(collectiveId: string, id: string): Promise<BadgeClass | undefined>;
  current(collectiveId: string): Promise<AchievementVersion[]>;
  version(id: string): Promise<AchievementVersion | undefined>;
  /** Every version's SVG original, to sanitise again when the sanitiser changes. */
  svgs(): Promise<{ id: string; svg: string }[]>;
  /** Replaces a version's SVG original by its sanitised form (the picture itself, the PNG, is unchanged). */
  setSvg(id: string, svg: string | null): Promise<void>;
}

/** Achievement versions never change once written: the recent ones are kept in memory (pictures included). */
function versionCache(db: SqlDriver) {
  const versions = new Map<string, AchievementVersion>();
  return {
    async get(id: string): Promise<AchievementVersion | undefined> {
      let v = versions.get(id);
      if (!v) {
        const r = await db.get('SELECT * FROM achievement_versions WHERE id = ?', [id]);
        if (!r) return undefined;
        v = version(r);
        if (versions.size >= 256) versions.delete(versions.keys().next().value!);
        versions.set(id, v);
      }
      return v;
    },
    forget: (id: string) => versions.delete(id),
  };
}

export function badgeClassesSql(db: SqlDriver): Pick<Store, 'achievements'> {
  const versions = versionCache(db);

  async function insertVersion(tx: SqlRunner, v: AchievementVersion): Promise<void> {
    await tx.run(`INSERT INTO achievement_versions (id, badge_class_id, collective_id, version, name, description, criteria,
      achievement_type, tags, language, alignment_url, alignment_name, validity_days, status_purpose, image_alt, image_png, image_svg, created_at, questions, alignments, key_of)
      VALUES (@id, @badgeClassId, @collectiveId, @version, @name, @description, @criteria, @achievementType, @tags,
      @language, @alignmentUrl, @alignmentName, @validityDays, @statusPurpose, @imageAlt, @imagePng, @imageSvg, @createdAt, @questions, @alignments, @keyOf)`,
    { ...v, tags: JSON.stringify(v.tags), questions: JSON.stringify(v.questions), alignments: JSON.stringify(v.alignments), keyOf: v.keyOf && JSON.stringify(v.keyOf) });
  }

  return {
    achievements: {
      async create(badgeClass: BadgeClass, v: AchievementVersion) {
        await db.transaction(async (tx) => {
          await tx.run('INSERT INTO badge_classes (id, collective_id, current_version_id, created_at) VALUES (?, ?, ?, ?)',
            [badgeClass.id, badgeClass.collectiveId, v.id, badgeClass.createdAt]);
          await insertVersion(tx, v);
        });
      },
      async addVersion(v) {
        await db.transaction(async (tx) => {
          await insertVersion(tx, v);
          await tx.run('UPDATE badge_classes SET current_version_id = ? WHERE id = ? AND collective_id = ?', [v.id, v.badgeClassId, v.collectiveId]);
        });
      },
      async classById(collectiveId, id) {
        const r = await db.get('SELECT * FROM badge_classes WHERE id = ? AND collective_id = ?', [id, collectiveId]);
        return r && {
          id: r.id as string, collectiveId: r.collective_id as string,
          currentVersionId: r.current_version_id as string, createdAt: r.created_at as string,
        };
      },
      async current(collectiveId) {
        // Ids only: the versions themselves (pictures and all) mostly come from memory — issuing asks for every badge.
        const ids = await db.all(`SELECT v.id FROM badge_classes b JOIN achievement_versions v ON v.id = b.current_version_id
          WHERE b.collective_id = ? ORDER BY v.name`, [collectiveId]);
        return (await Promise.all(ids.map((r) => versions.get(r.id as string)))).filter((v) => v !== undefined);
      },
      async svgs() {
        return (await db.all('SELECT id, image_svg FROM achievement_versions WHERE image_svg IS NOT NULL')).map((r) => ({ id: r.id as string, svg: r.image_svg as string }));
      },
      async setSvg(id, svg) {
        await db.run('UPDATE achievement_versions SET image_svg = ? WHERE id = ?', [svg, id]);
        versions.forget(id);
      },
      version: versions.get,
    },
  };
}
