// 1EdTech's displayer certification cases, recreated: a valid, an expired and a revoked badge,
// each in VC 2.0 and VC 1.1 form, from an issuer that is not this instance (a did:web on a
// DocumentServer, with a signed status list). The 1EdTech originals are not public.
import { buildCredential } from '../../src/ob3/build.js';
import { VC_V2_CONTEXT, type OpenBadgeCredential } from '../../src/ob3/model.js';
import { signDataIntegrity } from '../../src/ob3/proof/data-integrity.js';
import { encodeBitstring } from '../../src/ob3/status.js';
import { badgeInput, publishIssuer } from './issuer.js';
import type { DocumentServer } from './server.js';

const VC_V1_CONTEXT = 'https://www.w3.org/2018/credentials/v1';
const STATUS_2021_CONTEXT = 'https://w3id.org/vc/status-list/2021/v1';
const OB_CONTEXT_303 = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
const REVOKED_INDEX = 4242;

export type DisplayerCase = 'valid' | 'expired' | 'revoked';
export interface DisplayerBadge {
  name: string;
  vc: '2.0' | '1.1';
  expect: DisplayerCase;
  credential: OpenBadgeCredential;
  /** Where the DocumentServer serves it. */
  url: string;
}

export const DISPLAYER_ISSUER_NAME = 'Centre social de Foix';

export async function publishDisplayerCases(server: DocumentServer): Promise<DisplayerBadge[]> {
  const issuer = publishIssuer(server, 'foix');
  const sign = (c: OpenBadgeCredential) => signDataIntegrity(c, { key: issuer.key, verificationMethod: issuer.method });
  const profile = { id: issuer.did, type: ['Profile'], name: DISPLAYER_ISSUER_NAME, url: 'https://foix.example.org' };

  // The status lists, one per data model, with one badge revoked on each.
  const list2 = `${server.origin}/status/v2`;
  const list1 = `${server.origin}/status/v1`;
  server.json('/status/v2', await sign({
    '@context': [VC_V2_CONTEXT], id: list2, type: ['VerifiableCredential', 'BitstringStatusListCredential'], issuer: issuer.did,
    validFrom: '2026-01-01T00:00:00Z',
    credentialSubject: { id: `${list2}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: encodeBitstring(131072, [REVOKED_INDEX]) },
  } as unknown as OpenBadgeCredential));
  server.json('/status/v1', await sign({
    '@context': [VC_V1_CONTEXT, STATUS_2021_CONTEXT], id: list1, type: ['VerifiableCredential', 'StatusList2021Credential'], issuer: issuer.did,
    issuanceDate: '2026-01-01T00:00:00Z',
    credentialSubject: { id: `${list1}#list`, type: 'StatusList2021', statusPurpose: 'revocation', encodedList: encodeBitstring(131072, [REVOKED_INDEX]).slice(1) },
  } as unknown as OpenBadgeCredential));

  const cases: DisplayerBadge[] = [];
  const dates = { valid: {}, expired: { validUntil: '2026-03-01T00:00:00Z' }, revoked: {} } as const;
  for (const expect of ['valid', 'expired', 'revoked'] as const) {
    const index = expect === 'revoked' ? REVOKED_INDEX : 100 + cases.length;
    const name = `Accueillir le public (${expect})`;
    const base = buildCredential(badgeInput(issuer.did, {
      id: `${server.origin}/badges/${expect}-v2.json`,
      issuer: profile,
      achievement: { ...badgeInput(issuer.did).achievement, id: `${server.origin}/achievements/accueil`, name },
      ...dates[expect],
      credentialStatus: { id: `${list2}#${index}`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: String(index), statusListCredential: list2 },
    }));
    cases.push({ name, vc: '2.0', expect, credential: await sign(base), url: `${server.origin}/badges/${expect}-v2.json` });

    // The same badge in the VC 1.1 data model: issuanceDate/expirationDate, StatusList2021.
    const { validFrom, validUntil, credentialSchema: _schema, ...rest } = base;
    const v1 = {
      ...rest,
      '@context': [VC_V1_CONTEXT, OB_CONTEXT_303, STATUS_2021_CONTEXT],
      id: `${server.origin}/badges/${expect}-v1.json`,
      issuanceDate: validFrom,
      ...(validUntil ? { expirationDate: validUntil } : {}),
      credentialStatus: { id: `${list1}#${index}`, type: 'StatusList2021Entry', statusPurpose: 'revocation', statusListIndex: String(index), statusListCredential: list1 },
    } as OpenBadgeCredential;
    cases.push({ name, vc: '1.1', expect, credential: await sign(v1), url: `${server.origin}/badges/${expect}-v1.json` });
  }
  for (const c of cases) server.json(new URL(c.url).pathname, c.credential);
  return cases;
}
