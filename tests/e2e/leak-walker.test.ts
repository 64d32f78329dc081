// The permission-leak walker (issue 9): builds the red team's setup through the API, then walks
// every route found under src/pages, as two ordinary users, with every value its parameters can
// take here, and asserts that no word of restricted content appears in any answer — nor in the
// payloads that the project's webhooks send to a chat group. A new route is walked without
// anyone listing it; a new kind of route parameter fails the test until it gets values below.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../../scripts/lib/build.ts';
import { unzip } from '../fixtures/unzip.ts';
import { launch, screenshot } from './browser.ts';
import { api, base, signIn } from './http.ts';

// Words only restricted content has: a page's path and body (its title, "Plan", is what public
// pages link it by), another page's title (linked from nowhere), the restricted project's requirement,
// and a restricted requirement (its category is restricted) in a project both walkers may read.
const SECRET = /zebraquill|vaultplanpath|obsidianfalcon|sealedthing|lockedwren/i;
const PASSWORD = 'a long enough password 42';

/** Values each route parameter takes in the walk (by its name in src/pages). */
const PARAM_VALUES: Record<string, string[]> = {
  space: ['lw-vault', 'lw-pub', 'lworg', 'lwsec', 'nope'],
  path: ['', 'vaultplanpath', 'second', 'linker', 'probe'],
  project: ['LWORG', 'LWSEC', 'NOPE'],
  req: ['LWORG-1', 'LWSEC-1', 'LWORG-9', 'LWORG-2'],
  key: ['LWORG', 'LWSEC', 'LWORG-1', 'LWSEC-1', 'LWORG-2', 'lw-vault', 'lw-pub'],
  id: ['1', '2', '3'],
  deliveryId: ['1', '2', '3'],
  name: ['lw-vault-team'],
};
/** Query strings tried on every route (searches for each secret word, a CSV), and on pages their modes. */
const QUERIES = ['', '?q=zebraquill', '?q=obsidianfalcon', '?q=sealedthing&format=csv'];
const PAGE_QUERIES = [...QUERIES, '?history', '?rev=1', '?diff&from=1&to=2', '?edit', '?move', '?delete', '?deleted', '?new', '?removed=1', '?moved-from=vaultplanpath'];
/** Routes that end the walker's own session when visited. */
const SIGNS_OUT = new Set(['/logout']);

interface Route { file: string; pattern: string[] }

/** An answer's text; a zip (an export) as its entries' names and contents, which deflate would hide from a search of the bytes. */
async function bodyText(res: Response): Promise<string> {
  if (res.headers.get('content-type') !== 'application/zip') return res.text();
  const entries = await unzip(Buffer.from(await res.arrayBuffer()));
  return entries.map((e) => `${e.name}\n${e.bytes.toString()}`).join('\n');
}

function routes(dir = path.join(root, 'src/pages'), prefix: string[] = []): Route[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return routes(path.join(dir, entry.name), [...prefix, entry.name]);
    const name = entry.name.replace(/\.(astro|ts)$/, '');
    return [{ file: path.join(...prefix, entry.name), pattern: name === 'index' ? prefix : [...prefix, name] }];
  });
}

/** Every URL a route pattern gives with the parameter values above. */
function urls(route: Route): string[] {
  let out = [''];
  for (const segment of route.pattern) {
    const param = /^\[(?:\.\.\.)?([^\]]+)\]/.exec(segment);
    const rest = param ? segment.slice(param[0].length) : ''; // ".csv" after a parameter
    const values = param ? PARAM_VALUES[param[1]!] : [segment];
    if (!values) throw new Error(`${route.file}: no walker values for the route parameter "${param![1]}"`);
    out = out.flatMap((prefix) => values.map((v) => (v === '' ? prefix : `${prefix}/${encodeURIComponent(v)}${rest}`)));
  }
  return out.map((u) => u || '/');
}

const received: string[] = [];
let receiver: http.Server;
let admin = '';
let vaultFile = ''; // an attachment's URL in the restricted space
const users = {} as Record<'keeper' | 'never' | 'revoked', { cookie: string; token: string; email: string }>;

