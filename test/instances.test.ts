// Two app instances on different ports behind one PostgreSQL database behave as one: a session
// opened on one works on the other, a badge issued through one is revoked through the other and
// both say so, and the rate limit counts requests made to either.
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestApp, WebClient, type TestApp } from './helpers/app.js';
import { freshPostgres, POSTGRES_URL } from './helpers/databases.js';
import { issueToEmail } from './helpers/learner.js';

(POSTGRES_URL ? describe : describe.skip)('two app instances on one PostgreSQL database', function () {
  this.timeout(60_000);
  let database: Awaited<ReturnType<typeof freshPostgres>>;
  let one: TestApp;
  let two: TestApp;

  before(async () => {
    database = await freshPostgres();
    // One KEYS_DIR (shared storage in production) and one public address (the load balancer's).
    const keys = path.join(mkdtempSync(path.join(tmpdir(), 'badgeons-two-')), 'keys');
    const env = { DATABASE_URL: database.url, KEYS_DIR: keys, BADGEONS_RATE_LIMIT: '6' };
    one = await startTestApp(env);
    two = await startTestApp({ ...env, PUBLIC_URL: one.url });
  });
  after(async () => {
    await one?.close();
    await two?.close();
    await database?.drop();
  });

  it('issues through one, revokes through the other, and both see it', async () => {
    const { collective, credentialId } = await issueToEmail(one.ctx, 'reseau', 'Nadia Benali', 'nadia@example.org');
    const browser = new WebClient(one.url);
    expect((await browser.login()).status).to.equal(303);
    const onTwo = browser.at(two.url);
    const page = await onTwo.get(`/credentials/${credentialId}`);
    expect(page.text, 'the session opened on one is valid on two').to.include(`/c/${collective.slug}/credentials/${credentialId}/status`);
    const revoked = await onTwo.post(`/c/${collective.slug}/credentials/${credentialId}/status`, { action: 'revoke', reason: 'erreur de saisie', confirm: 'yes' });
    expect(revoked.status).to.equal(303);
    for (const app of [one, two]) {
      const json = await (await fetch(`${app.url}/credentials/${credentialId}`, { headers: { accept: 'application/ld+json' } })).text();
      const report = await (await fetch(`${app.url}/api/v1/verify`, { method: 'POST', body: json, headers: { 'content-type': 'application/json' } })).json() as { verdict: string };
      expect(report.verdict, app.url).to.equal('revoked');
    }
  });

  it('counts the rate limit over both instances', async () => {
    // Counts are per minute: start well inside one.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 10_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
    const answers: { app: TestApp; status: number }[] = [];
    for (let i = 0; i < 10; i++) {
      const app = i % 2 ? two : one;
      answers.push({ app, status: (await fetch(`${app.url}/api/v1/verify`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status });
    }
    // Six a minute from this address in all: five each would pass if each instance counted alone.
    expect(answers.filter((a) => a.status !== 429).length).to.be.at.most(6);
    expect(answers.some((a) => a.app === one && a.status === 429)).to.equal(true);
    expect(answers.some((a) => a.app === two && a.status === 429)).to.equal(true);
  });
});
