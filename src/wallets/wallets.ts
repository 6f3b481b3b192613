// Putting a badge in a wallet with OpenID for Verifiable Credential Issuance 1.0, pre-authorized
// code flow. The claim page makes an offer; the wallet reads our metadata, exchanges the code
// (and the PIN printed on the card, when there is one) for a short token, proves it holds a key,
// and receives the badge bound to that key's DID (credentialSubject.id), as Data Integrity
// (`ldp_vc`) or VC-JWT (`jwt_vc_json`). Same credential id and status entry as the badge, so a
// revocation reaches the wallet's copy too.
import { createHash } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import { didJwkFor, publicJwkFromDid, type PublicJwk } from '../ob3/did.js';
import type { OpenBadgeCredential } from '../ob3/model.js';
import { OB_V3_CONTEXT, VC_V2_CONTEXT } from '../ob3/model.js';
import type { WalletFormat, WalletOffer } from '../store/index.js';
import type { Context } from '../shared/context.js';
import type { ClaimedBadge } from '../learners/claims.js';
import { findPublicCredential } from '../credentials/credentials.js';
import { signAsIssuer, signJwtAsIssuer } from '../collectives/issuers.js';
import { hashSecret, newSecret } from '../shared/secrets.js';

export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
const PROOF_TYPE = 'openid4vci-proof+jwt';
const PROOF_ALGS = ['EdDSA', 'Ed25519', 'ES256'];
const OFFER_MINUTES = 30;
const TOKEN_SECONDS = 600;
const NONCE_SECONDS = 300;
/** Wrong PINs before an offer stops working (a 6-digit PIN, guessed in 5 tries: 1 in 200,000). */
const MAX_FAILED_CODES = 5;
/** How far a proof's `iat` may be from our clock. */
const CLOCK_SKEW_SECONDS = 300;

/** The two ways we deliver a badge, by configuration id. */
export const CREDENTIAL_CONFIGURATIONS: Record<string, WalletFormat> = {
  OpenBadgeCredential_ldp_vc: 'ldp_vc',
  OpenBadgeCredential_jwt_vc_json: 'jwt_vc_json',
};

/** OAuth 2.0 / OpenID4VCI errors: a registered `error` code, said plainly in `description`. */
export class WalletError extends Error {
  constructor(readonly error: string, readonly description: string, readonly status = 400, readonly extra: Record<string, unknown> = {}) {
    super(description);
    this.name = 'WalletError';
  }
}

const endpoint = (ctx: Context, name: string) => `${ctx.config.publicUrl}/oid4vci/${name}`;

/** `/.well-known/openid-credential-issuer` (OpenID4VCI 1.0 §12.2). The issuer is also its own authorization server. */
export function credentialIssuerMetadata(ctx: Context): Record<string, unknown> {
  const common = {
    cryptographic_binding_methods_supported: ['did:key', 'did:jwk'],
    proof_types_supported: { jwt: { proof_signing_alg_values_supported: PROOF_ALGS } },
    credential_metadata: {
      display: [
        { name: 'Open Badge', locale: 'fr', description: 'Un badge numérique Open Badges 3.0' },
        { name: 'Open Badge', locale: 'en', description: 'An Open Badges 3.0 digital badge' },
      ],
    },
  };
  const type = ['VerifiableCredential', 'OpenBadgeCredential'];
  return {
    credential_issuer: ctx.config.publicUrl,
    // Not 1.0 members, ignored by 1.0 clients: Digital Bazaar's client (draft 13) reads the issuer
    // and its token endpoint here rather than from the authorization server's metadata.
    issuer: ctx.config.publicUrl,
    token_endpoint: endpoint(ctx, 'token'),
    credential_endpoint: endpoint(ctx, 'credential'),
    nonce_endpoint: endpoint(ctx, 'nonce'),
    display: [{ name: 'Badgeons', locale: 'fr' }, { name: 'Badgeons', locale: 'en' }],
    credential_configurations_supported: {
      OpenBadgeCredential_ldp_vc: {
        format: 'ldp_vc', ...common,
        credential_definition: { '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT], type },
        credential_signing_alg_values_supported: ['eddsa-rdfc-2022'],
      },
      OpenBadgeCredential_jwt_vc_json: {
        format: 'jwt_vc_json', ...common,
        credential_definition: { type },
        credential_signing_alg_values_supported: ['EdDSA'],
      },
    },
  };
}

/** `/.well-known/oauth-authorization-server` (RFC 8414): only the pre-authorized code grant, without client authentication. */
export function authorizationServerMetadata(ctx: Context): Record<string, unknown> {
  return {
    issuer: ctx.config.publicUrl,
    token_endpoint: endpoint(ctx, 'token'),
    grant_types_supported: [PRE_AUTHORIZED_GRANT],
    response_types_supported: [],
    token_endpoint_auth_methods_supported: ['none'],
    'pre-authorized_grant_anonymous_access_supported': true,
  };
}

/** The pre-authorized code follows from the offer's secret, so neither is stored in clear. */
const codeFor = (offerSecret: string) => createHash('sha256').update(`pre-authorized-code:${offerSecret}`).digest('base64url');

export interface MadeOffer {
  /** `openid-credential-offer://?credential_offer_uri=…`: what the QR code and the wallet link carry. */
  link: string;
  expiresAt: string;
  /** A PIN printed on the card will be asked. */
  pin: boolean;
}

/** A fresh offer for the badge a claim link opens, valid half an hour. */
export async function createOffer(ctx: Context, claimed: ClaimedBadge): Promise<MadeOffer> {
  const secret = newSecret();
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + OFFER_MINUTES * 60_000).toISOString();
  await ctx.store.wallet.createOffer({
    id: hashSecret(secret), credentialId: claimed.record.id, codeHash: hashSecret(codeFor(secret)),
    txCodeHash: claimed.link.txCodeHash, failedCodes: 0, createdAt: now.toISOString(), expiresAt, tokenHash: null, tokenExpiresAt: null,
  });
  const uri = endpoint(ctx, `offers/${secret}`);
  return { link: `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(uri)}`, expiresAt, pin: !!claimed.link.txCodeHash };
}

