// Page owners and reviews (issue 11, part 1) against a real SQLite file: who may change them, what
// verifying records, which inputs are refused (and change nothing), the review reminders (once
// each), the freshness lists, and what a folder import keeps from frontmatter.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { pages } from '../../db/schema.ts';
import type { Viewer } from '../../src/server/access/index.ts';
import { setGrants } from '../../src/server/admin/grants.ts';
import { updateSpace } from '../../src/server/admin/spaces.ts';
import { updateUser } from '../../src/server/admin/users.ts';
import { createUser } from '../../src/server/auth/users.ts';
import { importSpace, type ImportReport } from '../../src/server/content-io/import-folder.ts';
import { db } from '../../src/server/db.ts';
import { listNotifications } from '../../src/server/notify/inbox.ts';
import { sendReviewReminders } from '../../src/server/notify/review-reminders.ts';
import { freshness } from '../../src/server/pages/freshness.ts';
import { findLivePage } from '../../src/server/pages/get-page.ts';
import { listRevisions } from '../../src/server/pages/history.ts';
import { movePage } from '../../src/server/pages/move-page.ts';
import { pageHistory } from '../../src/server/pages/page-history.ts';
import { listAudit } from '../../src/server/admin/audit.ts';
import { addDays, checkReviewDate, isoDate, pageOwnership, updatePageOwnership } from '../../src/server/pages/ownership.ts';
import { RenderPool } from '../../src/server/pages/render-pool.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { pageDocuments } from '../../src/server/search/documents.ts';
import { upsertSpace } from '../../src/server/spaces/spaces.ts';
import { write } from '../../src/server/db.ts';
import { failure, freshEnvironment } from './setup-env.ts';

let admin: Viewer;
let member: Viewer; // editor of eng
let reader: Viewer; // reads eng (org space), no grant
let secretless: Viewer; // cannot read the restricted space
const DAY = 24 * 3600_000;
const viewer = (id: number, email: string, name: string): Viewer => ({ id, email, name, admin: false, locale: null });
const spaceId = (key: string) => db().$client.prepare<[string], { id: number }>('select id from spaces where key = ?').get(key)!.id;
const pageId = (key: string, p: string) => findLivePage(spaceId(key), p)!.id;

beforeAll(async () => {
  ({ admin, member } = await freshEnvironment('owners'));
  reader = viewer(await createUser({ email: 'han.meimei@example.com', name: '韩梅梅', password: 'a long enough password' }), 'han.meimei@example.com', '韩梅梅');
  secretless = viewer(await createUser({ email: 'outsider@example.com', name: 'Outsider', password: 'a long enough password' }), 'outsider@example.com', 'Outsider');
  write((tx) => upsertSpace(tx, { key: 'vault', name: 'Vault', visibility: 'restricted' }));
  setGrants(admin, 'vault', [{ user: member.email, role: 'editor' }]);
  await savePage(member, { space: 'eng', path: 'runbook', title: 'Runbook', markdown: 'How we deploy.' });
  await savePage(admin, { space: 'vault', path: 'keys', title: 'Keys', markdown: 'Where the keys are.' });
});

