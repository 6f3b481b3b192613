// Issue 14: the holes found by testing as an attacker and as a new user would. Each test reproduces
// the attack or the bad input against the real server and shows it now fails cleanly.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import iconv from 'iconv-lite';
import { claimLinkFor } from '../src/learners/claims.js';
import { authorize } from '../src/collectives/collectives.js';
import { resanitiseStoredSvgs } from '../src/badge-classes/images.js';
import { isPublicAddress, publicUrlGuard } from '../src/verifier/url-guard.js';
import { ADMIN, WebClient, joinCollective, startTestApp, type TestApp } from './helpers/app.js';
import { issueToEmail } from './helpers/learner.js';

const PASSWORD = 'un mot de passe assez long';
const linkIn = (text: string, kind: string) => new RegExp(`http://[^"\\s]+/${kind}/[A-Za-z0-9_-]{43}`).exec(text)?.[0];

describe('security (issue 14)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let instance: WebClient;
  let adminA: WebClient;
  let facilitatorA: WebClient;
  let adminB: WebClient;
  let stranger: WebClient;
  let anonymous: WebClient;

  before(async () => {
    app = await startTestApp();
    await issueToEmail(app.ctx, 'ariege', 'Hélène Martin', 'helene@example.org');
    await issueToEmail(app.ctx, 'couserans', 'Lou', 'lou@example.org');
    instance = new WebClient(app.url);
    await instance.login();
    adminA = await joinCollective(app, 'ariege', { email: 'admin-a@example.org', name: 'Admin A', role: 'admin' });
    facilitatorA = await joinCollective(app, 'ariege', { email: 'anim-a@example.org', name: 'Anim A', role: 'facilitator' });
    adminB = await joinCollective(app, 'couserans', { email: 'admin-b@example.org', name: 'Admin B', role: 'admin' });
    // An account in no collective: invited to B, then removed.
    stranger = await joinCollective(app, 'couserans', { email: 'stranger@example.org', name: 'Stranger', role: 'facilitator' });
    await adminB.get('/c/couserans/settings');
    const strangerId = (await app.ctx.store.accounts.byEmail('stranger@example.org'))!.id;
    expect((await adminB.post(`/c/couserans/members/${strangerId}/remove`, {})).status).to.equal(303);
    anonymous = new WebClient(app.url);
    await anonymous.get('/login');
  });
  after(async () => { await app?.close(); });

  describe('1. who may do what to whom', () => {
    it('a collective admin who invites an existing account gets nothing that opens it, and changes nothing until its owner accepts', async () => {
      const victim = (await app.ctx.store.accounts.byEmail('admin-a@example.org'))!;
      await adminB.get('/c/couserans/settings');
      const invited = await adminB.post('/c/couserans/members', { name: 'Admin A', email: 'Admin-A@example.org', role: 'admin' });
      expect(invited.status).to.equal(200);
      const link = linkIn(invited.text, 'invitations')!;
      expect(link, 'an invitation link, not a password link').to.be.a('string');
      expect(invited.text).not.to.match(/\/password\/[A-Za-z0-9_-]{43}/);
      expect(await app.ctx.store.tokens.peek('x', 'reset', new Date().toISOString())).to.equal(undefined);
      // The admin opens it, signed in as themself or not: no way in.
      const pathname = new URL(link).pathname;
      expect((await adminB.get(pathname)).text).to.include('Vous êtes connecté·e avec un autre compte');
      expect((await adminB.post(pathname, { name: 'x', password: 'un mot de passe pirate' })).status).to.equal(403);
      expect((await anonymous.get(pathname)).text).to.include('Connectez-vous avec ce compte');
      expect((await anonymous.post(pathname, { name: 'x', password: 'un mot de passe pirate' })).status).to.equal(401);
      expect((await new WebClient(app.url).login('admin-a@example.org', 'un mot de passe pirate')).status, 'her password is unchanged').to.equal(401);
      expect((await app.ctx.store.accounts.memberships(victim.id)).map((m) => m.slug), 'not in B until she says yes').to.deep.equal(['ariege']);
      // The old route that handed out a password link for a member is gone.
      expect((await adminB.post(`/c/couserans/members/${victim.id}/link`, {})).status).to.equal(404);
      // She accepts, signed in as herself, through the link.
      expect((await adminA.get(pathname)).text).to.include('Accepter');
      expect((await adminA.post(pathname, {})).status).to.equal(303);
      expect((await adminA.get('/c/couserans/settings')).status).to.equal(200);
    });

    it('adding the instance administrator to a collective as a facilitator lowers nothing', async () => {
      const root = (await app.ctx.store.accounts.byEmail(ADMIN.email))!;
      await adminB.get('/c/couserans/settings');
      expect((await adminB.post(`/c/couserans/members/${root.id}/remove`, {})).status).to.equal(303);
      await adminB.post('/c/couserans/members', { name: 'Root', email: ADMIN.email, role: 'facilitator' });
      const dashboard = await instance.get('/dashboard');
      expect(dashboard.text).to.include('Collectif couserans vous invite, rôle\u202F: animation');
      const id = (await app.ctx.store.invitations.forEmail(ADMIN.email, new Date().toISOString()))[0]!.id;
      expect((await instance.post(`/invitations/mine/${id}`, { answer: 'accept' })).text).to.include('Vous avez rejoint Collectif couserans');
      expect((await instance.get('/c/couserans/settings')).status, 'still admin there').to.equal(200);
      expect((await instance.get('/admin/backups')).status).to.equal(200);
      expect((await instance.get('/c/ariege/settings')).status).to.equal(200);
      expect((await app.ctx.store.accounts.byId(root.id))!.instanceAdmin).to.equal(true);
      // Someone else cannot answer her invitations.
      await adminB.post('/c/couserans/members', { name: 'Anim A', email: 'anim-a@example.org', role: 'admin' });
      const other = (await app.ctx.store.invitations.forEmail('anim-a@example.org', new Date().toISOString()))[0]!;
      await adminB.get('/dashboard');
      expect((await adminB.post(`/invitations/mine/${other.id}`, { answer: 'accept' })).status).to.equal(404);
      expect((await app.ctx.store.accounts.memberships((await app.ctx.store.accounts.byEmail('admin-b@example.org'))!.id)).map((m) => m.role)).to.deep.equal(['admin']);
    });

    it('a new member joins by choosing a password through the link, once; the admin who held the link cannot use it again', async () => {
      await adminA.get('/c/ariege/settings');
      const invited = await adminA.post('/c/ariege/members', { name: 'Nadia', email: 'Nadia@Example.org', role: 'facilitator' });
      const pathname = new URL(linkIn(invited.text, 'invitations')!).pathname;
      expect(invited.text).to.include('Nadia — nadia@example.org');
      const nadia = new WebClient(app.url);
      expect((await nadia.get(pathname)).text).to.include('Créer mon compte et rejoindre');
      // Two submissions at once: one account, one membership.
      const [first, second] = await Promise.all([
        nadia.post(pathname, { name: 'Nadia', password: PASSWORD }),
        nadia.post(pathname, { name: 'Nadia', password: 'un autre mot de passe' }),
      ]);
      expect([first.status, second.status].sort()).to.deep.equal([303, 410].sort());
      expect((await nadia.get('/c/ariege')).status).to.equal(200);
      expect((await adminA.get(pathname)).status).to.equal(410);
      expect((await adminA.post('/c/ariege/members', { name: 'Nadia', email: 'nadia@example.org', role: 'admin' })).text).to.include('fait déjà partie du collectif');
    });

    it('an admin of one collective cannot touch another collective’s members, invitations or settings', async () => {
      const lou = (await app.ctx.store.accounts.byEmail('admin-b@example.org'))!;
      await adminA.get('/c/ariege/settings');
      const pending = await adminA.post('/c/ariege/members', { name: 'Paul', email: 'paul@example.org', role: 'facilitator' });
      expect(pending.status).to.equal(200);
      const invitation = (await app.ctx.store.invitations.forEmail('paul@example.org', new Date().toISOString()))[0]!;
      await adminB.get('/c/couserans/settings');
      // Under B's own address, A's ids are not found; under A's address, B is not allowed.
      expect((await adminB.post(`/c/couserans/invitations/${invitation.id}/renew`, {})).status).to.equal(404);
      expect((await adminB.post(`/c/ariege/invitations/${invitation.id}/renew`, {})).status).to.equal(403);
      expect((await adminB.post(`/c/ariege/invitations/${invitation.id}/cancel`, {})).status).to.equal(403);
      expect((await adminB.post('/c/ariege/members', { name: 'X', email: 'x@example.org', role: 'admin' })).status).to.equal(403);
      const annaId = (await app.ctx.store.accounts.byEmail('anim-a@example.org'))!.id;
      expect((await adminB.post(`/c/ariege/members/${annaId}/remove`, {})).status).to.equal(403);
      await adminB.post(`/c/couserans/members/${annaId}/remove`, {});
      expect((await app.ctx.store.accounts.memberships(annaId)).map((m) => m.slug)).to.deep.equal(['ariege']);
      // An admin cannot remove themself (a collective keeps an admin), and says so.
      expect((await adminB.post(`/c/couserans/members/${lou.id}/remove`, {})).text).to.include('Vous ne pouvez pas vous retirer vous-même');
      expect((await app.ctx.store.invitations.byId(invitation.collectiveId, invitation.id))).to.not.equal(undefined);
    });

    // The README's table, cell by cell: each actor, each action on collective A (ariege).
    const actions: { what: string; run: (c: WebClient) => Promise<{ status: number; headers: Headers }>; allowed: string[] }[] = [
      { what: 'read A’s settings', run: (c) => c.get('/c/ariege/settings'), allowed: ['instance', 'adminA'] },
      { what: 'invite to A', run: (c) => c.post('/c/ariege/members', { name: 'Zoé', email: 'zoe@example.org', role: 'facilitator' }), allowed: ['instance', 'adminA'] },
      { what: 'rotate A’s key', run: (c) => c.post('/c/ariege/keys/rotate', {}), allowed: ['instance', 'adminA'] },
      { what: 'make an API token for A', run: (c) => c.post('/c/ariege/tokens', { name: 'outil' }), allowed: ['instance', 'adminA'] },
      { what: 'read A’s outbox', run: (c) => c.get('/c/ariege/outbox'), allowed: ['instance', 'adminA'] },
      { what: 'open A’s collective page', run: (c) => c.get('/c/ariege'), allowed: ['instance', 'adminA', 'facilitatorA'] },
      { what: 'list A’s badges', run: (c) => c.get('/c/ariege/credentials'), allowed: ['instance', 'adminA', 'facilitatorA'] },
      { what: 'create a collective', run: (c) => c.post('/collectives', { slug: `c${Math.random().toString(36).slice(2, 8)}`, name: 'Nouveau' }), allowed: ['instance'] },
      { what: 'download a backup', run: (c) => c.post('/admin/backups', {}), allowed: ['instance'] },
      { what: 'read the instance outbox', run: (c) => c.get('/admin/outbox'), allowed: ['instance'] },
    ];
    for (const action of actions) {
      it(`may ${action.what}: ${action.allowed.join(', ')}; nobody else`, async () => {
        const actors: Record<string, WebClient> = { instance, adminA, facilitatorA, adminB, stranger, anonymous };
        for (const [name, client] of Object.entries(actors)) {
          await client.get('/');
          const { status, headers } = await action.run(client);
          // Signed out, a page sends to the sign-in form: a refusal too.
          const toLogin = status === 303 && headers.get('location')!.startsWith('/login');
          if (action.allowed.includes(name)) expect(status === 200 || (status === 303 && !toLogin), `${name} may (${status})`).to.equal(true);
          else expect(status === 401 || status === 403 || toLogin, `${name} may not (${status})`).to.equal(true);
        }
      });
    }
  });

  describe('2. CSRF on every state-changing request, whatever its content type', () => {
    it('refuses a multipart POST without the token on routes that read no body, and changes nothing', async () => {
      const ariege = (await app.ctx.store.collectives.bySlug('ariege'))!;
      const keysBefore = app.ctx.keys.all(ariege.id).length;
      const participant = (await app.ctx.store.ateliers.list(ariege.id)).length;
      for (const url of ['/logout', '/c/ariege/keys/rotate', `/c/ariege/participants/${'A'.repeat(22)}/erase`, `/c/ariege/tokens/${'A'.repeat(22)}/revoke`, '/c/ariege/settings']) {
        const reply = await adminA.postMultipart(url, { name: 'Piraté' }, undefined, { csrf: false });
        expect(reply.status, url).to.equal(403);
        expect(reply.text, url).to.include('CSRF');
      }
      expect(app.ctx.keys.all(ariege.id).length).to.equal(keysBefore);
      expect((await app.ctx.store.collectives.bySlug('ariege'))!.name).to.equal(ariege.name);
      expect((await app.ctx.store.ateliers.list(ariege.id)).length).to.equal(participant);
      expect((await adminA.get('/c/ariege')).status, 'still signed in').to.equal(200);
    });

    it('answers 415, never 500, to a body a route does not read, with a valid token', async () => {
      await anonymous.get('/login');
      for (const url of ['/login', '/password/forgot', '/my-badges', `/setup/${'A'.repeat(43)}`, `/invitations/${'A'.repeat(43)}`]) {
        const reply = await anonymous.postMultipart(url, { email: 'a@example.org', password: 'x' });
        expect(reply.status, url).to.be.oneOf([400, 410, 415]);
        expect(reply.text, url).not.to.include('INTERNAL');
      }
      for (const type of ['application/json', 'text/plain']) {
        const reply = await anonymous.request('POST', '/login', { body: new URLSearchParams({ _csrf: anonymous.csrf }), headers: { 'content-type': type } });
        expect(reply.status, type).to.equal(415);
      }
      expect((await anonymous.request('PUT', '/c/ariege/settings')).status).to.equal(415);
    });
  });

  describe('3. secrets never in the logs', () => {
    it('no link the app hands out appears in the log, by one rule for every path that carries a secret', async () => {
      const { scope, credentialId } = await issueToEmail(app.ctx, 'ariege', 'Jeanne Secret', 'jeanne@example.org');
      const claim = (await claimLinkFor(app.ctx, scope, credentialId)).url;
      const claimer = new WebClient(app.url);
      const page = await claimer.get(new URL(claim).pathname);
      const offer = await claimer.post(`${new URL(claim).pathname}/wallet`, {});
      const offerUrl = /(\/oid4vci\/offers\/[A-Za-z0-9_-]{43})/.exec(decodeURIComponent(offer.text))?.[1];
      await claimer.post(`${new URL(claim).pathname}/all`, {});
      await adminA.get('/c/ariege/settings');
      const invitation = linkIn((await adminA.post('/c/ariege/members', { name: 'Léa', email: 'lea@example.org', role: 'facilitator' })).text, 'invitations')!;
      await anonymous.get(new URL(invitation).pathname);
      await anonymous.get('/password/forgot');
      await anonymous.post('/password/forgot', { email: 'anim-a@example.org' });
      const reset = (await app.ctx.store.mail.list(null, 5)).find((m) => m.kind === 'password-reset')!;
      const resetLink = linkIn(readFileSync(path.join(app.dir, 'data', 'outbox', reset.file!), 'utf8'), 'password')!;
      await anonymous.get(new URL(resetLink).pathname);
      const mine = [...page.text.matchAll(/\/my-badges\/([A-Za-z0-9_-]{43})/g)].map((m) => m[1]);
      const secrets = [claim, invitation, resetLink, offerUrl, ...mine].filter(Boolean).map((u) => u!.split('/').pop()!);
      expect(secrets.length).to.be.at.least(4);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const log = app.logs.join('\n');
      expect(log).to.include('/invitations/…').and.include('/password/…').and.include('/claim/…');
      for (const secret of secrets) expect(log).not.to.include(secret);
    });
  });

  describe('4. SVG pictures are sanitised by DOMPurify', () => {
    const attacks = [
      '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><![CDATA[<script>alert(1)</script>]]><circle cx="32" cy="32" r="30" fill="teal"/></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><script><![CDATA[alert(1)]]></script><circle cx="32" cy="32" r="30" onload="alert(1)"/></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="64"><a xlink:href="javascript:alert(1)"><rect width="64" height="64"/></a><foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:alert(1)"/></foreignObject></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><style>@import url(https://evil.example/x.css);</style><image href="https://evil.example/x.png" width="64" height="64"/><rect width="64" height="64" fill="url(https://evil.example/#g)"/></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><set attributeName="onmouseover" to="alert(1)"/><animate attributeName="href" to="javascript:alert(1)"/><x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script><rect width="64" height="64"/></svg>',
    ];
    const dangerous = /<script|<style|<foreignObject|<set|<animate|onload|onmouseover|javascript:|evil\.example|<!\[CDATA\[<script/i;

    it('keeps nothing that runs or fetches in the stored picture, which every baked .svg is made from', async () => {
      const ariege = (await app.ctx.store.collectives.bySlug('ariege'))!;
      for (const [i, svg] of attacks.entries()) {
        await adminA.get('/c/ariege/badges/new');
        const reply = await adminA.postMultipart('/c/ariege/badges', {
          name: `Badge piégé ${i}`, description: 'Un test.', criteria: 'Rien.', imageAlt: 'Un cercle', achievementType: 'ext:SoftSkill', language: 'fr',
        }, { field: 'image', name: 'piege.svg', type: 'image/svg+xml', bytes: Buffer.from(svg) });
        expect(reply.status, `attack ${i}`).to.equal(303);
        const version = (await app.ctx.store.achievements.current(ariege.id)).find((v) => v.name === `Badge piégé ${i}`)!;
        expect(version.imageSvg, `attack ${i}`).to.match(/^<\?xml[^>]*>\n<svg/);
        expect(version.imageSvg, `attack ${i}`).not.to.match(dangerous);
      }
    });

    it('cleans SVGs stored by the earlier sanitiser at start', async () => {
      const ariege = (await app.ctx.store.collectives.bySlug('ariege'))!;
      const version = (await app.ctx.store.achievements.current(ariege.id))[0]!;
      await app.ctx.store.achievements.setSvg(version.id, attacks[0]!);
      await app.ctx.store.settings.set('svg_sanitiser', 'hand-written');
      expect(await resanitiseStoredSvgs(app.ctx.store)).to.be.at.least(1);
      expect((await app.ctx.store.achievements.version(version.id))!.imageSvg).not.to.match(dangerous);
      expect(await resanitiseStoredSvgs(app.ctx.store), 'once').to.equal(0);
    });
  });

  describe('5. erasure erases', () => {
    it('leaves her name and email nowhere: not in the database file, its log, the outbox, nor a backup', async () => {
      const name = 'Xanthippe Zyzzyva';
      const email = 'xanthippe.zyzzyva@example.org';
      const { scope, credentialId } = await issueToEmail(app.ctx, 'ariege', name, email);
      const claim = await claimLinkFor(app.ctx, scope, credentialId, { sendIn: 'fr' });
      expect(claim.mail?.file).to.be.a('string');
      const learner = new WebClient(app.url);
      await learner.get('/my-badges');
      await learner.post('/my-badges', { email });
      for (let i = 0; i < 50 && !(await app.ctx.store.mail.list(null, 50)).some((m) => m.recipient === email); i++) await new Promise((r) => setTimeout(r, 20));
      const dataDir = path.join(app.dir, 'data');
      const everything = () => [
        ...['badgeons.sqlite', 'badgeons.sqlite-wal'].map((f) => { try { return readFileSync(path.join(dataDir, f)); } catch { return Buffer.alloc(0); } }),
        ...readdirSync(path.join(dataDir, 'outbox')).map((f) => readFileSync(path.join(dataDir, 'outbox', f))),
      ];
      expect(Buffer.concat(everything()).includes(email), 'there before').to.equal(true);

      await learner.get(new URL(claim.url).pathname);
      const erased = await learner.post(`${new URL(claim.url).pathname}/erase`, { confirm: 'yes' });
      expect(erased.status).to.be.oneOf([200, 303]);
      const bytes = Buffer.concat(everything());
      for (const needle of [name, email, 'Xanthippe', 'zyzzyva']) expect(bytes.includes(Buffer.from(needle)), needle).to.equal(false);
      expect((await app.ctx.store.mail.list(null, 100)).some((m) => m.recipient === email)).to.equal(false);

      await instance.get('/admin/backups');
      const backup = await instance.post('/admin/backups', {});
      expect(backup.status).to.equal(200);
      const { unzipSync } = await import('fflate');
      const files = unzipSync(new Uint8Array(backup.bytes));
      const db = Object.entries(files).find(([n]) => n.endsWith('.sqlite'))![1];
      expect(Buffer.from(db).includes(Buffer.from(email)), 'not in a backup taken after').to.equal(false);
    });
  });

  describe('6. Mes badges reveals nothing and floods nobody', () => {
    it('answers before looking anything up, and mails one address three times an hour at most', async () => {
      // A mail server that accepts the connection and never answers: the page must not wait for it.
      const silent: Server = createServer(() => { /* hold the socket */ });
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
      const port = (silent.address() as { port: number }).port;
      const slow = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}` });
      try {
        await issueToEmail(slow.ctx, 'ariege', 'Rose', 'rose@example.org');
        const learner = new WebClient(slow.url);
        await learner.get('/my-badges');
        const withBadges = await learner.post('/my-badges', { email: 'rose@example.org' });
        const without = await learner.post('/my-badges', { email: 'personne@example.org' });
        expect(withBadges.status).to.equal(without.status);
        expect(withBadges.text.replace(/name="_csrf" value="[^"]+"/, '')).to.equal(without.text.replace(/name="_csrf" value="[^"]+"/, ''));
        expect(await slow.ctx.store.mail.list(null, 10), 'answered while the mail was still on its way').to.have.length(0);
      } finally {
        silent.close();
        await slow.close();
      }

      const learner = new WebClient(app.url);
      await issueToEmail(app.ctx, 'ariege', 'Iris', 'iris@example.org');
      await learner.get('/my-badges');
      for (let i = 0; i < 6; i++) await learner.post('/my-badges', { email: i % 2 ? 'IRIS@example.org' : 'iris@example.org' });
      await new Promise((r) => setTimeout(r, 300));
      expect((await app.ctx.store.mail.list(null, 100)).filter((m) => m.recipient.toLowerCase() === 'iris@example.org')).to.have.length(3);
    });
  });

  describe('7. throttling without lock-out', () => {
    it('a stranger’s wrong passwords block strangers, not the owner’s own browser', async () => {
      const owner = await joinCollective(app, 'ariege', { email: 'marie@example.org', name: 'Marie', role: 'facilitator', password: PASSWORD });
      await owner.post('/logout', {});
      const attacker = new WebClient(app.url);
      for (let i = 0; i < 6; i++) await attacker.login('marie@example.org', `mauvais ${i}`);
      expect((await attacker.login('marie@example.org', PASSWORD)).status, 'the attacker is throttled').to.equal(429);
      expect((await new WebClient(app.url).login('marie@example.org', PASSWORD)).status, 'so is any unknown browser').to.equal(429);
      expect((await owner.login('marie@example.org', PASSWORD)).status, 'her browser signed in before').to.equal(303);
      // A forged or borrowed device cookie is an unknown browser.
      const forger = new WebClient(app.url);
      (forger as unknown as { cookies: Map<string, string> }).cookies.set('badgeons_device', `${(await app.ctx.store.accounts.byEmail('marie@example.org'))!.id}.abc.def`);
      expect((await forger.login('marie@example.org', PASSWORD)).status).to.equal(429);
      // Her own browser is throttled too if someone guesses from it.
      await owner.post('/logout', {});
      for (let i = 0; i < 5; i++) await owner.login('marie@example.org', `mauvais ${i}`);
      expect((await owner.login('marie@example.org', PASSWORD)).status).to.equal(429);
    });
  });

  describe('8–9. wallet rate limits and the SSRF list', () => {
    it('wallet endpoints answer 429 with Retry-After when rate-limited', async () => {
      const limited = await startTestApp({ BADGEONS_RATE_LIMIT: '2' });
      try {
        let last: Response | undefined;
        for (let i = 0; i < 3; i++) last = await fetch(`${limited.url}/oid4vci/nonce`, { method: 'POST' });
        expect(last!.status).to.equal(429);
        expect(Number(last!.headers.get('retry-after'))).to.be.within(1, 60);
        expect(await last!.json()).to.have.property('error', 'temporarily_unavailable');
      } finally {
        await limited.close();
      }
    });

    it('refuses IPv4-compatible and IPv4-mapped IPv6 addresses, dotted or hex', async () => {
      for (const address of ['::ffff:127.0.0.1', '::ffff:7f00:1', '::127.0.0.1', '::7f00:1', '::ffff:a9fe:a9fe', '::ffff:8.8.8.8', '::', '::1']) {
        expect(isPublicAddress(address), address).to.equal(false);
      }
      expect(isPublicAddress('8.8.8.8')).to.equal(true);
      expect(isPublicAddress('2606:4700:4700::1111')).to.equal(true);
      const guard = publicUrlGuard([]);
      expect(await guard(new URL('https://[::ffff:7f00:1]/badge.json'))).to.equal(false);
      expect(await guard(new URL('https://[::ffff:169.254.169.254]/'))).to.equal(false);
    });
  });

  describe('10. text from files people really have', () => {
    const rows = ['nom;email;consentement', 'Lætitia Cœur;laetitia@example.org;oui', 'Inès D’Almeida;;oui', '« Zoé » Façon-Ça;zoe.facon@example.org;x', 'Prix 5 € Jérôme;;oui', ''].join('\r\n');
    const names = ['Lætitia Cœur', 'Inès D’Almeida', '« Zoé » Façon-Ça', 'Prix 5 € Jérôme'];

    async function importFile(bytes: Buffer): Promise<{ text: string; names: string[] }> {
      const ariege = (await app.ctx.store.collectives.bySlug('ariege'))!;
      const version = (await app.ctx.store.achievements.current(ariege.id))[0]!;
      await adminA.get('/c/ariege/ateliers/new');
      const created = await adminA.post('/c/ariege/ateliers', { title: 'Atelier CSV', date: '2026-12-01', badgeClassIds: version.badgeClassId });
      const atelierPath = created.headers.get('location')!.split('?')[0]!;
      await adminA.get(atelierPath);
      const reply = await adminA.postMultipart(`${atelierPath}/import`, {}, { field: 'file', name: 'liste.csv', type: 'text/csv', bytes });
      const atelierId = atelierPath.split('/').pop()!;
      return { text: reply.text, names: (await app.ctx.store.ateliers.participants(ariege.id, atelierId)).map((p) => p.name) };
    }

    it('reads Windows-1252 (French Excel) and UTF-8 with BOM alike, œ ’ € « » é ç included', async () => {
      const cp1252 = iconv.encode(rows, 'windows-1252');
      expect(cp1252.includes(0x9c) && cp1252.includes(0x92) && cp1252.includes(0x80), 'œ ’ € in their 0x80–0x9F places').to.equal(true);
      expect((await importFile(cp1252)).names).to.have.members(names);
      expect((await importFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rows)]))).names).to.have.members(names);
      expect((await importFile(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(rows.replace(/;/g, '\t'), 'utf16le')]))).names, 'Excel’s Unicode text').to.have.members(names);
    });

    it('refuses, with the line, a name that still holds control characters; and in the form and the API too', async () => {
      // What Node 20's own decoder made of Windows-1252: C1 controls where œ and ’ were.
      const garbled = ['nom;email', 'Lætitia C\u009cur;', 'Inès D\u0092Almeida;', 'Bonne Personne;'].join('\n');
      const { text, names: imported } = await importFile(Buffer.from(garbled));
      expect(imported).to.deep.equal(['Bonne Personne']);
      expect(text).to.include('caractères invisibles').and.match(/Ligne 2/).and.match(/Ligne 3/);

      const ariege = (await app.ctx.store.collectives.bySlug('ariege'))!;
      const atelier = (await app.ctx.store.ateliers.list(ariege.id))[0]!;
      await adminA.get(`/c/ariege/ateliers/${atelier.id}`);
      const typed = await adminA.post(`/c/ariege/ateliers/${atelier.id}/participants`, { name: 'Mo\u202eïse', consent: 'yes' });
      expect(typed.status).to.equal(400);
      expect(typed.text).to.include('caractères invisibles');

      await adminA.get('/c/ariege/settings');
      const token = /id="new-token"[^>]*value="([^"]+)"/.exec((await adminA.post('/c/ariege/tokens', { name: 'outil' })).text)![1]!;
      const version = (await app.ctx.store.achievements.current(ariege.id))[0]!;
      const api = await fetch(`${app.url}/credentials/issue`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ credential: { credentialSubject: { achievement: { id: `${app.url}/achievements/${version.id}` }, name: 'C\u009cur', identifier: [{ identityType: 'emailAddress', hashed: false, identityHash: 'c@example.org' }] } } }),
      });
      expect(api.status).to.equal(400);
      expect(((await api.json()) as { error: { code: string } }).error.code).to.equal('API_REQUEST_INVALID');
      expect((await app.ctx.store.credentials.listIssued(ariege.id, {})).some((b) => b.recipientName.includes('\u009c'))).to.equal(false);
    });
  });

  it('authorize() is the only way to a scope: an instance admin is admin everywhere', async () => {
    const root = (await app.ctx.store.accounts.byEmail(ADMIN.email))!;
    expect((await authorize(app.ctx, root, 'couserans', 'admin')).role).to.equal('admin');
  });
});

describe('one problem model (issue 16 §4)', () => {
  it('a core error and an app error reach every edge as one problem: code, status, message in the reader’s language', async () => {
    const { problemOf, AppError } = await import('../src/shared/errors.js');
    const { Ob3Error } = await import('../src/ob3/errors.js');
    const core = problemOf(new Ob3Error('FETCH_TIMEOUT', { url: 'https://x', ms: 5 }));
    expect(core).to.include({ code: 'FETCH_TIMEOUT', status: 502 });
    expect(core.localized('fr')).not.to.equal(core.localized('en'));
    expect(problemOf(new AppError('NOT_FOUND', 404))).to.include({ code: 'NOT_FOUND', status: 404 });
    expect(problemOf({ type: 'entity.too.large', status: 413 })).to.include({ code: 'UPLOAD_TOO_LARGE', status: 413 });
    const bug = problemOf(new TypeError('boom'));
    expect(bug).to.include({ code: 'INTERNAL', status: 500, unexpected: true });
    expect(bug.localized('fr')).not.to.include('boom');
  });
});
