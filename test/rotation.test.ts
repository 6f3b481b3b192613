// Keys over time: private keys sealed at rest with a passphrase, rotation from the admin page,
// a key declared compromised from a date through the CLI (what it signed since is revoked, what
// it signed before still verifies), and a server that will not start without the passphrase.
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { clearDocumentCache } from '../src/ob3/documents.js';
import { startServer } from '../src/server.js';
import { startTestApp, WebClient, type TestApp } from './helpers/app.js';
import { runCli } from './helpers/cli.js';
import { issueToEmail } from './helpers/learner.js';

const PASSPHRASE = 'une longue phrase de passe pour les clés';

describe('keys: sealed at rest, rotation, compromise', function () {
  this.timeout(60_000);
  let app: TestApp;
  let env: Record<string, string>;
  before(() => clearDocumentCache());
  after(async () => { await app?.close(); });

  const keyFiles = () => {
    const root = path.join(env.KEYS_DIR!, 'collectives');
    return readdirSync(root).flatMap((c) => readdirSync(path.join(root, c)).map((f) => path.join(root, c, f)));
  };
  const verdict = async (id: string) => {
    const json = await (await fetch(`${app.url}/credentials/${id}`, { headers: { accept: 'application/ld+json' } })).text();
    const report = await (await fetch(`${app.url}/api/v1/verify`, { method: 'POST', body: json, headers: { 'content-type': 'application/json' } })).json() as { verdict: string };
    return report.verdict;
  };
  const signer = async (id: string) => {
    const json = await (await fetch(`${app.url}/credentials/${id}`, { headers: { accept: 'application/ld+json' } })).json() as { proof: { verificationMethod: string } };
    return json.proof.verificationMethod.split('#')[1]!;
  };

  it('seals keys found in clear once a passphrase is set, and refuses to start without it', async () => {
    const first = await startTestApp();
    await issueToEmail(first.ctx, 'ariege', 'Nadia Benali', 'nadia@example.org');
    env = { DATA_DIR: path.join(first.dir, 'data'), KEYS_DIR: path.join(first.dir, 'keys'), PUBLIC_URL: first.url, PORT: new URL(first.url).port };
    await first.close();
    expect(JSON.parse(readFileSync(keyFiles()[0]!, 'utf8'))).to.have.property('d');

    app = await startTestApp({ ...env, BADGEONS_KEYS_PASSPHRASE: PASSPHRASE });
    for (const file of keyFiles()) {
      const jwk = JSON.parse(readFileSync(file, 'utf8'));
      expect(jwk, file).not.to.have.property('d');
      expect(jwk.sealedD, file).to.be.a('string');
      expect(statSync(file).mode & 0o777).to.equal(0o600);
    }
    expect(readFileSync(path.join(env.KEYS_DIR!, 'links.key'), 'utf8'), 'the claim-link key too').to.match(/^sealed:/);
    await app.close();

    for (const [passphrase, code] of [[undefined, 'KEY_PASSPHRASE_NEEDED'], ['pas la bonne', 'KEY_PASSPHRASE_WRONG']] as const) {
      let error: unknown;
      try {
        await startServer(loadConfig({ ...env, PORT: '0', ...(passphrase ? { BADGEONS_KEYS_PASSPHRASE: passphrase } : {}) }), { log: () => {} });
      } catch (e) {
        error = e;
      }
      expect(error, String(passphrase)).to.have.property('code', code);
    }
    app = await startTestApp({ ...env, BADGEONS_KEYS_PASSPHRASE: PASSPHRASE });
  });

  it('rotates from the admin page (new badges use the new key, old ones verify), and a compromised key withdraws what it signed since', async () => {
    const old = await issueToEmail(app.ctx, 'ariege', 'Awa Diallo', 'awa@example.org');
    const oldKid = await signer(old.credentialId);
    const admin = new WebClient(app.url);
    await admin.login();
    await admin.get('/c/ariege/settings');
    const rotated = await admin.post('/c/ariege/keys/rotate', {});
    expect(rotated.status).to.equal(200);
    const newKid = /id="key-notice">Nouvelle clé (z6Mk\w+)/.exec(rotated.text)![1]!;
    expect(newKid).not.to.equal(oldKid);
    const fresh = await issueToEmail(app.ctx, 'ariege', 'Léa Martin', 'lea@example.org');
    expect(await signer(fresh.credentialId)).to.equal(newKid);
    expect(await verdict(old.credentialId)).to.equal('valid');
    expect(await verdict(fresh.credentialId)).to.equal('valid');

    const refused = await admin.post(`/c/ariege/keys/${newKid}/compromised`, { since: '2999-01-01' });
    expect(refused.status).to.equal(400);
    expect(refused.text).to.include('Donnez une date passée');

    // From the CLI, while the server runs: the new key is compromised since today.
    const today = new Date().toISOString().slice(0, 10);
    const cli = await runCli(['keys', 'compromised', 'ariege', newKid, '--since', today], { ...env, BADGEONS_KEYS_PASSPHRASE: PASSPHRASE });
    expect(cli.code, cli.stderr).to.equal(0);
    expect(cli.stdout).to.include('1 badge withdrawn');
    expect(await verdict(fresh.credentialId)).to.equal('revoked');
    expect(await verdict(old.credentialId), 'signed by the old key: untouched').to.equal('valid');

    const listed = await runCli(['keys', 'list', 'ariege'], { ...env, BADGEONS_KEYS_PASSPHRASE: PASSPHRASE });
    expect(listed.stdout).to.match(new RegExp(`${newKid} .*COMPROMISED since ${today}`));
    expect(listed.stdout.match(/ACTIVE/g)).to.have.length(1);
    const page = await admin.get('/c/ariege/settings');
    expect(page.text).to.include('compromise depuis le');
    // The server sees the CLI's new key at once: the next badge is signed with it and verifies.
    const next = await issueToEmail(app.ctx, 'ariege', 'Inès Roche', 'ines@example.org');
    expect(await signer(next.credentialId)).not.to.be.oneOf([oldKid, newKid]);
    expect(await verdict(next.credentialId)).to.equal('valid');
  });
});
