// `npm start` on a fresh machine: with no account, the one-time link to create the administrator is
// printed plainly on the terminal, kept out of the structured log, and opens the setup page.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

describe('first start', function () {
  this.timeout(30_000);

  it('prints the setup link plainly on stderr, not in the log, and the link opens the setup page', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'badgeons-first-'));
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DATA_DIR: path.join(dir, 'data'), KEYS_DIR: path.join(dir, 'keys') };
    delete env.BADGEONS_ADMIN_EMAIL;
    delete env.BADGEONS_ADMIN_PASSWORD;
    delete env.PUBLIC_URL;
    delete env.DATABASE_URL;
    const proc = spawn(process.execPath, [path.resolve('dist/src/server.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    try {
      const link = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no setup link on stderr: ${stderr}`)), 20_000);
        proc.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          const found = /^ {4}(http:\/\/localhost:\d+\/setup\/[A-Za-z0-9_-]{43})$/m.exec(stderr);
          if (found) { clearTimeout(timer); resolve(found[1]!); }
        });
      });
      expect(stderr).to.include('Open this link to create the administrator account');
      expect(stdout, 'not in the structured log').not.to.include(link.split('/').pop());
      const page = await fetch(link);
      expect(page.status).to.equal(200);
      expect(await page.text()).to.include('Créer le premier compte administrateur');
    } finally {
      proc.kill('SIGTERM');
      await new Promise((resolve) => proc.once('exit', resolve));
    }
  });
});
