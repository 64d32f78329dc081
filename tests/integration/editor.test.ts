// The editor's server side against a real SQLite file: drafts (per user and path, bounded, deleted
// by a save) and presence (who else is editing, lapsing 45 s after the last heartbeat).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { createUser } from '../../src/server/auth/users.ts';
import { deleteDraft, getDraft, getNewPageDraft, putDraft } from '../../src/server/editor/drafts.ts';
import { heartbeat, PRESENCE_TTL_MS } from '../../src/server/editor/presence.ts';
import { RenderPool } from '../../src/server/pages/render-pool.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { freshEnvironment } from './setup-env.ts';

let admin: Viewer;
let member: Viewer;
let outsider: Viewer;
beforeAll(async () => {
  ({ admin, member } = await freshEnvironment('editor'));
  const id = await createUser({ email: 'out@example.com', name: 'Otto Outsider', password: 'a long enough password' });
  outsider = { id, email: 'out@example.com', name: 'Otto Outsider', admin: false, locale: null };
});

const status = (fn: () => unknown) => { try { fn(); return 200; } catch (err) { return (err as { status: number }).status; } };

describe('drafts', () => {
  it('keeps one draft per user and path, for a page not created yet too', () => {
    putDraft(member, 'eng', 'ideas', { title: 'Ideas', markdown: 'first', baseRevision: null });
    putDraft(member, 'eng', 'ideas', { title: 'Ideas', markdown: 'second', baseRevision: null });
    expect(getDraft(member, 'eng', 'ideas')).toMatchObject({ title: 'Ideas', markdown: 'second', baseRevision: null });
    expect(getDraft(admin, 'eng', 'ideas')).toBeNull(); // the admin has none of their own
    deleteDraft(member, 'eng', 'ideas');
    expect(getDraft(member, 'eng', 'ideas')).toBeNull();
  });

  it('finds the newest draft of a page not created yet below a parent, for the new-page form', async () => {
    putDraft(member, 'eng', 'vpn/macos', { title: 'macOS', markdown: 'older', baseRevision: null });
    await new Promise((r) => setTimeout(r, 5));
    putDraft(member, 'eng', 'vpn-guide', { title: 'VPN guide', markdown: 'newest', baseRevision: null });
    putDraft(member, 'eng', 'handbook', { title: 'Handbook', markdown: 'an edit', baseRevision: 1 }); // an existing page's
    expect(getNewPageDraft(member, 'eng', '')).toMatchObject({ path: 'vpn-guide', title: 'VPN guide', markdown: 'newest' });
    expect(getNewPageDraft(member, 'eng', 'vpn')).toMatchObject({ path: 'vpn/macos', markdown: 'older' }); // not vpn-guide
    expect(getNewPageDraft(member, 'eng', 'vpn/macos')).toBeNull();
    expect(getNewPageDraft(admin, 'eng', '')).toBeNull();
    // Once a page is there, its draft is no new page's (someone else made it meanwhile).
    await savePage(admin, { space: 'eng', path: 'vpn-guide', title: 'VPN guide', markdown: 'made by another' });
    expect(getNewPageDraft(member, 'eng', '')).toMatchObject({ path: 'vpn/macos' });
    for (const path of ['vpn/macos', 'vpn-guide', 'handbook']) deleteDraft(member, 'eng', path);
    expect(status(() => getNewPageDraft(outsider, 'hr', ''))).toBe(403);
  });

  it('refuses readers, hides unreadable spaces, and bounds the text like a page', () => {
    expect(status(() => putDraft(outsider, 'hr', 'x', { markdown: 'x' }))).toBe(403); // hr is org-readable, not editable
    expect(status(() => putDraft(member, 'nope', 'x', { markdown: 'x' }))).toBe(404);
    expect(status(() => putDraft(null, 'eng', 'x', { markdown: 'x' }))).toBe(401);
    expect(status(() => putDraft(member, 'eng', 'x', { markdown: 'é'.repeat(1024 * 1024 + 1) }))).toBe(413);
    expect(status(() => putDraft(member, 'eng', 'x', { markdown: 'x', title: 't'.repeat(301) }))).toBe(400);
    expect(status(() => putDraft(member, 'eng', 'x', { markdown: 'x', baseRevision: 1.5 }))).toBe(400);
    expect(status(() => putDraft(member, 'eng', '../x', { markdown: 'x' }))).toBe(400);
  });

  it('is deleted by a successful save of its page, and only that one', async () => {
    putDraft(member, 'eng', 'runbook', { title: 'Runbook', markdown: 'draft', baseRevision: null });
    putDraft(member, 'eng', 'other', { title: 'Other', markdown: 'draft', baseRevision: null });
    putDraft(admin, 'eng', 'runbook', { title: 'Runbook', markdown: 'admin draft', baseRevision: null });
    await savePage(member, { space: 'eng', path: 'runbook', title: 'Runbook', markdown: 'saved' });
    expect(getDraft(member, 'eng', 'runbook')).toBeNull();
    expect(getDraft(member, 'eng', 'other')?.markdown).toBe('draft');
    expect(getDraft(admin, 'eng', 'runbook')?.markdown).toBe('admin draft');
  });
});

