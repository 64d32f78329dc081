// Hostile input rendered in real Chromium: each case is stored through the API, then the page,
// the search results and the suggestions are opened; nothing may execute, and the server must
// answer hostile requests with a clear 4xx that changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launch, signedInPage } from './browser.ts';
import { api, rawRequest, signIn, waitForSearch } from './http.ts';

let browser: Browser;
let page: Page;
let token = '';
const fired: string[] = [];

beforeAll(async () => {
  ({ token } = await signIn());
  browser = await launch();
  page = await signedInPage(browser);
  // Any dialog or any write to window.pwned is an execution.
  page.on('dialog', (d) => { fired.push(`dialog: ${d.message()}`); void d.dismiss(); });
  await page.addInitScript(() => {
    Object.defineProperty(window, 'pwned', { set: (v) => { (window as unknown as { __fired: unknown[] }).__fired.push(v); }, get: () => undefined });
    (window as unknown as { __fired: unknown[] }).__fired = [];
  });
});
afterAll(async () => { await browser?.close(); });

const payload = 'window.pwned=1;alert(1)';
const markdownCases: [string, string][] = [
  ['script element', `<script>${payload}</script>`],
  ['img onerror', `<img src=x onerror="${payload}">`],
  ['javascript: link', `[click](javascript:${payload})`],
  ['mixed-case javascript: link', `[click](JaVaScRiPt:${payload})`],
  ['tab-split javascript: link', `<a href="java&#x09;script:${payload}">click</a>`],
  ['entity javascript: link', `<a href="&#106;avascript:${payload}">click</a>`],
  ['data:text/html link', `[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`],
  ['data:image/svg+xml image', `![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+)`],
  ['iframe', `<iframe src="javascript:${payload}"></iframe>`],
  ['object and embed', `<object data="javascript:${payload}"></object><embed src="javascript:${payload}">`],
  ['form with formaction', `<form><button formaction="javascript:${payload}">go</button></form>`],
  ['base element', `<base href="javascript:${payload}//">`],
  ['meta refresh', `<meta http-equiv="refresh" content="0;url=javascript:${payload}">`],
  ['svg onload', `<svg onload="${payload}"></svg>`],
  ['mXSS chain', `<math><mtext><table><mglyph><style><img src=x onerror="${payload}">`],
  ['template injection text', `{{constructor.constructor('${payload}')()}} and \`{{constructor.constructor('${payload}')()}}\``],
  ['style element and attribute', `<style>body{background:url("javascript:${payload}")}</style><p style="background:url(javascript:${payload})">x</p>`],
  ['DOM clobbering ids', `<img id="__proto__" name="forms"><a id="pwned" name="pwned">x</a>`],
  ['proto headings and footnotes', `# __proto__\n\n[^constructor]\n\n[^constructor]: note`],
  ['wiki link with markup', `[[Page"><script>${payload}</script>]] and [[space:../../admin]]`],
  ['details ontoggle', `<details open ontoggle="${payload}"><summary>x</summary></details>`],
  ['video with onerror', `<video><source onerror="${payload}"></video>`],
  // Chart blocks (src/server/markdown/chart-blocks.ts): drawn live, or an error box; never markup of the author's.
  ['chart block drawn live', '```dossier-chart\nproject: ATL\nmetric: by-status\n```'],
  ['chart block with markup in a filter', `\`\`\`dossier-chart\nproject: ATL\nmetric: by-tag\ntag: "<img src=x onerror=${payload}>"\n\`\`\``],
  ['chart block YAML alias bomb', '```dossier-chart\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n```'],
  ['forged chart placeholder', `<div class="dossier-chart" data-chart="project=ATL&metric=age&type=<script>${payload}</script>">x</div>`],
];

describe('hostile Markdown does not execute in Chromium', () => {
  it.each(markdownCases)('%s', async (name, markdown) => {
    const path = `hostile/${encodeURIComponent(name.replace(/\W+/g, '-'))}`;
    const res = await api(`/api/v1/pages/guide/${path}`, { method: 'PUT', auth: token, json: { title: name, markdown } });
    expect(res.status).toBe(201);
    await page.goto(`/s/guide/${path}`);
    for (const link of await page.locator('article.prose a').all()) await link.click({ trial: true }).catch(() => {});
    const executed = await page.evaluate(() => (window as unknown as { __fired: unknown[] }).__fired.length);
    expect({ executed, fired }).toEqual({ executed: 0, fired: [] });
    expect(await dangerousIn(page.locator('article.prose'))).toEqual([]);
  });
});

describe('a chart block with 10,000 series', () => {
  it('saves, and shows an error box instead of a chart', async () => {
    const markdown = `\`\`\`dossier-chart\nproject: ATL\nmetric: on-time\ncategory: [${Array.from({ length: 10_000 }, (_, i) => `s${i}`).join(', ')}]\n\`\`\``;
    expect((await api('/api/v1/pages/guide/hostile/chart-series', { method: 'PUT', auth: token, json: { title: 'Chart series', markdown } })).status).toBe(201);
    const res = await page.goto('/s/guide/hostile/chart-series');
    expect(res!.status()).toBe(200);
    await expect(page.locator('article.prose .dossier-chart-error[role=alert]').innerText()).resolves.toContain('at most 2000 characters');
    expect(await page.locator('article.prose svg').count()).toBe(0);
  });
});

