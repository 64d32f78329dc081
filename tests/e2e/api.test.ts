// The JSON API through the real built server, with the README's contract.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, base, rawRequest, signIn, waitForSearch } from './http.ts';

let token = '';
let cookie = '';
beforeAll(async () => ({ token, cookie } = await signIn()));

describe('sessions', () => {
  it('rejects wrong credentials with 401 and unauthenticated API calls with 401', async () => {
    const bad = await api('/api/v1/session', { method: 'POST', json: { email: 'admin@example.com', password: 'wrong password here' } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toHaveProperty('error');
    expect((await api('/api/v1/spaces')).status).toBe(401);
    expect((await api('/api/v1/spaces', { auth: 'forged.token' })).status).toBe(401);
  });

  it('sets an HttpOnly SameSite=Lax session cookie and accepts it or the bearer token', async () => {
    const res = await api('/api/v1/session', { method: 'POST', json: { email: 'admin@example.com', password: 'correct horse battery staple' } });
    const setCookie = res.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/dossier_session=[^;]+;.*HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect((await api('/api/v1/spaces', { headers: { cookie } })).status).toBe(200);
    expect((await api('/api/v1/spaces', { auth: token })).status).toBe(200);
  });
});

describe('spaces and pages', () => {
  it('lists the demo spaces with their kinds', async () => {
    const spaces = (await (await api('/api/v1/spaces', { auth: token })).json()) as { key: string; kind: string; visibility: string }[];
    expect(spaces.map((s) => s.key)).toEqual(expect.arrayContaining(['atlas', 'guide', 'it', 'policies']));
    expect(spaces.find((s) => s.key === 'atlas')).toMatchObject({ kind: 'project', visibility: 'org' });
    const one = await (await api('/api/v1/spaces/it', { auth: token })).json();
    expect(one).toMatchObject({ key: 'it', kind: 'it' });
    expect(one.pageCount).toBeGreaterThan(5);
    expect((await api('/api/v1/spaces/nope', { auth: token })).status).toBe(404);
  });

  it('creates, reads, updates, detects conflicts and lists revisions', async () => {
    const path = '/api/v1/pages/guide/api-test/%25-and-%5B%5B';
    const created = await api(path, { method: 'PUT', auth: token, json: { title: 'API test', markdown: '# Hello\n\nLinks to [[Searching]].' } });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ revision: 1 });
    const page = await (await api(path, { auth: token })).json();
    expect(page).toMatchObject({ space: 'guide', path: 'api-test/%-and-[[', title: 'API test', revision: 1, author: { email: 'admin@example.com' }, tags: [] });
    expect(page.html).toContain('href="/s/guide/searching"');
    const searching = await (await api('/api/v1/pages/guide/searching', { auth: token })).json();
    expect(searching.backlinks).toContainEqual({ space: 'guide', path: 'api-test/%-and-[[', title: 'API test' });
    const saved = await api(path, { method: 'PUT', auth: token, json: { markdown: 'second', baseRevision: 1, message: 'two' } });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ revision: 2 });
    const stale = await api(path, { method: 'PUT', auth: token, json: { markdown: 'lost?', baseRevision: 1 } });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: expect.any(String), current: { revision: 2, markdown: 'second' } });
    const revs = await (await api(path.replace('/pages/', '/revisions/'), { auth: token })).json();
    expect(revs.map((r: { revision: number }) => r.revision)).toEqual([2, 1]);
    expect(revs[0]).toMatchObject({ message: 'two', author: { email: 'admin@example.com' } });
  });

  it('answers bad input with a clear 4xx and changes nothing', async () => {
    const put = (path: string, body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
      api(path, { method: 'PUT', auth: token, body, headers });
    expect((await put('/api/v1/pages/guide/x', JSON.stringify({ title: ' ', markdown: 'x' }))).status).toBe(400);
    const json = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    for (const traversal of ['/api/v1/pages/guide/a/%2e%2e/b', '/api/v1/pages/guide/a/..%2fb', '/api/v1/pages/guide/..%5cb']) {
      expect(await rawRequest('PUT', traversal, json, JSON.stringify({ title: 'x', markdown: 'x' }))).toBe(400);
    }
    expect((await put('/api/v1/pages/guide/a%01b', JSON.stringify({ title: 'x', markdown: 'x' }))).status).toBe(400);
    expect((await put(`/api/v1/pages/guide/${'%E6%96%87'.repeat(171)}`, JSON.stringify({ title: 'x', markdown: 'x' }))).status).toBe(400);
    expect((await put('/api/v1/pages/guide/x', JSON.stringify({ title: 'x', markdown: 'x'.repeat(2 * 1024 * 1024 + 1) }))).status).toBe(413);
    expect((await put('/api/v1/pages/guide/x', '{"title": "x", "markdown": ')).status).toBe(400);
    expect((await put('/api/v1/pages/guide/x', Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]))).status).toBe(400);
    expect((await put('/api/v1/pages/guide/x', JSON.stringify({ title: 'x', markdown: 42 }))).status).toBe(400);
    expect((await put('/api/v1/pages/guide/x', JSON.stringify({ markdown: 'x', baseRevision: '1' }))).status).toBe(400);
    expect((await put('/api/v1/pages/nope/x', JSON.stringify({ title: 'x', markdown: 'x' }))).status).toBe(404);
    expect((await put('/api/v1/pages/guide/x', 'title=x', { 'content-type': 'text/plain', origin: base() })).status).toBe(415);
    expect((await api('/api/v1/pages/guide/x', { auth: token })).status).toBe(404);
  });

  it('rejects cross-site JSON writes even with a valid session cookie', async () => {
    const res = await api('/api/v1/pages/guide/csrf', { method: 'PUT', headers: { cookie, origin: 'https://evil.example' }, json: { title: 'x', markdown: 'x' } });
    expect(res.status).toBe(403);
    expect((await api('/api/v1/pages/guide/csrf', { auth: token })).status).toBe(404);
  });
});

