// `npm run load`: the real server (`npm start`'s entry point) as its own process on loopback, under
// 200 concurrent connections from autocannon (bench/load.ts) for 10 s per scenario — the public
// credential page, POST /api/v1/verify, and logging in — with the server's memory read from
// /proc (resident now, and its peak) before, between and after. Prints a table.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 200);
const MS = Number(process.env.LOAD_MS ?? 10_000);
const PORT = 3900 + Math.floor(Math.random() * 90);
const url = `http://localhost:${PORT}`;
const dir = mkdtempSync(path.join(tmpdir(), 'badgeons-load-'));
const env = {
  ...process.env, PORT: String(PORT), PUBLIC_URL: url, DATA_DIR: path.join(dir, 'data'), KEYS_DIR: path.join(dir, 'keys'),
  BADGEONS_ADMIN_EMAIL: 'admin@example.org', BADGEONS_ADMIN_PASSWORD: 'un mot de passe solide', BADGEONS_RATE_LIMIT: String(1e9),
};

const run = (args: string[]) => new Promise<string>((resolve, reject) =>
  execFile(process.execPath, args, { env, maxBuffer: 1 << 24 }, (error, stdout) => (error ? reject(error) : resolve(stdout))));
const memory = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
};

const server = spawn(process.execPath, [path.join(here, '../src/server.js')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((resolve) => server.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('Badgeons is running')) resolve(); }));
try {
  // After the server made the admin account (the demo's own account would count as a first one).
  const demo = await run([path.join(here, '../src/cli/index.js'), 'demo']);
  const credentialUrl = /Issued badge: (\S+)/.exec(demo)![1]!;
  const json = await (await fetch(credentialUrl, { headers: { accept: 'application/ld+json' } })).text();
  const jsonFile = path.join(dir, 'badge.json');
  writeFileSync(jsonFile, json);
  const loginPage = await fetch(`${url}/login`);
  const cookie = loginPage.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await loginPage.text())![1]!;
  const loginFile = path.join(dir, 'login.txt');
  writeFileSync(loginFile, new URLSearchParams({ _csrf: csrf, email: env.BADGEONS_ADMIN_EMAIL, password: env.BADGEONS_ADMIN_PASSWORD }).toString());

  const scenarios: [string, string[]][] = [
    ['public credential page (GET)', [credentialUrl]],
    ['POST /api/v1/verify (JSON)', [`${url}/api/v1/verify`, '', '', jsonFile, 'application/json']],
    ['login (POST /login, scrypt)', [`${url}/login`, '', '', loginFile, 'application/x-www-form-urlencoded', JSON.stringify({ cookie })]],
  ];
  const rows = [];
  const idle = memory(server.pid!);
  for (const [name, [target, , , ...rest]] of scenarios) {
    const figures = JSON.parse(await run([path.join(here, 'load.js'), target!, String(CONNECTIONS), String(MS), ...rest])) as Record<string, number>;
    rows.push({ scenario: name, 'req/s': figures.rps, 'p50 ms': figures.p50, 'p99 ms': figures.p99, requests: figures.requests, errors: figures.errors, ...memory(server.pid!) });
    if (figures.errors) process.stderr.write(`${name}: ${JSON.stringify(figures)}\n`);
  }
  process.stdout.write(`Badgeons under load: ${CONNECTIONS} connections, ${MS / 1000} s per scenario, Node ${process.version}, loopback\n`);
  process.stdout.write(`server memory before: ${idle.rssMb} MB resident\n`);
  console.table(rows);
} finally {
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
