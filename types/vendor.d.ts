// Minimal typings for untyped dependencies: only what Badgeons calls.

declare module '@digitalbazaar/vc' {
  export function issue(options: {
    credential: object;
    suite: unknown;
    documentLoader: (url: string) => Promise<unknown>;
    now?: Date;
  }): Promise<Record<string, unknown>>;
  export function verifyCredential(options: {
    credential: object;
    suite: unknown;
    documentLoader: (url: string) => Promise<unknown>;
    checkStatus?: (options: unknown) => Promise<{ verified: boolean }>;
    now?: Date;
  }): Promise<{ verified: boolean; error?: unknown; results?: unknown[] }>;
}

declare module '@digitalbazaar/data-integrity' {
  export class DataIntegrityProof {
    constructor(options: { signer?: Signer; cryptosuite: Cryptosuite; date?: string | Date });
  }
  export interface Signer {
    id: string;
    algorithm: string;
    sign(options: { data: Uint8Array }): Promise<Uint8Array>;
  }
  export interface Cryptosuite {
    name: string;
    requiredAlgorithm: string;
    canonize(input: unknown, options: unknown): Promise<string>;
    createVerifier(options: { verificationMethod: Record<string, unknown> }): Promise<{
      algorithm: string;
      id?: string;
      verify(options: { data: Uint8Array; signature: Uint8Array }): Promise<boolean>;
    }>;
  }
}

declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  import type { Cryptosuite } from '@digitalbazaar/data-integrity';
  export const cryptosuite: Cryptosuite;
}

declare module '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite' {
  import type { Cryptosuite } from '@digitalbazaar/data-integrity';
  export const cryptosuite: Cryptosuite;
}

declare module '@digitalbazaar/eddsa-jcs-2022-cryptosuite' {
  import type { Cryptosuite } from '@digitalbazaar/data-integrity';
  export function createVerifyCryptosuite(): Cryptosuite;
  export function createSignCryptosuite(): Cryptosuite;
}

declare module '@digitalbazaar/ecdsa-multikey' {
  export function generate(options: { curve: 'P-256' | 'P-384'; id?: string; controller?: string }): Promise<{
    id: string; controller: string; publicKeyMultibase: string;
    signer(): { id: string; algorithm: string; sign(options: { data: Uint8Array }): Promise<Uint8Array> };
    export(options: { publicKey: boolean; includeContext?: boolean }): Promise<Record<string, unknown>>;
  }>;
}

declare module '@digitalbazaar/ed25519-signature-2020' {
  export class Ed25519Signature2020 {
    constructor(options?: object);
  }
}

declare module 'jsonld-signatures' {
  const jsigs: {
    sign(document: object, options: { suite: unknown; purpose: unknown; documentLoader: (url: string) => Promise<unknown> }): Promise<object>;
    verify(
      document: object,
      options: { suite: unknown[]; purpose: unknown; documentLoader: (url: string) => Promise<unknown> },
    ): Promise<{ verified: boolean; error?: unknown; results?: { verified: boolean; error?: unknown }[] }>;
    purposes: { AssertionProofPurpose: new (options?: object) => unknown };
  };
  export default jsigs;
}

declare module 'jsonld' {
  const jsonld: {
    canonize(input: unknown, options: Record<string, unknown>): Promise<string>;
    expand(input: unknown, options: Record<string, unknown>): Promise<unknown[]>;
  };
  export default jsonld;
}

declare module 'base58-universal' {
  export function encode(input: Uint8Array): string;
  export function decode(input: string): Uint8Array;
}

declare module '@digitalbazaar/ed25519-multikey' {
  export function from(key: object): Promise<{ id?: string; publicKey: Uint8Array }>;
}

declare module 'jsdom' {
  /**
   * Only the window DOMPurify runs in, and the link elements the verifier reads from a badge's web page
   * (the package ships no types; @types/jsdom would pull the DOM lib in).
   */
  export class JSDOM {
    constructor(html?: string, options?: { url?: string });
    readonly window: { document: { querySelectorAll(selector: string): Iterable<{ getAttribute(name: string): string | null }> } };
  }
}

declare module '@digitalbazaar/oid4-client' {
  /** Only what the tests drive (test/helpers/wallet-clients.ts); the package ships no types. */
  export function getCredentialOffer(options: { url: string; agent?: unknown }): Promise<Record<string, unknown>>;
  export class OID4Client {
    static fromCredentialOffer(options: { offer: Record<string, unknown>; agent?: unknown; supportedFormats?: string[] }): Promise<OID4Client>;
    requestCredential(options: {
      did: string; agent?: unknown; format?: string;
      didProofSigner: { id: string; algorithm: string; sign(o: { data: Uint8Array }): Promise<Uint8Array> };
    }): Promise<unknown>;
  }
}
