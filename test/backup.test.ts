// Backups: `badgeons backup` of a live instance (encrypted), refused restores that write nothing,
// then `badgeons restore` into an empty instance, where every badge still verifies.
import { expect } from 'chai';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { clearDocumentCache } from '../src/ob3/documents.js';
import { fillDemo } from '../src/operations/demo.js';
import { startServer } from '../src/server.js';
import { startTestApp, WebClient } from './helpers/app.js';
import { runCli } from './helpers/cli.js';
import { issueToEmail } from './helpers/learner.js';

describe('backup and restore', function () {
  this.timeout(120_000);
  before(() => clearDocumentCache());

  it('backs up a running instance and restores it into an empty one, where every badge still verifies', async () => {
    const first = await startTestApp();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await fillDemo(first.ctx)).url.split('/').pop()!);
    ids.push((await issueToEmail(first.ctx, 'ariege', 'Nadia Benali', 'nadia@example.org')).credentialId);
    const source = { DATA_DIR: path.join(first.dir, 'data'), KEYS_DIR: path.join(first.dir, 'keys'), PUBLIC_URL: first.url };
    const file = path.join(first.dir, 'sauvegarde.bdg');
    const passphrase = { BADGEONS_BACKUP_PASSPHRASE: 'une phrase de passe assez longue' };
    const made = await runCli(['backup', file], { ...source, ...passphrase });
    expect(made.code, made.stderr).to.equal(0);
    expect(made.stdout).to.include('encrypted');
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    const url = first.url;
    await first.close();

    const dir = mkdtempSync(path.join(tmpdir(), 'badgeons-restore-'));
    const target = { DATA_DIR: path.join(dir, 'data'), KEYS_DIR: path.join(dir, 'keys'), PUBLIC_URL: url };
    const noPass = await runCli(['restore', file], target);
    expect(noPass.code).to.equal(2);
    expect(noPass.stderr).to.include('BACKUP_PASSPHRASE_NEEDED');
    const wrong = await runCli(['restore', file], { ...target, BADGEONS_BACKUP_PASSPHRASE: 'pas la bonne' });
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr).to.include('BACKUP_PASSPHRASE_WRONG');
    const junk = await runCli(['restore', path.join(process.cwd(), 'package.json')], target);
    expect(junk.stderr).to.include('BACKUP_INVALID');
    expect(existsSync(target.DATA_DIR), 'a refused restore writes nothing').to.equal(false);

    const restored = await runCli(['restore', file], { ...target, ...passphrase });
    expect(restored.code, restored.stderr).to.equal(0);
    expect(restored.stdout).to.match(/Restored the backup of 20\d\d-/);
    const again = await runCli(['restore', file], { ...target, ...passphrase });
    expect(again.stderr).to.include('RESTORE_WOULD_OVERWRITE');
    expect(statSync(path.join(target.DATA_DIR, 'badgeons.sqlite')).mode & 0o777).to.equal(0o600);

    const second = await startServer(loadConfig({ ...target, PORT: new URL(url).port }), { log: () => {} });
    try {
      for (const id of ids) {
        const json = await fetch(`${url}/credentials/${id}.json`).then((r) => r.text());
        const report = await fetch(`${url}/api/v1/verify`, { method: 'POST', body: json }).then((r) => r.json()) as { verdict: string };
        expect(report.verdict, id).to.equal('valid');
      }
      // New badges are signed with the restored key, under the same DID.
      const added = await fillDemo(second.ctx);
      const json = await fetch(`${added.url}.json`).then((r) => r.text());
      expect(((await fetch(`${url}/api/v1/verify`, { method: 'POST', body: json }).then((r) => r.json())) as { verdict: string }).verdict).to.equal('valid');
      expect(second.ctx.keys.all(added.collective.id)).to.have.length(1);
    } finally {
      await second.close();
    }
  });

  it('an instance admin sees the last backup and downloads one from the backups page', async () => {
    const app = await startTestApp();
    try {
      expect((await fetch(`${app.url}/admin/backups`, { redirect: 'manual' })).status, 'not for strangers').to.be.oneOf([302, 303, 401]);
      const admin = new WebClient(app.url);
      await admin.login();
      const before = await admin.get('/admin/backups');
      expect(before.text).to.include('Aucune sauvegarde');
      const download = await admin.post('/admin/backups', {});
      expect(download.status).to.equal(200);
      expect(download.headers.get('content-disposition')).to.match(/^attachment; filename="badgeons-.+\.backup"$/);
      expect(download.bytes.subarray(0, 2).toString(), 'a zip: not encrypted without a passphrase').to.equal('PK');
      const after = await admin.get('/admin/backups');
      expect(after.text).to.match(/Dernière sauvegarde\u202F: le .+ \(\d+ Ko, non chiffrée/);
    } finally {
      await app.close();
    }
  });
});