/** Dangerous elements and attributes in the DOM the browser built under `root` (tags shown as text are fine). */
function dangerousIn(root: Locator): Promise<string[]> {
  return root.evaluate((root) => [...root.querySelectorAll('*')].flatMap((el) => {
    const bad: string[] = [];
    if (/^(script|iframe|object|embed|base|meta|style|form|frame|frameset|link)$/i.test(el.tagName)) bad.push(el.tagName);
    for (const a of el.attributes) {
      if (/^on/i.test(a.name) || a.name === 'style') bad.push(`${el.tagName}[${a.name}]`);
      if (/^(href|src|action|formaction|xlink:href|srcset|poster|data)$/i.test(a.name) && /^\s*(javascript|vbscript|data):/i.test(a.value)) bad.push(`${el.tagName}[${a.name}=${a.value.slice(0, 20)}]`);
    }
    return bad;
  }));
}

describe('hostile page comments', () => {
  const comments = '/api/v1/comments/guide/hostile/comments';
  const count = async () => ((await (await api(comments, { auth: token })).json()) as unknown[]).length;

  it('do not execute in Chromium', async () => {
    expect((await api('/api/v1/pages/guide/hostile/comments', { method: 'PUT', auth: token, json: { title: 'Hostile comments', markdown: 'x' } })).status).toBe(201);
    for (const [, markdown] of markdownCases) expect((await api(comments, { method: 'POST', auth: token, json: { markdown } })).status).toBe(201);
    await page.goto('/s/guide/hostile/comments');
    expect(await page.locator('.comment-thread').count()).toBe(markdownCases.length);
    for (const link of await page.locator('.comment-body a').all()) await link.click({ trial: true }).catch(() => {});
    const executed = await page.evaluate(() => (window as unknown as { __fired: unknown[] }).__fired.length);
    expect({ executed, fired }).toEqual({ executed: 0, fired: [] });
    // The comment forms around them are ours: each comment's own text is inspected.
    for (const body of await page.locator('.comment-body').all()) expect(await dangerousIn(body)).toEqual([]);
  });

  it('get a clear 4xx and store nothing', async () => {
    const before = await count();
    const first = ((await (await api(comments, { auth: token })).json()) as { id: number }[])[0]!.id;
    const cases: [string, string, RequestInit & { json?: unknown }, number][] = [
      ['a 1 MB comment', comments, { method: 'POST', json: { markdown: 'x'.repeat(1024 * 1024) } }, 413],
      ['markdown as an array', comments, { method: 'POST', json: { markdown: ['x'] } }, 400],
      ['only whitespace', comments, { method: 'POST', json: { markdown: ' \n\t ' } }, 400],
      ['parent as an object', comments, { method: 'POST', json: { markdown: 'x', parent: { $gt: 0 } } }, 400],
      ['parent on another page', comments, { method: 'POST', json: { markdown: 'x', parent: 999_999 } }, 400],
      ['resolved as a string', `/api/v1/comments/${first}`, { method: 'PATCH', json: { resolved: 'true' } }, 400],
      ['an id that is no number', '/api/v1/comments/1e3', { method: 'DELETE' }, 404],
      ['cross-site comment', comments, { method: 'POST', json: { markdown: 'x' }, headers: { origin: 'https://evil.example' } }, 403],
      ['a comment form from another site', '/forms/comments', { method: 'POST', body: new URLSearchParams({ _action: 'post', space: 'guide', path: 'hostile/comments', markdown: 'x' }), headers: { origin: 'https://evil.example' } }, 403],
    ];
    for (const [name, path, init, status] of cases) expect([name, (await api(path, { ...init, auth: token })).status]).toEqual([name, status]);
    expect(await count()).toBe(before);
  });
});

describe('hostile titles, tags and names render as text', () => {
  const evil = `<img src=x onerror="${payload}">`;
  it('in the page heading, tags, tree, breadcrumbs, search results and suggestions', async () => {
    expect((await api('/api/v1/pages/guide/hostile/title', { method: 'PUT', auth: token, json: { title: `${evil} zebrafish`, tags: [evil], markdown: 'zebrafish body' } })).status).toBe(201);
    expect((await api('/api/v1/users', { method: 'POST', auth: token, json: { email: 'evil@example.com', name: evil, password: 'evil has a long password' } })).status).toBe(201);
    await page.goto('/s/guide/hostile/title');
    expect(await page.locator('h1').first().textContent()).toBe(`${evil} zebrafish`);
    await waitForSearch(token, 'zebrafish', `${evil} zebrafish`);
    await page.goto('/search?q=zebrafish');
    await page.locator('#site-search').fill('zebrafish');
    await page.getByRole('listbox').getByRole('option').first().waitFor();
    const executed = await page.evaluate(() => (window as unknown as { __fired: unknown[] }).__fired.length);
    expect({ executed, fired }).toEqual({ executed: 0, fired: [] });
  });

  it('right-to-left and zero-width characters stay in titles as given', async () => {
    const title = 'Report\u202Etxt.exe\u200B';
    expect((await api('/api/v1/pages/guide/hostile/rtl', { method: 'PUT', auth: token, json: { title, markdown: 'x' } })).status).toBe(201);
    expect((await (await api('/api/v1/pages/guide/hostile/rtl', { auth: token })).json()).title).toBe(title);
  });
});

