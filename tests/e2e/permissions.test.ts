// The permission table over HTTP: every route that returns content, for viewers with no grant,
// a reader grant and an editor grant, on a restricted space. Hidden means 404 everywhere.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, waitForSearch } from './http.ts';

const people = ['nobody', 'reader', 'editor'] as const;
type Who = (typeof people)[number];
const tokens = {} as Record<Who | 'admin', string>;

beforeAll(async () => {
  tokens.admin = (await signIn()).token;
  for (const who of people) {
    await api('/api/v1/users', { method: 'POST', auth: tokens.admin, json: { email: `${who}@perm.example.com`, name: who, password: `${who} has a long password` } });
    tokens[who] = (await signIn({ email: `${who}@perm.example.com`, password: `${who} has a long password` })).token;
  }
  await api('/api/v1/spaces', { method: 'POST', auth: tokens.admin, json: { key: 'board', name: 'Board minutes', kind: 'policy', visibility: 'restricted' } });
  await api('/api/v1/spaces/board/grants', { method: 'PUT', auth: tokens.admin, json: [{ user: 'reader@perm.example.com', role: 'reader' }, { user: 'editor@perm.example.com', role: 'editor' }] });
  await api('/api/v1/pages/board/minutes', { method: 'PUT', auth: tokens.admin, json: { title: 'Minutes', markdown: 'The narwhal acquisition. See [[guide:Searching]].' } });
  await api('/api/v1/pages/board/minutes', { method: 'PUT', auth: tokens.admin, json: { markdown: 'The narwhal acquisition, approved. See [[guide:Searching]].', baseRevision: 1 } });
  await waitForSearch(tokens.admin, 'narwhal', 'Minutes');
});

const reads: [string, string][] = [
  ['page view', '/s/board/minutes'],
  ['space home', '/s/board'],
  ['history', '/s/board/minutes?history'],
  ['diff', '/s/board/minutes?diff&from=1&to=2'],
  ['old revision', '/s/board/minutes?rev=1'],
  ['deleted pages', '/s/board?deleted'],
  ['page API', '/api/v1/pages/board/minutes'],
  ['revisions API', '/api/v1/revisions/board/minutes'],
  ['space API', '/api/v1/spaces/board'],
  ['search API in the space', '/api/v1/search?q=narwhal&space=board'],
];
const expected: Record<Who, number> = { nobody: 404, reader: 200, editor: 200 };

describe('reading a restricted space', () => {
  for (const who of people) {
    for (const [name, path] of reads) {
      it(`${name}: ${who} → ${expected[who]}`, async () => {
        const res = await api(path, { auth: tokens[who] });
        expect(res.status).toBe(expected[who]);
        if (expected[who] === 404) expect(await res.text()).not.toMatch(/narwhal|Minutes|Board minutes/);
      });
    }
  }
});

describe('what leaks through lists', () => {
  it.each(people)('%s: spaces list, search everywhere, suggestions, backlinks and home', async (who) => {
    const visible = who !== 'nobody';
    const spaces = (await (await api('/api/v1/spaces', { auth: tokens[who] })).json()) as { key: string }[];
    expect(spaces.some((s) => s.key === 'board')).toBe(visible);
    const hits = ((await (await api('/api/v1/search?q=narwhal&limit=6', { auth: tokens[who] })).json()) as { hits: { title: string }[] }).hits;
    expect(hits.some((h) => h.title === 'Minutes')).toBe(visible);
    const searching = (await (await api('/api/v1/pages/guide/searching', { auth: tokens[who] })).json()) as { backlinks: { space: string }[] };
    expect(searching.backlinks.some((b) => b.space === 'board')).toBe(visible);
    expect((await (await api('/', { auth: tokens[who] })).text()).includes('Board minutes')).toBe(visible);
    expect((await (await api('/search?q=narwhal', { auth: tokens[who] })).text()).includes('Minutes')).toBe(visible);
  });
});

describe('writing', () => {
  const writes: [Who, number][] = [['nobody', 404], ['reader', 403], ['editor', 201]];
  it.each(writes)('%s creates a page → %i', async (who, status) => {
    expect((await api(`/api/v1/pages/board/by-${who}`, { method: 'PUT', auth: tokens[who], json: { title: who, markdown: 'x' } })).status).toBe(status);
  });
  it.each(writes)('%s restores an old revision → %i', async (who, status) => {
    const res = await api('/api/v1/revisions/board/minutes', { method: 'POST', auth: tokens[who], json: { restore: 1 } });
    expect(res.status).toBe(status);
    if (status === 404) expect(await res.json()).toEqual({ error: 'Not found' });
  });
  it.each(writes)('%s changes grants → 404 or 403', async (who) => {
    const res = await api('/api/v1/spaces/board/grants', { method: 'PUT', auth: tokens[who], json: [] });
    expect(res.status).toBe(who === 'nobody' ? 404 : 403);
  });
});
