// The accounts: who they are, their memberships, sessions, setup and password links, invitations.
// Kept in SQL once for SQLite and PostgreSQL (store/sql/driver.ts); the store composes every feature's part.
import type { Store } from '../store/index.js';
import { isUniqueViolation, type SqlDriver } from '../store/sql/driver.js';
import { account, invitation } from '../store/sql/rows.js';

export type Role = 'admin' | 'facilitator';

export interface Account {
  id: string;
  email: string;
  name: string;
  passwordHash: string | null;
  instanceAdmin: boolean;
  createdAt: string;
}

export interface Membership {
  accountId: string;
  collectiveId: string;
  role: Role;
}

export interface Session {
  id: string;
  accountId: string;
  expiresAt: string;
}

export type TokenPurpose = 'setup' | 'reset';

export interface Token {
  hash: string;
  purpose: TokenPurpose;
  accountId: string | null;
  expiresAt: string;
  usedAt: string | null;
}

/**
 * An invitation to join a collective, addressed to an email. Only the hash of its link's secret is
 * kept. It is accepted by the account with that email, signed in as itself, or — when no account has
 * that email yet — by whoever holds the link, who then creates that account.
 */
export interface Invitation {
  id: string;
  collectiveId: string;
  email: string;
  name: string;
  role: Role;
  hash: string;
  /** The admin who sent it ('' for members pending from before invitations existed). */
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
}

export interface InvitationRepository {
  /** A new invitation, or a new link and role for the pending one to the same email. */
  put(invitation: Invitation): Promise<Invitation>;
  byHash(hash: string, now: string): Promise<Invitation | undefined>;
  byId(collectiveId: string, id: string): Promise<Invitation | undefined>;
  /** Pending invitations of a collective (expired ones too: the admin can renew them). */
  forCollective(collectiveId: string): Promise<Invitation[]>;
  /** Live invitations to this email, with the collective's name and slug. */
  forEmail(email: string, now: string): Promise<(Invitation & { collectiveName: string })[]>;
  /** Makes the account a member with the invitation's role and deletes the invitation, in one step; false if it was gone. */
  accept(id: string, accountId: string): Promise<boolean>;
  delete(collectiveId: string, id: string): Promise<void>;
}

export interface AccountRepository {
  count(): Promise<number>;
  /** False when another account has the email (two requests at once). */
  create(account: Account): Promise<boolean>;
  byId(id: string): Promise<Account | undefined>;
  byEmail(email: string): Promise<Account | undefined>;
  setPassword(id: string, passwordHash: string): Promise<void>;
  memberships(accountId: string): Promise<(Membership & { slug: string; name: string })[]>;
  members(collectiveId: string): Promise<(Account & { role: Role })[]>;
  setMembership(membership: Membership): Promise<void>;
  removeMembership(accountId: string, collectiveId: string): Promise<void>;
}

export interface SessionRepository {
  create(session: Session): Promise<void>;
  get(id: string, now: string): Promise<Session | undefined>;
  delete(id: string): Promise<void>;
  deleteForAccount(accountId: string): Promise<void>;
}

export interface TokenRepository {
  create(token: Token): Promise<void>;
  /** Marks a live token used and returns it; undefined if unknown, used or expired. */
  consume(hash: string, purpose: TokenPurpose, now: string): Promise<Token | undefined>;
  peek(hash: string, purpose: TokenPurpose, now: string): Promise<Token | undefined>;
}

export function accountsSql(db: SqlDriver): Pick<Store, 'accounts' | 'invitations' | 'sessions' | 'tokens'> {
  return {
    accounts: accountsTable(db),
    invitations: invitationsTable(db),
    sessions: sessionsTable(db),
    tokens: tokensTable(db),
  };
}

function accountsTable(db: SqlDriver): Store['accounts'] {
  return {
    async count() { return (await db.get('SELECT CAST(count(*) AS INTEGER) AS n FROM accounts'))!.n as number; },
    async create(a) {
      try {
        await db.run('INSERT INTO accounts (id, email, name, password_hash, instance_admin, created_at) VALUES (?, ?, ?, ?, ?, ?)',
          [a.id, a.email, a.name, a.passwordHash, a.instanceAdmin ? 1 : 0, a.createdAt]);
        return true;
      } catch (error) {
        if (isUniqueViolation(error, 'email')) return false;
        throw error;
      }
    },
    async byId(id) { const r = await db.get('SELECT * FROM accounts WHERE id = ?', [id]); return r && account(r); },
    async byEmail(email) { const r = await db.get('SELECT * FROM accounts WHERE email = ?', [email]); return r && account(r); },
    async setPassword(id, hash) { await db.run('UPDATE accounts SET password_hash = ? WHERE id = ?', [hash, id]); },
    async memberships(accountId) {
      return (await db.all(`SELECT m.*, c.slug, c.name FROM memberships m JOIN collectives c ON c.id = m.collective_id
        WHERE m.account_id = ? ORDER BY c.name`, [accountId])).map((r) => ({
        accountId: r.account_id as string, collectiveId: r.collective_id as string, role: r.role as Role,
        slug: r.slug as string, name: r.name as string,
      }));
    },
    async members(collectiveId) {
      return (await db.all(`SELECT a.*, m.role FROM memberships m JOIN accounts a ON a.id = m.account_id
        WHERE m.collective_id = ? ORDER BY a.name`, [collectiveId])).map((r) => ({ ...account(r), role: r.role as Role }));
    },
    async setMembership(m) {
      await db.run(`INSERT INTO memberships (account_id, collective_id, role) VALUES (?, ?, ?)
        ON CONFLICT (account_id, collective_id) DO UPDATE SET role = excluded.role`, [m.accountId, m.collectiveId, m.role]);
    },
    async removeMembership(accountId, collectiveId) {
      await db.run('DELETE FROM memberships WHERE account_id = ? AND collective_id = ?', [accountId, collectiveId]);
    },
  };
}

