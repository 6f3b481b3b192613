// The persistence interface: one async repository per concern, implemented once in SQL (sql/) over
// SQLite or PostgreSQL. Nothing here knows HTTP or Open Badges.

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

export interface Collective {
  id: string;
  slug: string;
  name: string;
  description: string;
  url: string;
  email: string;
  town: string;
  logoPng: Buffer | null;
  createdAt: string;
}

export interface BadgeClass {
  id: string;
  collectiveId: string;
  currentVersionId: string;
  createdAt: string;
}

/** One immutable version of a badge class: what issued badges point at. */
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
  imagePng: Buffer;
  imageSvg: string | null;
  createdAt: string;
}

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
}

/** `revocation` is for good; `suspension` can be lifted. */
export type StatusPurpose = 'revocation' | 'suspension';
export type CredentialState = 'active' | 'revoked' | 'suspended';

export interface StatusList {
  id: string;
  collectiveId: string;
  /** Numbered per collective, whatever the purpose: `/status/<slug>/<number>`. */
  number: number;
  purpose: StatusPurpose;
  size: number;
  bits: Buffer;
  /** The signed list credential, cached until the bits change. */
  signedJson: string | null;
  updatedAt: string;
}

export interface CredentialRecord {
  id: string;
  collectiveId: string;
  badgeClassId: string;
  versionId: string;
  atelierId: string | null;
  participantId: string | null;
  recipientName: string;
  /** The Data Integrity form; null once the holder's data was erased. */
  json: string | null;
  jwt: string | null;
  statusListId: string;
  statusIndex: number;
  issuedAt: string;
  issuedBy: string;
  erasedAt: string | null;
  status: CredentialState;
  /** Why it was revoked or suspended: for the collective only, never published. */
  statusReason: string | null;
  statusChangedAt: string | null;
  /** Set when a renewal replaced `json`/`jwt` (same id, newer validFrom: OB 3.0 §10). */
  renewedAt: string | null;
  /** What the holder lets the public page show of her. */
  display: PublicDisplay;
  /** The batch that issued it, if any (a resumed batch skips those it already issued). */
  jobId: string | null;
}

/** The holder's choice: her name on the public page, only her initials, or no public page at all. */
export type PublicDisplay = 'name' | 'initials' | 'hidden';
export const PUBLIC_DISPLAYS: readonly PublicDisplay[] = ['name', 'initials', 'hidden'];

