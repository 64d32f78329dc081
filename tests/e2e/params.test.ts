// Hostile sort, filter and paging parameters on every list the server offers, through the real
// HTTP server: a name the list does not know answers 400 naming the parameter and what it may be
// (never a 500 from `__proto__` finding Object.prototype), and the HTML pages answer 4xx or fall back.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, base, signIn } from './http.ts';

let token = '';
let cookie = '';
beforeAll(async () => { ({ token, cookie } = await signIn()); });

const hostile = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'title;drop table requirements', 'x'.repeat(5000)];
const lists = ['/api/v1/projects/ATL/requirements', '/api/v1/projects/ATL/requirements.csv', '/api/v1/my-work', '/api/v1/my-work.csv'];
const allowed: Record<string, string> = {
  sort: 'key, updated, created, due, priority, status, title', dir: 'asc, desc', due: 'overdue, soon, none',
  limit: 'a whole number from 1', offset: 'a whole number from 0',
};
const q = (name: string, value: string) => `${name}=${encodeURIComponent(value)}`;
const label = (v: string) => (v.length > 40 ? `${v.slice(0, 5)}…(${v.length} characters)` : v);

describe('requirement lists refuse unknown sort, direction, due filter and paging values', () => {
  const values = (name: string) => (name === 'limit' || name === 'offset' ? [...hostile, '-1', '1.5', 'Infinity', '1e309'] : hostile);
  const cases = lists.flatMap((path) => Object.keys(allowed).flatMap((name) => values(name).map((value) => ({ path, name, value, shown: label(value) }))));

  it.each(cases)('$path?$name=$shown → 400 naming the parameter', async ({ path, name, value }) => {
    const res = await api(`${path}?${q(name, value)}`, { auth: token });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: string };
    expect(error.startsWith(`${name}: `)).toBe(true);
    expect(error).toContain(allowed[name]);
    expect(error.length).toBeLessThan(200);
  });

  it.each(lists)('%s: empty values mean "not given", known values still work', async (path) => {
    expect((await api(`${path}?sort=&dir=&due=&limit=&offset=`, { auth: token })).status).toBe(200);
    expect((await api(`${path}?sort=title&dir=desc&due=none&limit=5&offset=0`, { auth: token })).status).toBe(200);
  });

  it.each(lists)("%s: a status or category the listed projects' workflows do not have → 400 naming what they have", async (path) => {
    for (const value of [...hostile, 'open,__proto__', 'feature:__proto__', '__proto__:open']) {
      for (const name of ['status', 'category']) {
        const res = await api(`${path}?${q(name, value)}`, { auth: token });
        expect(res.status, `${name}=${label(value)}`).toBe(400);
        const { error, code } = (await res.json()) as { error: string; code: string };
        expect([error.startsWith(`${name}: `), code]).toEqual([true, 'badParam']);
        if (name === 'status' && !value.includes(':')) expect(error).toContain('is not one of open, done, ');
      }
    }
    // What the workflows do have still filters: a state key, a category's state, a category.
    for (const filter of ['status=open,done', 'status=feature:done', 'category=feature,issue']) expect((await api(`${path}?${filter}`, { auth: token })).status, filter).toBe(200);
  });

  it('filters by free text (tag, assignee, text) answer an empty list, not an error', async () => {
    for (const name of ['tag', 'assignee', 'q']) {
      for (const value of hostile) {
        const res = await api(`/api/v1/projects/ATL/requirements?${q(name, value)}`, { auth: token });
        expect(res.status, `${name}=${label(value)}`).toBe(200);
        expect(await res.json()).toEqual([]);
      }
    }
  });
});