function invitationsTable(db: SqlDriver): Store['invitations'] {
  return {
    async put(i) {
      await db.run(`INSERT INTO invitations (id, collective_id, email, name, role, hash, invited_by, created_at, expires_at)
        VALUES (@id, @collectiveId, @email, @name, @role, @hash, @invitedBy, @createdAt, @expiresAt)
        ON CONFLICT (collective_id, email) DO UPDATE SET name = excluded.name, role = excluded.role, hash = excluded.hash,
          invited_by = excluded.invited_by, created_at = excluded.created_at, expires_at = excluded.expires_at`, { ...i });
      return invitation((await db.get('SELECT * FROM invitations WHERE collective_id = ? AND email = ?', [i.collectiveId, i.email]))!);
    },
    async byHash(hash, now) {
      const r = await db.get('SELECT * FROM invitations WHERE hash = ? AND expires_at > ?', [hash, now]);
      return r && invitation(r);
    },
    async byId(collectiveId, id) {
      const r = await db.get('SELECT * FROM invitations WHERE id = ? AND collective_id = ?', [id, collectiveId]);
      return r && invitation(r);
    },
    async forCollective(collectiveId) {
      return (await db.all('SELECT * FROM invitations WHERE collective_id = ? ORDER BY created_at DESC', [collectiveId])).map(invitation);
    },
    async forEmail(email, now) {
      return (await db.all(`SELECT i.*, c.name AS collective_name FROM invitations i JOIN collectives c ON c.id = i.collective_id
        WHERE i.email = ? AND i.expires_at > ? ORDER BY c.name`, [email, now])).map((r) => ({ ...invitation(r), collectiveName: r.collective_name as string }));
    },
    async accept(id, accountId) {
      return db.transaction(async (tx) => {
        const r = await tx.get('SELECT * FROM invitations WHERE id = ?', [id]);
        if (!r) return false;
        await tx.run('DELETE FROM invitations WHERE id = ?', [id]);
        await tx.run(`INSERT INTO memberships (account_id, collective_id, role) VALUES (?, ?, ?)
          ON CONFLICT (account_id, collective_id) DO UPDATE SET role = excluded.role`, [accountId, r.collective_id, r.role]);
        return true;
      });
    },
    async delete(collectiveId, id) { await db.run('DELETE FROM invitations WHERE id = ? AND collective_id = ?', [id, collectiveId]); },
  };
}

function sessionsTable(db: SqlDriver): Store['sessions'] {
  return {
    async create(s) { await db.run('INSERT INTO sessions (id, account_id, expires_at) VALUES (?, ?, ?)', [s.id, s.accountId, s.expiresAt]); },
    async get(id, now) {
      const r = await db.get('SELECT * FROM sessions WHERE id = ? AND expires_at > ?', [id, now]);
      return r && { id: r.id as string, accountId: r.account_id as string, expiresAt: r.expires_at as string };
    },
    async delete(id) { await db.run('DELETE FROM sessions WHERE id = ?', [id]); },
    async deleteForAccount(accountId) { await db.run('DELETE FROM sessions WHERE account_id = ?', [accountId]); },
  };
}

function tokensTable(db: SqlDriver): Store['tokens'] {
  return {
    async create(t) {
      await db.run('INSERT INTO tokens (hash, purpose, account_id, expires_at, used_at) VALUES (?, ?, ?, ?, NULL)',
        [t.hash, t.purpose, t.accountId, t.expiresAt]);
    },
    async peek(hash, purpose, now) {
      const r = await db.get('SELECT * FROM tokens WHERE hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?', [hash, purpose, now]);
      return r && {
        hash: r.hash as string, purpose, accountId: (r.account_id as string | null) ?? null,
        expiresAt: r.expires_at as string, usedAt: null,
      };
    },
    async consume(hash, purpose, now) {
      const token = await this.peek(hash, purpose, now);
      if (!token) return undefined;
      const changes = await db.run('UPDATE tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL', [now, hash]);
      return changes === 1 ? { ...token, usedAt: now } : undefined;
    },
  };
}