describe('hostile requests get a clear 4xx and change nothing', () => {
  type Case = [string, string, string, RequestInit & { json?: unknown; anonymous?: boolean }, number];
  const cases: Case[] = [
    ['10k-deep JSON', 'PUT', '/api/v1/pages/guide/deep', { body: '['.repeat(10_000) + ']'.repeat(10_000), headers: { 'content-type': 'application/json' } }, 400],
    ['JSON __proto__ key', 'PUT', '/api/v1/pages/guide/proto', { json: JSON.parse('{"__proto__": {"admin": true}, "markdown": 1}') }, 400],
    ['1e309 base revision', 'PUT', '/api/v1/pages/guide/num', { body: '{"markdown":"x","baseRevision":1e309}', headers: { 'content-type': 'application/json' } }, 400],
    ['markdown as array', 'PUT', '/api/v1/pages/guide/arr', { json: { title: 'x', markdown: ['x'] } }, 400],
    ['title as object', 'PUT', '/api/v1/pages/guide/obj', { json: { title: { x: 1 }, markdown: 'x' } }, 400],
    ['tags as string', 'PUT', '/api/v1/pages/guide/tags', { json: { title: 'x', markdown: 'x', tags: 'a,b' } }, 400],
    ['filter injection in space', 'GET', `/api/v1/search?q=x&space=${encodeURIComponent('guide" OR spaceId > 0')}`, {}, 404],
    ['control characters in path', 'PUT', '/api/v1/pages/guide/a%0d%0aSet-Cookie:%20x', { json: { title: 'x', markdown: 'x' } }, 400],
    ['NUL in path', 'PUT', '/api/v1/pages/guide/a%00b', { json: { title: 'x', markdown: 'x' } }, 400],
    ['invalid percent-encoding', 'GET', '/api/v1/pages/guide/%E0%A4%A', {}, 400],
    ['backslash in a page URL', 'GET', '/s/guide/a%5Cb', {}, 400],
    ['backslash in a page path', 'GET', '/api/v1/pages/guide/a%5Cb', {}, 400],
    ['SQL-looking requirement key', 'GET', `/api/v1/requirements/${encodeURIComponent("PAY-1' OR '1'='1")}`, {}, 400],
    ['requirement transition with an object', 'POST', '/api/v1/requirements/ATL-1/transitions', { json: { to: { $ne: 1 } } }, 400],
    ['rules that are not a list', 'PUT', '/api/v1/projects/ATL/rules', { json: { category: 'x' } }, 400],
    ['webhook to the metadata address', 'POST', '/api/v1/projects/ATL/webhooks', { json: { url: 'http://169.254.169.254/latest/meta-data', format: 'json' } }, 400],
    // The test server allows private targets; metadata stays refused in every IPv6 embedding.
    ...['[64:ff9b::a9fe:a9fe]', '[::a9fe:a9fe]', '[::ffff:169.254.169.254]', '[64:ff9b:1::a9fe:a9fe]', '[2002:a9fe:a9fe::]', '[2001:0:4136:e378:8000:63bf:5601:5601]', '169.254.170.2']
      .map((host): Case => [`webhook to metadata as ${host}`, 'POST', '/api/v1/projects/ATL/webhooks', { json: { url: `http://${host}/latest/meta-data`, format: 'json' } }, 400]),
    ['CSV import of an empty file', 'POST', '/api/v1/projects/ATL/import', { json: { csv: '' } }, 400],
    ['dashboard over 10^9 weeks', 'GET', '/api/v1/projects/ATL/dashboard?weeks=1000000000', {}, 400],
    ['dashboard over 50 years', 'GET', '/api/v1/projects/ATL/dashboard?from=1990-01-01&to=2040-01-01', {}, 400],
    ['dashboard with an unknown filter', 'GET', '/api/v1/projects/ATL/dashboard?colour=red', {}, 400],
    ['cross-project dashboard with a __proto__ filter', 'GET', '/api/v1/dashboard?__proto__=1', {}, 400],
    ['dashboard with 2,000 categories', 'GET', `/api/v1/dashboard?category=${'a,'.repeat(2000)}`, {}, 400],
    ['dashboard CSV of a constructor metric', 'GET', '/api/v1/projects/ATL/dashboard.csv?metric=constructor', {}, 400],
    ['dashboard page over 10^9 weeks', 'GET', '/p/ATL/dashboard?weeks=1000000000', {}, 400],
    ['huge session cookie', 'GET', '/api/v1/spaces', { anonymous: true, headers: { cookie: `dossier_session=${'a'.repeat(4000)}` } }, 401],
    ['forged bearer', 'GET', '/api/v1/spaces', { anonymous: true, headers: { authorization: 'Bearer abc.def' } }, 401],
    ['expired-looking session token', 'GET', '/api/v1/spaces', { anonymous: true, headers: { authorization: 'Bearer aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' } }, 401],
    ['cross-site JSON with bearer and foreign origin', 'PUT', '/api/v1/pages/guide/csrf2', { json: { title: 'x', markdown: 'x' }, headers: { origin: 'https://evil.example' } }, 403],
  ];
  it.each(cases)('%s → %i', async (_name, method, path, init, status) => {
    const res = await api(path, { ...init, method, auth: init.anonymous ? undefined : token });
    expect(res.status).toBe(status);
  });

  it('a template with a loop of variables, one that would explode, or a bad template id → a clear answer, no hang', async () => {
    const made = await api('/api/v1/spaces/guide/templates', { method: 'POST', auth: token, json: { title: `<img src=x onerror="${payload}">`, markdown: `# {{title}}\n${'{{title}}'.repeat(20_000)}` } });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: string };
    // Each {{title}} becomes 300 characters: 6 MB, over the 2 MB a page may be.
    expect((await api('/api/v1/pages/guide/tplbomb', { method: 'PUT', auth: token, json: { template: id, title: 'x'.repeat(300) } })).status).toBe(413);
    const loop = await api('/api/v1/pages/guide/tplloop', { method: 'PUT', auth: token, json: { template: 'meeting-notes', title: '{{title}}{{title}}' } });
    expect(loop.status).toBe(201);
    // The title is filled in once, as it was typed: a variable in it is not filled in again.
    const tplloop = (await (await api('/api/v1/pages/guide/tplloop', { auth: token })).json()) as { title: string; markdown: string };
    expect(tplloop.title).toBe('{{title}}{{title}}');
    expect(tplloop.markdown).toMatch(/^> Date: /);
    for (const template of [{ $ne: 1 }, ['x'], 'x'.repeat(65)]) {
      expect((await api('/api/v1/pages/guide/tplbad', { method: 'PUT', auth: token, json: { template } })).status).toBe(400);
    }
    expect((await api('/api/v1/pages/guide/tplbad', { method: 'PUT', auth: token, json: { template: '../../../etc/passwd' } })).status).toBe(422);
    // The hostile template title is text in the picker and on the settings page.
    for (const url of ['/s/guide?new', `/s/guide?new&template=${id}`, `/admin/spaces/guide?template=${id}`]) {
      await page.goto(url);
      expect(await page.evaluate(() => (window as unknown as { __fired: unknown[] }).__fired.length)).toBe(0);
      expect(await page.locator('main img[src=x]').count()).toBe(0);
    }
    expect(fired).toEqual([]);
    expect((await api(`/api/v1/spaces/guide/templates/${id}`, { method: 'DELETE', auth: token })).status).toBe(204);
    await api('/api/v1/pages/guide/tplloop', { method: 'DELETE', auth: token });
  });

  it('a lying Content-Length → 413 before the body is read', async () => {
    const status = await rawRequest('PUT', '/api/v1/pages/guide/lie', { 'content-type': 'application/json', 'content-length': '99999999', authorization: `Bearer ${token}` }, '{}');
    expect(status).toBe(413);
  });

  it('left no page behind', async () => {
    for (const p of ['deep', 'proto', 'num', 'arr', 'obj', 'tags', 'lie', 'csrf2', 'tplbomb', 'tplbad']) {
      expect((await api(`/api/v1/pages/guide/${p}`, { auth: token })).status).toBe(404);
    }
  });

  it('refuses open redirects after sign-in', async () => {
    for (const next of ['//evil.com', '/\\evil.com', 'https://evil.com']) {
      const res = await api('/lang', { method: 'POST', auth: token, body: new URLSearchParams({ to: 'en', next }) });
      expect(res.headers.get('location')).toBe('/');
    }
  });
});

