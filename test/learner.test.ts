// What a learner does with her badge, over real HTTP: put it in a wallet (OpenID4VCI, driven by a
// third-party client library), choose what the public page shows, erase her data.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { clearDocumentCache } from '../src/ob3/documents.js';
import { WebClient, startTestApp, type TestApp } from './helpers/app.js';
import { runCli } from './helpers/cli.js';
import { TestWallet, claimableBadge, walletOffer } from './helpers/wallet.js';

const cli = runCli;

describe('learners: wallets, public display, erasure', function () {
  this.timeout(60_000);
  let app: TestApp;
  before(async () => {
    clearDocumentCache();
    app = await startTestApp();
  });
  after(() => app.close());

  for (const [kind, configuration] of [['did:key', 'OpenBadgeCredential_ldp_vc'], ['jwk', 'OpenBadgeCredential_jwt_vc_json']] as const) {
    it(`a wallet (${kind}) receives the badge as ${configuration.replace('OpenBadgeCredential_', '')}, bound to its DID; badgeons verify says valid`, async () => {
      const badge = await claimableBadge(app);
      expect(badge.pin).to.match(/^\d{6}$/);
      const offerLink = await walletOffer(badge.claimUrl);
      expect(offerLink).to.match(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
      const wallet = await TestWallet.create(kind);
      const { credential, offer } = await wallet.receive(offerLink, configuration, badge.pin);
      expect(offer.credential_configuration_ids).to.include(configuration);
      const document = configuration.endsWith('ldp_vc') ? credential as Record<string, any> : decodeJwt(credential as string) as Record<string, any>;
      expect(document.id).to.equal(badge.url);
      expect(document.credentialSubject.id).to.equal(wallet.did);
      expect(document.credentialSubject.achievement.name).to.be.a('string');
      if (configuration.endsWith('ldp_vc')) expect(document.proof.cryptosuite).to.equal('eddsa-rdfc-2022');
      else expect(decodeJwt(credential as string).sub).to.equal(wallet.did);

      const file = path.join(app.dir, `wallet-${kind}.${configuration.endsWith('ldp_vc') ? 'json' : 'jwt'}`);
      writeFileSync(file, typeof credential === 'string' ? credential : JSON.stringify(credential));
      const report = await cli(['verify', file, '--json']);
      expect(report.code, report.stdout).to.equal(0);
      const parsed = JSON.parse(report.stdout);
      expect(parsed.verdict).to.equal('valid');
      expect(parsed.credential.credentialSubject.id).to.equal(wallet.did);
      expect(await app.ctx.store.wallet.deliveries(badge.id)).to.have.length(1);

      // The offer was used: the same link, and the same code, do not work twice.
      const again = await TestWallet.create(kind);
      let error: unknown;
      try { await again.receive(offerLink, configuration, badge.pin); } catch (e) { error = e; }
      expect(String(error)).to.match(/unknown, used or expired|404/);
    });
  }

  it('refuses a wrong PIN (five times at most), a missing proof, a proof for another audience or a replayed nonce', async () => {
    const badge = await claimableBadge(app);
    const base = app.url;
    const offerLink = await walletOffer(badge.claimUrl);
    const offerUri = decodeURIComponent(offerLink.split('credential_offer_uri=')[1]!);
    const offer = await fetch(offerUri).then((r) => r.json()) as any;
    const code = offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']['pre-authorized_code'];
    expect(offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'].tx_code).to.include({ input_mode: 'numeric', length: 6 });
    const token = (fields: Record<string, string>) => fetch(`${base}/oid4vci/token`, {
      method: 'POST', body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code, ...fields }),
    });
    const noPin = await token({});
    expect(noPin.status).to.equal(400);
    expect((await noPin.json() as any).error).to.equal('invalid_request');
    const wrong = badge.pin === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++) expect((await (await token({ tx_code: wrong })).json() as any).error).to.equal('invalid_grant');
    const locked = await token({ tx_code: badge.pin! });
    expect(locked.status, 'after five wrong codes the offer is dead').to.equal(400);

    // A fresh offer: token, then credential requests that must fail.
    const second = decodeURIComponent((await walletOffer(badge.claimUrl)).split('credential_offer_uri=')[1]!);
    const code2 = ((await fetch(second).then((r) => r.json())) as any).grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']['pre-authorized_code'];
    const granted = await fetch(`${base}/oid4vci/token`, {
      method: 'POST', body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code2, tx_code: badge.pin! }),
    }).then((r) => r.json()) as any;
    // RFC 6749: case-insensitive; lower case is what Digital Bazaar's client compares with. The scheme is read in any case.
    expect(granted).to.include({ token_type: 'bearer' });
    const ask = (body: unknown, auth = `Bearer ${granted.access_token}`) => fetch(`${base}/oid4vci/credential`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify(body),
    });
    const noToken = await ask({}, 'Bearer nope');
    expect(noToken.status).to.equal(401);
    expect(noToken.headers.get('www-authenticate')).to.include('invalid_token');
    expect((await (await ask({ credential_configuration_id: 'Diploma' })).json() as any).error).to.equal('unknown_credential_configuration');
    // Without any proof: refused, with a nonce to prove with (draft 13's way to start).
    const unproved = await (await ask({ credential_configuration_id: 'OpenBadgeCredential_ldp_vc' })).json() as any;
    expect(unproved.error).to.equal('invalid_proof');
    expect(unproved.c_nonce).to.match(/^[\w-]{43}$/);

    const wallet = await TestWallet.create('did:key');
    const nonce = ((await fetch(`${base}/oid4vci/nonce`, { method: 'POST' }).then((r) => r.json())) as any).c_nonce as string;
    const proof = (aud: string, n: string) => wallet.proof(aud, n);
    const elsewhere = await ask({ credential_configuration_id: 'OpenBadgeCredential_ldp_vc', proofs: { jwt: [await proof('https://other.example', nonce)] } });
    expect((await elsewhere.json() as any).error).to.equal('invalid_proof');
    const good = await ask({ credential_configuration_id: 'OpenBadgeCredential_ldp_vc', proofs: { jwt: [await proof(base, nonce)] } });
    expect(good.status).to.equal(200);
    const replay = await ask({ credential_configuration_id: 'OpenBadgeCredential_ldp_vc', proofs: { jwt: [await proof(base, nonce)] } });
    expect((await replay.json() as any).error).to.equal('invalid_nonce');
    // Draft 15's single `proof` object (Sphereon's wallets) is read as one proofs.jwt entry, checked the same; both at once is refused.
    const nonce2 = ((await fetch(`${base}/oid4vci/nonce`, { method: 'POST' }).then((r) => r.json())) as any).c_nonce as string;
    const both = await ask({ credential_configuration_id: 'OpenBadgeCredential_ldp_vc', proof: { proof_type: 'jwt', jwt: await proof(base, nonce2) }, proofs: { jwt: [await proof(base, nonce2)] } });
    expect((await both.json() as any).error).to.equal('invalid_request');
    const draft15 = await ask({ credential_configuration_id: 'OpenBadgeCredential_ldp_vc', proof: { proof_type: 'jwt', jwt: await proof(base, nonce2) } });
    expect(draft15.status, JSON.stringify(await draft15.clone().json())).to.equal(200);
    const draft15Replay = await ask({ credential_configuration_id: 'OpenBadgeCredential_ldp_vc', proof: { proof_type: 'jwt', jwt: await proof(base, nonce2) } });
    expect((await draft15Replay.json() as any).error, 'the nonce is still used once').to.equal('invalid_nonce');
    // Drafts 13–14 ask by format and credential_definition: mapped to our one configuration of that format.
    const nonce3 = ((await fetch(`${base}/oid4vci/nonce`, { method: 'POST' }).then((r) => r.json())) as any).c_nonce as string;
    const byFormat = await ask({ format: 'jwt_vc_json', credential_definition: { type: ['VerifiableCredential', 'OpenBadgeCredential'] }, proofs: { jwt: [await proof(base, nonce3)] } });
    expect(byFormat.status).to.equal(200);
    expect(typeof ((await byFormat.json()) as any).credentials[0].credential, 'the JWT form').to.equal('string');
    const unknownType = await ask({ format: 'jwt_vc_json', credential_definition: { type: ['VerifiableCredential', 'Diploma'] }, proofs: { jwt: [await proof(base, nonce3)] } });
    expect((await unknownType.json() as any).error).to.equal('invalid_credential_request');
    // Draft 13's proof (no typ, no iat: nbf–exp) passes only in a draft-13 request, short-lived, with our nonce used once.
    const draft13 = { format: 'ldp_vc', credential_definition: { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential', 'OpenBadgeCredential'] } };
    const nonce4 = ((await fetch(`${base}/oid4vci/nonce`, { method: 'POST' }).then((r) => r.json())) as any).c_nonce as string;
    const untypedIn10 = await ask({ credential_configuration_id: 'OpenBadgeCredential_ldp_vc', proofs: { jwt: [await wallet.proof(base, nonce4, { lifetimeSeconds: 300 })] } });
    expect((await untypedIn10.json() as any).error, 'no typ in a 1.0 request').to.equal('invalid_proof');
    const longLived = await ask({ ...draft13, proof: { proof_type: 'jwt', jwt: await wallet.proof(base, nonce4, { lifetimeSeconds: 3600 }) } });
    expect((await longLived.json() as any).error, 'an hour-long proof').to.equal('invalid_proof');
    const notOurs = await ask({ ...draft13, proof: { proof_type: 'jwt', jwt: await wallet.proof(base, 'a'.repeat(43), { lifetimeSeconds: 300 }) } });
    expect((await notOurs.json() as any).error, 'a nonce we never issued').to.equal('invalid_nonce');
    const elsewhere13 = await ask({ ...draft13, proof: { proof_type: 'jwt', jwt: await wallet.proof('https://other.example', nonce4, { lifetimeSeconds: 300 }) } });
    expect((await elsewhere13.json() as any).error, 'another audience').to.equal('invalid_proof');
    const accepted13 = await ask({ ...draft13, proof: { proof_type: 'jwt', jwt: await wallet.proof(base, nonce4, { lifetimeSeconds: 300 }) } });
    expect(accepted13.status, JSON.stringify(await accepted13.clone().json())).to.equal(200);
    const replay13 = await ask({ ...draft13, proof: { proof_type: 'jwt', jwt: await wallet.proof(base, nonce4, { lifetimeSeconds: 300 }) } });
    expect((await replay13.json() as any).error).to.equal('invalid_nonce');
    const lowerCase = await ask({ credential_configuration_id: 'Diploma' }, `bearer ${granted.access_token}`);
    expect((await lowerCase.json() as any).error, 'the token read with a lower-case scheme').to.equal('unknown_credential_configuration');
    const malformed = await fetch(`${base}/oid4vci/credential`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${granted.access_token}` }, body: '{"oops' });
    expect(malformed.status).to.equal(400);
    expect((await malformed.json() as any).error).to.equal('invalid_request');
  });

  it('the learner chooses initials or no public page: files close, her own links keep working, verification by URL follows', async () => {
    const badge = await claimableBadge(app);
    const learner = new WebClient(badge.claimUrl);
    const claimPath = new URL(badge.claimUrl).pathname;
    const page = await learner.get(claimPath);
    expect(page.text).to.include('Camille Exemple').and.include('C. E.');
    expect((await fetch(badge.url).then((r) => r.text()))).to.include('Délivré à Camille Exemple');

    const saved = await learner.follow(await learner.post(`${claimPath}/display`, { display: 'initials' }));
    expect(saved.text).to.include('C’est enregistré.');
    const publicPage = await fetch(badge.url).then((r) => r.text());
    expect(publicPage).to.include('Délivré à C. E.').and.not.include('Camille');
    expect(publicPage).to.include('id="files-private"');
    for (const form of ['.json', '.png', '.jwt', '.svg']) expect((await fetch(badge.url + form)).status, form).to.equal(404);
    expect((await fetch(badge.url, { headers: { accept: 'application/ld+json' } })).status).to.equal(404);
    // Her files still come from her link, and verify.
    const own = await learner.get(`${claimPath}/badge.json`);
    expect(JSON.parse(own.text).credentialSubject.name).to.equal('Camille Exemple');
    // The Vérifier button (by URL) still verifies, showing initials.
    const verified = await fetch(`${app.url}/verify?url=${encodeURIComponent(badge.url)}`).then((r) => r.text());
    expect(verified).to.include('Badge authentique et valable.').and.include('C. E.').and.not.include('Camille');
    const api = await fetch(`${app.url}/api/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: badge.url }) }).then((r) => r.json()) as any;
    expect(api.verdict).to.equal('valid');
    expect(api.credential.credentialSubject.name).to.equal('C. E.');

    await learner.post(`${claimPath}/display`, { display: 'hidden' });
    const hidden = await fetch(badge.url);
    expect(hidden.status).to.equal(404);
    expect(await hidden.text()).to.include('a choisi de ne pas le publier');
    const byUrl = await fetch(`${app.url}/verify?url=${encodeURIComponent(badge.url)}`).then((r) => r.text());
    expect(byUrl).to.include('a choisi de ne pas le publier');
    // The file she hands over still verifies.
    const json = (await learner.get(`${claimPath}/badge.json`)).text;
    const report = await fetch(`${app.url}/api/v1/verify`, { method: 'POST', body: json }).then((r) => r.json()) as any;
    expect(report.verdict).to.equal('valid');
    expect((await learner.get(claimPath)).text).to.include('il n’a pas d’adresse publique').and.not.include('linkedin.com');
    expect((await learner.post(`${claimPath}/display`, { display: 'everything' })).status).to.equal(400);
    expect((await learner.post(`${claimPath}/display`, { display: 'name' }, { csrf: false })).status, 'CSRF').to.equal(403);
  });

  it('the learner erases her data from her badge page: at once, and what she downloaded still verifies', async () => {
    const badge = await claimableBadge(app);
    const learner = new WebClient(badge.claimUrl);
    const claimPath = new URL(badge.claimUrl).pathname;
    await learner.get(claimPath);
    const png = (await learner.get(`${claimPath}/badge.png`)).bytes;
    expect((await learner.post(`${claimPath}/erase`, {})).status, 'unconfirmed').to.equal(400);
    expect((await fetch(badge.url)).status).to.equal(200);
    const erased = await learner.post(`${claimPath}/erase`, { confirm: 'yes' });
    expect(erased.status).to.equal(200);
    expect(erased.text).to.include('Vos données sont effacées');
    const record = (await app.ctx.store.credentials.byId(badge.id))!;
    expect(record).to.include({ json: null, jwt: null, recipientName: '', participantId: null });
    expect((await fetch(badge.url)).status).to.equal(410);
    expect((await fetch(badge.claimUrl)).status, 'the claim link is gone').to.equal(410);
    const report = await fetch(`${app.url}/api/v1/verify`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: png }).then((r) => r.json()) as any;
    expect(report.verdict, 'the downloaded file still verifies').to.equal('valid');
  });
});
