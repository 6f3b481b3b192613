// `badgeons demo` then `npm start` on the same folders: the printed badge opens and verifies.
import { expect } from 'chai';
import { authorize } from '../src/collectives/collectives.js';
import { collectiveReport } from '../src/reports/report.js';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { clearDocumentCache } from '../src/ob3/documents.js';
import { verify } from '../src/ob3/verify/index.js';
import { runCli } from './helpers/cli.js';
import { startServer } from '../src/server.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('badgeons demo', function () {
  this.timeout(60_000);

  it('fills an instance with a demo collective and its partner, and prints a badge that opens, verifies and carries the endorsement', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'badgeons-demo-'));
    const port = await freePort();
    const env = { PORT: String(port), PUBLIC_URL: `http://localhost:${port}`, DATA_DIR: path.join(dir, 'data'), KEYS_DIR: path.join(dir, 'keys') };
    const out = await runCli(['demo'], env);
    expect(out.code).to.equal(0);
    const url = /Issued badge: (\S+)/.exec(out.stdout)![1]!;
    expect(url).to.match(new RegExp(`^http://localhost:${port}/credentials/[\\w-]{22}$`));
    const running = await startServer(loadConfig(env), { log: () => {} });
    try {
      const page = await fetch(url).then((r) => r.text());
      expect(page).to.include('Écouter et accueillir');
      expect(page).to.include('Délivré à Camille Exemple');
      clearDocumentCache();
      const report = await verify(await fetch(`${url}.json`).then((r) => r.text()), { lang: 'en' });
      expect(report.verdict, JSON.stringify(report.checks)).to.equal('valid');
      // The demo partner's endorsement travels inside the badge, and stands.
      expect(page).to.include('Entreprise d’insertion de démonstration');
      expect(report.endorsements?.map((e) => [e.endorser.name, e.verdict])).to.deep.equal([['Entreprise d’insertion de démonstration', 'valid']]);
      expect(/Partner that endorses it: (\S+)/.exec(out.stdout)![1]).to.equal(`http://localhost:${port}/issuers/partenaire-demo`);
      const requestPage = /request page \(one request waits for an answer\): (\S+)/.exec(out.stdout)![1]!;
      expect((await fetch(requestPage)).status).to.equal(200);
      // A year of ateliers behind the report.
      const demoAccount = (await running.ctx.store.accounts.byEmail('demo@badgeons.invalid'))!;
      const year = await collectiveReport(running.ctx, await authorize(running.ctx, demoAccount, 'demo', 'admin'), { from: '2000-01-01', to: '2100-12-31' });
      expect(year.totals.ateliers.count).to.be.at.least(12);
      expect(year.totals.people.count).to.be.at.least(60);
      expect(year.departement.find((c) => c.key === '09')!.count).to.be.at.least(60);
      expect(/The funder's report \(a year of ateliers; for the collective's members\): (\S+)/.exec(out.stdout)![1]).to.equal(`http://localhost:${port}/c/demo/report`);
    } finally {
      await running.close();
    }
  });
});
