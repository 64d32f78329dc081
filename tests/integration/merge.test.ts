// Three-way merge of stale saves and restoring revisions, against a real SQLite file.
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { viewPage } from '../../src/server/pages/get-page.ts';
import { listRevisions, restoreRevision } from '../../src/server/pages/history.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { failure, freshEnvironment } from './setup-env.ts';

let admin: Viewer;
let member: Viewer;
let dataDir: string;
beforeAll(async () => ({ admin, member, dataDir } = await freshEnvironment('merge')));

const paragraphs = (n: number, edit: (i: number) => string | undefined = () => undefined) =>
  Array.from({ length: n }, (_, i) => edit(i) ?? `第 ${i + 1} 段：这一段讲的是项目计划中的第 ${i + 1} 个里程碑。`).join('\n\n');
const markdownOf = (p: string) => viewPage(admin, 'eng', p, { markdown: true }).markdown!;

/** What is on disk, read by a connection of its own (not the app's): what a restart would see. */
function onDisk(pagePath: string) {
  const file = new Database(path.join(dataDir, 'dossier.db'), { readonly: true });
  try {
    const page = file.prepare<[string], { id: number; revision: number; title: string }>('select id, revision, title from pages where path = ? and deleted_at is null').get(pagePath)!;
    const revs = file.prepare<[number], { number: number; markdown: string; title: string; tags: string }>('select number, markdown, title, tags from revisions where page_id = ? order by number').all(page.id);
    return { page, revs };
  } finally {
    file.close();
  }
}