/** The credential offer object a `credential_offer_uri` points at (§4.1.1). */
export async function credentialOffer(ctx: Context, secret: string): Promise<Record<string, unknown>> {
  const offer = /^[A-Za-z0-9_-]{43}$/.test(secret) ? await ctx.store.wallet.offer(hashSecret(secret), ctx.now().toISOString()) : undefined;
  if (!offer) throw new WalletError('invalid_request', 'This offer is unknown, used or expired: open the claim link again.', 404);
  const grant: Record<string, unknown> = { 'pre-authorized_code': codeFor(secret) };
  if (offer.txCodeHash) {
    grant.tx_code = { input_mode: 'numeric', length: 6, description: 'Le code à 6 chiffres de votre carte ou de votre message / The 6-digit code on your card or in your message' };
  }
  return {
    credential_issuer: ctx.config.publicUrl,
    credential_configuration_ids: Object.keys(CREDENTIAL_CONFIGURATIONS),
    grants: { [PRE_AUTHORIZED_GRANT]: grant },
  };
}

/** Token endpoint (§6): the pre-authorized code, and the PIN when the offer has one, for a bearer token. */
export async function exchangeCode(ctx: Context, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (params.grant_type !== PRE_AUTHORIZED_GRANT) throw new WalletError('unsupported_grant_type', 'Only the pre-authorized code grant is supported.');
  const code = params['pre-authorized_code'];
  if (typeof code !== 'string' || !code) throw new WalletError('invalid_request', 'pre-authorized_code is missing.');
  const now = ctx.now();
  const offer = await ctx.store.wallet.offerByCode(hashSecret(code), now.toISOString());
  if (!offer || offer.failedCodes >= MAX_FAILED_CODES) throw new WalletError('invalid_grant', 'This code is unknown, used or expired: open the claim link again.');
  if (offer.txCodeHash) {
    const pin = params.tx_code;
    if (typeof pin !== 'string' || !pin) throw new WalletError('invalid_request', 'tx_code is missing: type the 6-digit code on your card.');
    if (hashSecret(pin.trim()) !== offer.txCodeHash) {
      await ctx.store.wallet.failCode(offer.id);
      throw new WalletError('invalid_grant', 'Wrong code.');
    }
  }
  const token = newSecret();
  const expires = new Date(now.getTime() + TOKEN_SECONDS * 1000).toISOString();
  if (!(await ctx.store.wallet.redeem(offer.id, hashSecret(token), expires))) {
    throw new WalletError('invalid_grant', 'This code was just used.');
  }
  // RFC 6749 §7.1: token types are case-insensitive; Digital Bazaar's client compares with "bearer".
  return { access_token: token, token_type: 'bearer', expires_in: TOKEN_SECONDS };
}