describe('search and health', () => {
  it('finds English and Chinese demo pages through the API, with snippets', async () => {
    await waitForSearch(token, 'VPN', 'VPN setup');
    const en = await (await api('/api/v1/search?q=wireguard', { auth: token })).json();
    expect(en.hits.length).toBeGreaterThan(0);
    expect(en).toMatchObject({ total: expect.any(Number), tookMs: expect.any(Number) });
    await waitForSearch(token, '年假', '考勤与休假');
    const zh = await (await api(`/api/v1/search?q=${encodeURIComponent('年假')}&space=policies`, { auth: token })).json();
    expect(zh.hits[0]).toMatchObject({ type: 'page', space: 'policies', title: '考勤与休假' });
    expect(zh.hits[0].snippet).toContain('<mark>');
  });

  it('treats filter syntax as text and rejects huge queries', async () => {
    expect((await api(`/api/v1/search?q=${encodeURIComponent('spaceId = 1 OR 1=1')}`, { auth: token })).status).toBe(200);
    expect((await api(`/api/v1/search?q=x&tag=${encodeURIComponent('a" OR spaceId > 0 OR tags = "b')}`, { auth: token })).status).toBe(200);
    expect((await api(`/api/v1/search?q=${'x'.repeat(10_000)}`, { auth: token })).status).toBe(400);
  });

  it('answers search (served before Astro) as every API route answers: sign-in wall, headers, dead cookies cleared', async () => {
    for (const path of ['/api/v1/search?q=vpn', '/api/v1/spaces']) {
      const anonymous = await api(path);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toEqual({ error: 'Sign in first' });
      const signedIn = await api(path, { headers: { cookie } });
      expect(signedIn.status).toBe(200);
      expect(signedIn.headers.get('content-type')).toMatch(/^application\/json/);
      expect(signedIn.headers.get('x-content-type-options')).toBe('nosniff');
      expect(signedIn.headers.get('x-frame-options')).toBe('DENY');
      expect(signedIn.headers.get('cache-control')).toBe('no-store');
      const dead = await api(path, { headers: { cookie: 'dossier_session=forged.token' } });
      expect(dead.status).toBe(401);
      expect(dead.headers.getSetCookie().join('\n')).toMatch(/dossier_session=[^;]*;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i);
    }
    expect((await api('/api/v1/search?q=vpn&type=nonsense', { auth: token })).status).toBe(400);
  });

  it('sends the security headers with the middleware\'s own early answers too (sign-in wall, cross-site, not a form)', async () => {
    const early = [
      await api('/s/policies'), // 303 to sign in
      await api('/api/v1/spaces'), // 401
      await api('/s/policies', { method: 'POST', headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' }), // 403
      await api('/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }), // 415
    ];
    expect(early.map((r) => r.status)).toEqual([303, 401, 403, 415]);
    for (const res of early) {
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('reports health', async () => {
    const res = await fetch(`${base()}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', db: 'ok', search: 'ok', outboxPending: expect.any(Number) });
  });
});

describe('cross-site form posts', () => {
  it('refuses a sign-in or page form posted from another site', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' };
    expect((await api('/login', { method: 'POST', headers: form, body: 'email=a&password=b' })).status).toBe(403);
    expect((await api('/s/guide/searching', { method: 'POST', headers: { ...form, cookie }, body: '_action=delete' })).status).toBe(403);
    expect((await api('/s/guide/searching', { method: 'POST', headers: { ...form, origin: 'null', cookie }, body: '_action=delete' })).status).toBe(403);
    expect((await api('/api/v1/pages/guide/searching', { auth: token })).status).toBe(200);
  });
});
