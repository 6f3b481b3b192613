// Versioned schema migrations, applied in order at start (SQLite records the last one in
// `PRAGMA user_version`, PostgreSQL in `schema_version`). Written in SQLite's dialect; the PostgreSQL
// driver reads BLOB as BYTEA and drops COLLATE NOCASE. Never edit a released migration: add the next one.
export const MIGRATIONS: string[] = [
  /* 1: accounts, collectives, badge classes, ateliers, credentials, status lists */ `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, password_hash TEXT,
    instance_admin INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE, expires_at TEXT NOT NULL);
  CREATE TABLE tokens (
    hash TEXT PRIMARY KEY, purpose TEXT NOT NULL, account_id TEXT REFERENCES accounts(id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL, used_at TEXT);
  CREATE TABLE collectives (
    id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL, description TEXT NOT NULL,
    url TEXT NOT NULL, email TEXT NOT NULL, town TEXT NOT NULL, logo_png BLOB, created_at TEXT NOT NULL);
  CREATE TABLE memberships (
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    collective_id TEXT NOT NULL REFERENCES collectives(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'facilitator')),
    PRIMARY KEY (account_id, collective_id));
  CREATE TABLE badge_classes (
    id TEXT PRIMARY KEY, collective_id TEXT NOT NULL REFERENCES collectives(id),
    current_version_id TEXT NOT NULL, created_at TEXT NOT NULL);
  CREATE TABLE achievement_versions (
    id TEXT PRIMARY KEY, badge_class_id TEXT NOT NULL REFERENCES badge_classes(id),
    collective_id TEXT NOT NULL REFERENCES collectives(id), version INTEGER NOT NULL,
    name TEXT NOT NULL, description TEXT NOT NULL, criteria TEXT NOT NULL, achievement_type TEXT NOT NULL,
    tags TEXT NOT NULL, language TEXT NOT NULL, alignment_url TEXT NOT NULL, alignment_name TEXT NOT NULL,
    validity_days INTEGER, image_alt TEXT NOT NULL, image_png BLOB NOT NULL, image_svg TEXT, created_at TEXT NOT NULL,
    UNIQUE (badge_class_id, version));
  CREATE TABLE ateliers (
    id TEXT PRIMARY KEY, collective_id TEXT NOT NULL REFERENCES collectives(id), title TEXT NOT NULL,
    date TEXT NOT NULL, place TEXT NOT NULL, facilitators TEXT NOT NULL, badge_class_ids TEXT NOT NULL,
    created_at TEXT NOT NULL);
  CREATE INDEX ateliers_collective ON ateliers(collective_id, date);
  CREATE TABLE participants (
    id TEXT PRIMARY KEY, atelier_id TEXT NOT NULL REFERENCES ateliers(id),
    collective_id TEXT NOT NULL REFERENCES collectives(id), name TEXT NOT NULL, email TEXT NOT NULL,
    consent_at TEXT, created_at TEXT NOT NULL);
  CREATE INDEX participants_atelier ON participants(atelier_id);
  CREATE TABLE status_lists (
    id TEXT PRIMARY KEY, collective_id TEXT NOT NULL REFERENCES collectives(id), number INTEGER NOT NULL,
    size INTEGER NOT NULL, bits BLOB NOT NULL, signed_json TEXT, updated_at TEXT NOT NULL,
    UNIQUE (collective_id, number));
  CREATE TABLE credentials (
    id TEXT PRIMARY KEY, collective_id TEXT NOT NULL REFERENCES collectives(id),
    badge_class_id TEXT NOT NULL REFERENCES badge_classes(id), version_id TEXT NOT NULL REFERENCES achievement_versions(id),
    atelier_id TEXT, participant_id TEXT, recipient_name TEXT NOT NULL, json TEXT, jwt TEXT,
    status_list_id TEXT NOT NULL REFERENCES status_lists(id), status_index INTEGER NOT NULL,
    issued_at TEXT NOT NULL, issued_by TEXT NOT NULL, erased_at TEXT,
    UNIQUE (status_list_id, status_index));
  CREATE INDEX credentials_participant ON credentials(participant_id, badge_class_id);
  CREATE INDEX credentials_atelier ON credentials(collective_id, atelier_id);
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY, collective_id TEXT NOT NULL, atelier_id TEXT NOT NULL, total INTEGER NOT NULL,
    done INTEGER NOT NULL, failed INTEGER NOT NULL, state TEXT NOT NULL, errors TEXT NOT NULL, created_at TEXT NOT NULL);
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  /* 2: revocation and suspension, renewals, API tokens */ `
  ALTER TABLE status_lists ADD COLUMN purpose TEXT NOT NULL DEFAULT 'revocation' CHECK (purpose IN ('revocation', 'suspension'));
  CREATE INDEX status_lists_purpose ON status_lists(collective_id, purpose, number);
  ALTER TABLE achievement_versions ADD COLUMN status_purpose TEXT NOT NULL DEFAULT 'revocation'
    CHECK (status_purpose IN ('revocation', 'suspension'));
  ALTER TABLE credentials ADD COLUMN status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked', 'suspended'));
  ALTER TABLE credentials ADD COLUMN status_reason TEXT;
  ALTER TABLE credentials ADD COLUMN status_changed_at TEXT;
  ALTER TABLE credentials ADD COLUMN renewed_at TEXT;
  CREATE TABLE superseded_credentials (
    credential_id TEXT NOT NULL REFERENCES credentials(id), json TEXT, jwt TEXT, superseded_at TEXT NOT NULL);
  CREATE INDEX superseded_credential ON superseded_credentials(credential_id);
  CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY, collective_id TEXT NOT NULL REFERENCES collectives(id), name TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE, created_by TEXT NOT NULL, created_at TEXT NOT NULL, last_used_at TEXT, revoked_at TEXT);
  `,
  /* 3: claim links (one live link per badge; a new one replaces it) */ `
  CREATE TABLE claim_links (
    credential_id TEXT PRIMARY KEY REFERENCES credentials(id), hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL);
  `,
  /* 4: what learners choose and receive: public display, wallets (OpenID4VCI), mail, their own links */ `
  ALTER TABLE credentials ADD COLUMN display TEXT NOT NULL DEFAULT 'name' CHECK (display IN ('name', 'initials', 'hidden'));
  ALTER TABLE claim_links ADD COLUMN tx_code_hash TEXT;
  CREATE TABLE wallet_offers (
    id TEXT PRIMARY KEY, credential_id TEXT NOT NULL REFERENCES credentials(id), code_hash TEXT NOT NULL UNIQUE,
    tx_code_hash TEXT, failed_codes INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
    token_hash TEXT UNIQUE, token_expires_at TEXT);
  CREATE INDEX wallet_offers_credential ON wallet_offers(credential_id);
  CREATE TABLE wallet_nonces (hash TEXT PRIMARY KEY, expires_at TEXT NOT NULL);
  CREATE TABLE wallet_deliveries (
    credential_id TEXT NOT NULL REFERENCES credentials(id), subject_did TEXT NOT NULL, format TEXT NOT NULL, delivered_at TEXT NOT NULL);
  CREATE INDEX wallet_deliveries_credential ON wallet_deliveries(credential_id);
  CREATE TABLE mail_log (
    id TEXT PRIMARY KEY, collective_id TEXT REFERENCES collectives(id), recipient TEXT NOT NULL, subject TEXT NOT NULL,
    kind TEXT NOT NULL, file TEXT, error TEXT, created_at TEXT NOT NULL);
  CREATE INDEX mail_log_collective ON mail_log(collective_id, created_at);
  CREATE TABLE learner_links (hash TEXT PRIMARY KEY, email TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL);
  CREATE INDEX participants_email ON participants(email COLLATE NOCASE);
  `,
  /* 5: running for real: resumable batches, rate limits and login throttling shared by app instances */ `
  DROP INDEX participants_email;
  CREATE INDEX participants_email_lower ON participants(lower(email));
  ALTER TABLE jobs ADD COLUMN request TEXT;
  ALTER TABLE jobs ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
  ALTER TABLE credentials ADD COLUMN job_id TEXT;
  CREATE INDEX credentials_job ON credentials(job_id);
  CREATE INDEX credentials_issued ON credentials(collective_id, issued_at);
  CREATE TABLE rate_hits (key TEXT NOT NULL, minute INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (key, minute));
  CREATE TABLE login_failures (key TEXT PRIMARY KEY, count INTEGER NOT NULL, until TEXT NOT NULL);
  `,
  /* 6: invitations: an account joins a collective only by accepting one, as itself. Members added before
     without a password become pending invitations (their old link no longer works: the admin makes a new
     one), and the password links admins could make for existing accounts are withdrawn. */ `
  CREATE TABLE invitations (
    id TEXT PRIMARY KEY, collective_id TEXT NOT NULL REFERENCES collectives(id) ON DELETE CASCADE,
    email TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('admin', 'facilitator')),
    hash TEXT NOT NULL UNIQUE, invited_by TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
    UNIQUE (collective_id, email));
  CREATE INDEX invitations_email ON invitations(email);
  INSERT INTO invitations (id, collective_id, email, name, role, hash, invited_by, created_at, expires_at)
    SELECT a.id || '-' || m.collective_id, m.collective_id, a.email, a.name, m.role, 'withdrawn:' || a.id || ':' || m.collective_id,
      '', a.created_at, a.created_at
    FROM memberships m JOIN accounts a ON a.id = m.account_id WHERE a.password_hash IS NULL AND a.instance_admin = 0;
  DELETE FROM tokens WHERE purpose = 'reset';
  DELETE FROM accounts WHERE password_hash IS NULL AND instance_admin = 0;
  `,
  /* 7: handing badges over: a short code a person can type (its hash), and whether each badge was picked up */ `
  ALTER TABLE claim_links ADD COLUMN code_hash TEXT;
  CREATE INDEX claim_links_code ON claim_links(code_hash);
  ALTER TABLE credentials ADD COLUMN opened_at TEXT;
  ALTER TABLE credentials ADD COLUMN wallet_at TEXT;
  ALTER TABLE credentials ADD COLUMN shared_at TEXT;
  `,
  /* 8: recognition: partner organisations (a collective of kind 'partner'), the links that invite them, and
     endorsements, each with its index on its endorser's revocation list */ `
  ALTER TABLE collectives ADD COLUMN kind TEXT NOT NULL DEFAULT 'collective';
  CREATE TABLE partner_invitations (
    id TEXT PRIMARY KEY, collective_id TEXT NOT NULL REFERENCES collectives(id) ON DELETE CASCADE,
    name TEXT NOT NULL, email TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, invited_by TEXT NOT NULL,
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL, partner_id TEXT);
  CREATE TABLE endorsements (
    id TEXT PRIMARY KEY, endorser_id TEXT NOT NULL REFERENCES collectives(id) ON DELETE CASCADE,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('achievement', 'profile', 'credential')), subject_id TEXT NOT NULL,
    comment TEXT NOT NULL, json TEXT NOT NULL, status_list_id TEXT NOT NULL REFERENCES status_lists(id),
    status_index INTEGER NOT NULL, created_at TEXT NOT NULL, withdrawn_at TEXT, accepted_at TEXT,
    UNIQUE (status_list_id, status_index));
  CREATE INDEX endorsements_subject ON endorsements(subject_id);
  CREATE INDEX endorsements_endorser ON endorsements(endorser_id);
  `,
  /* 9: learners ask for a badge in their own words: each atelier's request link and code (their hashes), the requests,
     and the questions a badge class asks to guide them */ `
  ALTER TABLE ateliers ADD COLUMN request_hash TEXT;
  ALTER TABLE ateliers ADD COLUMN request_code_hash TEXT;
  CREATE INDEX ateliers_request ON ateliers(request_hash);
  CREATE INDEX ateliers_request_code ON ateliers(request_code_hash);
  CREATE TABLE badge_requests (
    id TEXT PRIMARY KEY, collective_id TEXT NOT NULL REFERENCES collectives(id) ON DELETE CASCADE,
    atelier_id TEXT NOT NULL REFERENCES ateliers(id) ON DELETE CASCADE, badge_class_id TEXT NOT NULL,
    name TEXT NOT NULL, email TEXT NOT NULL, reflection TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('pending', 'more', 'accepted', 'declined')), message TEXT NOT NULL,
    credential_id TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, facts TEXT NOT NULL DEFAULT '{}');
  CREATE INDEX badge_requests_atelier ON badge_requests(atelier_id);
  ALTER TABLE achievement_versions ADD COLUMN questions TEXT NOT NULL DEFAULT '[]';
  `,
  /* 10: a few optional facts about each participant, for the funder's report only (never published); a badge
     class's alignments to competence frameworks (RECTEC, CRCN, ESCO, ROME), what makes it a badge-clé (and the badges from elsewhere a person presented for one), and parcours */ `
  ALTER TABLE participants ADD COLUMN gender TEXT;
  ALTER TABLE participants ADD COLUMN age_band TEXT;
  ALTER TABLE participants ADD COLUMN situation TEXT;
  ALTER TABLE participants ADD COLUMN commune TEXT;
  ALTER TABLE participants ADD COLUMN qpv TEXT;
  ALTER TABLE achievement_versions ADD COLUMN alignments TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE achievement_versions ADD COLUMN key_of TEXT;
  CREATE TABLE parcours (
    id TEXT PRIMARY KEY, collective_id TEXT NOT NULL REFERENCES collectives(id) ON DELETE CASCADE,
    name TEXT NOT NULL, atelier_ids TEXT NOT NULL, created_at TEXT NOT NULL);
  CREATE INDEX parcours_collective ON parcours(collective_id);
  CREATE TABLE presented_badges (
    id TEXT PRIMARY KEY, collective_id TEXT NOT NULL REFERENCES collectives(id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE, achievement_id TEXT NOT NULL,
    credential_id TEXT NOT NULL, badge_name TEXT NOT NULL, issuer_name TEXT NOT NULL, presented_at TEXT NOT NULL,
    UNIQUE (participant_id, credential_id));
  `,
  /* 11: one table of the status entries taken, whoever holds each (a badge or an endorsement: both use a collective's
     lists), so the database itself refuses one index to two of them, from any instance; and each list counts its
     entries, kept in the same transaction, so a reservation no longer counts a list's rows (1.35 ms a badge at 65,000) */ `
  CREATE TABLE status_entries (
    status_list_id TEXT NOT NULL REFERENCES status_lists(id), status_index INTEGER NOT NULL,
    PRIMARY KEY (status_list_id, status_index));
  INSERT INTO status_entries (status_list_id, status_index)
    SELECT status_list_id, status_index FROM credentials UNION SELECT status_list_id, status_index FROM endorsements;
  ALTER TABLE status_lists ADD COLUMN used INTEGER NOT NULL DEFAULT 0;
  UPDATE status_lists SET used = (SELECT count(*) FROM status_entries e WHERE e.status_list_id = status_lists.id);
  `,
  /* 12: a photo a learner adds to her request as evidence (issue 18 §4): re-encoded, without its metadata; public at
     /evidence/<id> once it is in her badge, gone with her request */ `
  CREATE TABLE request_photos (
    request_id TEXT PRIMARY KEY REFERENCES badge_requests(id) ON DELETE CASCADE, id TEXT NOT NULL UNIQUE, jpeg BLOB NOT NULL);
  `,
];
