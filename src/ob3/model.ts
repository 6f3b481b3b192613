// Types of the Open Badges 3.0 data model (OB 3.0 App. B) and of the verifier's report.
// The only place in src/ that describes these shapes; everything else imports from here.

export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const VC_V1_CONTEXT = 'https://www.w3.org/2018/credentials/v1';
export const OB_V3_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const OB_V3_CONTEXT_PREFIX = 'https://purl.imsglobal.org/spec/ob/v3p0/context';
export const OB_ACHIEVEMENT_CREDENTIAL_SCHEMA =
  'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';
export const OB_SCHEMA_VALIDATOR_TYPE = '1EdTechJsonSchemaValidator2019';

export type JsonObject = { [key: string]: unknown };
export type OneOrMany<T> = T | T[];
/** Strings in OB 3.0 may be a plain string or a language map ({"fr": "…", "en": "…"}). */
export type LangString = string | Record<string, string>;

/** OB 3.0 AchievementType enumeration, plus `ext:` extensions (B.2.1). */
export type AchievementType =
  | 'Achievement' | 'ApprenticeshipCertificate' | 'Assessment' | 'Assignment'
  | 'AssociateDegree' | 'Award' | 'Badge' | 'BachelorDegree' | 'Certificate'
  | 'CertificateOfCompletion' | 'Certification' | 'CommunityService' | 'Competency'
  | 'Course' | 'CoCurricular' | 'Degree' | 'Diploma' | 'DoctoralDegree' | 'Fieldwork'
  | 'GeneralEducationDevelopment' | 'JourneymanCertificate' | 'LearningProgram' | 'License'
  | 'Membership' | 'ProfessionalDoctorate' | 'QualityAssuranceCredential'
  | 'MasterCertificate' | 'MasterDegree' | 'MicroCredential' | 'ResearchDoctorate'
  | 'SecondarySchoolDiploma' | `ext:${string}`;

export interface Image {
  id: string;
  type: 'Image';
  /** Alternative text for the picture, shown to screen readers. */
  caption?: LangString;
}

export interface Criteria {
  id?: string;
  /** Markdown. */
  narrative?: LangString;
}

export interface Alignment {
  type: OneOrMany<string>; // includes 'Alignment'
  targetName: LangString;
  targetUrl: string;
  targetDescription?: LangString;
  targetCode?: string;
  targetFramework?: LangString;
  targetType?: string;
}

export interface Profile {
  id: string;
  type: OneOrMany<string>; // includes 'Profile'
  name?: LangString;
  url?: string;
  email?: string;
  description?: LangString;
  image?: Image;
  endorsement?: JsonObject[];
  [extra: string]: unknown;
}

export interface Achievement {
  id: string;
  type: OneOrMany<string>; // includes 'Achievement'
  name: LangString;
  description: LangString;
  criteria: Criteria;
  achievementType?: AchievementType;
  image?: Image;
  tag?: string[];
  alignment?: Alignment[];
  inLanguage?: string;
  version?: string;
  creator?: Profile;
  endorsement?: JsonObject[];
  [extra: string]: unknown;
}

export interface IdentityObject {
  type: 'IdentityObject';
  hashed: boolean;
  /** `sha256$<hex>` (or `md5$<hex>`) when hashed, the plain identifier otherwise. */
  identityHash: string;
  identityType: string; // IdentifierTypeEnum, e.g. 'emailAddress', or ext:…
  salt?: string;
}

export interface Evidence {
  id?: string;
  type: OneOrMany<string>; // includes 'Evidence'
  name?: LangString;
  description?: LangString;
  narrative?: LangString;
  genre?: string;
  audience?: string;
}

export interface AchievementSubject {
  id?: string;
  type: OneOrMany<string>; // includes 'AchievementSubject'
  achievement: Achievement;
  identifier?: IdentityObject[];
  name?: string;
  narrative?: LangString;
  [extra: string]: unknown;
}

export interface CredentialStatus {
  id?: string;
  type: string;
  statusPurpose?: string;
  statusListIndex?: string;
  statusListCredential?: string;
  [extra: string]: unknown;
}

export interface CredentialSchema {
  id: string;
  type: string;
}

