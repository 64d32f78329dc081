// Small HTTP helpers for tests against the running server.
import http from 'node:http';
import { ADMIN } from '../setup/server.ts';

export const base = () => process.env.TEST_BASE_URL!;

export async function signIn(creds = ADMIN, at = base()): Promise<{ cookie: string; token: string }> {
  const res = await fetch(`${at}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(creds) });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status}`);
  const { token } = (await res.json()) as { token: string };
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('dossier_session='))!.split(';')[0]!;
  return { cookie, token };
}

/** A request to the shared test server, or to the one at `at` (a test's own server). */
export function api(path: string, init: RequestInit & { json?: unknown; auth?: string; at?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  if (init.auth) headers.set('authorization', `Bearer ${init.auth}`);
  return fetch(`${init.at ?? base()}${path}`, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body, redirect: 'manual' });
}

/** Polls until the search API returns a hit with this title (indexing is asynchronous). */
export async function waitForSearch(token: string, q: string, title: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await api(`/api/v1/search?q=${encodeURIComponent(q)}`, { auth: token });
    if (res.ok && ((await res.json()) as { hits: { title: string }[] }).hits.some((h) => h.title === title)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`"${title}" not found by "${q}" within ${timeoutMs} ms`);
}

/** Polls `check` every 50 ms until it returns something truthy, which it then returns. */
export async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A request whose path is sent exactly as written (fetch would resolve "%2e%2e" segments itself). */
export function rawRequest(method: string, path: string, headers: Record<string, string>, body = ''): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base()}${path}`, { method, headers, path }, (res) => { res.resume(); resolve(res.statusCode!); });
    req.on('error', reject);
    req.end(body);
  });
}

/** A bearer token for this user, created by the admin token `admin` unless it exists already. */
export async function userToken(admin: string, email: string, name: string): Promise<string> {
  const password = 'a long enough password 42';
  const res = await api('/api/v1/users', { method: 'POST', auth: admin, json: { email, name, password } });
  if (res.status !== 201 && res.status !== 409) throw new Error(`creating ${email}: ${res.status}`);
  return (await signIn({ email, password })).token;
}
