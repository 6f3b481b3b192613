// The real app on a random port over a temporary DATA_DIR/KEYS_DIR, and a small HTTP client
// that keeps cookies and sends each form's CSRF token, as a browser would.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { authorize } from '../../src/collectives/collectives.js';
import { inviteMember } from '../../src/accounts/invitations.js';
import type { Role } from '../../src/store/index.js';

export const ADMIN = { email: 'admin@example.org', password: 'un mot de passe solide' };

export interface TestApp extends RunningServer {
  dir: string;
  logs: string[];
}

/** With PUBLIC_URL in `env`, it is kept; otherwise it follows the random port. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dir = mkdtempSync(path.join(tmpdir(), 'badgeons-app-'));
  const config = loadConfig({
    PORT: '0', DATA_DIR: path.join(dir, 'data'), KEYS_DIR: path.join(dir, 'keys'),
    BADGEONS_ADMIN_EMAIL: ADMIN.email, BADGEONS_ADMIN_PASSWORD: ADMIN.password,
    // One worker thread: every app test goes through the pool, without a thread per core per app.
    BADGEONS_WORKERS: '1', ...env,
  });
  const logs: string[] = [];
  const running = await startServer(config, { publicUrlFromPort: !env.PUBLIC_URL, log: (line) => logs.push(line) });
  return { ...running, dir, logs };
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  bytes: Buffer;
}

export class WebClient {
  private readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(readonly base: string, private readonly lang = 'fr') {}

  /** The same browser (cookies, CSRF token) talking to another address: a second app instance. */
  at(base: string): WebClient {
    const other = new WebClient(base, this.lang);
    (other as unknown as { cookies: Map<string, string> }).cookies = this.cookies;
    other.csrf = this.csrf;
    return other;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(method: string, url: string, init: { body?: URLSearchParams | FormData; headers?: Record<string, string> } = {}): Promise<Reply> {
    const res = await fetch(new URL(url, this.base), {
      method, redirect: 'manual', body: init.body ?? null,
      headers: { 'accept-language': this.lang, cookie: this.cookieHeader(), ...init.headers },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = pair!.indexOf('=');
      const value = pair!.slice(i + 1);
      if (/Max-Age=0/.test(line)) this.cookies.delete(pair!.slice(0, i));
      else this.cookies.set(pair!.slice(0, i), value);
    }
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = bytes.toString('utf8');
    // A plain form carries it in a hidden field, a multipart one in its action's query.
    const token = /name="_csrf" value="([^"]+)"|action="[^"]*[?&]_csrf=([^"&]+)"/.exec(text);
    if (token) this.csrf = token[1] ?? token[2]!;
    return { status: res.status, headers: res.headers, text, bytes };
  }

  get(url: string, headers: Record<string, string> = {}): Promise<Reply> {
    return this.request('GET', url, { headers });
  }

  /** Follows one 303 like a browser after a form. */
  async follow(reply: Reply): Promise<Reply> {
    const location = reply.headers.get('location');
    return location && reply.status >= 300 && reply.status < 400 ? this.get(location) : reply;
  }

  post(url: string, fields: Record<string, string | string[]>, { csrf = true } = {}): Promise<Reply> {
    const body = new URLSearchParams();
    if (csrf) body.append('_csrf', this.csrf);
    for (const [k, v] of Object.entries(fields)) for (const one of ([] as string[]).concat(v)) body.append(k, one);
    return this.request('POST', url, { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  /** As a browser sends a multipart form: the CSRF token in the action's query, as the pages write it. */
  postMultipart(url: string, fields: Record<string, string>, file?: { field: string; name: string; type: string; bytes: Buffer }, { csrf = true } = {}): Promise<Reply> {
    const form = new FormData();
    if (csrf) url += `${url.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(this.csrf)}`;
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    if (file) form.append(file.field, new Blob([file.bytes], { type: file.type }), file.name);
    return this.request('POST', url, { body: form });
  }

  async login(email = ADMIN.email, password = ADMIN.password): Promise<Reply> {
    await this.get('/login');
    return this.post('/login', { email, password, next: '/dashboard' });
  }
}

/**
 * Someone joins a collective as a new account, the way it happens for real: the instance admin
 * invites them, and they open the invitation link and choose their password. Returns their browser.
 */
export async function joinCollective(app: TestApp, slug: string, who: { email: string; name: string; role: Role; password?: string }): Promise<WebClient> {
  const admin = (await app.ctx.store.accounts.byEmail(ADMIN.email))!;
  const scope = await authorize(app.ctx, admin, slug, 'admin');
  const { url } = await inviteMember(app.ctx, scope, who, 'fr');
  const browser = new WebClient(app.url);
  await browser.get(new URL(url).pathname);
  const joined = await browser.post(new URL(url).pathname, { name: who.name, password: who.password ?? 'un mot de passe assez long' });
  if (joined.status !== 303) throw new Error(`joining ${slug} failed: ${joined.status}`);
  return browser;
}
