// Email through a real SMTP server on loopback (smtp-server), read back with mailparser; the
// .eml outbox when no server is configured; a refused message that loses nothing. Then "my badges":
// the link by email, the list across collectives, the zip.
import { expect } from 'chai';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { unzipSync } from 'fflate';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { clearDocumentCache } from '../src/ob3/documents.js';
import { unbakePng } from '../src/ob3/bake/png.js';
import { WebClient, joinCollective, startTestApp, type TestApp } from './helpers/app.js';
import { issueToEmail } from './helpers/learner.js';

class Mailbox {
  readonly received: ParsedMail[] = [];
  private server!: SMTPServer;
  refuse = false;
  port = 0;

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onRcptTo: (address, _session, done) => (this.refuse ? done(Object.assign(new Error(`mailbox ${address.address} unavailable`), { responseCode: 550 })) : done()),
      onData: (stream, _session, done) => {
        simpleParser(stream).then((mail) => { this.received.push(mail); done(); }, done);
      },
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  close(): Promise<void> { return new Promise((resolve) => this.server.close(() => resolve())); }
}

const linkIn = (text: string, pattern: RegExp) => pattern.exec(text)?.[0];

describe('email, and "my badges"', function () {
  this.timeout(60_000);
  before(() => clearDocumentCache());

  describe('through an SMTP server', () => {
    const mailbox = new Mailbox();
    let app: TestApp;
    before(async () => {
      await mailbox.start();
      app = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${mailbox.port}`, MAIL_FROM: 'Badgeons <badges@example.org>' });
    });
    after(async () => { await app.close(); await mailbox.close(); });

    it('sends the claim link (with the wallet PIN) in French, with a text part; the link works', async () => {
      const { credentialId } = await issueToEmail(app.ctx, 'ariege', 'Nadia Benali', 'nadia@example.org');
      const admin = new WebClient(app.url);
      await admin.login();
      await admin.get('/dashboard');
      const page = await admin.post(`/c/ariege/credentials/${credentialId}/claim-link`, { send: 'email' });
      expect(page.status).to.equal(200);
      expect(page.text).to.include('Message envoyé à nadia@example.org.');
      expect(mailbox.received).to.have.length(1);
      const mail = mailbox.received[0]!;
      expect(mail.subject).to.equal('Votre badge « Écouter et accueillir »');
      expect(mail.from?.text).to.include('badges@example.org');
      expect((mail.to as { text: string }).text).to.equal('nadia@example.org');
      expect(mail.text).to.include('Bonjour Nadia Benali,');
      const pin = /class="wallet-pin">(\d{6})</.exec(page.text)![1]!;
      expect(mail.text).to.include(`c’est : ${pin}`);
      const claim = linkIn(mail.text!, /http:\/\/\S+\/claim\/[A-Za-z0-9_-]{43}/)!;
      expect(claim).to.equal(/id="claim-url" type="text" readonly value="([^"]+)"/.exec(page.text)![1]);
      expect(mail.html).to.include(`<a href="${claim}">`);
      expect((await fetch(claim)).status).to.equal(200);
      const log = await app.ctx.store.mail.list((await app.ctx.store.collectives.bySlug('ariege'))!.id, 10);
      expect(log[0]).to.include({ recipient: 'nadia@example.org', kind: 'claim-link', file: null, error: null });
    });

    it('a refused message loses nothing: the page says why and still shows the new link', async () => {
      const { credentialId } = await issueToEmail(app.ctx, 'ariege', 'Inès Roux', 'ines@example.org');
      const admin = new WebClient(app.url);
      await admin.login();
      await admin.get('/dashboard');
      mailbox.refuse = true;
      try {
        const page = await admin.post(`/c/ariege/credentials/${credentialId}/claim-link`, { send: 'email' });
        expect(page.status).to.equal(200);
        expect(page.text).to.include('Le message n’a pas pu partir').and.include('unavailable');
        const link = /id="claim-url" type="text" readonly value="([^"]+)"/.exec(page.text)![1]!;
        expect((await fetch(link)).status).to.equal(200);
        const outbox = await admin.get('/c/ariege/outbox');
        expect(outbox.text).to.include('ines@example.org').and.include('refusé');
      } finally {
        mailbox.refuse = false;
      }
    });

    it('"my badges": a link by email to every badge of that address, across collectives, and a zip of them all', async () => {
      await issueToEmail(app.ctx, 'ariege', 'Lou Martin', 'lou@example.org');
      await issueToEmail(app.ctx, 'couserans', 'Lou Martin', 'Lou@Example.org');
      const learner = new WebClient(app.url);
      await learner.get('/my-badges');
      const before = mailbox.received.length;
      const nobody = await learner.post('/my-badges', { email: 'personne@example.org' });
      expect(nobody.text).to.include('Si des badges sont liés à cette adresse');
      expect(mailbox.received.length, 'no mail for an address without badges').to.equal(before);
      expect((await learner.post('/my-badges', { email: 'pas une adresse' })).status).to.equal(400);
      const asked = await learner.post('/my-badges', { email: 'lou@example.org' });
      expect(asked.text, 'the same answer').to.include('Si des badges sont liés à cette adresse');
      // Sent in the background, after the answer.
      for (let i = 0; i < 100 && mailbox.received.length === before; i++) await new Promise((r) => setTimeout(r, 20));
      const mail = mailbox.received.at(-1)!;
      expect(mail.subject).to.equal('Vos badges');
      const link = linkIn(mail.text!, /http:\/\/\S+\/my-badges\/[A-Za-z0-9_-]{43}/)!;
      const page = await fetch(link).then((r) => r.text());
      expect(page).to.include('Collectif ariege').and.include('Collectif couserans');
      expect(page.match(/<li class="card">/g)).to.have.length(2);
      const zip = unzipSync(new Uint8Array(await (await fetch(`${link}/badges.zip`)).arrayBuffer()));
      const names = Object.keys(zip);
      expect(names.filter((n) => n.endsWith('.png'))).to.have.length(2);
      expect(names.filter((n) => n.endsWith('.json'))).to.have.length(2);
      for (const name of names.filter((n) => n.endsWith('.png'))) {
        const baked = JSON.parse(unbakePng(Buffer.from(zip[name]!)).text);
        const report = await fetch(`${app.url}/api/v1/verify`, { method: 'POST', body: JSON.stringify(baked) }).then((r) => r.json()) as { verdict: string };
        expect(report.verdict).to.equal('valid');
      }
      expect((await fetch(`${app.url}/my-badges/${'x'.repeat(43)}`)).status).to.equal(410);
    });

    it('"mot de passe oublié" mails a one-time link to the account, a few times an hour at most', async () => {
      await joinCollective(app, 'ariege', { email: 'claire@example.org', name: 'Claire', role: 'facilitator' });
      const someone = new WebClient(app.url);
      const form = await someone.get('/password/forgot');
      expect(form.text).to.include('nous y envoyons un lien');
      const before = mailbox.received.length;
      const nobody = await someone.post('/password/forgot', { email: 'personne@example.org' });
      expect(nobody.text).to.include('Si un compte existe à cette adresse, un lien vient d’y être envoyé');
      expect(mailbox.received.length, 'no mail for an unknown address').to.equal(before);
      const asked = await someone.post('/password/forgot', { email: 'Claire@example.org' });
      expect(asked.text, 'the same answer').to.include('Si un compte existe à cette adresse, un lien vient d’y être envoyé');
      expect(mailbox.received.length).to.equal(before + 1);
      const mail = mailbox.received.at(-1)!;
      expect(mail.subject).to.equal('Choisir un nouveau mot de passe');
      expect((mail.to as { text: string }).text).to.equal('claire@example.org');
      expect(app.logs.join('\n'), 'the link is not printed when it was mailed').not.to.include('password reset requested for claire');
      const link = linkIn(mail.text!, /http:\/\/\S+\/password\/[A-Za-z0-9_-]{43}/)!;
      await someone.get(new URL(link).pathname);
      const done = await someone.post(new URL(link).pathname, { password: 'un nouveau mot de passe' });
      expect(done.text).to.include('Votre mot de passe est enregistré');
      expect((await someone.login('claire@example.org', 'un nouveau mot de passe')).status).to.equal(303);
      expect((await fetch(link)).status, 'the link works once').to.equal(404);
      for (let i = 0; i < 4; i++) await someone.post('/password/forgot', { email: 'claire@example.org' });
      expect(mailbox.received.length, 'three mails an hour at most').to.equal(before + 3);
    });

    it('invites a new member by email with the link to join; a refused message still shows the link', async () => {
      const admin = new WebClient(app.url);
      await admin.login();
      await admin.get('/c/ariege/settings');
      const before = mailbox.received.length;
      const added = await admin.post('/c/ariege/members', { name: 'Rachid Amrani', email: 'rachid@example.org', role: 'facilitator' });
      expect(added.status).to.equal(200);
      expect(added.text).to.include('Message envoyé à rachid@example.org.');
      expect(mailbox.received.length).to.equal(before + 1);
      const mail = mailbox.received.at(-1)!;
      expect(mail.subject).to.equal('Bienvenue dans Collectif ariege sur Badgeons');
      expect(mail.text).to.include('Bonjour Rachid Amrani,').and.include('vous invite à rejoindre Collectif ariege').and.include('7 jours');
      const link = linkIn(mail.text!, /http:\/\/\S+\/invitations\/[A-Za-z0-9_-]{43}/)!;
      expect(added.text, 'the same link on the page').to.include(`value="${link}"`);
      const rachid = new WebClient(app.url);
      await rachid.get(new URL(link).pathname);
      await rachid.post(new URL(link).pathname, { name: 'Rachid Amrani', password: 'le mot de passe de Rachid' });
      expect((await rachid.login('rachid@example.org', 'le mot de passe de Rachid')).status).to.equal(303);
      expect((await rachid.get('/c/ariege')).status).to.equal(200);
      const log = await app.ctx.store.mail.list((await app.ctx.store.collectives.bySlug('ariege'))!.id, 10);
      expect(log[0]).to.include({ recipient: 'rachid@example.org', kind: 'invitation', error: null });

      mailbox.refuse = true;
      try {
        const refused = await admin.post('/c/ariege/members', { name: 'Jeanne', email: 'jeanne@example.org', role: 'facilitator' });
        expect(refused.status).to.equal(200);
        expect(refused.text).to.include('Le message n’a pas pu partir').and.include('Lien d’invitation pour Jeanne');
        expect(refused.text).to.match(/value="http:\/\/[^"]+\/invitations\/[A-Za-z0-9_-]{43}"/);
      } finally {
        mailbox.refuse = false;
      }
    });
  });

  describe('with no SMTP server configured', () => {
    let app: TestApp;
    before(async () => { app = await startTestApp(); });
    after(() => app.close());

    it('writes each message as an .eml under DATA_DIR/outbox (0600), which the collective admin reads on the outbox page', async () => {
      const { credentialId } = await issueToEmail(app.ctx, 'ariege', 'Nadia Benali', 'nadia@example.org');
      const admin = new WebClient(app.url);
      await admin.login();
      await admin.get('/dashboard');
      const page = await admin.post(`/c/ariege/credentials/${credentialId}/claim-link`, { send: 'email' });
      expect(page.text).to.include('le message pour nadia@example.org est dans la boîte d’envoi');
      const dir = path.join(app.dir, 'data', 'outbox');
      const files = readdirSync(dir).filter((f) => f.endsWith('.eml'));
      expect(files).to.have.length(1);
      expect(statSync(path.join(dir, files[0]!)).mode & 0o777).to.equal(0o600);
      const outbox = await admin.get('/c/ariege/outbox');
      expect(outbox.text).to.include('nadia@example.org').and.include('dans la boîte d’envoi');
      const id = /href="\/c\/ariege\/outbox\/([\w-]{22})"/.exec(outbox.text)![1]!;
      const read = await admin.get(`/c/ariege/outbox/${id}`);
      const link = /id="claim-url" type="text" readonly value="([^"]+)"/.exec(page.text)![1]!;
      expect(read.text).to.include('Bonjour Nadia Benali,').and.include(link);
      const eml = await admin.get(`/c/ariege/outbox/${id}.eml`);
      expect(eml.headers.get('content-type')).to.include('message/rfc822');
      expect((await simpleParser(eml.bytes)).subject).to.equal('Votre badge « Écouter et accueillir »');
      // Not for strangers, nor for another collective's admin path.
      const stranger = await new WebClient(app.url).get(`/c/ariege/outbox/${id}`);
      expect(stranger.status).to.equal(303);
      expect(stranger.headers.get('location')).to.match(/^\/login/);
      expect((await admin.get(`/admin/outbox/${id}`)).status).to.equal(404);
    });
  });
});
