// The mail log, instance settings, rate limits and login throttling.
// Kept in SQL once for SQLite and PostgreSQL (store/sql/driver.ts); the store composes every feature's part.
import type { Store } from '../store/index.js';
import type { SqlDriver } from '../store/sql/driver.js';
import { mail } from '../store/sql/rows.js';

/** Minutes of rate-limit counts kept, swept now and then: windows last up to an hour (password-reset mails). */
const RATE_MINUTES_KEPT = 60;

export interface MailRecord {
  id: string;
  /** Null for messages of the instance (a learner's "my badges" link). */
  collectiveId: string | null;
  recipient: string;
  subject: string;
  kind: 'claim-link' | 'my-badges' | 'password-reset' | 'invitation';
  /** The .eml written under DATA_DIR/outbox when no SMTP server is configured. */
  file: string | null;
  /** Why the SMTP server refused it. */
  error: string | null;
  createdAt: string;
}

export interface MailRepository {
  add(mail: MailRecord): Promise<void>;
  list(collectiveId: string | null, limit: number): Promise<MailRecord[]>;
  byId(id: string): Promise<MailRecord | undefined>;
}

/** Requests counted per key and minute, and failed logins, shared by every app instance on the database. */
export interface RateLimitRepository {
  /**
   * Counts one more request for `key` in the window starting at `minute` (minutes since the epoch;
   * windows of up to an hour) and returns the count.
   */
  hit(key: string, minute: number): Promise<number>;
  /** The latest time each key is blocked until (ISO), among `keys` that failed before. */
  blockedUntil(keys: string[]): Promise<string | undefined>;
  /** Counts one more failure for `key`, blocked until `until(count)` (ISO); returns the count. */
  fail(key: string, until: (count: number) => string): Promise<number>;
  forgive(keys: string[]): Promise<void>;
}

export interface SettingRepository {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  /** The value already stored, or `value` stored now: the first instance to start sets it for all. */
  init(key: string, value: string): Promise<string>;
}

export function operationsSql(db: SqlDriver): Pick<Store, 'mail' | 'settings' | 'rateLimits'> {
  let rateSweptAt = 0;

  return {
    mail: {
      async add(m) {
        await db.run(`INSERT INTO mail_log (id, collective_id, recipient, subject, kind, file, error, created_at)
          VALUES (@id, @collectiveId, @recipient, @subject, @kind, @file, @error, @createdAt)`, { ...m });
      },
      async list(collectiveId, limit) {
        return (await db.all('SELECT * FROM mail_log WHERE collective_id IS NOT DISTINCT FROM ? ORDER BY created_at DESC LIMIT ?',
          [collectiveId, limit])).map(mail);
      },
      async byId(id) { const r = await db.get('SELECT * FROM mail_log WHERE id = ?', [id]); return r && mail(r); },
    },
    settings: {
      async get(key) { return (await db.get('SELECT value FROM settings WHERE key = ?', [key]))?.value as string | undefined; },
      async set(key, value) {
        await db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
      },
      async init(key, value) {
        await db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [key, value]);
        return (await db.get('SELECT value FROM settings WHERE key = ?', [key]))!.value as string;
      },
    },
    rateLimits: {
      async hit(key, minute) {
        if (minute !== rateSweptAt) {
          rateSweptAt = minute;
          await db.run('DELETE FROM rate_hits WHERE minute < ?', [minute - RATE_MINUTES_KEPT]);
        }
        const r = await db.get(`INSERT INTO rate_hits (key, minute, count) VALUES (?, ?, 1)
          ON CONFLICT (key, minute) DO UPDATE SET count = rate_hits.count + 1 RETURNING count`, [key, minute]);
        return r!.count as number;
      },
      async blockedUntil(keys) {
        const r = await db.get(`SELECT max(until) AS until FROM login_failures WHERE key IN (${keys.map(() => '?').join(', ')})`, keys);
        return (r?.until as string | null) ?? undefined;
      },
      async fail(key, until) {
        const count = (await db.get(`INSERT INTO login_failures (key, count, until) VALUES (?, 1, '')
          ON CONFLICT (key) DO UPDATE SET count = login_failures.count + 1 RETURNING count`, [key]))!.count as number;
        await db.run('UPDATE login_failures SET until = ? WHERE key = ?', [until(count), key]);
        return count;
      },
      async forgive(keys) {
        await db.run(`DELETE FROM login_failures WHERE key IN (${keys.map(() => '?').join(', ')})`, keys);
      },
    },
  };
}
