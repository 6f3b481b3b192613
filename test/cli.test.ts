// The `badgeons` command as a user runs it: the compiled bin, real files, exit codes.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import extractChunks from 'png-chunks-extract';
import { FIXTURES, SPEC, specDocuments, writeDocumentsMap } from './helpers/fixtures.js';
import { BIN, runCli } from './helpers/cli.js';

const run = runCli;

describe('badgeons CLI', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'badgeons-cli-'));
  const unsigned = path.join(SPEC, 'ex01-sample-openbadgecredential-file-contents.unsigned.json');
  let keyFile: string;
  let did: string;

  before(async () => {
    const { code, stdout } = await run(['keys', 'generate', '--dir', path.join(dir, 'keys')]);
    expect(code).to.equal(0);
    keyFile = /file: (.+)/.exec(stdout)![1]!;
    did = /did: (.+)/.exec(stdout)![1]!;
  });

  it('keys generate writes a 0600 key file and prints its path, did:key and key id', () => {
    expect(statSync(keyFile).mode & 0o777).to.equal(0o600);
    expect(did).to.match(/^did:key:z6Mk/);
    expect(readdirSync(path.join(dir, 'keys'))).to.have.length(1);
  });

  for (const format of ['di', 'jwt'] as const) {
    for (const image of ['unbaked.png', 'unbaked.svg']) {
      it(`sign --format ${format} → bake ${image} → unbake → verify --json`, async () => {
        const signed = await run(['sign', unsigned, '--key', keyFile, '--format', format]);
        expect(signed.code, signed.stderr).to.equal(0);
        const signedFile = path.join(dir, `signed-${format}.${format === 'di' ? 'json' : 'jwt'}`);
        writeFileSync(signedFile, signed.stdout);
        if (format === 'di') expect(JSON.parse(signed.stdout).issuer.id).to.equal(did);
        const out = path.join(dir, `baked-${format}-${image}`);
        expect((await run(['bake', path.join(FIXTURES, 'images', image), signedFile, '-o', out])).code).to.equal(0);
        const unbaked = await run(['unbake', out]);
        expect(unbaked.code).to.equal(0);
        expect(unbaked.stdout.trim()).to.equal(format === 'di' ? JSON.stringify(JSON.parse(signed.stdout), null, 2) : signed.stdout.trim());
        if (image.endsWith('.png')) {
          const chunk = extractChunks(readFileSync(out)).find((c) => c.name === 'iTXt')!;
          expect(Buffer.from(chunk.data).toString('latin1', 0, 19)).to.equal('openbadgecredential');
        }
        const verified = await run(['verify', out, '--json', '--offline']);
        expect(verified.code, verified.stdout).to.equal(0);
        const report = JSON.parse(verified.stdout);
        expect(Object.keys(report)).to.deep.equal(['verified', 'verdict', 'checks', 'credential']);
        expect(Object.keys(report.checks[0])).to.deep.equal(['id', 'status', 'code', 'message']);
        expect(report.verdict).to.equal('valid');
      });
    }
  }

  it('what `badgeons sign` makes verifies in plain @digitalbazaar/vc and against the official schema', async () => {
    const signed = await run(['sign', unsigned, '--key', keyFile]);
    const independent = path.resolve(path.dirname(BIN), '../../test/helpers/independent-verify.js');
    const out = await new Promise<string>((resolve, reject) => {
      const child = execFile(process.execPath, [independent], (error, stdout) => (error ? reject(error) : resolve(stdout)));
      child.stdin!.end(signed.stdout);
    });
    const result = JSON.parse(out);
    expect(result, out).to.include({ vc: true, schema: true });
  });

  it('sign --issuer uses the given DID and its key id', async () => {
    const signed = await run(['sign', unsigned, '--key', keyFile, '--issuer', 'did:web:badgeons.example.org:issuers:ariege']);
    const credential = JSON.parse(signed.stdout);
    expect(credential.issuer.id).to.equal('did:web:badgeons.example.org:issuers:ariege');
    expect(credential.proof.verificationMethod).to.match(/^did:web:badgeons\.example\.org:issuers:ariege#z6Mk/);
  });

  it('verify prints a readable report in the language of LANG, and exits 1 when not verified', async () => {
    const file = path.join(SPEC, 'ex01-sample-openbadgecredential-file-contents.signed-dataintegrity.json');
    const fr = await run(['verify', file, '--offline'], { LANG: 'fr_FR.UTF-8' });
    expect(fr.code).to.equal(1);
    expect(fr.stdout).to.contain('invérifiable');
    const map = writeDocumentsMap(specDocuments());
    const en = await run(['verify', file, '--offline', '--documents', map, '--now', '2026-11-22T00:00:00Z']);
    expect(en.code, en.stdout).to.equal(0);
    expect(en.stdout).to.contain('Genuine, valid credential.');
    const expired = await run(['verify', file, '--offline', '--documents', map, '--now', '2009-01-01T00:00:00Z', '--json']);
    expect(expired.code).to.equal(1);
    expect(JSON.parse(expired.stdout).verdict).to.equal('not-yet-valid');
  });

  it('verify --recipient checks the hashed email; verify - reads stdin', async () => {
    const unsignedWithEmail = path.join(dir, 'email.json');
    const base = JSON.parse(readFileSync(unsigned, 'utf8'));
    base.credentialSubject = { ...base.credentialSubject, id: undefined, identifier: [{ type: 'IdentityObject', hashed: true, identityType: 'emailAddress', salt: 'abc', identityHash: 'sha256$' + (await import('node:crypto')).createHash('sha256').update('camille@example.org' + 'abc').digest('hex') }] };
    writeFileSync(unsignedWithEmail, JSON.stringify(base));
    const signedFile = path.join(dir, 'email-signed.json');
    writeFileSync(signedFile, (await run(['sign', unsignedWithEmail, '--key', keyFile])).stdout);
    expect((await run(['verify', signedFile, '--offline', '--recipient', 'camille@example.org'])).code).to.equal(0);
    expect((await run(['verify', signedFile, '--offline', '--recipient', 'other@example.org'])).code).to.equal(1);
    const piped = await new Promise<number>((resolve) => {
      const child = execFile(process.execPath, [BIN, 'verify', '-', '--offline'], (error) => resolve(error ? Number(error.code) : 0));
      child.stdin!.end(readFileSync(signedFile));
    });
    expect(piped).to.equal(0);
  });

  it('exits 2 on unreadable input and bad usage, with a message and no stack trace', async () => {
    const garbage = path.join(dir, 'garbage.bin');
    writeFileSync(garbage, Buffer.from([1, 2, 3]));
    const unreadable = await run(['verify', garbage]);
    expect(unreadable.code).to.equal(2);
    expect(unreadable.stdout).to.contain('not a PNG or SVG image');
    const cut = path.join(dir, 'cut.json');
    writeFileSync(cut, '{"@context": ["https://www.w3.org/ns/credentials/v2"');
    const damaged = await run(['verify', cut]);
    expect(damaged.code, 'a damaged file is unreadable input too').to.equal(2);
    expect(damaged.stdout).to.contain('incomplete');
    const missing = await run(['verify', path.join(dir, 'nope.png')]);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.contain('ENOENT');
    const usage = await run(['sign']);
    expect(usage.code).to.equal(2);
    expect(usage.stderr).to.contain('usage');
    const badKey = await run(['sign', unsigned, '--key', garbage]);
    expect(badKey.code).to.equal(2);
    expect(badKey.stderr).to.contain('KEY_FILE_INVALID');
    for (const r of [unreadable, missing, usage, badKey]) expect(r.stderr + r.stdout).not.to.match(/\n\s+at /);
  });
});