describe('search, inbox, audit and delivery parameters', () => {
  it.each(hostile.map((value) => ({ value, shown: label(value) })))('search type=$shown → 400 naming the allowed types', async ({ value }) => {
    const res = await api(`/api/v1/search?q=x&${q('type', value)}`, { auth: token });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/^type: .* is not one of page, requirement$/);
  });

  it.each([
    ['/api/v1/notifications', 'limit', 1], ['/api/v1/notifications', 'before', 1], ['/api/v1/recent', 'limit', 1], ['/api/v1/recent/viewed', 'limit', 1],
    ['/api/v1/search?q=x', 'limit', 1], ['/api/v1/search?q=x', 'offset', 0], ['/api/v1/projects/ATL/overview', 'limit', 1],
  ] as const)('%s %s: anything but a whole number from %i → 400 naming it', async (path, name, min) => {
    const join = path.includes('?') ? '&' : '?';
    for (const value of [...hostile, '1.5', '-1', '+1', ' 1', '0x10', 'Infinity', '1e309', ...(min === 1 ? ['0'] : [])]) {
      const res = await api(`${path}${join}${q(name, value)}`, { auth: token });
      expect(res.status, `${name}=${label(value)}`).toBe(400);
      expect(await res.json()).toEqual({ error: `${name}: a whole number from ${min}`, code: 'badNumber', name, min });
    }
    expect((await api(`${path}${join}${name}=2`, { auth: token })).status).toBe(200);
  });

  it('a limit above its maximum is served as the maximum', async () => {
    const hits = async (query: string) => ((await (await api(`/api/v1/search?q=a&${query}`, { auth: token })).json()) as { hits: unknown[] }).hits;
    expect((await hits('limit=1000')).length).toBe((await hits('limit=100')).length);
    expect(await hits('offset=5000')).toEqual(await hits('offset=900'));
  });

  it('audit: hostile actor and action filters find nothing; a limit that is not a whole number ≥ 1 → 400', async () => {
    for (const name of ['actor', 'action']) {
      for (const value of hostile) {
        const res = await api(`/api/v1/audit?${q(name, value)}`, { auth: token });
        expect(res.status, `${name}=${label(value)}`).toBe(200);
        expect(await res.json()).toEqual([]);
      }
    }
    for (const value of [...hostile, '1.5', '-1', '0', 'Infinity']) {
      const res = await api(`/api/v1/audit?${q('limit', value)}`, { auth: token });
      expect(res.status, `limit=${label(value)}`).toBe(400);
      expect(await res.json()).toEqual({ error: 'limit: a whole number from 1', code: 'badNumber', name: 'limit', min: 1 });
    }
    expect((await api('/api/v1/audit?limit=2', { auth: token })).status).toBe(200);
  });

  it('search with hostile filter values answers 200, 400 or 404, never 500', async () => {
    for (const name of ['space', 'tag', 'project', 'status']) {
      for (const value of hostile) {
        const res = await api(`/api/v1/search?q=x&${q(name, value)}`, { auth: token });
        expect([200, 400, 404], `${name}=${label(value)}`).toContain(res.status);
      }
    }
  });
});

describe('CSV import field values', () => {
  it.each(['constructor', '__proto__', 'toString'])('priority "%s" is a row error or a 400, never a 500 or a stored priority', async (word) => {
    const dry = await api('/api/v1/projects/ATL/import', { method: 'POST', auth: token, json: { csv: `Title,Category,Priority\r\nA,feature,${word}\r\n`, dryRun: true } });
    expect(dry.status).toBe(200);
    expect(await dry.json()).toMatchObject({ ok: false, errors: [{ row: 2, column: 'Priority', message: expect.stringContaining('is not a priority') }] });
    const defaults = await api('/api/v1/projects/ATL/import', { method: 'POST', auth: token, json: { csv: 'Title,Category\r\nA,feature\r\n', dryRun: true, defaults: { priority: word } } });
    expect(defaults.status).toBe(400);
    expect(((await defaults.json()) as { error: string }).error).toMatch(/^defaults\.priority: .* is not a priority/);
  });
});

describe('pages with hostile parameters', () => {
  const page = (path: string) => fetch(`${base()}${path}`, { headers: { cookie }, redirect: 'manual' });

  it.each(['sort', 'dir', 'due', 'limit'])('/p/ATL?%s=__proto__ answers a 400 page that says what is wrong', async (name) => {
    const res = await page(`/p/ATL?${q(name, '__proto__')}`);
    expect(res.status).toBe(400);
    const said = name === 'limit' ? 'limit: a whole number from 1' : `${name}: &quot;__proto__&quot; is not one of ${allowed[name]}`;
    expect(await res.text()).toContain(said);
  });

  it('says it in the reader\'s language', async () => {
    const res = await fetch(`${base()}/p/ATL?sort=bogus`, { headers: { cookie, 'accept-language': 'zh-CN,zh;q=0.9' }, redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(`sort：“bogus”不是可用的值，可用的有：${allowed.sort}`);
  });

  it('other pages answer 4xx or fall back to their defaults', async () => {
    for (const path of ['/p/ATL/board?category=__proto__', '/search?q=x&type=__proto__', '/admin/audit?action=__proto__&actor=constructor', '/inbox?before=__proto__', '/my?sort=__proto__']) {
      const res = await page(path);
      expect(res.status, path).toBeLessThan(500);
    }
  });

  it('a saved view with an unknown sort is refused, and nothing is saved', async () => {
    const res = await fetch(`${base()}/p/ATL`, {
      method: 'POST', redirect: 'manual',
      headers: { cookie, origin: base(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _action: 'save-view', name: 'Prototype view', query: 'sort=__proto__' }).toString(),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('sort: &quot;__proto__&quot; is not one of key, updated');
    expect(await (await page('/p/ATL')).text()).not.toContain('Prototype view');
  });
});
