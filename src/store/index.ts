// The persistence interface: the store is every feature's repositories together (each feature keeps
// its domain types, its repository interface and its SQL in <feature>/repository.ts), implemented
// once in SQL (sql/) over SQLite or PostgreSQL. Nothing here knows HTTP or Open Badges.
import type { Role, Account, Membership, Session, TokenPurpose, Token, Invitation, InvitationRepository, AccountRepository, SessionRepository, TokenRepository } from '../accounts/repository.js';
import type { Collective, ApiToken, CollectiveRepository, ApiTokenRepository } from '../collectives/repository.js';
import type { BadgeClass, AchievementVersion, AchievementRepository } from '../badge-classes/repository.js';
import type { Atelier, Participant, AtelierRepository } from '../ateliers/repository.js';
import type { StatusPurpose, CredentialState, StatusList, CredentialRecord, Pickup, PublicDisplay, CredentialRepository, IssuedBadge, IssuedBadgeFilter, NewCredential, SignedCredential, StatusListPolicy, StatusReservation, StatusListRepository } from '../credentials/repository.js';
import type { BatchRequest, BatchRecord, BatchRepository, PresentedBadgeRepository } from '../issuing/repository.js';
import type { ClaimLink, ClaimLinkRepository, LearnerLink, LearnerLinkRepository } from '../learners/repository.js';
import type { WalletOffer, WalletFormat, WalletDelivery, WalletRepository } from '../wallets/repository.js';
import type { MailRecord, MailRepository, RateLimitRepository, SettingRepository } from '../operations/repository.js';
import type { BadgeRequest, BadgeRequestRepository, RequestState } from '../requests/repository.js';
import type { ReportRepository } from '../reports/repository.js';
import type { Parcours, ParcoursRepository } from '../parcours/repository.js';
import type { Endorsement, EndorsementRepository, EndorsementSubjectKind, PartnerInvitation, PartnerInvitationRepository } from '../endorsements/repository.js';
export { PUBLIC_DISPLAYS } from '../credentials/repository.js';
export type {
  Role, Account, Membership, Session, TokenPurpose, Token, Invitation, InvitationRepository, AccountRepository, SessionRepository, TokenRepository, Collective, ApiToken, CollectiveRepository, ApiTokenRepository, BadgeClass, AchievementVersion, AchievementRepository, Atelier, Participant, AtelierRepository, StatusPurpose, CredentialState, StatusList, CredentialRecord, Pickup, PublicDisplay, CredentialRepository, IssuedBadge, IssuedBadgeFilter, NewCredential, SignedCredential, StatusListPolicy, StatusReservation, StatusListRepository, BatchRequest, BatchRecord, BatchRepository, ClaimLink, ClaimLinkRepository, LearnerLink, LearnerLinkRepository, WalletOffer, WalletFormat, WalletDelivery, WalletRepository, MailRecord, MailRepository, RateLimitRepository, SettingRepository,
  Endorsement, EndorsementRepository, EndorsementSubjectKind, PartnerInvitation, PartnerInvitationRepository, BadgeRequest, BadgeRequestRepository, RequestState, Parcours, ParcoursRepository,
};

export interface Store {
  accounts: AccountRepository;
  sessions: SessionRepository;
  tokens: TokenRepository;
  collectives: CollectiveRepository;
  achievements: AchievementRepository;
  ateliers: AtelierRepository;
  credentials: CredentialRepository;
  statusLists: StatusListRepository;
  batches: BatchRepository;
  apiTokens: ApiTokenRepository;
  claimLinks: ClaimLinkRepository;
  wallet: WalletRepository;
  mail: MailRepository;
  learnerLinks: LearnerLinkRepository;
  settings: SettingRepository;
  rateLimits: RateLimitRepository;
  invitations: InvitationRepository;
  endorsements: EndorsementRepository;
  partnerInvitations: PartnerInvitationRepository;
  badgeRequests: BadgeRequestRepository;
  reports: ReportRepository;
  parcours: ParcoursRepository;
  presented: PresentedBadgeRepository;
  /** Which database: `sqlite` (a file under DATA_DIR) or `postgres` (DATABASE_URL). */
  readonly kind: 'sqlite' | 'postgres';
  /** A consistent copy of the whole database in `file`, taken while the app keeps running. */
  snapshot(file: string): Promise<void>;
  close(): Promise<void>;
}