describe('owners and verification', () => {
  it('makes the creator the owner; GET-side facts start empty', () => {
    expect(pageOwnership(pageId('eng', 'runbook'))).toMatchObject({
      owner: { email: member.email, name: '李雷', active: true }, verifiedAt: null, verifiedBy: null, reviewBy: null,
    });
  });

  it('lets the owner verify: who, when, and the next review from the space interval', () => {
    updateSpace(admin, 'eng', { reviewIntervalDays: 180 });
    const now = Date.parse('2026-12-01T10:00:00Z');
    const after = updatePageOwnership(member, 'eng', 'runbook', { verified: true }, now);
    expect(after).toEqual({
      owner: { email: member.email, name: '李雷', active: true },
      verifiedAt: '2026-12-01T10:00:00.000Z', verifiedBy: { email: member.email, name: '李雷', active: true }, reviewBy: '2027-05-30',
    });
    // A date given with the verification wins over the interval; the search document carries verifiedAt.
    expect(updatePageOwnership(member, 'eng', 'runbook', { verified: true, reviewBy: '2027-06-01' }, now).reviewBy).toBe('2027-06-01');
    const row = db().select().from(pages).where(eq(pages.id, pageId('eng', 'runbook'))).get()!;
    expect(pageDocuments(row, { id: row.spaceId, key: 'eng' })[0]!.verifiedAt).toBe(now);
  });

  it('lets a space admin hand the page to someone else, and then only the new owner (or an admin) may change it', async () => {
    expect(updatePageOwnership(admin, 'eng', 'runbook', { owner: ' HAN.MEIMEI@example.com ' }).owner?.email).toBe(reader.email);
    expect((await failure(() => updatePageOwnership(member, 'eng', 'runbook', { reviewBy: '2027-01-01' }))).status).toBe(403);
    expect(updatePageOwnership(reader, 'eng', 'runbook', { reviewBy: '2027-01-02' }).reviewBy).toBe('2027-01-02');
    expect(updatePageOwnership(reader, 'eng', 'runbook', { reviewBy: null }).reviewBy).toBeNull();
  });

  it('answers 404 for a page the viewer may not read, and 403 for a reader who is neither owner nor admin', async () => {
    expect((await failure(() => updatePageOwnership(secretless, 'vault', 'keys', { verified: true }))).status).toBe(404);
    expect((await failure(() => updatePageOwnership(secretless, 'vault', 'nothing-here', { verified: true }))).status).toBe(404);
    expect((await failure(() => updatePageOwnership(member, 'vault', 'keys', { verified: true }))).status).toBe(403);
  });

  it('refuses bad input with the field named and changes nothing', async () => {
    const before = pageOwnership(pageId('eng', 'runbook'));
    const cases: [Parameters<typeof updatePageOwnership>[3], string][] = [
      [{ owner: 'nobody@example.com' }, 'owner'],
      [{ owner: secretless.email, verified: true }, 'owner'], // deactivated just below
      [{ reviewBy: '1900-01-01' }, 'reviewBy'],
      [{ reviewBy: '2026-02-30' }, 'reviewBy'],
      [{ reviewBy: 'next tuesday' }, 'reviewBy'],
      [{ reviewBy: '2999-01-01' }, 'reviewBy'],
      [{ verified: false }, 'verified'],
      [{ owner: member.email, reviewBy: '20270101' }, 'reviewBy'],
    ];
    updateUser(admin, secretless.id, { active: false });
    try {
      for (const [input, field] of cases) {
        const err = await failure(() => updatePageOwnership(admin, 'eng', 'runbook', input));
        expect([err.status, err.extra.field, err.message.startsWith(`${field}:`)]).toEqual([422, field, true]);
      }
      // Someone who cannot read a restricted space cannot own a page there.
      updateUser(admin, secretless.id, { active: true });
      const err = await failure(() => updatePageOwnership(admin, 'vault', 'keys', { owner: secretless.email }));
      expect([err.status, err.extra.field]).toEqual([422, 'owner']);
    } finally {
      updateUser(admin, secretless.id, { active: true });
    }
    expect(pageOwnership(pageId('eng', 'runbook'))).toEqual(before);
  });

  it('checks review dates on the calendar and within ten years', () => {
    const now = Date.parse('2026-12-02T00:00:00Z');
    expect(checkReviewDate('2024-02-29', now)).toBe('2024-02-29');
    expect(checkReviewDate('2036-12-02', now)).toBe('2036-12-02');
    for (const bad of ['2023-02-29', '2036-12-03', '1999-12-31', '2027-6-1', '2027-06-01T00:00:00Z', '']) {
      expect(() => checkReviewDate(bad, now), bad).toThrow(/reviewBy/);
    }
  });

  it('refuses a review interval out of range', async () => {
    for (const days of [0, -1, 3651, 1.5]) expect((await failure(() => updateSpace(admin, 'eng', { reviewIntervalDays: days }))).status).toBe(422);
    expect((await failure(() => updateSpace(member, 'eng', { reviewIntervalDays: 30 }))).status).toBe(403);
    expect(updateSpace(admin, 'eng', { reviewIntervalDays: null }).reviewIntervalDays).toBeNull();
  });
});