/** Nonce endpoint (§7): a one-time value the wallet's proof must carry. */
export async function issueNonce(ctx: Context): Promise<Record<string, unknown>> {
  const nonce = newSecret();
  const now = ctx.now();
  await ctx.store.wallet.addNonce(hashSecret(nonce), new Date(now.getTime() + NONCE_SECONDS * 1000).toISOString(), now.toISOString());
  return { c_nonce: nonce, c_nonce_expires_in: NONCE_SECONDS };
}

async function offerForToken(ctx: Context, authorization: string | undefined): Promise<WalletOffer> {
  // The scheme is case-insensitive (RFC 7235 §2.1): "bearer …", as the token type says, is fine.
  const token = /^Bearer ([A-Za-z0-9_-]{43})$/i.exec(authorization ?? '')?.[1];
  const offer = token && (await ctx.store.wallet.offerByToken(hashSecret(token), ctx.now().toISOString()));
  if (!offer) throw new WalletError('invalid_token', 'The access token is missing, unknown or expired.', 401);
  return offer;
}

/**
 * Checks a proof of possession (§8.2.1.1, App. F.1): a JWT typed `openid4vci-proof+jwt`, for us,
 * recent, with a nonce of ours used once, signed by the key its `kid` (a DID) or `jwk` names.
 * `draft13`: the request has draft 13's shape, and Digital Bazaar's client, which speaks it, signs
 * its proof without `typ` and dates it with `nbf`/`exp` instead of `iat`: accepted then — a `typ`,
 * if any, must still be ours, and the proof must still be short-lived and carry our nonce.
 * Returns the DID the badge is to be bound to.
 */
export async function checkProof(ctx: Context, jwt: unknown, { draft13 = false } = {}): Promise<string> {
  if (typeof jwt !== 'string') throw new WalletError('invalid_proof', 'A jwt proof is required.');
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwt);
  } catch {
    throw new WalletError('invalid_proof', 'The proof is not a JWT.');
  }
  if (header.typ !== PROOF_TYPE && !(draft13 && header.typ === undefined)) throw new WalletError('invalid_proof', `The proof's typ must be ${PROOF_TYPE}.`);
  if (!header.alg || !PROOF_ALGS.includes(header.alg)) throw new WalletError('invalid_proof', `Proof algorithms: ${PROOF_ALGS.join(', ')}.`);
  if (!!header.kid === !!header.jwk) throw new WalletError('invalid_proof', 'The proof names its key with kid (a DID URL) or jwk, one of them.');
  const { did, jwk } = proofKey(header);
  const payload = await verifiedProof(ctx, jwt, jwk, header.alg, draft13);
  if (typeof payload.nonce !== 'string' || !(await ctx.store.wallet.consumeNonce(hashSecret(payload.nonce), ctx.now().toISOString()))) {
    throw new WalletError('invalid_nonce', 'The nonce is missing, used or expired: ask the nonce endpoint for a new one.');
  }
  return did;
}

/** The DID a proof's key is bound as, and the key. */
function proofKey(header: ReturnType<typeof decodeProtectedHeader>): { did: string; jwk: PublicJwk } {
  try {
    if (header.kid) {
      if (!header.kid.startsWith('did:')) throw new Error('kid is not a DID URL');
      return { did: header.kid.split('#')[0]!, jwk: publicJwkFromDid(header.kid) };
    }
    const jwk = header.jwk as PublicJwk;
    if ('d' in jwk) throw new Error('a private key');
    return { did: didJwkFor(jwk), jwk };
  } catch {
    throw new WalletError('invalid_proof', 'The proof key is not a did:key, did:jwk or public JWK we can read.');
  }
}

/** Signature, audience and freshness: `iat` within five minutes, or (draft 13) `exp` at most ten minutes after `nbf`. */
async function verifiedProof(ctx: Context, jwt: string, jwk: PublicJwk, alg: string, draft13: boolean): Promise<{ nonce?: unknown }> {
  const now = ctx.now();
  try {
    const key = await importJWK(jwk as JWK, alg);
    const dated = !draft13 || decodeJwt(jwt).iat !== undefined;
    const { payload } = await jwtVerify(jwt, key, {
      audience: ctx.config.publicUrl, algorithms: PROOF_ALGS, currentDate: now, clockTolerance: CLOCK_SKEW_SECONDS,
      ...(dated ? { requiredClaims: ['iat'], maxTokenAge: CLOCK_SKEW_SECONDS } : { requiredClaims: ['exp'] }),
    });
    const from = payload.nbf ?? Math.floor(now.getTime() / 1000);
    if (!dated && payload.exp! - from > 2 * CLOCK_SKEW_SECONDS) throw new Error('a proof that lives too long');
    return payload as { nonce?: unknown };
  } catch {
    throw new WalletError('invalid_proof', 'The proof signature, audience or date (iat within five minutes, or a short nbf–exp) do not hold.');
  }
}

