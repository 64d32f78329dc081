// Hostile input for archive and migration (issue 11), through the built server: writes into an
// archived project's space by every write route, with an API token and with a session cookie, and
// by the forms; archive requests by people who may not; spreadsheets with impossible dates and
// names two people share. Each gets a clear 4xx and changes nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../fixtures/attachments.ts';
import { api, base, signIn, userToken } from './http.ts';

let admin = '';
let cookie = '';
let editor = '';
let outsider = '';
let commentId = 0;
let attachmentId = 0;
let webhookId = 0;

const ok = async (res: Promise<Response>, status: number) => {
  const r = await res;
  expect(r.status, await r.clone().text()).toBe(status);
  return r;
};

beforeAll(async () => {
  ({ token: admin, cookie } = await signIn());
  editor = await userToken(admin, 'arch.editor@example.com', 'Arch Editor');
  outsider = await userToken(admin, 'arch.outsider@example.com', 'Arch Outsider');
  await ok(api('/api/v1/projects', { method: 'POST', auth: admin, json: { key: 'HARC', name: 'Hostile archive', visibility: 'restricted' } }), 201);
  await ok(api('/api/v1/spaces/harc/grants', { method: 'PUT', auth: admin, json: [{ user: 'arch.editor@example.com', role: 'editor' }] }), 200);
  await ok(api('/api/v1/pages/harc/notes', { method: 'PUT', auth: admin, json: { title: 'Plan', markdown: 'The plan.' } }), 201);
  await ok(api('/api/v1/pages/harc/notes', { method: 'PUT', auth: admin, json: { title: 'Plan', markdown: 'The plan, v2.', baseRevision: 1 } }), 200);
  await ok(api('/api/v1/projects/HARC/requirements', { method: 'POST', auth: admin, json: { title: 'Frozen', category: 'feature' } }), 201);
  commentId = ((await (await ok(api('/api/v1/comments/harc/notes', { method: 'POST', auth: admin, json: { markdown: 'first' } }), 201)).json()) as { id: number }).id;
  const file = multipart('a.txt', Buffer.from('attached'));
  attachmentId = ((await (await ok(api('/api/v1/attachments/harc/notes', { method: 'POST', auth: admin, headers: { 'content-type': file.contentType }, body: new Uint8Array(file.body) }), 201)).json()) as { id: number }).id;
  webhookId = ((await (await ok(api('/api/v1/projects/HARC/webhooks', { method: 'POST', auth: admin, json: { url: 'https://example.com/hook', format: 'json' } }), 201)).json()) as { id: number }).id;
});

describe('archive requests', () => {
  it('are refused to an editor (403) and an outsider (404), and take only true or false', async () => {
    for (const path of ['/api/v1/projects/HARC', '/api/v1/spaces/harc']) {
      await ok(api(path, { method: 'PATCH', auth: editor, json: { archived: true } }), 403);
      await ok(api(path, { method: 'PATCH', auth: outsider, json: { archived: true } }), 404);
      await ok(api(path, { method: 'PATCH', json: { archived: true } }), 401);
      for (const archived of ['yes', 1, null, { $ne: false }]) await ok(api(path, { method: 'PATCH', auth: admin, json: { archived } }), 400);
    }
    await ok(api('/api/v1/projects/NOPE', { method: 'PATCH', auth: admin, json: { archived: true } }), 404);
    expect(await (await api('/api/v1/projects/HARC', { auth: admin })).json()).toMatchObject({ archived: false });
  });
});