describe('owner and review changes in the page history', () => {
  it('writes one line per change to the audit log and the page history (after a move too), none for a refused or empty change', async () => {
    await savePage(member, { space: 'eng', path: 'policy', title: 'Policy', markdown: 'Rules.' });
    const now = Date.parse('2026-12-01T10:00:00Z');
    updatePageOwnership(member, 'eng', 'policy', { verified: true, reviewBy: '2027-03-01' }, now);
    updatePageOwnership(admin, 'eng', 'policy', { owner: reader.email, reviewBy: '2027-04-01' });
    updatePageOwnership(reader, 'eng', 'policy', { owner: reader.email }); // already theirs: nothing to record
    updatePageOwnership(reader, 'eng', 'policy', { reviewBy: null });
    await failure(() => updatePageOwnership(member, 'eng', 'policy', { reviewBy: '2027-05-01' })); // no longer the owner: 403
    await failure(() => updatePageOwnership(admin, 'eng', 'policy', { owner: member.email, reviewBy: '1900-01-01' })); // 422
    movePage(admin, 'eng', 'policy', 'rules/policy');

    const lines = listAudit(admin, { action: 'page.ownership' }).filter((l) => l.subject.endsWith('/policy'));
    expect(lines.map((l) => [l.actor, l.subject, l.before, l.after])).toEqual([
      [reader.email, 'eng/policy', { reviewBy: '2027-04-01' }, { reviewBy: null }],
      [admin.email, 'eng/policy', { owner: member.email, reviewBy: '2027-03-01' }, { owner: reader.email, reviewBy: '2027-04-01' }],
      [member.email, 'eng/policy', { verifiedAt: null, reviewBy: null }, { verifiedAt: '2026-12-01T10:00:00.000Z', reviewBy: '2027-03-01' }],
    ]);

    const history = pageHistory(reader, 'eng', 'rules/policy');
    expect(history.map((e) => (e.kind === 'revision' ? `r${e.revision}` : `${e.author?.email}: ${Object.keys(e.changes).join('+')}`))).toEqual([
      `${admin.email}: path`, `${reader.email}: reviewBy`, `${admin.email}: owner+reviewBy`, `${member.email}: reviewBy+verifiedAt`, 'r1',
    ]);
    const handed = history[2]!;
    expect(handed.kind === 'event' && handed.changes.owner).toEqual({ from: member.email, to: reader.email });
    expect(handed.kind === 'event' && handed.people[reader.email]?.name).toBe('韩梅梅');
    // Only for those who may read the page.
    expect((await failure(() => pageHistory(secretless, 'vault', 'keys'))).status).toBe(404);
  });
});