/**
 * Drafts 13–14 name what they want by `format` and `credential_definition.type` instead of a
 * configuration id: accepted when that matches exactly one of ours (one per format, for an
 * OpenBadgeCredential); anything else is left for the 1.0 error.
 */
function configurationForFormat(request: Record<string, unknown>): string | undefined {
  if (request.credential_configuration_id !== undefined || typeof request.format !== 'string') return undefined;
  const types = ([] as unknown[]).concat((request.credential_definition as { type?: unknown } | undefined)?.type ?? []);
  if (!types.includes('OpenBadgeCredential')) return undefined;
  const matches = Object.entries(CREDENTIAL_CONFIGURATIONS).filter(([, format]) => format === request.format).map(([id]) => id);
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * The proofs of a credential request: OpenID4VCI 1.0's `proofs.jwt`, or drafts 13–15's single
 * `proof` object (`proof_type: jwt`), which wallets still send (Sphereon, Animo, Digital Bazaar);
 * never both at once, which would be ambiguous. Either way the proof is checked the same (checkProof).
 */
function requestProofs(request: Record<string, unknown>): unknown[] {
  const proofs = request.proofs as { jwt?: unknown } | undefined;
  const single = request.proof as { proof_type?: unknown; jwt?: unknown } | undefined;
  if (proofs !== undefined && single !== undefined) throw new WalletError('invalid_request', 'Send proofs (OpenID4VCI 1.0) or proof (drafts 13–15), not both.');
  if (single !== undefined) return single && single.proof_type === 'jwt' ? [single.jwt] : [];
  return Array.isArray(proofs?.jwt) ? proofs.jwt : [];
}

/** Credential endpoint (§8): one badge per request, in the configuration asked for, bound to the proof's DID. */
export async function issueToWallet(ctx: Context, authorization: string | undefined, body: unknown): Promise<Record<string, unknown>> {
  const offer = await offerForToken(ctx, authorization);
  const request = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const configurationId = request.credential_configuration_id ?? configurationForFormat(request);
  if (typeof configurationId !== 'string') throw new WalletError('invalid_credential_request', 'credential_configuration_id is missing.');
  const format = CREDENTIAL_CONFIGURATIONS[configurationId];
  if (!format) throw new WalletError('unknown_credential_configuration', `Offered: ${Object.keys(CREDENTIAL_CONFIGURATIONS).join(', ')}.`);
  if (request.proof === undefined && request.proofs === undefined) {
    // Draft 13's way to start: a request without proof gets a nonce to prove with (Digital Bazaar's client relies on it).
    throw new WalletError('invalid_proof', 'A proof of possession is required: sign one with this c_nonce.', 400, await issueNonce(ctx));
  }
  const jwts = requestProofs(request);
  if (jwts.length !== 1) throw new WalletError('invalid_proof', 'Exactly one jwt proof is required (proofs.jwt).');
  const did = await checkProof(ctx, jwts[0], { draft13: typeof request.format === 'string' && request.proof !== undefined });

  const { record, collective } = await findPublicCredential(ctx, offer.credentialId);
  if (record.status === 'revoked') throw new WalletError('credential_request_denied', 'This badge was revoked.');
  const { proof: _proof, ...unsigned } = JSON.parse(record.json!) as OpenBadgeCredential;
  const bound = { ...unsigned, credentialSubject: { ...unsigned.credentialSubject, id: did } } as OpenBadgeCredential;
  const credential = format === 'ldp_vc' ? await signAsIssuer(ctx, collective, bound) : await signJwtAsIssuer(ctx, collective, bound);
  await ctx.store.wallet.deliver({ credentialId: record.id, subjectDid: did, format, deliveredAt: ctx.now().toISOString() });
  await ctx.store.credentials.recordPickup(record.id, 'wallet', ctx.now().toISOString());
  return { credentials: [{ credential }] };
}