export interface ApiToken {
  id: string;
  collectiveId: string;
  name: string;
  /** SHA-256 of the secret; the secret itself is shown once and never stored. */
  hash: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** What a batch was asked to do: kept until it finishes, so an interrupted batch can be resumed. */
export interface BatchRequest {
  badgeClassId: string;
  participantIds: string[];
  /** Each person's own words, by participant id; optional. */
  reflections: Record<string, string>;
  reissue: boolean;
}

export interface JobRecord {
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

export interface CollectiveRepository {
  create(collective: Collective): Promise<void>;
  update(collective: Collective): Promise<void>;
  bySlug(slug: string): Promise<Collective | undefined>;
  byId(id: string): Promise<Collective | undefined>;
  list(): Promise<Collective[]>;
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
}

export interface CredentialRepository {
  /**
   * Saves a signed credential, its status index and its claim link in one transaction: all of it
   * exists, or none. Undefined when another app instance took that index meanwhile (reserve again).
   */
  insert(record: SignedCredential, claimLink: Omit<ClaimLink, 'credentialId'>): Promise<CredentialRecord | undefined>;
  /** Sets the credential's state and its bit on its status list together (the list's signed copy is dropped). */
  setStatus(id: string, state: CredentialState, reason: string | null, now: string): Promise<CredentialRecord>;
  /** Replaces the credential by a re-signed one with the same id (and the name it now carries); the old forms are kept aside. */
  supersede(id: string, json: string, jwt: string, now: string, recipientName?: string): Promise<CredentialRecord>;
  byId(id: string): Promise<CredentialRecord | undefined>;
  forParticipant(participantId: string, badgeClassId: string): Promise<CredentialRecord | undefined>;
  forAtelier(collectiveId: string, atelierId: string): Promise<CredentialRecord[]>;
  /** Badges not erased whose participant has this email, in every collective. */
  forEmail(email: string): Promise<CredentialRecord[]>;
  count(collectiveId: string): Promise<number>;
  /** The collective's badges, newest first, with their badge's name and atelier's title. */
  listIssued(collectiveId: string, filter: IssuedBadgeFilter): Promise<IssuedBadge[]>;
  /** The participants a batch has issued to so far. */
  participantsOfJob(jobId: string): Promise<string[]>;
  /** The collective's badges signed (issued or renewed) at or after `since`, revoked ones aside. */
  signedSince(collectiveId: string, since: string): Promise<CredentialRecord[]>;
  setDisplay(id: string, display: PublicDisplay): Promise<void>;
  /** Deletes a badge's personal data (a badge issued without a participant); it stays verifiable. */
  erase(id: string, now: string): Promise<void>;
}

/** A line of a collective's list of issued badges: no signed copies, since the list can be long. */
export interface IssuedBadge {
  id: string;
  /** '' once erased. */
  recipientName: string;
  badgeClassId: string;
  /** The name of the version it was issued with. */
  badgeName: string;
  validityDays: number | null;
  /** Null for a badge issued through the API. */
  atelierId: string | null;
  atelierTitle: string | null;
  issuedAt: string;
  renewedAt: string | null;
  status: CredentialState;
  erasedAt: string | null;
}

export interface IssuedBadgeFilter {
  badgeClassId?: string;
  status?: CredentialState;
  source?: 'atelier' | 'api';
}

/** What issuing provides before signing; the store adds the initial state. */
export type NewCredential = Omit<CredentialRecord, 'statusListId' | 'statusIndex' | 'status' | 'statusReason' | 'statusChangedAt' | 'renewedAt' | 'display'>;
/** A credential signed with its status entry, ready to save. */
export type SignedCredential = NewCredential & Pick<CredentialRecord, 'statusListId' | 'statusIndex'> & { json: string; jwt: string };

/** How a collective's status lists are cut: entries per list, and the share used before a new one opens. */
export interface StatusListPolicy {
  size: number;
  fillLimit: number;
}

/** A status index held for one issuance until it is saved or given up (`release`). */
export interface StatusReservation {
  list: StatusList;
  index: number;
  release(): void;
}

/** A learner's personal link to her badge; only the hash of its secret is kept. */
export interface ClaimLink {
  credentialId: string;
  hash: string;
  createdAt: string;
  expiresAt: string;
  /** Hash of the transaction code printed on the card, asked by wallets (OpenID4VCI `tx_code`). */
  txCodeHash: string | null;
}

export interface ClaimLinkRepository {
  /** Replaces the badge's previous link, if any. */
  put(link: ClaimLink): Promise<void>;
  /** A link that has not expired, by the hash of its secret. */
  live(hash: string, now: string): Promise<ClaimLink | undefined>;
  forCredential(credentialId: string): Promise<ClaimLink | undefined>;
}

/** An OpenID4VCI credential offer: a pre-authorized code, exchanged once for an access token. */
export interface WalletOffer {
  id: string;
  credentialId: string;
  codeHash: string;
  txCodeHash: string | null;
  failedCodes: number;
  createdAt: string;
  expiresAt: string;
  tokenHash: string | null;
  tokenExpiresAt: string | null;
}

export type WalletFormat = 'ldp_vc' | 'jwt_vc_json';

export interface WalletDelivery {
  credentialId: string;
  /** The wallet's DID the copy was bound to (credentialSubject.id). */
  subjectDid: string;
  format: WalletFormat;
  deliveredAt: string;
}

export interface WalletRepository {
  createOffer(offer: WalletOffer): Promise<void>;
  offer(id: string, now: string): Promise<WalletOffer | undefined>;
  /** A live offer whose code has not been exchanged yet. */
  offerByCode(codeHash: string, now: string): Promise<WalletOffer | undefined>;
  failCode(id: string): Promise<void>;
  /** Exchanges the code for a token; false when another request exchanged it first. */
  redeem(id: string, tokenHash: string, tokenExpiresAt: string): Promise<boolean>;
  offerByToken(tokenHash: string, now: string): Promise<WalletOffer | undefined>;
  /** Saves a nonce; those expired by `now` go. */
  addNonce(hash: string, expiresAt: string, now: string): Promise<void>;
  /** True once for a live nonce. */
  consumeNonce(hash: string, now: string): Promise<boolean>;
  deliver(delivery: WalletDelivery): Promise<void>;
  deliveries(credentialId: string): Promise<WalletDelivery[]>;
}

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

/** A learner's link to all her badges, sent to her email. */
export interface LearnerLink {
  hash: string;
  email: string;
  createdAt: string;
  expiresAt: string;
}

export interface LearnerLinkRepository {
  put(link: LearnerLink): Promise<void>;
  live(hash: string, now: string): Promise<LearnerLink | undefined>;
}

export interface ApiTokenRepository {
  create(token: ApiToken): Promise<void>;
  /** A live (not revoked) token by the hash of its secret. */
  byHash(hash: string): Promise<ApiToken | undefined>;
  list(collectiveId: string): Promise<ApiToken[]>;
  revoke(collectiveId: string, id: string, now: string): Promise<boolean>;
  touch(id: string, now: string): Promise<void>;
}

export interface StatusListRepository {
  /**
   * A random free index on the collective's newest list of that purpose with room (a new list when
   * it is full by the policy); held in this process until released, so concurrent issuances differ.
   */
  reserve(collectiveId: string, purpose: StatusPurpose, now: string, policy: StatusListPolicy): Promise<StatusReservation>;
  byId(id: string): Promise<StatusList | undefined>;
  byNumber(collectiveId: string, number: number): Promise<StatusList | undefined>;
  saveSigned(id: string, signedJson: string): Promise<void>;
  /** Drops the signed copies of a collective's lists, so they are signed again with its current key. */
  dropSigned(collectiveId: string): Promise<void>;
}

export interface JobRepository {
  create(job: JobRecord): Promise<void>;
  update(job: JobRecord): Promise<void>;
  byId(collectiveId: string, id: string): Promise<JobRecord | undefined>;
  /** Running jobs that have not reported since `staleBefore` (their process died) are marked interrupted. */
  interruptStale(staleBefore: string): Promise<number>;
  /**
   * Takes an interrupted job (or a running one silent since `staleBefore`) back to running;
   * false when another request or instance took it first.
   */
  resume(collectiveId: string, id: string, now: string, staleBefore: string): Promise<boolean>;
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

export interface Store {
  accounts: AccountRepository;
  sessions: SessionRepository;
  tokens: TokenRepository;
  collectives: CollectiveRepository;
  achievements: AchievementRepository;
  ateliers: AtelierRepository;
  credentials: CredentialRepository;
  statusLists: StatusListRepository;
  jobs: JobRepository;
  apiTokens: ApiTokenRepository;
  claimLinks: ClaimLinkRepository;
  wallet: WalletRepository;
  mail: MailRepository;
  learnerLinks: LearnerLinkRepository;
  settings: SettingRepository;
  rateLimits: RateLimitRepository;
  invitations: InvitationRepository;
  /** Which database: `sqlite` (a file under DATA_DIR) or `postgres` (DATABASE_URL). */
  readonly kind: 'sqlite' | 'postgres';
  /** A consistent copy of the whole database in `file`, taken while the app keeps running. */
  snapshot(file: string): Promise<void>;
  close(): Promise<void>;
}