describe('saving from a stale revision', () => {
  it('merges edits of different paragraphs: both land in one new revision, and the answer says so', async () => {
    await savePage(admin, { space: 'eng', path: 'plan', title: 'Plan', markdown: paragraphs(3), tags: ['plan'] });
    const theirs = await savePage(admin, { space: 'eng', path: 'plan', markdown: paragraphs(3, (i) => (i === 0 ? '第 1 段：Ada 改了这里。' : undefined)), baseRevision: 1 });
    expect(theirs).toMatchObject({ revision: 2 });
    expect(theirs.mergedWith).toBeUndefined();
    const ours = await savePage(member, { space: 'eng', path: 'plan', title: 'Plan', markdown: paragraphs(3, (i) => (i === 2 ? '第 3 段：李雷改了这里。' : undefined)), baseRevision: 1, tags: ['plan', 'q3'] });
    expect(ours).toMatchObject({ revision: 3, changed: true, mergedWith: 2 });
    const merged = markdownOf('plan');
    expect(merged).toContain('第 1 段：Ada 改了这里。');
    expect(merged).toContain('第 2 段：这一段讲的是');
    expect(merged).toContain('第 3 段：李雷改了这里。');
    const disk = onDisk('plan');
    expect(disk.page.revision).toBe(3);
    expect(disk.revs.map((r) => r.number)).toEqual([1, 2, 3]);
    expect(disk.revs[2]!.markdown).toBe(merged);
    expect(JSON.parse(disk.revs[2]!.tags)).toEqual(['plan', 'q3']);
  });

  it('takes a title only one side changed, and refuses two different new titles', async () => {
    await savePage(admin, { space: 'eng', path: 'titles', title: '周报', markdown: 'a\n\nb' });
    await savePage(admin, { space: 'eng', path: 'titles', title: '周报（第 12 周）', markdown: 'a\n\nb', baseRevision: 1 });
    // The form sends the title it started with: unchanged, so theirs stays.
    await savePage(member, { space: 'eng', path: 'titles', title: '周报', markdown: 'a\n\nb 补充', baseRevision: 1 });
    expect(viewPage(admin, 'eng', 'titles').page.title).toBe('周报（第 12 周）');
    expect(markdownOf('titles')).toBe('a\n\nb 补充');
    await savePage(admin, { space: 'eng', path: 'titles', title: '第 12 周周报', markdown: 'a\n\nb 补充', baseRevision: 3 });
    const err = await failure(() => savePage(member, { space: 'eng', path: 'titles', title: '周报 W12', markdown: 'a 改\n\nb 补充', baseRevision: 3 }));
    expect(err.status).toBe(409);
    expect(err.extra.merge).toMatchObject({ base: 3, title: null });
    expect(onDisk('titles').page).toMatchObject({ revision: 4, title: '第 12 周周报' });
  });

  it('answers overlapping edits with 409, the current revision and the conflicting blocks, and stores nothing', async () => {
    await savePage(admin, { space: 'eng', path: 'overlap', title: 'Overlap', markdown: paragraphs(3) });
    await savePage(admin, { space: 'eng', path: 'overlap', markdown: paragraphs(3, (i) => (i === 1 ? '第 2 段：Ada 的说法。' : undefined)), baseRevision: 1 });
    const err = await failure(() => savePage(member, { space: 'eng', path: 'overlap', markdown: paragraphs(3, (i) => (i === 1 ? '第 2 段：李雷的说法。' : i === 2 ? '第 3 段：不冲突的修改。' : undefined)), baseRevision: 1 }));
    expect(err.status).toBe(409);
    expect(err.extra.current).toMatchObject({ revision: 2, author: 'Ada Admin', title: 'Overlap' });
    const blocks = (err.extra.merge as { blocks: { kind: string; ours?: string[]; theirs?: string[]; base?: string[] }[] }).blocks;
    expect(blocks.filter((b) => b.kind === 'conflict')).toEqual([
      { kind: 'conflict', base: ['第 2 段：这一段讲的是项目计划中的第 2 个里程碑。'], ours: ['第 2 段：李雷的说法。'], theirs: ['第 2 段：Ada 的说法。'] },
    ]);
    expect(onDisk('overlap').revs).toHaveLength(2);
    expect(markdownOf('overlap')).toContain('Ada 的说法');
  });

  it('refuses a merge whose result would be over the page size limit, storing nothing', async () => {
    await savePage(admin, { space: 'eng', path: 'big', title: 'Big', markdown: 'start\n\nend' });
    const half = '字'.repeat(400_000); // 1.2 MB of UTF-8
    await savePage(admin, { space: 'eng', path: 'big', markdown: `start\n\nend\n\n${half}`, baseRevision: 1 });
    const err = await failure(() => savePage(member, { space: 'eng', path: 'big', markdown: `${half}\n\nstart\n\nend`, baseRevision: 1 }));
    expect(err.status).toBe(413);
    expect(onDisk('big').revs).toHaveLength(2);
  });

  it('lands every one of many concurrent non-overlapping saves from the same base revision, none lost', async () => {
    const n = 6;
    await savePage(admin, { space: 'eng', path: 'busy', title: 'Busy', markdown: paragraphs(n) });
    const results = await Promise.all(Array.from({ length: n }, (_, k) => savePage(k % 2 ? admin : member, {
      space: 'eng', path: 'busy', markdown: paragraphs(n, (i) => (i === k ? `第 ${k + 1} 段：第 ${k + 1} 位作者的修改。` : undefined)), baseRevision: 1,
    })));
    expect(results.map((r) => r.revision).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7]);
    // All but the first to commit were merged with the revision before them.
    expect(results.filter((r) => r.mergedWith !== undefined)).toHaveLength(n - 1);
    const disk = onDisk('busy');
    expect(disk.page.revision).toBe(n + 1);
    const last = disk.revs.at(-1)!.markdown;
    for (let k = 0; k < n; k++) expect(last).toContain(`第 ${k + 1} 位作者的修改。`);
    expect(last).toBe(markdownOf('busy'));
  });
});

describe('restoring a revision', () => {
  it('makes a new revision equal to the old one (title, text and tags), through the normal save', async () => {
    await savePage(admin, { space: 'eng', path: 'restore-me', title: 'Old title', markdown: '旧的内容', tags: ['old'] });
    await savePage(member, { space: 'eng', path: 'restore-me', title: 'New title', markdown: '新的内容', tags: ['new'], baseRevision: 1 });
    const restored = await restoreRevision(admin, 'eng', 'restore-me', 1);
    expect(restored).toMatchObject({ revision: 3, changed: true });
    const disk = onDisk('restore-me');
    expect(disk.revs[2]).toMatchObject({ title: 'Old title', markdown: '旧的内容', tags: '["old"]' });
    expect(viewPage(admin, 'eng', 'restore-me').html).toContain('旧的内容');
    expect(listRevisions(admin, 'eng', 'restore-me')[0]).toMatchObject({ revision: 3, message: 'Restored revision 1' });
    expect((await failure(() => restoreRevision(admin, 'eng', 'restore-me', 9))).status).toBe(404);
    expect((await failure(() => restoreRevision(admin, 'hr', 'restore-me', 1))).status).toBe(404);
  });
});
