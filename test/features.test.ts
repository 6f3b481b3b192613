// The features' use cases, called as the routes call them, on a real SQLite file in a temp dir and
// real keys: who may act (a Scope only authorize() makes), the rules each feature keeps, and the
// words people read, asserted through the message catalogue rather than as literal sentences.
import { expect } from 'chai';
import iconv from 'iconv-lite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAccount } from '../src/accounts/accounts.js';
import { inviteMember, removeMember } from '../src/accounts/invitations.js';
import { addParticipant, createAtelier, importParticipants, recordConsent } from '../src/ateliers/ateliers.js';
import { copyStarterBadge } from '../src/badge-classes/achievements.js';
import { authorize, createCollective, type AdminScope, type MemberScope } from '../src/collectives/collectives.js';
import { loadConfig } from '../src/config.js';
import { allowedActions, changeStatus } from '../src/credentials/credential-status.js';
import { translate } from '../src/i18n/index.js';
import { issueChoices, issueOne, prepareIssue } from '../src/issuing/issuing.js';
import { openContext } from '../src/server.js';
import type { Context } from '../src/shared/context.js';
import { AppError } from '../src/shared/errors.js';
import type { Account } from '../src/store/index.js';

/** The code of what `work` throws, or 'none'. */
async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'none';
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

describe('features (use cases on a real SQLite file)', function () {
  this.timeout(30_000);
  let dir: string;
  let ctx: Context;
  let admin: Account;
  let facilitator: Account;
  let stranger: Account;
  let adminScope: AdminScope;
  let facilitatorScope: MemberScope;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'badgeons-features-'));
    ctx = await openContext(loadConfig({ DATA_DIR: path.join(dir, 'data'), KEYS_DIR: path.join(dir, 'keys'), PUBLIC_URL: 'https://badges.example.org' }), () => {});
    admin = await createAccount(ctx, 'admin@example.org', 'Awa Admin', 'un mot de passe solide', true);
    facilitator = await createAccount(ctx, 'anim@example.org', 'Ana Anim', 'un mot de passe solide', false);
    stranger = await createAccount(ctx, 'autre@example.org', 'Oscar Autre', 'un mot de passe solide', false);
    await createCollective(ctx, admin, { slug: 'ariege', name: 'Badgeons l’Ariège' });
    const elsewhere = await createCollective(ctx, admin, { slug: 'ailleurs', name: 'Ailleurs' });
    await ctx.store.accounts.setMembership({ accountId: stranger.id, collectiveId: elsewhere.id, role: 'admin' });
    await ctx.store.accounts.setMembership({ accountId: facilitator.id, collectiveId: (await ctx.store.collectives.bySlug('ariege'))!.id, role: 'facilitator' });
    adminScope = await authorize(ctx, admin, 'ariege', 'admin');
    facilitatorScope = await authorize(ctx, facilitator, 'ariege', 'facilitator');
  });
  after(async () => {
    await ctx?.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('collectives: authorize is the only way to a Scope', () => {
    it('refuses a facilitator an admin scope, and anyone a collective they are not a member of', async () => {
      expect(await codeOf(authorize(ctx, facilitator, 'ariege', 'admin'))).to.equal('FORBIDDEN');
      expect(await codeOf(authorize(ctx, stranger, 'ariege', 'facilitator')), 'an admin elsewhere').to.equal('FORBIDDEN');
      expect(await codeOf(authorize(ctx, admin, 'nulle-part', 'facilitator'))).to.equal('NOT_FOUND');
      expect(adminScope.role).to.equal('admin');
      expect(facilitatorScope.collective.slug).to.equal('ariege');
    });
  });

  describe('accounts: members and invitations', () => {
    it('an admin cannot remove themself (a collective keeps an admin), and cannot invite a member twice', async () => {
      const error = await removeMember(ctx, adminScope, admin.id).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(AppError);
      expect((error as AppError).localized('fr')).to.equal(translate('fr', 'error.MEMBER_SELF'));
      expect((error as AppError).localized('en')).to.equal(translate('en', 'error.MEMBER_SELF'));
      expect(await codeOf(inviteMember(ctx, adminScope, { email: 'ANIM@example.org', name: 'Ana', role: 'facilitator' }, 'fr'))).to.equal('MEMBER_ALREADY');
      expect(await codeOf(inviteMember(ctx, adminScope, { email: 'new@example.org', name: 'Nina', role: 'owner' }, 'fr'))).to.equal('ROLE_INVALID');
    });
  });

  describe('ateliers and issuing', () => {
    let atelierId: string;
    let badgeClassId: string;

    before(async () => {
      badgeClassId = (await copyStarterBadge(ctx, facilitatorScope, 'ecoute')).badgeClassId;
      atelierId = (await createAtelier(ctx, facilitatorScope, { title: 'Atelier du mardi', date: '2026-11-24', badgeClassIds: [badgeClassId] })).id;
    });

    it('imports a list saved by French Excel (Windows-1252, semicolons) without corrupting œ ’ é', async () => {
      const csv = iconv.encode('Prénom;Nom;E-mail;Consentement\r\nChloé;Lœuvre;chloe@example.org;oui\r\nZoë;D’Arbois;;non\r\n', 'win1252');
      const report = await importParticipants(ctx, facilitatorScope, atelierId, csv);
      expect(report.rejected).to.deep.equal([]);
      expect(report.imported.map((p) => p.name)).to.have.members(['Chloé Lœuvre', 'Zoë D’Arbois']);
      expect(report.imported.find((p) => p.name === 'Chloé Lœuvre')!.consentAt).to.be.a('string');
    });

    it('issues only to people who agreed, knows who holds the badge, and revoking is for good', async () => {
      const person = await addParticipant(ctx, facilitatorScope, atelierId, { name: 'Inès Martin' });
      const request = { badgeClassId, participantIds: [person.id], reflections: { [person.id]: 'J’ai écouté sans couper la parole.' }, reissue: false };
      const { awards } = await prepareIssue(ctx, facilitatorScope, atelierId, request);
      expect(await codeOf(issueOne(ctx, facilitatorScope, awards[0]!))).to.equal('CONSENT_MISSING');
      await recordConsent(ctx, facilitatorScope, person.id);
      const { awards: agreed } = await prepareIssue(ctx, facilitatorScope, atelierId, request);
      const record = await issueOne(ctx, facilitatorScope, agreed[0]!);
      const { participants } = await issueChoices(ctx, facilitatorScope, atelierId, { badgeClassId });
      expect(participants.filter((p) => p.hasBadge).map((p) => p.id)).to.deep.equal([person.id]);
      expect(participants.find((p) => p.id === person.id)!.eligible, 'holds it: not ticked by "Tout cocher"').to.equal(false);

      // Another collective's scope cannot reach this badge.
      const elsewhere = await authorize(ctx, stranger, 'ailleurs', 'admin');
      expect(await codeOf(changeStatus(ctx, elsewhere, record.id, 'revoke'))).to.equal('NOT_FOUND');

      await changeStatus(ctx, facilitatorScope, record.id, 'revoke', 'erreur de badge');
      expect(await allowedActions(ctx, (await ctx.store.credentials.byId(record.id))!)).to.deep.equal([]);
      expect(await codeOf(changeStatus(ctx, facilitatorScope, record.id, 'reinstate'))).to.equal('ALREADY_REVOKED');
    });

    it('refuses a badge the atelier does not offer, and an empty choice, before anything is signed', async () => {
      expect(await codeOf(prepareIssue(ctx, facilitatorScope, atelierId, { badgeClassId: 'nope', participantIds: [], reflections: {}, reissue: false }))).to.equal('BADGE_NOT_OFFERED');
      expect(await codeOf(prepareIssue(ctx, facilitatorScope, atelierId, { badgeClassId, participantIds: [], reflections: {}, reissue: false }))).to.equal('NO_PARTICIPANT_CHOSEN');
    });
  });

  describe('the problem model', () => {
    it('translates an API reason at the edge, so a French message holds no English', () => {
      const error = new AppError('API_REQUEST_INVALID', 400, { reasonCode: 'notEmail', field: 'credentialSubject.identifier' });
      expect(error.localized('fr')).to.equal(translate('fr', 'error.API_REQUEST_INVALID', { reason: translate('fr', 'reason.notEmail', { field: 'credentialSubject.identifier' }) }));
      expect(error.localized('fr')).to.include('n’est pas une adresse e-mail');
      expect(error.localized('en')).to.include('is not an email address');
    });
  });
});
