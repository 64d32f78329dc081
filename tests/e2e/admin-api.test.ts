// Administration through the JSON API of the built server: users, groups, spaces, grants, audit.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, signIn } from './http.ts';

let admin = '';
beforeAll(async () => ({ token: admin } = await signIn()));

describe('administration API', () => {
  it('runs a restricted space end to end: users, a group, grants, deactivation, audit', async () => {
    const created = await api('/api/v1/users', { method: 'POST', auth: admin, json: { email: 'Mei.Chen@example.com', name: '陈梅', password: 'mei has a long password' } });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    expect((await api('/api/v1/users', { method: 'POST', auth: admin, json: { email: 'mei.chen@example.com', name: 'dup', password: 'mei has a long password' } })).status).toBe(409);
    const mei = (await signIn({ email: 'mei.chen@example.com', password: 'mei has a long password' })).token;
    const meiScript = (await (await api('/api/v1/tokens', { method: 'POST', auth: mei, json: { name: 'nightly export' } })).json()).token as string;

    expect((await api('/api/v1/spaces', { method: 'POST', auth: admin, json: { key: 'hr-private', name: 'HR', kind: 'policy', visibility: 'restricted' } })).status).toBe(201);
    expect((await api('/api/v1/pages/hr-private/salaries', { method: 'PUT', auth: admin, json: { title: 'Salaries', markdown: 'Pay bands.' } })).status).toBe(201);
    expect((await api('/api/v1/pages/hr-private/salaries', { auth: mei })).status).toBe(404);
    expect((await api('/api/v1/spaces/hr-private', { auth: mei })).status).toBe(404);
    expect(((await (await api('/api/v1/spaces', { auth: mei })).json()) as { key: string }[]).map((s) => s.key)).not.toContain('hr-private');

    expect((await api('/api/v1/groups', { method: 'POST', auth: admin, json: { name: 'HR team' } })).status).toBe(201);
    expect((await api(`/api/v1/groups/${encodeURIComponent('HR team')}/members`, { method: 'PUT', auth: admin, json: { emails: ['mei.chen@example.com'] } })).status).toBe(200);
    const put = await api('/api/v1/spaces/hr-private/grants', { method: 'PUT', auth: admin, json: [{ group: 'HR team', role: 'reader' }] });
    expect(put.status).toBe(200);
    expect(await (await api('/api/v1/spaces/hr-private/grants', { auth: admin })).json()).toEqual([{ group: 'HR team', role: 'reader' }]);
    expect((await api('/api/v1/pages/hr-private/salaries', { auth: mei })).status).toBe(200);
    expect((await api('/api/v1/pages/hr-private/salaries', { method: 'PUT', auth: mei, json: { markdown: 'changed' } })).status).toBe(403);
    expect((await api('/api/v1/spaces/hr-private/grants', { auth: mei })).status).toBe(403);
    expect((await api('/api/v1/users', { method: 'POST', auth: mei, json: { email: 'x@example.com', name: 'x' } })).status).toBe(403);

    expect((await api(`/api/v1/users/${id}`, { method: 'PATCH', auth: admin, json: { active: false } })).status).toBe(200);
    expect((await api('/api/v1/spaces', { auth: mei })).status).toBe(401);
    expect((await api('/api/v1/spaces', { auth: meiScript })).status).toBe(401); // her tokens stop with her

    const audit = (await (await api('/api/v1/audit?action=space.grants', { auth: admin })).json()) as { action: string; subject: string; after: unknown }[];
    expect(audit[0]).toMatchObject({ action: 'space.grants', subject: 'hr-private', after: [{ group: 'HR team', role: 'reader' }] });
    const all = (await (await api('/api/v1/audit?actor=admin@example.com', { auth: admin })).json()) as { action: string }[];
    expect(all.map((e) => e.action)).toEqual(expect.arrayContaining(['user.create', 'space.create', 'group.create', 'group.members', 'space.grants', 'user.update']));
  });

  it('rejects bad administrative input with a clear 4xx', async () => {
    const bad: [string, string, unknown, number][] = [
      ['/api/v1/spaces', 'POST', { key: 'Cyrillic-а', name: 'x' }, 400],
      ['/api/v1/spaces', 'POST', { key: 'ok-key', name: 'x', visibility: 'public' }, 400],
      ['/api/v1/spaces/nope/grants', 'PUT', [], 404],
      ['/api/v1/spaces/guide/grants', 'PUT', [{ user: 'nobody@example.com', role: 'reader' }], 400],
      ['/api/v1/spaces/guide/grants', 'PUT', [{ user: 'admin@example.com', group: 'HR team', role: 'reader' }], 400],
      ['/api/v1/spaces/guide/grants', 'PUT', [{ user: 'admin@example.com', role: 'owner' }], 400],
      ['/api/v1/spaces/guide/grants', 'PUT', { not: 'an array' }, 400],
      ['/api/v1/groups', 'POST', { name: '<script>' }, 400],
      ['/api/v1/groups/nope/members', 'PUT', { emails: [] }, 404],
      ['/api/v1/users/abc', 'PATCH', { active: false }, 400],
      ['/api/v1/users/99999', 'PATCH', { active: false }, 404],
      ['/api/v1/users', 'POST', { email: 'short@example.com', name: 's', password: 'short' }, 400],
    ];
    for (const [path, method, body, status] of bad) {
      const res = await api(path, { method, auth: admin, json: body });
      expect(`${method} ${path} → ${res.status}`).toBe(`${method} ${path} → ${status}`);
      expect(await res.json()).toHaveProperty('error');
    }
    expect((await api('/api/v1/audit', { auth: admin })).status).toBe(200);
  });

  it('issues personal API tokens: shown once, hashed, read-only if asked, revocable', async () => {
    const res = await api('/api/v1/tokens', { method: 'POST', auth: admin, json: { name: 'CI script', readOnly: true } });
    expect(res.status).toBe(201);
    const { id, token } = (await res.json()) as { id: string; token: string };
    expect(token).toMatch(/^dt_[a-z0-9]+\.[a-z0-9]{40,}$/);
    expect((await api('/api/v1/spaces', { auth: token })).status).toBe(200);
    const write = await api('/api/v1/pages/guide/from-token', { method: 'PUT', auth: token, json: { title: 'x', markdown: 'x' } });
    expect(write.status).toBe(403);
    expect((await api('/api/v1/pages/guide/from-token', { auth: admin })).status).toBe(404);
    const listed = (await (await api('/api/v1/tokens', { auth: admin })).json()) as { id: string; name: string; readOnly: boolean; lastUsedAt: string | null }[];
    const mine = listed.find((t) => t.id === id)!;
    expect(mine).toMatchObject({ name: 'CI script', readOnly: true, lastUsedAt: expect.any(String) });
    expect(JSON.stringify(listed)).not.toContain(token.split('.')[1]);
    expect((await api(`/api/v1/tokens/${id}`, { method: 'DELETE', auth: admin })).status).toBe(204);
    expect((await api('/api/v1/spaces', { auth: token })).status).toBe(401);
    expect((await api(`/api/v1/tokens/${id}`, { method: 'DELETE', auth: admin })).status).toBe(404);
    for (const forged of [`${token}x`, token.replace(/\.[a-z0-9]/, '.0'), 'dt_nope.nope', `dt_${'a'.repeat(4000)}`]) {
      expect((await api('/api/v1/spaces', { auth: forged })).status).toBe(401);
    }
  });
});