describe('writes into an archived project', () => {
  type Write = [string, string, string, RequestInit & { json?: unknown }];
  const writes = (): Write[] => [
    ['save a page', 'PUT', '/api/v1/pages/harc/notes', { json: { title: 'x', markdown: 'x' } }],
    ['create a page', 'PUT', '/api/v1/pages/harc/new-page', { json: { title: 'x', markdown: 'x' } }],
    ['move a page', 'PATCH', '/api/v1/pages/harc/notes', { json: { path: 'moved' } }],
    ['delete a page', 'DELETE', '/api/v1/pages/harc/notes', {}],
    ['restore a revision', 'POST', '/api/v1/revisions/harc/notes', { json: { restore: 1 } }],
    ['upload an attachment', 'POST', '/api/v1/attachments/harc/notes', (() => { const f = multipart('b.txt', Buffer.from('b')); return { headers: { 'content-type': f.contentType }, body: new Uint8Array(f.body) }; })()],
    ['delete an attachment', 'DELETE', `/api/v1/attachments/${attachmentId}`, {}],
    ['comment on a page', 'POST', '/api/v1/comments/harc/notes', { json: { markdown: 'hi' } }],
    ['edit a comment', 'PATCH', `/api/v1/comments/${commentId}`, { json: { markdown: 'edited' } }],
    ['resolve a comment', 'PATCH', `/api/v1/comments/${commentId}`, { json: { resolved: true } }],
    ['delete a comment', 'DELETE', `/api/v1/comments/${commentId}`, {}],
    ['keep a draft', 'PUT', '/api/v1/drafts/harc/notes', { json: { title: 'x', markdown: 'x', baseRevision: 2 } }],
    ['add a template', 'POST', '/api/v1/spaces/harc/templates', { json: { title: 'T', markdown: 'x' } }],
    ['change space settings', 'PATCH', '/api/v1/spaces/harc', { json: { description: 'x' } }],
    ['submit a requirement', 'POST', '/api/v1/projects/HARC/requirements', { json: { title: 'x', category: 'feature' } }],
    ['edit a requirement', 'PATCH', '/api/v1/requirements/HARC-1', { json: { title: 'x' } }],
    ['move a requirement', 'POST', '/api/v1/requirements/HARC-1/transitions', { json: { to: 'rejected' } }],
    ['comment on a requirement', 'POST', '/api/v1/requirements/HARC-1/comments', { json: { comment: 'x' } }],
    ['link a page', 'POST', '/api/v1/requirements/HARC-1/links', { json: { space: 'harc', path: 'notes', relation: 'plan' } }],
    ['nudge', 'POST', '/api/v1/requirements/HARC-1/nudge', { json: {} }],
    ['add a webhook', 'POST', '/api/v1/projects/HARC/webhooks', { json: { url: 'https://example.com/2', format: 'json' } }],
    ['change a webhook', 'PATCH', `/api/v1/projects/HARC/webhooks/${webhookId}`, { json: { active: false } }],
    ['delete a webhook', 'DELETE', `/api/v1/projects/HARC/webhooks/${webhookId}`, {}],
    ['change categories', 'PUT', '/api/v1/projects/HARC/categories', { json: [] }],
    ['change routing rules', 'PUT', '/api/v1/projects/HARC/rules', { json: [] }],
    ['import a spreadsheet', 'POST', '/api/v1/projects/HARC/import', { json: { csv: 'Title,Category\nx,feature\n' } }],
  ];
  const state = async () => JSON.stringify(await Promise.all([
    api('/api/v1/pages/harc/notes', { auth: admin }).then((r) => r.json()),
    api('/api/v1/requirements/HARC-1', { auth: admin }).then((r) => r.json()),
    api('/api/v1/comments/harc/notes', { auth: admin }).then((r) => r.json()),
    api('/api/v1/attachments/harc/notes', { auth: admin }).then((r) => r.json()),
    api('/api/v1/projects/HARC/webhooks', { auth: admin }).then((r) => r.json()),
    api('/api/v1/projects/HARC/requirements', { auth: admin }).then((r) => r.json()),
  ]));

  it('answers 409 "This space is archived" to every write route, by token and by session, and changes nothing', async () => {
    await ok(api('/api/v1/projects/HARC', { method: 'PATCH', auth: admin, json: { archived: true } }), 200);
    expect(await (await api('/api/v1/spaces/harc', { auth: admin })).json()).toMatchObject({ archived: true });
    const before = await state();
    for (const [what, method, path, init] of writes()) {
      const headers = (init.headers ?? {}) as Record<string, string>;
      for (const [who, res] of [
        ['token', await api(path, { ...init, method, auth: admin })],
        ['session', await api(path, { ...init, method, headers: { ...headers, cookie, origin: base() } })],
      ] as const) {
        // The code names the reason, for pages and the editor to say it in the reader's language (an
        // upload's is one of the upload refusals' own).
        const body = { error: 'This space is archived', archived: true, code: what === 'upload an attachment' ? 'archived' : 'spaceArchived' };
        expect([what, who, res.status, await res.json()]).toEqual([what, who, 409, body]);
      }
    }
    expect(await state()).toBe(before);
  });

  it('answers the forms with 409 and the same message', async () => {
    const form = (path: string, fields: Record<string, string>) => api(path, { method: 'POST', headers: { cookie, origin: base(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    for (const [path, fields] of [
      ['/s/harc/notes?edit', { _action: 'save', title: 'x', markdown: 'x', baseRevision: '2' }],
      ['/s/harc/notes', { _action: 'move', to: 'elsewhere' }],
      ['/s/harc/notes', { _action: 'delete' }],
      ['/s/harc/notes', { _action: 'restore', rev: '1' }],
      ['/p/HARC/HARC-1', { _action: 'comment', comment: 'x' }],
      ['/p/HARC/HARC-1', { _action: 'move', to: 'rejected' }],
      ['/p/HARC/HARC-1', { _action: 'nudge' }],
      ['/p/HARC/settings', { _action: 'rules' }],
    ] as const) {
      const res = await form(path, fields);
      expect([path, res.status]).toEqual([path, 409]);
      expect(await res.text()).toContain('This space is archived');
    }
  });

  it('keeps it readable, lets the unarchive through, and then writes work again', async () => {
    await ok(api('/api/v1/pages/harc/notes', { auth: editor }), 200);
    await ok(api('/api/v1/requirements/HARC-1', { auth: editor }), 200);
    await ok(api('/api/v1/projects/HARC', { method: 'PATCH', auth: admin, json: { archived: false } }), 200);
    await ok(api('/api/v1/requirements/HARC-1/comments', { method: 'POST', auth: editor, json: { comment: 'thawed' } }), 201);
  });
});

describe('hostile migration sheets', () => {
  it.each([
    ['2026-02-30', 'Title,Category,Created\nx,feature,2026-02-30\n', { row: 2, field: 'created', column: 'Created' }],
    ['an unparseable closed date', 'Title,Category,Status,Closed\nx,feature,done,someday\n', { row: 2, field: 'closed', column: 'Closed' }],
    ['a name two people share', 'Title,Category,Assignee\nx,feature,Twin Name\n', { row: 2, field: 'assignee', column: 'Assignee' }],
    ['a control character in a name', 'Title,Category,Reporter\nx,feature,"A\u0007B"\n', { row: 2, field: 'reporter', column: 'Reporter' }],
    ['a pinyin name two Chinese names share (张敏, 章敏)', 'Title,Category,Assignee\nx,feature,min ZHANG\n', { row: 2, field: 'assignee', column: 'Assignee' }],
  ])('%s → 422 naming the row and field, nothing imported', async (_what, csv, where) => {
    await userToken(admin, 'twin.one@example.com', 'Twin Name');
    await userToken(admin, 'twin.two@example.com', 'Twin Name');
    await userToken(admin, 'zhang.min.a@example.com', '张敏');
    await userToken(admin, 'zhang.min.b@example.com', '章敏');
    const before = await (await api('/api/v1/projects/HARC/requirements', { auth: admin })).text();
    const res = await api('/api/v1/projects/HARC/import', { method: 'POST', auth: admin, json: { csv } });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: string; errors: unknown[] };
    expect(body.error).toMatch(new RegExp(`row 2, ${where.field}:`));
    expect(body.errors).toEqual([expect.objectContaining(where)]);
    expect(await (await api('/api/v1/projects/HARC/requirements', { auth: admin })).text()).toBe(before);
  });
});