describe('presence', () => {
  it('answers the others editing a page, and forgets one 45 s after their last beat', () => {
    const t0 = 1_000_000;
    expect(heartbeat(admin, 'eng', 'spec', t0)).toEqual([]);
    expect(heartbeat(member, 'eng', 'spec', t0 + 1_000)).toEqual([{ name: 'Ada Admin', since: new Date(t0).toISOString() }]);
    expect(heartbeat(admin, 'eng', 'spec', t0 + 15_000)).toEqual([{ name: '李雷', since: new Date(t0 + 1_000).toISOString() }]);
    expect(heartbeat(admin, 'eng', 'other-page', t0 + 15_000)).toEqual([]);
    // The member stops beating: still listed at 45 s after their beat, gone after.
    expect(heartbeat(admin, 'eng', 'spec', t0 + 1_000 + PRESENCE_TTL_MS)).toHaveLength(1);
    expect(heartbeat(admin, 'eng', 'spec', t0 + 2_000 + PRESENCE_TTL_MS)).toEqual([]);
    expect(status(() => heartbeat(outsider, 'hr', 'spec', t0))).toBe(403);
    expect(status(() => heartbeat(outsider, 'nope', 'spec', t0))).toBe(404);
  });
});

describe('previews on the render pool', () => {
  it('wait behind saves, so typing never delays a save', async () => {
    const pool = new RenderPool(1);
    await expect.poll(() => pool.stats().idle, { timeout: 30_000 }).toBe(1); // its worker loaded
    const done: string[] = [];
    const job = (name: string, preview: boolean) => pool.render('eng', `# ${name}`, { preview }).then((r) => { done.push(name); return r; });
    // The first preview takes the only worker; the next preview and then a save wait; the save goes first.
    const all = [job('preview 1', true), job('preview 2', true), job('save', false), job('preview 3', true)];
    expect((await Promise.all(all)).map((r) => r.headings[0]!.text)).toEqual(['preview 1', 'preview 2', 'save', 'preview 3']);
    expect(done).toEqual(['preview 1', 'save', 'preview 2', 'preview 3']);
    await pool.close();
  });

  it('take one worker per owner at most (perOwner: 1): the other stays free for anyone else', async () => {
    const pool = new RenderPool(2, { perOwner: 1 });
    await expect.poll(() => pool.stats().idle, { timeout: 30_000 }).toBe(2);
    const done: string[] = [];
    const job = (owner: number, name: string) => pool.render('eng', `# ${name}`, { owner }).then(() => done.push(name));
    const mine = [job(1, 'a1'), job(1, 'a2'), job(1, 'a3')];
    expect(pool.stats().idle).toBe(1); // a2 and a3 wait for a1, not for the free worker
    const theirs = job(2, 'b1');
    expect(pool.stats().idle).toBe(0);
    await Promise.all([...mine, theirs]);
    expect(done.filter((n) => n.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    await pool.close();
  });

  it('start no extra worker by themselves; a save waiting behind a stuck one does, and only then', async () => {
    const pool = new RenderPool(1, { maxSize: 2 });
    await expect.poll(() => pool.stats().idle, { timeout: 30_000 }).toBe(1);
    const previews = [1, 2, 3].map((i) => pool.render('eng', `preview ${i}`, { preview: true }));
    expect(pool.stats().workers).toBe(1);
    // A save behind quick jobs waits its turn: starting a worker costs more than waiting.
    await Promise.all([...previews, pool.render('eng', 'save')]);
    expect(pool.stats().workers).toBe(1);
    // A save behind a job that takes long (this one seconds) gets a worker of its own.
    const hard = pool.render('eng', '*a '.repeat(100_000), { preview: true });
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    const save = await pool.render('eng', '# Save');
    expect(save.headings[0]!.text).toBe('Save');
    expect(pool.stats().workers).toBe(2);
    const saveMs = performance.now() - started;
    await hard;
    expect(performance.now() - started).toBeGreaterThan(saveMs); // the save did not wait for it
    await pool.close();
  });
});

describe('an idle render worker', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** Whether the pool's one worker is replaced within `ms`: seen as it going from idle to loading. */
  const replacedWithin = async (pool: RenderPool, ms: number) => {
    for (const end = performance.now() + ms; performance.now() < end; await sleep(5)) if (pool.stats().idle === 0) return true;
    return false;
  };

  it('is replaced once it has stayed idle with more heap committed than the line, and kept under it', async () => {
    const over = new RenderPool(1, { idleRecycle: { heapMb: 1, afterMs: 200 } });
    const under = new RenderPool(1, { idleRecycle: { heapMb: 10_000, afterMs: 200 } });
    await expect.poll(() => over.stats().idle + under.stats().idle, { timeout: 30_000 }).toBe(2);
    await Promise.all([over.render('eng', '# A'), under.render('eng', '# A')]);
    expect(await replacedWithin(over, 3_000)).toBe(true);
    expect(await replacedWithin(under, 1_000)).toBe(false);
    await expect.poll(() => over.stats().idle, { timeout: 30_000 }).toBe(1);
    expect((await over.render('eng', '# B')).headings[0]!.text).toBe('B'); // the fresh worker renders
    await Promise.all([over.close(), under.close()]);
  });

  it('is left alone while it is busy again', async () => {
    const pool = new RenderPool(1, { idleRecycle: { heapMb: 1, afterMs: 200 } });
    await expect.poll(() => pool.stats().idle, { timeout: 30_000 }).toBe(1);
    await pool.render('eng', '# A');
    await sleep(50);
    // A job running past the idle check: rendered in full (the fallback has no headings), not cut.
    const started = performance.now();
    const long = await pool.render('eng', '# Long\n\n' + '*a '.repeat(20_000));
    expect(performance.now() - started).toBeGreaterThan(200);
    expect(long.headings[0]!.text).toBe('Long');
    await pool.close();
  });
});
