// Hostile uploads: each is refused with a clear 4xx that stores nothing, or stored as what its
// bytes are and served so that nothing of it can run. Every stored file is then opened in
// Chromium (its URL, its original, and as a <script src> planted on a Dossier page, as an XSS
// would): no dialog may open and nothing may set window.pwned.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, signedInPage } from './browser.ts';
import { api, signIn, userToken } from './http.ts';
import { gifJsPolyglot, multipart, png, zipBomb } from '../fixtures/attachments.ts';

const target = '/api/v1/attachments/guide/att-hostile';
let admin = '';
let reader = '';
let browser: Browser;
let tab: Page;
const fired: string[] = [];

async function upload(name: string, bytes: Buffer, opts: { auth?: string; path?: string; rawName?: string; field?: string } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const { contentType, body } = multipart(name, bytes, { field: opts.field });
  const sent = opts.rawName === undefined ? body : Buffer.from(body.toString('latin1').replace(`filename="${name}"`, opts.rawName), 'latin1');
  const res = await api(opts.path ?? target, { method: 'POST', auth: opts.auth ?? admin, headers: { 'content-type': contentType }, body: new Uint8Array(sent) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const count = async () => ((await (await api(target, { auth: admin })).json()) as unknown[]).length;

/** Opens a URL in Chromium (a download is fine) and reports whether anything ran. */
async function opened(url: string): Promise<number> {
  await tab.goto(url).catch((err: Error) => { if (!/Download is starting|net::ERR_ABORTED/.test(err.message)) throw err; });
  await tab.waitForTimeout(200);
  return tab.evaluate(() => (window as unknown as { __fired?: unknown[] }).__fired?.length ?? 0).catch(() => 0);
}

beforeAll(async () => {
  ({ token: admin } = await signIn());
  reader = await userToken(admin, 'hostile.reader@example.com', 'Hostile Reader');
  expect((await api('/api/v1/pages/guide/att-hostile', { method: 'PUT', auth: admin, json: { title: 'Hostile uploads', markdown: 'x' } })).status).toBe(201);
  browser = await launch();
  tab = await signedInPage(browser);
  tab.on('dialog', (d) => { fired.push(d.message()); void d.dismiss(); });
  await tab.addInitScript(() => {
    (window as unknown as { __fired: unknown[] }).__fired = [];
    Object.defineProperty(window, 'pwned', { set: (v) => { (window as unknown as { __fired: unknown[] }).__fired.push(v); }, get: () => undefined });
  });
});
afterAll(async () => { await browser?.close(); });

describe('refused uploads: a clear 4xx, nothing stored', () => {
  it.each([
    ['an empty file', 'empty.txt', Buffer.alloc(0), 400, /empty/],
    ['a 1,000-character name', `${'长'.repeat(996)}.png`, Buffer.from('x'), 400, /at most 255 characters/],
    ['a name of dots', '..', Buffer.from('x'), 400, /needs a name/],
    ['no file part', '', Buffer.from('x'), 400, /no file/],
    // Raw control characters in a part's header break multipart itself (RFC 5987 names below are cleaned instead).
    ['a raw control character in the name', 'pass\u0001wd.txt', Buffer.from('x'), 400, /multipart body is not valid/],
  ] as const)('%s', async (_, name, bytes, status, message) => {
    const before = await count();
    const res = name === '' ? await upload('x.txt', bytes, { field: 'attachment' }) : await upload(name, bytes);
    expect(res.status).toBe(status);
    expect(String(res.body.error)).toMatch(message);
    expect(await count()).toBe(before);
  });

  it('a page you may not edit, and one in a space you may not read', async () => {
    const before = await count();
    expect((await upload('r.txt', Buffer.from('x'), { auth: reader })).status).toBe(403);
    expect((await upload('r.txt', Buffer.from('x'), { path: '/api/v1/attachments/no-such-space/x' })).status).toBe(404);
    expect(await count()).toBe(before);
  });

  it('not multipart, and a cross-site form', async () => {
    expect((await api(target, { method: 'POST', auth: admin, json: { file: 'x' } })).status).toBe(415);
    const { contentType, body } = multipart('x.txt', Buffer.from('x'));
    const res = await api(target, { method: 'POST', auth: admin, headers: { 'content-type': contentType, origin: 'https://evil.example' }, body: new Uint8Array(body) });
    expect(res.status).toBe(403);
  });
});

describe('stored as what the bytes are, served so that nothing runs', () => {
  const payload = '<script>window.pwned=1;alert(1)</script>';
  const cases: [string, string, () => Buffer | Promise<Buffer>, string, RegExp][] = [
    ['a PNG named .html', 'picture.html', () => png(10, 10, 21), 'image/png', /^inline;/],
    ['HTML with script', 'page.html', () => Buffer.from(`<!doctype html><html><body>${payload}</body></html>`), 'application/octet-stream', /^attachment;/],
    ['SVG with script', 'icon.svg', () => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" onload="window.pwned=1">${payload}</svg>`), 'application/octet-stream', /^attachment;/],
    ['a ZIP bomb named .png', 'bomb.png', () => zipBomb(), 'application/zip', /^attachment;/],
    ['a name with ../', '../../etc/passwd.txt', () => Buffer.from('text'), 'application/octet-stream', /^attachment;/],
  ];
  it.each(cases)('%s', async (_, name, make, type, disposition) => {
    const bytes = await make();
    const res = await upload(name, bytes);
    expect(res.status).toBe(201);
    const a = res.body as { url: string; type: string; name: string; size: number };
    expect(a.type).toBe(type);
    expect(a.name).not.toMatch(/[/\\\u0000-\u001f\u202e]/);
    expect(a.size).toBe(bytes.length);
    const file = await api(a.url, { auth: admin });
    expect(file.headers.get('content-disposition')).toMatch(disposition);
    expect(file.headers.get('content-type')).not.toMatch(/html|svg|xml|javascript/);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(await opened(a.url) + await opened(`${a.url}?original=1`)).toBe(0);
    expect(fired).toEqual([]);
  });

  it('a name with control characters sent as RFC 5987 is stored cleaned', async () => {
    const res = await upload('x.txt', Buffer.from('text'), { rawName: `filename*=UTF-8''..%2F..%2Fpass%01wd%E2%80%AE%E5%91%A8.txt` });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('passwd周.txt');
  });

  it('a GIF that is also JavaScript never runs as a script', async () => {
    const res = await upload('polyglot.gif', gifJsPolyglot());
    // Refused as an unreadable image, or stored as the GIF it also is.
    expect([201, 400]).toContain(res.status);
    if (res.status === 201) {
      const { url, type } = res.body as { url: string; type: string };
      expect(type).toBe('image/gif');
      expect(await opened(url) + await opened(`${url}?original=1`)).toBe(0);
      // As an XSS would use it: a <script src> on one of our pages. nosniff + image/gif: Chromium refuses it.
      await tab.goto('/s/guide/att-hostile');
      for (const src of [url, `${url}?original=1`]) {
        await tab.evaluate((s) => new Promise<void>((resolve) => {
          const el = document.createElement('script');
          el.src = s;
          el.onload = el.onerror = () => resolve();
          document.head.append(el);
        }), src);
      }
      expect(await tab.evaluate(() => (window as unknown as { __fired: unknown[] }).__fired.length)).toBe(0);
    } else {
      expect(String(res.body.error)).toMatch(/image/);
    }
    expect(fired).toEqual([]);
  });
});