async function ok(res: Promise<Response>, what: string): Promise<Response> {
  const r = await res;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${await r.text()}`);
  return r;
}

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => { received.push(body); res.end('ok'); });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${(receiver.address() as import('node:net').AddressInfo).port}/hook`;

  ({ token: admin } = await signIn());
  for (const who of ['keeper', 'never', 'revoked'] as const) {
    const email = `${who}.walker@example.com`;
    await ok(api('/api/v1/users', { method: 'POST', auth: admin, json: { email, name: who, password: PASSWORD } }), `user ${who}`);
    users[who] = { ...(await signIn({ email, password: PASSWORD })), email };
  }
  const { keeper, never, revoked } = users;
  await ok(api('/api/v1/spaces', { method: 'POST', auth: admin, json: { key: 'lw-vault', name: 'Vault', visibility: 'restricted' } }), 'lw-vault');
  await ok(api('/api/v1/spaces', { method: 'POST', auth: admin, json: { key: 'lw-pub', name: 'Public' } }), 'lw-pub');
  await ok(api('/api/v1/groups', { method: 'POST', auth: admin, json: { name: 'lw-vault-team' } }), 'group');
  await ok(api('/api/v1/groups/lw-vault-team/members', { method: 'PUT', auth: admin, json: { emails: [revoked.email] } }), 'members');
  await ok(api('/api/v1/spaces/lw-vault/grants', { method: 'PUT', auth: admin, json: [{ user: keeper.email, role: 'editor' }, { group: 'lw-vault-team', role: 'reader' }] }), 'grants');
  await ok(api('/api/v1/spaces/lw-pub/grants', { method: 'PUT', auth: admin, json: [keeper, never, revoked].map((u) => ({ user: u.email, role: 'editor' })) }), 'grants');
  await ok(api('/api/v1/projects', { method: 'POST', auth: admin, json: { key: 'LWORG', name: 'Org project', owner: keeper.email } }), 'LWORG');
  await ok(api('/api/v1/projects', { method: 'POST', auth: admin, json: { key: 'LWSEC', name: 'Secret project', owner: keeper.email, visibility: 'restricted' } }), 'LWSEC');
  await ok(api('/api/v1/spaces/lworg/grants', { method: 'PUT', auth: admin, json: [{ user: keeper.email, role: 'admin' }, { user: never.email, role: 'editor' }] }), 'grants');
  for (const format of ['json', 'lark', 'slack']) {
    await ok(api('/api/v1/projects/LWORG/webhooks', { method: 'POST', auth: keeper.token, json: { url: hook, format } }), 'webhook');
  }
  await ok(api('/api/v1/projects/LWSEC/requirements', { method: 'POST', auth: keeper.token, json: { title: 'Sealedthing', category: 'feature' } }), 'LWSEC-1');
  await ok(api('/api/v1/projects/LWORG/requirements', { method: 'POST', auth: keeper.token, json: { title: 'Public requirement', category: 'feature' } }), 'LWORG-1');
  await ok(api('/api/v1/requirements/LWORG-1', { method: 'PATCH', auth: keeper.token, json: { assignee: revoked.email } }), 'assign');
  // Row-level visibility: LWORG's customer issues are restricted; LWORG-2 is one, seen by its
  // reporter (the keeper) only, though both walkers may read (and one edit) the project. Its tag
  // is its content too (the submit form offers the tags in use).
  const categories = (await (await ok(api('/api/v1/projects/LWORG/categories', { auth: keeper.token }), 'categories')).json()) as { key: string }[];
  await ok(api('/api/v1/projects/LWORG/categories', { method: 'PUT', auth: keeper.token, json: categories.map((c) => (c.key === 'issue' ? { ...c, restricted: true } : c)) }), 'restrict issues');
  await ok(api('/api/v1/projects/LWORG/requirements', { method: 'POST', auth: keeper.token, json: { title: 'Lockedwren customer outage', category: 'issue', description: 'lockedwren details', tags: ['lockedwrentag'] } }), 'LWORG-2');
  await ok(api('/api/v1/pages/lw-vault/vaultplanpath', { method: 'PUT', auth: keeper.token, json: { title: 'Plan', markdown: 'The obsidianfalcon budget, for LWORG-1 and LWSEC-1.' } }), 'vault page');
  const form = new FormData();
  form.append('file', new Blob(['the obsidianfalcon budget sheet']), 'zebraquill-budget.txt');
  vaultFile = ((await (await ok(api('/api/v1/attachments/lw-vault/vaultplanpath', { method: 'POST', auth: keeper.token, body: form }), 'vault file')).json()) as { url: string }).url;
  await ok(api('/api/v1/requirements/LWORG-1/links', { method: 'POST', auth: keeper.token, json: { space: 'lw-vault', path: 'vaultplanpath', relation: 'plan' } }), 'link');
  await ok(api('/api/v1/pages/lw-pub/linker', { method: 'PUT', auth: keeper.token, json: { title: 'Linker', markdown: 'See [[lw-vault:Plan]] and LWSEC-1; LWORG-1 is ours, LWORG-2 is restricted.' } }), 'linker');
  await ok(api('/api/v1/requirements/LWORG-1/comments', { method: 'POST', auth: keeper.token, json: { comment: 'Reviewed with the plan.' } }), 'comment');
  // Page comments and watching: the revoked user watches the vault and is mentioned in a comment
  // there (with a secret word) while still a reader; the never-granted one is mentioned too.
  await ok(api('/api/v1/space-watches/lw-vault', { method: 'PUT', auth: revoked.token }), 'watch vault');
  await ok(api('/api/v1/comments/lw-vault/vaultplanpath', { method: 'POST', auth: keeper.token, json: { markdown: '@revoked and @never: the obsidianfalcon numbers are in.' } }), 'page comment');
  // The revoked user loses the group's grant; the never-granted one probes by writing a link.
  await ok(api('/api/v1/groups/lw-vault-team/members', { method: 'PUT', auth: admin, json: { emails: [] } }), 'revoke');
  await ok(api('/api/v1/pages/lw-vault/second', { method: 'PUT', auth: keeper.token, json: { title: 'Zebraquill annex', markdown: 'More on LWORG-1 and the obsidianfalcon budget.' } }), 'second');
  // Overdue for review, so the vault's freshness view (/s/lw-vault/-/freshness) lists its title.
  await ok(api('/api/v1/pages/lw-vault/second', { method: 'PATCH', auth: keeper.token, json: { reviewBy: '2020-01-01' } }), 'overdue review');
  await ok(api('/api/v1/pages/lw-pub/probe', { method: 'PUT', auth: never.token, json: { title: 'Probe', markdown: '[[lw-vault:Plan]] [[lw-vault:Planx]] [[lw-vault:second]]' } }), 'probe');
  // Every webhook delivery has arrived (three webhooks × the LWORG events since they exist).
  const deadline = Date.now() + 20_000;
  while (received.length < 3 * 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
});

afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

describe('permission-leak walker', () => {
  it('finds the routes and walks them all', () => {
    expect(vaultFile).toMatch(/^\/files\/\d+\/zebraquill-budget\.txt$/);
    const all = routes();
    expect(all.length).toBeGreaterThan(50);
    expect(all.flatMap(urls)).toContain('/p/LWSEC/LWSEC-1');
  });

  it('shows no restricted word on any route to a user who never had a grant or lost it', async () => {
    const leaks: string[] = [];
    let walked = 0;
    for (const who of ['never', 'revoked'] as const) {
      for (const url of routes().flatMap(urls)) {
        if (SIGNS_OUT.has(url)) continue;
        for (const query of url.startsWith('/s/') ? PAGE_QUERIES : QUERIES) {
          // The session cookie: pages and API routes alike (a bearer token is the same viewer).
          const res = await fetch(`${base()}${url}${query}`, { headers: { cookie: users[who].cookie }, redirect: 'manual' });
          // What the request itself says (a searched word, a typed path) may be shown back to its sender.
          const asked = new Set(`${decodeURIComponent(url)} ${query}`.match(new RegExp(SECRET.source, 'gi')) ?? []);
          let text = `${res.headers.get('location') ?? ''} ${await bodyText(res)}`;
          for (const word of asked) text = text.replace(new RegExp(word, 'gi'), '');
          walked++;
          if (res.status >= 500) leaks.push(`${who} ${url}${query}: ${res.status}`);
          const found = SECRET.exec(text);
          if (found) leaks.push(`${who} ${url}${query}: "${found[0]}" in …${text.slice(Math.max(0, found.index - 80), found.index + 40)}…`);
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(walked).toBeGreaterThan(1000);
  }, 240_000);

  it('tells the writer of a link nothing about pages they may not read', async () => {
    const { html } = (await (await api('/api/v1/pages/lw-pub/probe', { auth: users.never.token })).json()) as { html: string };
    const [plan, planx] = [...html.matchAll(/<a [^>]*>[^<]*<\/a>/g)].map((m) => m[0]);
    expect(plan!.replace(/plan/gi, 'P')).toBe(planx!.replace(/planx/gi, 'P'));
  });

  it('answers "not yours" exactly as "does not exist"', async () => {
    const pairs = [
      ['/api/v1/spaces/lw-vault', '/api/v1/spaces/nope'],
      ['/api/v1/pages/lw-vault/vaultplanpath', '/api/v1/pages/nope/vaultplanpath'],
      ['/api/v1/pages/lw-vault/vaultplanpath', '/api/v1/pages/lw-pub/vaultplanpath'],
      ['/api/v1/projects/LWSEC', '/api/v1/projects/NOPE'],
      ['/api/v1/requirements/LWSEC-1', '/api/v1/requirements/LWORG-9'],
      ['/api/v1/requirements/LWSEC-1', '/api/v1/requirements/NOPE-1'],
      ['/s/lw-vault/vaultplanpath', '/s/nope/vaultplanpath'],
      ['/s/lw-vault', '/s/nope'],
      ['/api/v1/attachments/lw-vault/vaultplanpath', '/api/v1/attachments/nope/vaultplanpath'],
      ['/api/v1/exports/lw-vault', '/api/v1/exports/nope'],
      ['/api/v1/exports/lw-vault/vaultplanpath', '/api/v1/exports/lw-pub/vaultplanpath'],
      [vaultFile, '/files/999999999/zebraquill-budget.txt'],
      ['/p/LWSEC', '/p/NOPE'],
      ['/p/LWSEC/LWSEC-1', '/p/NOPE/NOPE-1'],
      ['/p/LWSEC/LWSEC-1', '/p/LWORG/LWORG-9'],
      ['/p/LWSEC/board', '/p/NOPE/board'],
      ['/api/v1/requirements/LWORG-2', '/api/v1/requirements/LWORG-9'],
      ['/p/LWORG/LWORG-2', '/p/LWORG/LWORG-9'],
    ];
    for (const who of ['never', 'revoked'] as const) {
      for (const [hidden, missing] of pairs) {
        const get = async (url: string) => {
          const res = await fetch(`${base()}${url}`, { headers: { cookie: users[who].cookie }, redirect: 'manual' });
          // A 404 page names the address asked for (its language link): that part may differ.
          return `${res.status} ${(await res.text()).replaceAll(url, '<url>').replaceAll(encodeURIComponent(url), '<url>')}`;
        };
        expect(await get(hidden!), `${who}: ${hidden} vs ${missing}`).toBe(await get(missing!));
      }
    }
  });

  it('sends no restricted word to the chat group of an org-visible project', () => {
    expect(received.length).toBeGreaterThanOrEqual(18);
    // The restricted requirement went out as its key and a link only.
    expect(received.filter((body) => body.includes('LWORG-2')).length).toBeGreaterThanOrEqual(3);
    expect(received.filter((body) => SECRET.test(body))).toEqual([]);
    expect(received.some((body) => body.includes('(restricted)'))).toBe(true);
  });

  it('shows the revoked user, in both languages, that a page they cannot see was involved', async () => {
    const browser = await launch();
    try {
      for (const [locale, hidden, inboxLine] of [['en-US', 'a page you cannot see', 'mentioned it in a page you cannot see'], ['zh-CN', '一个你无权查看的页面', '在一个你无权查看的页面中提到了它']] as const) {
        const context = await browser.newContext({ baseURL: base(), locale, viewport: { width: 1280, height: 860 } });
        const [name, value] = users.revoked.cookie.split('=') as [string, string];
        await context.addCookies([{ name, value, url: base() }]);
        const page = await context.newPage();
        await page.goto('/p/LWORG/LWORG-1');
        await page.getByText(hidden).first().waitFor({ state: 'visible', timeout: 5000 });
        expect(await page.content()).not.toMatch(SECRET);
        await screenshot(page, `hidden-page-event-${locale}`);
        await page.goto('/inbox');
        await page.getByText(inboxLine).first().waitFor({ state: 'visible', timeout: 5000 });
        await screenshot(page, `hidden-page-inbox-${locale}`);
        await context.close();
      }
    } finally {
      await browser.close();
    }
  });

  it('still shows the restricted content to the user who may read it', async () => {
    const page = await (await api('/api/v1/pages/lw-pub/linker', { auth: users.keeper.token })).json() as { html: string };
    expect(page.html).toContain('href="/s/lw-vault/vaultplanpath"');
    const req = await (await api('/api/v1/requirements/LWORG-1', { auth: users.keeper.token })).json() as { documents: { path: string }[] };
    expect(req.documents.map((d) => d.path)).toEqual(expect.arrayContaining(['vaultplanpath', 'second']));
  });
});
