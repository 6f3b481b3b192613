// Issue 22: the client libraries behind wallet apps people carry, pinned as dev dependencies, each
// running the whole pre-authorized flow against the started server in both formats; what each one
// received is then verified by `badgeons verify`, as anyone would. Sphereon's and Animo's run over
// plain http on loopback with the wallet code (PIN); Digital Bazaar's speaks https only and ignores
// the wallet code, so it runs behind a local TLS front, on an instance whose links have none.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { Agent as HttpsAgent, get as httpsGet } from 'node:https';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { startTestApp, type TestApp } from './helpers/app.js';
import { runCli } from './helpers/cli.js';
import { claimableBadge, walletOffer } from './helpers/wallet.js';
import {
  WalletKey, receiveWithAnimo, receiveWithDigitalBazaar, receiveWithSphereon, startTlsFront, type Format, type TlsFront,
} from './helpers/wallet-clients.js';

const FORMATS: Format[] = ['ldp_vc', 'jwt_vc_json'];

/** The issuer's DID document and the badge's status list, fetched over https through the front, as a `--documents` map. */
async function documentsThrough(front: TlsFront, agent: HttpsAgent, received: unknown, format: Format): Promise<Record<string, unknown>> {
  const credential = (format === 'ldp_vc' ? received : decodeJwt(received as string)) as { issuer: { id: string }; credentialStatus: { statusListCredential: string } };
  const get = (url: string) => new Promise<unknown>((resolve, reject) => {
    httpsGet(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => { body += chunk; }).on('end', () => resolve(JSON.parse(body)));
    }).on('error', reject);
  });
  const did = credential.issuer.id;
  const path = did.split(':').slice(3).join('/');
  return { [did]: await get(`${front.url}/${path}/did.json`), [credential.credentialStatus.statusListCredential]: await get(credential.credentialStatus.statusListCredential) };
}

/** What a wallet received: bound to its DID, our badge; `badgeons verify` says valid. */
async function expectVerifiable(app: TestApp, received: unknown, format: Format, key: WalletKey, badgeUrl: string, documents?: Record<string, unknown>) {
  expect(received, 'the library returned a credential').to.not.equal(undefined);
  const document = (format === 'ldp_vc' ? received : decodeJwt(received as string)) as { id: string; credentialSubject: { id: string } };
  expect(document.id).to.equal(badgeUrl);
  expect(document.credentialSubject.id).to.equal(key.did);
  const file = path.join(app.dir, `received-${Date.now()}.${format === 'ldp_vc' ? 'json' : 'jwt'}`);
  writeFileSync(file, typeof received === 'string' ? received : JSON.stringify(received));
  const args = ['verify', file, '--json'];
  if (documents) {
    // The CLI's map: {"URL or DID": "file beside the map"}.
    const map = Object.fromEntries(Object.entries(documents).map(([url, document], i) => {
      writeFileSync(`${file}.${i}.json`, JSON.stringify(document));
      return [url, `${path.basename(file)}.${i}.json`];
    }));
    writeFileSync(`${file}.documents.json`, JSON.stringify(map));
    args.push('--documents', `${file}.documents.json`);
  }
  const report = await runCli(args);
  expect(report.code, report.stdout + report.stderr).to.equal(0);
  expect(JSON.parse(report.stdout)).to.deep.include({ verdict: 'valid' });
  expect(await app.ctx.store.wallet.deliveries(document.id.split('/').pop()!)).to.have.length(1);
}

describe('wallet apps’ client libraries against the started server (issue 22)', function () {
  this.timeout(90_000);

  describe('over http, with the wallet code', () => {
    let app: TestApp;
    before(async () => { app = await startTestApp(); });
    after(() => app.close());

    for (const [name, receive] of [['@sphereon/oid4vci-client 0.20.1 (draft 15)', receiveWithSphereon], ['@animo-id/oid4vci 0.1.4 (draft 14)', receiveWithAnimo]] as const) {
      for (const format of FORMATS) {
        it(`${name} receives the badge as ${format}, bound to its DID; badgeons verify says valid`, async () => {
          const badge = await claimableBadge(app);
          const key = new WalletKey();
          const received = await receive(await walletOffer(badge.claimUrl), format, key, badge.pin);
          await expectVerifiable(app, received, format, key, badge.url);
        });
      }
    }
  });

  describe('over https (a local TLS front), links without a wallet code', () => {
    let app: TestApp;
    let front: TlsFront;
    let agent: HttpsAgent;
    before(async () => {
      front = await startTlsFront();
      app = await startTestApp({ PUBLIC_URL: front.url, BADGEONS_WALLET_PIN: 'off' });
      front.target = app.url;
      agent = new HttpsAgent({ ca: front.cert });
    });
    after(async () => { await app.close(); await front.close(); });

    for (const format of FORMATS) {
      it(`@digitalbazaar/oid4-client 5.10.0 (draft 13) receives the badge as ${format}; badgeons verify says valid`, async () => {
        const badge = await claimableBadge(app);
        const key = new WalletKey();
        // The learner's browser part goes straight to the app; the wallet library goes through the front.
        const received = await receiveWithDigitalBazaar(await walletOffer(badge.claimUrl.replace(front.url, app.url)), format, key, agent);
        // A did:web on localhost resolves over http (our convention for local work), which the front does
        // not speak: the issuer's documents are fetched through the front and given to the CLI, as a user would.
        await expectVerifiable(app, received, format, key, badge.url, await documentsThrough(front, agent, received, format));
      });
    }
  });
});
