// The requirement tracker's JSON API through the real built server, as the README documents it.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, userToken, waitForSearch } from './http.ts';

let admin = '';
let member = '';
let outsider = '';

const body = async (res: Response) => ({ status: res.status, json: await res.json() as Record<string, any> });

beforeAll(async () => {
  ({ token: admin } = await signIn());
  member = await userToken(admin, 'zhang.wei@example.com', '张伟');
  outsider = await userToken(admin, 'nosy@example.com', 'Nosy');
  expect((await api('/api/v1/projects', { method: 'POST', auth: admin, json: { key: 'SHOP', name: 'Web shop 网店', owner: 'zhang.wei@example.com', visibility: 'restricted' } })).status).toBe(201);
  expect((await api('/api/v1/groups', { method: 'POST', auth: admin, json: { name: 'shop-support' } })).status).toBe(201);
  expect((await api('/api/v1/groups/shop-support/members', { method: 'PUT', auth: admin, json: { emails: ['zhang.wei@example.com'] } })).status).toBe(200);
});

describe('projects and requirements over HTTP', () => {
  it('creates a project with its space; the owner administers it; outsiders get 404', async () => {
    const { status, json } = await body(await api('/api/v1/projects/SHOP', { auth: member }));
    expect(status).toBe(200);
    expect(json).toMatchObject({ key: 'SHOP', space: 'shop', owner: { email: 'zhang.wei@example.com' }, canAdmin: true });
    expect((await api('/api/v1/spaces/shop', { auth: member })).status).toBe(200);
    expect((await api('/api/v1/projects/SHOP', { auth: outsider })).status).toBe(404);
    expect((await api('/api/v1/projects', { method: 'POST', auth: member, json: { key: 'NOPE', name: 'x' } })).status).toBe(403);
    expect((await api('/api/v1/projects', { method: 'POST', auth: admin, json: { key: 'shop-2', name: 'x' } })).status).toBe(400);
  });

  it('routes on submission by rules, else to the owner', async () => {
    const rules = await api('/api/v1/projects/SHOP/rules', { method: 'PUT', auth: member, json: [{ category: 'issue', group: 'shop-support' }, { tag: 'payments', assignee: 'admin@example.com' }] });
    expect(rules.status).toBe(200);
    const issue = await body(await api('/api/v1/projects/SHOP/requirements', { method: 'POST', auth: member, json: { title: '客户无法下单', category: 'issue', tags: ['vip'] } }));
    expect(issue.status).toBe(201);
    expect(issue.json).toMatchObject({ key: 'SHOP-1', status: 'open', assignee: null, group: 'shop-support' });
    const feature = await body(await api('/api/v1/projects/SHOP/requirements', { method: 'POST', auth: member, json: { title: 'Pay by invoice', category: 'feature', tags: ['payments'], priority: 'high', due: '2027-01-15', description: 'Business customers pay **later**.' } }));
    expect(feature.json).toMatchObject({ key: 'SHOP-2', status: 'submitted', assignee: { email: 'admin@example.com' } });
    const plain = await body(await api('/api/v1/projects/SHOP/requirements', { method: 'POST', auth: member, json: { title: 'Wishlist', category: 'feature' } }));
    expect(plain.json).toMatchObject({ key: 'SHOP-3', assignee: { email: 'zhang.wei@example.com' } });
    expect((await api('/api/v1/projects/SHOP/rules', { method: 'PUT', auth: member, json: [{ category: 'nope', group: 'shop-support' }] })).status).toBe(400);
  });

  it('refuses bad submissions with a 4xx and creates nothing', async () => {
    for (const json of [{ title: '', category: 'feature' }, { title: 'x', category: 'bug' }, { title: 'x' }, { title: 'x', category: 'feature', due: 'tomorrow' },
      { title: 'x', category: 'feature', priority: 'asap' }, { title: 'x'.repeat(400), category: 'feature' }, { title: 'x', category: 'feature', tags: 'a'.repeat(100) }]) {
      const res = await api('/api/v1/projects/SHOP/requirements', { method: 'POST', auth: member, json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(await res.json()).toHaveProperty('error');
    }
    const huge = await api('/api/v1/projects/SHOP/requirements', { method: 'POST', auth: member, json: { title: 'x', category: 'feature', description: 'x'.repeat(300_000) } });
    expect(huge.status).toBe(413);
    expect((await api('/api/v1/projects/SHOP/requirements', { method: 'POST', auth: outsider, json: { title: 'x', category: 'feature' } })).status).toBe(404);
    const list = (await (await api('/api/v1/projects/SHOP/requirements', { auth: member })).json()) as { key: string }[];
    expect(list.map((r) => r.key)).toEqual(['SHOP-1', 'SHOP-2', 'SHOP-3']);
  });

  it('transitions with 422 for moves that are not allowed, gates, links and the full record', async () => {
    const notAllowed = await body(await api('/api/v1/requirements/SHOP-2/transitions', { method: 'POST', auth: member, json: { to: 'done' } }));
    expect(notAllowed.status).toBe(422);
    expect(notAllowed.json.allowed.map((a: { to: string }) => a.to).sort()).toEqual(['approved', 'rejected']);
    expect((await api('/api/v1/requirements/SHOP-2/transitions', { method: 'POST', auth: member, json: { to: 'approved', comment: 'OK for Q1' } })).status).toBe(200);
    expect((await api('/api/v1/requirements/SHOP-2/transitions', { method: 'POST', auth: member, json: { to: 'in-progress' } })).status).toBe(200);
    const gated = await body(await api('/api/v1/requirements/SHOP-2/transitions', { method: 'POST', auth: member, json: { to: 'in-review' } }));
    expect(gated.status).toBe(422);
    expect(gated.json.error).toMatch(/review/);
    expect((await api('/api/v1/pages/shop/reviews/invoice', { method: 'PUT', auth: member, json: { title: 'Invoice review 评审', markdown: 'Reviewed SHOP-2 with finance.' } })).status).toBe(201);
    const link = await api('/api/v1/requirements/SHOP-2/links', { method: 'POST', auth: member, json: { space: 'shop', path: 'reviews/invoice', relation: 'review' } });
    expect(link.status).toBe(201);
    expect((await api('/api/v1/requirements/SHOP-2/links', { method: 'POST', auth: member, json: { space: 'shop', path: 'reviews/invoice', relation: 'verdict' } })).status).toBe(400);
    const moved = await body(await api('/api/v1/requirements/SHOP-2/transitions', { method: 'POST', auth: member, json: { to: 'in-review' } }));
    expect(moved.json).toMatchObject({ status: 'in-review' });
    const { json: req } = await body(await api('/api/v1/requirements/SHOP-2', { auth: member }));
    expect(req).toMatchObject({ key: 'SHOP-2', title: 'Pay by invoice', status: 'in-review', category: 'feature', assignee: { email: 'admin@example.com', name: expect.any(String) }, due: '2027-01-15' });
    expect(req.transitions.sort()).toEqual(['done', 'in-progress']);
    expect(req.documents).toEqual(expect.arrayContaining([
      { space: 'shop', path: 'reviews/invoice', title: 'Invoice review 评审', relation: 'review' },
      { space: 'shop', path: 'reviews/invoice', title: 'Invoice review 评审', relation: 'mention' },
    ]));
    expect(req.events.map((e: { kind: string }) => e.kind)).toEqual(['created', 'transitioned', 'transitioned', 'mentioned', 'linked', 'transitioned']);
    for (const e of req.events) expect(e).toMatchObject({ actor: expect.objectContaining({ email: expect.any(String) }), at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    // The page shows the requirements it links to.
    const page = await body(await api('/api/v1/pages/shop/reviews/invoice', { auth: member }));
    expect(page.json.requirements).toEqual([expect.objectContaining({ key: 'SHOP-2', status: 'in-review' })]);
  });

  it('patches fields with before/after events, and refuses a stale version', async () => {
    const { json } = await body(await api('/api/v1/requirements/SHOP-3', { auth: member }));
    const patched = await api('/api/v1/requirements/SHOP-3', { method: 'PATCH', auth: member, json: { priority: 'urgent', assignee: 'admin@example.com', tags: ['ux'], baseVersion: json.version } });
    expect(patched.status).toBe(200);
    const after = (await patched.json()) as Record<string, any>;
    expect(after.events.at(-1)).toMatchObject({ kind: 'changed', changes: expect.arrayContaining([{ field: 'priority', before: 'normal', after: 'urgent' }]) });
    const stale = await api('/api/v1/requirements/SHOP-3', { method: 'PATCH', auth: member, json: { title: 'Old', baseVersion: json.version } });
    expect(stale.status).toBe(409);
    expect((await api('/api/v1/requirements/SHOP-3', { method: 'PATCH', auth: member, json: { due: '2027-02-30' } })).status).toBe(400);
    expect((await api('/api/v1/requirements/SHOP-3', { method: 'PATCH', auth: outsider, json: { title: 'x' } })).status).toBe(404);
  });

  it('nudges once an hour and puts it in the inbox', async () => {
    expect((await api('/api/v1/requirements/SHOP-3/nudge', { method: 'POST', auth: member })).status).toBe(201);
    const again = await api('/api/v1/requirements/SHOP-3/nudge', { method: 'POST', auth: member });
    expect(again.status).toBe(429);
    expect((await again.json()).error).toMatch(/hour/);
    const inbox = (await (await api('/api/v1/notifications', { auth: admin })).json()) as { unread: number; items: { kind: string; key: string }[] };
    expect(inbox.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'nudged', key: 'SHOP-3' })]));
    expect(inbox.unread).toBeGreaterThan(0);
  });

  it('rejects malformed keys and hostile input without side effects', async () => {
    for (const key of ['shop-1', 'SHOP-0', 'SHOP-1%27%20OR%201=1', 'SHOP-99999999999', '%00']) {
      const res = await api(`/api/v1/requirements/${key}`, { auth: member });
      expect([400, 404], key).toContain(res.status);
    }
    expect((await api('/api/v1/requirements/SHOP-404', { auth: member })).status).toBe(404);
    const crossSite = await api('/api/v1/requirements/SHOP-1/nudge', { method: 'POST', auth: member, headers: { origin: 'https://evil.example' } });
    expect(crossSite.status).toBe(403);
    const xss = await body(await api('/api/v1/projects/SHOP/requirements', { method: 'POST', auth: member, json: { title: '<img src=x onerror=alert(1)>', category: 'feature', description: '<script>alert(1)</script><a href="javascript:alert(1)">x</a>' } }));
    expect(xss.status).toBe(201);
    const stored = await body(await api(`/api/v1/requirements/${xss.json.key}`, { auth: member }));
    expect(stored.json.html).not.toMatch(/<script|javascript:|onerror/);
  });

  it('finds requirements in search under the same permissions as pages', async () => {
    await waitForSearch(member, 'invoice', 'SHOP-2 Pay by invoice');
    const res = await body(await api('/api/v1/search?q=invoice&type=requirement&project=SHOP', { auth: member }));
    expect(res.json.hits[0]).toMatchObject({ type: 'requirement', key: 'SHOP-2', project: 'SHOP', status: 'in-review', href: '/p/SHOP/SHOP-2' });
    // The demo project ATL is org-visible and mentions invoices too: ask about SHOP's.
    const hidden = await body(await api('/api/v1/search?q=invoice&type=requirement&project=SHOP', { auth: outsider }));
    expect(hidden.json.hits).toEqual([]);
  });
});