describe('hostile search text is just text', () => {
  const queries: [string, string][] = [
    ['SQL-looking text', "' OR 1=1 --"],
    ['DROP TABLE text', '"; DROP TABLE pages;--'],
    ['filter syntax', 'spaceId = 1 OR archived = true'],
    ['unclosed quote', '"wireguard'],
    ['negation', '-vpn wireguard'],
    ['eleven words', 'one two three four five six seven eight nine ten eleven'],
    ['only Chinese punctuation', '，。！'],
    ['emoji', '🔥🚀 vpn'],
    ['LIKE wildcards', '%_%'],
    ['HTML in the query', '<script>alert(1)</script>'],
    ['500 characters of 的', '的'.repeat(500)],
    ['only punctuation', '?!.,;:()[]{}…—'],
    ['mixed scripts with zero-width joiners', 'v\u200dp\u200dn 密\u200d码'],
    ['RTL override', '\u202enpv\u202c wireguard'],
    ['Meilisearch syntax', '"vpn" -wifi AND NOT (printer OR x)'],
    ['a typo with markup, for did-you-mean', 'vnp <b>x</b>'],
  ];
  it.each(queries)('%s', async (_name, q) => {
    const res = await api(`/api/v1/search?q=${encodeURIComponent(q)}`, { auth: token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { hits: { snippet: string; title: string }[]; tookMs: number; suggestion: string | null };
    for (const h of body.hits) expect(h.snippet).not.toMatch(/<(?!\/?mark>)/);
    expect(body.tookMs).toBeLessThan(500);
    if (body.suggestion) {
      // A suggestion repeats the words it did not correct: shown as text, never as markup.
      await page.goto(`/search?q=${encodeURIComponent(q)}`);
      expect(await page.getByTestId('suggestion').textContent()).toContain(body.suggestion);
      expect(await page.locator('.suggestion b').count()).toBe(0);
    }
  });

  it('refuses synonym lists that are too long or too wide with 400, and takes a cycle', async () => {
    const put = (groups: unknown) => api('/api/v1/synonyms', { method: 'PUT', auth: token, json: { groups } });
    const { groups: before } = await (await api('/api/v1/synonyms', { auth: token })).json() as { groups: string[][] };
    expect((await put(Array.from({ length: 10_000 }, (_, i) => [`w${i}`, `v${i}`]))).status).toBe(400);
    expect((await put([Array.from({ length: 500 }, (_, i) => `every${i}`)])).status).toBe(400);
    expect((await put([['<script>', 'x']])).status).toBe(200); // stored as text; a search for it is just text
    // A lone surrogate (half of an emoji) would make Meilisearch refuse the whole list.
    const halfEmoji = await put([['vpn', 'v\ud83dpn']]);
    expect(halfEmoji.status).toBe(400);
    expect((await halfEmoji.json()).error).toContain('is not a usable word');
    expect((await put([['loop-a', 'loop-b'], ['loop-b', 'loop-c'], ['loop-c', 'loop-a']])).status).toBe(200);
    const res = await api(`/api/v1/search?q=loop-a`, { auth: token });
    expect(res.status).toBe(200);
    // 2,000 groups of Chinese words: taken, and Meilisearch keeps only 500 of them whole.
    const han = (i: number) => String.fromCharCode(0x4e00 + i * 3, 0x5e00 + ((i * 5) % 0x4000), 0x6e00 + ((i * 7) % 0x3000)); // all in CJK Unified Ideographs
    expect((await put(Array.from({ length: 2000 }, (_, i) => [`${han(i)}`, `${han(i + 2000)}`]))).status).toBe(200);
    expect((await api(`/api/v1/search?q=${encodeURIComponent(han(1))}`, { auth: token })).status).toBe(200);
    expect((await put(before)).status).toBe(200);
  });

  it('stores injection-looking page text literally and finds it', async () => {
    const text = "Robert'); DROP TABLE pages;-- and ' OR 1=1 -- quokka";
    expect((await api('/api/v1/pages/guide/hostile/sql', { method: 'PUT', auth: token, json: { title: 'SQL text', markdown: text } })).status).toBe(201);
    expect((await (await api('/api/v1/pages/guide/hostile/sql', { auth: token })).json()).markdown).toBe(text);
    await waitForSearch(token, 'quokka', 'SQL text');
  });
});

describe('hostile names', () => {
  const names: [string, string, unknown, number][] = [
    ['space name with markup', '/api/v1/spaces', { key: 'evil-space', name: '<img src=x onerror=alert(1)>' }, 201],
    ['space key with a Cyrillic letter', '/api/v1/spaces', { key: 'еvil', name: 'x' }, 400],
    ['space key with path traversal', '/api/v1/spaces', { key: '../admin', name: 'x' }, 400],
    ['group name with markup', '/api/v1/groups', { name: '<script>' }, 400],
    ['title with NUL', '/api/v1/pages/guide/hostile/nul-title', { title: 'a\u0000b', markdown: 'x' }, 400],
  ];
  it.each(names)('%s → %i', async (_name, path, json, status) => {
    const method = path.includes('/pages/') ? 'PUT' : 'POST';
    expect((await api(path, { method, auth: token, json })).status).toBe(status);
  });

  it('shows a space name with markup as text on the home page', async () => {
    await page.goto('/');
    expect(await page.locator('.card h2', { hasText: '<img' }).count()).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { __fired: unknown[] }).__fired.length)).toBe(0);
    expect(fired).toEqual([]);
  });

  it('treats NFC and NFD spellings of a path as one page', async () => {
    expect((await api('/api/v1/pages/guide/hostile/caf%C3%A9', { method: 'PUT', auth: token, json: { title: 'Café', markdown: 'x' } })).status).toBe(201);
    expect((await api('/api/v1/pages/guide/hostile/cafe%CC%81', { method: 'PUT', auth: token, json: { title: 'Café', markdown: 'x' } })).status).toBe(200);
  });
});


