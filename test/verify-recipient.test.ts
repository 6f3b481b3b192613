// Issue 15 §5: a recruiter confirms whose badge it is, on the page and through the API, in plain
// words, without the salted hash ever being shown.
import { expect } from 'chai';
import { WebClient, startTestApp, type TestApp } from './helpers/app.js';
import { issueToEmail } from './helpers/learner.js';

describe('whose badge is it (recipient check)', function () {
  this.timeout(30_000);
  let app: TestApp;
  let url: string;
  before(async () => {
    app = await startTestApp();
    const { credentialId } = await issueToEmail(app.ctx, 'ariege', 'Samira', 'Samira@Example.org');
    url = `${app.url}/credentials/${credentialId}`;
  });
  after(() => app?.close());

  it('the page says "correspond" or "ne correspond pas", and never shows the hash', async () => {
    const recruiter = new WebClient(app.url);
    await recruiter.get('/verify');
    const yes = await recruiter.postMultipart('/verify', { url, recipient: 'samira@example.org' });
    expect(yes.status).to.equal(200);
    expect(yes.text).to.include('Correspond : ce badge a bien été délivré à samira@example.org');
    const no = await recruiter.postMultipart('/verify', { url, recipient: 'autre@example.org' });
    expect(no.text).to.include('Ne correspond pas : ce badge n’a pas été délivré à autre@example.org');
    expect(no.text, 'still authentic').to.include('data-verdict="valid"');
    for (const page of [yes.text, no.text]) expect(page).not.to.match(/sha256\$[0-9a-f]{16}/);
    const without = await recruiter.postMultipart('/verify', { url });
    expect(without.text).not.to.include('id="recipient-answer"');
  });

  it('a badge with no signature, or cut short, is unverifiable, and the page says what to ask for rather than "try again later"', async () => {
    const { proof: _proof, ...unsigned } = JSON.parse(await (await fetch(`${url}.json`)).text()) as Record<string, unknown>;
    const recruiter = new WebClient(app.url);
    await recruiter.get('/verify');
    const page = await recruiter.postMultipart('/verify', { text: JSON.stringify(unsigned) });
    expect(page.text).to.include('data-verdict="unverifiable"');
    expect(page.text).to.include('ne porte pas la signature de son émetteur').and.not.include('Réessayez plus tard');
    // A copy cut short on a phone: damaged, never "forged", and the page says to ask for it again.
    const json = await (await fetch(`${url}.json`)).text();
    const cut = await recruiter.postMultipart('/verify', { text: json.slice(0, json.length - 40) });
    expect(cut.text).to.include('data-verdict="unverifiable"');
    expect(cut.text).to.include('abîmé ou incomplet').and.include('Demandez-le à nouveau');
  });

  it('the API answers recipientMatches, for a URL, a raw body with ?recipient=, and a multipart upload', async () => {
    const ask = async (body: string | FormData, query = '', headers: Record<string, string> = {}) =>
      (await fetch(`${app.url}/api/v1/verify${query}`, { method: 'POST', body, headers })).json() as Promise<{ verdict: string; verified: boolean; recipientMatches?: boolean }>;
    expect(await ask(JSON.stringify({ url, recipient: 'SAMIRA@example.org' }), '', { 'content-type': 'application/json' })).to.include({ verdict: 'valid', verified: true, recipientMatches: true });
    const json = await (await fetch(`${url}.json`)).text();
    expect(await ask(json, '?recipient=autre%40example.org', { 'content-type': 'application/json' })).to.include({ verdict: 'valid', verified: false, recipientMatches: false });
    const form = new FormData();
    form.append('credential', json);
    form.append('recipient', 'samira@example.org');
    expect(await ask(form)).to.include({ recipientMatches: true });
    expect(await ask(json, '', { 'content-type': 'application/json' })).not.to.have.property('recipientMatches');
  });
});
