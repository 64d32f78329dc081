// The HTTP server's own limits, through the built server with raw node:http requests: oversized
// bodies of any type (declared, lying or chunked) answer 413 while they stream, unknown methods
// 405 with Allow, a POST to a page that is not a form 415/400, an upload the client abandons does
// no harm, and the server keeps answering.
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, base, signIn } from './http.ts';

const MB = 1024 * 1024;
let cookie = '';
let token = '';
beforeAll(async () => { ({ cookie, token } = await signIn()); });

interface Answer { status: number; headers: http.IncomingHttpHeaders; text: string }

/**
 * Sends `body` chunk by chunk (chunked unless a Content-Length is given) and stops sending once
 * the server has answered, as a browser does.
 */
function send(method: string, path: string, headers: Record<string, string>, body: Iterable<Buffer> = [], end = true): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base()}${path}`, { method, headers });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', (err) => { if (!answered) reject(err); });
    void (async () => {
      for (const chunk of body) {
        if (answered || req.destroyed) return;
        if (!req.write(chunk)) await new Promise<void>((resolve) => {
          const go = () => { req.off('drain', go); req.off('close', go); resolve(); };
          req.on('drain', go).on('close', go);
        });
      }
      if (end) req.end();
    })();
  });
}

function* repeated(prefix: string, total: number, fill: string): Iterable<Buffer> {
  yield Buffer.from(prefix);
  const chunk = Buffer.alloc(MB, fill);
  for (let sent = prefix.length; sent < total; sent += MB) yield chunk.subarray(0, Math.min(MB, total - sent));
}

const form = () => ({ cookie, origin: base(), 'content-type': 'application/x-www-form-urlencoded' });

describe('request bodies over their limit', () => {
  it('a 30 MB url-encoded page form → 413, and the page is not created', async () => {
    const total = 30 * MB;
    const res = await send('POST', '/s/guide/limits/huge-form?edit', { ...form(), 'content-length': String(total) },
      repeated('_action=save&title=Huge&tags=&message=&markdown=', total, 'a'));
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe(`The request body is larger than ${8 * MB} bytes`);
    expect((await api('/api/v1/pages/guide/limits/huge-form', { auth: token })).status).toBe(404);
  });

  it('a 20 MB chunked multipart CSV upload without Content-Length → 413, and nothing is imported', async () => {
    const before = ((await (await api('/api/v1/projects/ATL/requirements', { auth: token })).json()) as unknown[]).length;
    const boundary = '----dossier-limits';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="_action"\r\n\r\nimport\r\n`
      + `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\nTitle\r\n`;
    const res = await send('POST', '/p/ATL/import', { cookie, origin: base(), 'content-type': `multipart/form-data; boundary=${boundary}` },
      repeated(head, 20 * MB, 'x'));
    expect(res.status).toBe(413);
    expect(res.text).toBe(`The request body is larger than ${2 * MB + 64 * 1024} bytes`);
    const after = ((await (await api('/api/v1/projects/ATL/requirements', { auth: token })).json()) as unknown[]).length;
    expect(after).toBe(before);
  });

  it('a chunked JSON body just over the limit → 413 with a JSON error', async () => {
    const res = await send('PUT', '/api/v1/pages/guide/limits/chunked-json', { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      repeated('{"title":"x","markdown":"', 2 * MB + 64 * 1024 + 1, 'a'));
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.text)).toEqual({ error: `The request body is larger than ${2 * MB + 64 * 1024} bytes` });
  });

  // Only POST /api/v1/attachments/<space>/<path> is an upload: any other request there, signed in
  // or not, has the limit of any other body, counted while it streams.
  it.each(['DELETE', 'PATCH', 'PUT'])('a 3 MB chunked %s to /api/v1/attachments/ → 413, before anyone is asked who sent it', async (method) => {
    // Chunked said outright: Node's client sends a DELETE's body unframed otherwise.
    const res = await send(method, '/api/v1/attachments/1', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, repeated('{"x":"', 3 * MB, 'a'));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toEqual({ error: `The request body is larger than ${2 * MB + 64 * 1024} bytes` });
  });

  it('a DELETE of an attachment declaring 25 MB → 413 at once', async () => {
    const started = Date.now();
    const res = await send('DELETE', '/api/v1/attachments/1', { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': String(25 * MB) }, [Buffer.from('{')], false);
    expect(res.status).toBe(413);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a lying Content-Length on a form → 413 at once, without waiting for the body', async () => {
    const started = Date.now();
    const res = await send('POST', '/s/guide/limits/lie?edit', { ...form(), 'content-length': String(30 * MB) }, [Buffer.from('_action=save&title=x')], false);
    expect(res.status).toBe(413);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a url-encoded form larger than a JSON body but within the form limit is saved', async () => {
    // 260k Chinese characters: 780 KB of Markdown, 2.3 MB once percent-encoded.
    const markdown = '中文'.repeat(130_000);
    const body = new URLSearchParams({ _action: 'save', title: 'Percent-encoded', tags: '', message: '', markdown }).toString();
    expect(body.length).toBeGreaterThan(2 * MB + 64 * 1024);
    const res = await send('POST', '/s/guide/limits/encoded?edit', form(), [Buffer.from(body)]);
    expect(res.status).toBe(303);
    const page = (await (await api('/api/v1/pages/guide/limits/encoded', { auth: token })).json()) as { markdown: string };
    expect(page.markdown).toBe(markdown);
  });
});

describe('a POST to a page or form that is not a form', () => {
  // Every route that takes a form, signed in as a site admin (admin pages included), and two that
  // do not exist; /login also signed out. The middleware reads the form for all of them (src/middleware.ts), so each answers
  // alike: 415 for another content type or none, 400 for a body that does not parse as a form.
  const ROUTES = [
    '/login', '/inbox', '/account', '/s/guide/searching', '/s/guide/searching?edit', '/s/guide?new',
    '/p/ATL/ATL-1', '/p/ATL/board', '/p/ATL/new', '/p/ATL/import', '/p/ATL/settings', '/p/ATL/webhooks', '/p/ATL/desk', '/p',
    '/forms/comments', '/forms/page-review', '/admin/spaces', '/admin/spaces/guide', '/admin/users', '/admin/users/1', '/admin/groups', '/admin/synonyms',
    '/no/such/route', '/s/no-such-space/page',
  ];
  const NOT_A_FORM = 'Send a form: Content-Type application/x-www-form-urlencoded or multipart/form-data';
  const BODIES: { name: string; headers: Record<string, string>; body: string; status: number; text: string }[] = [
    { name: 'JSON', headers: { 'content-type': 'application/json' }, body: '{}', status: 415, text: NOT_A_FORM },
    { name: 'plain text', headers: { 'content-type': 'text/plain' }, body: '_action=save', status: 415, text: NOT_A_FORM },
    { name: 'no body at all', headers: {}, body: '', status: 415, text: NOT_A_FORM },
    { name: 'multipart without a boundary', headers: { 'content-type': 'multipart/form-data' }, body: 'x', status: 400, text: 'The body is not a valid form' },
    { name: 'multipart that is not', headers: { 'content-type': 'multipart/form-data; boundary=b' }, body: 'no parts here', status: 400, text: 'The body is not a valid form' },
  ];
  const cases = [...ROUTES.map((url) => ({ who: 'admin', url })), { who: 'signed out', url: '/login' }]
    .flatMap((to) => BODIES.map((b) => ({ ...to, ...b })));

  it.each(cases)('$who: $url with $name → $status', async ({ who, url, headers, body, status, text }) => {
    const res = await send('POST', url, { ...(who === 'admin' ? { cookie } : {}), origin: base(), ...headers, ...(body ? {} : { 'content-length': '0' }) }, [Buffer.from(body)]);
    expect([res.status, res.text]).toEqual([status, text]);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.headers['content-security-policy']).toBeTruthy();
  });

  it('a form still goes through (the page reads the form the middleware read)', async () => {
    const res = await send('POST', '/s/guide/limits/a-form?edit', form(), [Buffer.from('_action=save&title=A+form&tags=&message=&markdown=hello')]);
    expect(res.status).toBe(303);
    expect((await api('/api/v1/pages/guide/limits/a-form', { auth: token })).status).toBe(200);
  });
});