describe('hostile handovers (issue 11)', () => {
  const password = 'a long enough password 42';
  const ids: Record<string, number> = {};
  const create = async (email: string, name: string) => {
    const res = await api('/api/v1/users', { method: 'POST', auth: token, json: { email, name, password } });
    expect(res.status).toBe(201);
    ids[email] = ((await res.json()) as { id: number }).id;
  };
  const holdings = async () => (await api(`/api/v1/users/${ids['hx.leaver@example.com']}/holdings`, { auth: token })).text();

  beforeAll(async () => {
    await create('hx.leaver@example.com', `<img src=x onerror="${payload}">`);
    await create('hx.gone@example.com', 'Gone');
    expect((await api(`/api/v1/users/${ids['hx.gone@example.com']}`, { method: 'PATCH', auth: token, json: { active: false } })).status).toBe(200);
    expect((await api('/api/v1/projects', { method: 'POST', auth: token, json: { key: 'HX', name: 'Hostile handover', owner: 'hx.leaver@example.com' } })).status).toBe(201);
  });

  const to = (id: () => number, body: unknown) => api(`/api/v1/users/${id()}/handover`, { method: 'POST', auth: token, json: body });
  const leaver = () => ids['hx.leaver@example.com']!;
  it.each([
    ['an unknown successor', { to: 'nobody@example.com' }, 422, 'to'],
    ['an inactive successor', { to: 'hx.gone@example.com' }, 422, 'to'],
    ['the person themself (other case)', { to: 'HX.Leaver@Example.com' }, 422, 'to'],
    ['an inactive successor for one kind', { to: 'admin@example.com', successors: { projects: 'hx.gone@example.com' } }, 422, 'successors.projects'],
    ['an empty successor for one kind', { to: 'admin@example.com', successors: { rules: '' } }, 422, 'successors.rules'],
    ['no successor', {}, 400, undefined],
    ['a successor as an array', { to: ['admin@example.com'] }, 400, undefined],
    ['a 10,000-character successor', { to: `${'a'.repeat(10_000)}@example.com` }, 400, undefined],
    ['an unknown kind', { to: 'admin@example.com', successors: { salary: 'admin@example.com' } }, 400, undefined],
    ['a __proto__ kind', JSON.parse('{"to":"admin@example.com","successors":{"__proto__":{"to":"x"}}}'), 400, undefined],
    ['deactivate as a string', { to: 'admin@example.com', deactivate: 'yes' }, 400, undefined],
  ])('%s → %i naming the field, and nothing changes', async (_name, body, status, field) => {
    const before = await holdings();
    const res = await to(leaver, { ...body as object });
    expect(res.status).toBe(status);
    const answer = (await res.json()) as { error: string; field?: string };
    expect(answer.error).toBeTruthy();
    expect(answer.field).toBe(field);
    expect(await holdings()).toBe(before);
  });

  it('user ids that are not ids name no user', async () => {
    for (const id of ['0', '-1', '1e3', '01', '9007199254740993', '%2e%2e', 'abc']) {
      expect((await api(`/api/v1/users/${id}/holdings`, { auth: token })).status).toBe(404);
      expect((await api(`/api/v1/users/${id}/handover`, { method: 'POST', auth: token, json: { to: 'admin@example.com' } })).status).toBe(404);
    }
  });

  it('a name with markup shows as text on the holdings, confirmation and orphans screens', async () => {
    await page.goto(`/admin/users/${leaver()}`);
    expect(await page.locator('h1').textContent()).toContain('<img src=x');
    await page.locator('select[name=to]').selectOption('admin@example.com');
    await page.locator('input[name=deactivate]').uncheck();
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Review the handover' }).click()]);
    expect(await page.getByTestId('handover-confirm').textContent()).toContain('Projects they own: 1');
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Cancel' }).click()]);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Deactivate without handover…' }).click()]);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Deactivate anyway' }).click()]);
    await page.goto('/admin/orphans');
    expect(await page.getByTestId('orphan-holders').textContent()).toContain('<img src=x');
    expect(await page.evaluate(() => (window as unknown as { __fired: unknown[] }).__fired.length)).toBe(0);
    expect(fired).toEqual([]);
  });
});

