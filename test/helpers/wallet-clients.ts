// The OpenID4VCI client libraries behind wallet apps people carry (issue 22), each driven as its
// wallet drives it through the pre-authorized flow — not by our code: Sphereon's (draft 15, Sphereon
// Wallet), Animo's (draft 14, older Credo / Paradym wallets) and Digital Bazaar's (draft 13, its
// wallets; it speaks https only, hence the local TLS front below). Each returns what the issuer sent.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer as createHttpsServer, Agent as HttpsAgent, type Server } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as base58 from 'base58-universal';
import { CompactSign } from 'jose';
import { generate } from 'selfsigned';
import { OpenID4VCIClientV1_0_15 } from '@sphereon/oid4vci-client';
import { Oid4vciClient, setGlobalConfig as setAnimoConfig } from '@animo-id/oid4vci';
import { clientAuthenticationNone } from '@animo-id/oauth2';
import { OID4Client, getCredentialOffer } from '@digitalbazaar/oid4-client';

export type Format = 'ldp_vc' | 'jwt_vc_json';
export const configurationFor = (format: Format): string => `OpenBadgeCredential_${format}`;

/** The wallet's key: Ed25519, named by its did:key. */
export class WalletKey {
  readonly did: string;
  readonly kid: string;
  private readonly privateKey: KeyObject;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const x = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    this.did = `did:key:z${base58.encode(Buffer.concat([Buffer.from([0xed, 0x01]), x]))}`;
    this.kid = `${this.did}#${this.did.slice('did:key:'.length)}`;
    this.privateKey = privateKey;
  }

  /** A compact JWS of `payload` under `header`, as the library built them. */
  signJwt(header: Record<string, unknown>, payload: Record<string, unknown>): Promise<string> {
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader(header as never).sign(this.privateKey);
  }

  signBytes(data: Uint8Array): Uint8Array {
    return new Uint8Array(sign(null, data, this.privateKey));
  }
}

/** Sphereon's client (OpenID4VCI draft 15), as Sphereon Wallet uses it. */
export async function receiveWithSphereon(offerLink: string, format: Format, key: WalletKey, pin?: string): Promise<unknown> {
  const client = await OpenID4VCIClientV1_0_15.fromURI({ uri: offerLink, kid: key.kid, alg: 'EdDSA', retrieveServerMetadata: true, resolveOfferUri: true });
  await client.acquireAccessToken(pin ? { pin } : {});
  const response = await client.acquireCredentials({
    credentialConfigurationId: configurationFor(format), format, kid: key.kid, alg: 'EdDSA',
    proofCallbacks: { signCallback: (args) => key.signJwt(args.header as Record<string, unknown>, args.payload as Record<string, unknown>) },
  });
  return (response.credentials as { credential: unknown }[] | undefined)?.[0]?.credential ?? (response as { credential?: unknown }).credential;
}

/** Animo's client (draft 14), as older Credo-based wallets (Paradym) use it: one `proof`, no batch. */
export async function receiveWithAnimo(offerLink: string, format: Format, key: WalletKey, pin?: string): Promise<unknown> {
  setAnimoConfig({ allowInsecureUrls: true });
  const client = new Oid4vciClient({
    callbacks: {
      fetch,
      hash: (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest()),
      generateRandom: (n: number) => new Uint8Array(randomBytes(n)),
      clientAuthentication: clientAuthenticationNone(),
      // This version wants the compact JWT itself back.
      signJwt: (_signer: unknown, { header, payload }: { header: Record<string, unknown>; payload: Record<string, unknown> }) => key.signJwt(header, payload),
      verifyJwt: async () => ({ verified: false }),
    } as never,
  });
  const credentialOffer = await client.resolveCredentialOffer(offerLink);
  const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
  const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, ...(pin ? { txCode: pin } : {}) });
  const { c_nonce: nonce } = await client.requestNonce({ issuerMetadata });
  const { jwt } = await client.createCredentialRequestJwtProof({
    issuerMetadata, credentialConfigurationId: configurationFor(format), nonce, issuedAt: new Date(),
    signer: { method: 'did', didUrl: key.kid, alg: 'EdDSA' },
  });
  const { credentialResponse } = await client.retrieveCredentials({
    issuerMetadata, accessToken: accessTokenResponse.access_token, credentialConfigurationId: configurationFor(format), proof: { proof_type: 'jwt', jwt },
  });
  return (credentialResponse as { credentials?: { credential: unknown }[]; credential?: unknown }).credentials?.[0]?.credential
    ?? (credentialResponse as { credential?: unknown }).credential;
}

/**
 * Digital Bazaar's client (draft 13): https only, no wallet code (it ignores `tx_code`); it asks
 * for the credential without a proof first and signs one with the nonce the refusal carries.
 */
export async function receiveWithDigitalBazaar(offerLink: string, format: Format, key: WalletKey, agent: HttpsAgent): Promise<unknown> {
  const offer = await getCredentialOffer({ url: offerLink, agent });
  const client = await OID4Client.fromCredentialOffer({ offer, agent, supportedFormats: [format] });
  const signer = { id: key.kid, algorithm: 'Ed25519', sign: async ({ data }: { data: Uint8Array }) => key.signBytes(data) };
  const result = await client.requestCredential({ did: key.did, didProofSigner: signer, agent, format }) as { credential?: unknown; credentials?: { credential: unknown }[] };
  return result.credential ?? result.credentials?.[0]?.credential;
}

export interface TlsFront {
  /** `https://localhost:<port>`: what PUBLIC_URL must say. */
  url: string;
  /** The certificate (PEM), for an https agent or NODE_EXTRA_CA_CERTS. */
  cert: string;
  /** Where requests go: the app's own http address. */
  target: string;
  close(): Promise<void>;
}

/** A local TLS front (a fresh self-signed certificate for localhost) passing every request to `target`. */
export async function startTlsFront(): Promise<TlsFront> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048, algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
  } as never);
  const front: TlsFront = { url: '', cert: pems.cert, target: '', close: () => new Promise((resolve) => server.close(() => resolve())) };
  const server: Server = createHttpsServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const upstream = httpRequest(`${front.target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => { res.statusCode = 502; res.end(); });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  front.url = `https://localhost:${(server.address() as AddressInfo).port}`;
  return front;
}