describe('review reminders and freshness', () => {
  it('reminds the owner once when a review is due soon and once when it is overdue', async () => {
    await savePage(member, { space: 'eng', path: 'policy', title: 'Deploy policy', markdown: 'Rules.' });
    const now = Date.parse('2027-03-01T08:00:00Z');
    updatePageOwnership(member, 'eng', 'policy', { reviewBy: '2027-03-10' }, now);
    const mine = () => listNotifications(member).items.filter((i) => i.kind.startsWith('page-review') && i.title === 'Deploy policy');
    expect(sendReviewReminders(now - 30 * DAY)).toBe(0); // not within 14 days yet
    expect(sendReviewReminders(now)).toBeGreaterThanOrEqual(1);
    expect(sendReviewReminders(now + 3600_000)).toBe(0); // the hourly scan again: nothing new
    expect(mine().map((i) => [i.kind, i.due, i.href])).toEqual([['page-review-soon', '2027-03-10', '/s/eng/policy']]);
    sendReviewReminders(Date.parse('2027-03-11T08:00:00Z'));
    sendReviewReminders(Date.parse('2027-03-12T08:00:00Z'));
    expect(mine().map((i) => i.kind)).toEqual(['page-review-overdue', 'page-review-soon']);
    // A new review date earns new reminders.
    updatePageOwnership(member, 'eng', 'policy', { verified: true, reviewBy: '2027-04-01' }, Date.parse('2027-03-12T08:00:00Z'));
    sendReviewReminders(Date.parse('2027-03-20T08:00:00Z'));
    expect(mine().map((i) => i.kind)).toEqual(['page-review-soon', 'page-review-overdue', 'page-review-soon']);
  });

  it('sends nothing to an inactive owner, nor about a deleted page', async () => {
    await savePage(member, { space: 'eng', path: 'leaver', title: 'Leaver page', markdown: 'x' });
    updatePageOwnership(admin, 'eng', 'leaver', { owner: secretless.email, reviewBy: isoDate(Date.now() - DAY) });
    updateUser(admin, secretless.id, { active: false });
    try {
      sendReviewReminders();
      expect(db().$client.prepare("select count(*) as n from notifications where user_id = ? and kind like 'page-review%'").get(secretless.id)).toEqual({ n: 0 });
    } finally {
      updateUser(admin, secretless.id, { active: true });
    }
  });

  it('lists unowned pages, inactive owners, overdue and soon reviews for every reader, with actions only where allowed', async () => {
    const today = isoDate(Date.now());
    await savePage(member, { space: 'eng', path: 'fresh/overdue', title: 'Overdue one', markdown: 'x' });
    await savePage(member, { space: 'eng', path: 'fresh/soon', title: 'Soon one', markdown: 'x' });
    await savePage(member, { space: 'eng', path: 'fresh/later', title: 'Later one', markdown: 'x' });
    updatePageOwnership(member, 'eng', 'fresh/overdue', { reviewBy: addDays(today, -1) });
    updatePageOwnership(member, 'eng', 'fresh/soon', { reviewBy: addDays(today, 14) });
    updatePageOwnership(member, 'eng', 'fresh/later', { reviewBy: addDays(today, 15) });
    write((tx) => tx.$client.prepare("update pages set owner_id = null where path = 'fresh/later'").run());
    updateUser(admin, secretless.id, { active: false }); // owner of "leaver"
    try {
      const f = freshness(reader, 'eng');
      const titles = (rows: { title: string }[]) => rows.map((r) => r.title);
      expect(titles(f.overdue)).toEqual(expect.arrayContaining(['Overdue one', 'Leaver page']));
      expect(titles(f.overdue)).not.toContain('Soon one');
      expect(titles(f.soon)).toContain('Soon one');
      expect(titles(f.soon)).not.toContain('Later one');
      expect(titles(f.unowned)).toEqual(['Later one']);
      expect(f.inactiveOwner.map((r) => [r.title, r.owner?.active])).toEqual([['Leaver page', false]]);
      expect(f.overdue.every((r) => !r.manage)).toBe(true); // a reader owns none of them
      expect(freshness(member, 'eng').overdue.find((r) => r.title === 'Overdue one')?.manage).toBe(true);
      expect(freshness(admin, 'eng').unowned.every((r) => r.manage)).toBe(true);
      expect((await failure(() => freshness(secretless, 'vault'))).status).toBe(404);
    } finally {
      updateUser(admin, secretless.id, { active: true });
    }
  });
});

