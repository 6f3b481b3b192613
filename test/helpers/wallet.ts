// A wallet for tests, driven by the OpenWallet Foundation's OpenID4VCI client (@openid4vc/openid4vci),
// not by our own code: it resolves the offer, reads our metadata, redeems the pre-authorized code
// (with the PIN), asks for a nonce, signs the proof of possession and receives the credential.
import { createHash, randomBytes } from 'node:crypto';
import { CompactSign, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import * as base58 from 'base58-universal';
import { Openid4vciClient, setGlobalConfig } from '@openid4vc/openid4vci';
import { clientAuthenticationAnonymous, HashAlgorithm, type JwtSigner } from '@openid4vc/oauth2';
import { operatorScope } from '../../src/collectives/collectives.js';
import { claimLinkFor } from '../../src/learners/claims.js';
import { fillDemo } from '../../src/operations/demo.js';
import { WebClient, type TestApp } from './app.js';

/** A fresh demo badge and its claim link (with a wallet PIN unless BADGEONS_WALLET_PIN=off). */
export async function claimableBadge(app: TestApp): Promise<{ id: string; url: string; claimUrl: string; pin: string | undefined }> {
  const demo = await fillDemo(app.ctx);
  const id = demo.url.split('/').pop()!;
  const { url: claimUrl, pin } = await claimLinkFor(app.ctx, operatorScope(demo.collective), id);
  return { id, url: demo.url, claimUrl, pin };
}

/** What a learner's browser does: open the claim link, press "Add to my wallet", read the offer link. */
export async function walletOffer(claimUrl: string): Promise<string> {
  const client = new WebClient(claimUrl);
  await client.get(claimUrl);
  const page = await client.post(`${new URL(claimUrl).pathname}/wallet`, {});
  if (page.status !== 200) throw new Error(`the wallet button answered ${page.status}`);
  return /id="wallet-link" href="([^"]+)"/.exec(page.text)![1]!.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
}

// Test servers listen on http://127.0.0.1.
setGlobalConfig({ allowInsecureUrls: true });

export type WalletKind = 'did:key' | 'jwk';

export class TestWallet {
  private constructor(readonly kind: WalletKind, private readonly privateKey: CryptoKey, readonly publicJwk: JWK, readonly did: string) {}

  /** An Ed25519 key named by its did:key, or a P-256 key sent as a `jwk` header (bound as did:jwk). */
  static async create(kind: WalletKind): Promise<TestWallet> {
    const alg = kind === 'did:key' ? 'EdDSA' : 'ES256';
    const { privateKey, publicKey } = await generateKeyPair(alg, { crv: kind === 'did:key' ? 'Ed25519' : 'P-256' });
    const publicJwk = await exportJWK(publicKey);
    const did = kind === 'did:key'
      ? `did:key:z${base58.encode(Buffer.concat([Buffer.from([0xed, 0x01]), Buffer.from(publicJwk.x!, 'base64url')]))}`
      : `did:jwk:${Buffer.from(JSON.stringify({ crv: publicJwk.crv, kty: publicJwk.kty, x: publicJwk.x, y: publicJwk.y })).toString('base64url')}`;
    return new TestWallet(kind, privateKey, publicJwk, did);
  }

  private client(): Openid4vciClient {
    return new Openid4vciClient({
      callbacks: {
        fetch,
        hash: (data, alg) => new Uint8Array(createHash(alg === HashAlgorithm.Sha256 ? 'sha256' : alg === HashAlgorithm.Sha384 ? 'sha384' : 'sha512').update(data).digest()),
        generateRandom: (n) => new Uint8Array(randomBytes(n)),
        clientAuthentication: clientAuthenticationAnonymous(),
        signJwt: async (_signer, { header, payload }) => {
          const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader(header as never).sign(this.privateKey);
          return { jwt, signerJwk: this.publicJwk as never };
        },
      },
    });
  }

  private signer(): JwtSigner {
    return this.kind === 'did:key'
      ? { method: 'did', didUrl: `${this.did}#${this.did.slice('did:key:'.length)}`, alg: 'EdDSA' }
      : { method: 'jwk', publicJwk: this.publicJwk as never, alg: 'ES256' };
  }

  /** A proof of possession made by hand, to test what the issuer refuses; `draft13`: as Digital Bazaar's client makes it (no typ, no iat, iss, nbf–exp). */
  async proof(audience: string, nonce: string, draft13?: { lifetimeSeconds: number }): Promise<string> {
    const key = this.kind === 'did:key' ? { kid: `${this.did}#${this.did.slice('did:key:'.length)}` } : { jwk: this.publicJwk };
    const header = { alg: this.kind === 'did:key' ? 'EdDSA' : 'ES256', ...(draft13 ? {} : { typ: 'openid4vci-proof+jwt' }), ...key };
    const now = Math.floor(Date.now() / 1000);
    const payload = draft13 ? { nonce, iss: this.did, aud: audience, nbf: now, exp: now + draft13.lifetimeSeconds } : { aud: audience, nonce, iat: now };
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader(header).sign(this.privateKey);
  }

  /** Follows an `openid-credential-offer://` link to the end; returns what the issuer sent. */
  async receive(offerLink: string, configurationId: string, pin?: string): Promise<{ credential: unknown; offer: Record<string, unknown> }> {
    const client = this.client();
    const offer = await client.resolveCredentialOffer(offerLink);
    const issuerMetadata = await client.resolveIssuerMetadata(offer.credential_issuer);
    const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
      credentialOffer: offer, issuerMetadata, ...(pin !== undefined ? { txCode: pin } : {}),
    });
    const { c_nonce: nonce } = await client.requestNonce({ issuerMetadata });
    const { jwt } = await client.createCredentialRequestJwtProof({
      issuerMetadata, credentialConfigurationId: configurationId, nonce, signer: this.signer(), issuedAt: new Date(),
    });
    const response = await client.retrieveCredentials({
      issuerMetadata, accessToken: accessTokenResponse.access_token, credentialConfigurationId: configurationId, proofs: { jwt: [jwt] },
    });
    const first = response.credentialResponse.credentials?.[0] as { credential?: unknown } | undefined;
    if (!first?.credential) throw new Error(`no credential: ${JSON.stringify(response.credentialResponse)}`);
    return { credential: first.credential, offer: offer as unknown as Record<string, unknown> };
  }
}
