// The credential builder: what the spec requires, what our users need, and clear refusals.
import { expect } from 'chai';
import { buildCredential } from '../src/ob3/build.js';
import { hashIdentity, identityMatches } from '../src/ob3/identity.js';
import { validateSchema } from '../src/ob3/schema.js';
import { badgeInput } from './helpers/issuer.js';

describe('credential builder', () => {
  it('hashes identifiers as the spec’s check value says', () => {
    expect(hashIdentity('a@example.com', 'Kosher')).to.match(/^sha256\$b5809d8a.*ef399$/);
  });

  it('builds an OpenBadgeCredential that passes the official JSON schema', () => {
    const credential = buildCredential(badgeInput('did:web:badgeons.example.org:issuers:ariege'));
    expect(credential['@context'].slice(0, 2)).to.deep.equal(['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json']);
    expect(credential.type).to.deep.equal(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(credential.id).to.match(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(credential.credentialSchema).to.deep.equal([{ id: 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json', type: '1EdTechJsonSchemaValidator2019' }]);
    expect(validateSchema(credential, 'achievement').errors).to.equal(null);
  });

  it('identifies the recipient by a salted email hash, a DID and a display name', () => {
    const credential = buildCredential(badgeInput('did:example:issuer', { recipient: { email: ' Camille@Example.org ', did: 'did:example:camille', name: 'Camille' } }));
    const subject = credential.credentialSubject;
    expect(subject.id).to.equal('did:example:camille');
    expect(subject.name).to.equal('Camille');
    const identity = subject.identifier![0]!;
    expect(identity).to.include({ type: 'IdentityObject', identityType: 'emailAddress', hashed: true });
    expect(identity.salt).to.match(/^[0-9a-f]{32}$/);
    expect(identityMatches(identity, 'camille@example.org')).to.equal(true);
    expect(JSON.stringify(credential)).not.to.contain('Camille@Example.org');
  });

  it('carries the achievement: image with alt text, Markdown criteria, ext: type, tags, language, alignment', () => {
    const credential = buildCredential(badgeInput('did:example:issuer', {
      achievement: {
        ...badgeInput('x').achievement,
        alignments: [{ targetName: 'Travailler en équipe', targetUrl: 'http://data.europa.eu/esco/skill/a7ba1b3b', targetFramework: 'ESCO', targetType: 'ext:ESCO' }],
      },
      validUntil: '2028-01-01T00:00:00Z',
    }));
    const a = credential.credentialSubject.achievement;
    expect(a.image).to.deep.equal({ id: 'https://badgeons.example.org/images/equipe.png', type: 'Image', caption: 'Trois mains réunies' });
    expect(a.criteria.narrative).to.contain('**écouter**');
    expect(a.achievementType).to.equal('ext:SoftSkill');
    expect(a.tag).to.deep.equal(['coopération', 'écoute']);
    expect(a.inLanguage).to.equal('fr');
    expect(a.alignment![0]).to.include({ targetFramework: 'ESCO' });
    expect(credential.validUntil).to.equal('2028-01-01T00:00:00Z');
    expect(credential.evidence![0]!.narrative).to.contain('tour de parole');
    expect(validateSchema(credential, 'achievement').errors).to.equal(null);
  });

  it('refuses what would make an invalid badge, saying what is missing', () => {
    const base = badgeInput('did:example:issuer');
    const attempt = (overrides: object) => () => buildCredential({ ...base, ...overrides });
    expect(attempt({ recipient: {} })).to.throw(/email, a DID or a system id/);
    expect(attempt({ achievement: { ...base.achievement, image: { url: 'https://x/y.png', alt: ' ' } } })).to.throw(/alternative text/);
    expect(attempt({ achievement: { ...base.achievement, criteriaNarrative: '' } })).to.throw(/criteria/);
    expect(attempt({ validUntil: '2020-01-01T00:00:00Z' })).to.throw(/validUntil/);
    expect(attempt({ issuer: { id: 'not a uri', type: ['Profile'] } })).to.throw(/issuer/);
  });
});