describe('hostile owners and review dates (issue 11)', () => {
  const at = '/api/v1/pages/guide/hostile/reviewed';
  const patch = (json: unknown) => api(at, { method: 'PATCH', auth: token, json });

  it('refuse bad owners, dates and flags with the field named, and change nothing', async () => {
    expect((await api(at, { method: 'PUT', auth: token, json: { title: 'Reviewed', markdown: 'x' } })).status).toBe(201);
    const before = await (await api(at, { auth: token })).json();
    const cases: [unknown, number, string][] = [
      [{ reviewBy: '1900-01-01' }, 422, 'reviewBy'],
      [{ reviewBy: '2026-02-30' }, 422, 'reviewBy'],
      [{ reviewBy: 'next friday' }, 422, 'reviewBy'],
      [{ reviewBy: '9999-12-31' }, 422, 'reviewBy'],
      [{ reviewBy: '2027-06-01\u0000' }, 422, 'reviewBy'],
      [{ reviewBy: '2027-06-01'.repeat(1000) }, 400, 'reviewBy'],
      [{ reviewBy: 20270601 }, 400, 'reviewBy'],
      [{ owner: 'nobody@example.com', verified: true }, 422, 'owner'],
      [{ owner: `<img src=x onerror="${payload}">@x` }, 422, 'owner'],
      [{ owner: { $ne: 1 } }, 400, 'owner'],
      [{ verified: 'true' }, 400, 'verified'],
      [{ verified: false }, 422, 'verified'],
      [{ verified: true, path: 'hostile/elsewhere' }, 400, 'path'],
    ];
    for (const [json, status, field] of cases) {
      const res = await patch(json);
      expect([JSON.stringify(json).slice(0, 60), res.status]).toEqual([JSON.stringify(json).slice(0, 60), status]);
      expect(((await res.json()) as { error: string }).error).toContain(field);
    }
    expect(await (await api(at, { auth: token })).json()).toEqual(before);
  });

  it('keep "-" (the space views\' segment) out of page paths', async () => {
    expect((await api('/api/v1/pages/guide/-/freshness', { method: 'PUT', auth: token, json: { title: 'x', markdown: 'x' } })).status).toBe(400);
  });

  it('show an owner name with markup as text', async () => {
    const email = 'markup.owner@example.com';
    expect([201, 409]).toContain((await api('/api/v1/users', { method: 'POST', auth: token, json: { email, name: `<img src=x onerror="${payload}">`, password: 'a long enough password 42' } })).status);
    expect((await patch({ owner: email, verified: true })).status).toBe(200);
    await page.goto('/s/guide/hostile/reviewed');
    expect(await page.getByTestId('page-review').locator('.owner').textContent()).toContain('<img src=x onerror=');
    await page.goto('/s/guide/-/freshness');
    expect(await page.evaluate(() => (window as unknown as { __fired: unknown[] }).__fired.length)).toBe(0);
    expect(fired).toEqual([]);
  });
});