describe('methods', () => {
  const ALLOW = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
  it.each(['TRACE', 'PROPFIND'])('%s → 405 with Allow', async (method) => {
    const res = await send(method, '/api/v1/spaces', { authorization: `Bearer ${token}` });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(ALLOW);
    expect(JSON.parse(res.text)).toEqual({ error: `The method ${method} is not allowed` });
  });

  /** What the server answers to a raw request line (for methods Node's parser does not know). */
  async function rawStatus(requestLine: string): Promise<{ status: string; allow: string | undefined }> {
    const url = new URL(base());
    const socket = net.connect(Number(url.port), url.hostname);
    await once(socket, 'connect');
    socket.write(`${requestLine}\r\nHost: ${url.host}\r\n\r\n`);
    let text = '';
    for await (const chunk of socket) text += String(chunk);
    return { status: text.split('\r\n', 1)[0]!, allow: /\r\nAllow: ([^\r]*)/i.exec(text)?.[1] };
  }

  it.each([['TRACK', 'TRACK / HTTP/1.1'], ['a made-up method', 'FROBNICATE / HTTP/1.1'], ['CONNECT', `CONNECT example.com:443 HTTP/1.1`]])('%s → 405 with Allow', async (_name, line) => {
    expect(await rawStatus(line)).toEqual({ status: 'HTTP/1.1 405 Method Not Allowed', allow: ALLOW });
  });
});

describe('an upload the client abandons', () => {
  it('leaves nothing behind, and the server keeps answering', async () => {
    const req = http.request(`${base()}/s/guide/limits/abandoned?edit`, { method: 'POST', headers: form() });
    req.on('error', () => {});
    req.write('_action=save&title=Abandoned&markdown=');
    req.write(Buffer.alloc(MB, 'a'));
    await new Promise((r) => setTimeout(r, 200));
    req.destroy();
    await new Promise((r) => setTimeout(r, 200));
    expect((await api('/api/v1/pages/guide/limits/abandoned', { auth: token })).status).toBe(404);
  });

  it('after all of the above, /healthz still answers', async () => {
    const res = await fetch(`${base()}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });
});