export interface Proof {
  type: string;
  cryptosuite?: string;
  created?: string;
  verificationMethod: string;
  proofPurpose: string;
  proofValue?: string;
  [extra: string]: unknown;
}

export interface OpenBadgeCredential {
  '@context': (string | JsonObject)[];
  id: string;
  type: OneOrMany<string>;
  issuer: Profile | string;
  validFrom?: string;
  validUntil?: string;
  /** VC 1.1 form, still accepted on verification. */
  issuanceDate?: string;
  expirationDate?: string;
  awardedDate?: string;
  name?: LangString;
  description?: LangString;
  image?: Image;
  credentialSubject: AchievementSubject;
  evidence?: Evidence[];
  credentialSchema?: OneOrMany<CredentialSchema>;
  credentialStatus?: OneOrMany<CredentialStatus>;
  endorsement?: JsonObject[];
  endorsementJwt?: string[];
  proof?: OneOrMany<Proof>;
  [extra: string]: unknown;
}

/** A DID document or other controller document, as far as we read it. */
export interface VerificationMethod {
  id: string;
  type: string;
  controller: string;
  publicKeyMultibase?: string;
  publicKeyJwk?: JsonObject;
  [extra: string]: unknown;
}

export interface ControllerDocument {
  '@context'?: unknown;
  id: string;
  verificationMethod?: VerificationMethod[];
  assertionMethod?: (string | VerificationMethod)[];
  authentication?: (string | VerificationMethod)[];
  [extra: string]: unknown;
}

// ---- The verifier's report ----

export const CHECK_IDS = [
  'format', 'type', 'schema', 'proof', 'provenance', 'status', 'validity', 'recipient', 'endorsements',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface Check {
  id: CheckId;
  status: CheckStatus;
  /** Stable, for software to act on (e.g. `STATUS_REVOKED`, `PROOF_INVALID`); the message is for people. */
  code: string;
  message: string;
}

export type Verdict =
  | 'valid' | 'invalid' | 'expired' | 'not-yet-valid' | 'revoked' | 'suspended'
  | 'unverifiable' | 'unsupported';

export interface VerificationReport {
  verified: boolean;
  verdict: Verdict;
  checks: Check[];
  /**
   * The credential as read, null when it could not be read. Present even when the proof failed:
   * a page must not show the content of a credential that is not `verified`.
   */
  credential: OpenBadgeCredential | null;
  /** '2.0' for an Open Badges 2.0 assertion (then `credential` is the assertion, its BadgeClass and Issuer embedded). */
  openBadgesVersion?: '2.0';
  /** Each embedded endorsement as a person reads it: who, since when, what they said, whether it still stands. */
  endorsements?: EndorsementSummary[];
}

export interface EndorsementSummary {
  /** Where it sits: the badge itself, its Achievement, or its issuer's Profile. */
  on: 'credential' | 'achievement' | 'issuer';
  endorser: { id: string; name?: string };
  comment?: string;
  validFrom?: string;
  /** The endorsement's own verdict: `valid`, `revoked` (withdrawn by its endorser), `invalid`… */
  verdict: Verdict;
  /** Why it does not stand, when it does not. */
  reason?: string;
}

export type Lang = 'fr' | 'en';

/** What a proof check found: the key that signed, or why nothing could be verified. */
export type ProofOutcome =
  | {
    ok: true;
    /** e.g. `DataIntegrityProof/eddsa-rdfc-2022`, `VC-JWT/EdDSA`. */
    kind: string;
    methodId: string;
    /** Who controls the key, when a controller document says so (not for a bare `jwk` header). */
    controllerId?: string;
    /** A JWT verified without its `nbf` claim (tolerated: the spec's own examples lack it). */
    missingNbf?: boolean;
    /**
       * A registered JWT claim that disagrees with the credential it wraps (§8.2.6). Both are under the
       * issuer's signature, so this is the issuer's conformance defect, not a forgery: a warning, and
       * the credential's own dates are the ones checked.
       */
    claimMismatch?: { claim: string; expected: string };
  }
  | {
    ok: false;
    /** No key could be obtained (network, unknown DID method…), as opposed to a bad signature. */
    unreachable: boolean;
    error: import('./errors.js').Ob3Error;
  };