describe('hostile visibility input (restricted requirements)', () => {
  let key = '';
  beforeAll(async () => {
    expect([201, 409]).toContain((await api('/api/v1/projects', { method: 'POST', auth: token, json: { key: 'HRL', name: 'Hostile rows', owner: 'admin@example.com' } })).status);
    const made = await api('/api/v1/projects/HRL/requirements', { method: 'POST', auth: token, json: { title: 'Row target', category: 'feature' } });
    key = ((await made.json()) as { key: string }).key;
  });

  const patches: [string, unknown, number][] = [
    ['restricted as a string', { restricted: 'true' }, 400],
    ['restricted as an object', { restricted: { $ne: false } }, 400],
    ['viewers as a string', { restricted: true, viewers: 'admin@example.com' }, 400],
    ['viewers with a number', { viewers: [1] }, 400],
    ['viewers with a null', { viewers: [null] }, 400],
    ['10,000 viewers', { viewers: Array.from({ length: 10_000 }, (_, i) => `u${i}@example.com`) }, 400],
    ['a 100 kB e-mail', { viewers: [`${'a'.repeat(100_000)}@example.com`] }, 400],
    ['CRLF header injection in an e-mail', { restricted: true, viewers: ['admin@example.com\r\nBcc: victim@example.com'] }, 422],
    ['SQL in an e-mail', { restricted: true, viewers: ["x' OR '1'='1"] }, 422],
    ['__proto__ as an e-mail', { restricted: true, viewers: ['__proto__'] }, 422],
    ['markup as an e-mail', { restricted: true, viewers: [`<img src=x onerror="${payload}">`] }, 422],
  ];
  it.each(patches)('%s → %i, and nothing changes', async (_name, body, status) => {
    const before = (await (await api(`/api/v1/requirements/${key}`, { auth: token })).json()) as { version: number; restricted: boolean; viewers: unknown[] };
    const res = await api(`/api/v1/requirements/${key}`, { method: 'PATCH', auth: token, json: body });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: string }).error).toBeTruthy();
    const after = (await (await api(`/api/v1/requirements/${key}`, { auth: token })).json()) as { version: number; restricted: boolean; viewers: unknown[] };
    expect(after).toMatchObject({ version: before.version, restricted: false, viewers: [] });
  });

  it('a category with a non-boolean restricted flag → 400, the workflow unchanged', async () => {
    const categories = (await (await api('/api/v1/projects/HRL/categories', { auth: token })).json()) as Record<string, unknown>[];
    for (const flag of ['yes', 1, null, { $ne: 1 }]) {
      const res = await api('/api/v1/projects/HRL/categories', { method: 'PUT', auth: token, json: categories.map((c) => ({ ...c, restricted: flag })) });
      expect(res.status).toBe(400);
    }
    expect(await (await api('/api/v1/projects/HRL/categories', { auth: token })).json()).toEqual(categories);
  });

  it('a viewer list typed with markup on the page is shown back as text', async () => {
    await page.goto(`/p/HRL/${key}`);
    await page.getByTestId('viewers-field').fill(`<img src=x onerror="${payload}">`);
    await Promise.all([page.waitForEvent('load'), page.getByTestId('visibility-save').click()]);
    await expect(page.getByRole('alert').innerText()).resolves.toContain('<img src=x');
    expect(await page.evaluate(() => (window as unknown as { __fired: unknown[] }).__fired.length)).toBe(0);
    expect(fired).toEqual([]);
  });
});

describe('desk: hostile settings and claims get a clear 4xx and change nothing', () => {
  let reader = '';
  beforeAll(async () => {
    expect((await api('/api/v1/projects', { method: 'POST', auth: token, json: { key: 'HDESK', name: 'Hostile desk', visibility: 'restricted' } })).status).toBe(201);
    const password = 'a long enough password 42';
    for (const email of ['hdesk.reader@example.com', 'hdesk.out@example.com']) {
      expect([201, 409]).toContain((await api('/api/v1/users', { method: 'POST', auth: token, json: { email, name: email, password } })).status);
    }
    expect((await api('/api/v1/spaces/hdesk/grants', { method: 'PUT', auth: token, json: [{ user: 'admin@example.com', role: 'admin' }, { user: 'hdesk.reader@example.com', role: 'reader' }] })).status).toBe(200);
    reader = (await signIn({ email: 'hdesk.reader@example.com', password })).token;
    expect((await api('/api/v1/projects/HDESK/requirements', { method: 'POST', auth: token, json: { title: 'Queue item', category: 'issue' } })).status).toBe(201);
    expect((await api('/api/v1/projects/HDESK/sla', { method: 'PUT', auth: token, json: { issue: { high: { firstResponseHours: 2, resolveHours: 8 } } } })).status).toBe(200);
    expect((await api('/api/v1/projects/HDESK/tag-aliases', { method: 'PUT', auth: token, json: { aliases: { '登录': 'login' } } })).status).toBe(200);
  });
  const sla = (target: unknown) => ({ issue: { urgent: target } });
  const cases: [string, string, unknown, number][] = [
    ['an SLA of −1 h', '/sla', sla({ firstResponseHours: -1, resolveHours: 24 }), 422],
    ['an SLA of 10 years', '/sla', sla({ firstResponseHours: 4, resolveHours: 87_600 }), 422],
    ['an SLA in words', '/sla', sla({ firstResponseHours: 'four', resolveHours: 24 }), 422],
    ['an SLA of null hours', '/sla', sla({ firstResponseHours: null, resolveHours: 24 }), 422],
    ['an SLA with a lunar clock', '/sla', sla({ firstResponseHours: 4, resolveHours: 24, clock: 'lunar' }), 422],
    ['an SLA for an unknown category', '/sla', { nope: { urgent: { firstResponseHours: 4, resolveHours: 24 } } }, 422],
    ['an SLA keyed __proto__', '/sla', JSON.parse('{"__proto__": {"urgent": {"firstResponseHours": 1, "resolveHours": 2}}}'), 422],
    ['a tag alias cycle', '/tag-aliases', { aliases: { a: 'b', b: 'c', c: 'a' } }, 422],
    ['a tag alias of itself, by width', '/tag-aliases', { aliases: { login: 'ＬＯＧＩＮ' } }, 422],
    ['tag aliases as a list', '/tag-aliases', { aliases: ['a', 'b'] }, 422],
    ['10,000 tag aliases', '/tag-aliases', { aliases: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`t${i}`, 'x'])) }, 422],
    ['a confirmation period of 10 years', '/confirm-days', { confirmDays: 3650 }, 422],
    ['a confirmation period of 1.5 days', '/confirm-days', { confirmDays: 1.5 }, 422],
  ];
  it.each(cases)('%s → %i, settings unchanged', async (_name, route, body, status) => {
    const before = await (await api('/api/v1/projects/HDESK/sla', { auth: token })).json();
    const res = await api(`/api/v1/projects/HDESK${route}`, { method: 'PUT', auth: token, json: body });
    expect(res.status).toBe(status);
    expect(typeof ((await res.json()) as { error: unknown }).error).toBe('string');
    expect(await (await api('/api/v1/projects/HDESK/sla', { auth: token })).json()).toEqual(before);
  });

  it('an SLA of 1e309 hours (Infinity once parsed) → 422', async () => {
    const res = await api('/api/v1/projects/HDESK/sla', { method: 'PUT', auth: token, body: '{"issue":{"urgent":{"firstResponseHours":1e309,"resolveHours":1e309}}}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(422);
  });

  it('a claim on an item you cannot edit → 403; one you cannot read → 404; the assignee is unchanged', async () => {
    const before = ((await (await api('/api/v1/requirements/HDESK-1', { auth: token })).json()) as { assignee: unknown }).assignee;
    expect((await api('/api/v1/requirements/HDESK-1/claim', { method: 'POST', auth: reader })).status).toBe(403);
    const outsider = (await signIn({ email: 'hdesk.out@example.com', password: 'a long enough password 42' })).token;
    const hidden = await api('/api/v1/requirements/HDESK-1/claim', { method: 'POST', auth: outsider });
    expect([hidden.status, await hidden.json()]).toEqual([404, { error: 'Not found' }]);
    expect((await api('/api/v1/requirements/HDESK-9999/claim', { method: 'POST', auth: token })).status).toBe(404);
    expect((await api(`/api/v1/requirements/${encodeURIComponent("HDESK-1' OR 1=1")}/claim`, { method: 'POST', auth: token })).status).toBe(400);
    expect(((await (await api('/api/v1/requirements/HDESK-1', { auth: token })).json()) as { assignee: unknown }).assignee).toEqual(before);
  });

  it('a confirmation by someone who is not the reporter → 403; of something unresolved → 422', async () => {
    expect((await api('/api/v1/requirements/HDESK-1/resolution', { method: 'POST', auth: reader, json: { action: 'confirm' } })).status).toBe(403);
    expect((await api('/api/v1/requirements/HDESK-1/resolution', { method: 'POST', auth: token, json: { action: 'confirm' } })).status).toBe(422);
    expect((await api('/api/v1/requirements/HDESK-1/resolution', { method: 'POST', auth: token, json: { action: 'delete' } })).status).toBe(400);
  });
});