describe('folder import', () => {
  it('keeps owner, created, updated, reviewed and review-by; bad values are warnings, never a crash', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-owners-import-'));
    const put = (rel: string, body: string) => fs.writeFileSync(path.join(dir, rel), body);
    put('index.md', '---\ntitle: Policies\nowner: LI.LEI@example.com\ncreated: 2024-01-15\nupdated: 2025-03-02T09:30:00Z\nreviewed: 2025-06-01\nreview-by: 2026-06-01\n---\nThe rules.');
    put('leave.md', '---\ntitle: Leave\nowner: ghost@example.com\nupdated: 2026-02-30\nreview-by: 1900-01-01\nreviewed: soon\n---\nTake leave.');
    put('plain.md', '# Plain\n\nNo frontmatter.');
    write((tx) => upsertSpace(tx, { key: 'pol', name: 'Policies' }));
    setGrants(admin, 'pol', [{ user: reader.email, role: 'admin' }]);
    const report: ImportReport = { spaces: [], skipped: [] };
    const pool = new RenderPool(1);
    try {
      await importSpace(dir, 'pol', report, pool);
    } finally {
      await pool.close();
    }
    expect(report.spaces).toEqual([{ key: 'pol', created: 3, updated: 0, unchanged: 0 }]);
    expect(report.warnings?.map((w) => [path.basename(w.file), w.reason.split(':')[0]])).toEqual([
      ['leave.md', 'updated'], ['leave.md', 'reviewed'], ['leave.md', 'review-by'], ['leave.md', 'owner'],
    ]);
    // Each also by a code with its figures, for the import's report in the admin's language.
    expect(report.warnings?.map(({ code, field, value, email }) => ({ code, field, value, email }))).toEqual([
      { code: 'factNotPastDate', field: 'updated', value: '2026-02-30', email: undefined },
      { code: 'factNotPastDate', field: 'reviewed', value: 'soon', email: undefined },
      { code: 'factReviewDate', field: 'review-by', value: '1900-01-01', email: undefined },
      { code: 'factNoOwnerFallback', field: undefined, value: undefined, email: 'ghost@example.com' },
    ]);
    const home = db().$client.prepare("select * from pages where space_id = ? and path = ''").get(spaceId('pol')) as Record<string, number | string | null>;
    expect(home).toMatchObject({
      owner_id: member.id, created_at: Date.parse('2024-01-15'), updated_at: Date.parse('2025-03-02T09:30:00Z'),
      verified_at: Date.parse('2025-06-01'), verified_by: null, review_by: '2026-06-01',
    });
    expect(listRevisions(admin, 'pol', '')[0]!.createdAt).toBe(Date.parse('2025-03-02T09:30:00Z'));
    // No usable owner: the space's first admin by grant.
    expect(pageOwnership(pageId('pol', 'leave'))).toMatchObject({ owner: { email: reader.email }, reviewBy: null, verifiedAt: null });
    expect(pageOwnership(pageId('pol', 'plain')).owner?.email).toBe(reader.email);

    // A space without admins: the importing user owns what nobody else claims.
    const solo = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-owners-solo-'));
    fs.writeFileSync(path.join(solo, 'index.md'), '# Solo\n\nNobody claims this.');
    fs.writeFileSync(path.join(solo, 'ghost.md'), '---\nowner: ghost@example.com\n---\n# Ghost');
    const soloPool = new RenderPool(1);
    try {
      await importSpace(solo, 'solo', { spaces: [], skipped: [] }, soloPool, () => {}, { importerId: member.id });
      await importSpace(solo, 'solo-nobody', { spaces: [], skipped: [] }, soloPool);
    } finally {
      await soloPool.close();
    }
    expect([pageOwnership(pageId('solo', '')).owner?.email, pageOwnership(pageId('solo', 'ghost')).owner?.email]).toEqual([member.email, member.email]);
    expect(pageOwnership(pageId('solo-nobody', '')).owner).toBeNull();

    // A re-import of unchanged text still takes new frontmatter facts.
    put('plain.md', '---\nowner: admin@example.com\nreview-by: 2027-01-31\n---\n# Plain\n\nNo frontmatter.');
    const again: ImportReport = { spaces: [], skipped: [] };
    const pool2 = new RenderPool(1);
    try {
      await importSpace(dir, 'pol', again, pool2);
    } finally {
      await pool2.close();
    }
    expect(again.spaces).toEqual([{ key: 'pol', created: 0, updated: 0, unchanged: 3 }]);
    expect(pageOwnership(pageId('pol', 'plain'))).toMatchObject({ owner: { email: admin.email }, reviewBy: '2027-01-31' });
  });
});
