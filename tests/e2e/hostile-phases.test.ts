// Hostile input to project phases (issue 11, "Bad input"): a phase that does not exist, one not
// allowed next, a non-admin, malformed bodies and phase lists. Each gets a clear 4xx and changes
// nothing: the phase, its history and the phase list stay as they were.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, userToken } from './http.ts';

let admin = '';
let editor = '';
let outsider = '';

const state = async () => {
  const o = (await (await api('/api/v1/projects/HPH/overview', { auth: admin })).json()) as { phase: string; history: unknown[]; phases: { key: string }[] };
  return { phase: o.phase, history: o.history.length, phases: o.phases.map((p) => p.key) };
};

beforeAll(async () => {
  ({ token: admin } = await signIn());
  editor = await userToken(admin, 'hostile.phase.editor@example.com', 'Hostile Editor');
  outsider = await userToken(admin, 'hostile.phase.out@example.com', 'Hostile Outsider');
  expect((await api('/api/v1/projects', { method: 'POST', auth: admin, json: { key: 'HPH', name: 'Hostile phases', visibility: 'restricted' } })).status).toBe(201);
  expect((await api('/api/v1/spaces/hph/grants', { method: 'PUT', auth: admin, json: [{ user: 'admin@example.com', role: 'admin' }, { user: 'hostile.phase.editor@example.com', role: 'editor' }] })).status).toBe(200);
  expect((await api('/api/v1/projects/HPH/phase', { method: 'POST', auth: admin, json: { to: 'planning' } })).status).toBe(200);
});

const phaseCases: [string, { auth: () => string; body?: unknown; raw?: string }, number][] = [
  ['a phase that does not exist', { auth: () => admin, body: { to: 'launch' } }, 400],
  ['a prototype name as phase', { auth: () => admin, body: { to: '__proto__' } }, 400],
  ['a phase two steps ahead', { auth: () => admin, body: { to: 'acceptance' } }, 422],
  ['the last phase from the second', { auth: () => admin, body: { to: 'closed' } }, 422],
  ['the current phase again', { auth: () => admin, body: { to: 'planning' } }, 422],
  ['an editor (not a project admin)', { auth: () => editor, body: { to: 'execution' } }, 403],
  ['someone who cannot read the project', { auth: () => outsider, body: { to: 'execution' } }, 404],
  ['no sign-in', { auth: () => '', body: { to: 'execution' } }, 401],
  ['"to" as a number', { auth: () => admin, body: { to: 3 } }, 400],
  ['"to" as an array', { auth: () => admin, body: { to: ['execution'] } }, 400],
  ['a comment that is not text', { auth: () => admin, body: { to: 'execution', comment: { $gt: '' } } }, 400],
  ['a 3,000-character comment', { auth: () => admin, body: { to: 'execution', comment: 'x'.repeat(3000) } }, 400],
  ['a JSON array body', { auth: () => admin, body: ['execution'] }, 400],
  ['broken JSON', { auth: () => admin, raw: '{"to": "execution"' }, 400],
];

describe('hostile phase changes', () => {
  it.each(phaseCases)('%s', async (_name, c, status) => {
    const before = await state();
    const res = c.raw !== undefined
      ? await api('/api/v1/projects/HPH/phase', { method: 'POST', auth: c.auth(), headers: { 'content-type': 'application/json' }, body: c.raw })
      : await api('/api/v1/projects/HPH/phase', { method: 'POST', auth: c.auth() || undefined, json: c.body });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: string }).error).toBeTruthy();
    expect(await state()).toEqual(before);
  });
});

const listCases: [string, unknown, number][] = [
  ['one phase only', [{ key: 'only', name: { en: 'Only', zh: '唯一' } }], 400],
  ['a key with markup', [{ key: '<script>', name: { en: 'x', zh: 'x' } }, { key: 'planning', name: { en: 'P', zh: 'P' } }], 400],
  ['duplicate keys', [{ key: 'planning', name: { en: 'P', zh: 'P' } }, { key: 'planning', name: { en: 'P', zh: 'P' } }], 400],
  ['an unknown gate', [{ key: 'planning', name: { en: 'P', zh: 'P' }, requires: ['bribe'] }, { key: 'done', name: { en: 'D', zh: 'D' } }], 400],
  ['a name without Chinese', [{ key: 'planning', name: { en: 'P' } }, { key: 'done', name: { en: 'D', zh: 'D' } }], 400],
  ['a list leaving out the current phase', [{ key: 'idea', name: { en: 'I', zh: 'I' } }, { key: 'done', name: { en: 'D', zh: 'D' } }], 422],
  ['an object instead of a list', { planning: true }, 400],
];

describe('hostile phase lists', () => {
  it.each(listCases)('%s', async (_name, body, status) => {
    const before = await state();
    const res = await api('/api/v1/projects/HPH/phases', { method: 'PUT', auth: admin, json: body });
    expect(res.status).toBe(status);
    expect(await state()).toEqual(before);
  });

  it('refuses a phase list from a non-admin', async () => {
    const before = await state();
    expect((await api('/api/v1/projects/HPH/phases', { method: 'PUT', auth: editor, json: [{ key: 'a', name: { en: 'A', zh: 'A' } }, { key: 'planning', name: { en: 'P', zh: 'P' } }] })).status).toBe(403);
    expect(await state()).toEqual(before);
  });

  it('refuses bad activity filters on the overview', async () => {
    expect((await api('/api/v1/projects/HPH/overview?kind=constructor', { auth: admin })).status).toBe(400);
    expect((await api('/api/v1/projects/HPH/overview?limit=-1', { auth: admin })).status).toBe(400);
    expect((await api('/api/v1/recent?limit=abc', { auth: admin })).status).toBe(400);
    expect((await api('/api/v1/recent?space=hph', { auth: outsider })).status).toBe(404);
  });
});