describe('hostile notification settings, chat ids and webhook languages get a 400 and change nothing', () => {
  const json = (body: string): RequestInit => ({ body, headers: { 'content-type': 'application/json' } });
  const cases: [string, string, string, RequestInit & { json?: unknown }][] = [
    ['an unknown notification kind', 'PUT', '/api/v1/account/notifications', { json: { assigned: 'digest', payroll: 'email' } }],
    ['an unknown delivery', 'PUT', '/api/v1/account/notifications', { json: { assigned: 'sms' } }],
    ['a __proto__ kind', 'PUT', '/api/v1/account/notifications', json('{"__proto__": "email", "assigned": "digest"}')],
    ['a constructor kind', 'PUT', '/api/v1/account/notifications', { json: { constructor: 'email' } }],
    ['a delivery as an object', 'PUT', '/api/v1/account/notifications', { json: { assigned: { toString: 'email' } } }],
    ['settings as a list', 'PUT', '/api/v1/account/notifications', { json: [['assigned', 'digest']] }],
    ['a 10k-deep body', 'PUT', '/api/v1/account/notifications', json('['.repeat(10_000) + ']'.repeat(10_000))],
    ['CR/LF in a Lark open_id', 'PATCH', '/api/v1/account', { json: { larkOpenId: 'ou_abc\r\nBcc: evil@example.com' } }],
    ['an @all mention as a Lark open_id', 'PATCH', '/api/v1/account', { json: { larkOpenId: 'all' } }],
    ['markup as a Slack member id', 'PATCH', '/api/v1/account', { json: { slackMemberId: '<!channel>' } }],
    ['a 10 kB Slack member id', 'PATCH', '/api/v1/account', { json: { slackMemberId: `U${'A'.repeat(10_000)}` } }],
    ['CR/LF in a name', 'PATCH', '/api/v1/account', { json: { name: 'Eve\r\nBcc: evil@example.com' } }],
    ['an unknown webhook language', 'POST', '/api/v1/projects/ATL/webhooks', { json: { url: 'http://127.0.0.1:9/hook', format: 'lark', language: 'klingon' } }],
    ['an unknown webhook format', 'POST', '/api/v1/projects/ATL/webhooks', { json: { url: 'http://127.0.0.1:9/hook', format: 'lark-cards' } }],
  ];
  let before: { prefs: unknown; profile: unknown; hooks: unknown };
  const state = async () => ({
    prefs: await (await api('/api/v1/account/notifications', { auth: token })).json(),
    profile: await (await api('/api/v1/account', { auth: token })).json(),
    hooks: await (await api('/api/v1/projects/ATL/webhooks', { auth: token })).json(),
  });
  beforeAll(async () => { before = await state(); });

  it.each(cases)('%s → 400', async (_name, method, path, init) => {
    const res = await api(path, { ...init, method, auth: token });
    expect(res.status).toBe(400);
    const body = await res.json();
    // The server's words, and for a refusal a page can say in Chinese its code (src/i18n/errors-forms.ts).
    expect(body).toEqual({ error: expect.any(String), ...('code' in body ? { code: expect.any(String) } : {}) });
  });

  it('changed nothing', async () => {
    expect(await state()).toEqual(before);
  });
});
