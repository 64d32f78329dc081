// Page comments, mentions and watching against a real SQLite file and the real render pool:
// threads, edits, deletes and resolving with their permissions; mentions and watchers reaching
// inboxes only while the recipient may read the page; coalesced change items; last-seen revisions.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { setGrants } from '../../src/server/admin/grants.ts';
import { createUser } from '../../src/server/auth/users.ts';
import { deleteComment, readComments, postComment, updateComment } from '../../src/server/comments/comments.ts';
import { mentionSuggestions } from '../../src/server/comments/mentions.ts';
import { db, write } from '../../src/server/db.ts';
import { listNotifications, markRead } from '../../src/server/notify/inbox.ts';
import { deletePage, movePage } from '../../src/server/pages/move-page.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { findSpace, upsertSpace } from '../../src/server/spaces/spaces.ts';
import { flushVisits, visitPage } from '../../src/server/watching/last-seen.ts';
import { setPageWatch, setSpaceWatch, watchState } from '../../src/server/watching/watches.ts';
import { failure, freshEnvironment } from './setup-env.ts';

let admin: Viewer;
let member: Viewer; // 李雷, editor of eng and sec
let reader: Viewer; // Wang Fang, reader of sec
let outsider: Viewer; // Zhao Min: reads org spaces only

const person = async (email: string, name: string): Promise<Viewer> =>
  ({ id: await createUser({ email, name, password: 'a long enough password' }), email, name, admin: false, locale: null });
const inbox = (v: Viewer) => listNotifications(v).items;
const pageItems = (v: Viewer) => inbox(v).filter((i) => i.kind.startsWith('page-'));

beforeAll(async () => {
  ({ admin, member } = await freshEnvironment('comments'));
  reader = await person('wang.fang@example.com', 'Wang Fang');
  outsider = await person('zhao.min@example.com', 'Zhao Min');
  write((tx) => upsertSpace(tx, { key: 'sec', name: 'Security', visibility: 'restricted' }));
  setGrants(admin, 'sec', [{ user: 'li.lei@example.com', role: 'editor' }, { user: 'wang.fang@example.com', role: 'reader' }]);
  await savePage(admin, { space: 'eng', path: 'runbook', title: 'Runbook', markdown: '# Runbook\n\nRestart the service.' });
  await savePage(admin, { space: 'sec', path: 'keys', title: 'Key rotation', markdown: 'Rotate every 90 days.' });
});

describe('comments', () => {
  it('posts threads and replies in sanitized Markdown; a reply to a reply joins the thread', async () => {
    const { id: first } = await postComment(reader, 'sec', 'keys', { markdown: 'Is **90 days** right? <script>alert(1)</script> See [[eng:Runbook]]' });
    const { id: reply } = await postComment(member, 'sec', 'keys', { markdown: 'Yes, policy says so.', parent: first });
    const { id: nested } = await postComment(reader, 'sec', 'keys', { markdown: 'Thanks!', parent: reply });
    const threads = await readComments(reader, 'sec', 'keys');
    expect(threads).toHaveLength(1);
    expect(threads[0]).toMatchObject({ id: first, author: { name: 'Wang Fang' }, resolved: false, editedAt: null, mayEdit: true, mayResolve: true });
    expect(threads[0]!.html).toContain('<strong>90 days</strong>');
    expect(threads[0]!.html).not.toContain('<script');
    expect(threads[0]!.html).toContain('href="/s/eng/runbook"'); // a wiki link resolved for this reader
    expect(threads[0]!.replies.map((r) => r.id)).toEqual([reply, nested]);
    expect(threads[0]!.replies[0]).toMatchObject({ mayEdit: false, mayDelete: false });
  });

  it('refuses empty, oversized and misplaced comments and stores nothing', async () => {
    const before = db().$client.prepare('select count(*) as n from page_comments').get();
    expect((await failure(() => postComment(member, 'eng', 'runbook', { markdown: 'x'.repeat(1024 * 1024) }))).status).toBe(413);
    expect((await failure(() => postComment(member, 'eng', 'runbook', { markdown: '   ' }))).status).toBe(400);
    expect((await failure(() => postComment(member, 'eng', 'runbook', { markdown: 7 }))).status).toBe(400);
    const other = (await readComments(admin, 'sec', 'keys'))[0]!.id;
    expect((await failure(() => postComment(member, 'eng', 'runbook', { markdown: 'hi', parent: other }))).message).toMatch(/parent/);
    expect(db().$client.prepare('select count(*) as n from page_comments').get()).toEqual(before);
  });

  it('answers 404 alike for a page, space or comment the viewer may not read', async () => {
    const id = (await readComments(admin, 'sec', 'keys'))[0]!.id;
    const statuses = [
      await failure(() => readComments(outsider, 'sec', 'keys')),
      await failure(() => readComments(outsider, 'sec', 'nope')),
      await failure(() => postComment(outsider, 'sec', 'keys', { markdown: 'let me in' })),
      await failure(() => updateComment(outsider, id, { resolved: true })),
      await failure(() => deleteComment(outsider, id)),
      await failure(() => updateComment(outsider, 999_999, { resolved: true })),
    ].map((e) => [e.status, e.message]);
    expect(new Set(statuses.map(String))).toEqual(new Set(['404,Not found']));
  });

  it('edits only your own, marks it edited, and tells only people newly mentioned', async () => {
    const { id } = await postComment(member, 'eng', 'runbook', { markdown: 'Draft note' });
    expect((await failure(() => updateComment(reader, id, { markdown: 'hijack' }))).status).toBe(403);
    markRead(admin);
    const edited = await updateComment(member, id, { markdown: 'Final note for @Ada Admin' });
    expect(edited.editedAt).toMatch(/^\d{4}-/);
    const c = (await readComments(admin, 'eng', 'runbook')).find((t) => t.id === id)!;
    expect(c.editedAt).not.toBeNull();
    expect(c.markdown).toBe('Final note for @Ada Admin');
    expect(pageItems(admin).filter((i) => !i.read).map((i) => i.kind)).toEqual(['page-mentioned']);
    await updateComment(member, id, { markdown: 'Final note for @Ada Admin, again' });
    expect(pageItems(admin).filter((i) => !i.read)).toHaveLength(1); // not told twice
  });

  it('deletes: a thread start with replies stays as a placeholder; a space admin may delete others', async () => {
    const { id: root } = await postComment(member, 'eng', 'runbook', { markdown: 'Root' });
    const { id: reply } = await postComment(reader, 'eng', 'runbook', { markdown: 'Reply', parent: root });
    expect((await failure(() => deleteComment(reader, root))).status).toBe(403);
    deleteComment(member, root);
    let thread = (await readComments(reader, 'eng', 'runbook')).find((t) => t.id === root)!;
    expect(thread).toMatchObject({ deleted: true, html: '', markdown: '', mayEdit: false });
    expect(thread.replies.map((r) => r.id)).toEqual([reply]);
    expect((await failure(() => updateComment(member, root, { markdown: 'undelete?' }))).status).toBe(404);
    // The placeholder thread may still be replied to (also through a reply) and resolved.
    const { id: late } = await postComment(reader, 'eng', 'runbook', { markdown: 'Late reply', parent: reply });
    const { id: later } = await postComment(reader, 'eng', 'runbook', { markdown: 'Later reply', parent: root });
    expect((await readComments(reader, 'eng', 'runbook')).find((t) => t.id === root)!.replies.map((r) => r.id)).toEqual([reply, late, later]);
    expect(await updateComment(member, root, { resolved: true })).toEqual({ id: root, resolved: true });
    deleteComment(reader, late);
    deleteComment(reader, later);
    deleteComment(admin, reply); // site admin: moderation
    expect((await readComments(reader, 'eng', 'runbook')).find((t) => t.id === root)).toBeUndefined();
    expect((await failure(() => deleteComment(member, root))).status).toBe(404);
    thread = (await readComments(reader, 'eng', 'runbook'))[0]!;
    expect(thread.deleted).toBe(false);
  });

  it('resolves and reopens: the thread author or a page editor, nobody else', async () => {
    const { id } = await postComment(reader, 'sec', 'keys', { markdown: 'Who owns rotation?' });
    const { id: reply } = await postComment(member, 'sec', 'keys', { markdown: 'Ops', parent: id });
    expect((await failure(() => updateComment(reader, reply, { resolved: true }))).status).toBe(400); // a reply is no thread
    expect((await failure(() => updateComment(reader, id, { resolved: 'yes' }))).status).toBe(400);
    expect(await updateComment(reader, id, { resolved: true })).toEqual({ id, resolved: true });
    expect((await readComments(member, 'sec', 'keys')).find((t) => t.id === id)?.resolved).toBe(true);
    expect(await updateComment(member, id, { resolved: false })).toEqual({ id, resolved: false }); // editor
    const other = await person('qian@example.com', 'Qian');
    setGrants(admin, 'sec', [{ user: 'li.lei@example.com', role: 'editor' }, { user: 'wang.fang@example.com', role: 'reader' }, { user: 'qian@example.com', role: 'reader' }]);
    expect((await failure(() => updateComment(other, id, { resolved: true }))).status).toBe(403);
    expect((await readComments(other, 'sec', 'keys')).find((t) => t.id === id)?.mayResolve).toBe(false);
  });

  it('follows its page: moved with it, 404 once the page is deleted', async () => {
    await savePage(member, { space: 'eng', path: 'tmp/page', title: 'Temp', markdown: 'x' });
    const { id } = await postComment(member, 'eng', 'tmp/page', { markdown: 'about temp' });
    movePage(member, 'eng', 'tmp/page', 'tmp/moved');
    expect((await readComments(member, 'eng', 'tmp/moved')).map((t) => t.id)).toEqual([id]);
    deletePage(member, 'eng', 'tmp/moved');
    expect((await failure(() => readComments(member, 'eng', 'tmp/moved'))).status).toBe(404);
    expect((await failure(() => updateComment(member, id, { markdown: 'still here?' }))).status).toBe(404);
    expect((await failure(() => deleteComment(member, id))).status).toBe(404);
  });
});

describe('mentions', () => {
  it('suggests only active people who may read the space, from two characters (or one Chinese), emails to editors only', async () => {
    const sec = findSpace('sec')!;
    expect(mentionSuggestions(sec, 'wang', true)).toEqual([{ name: 'Wang Fang', email: 'wang.fang@example.com' }]);
    expect(mentionSuggestions(sec, 'wang', false)).toEqual([{ name: 'Wang Fang' }]); // a reader asks: no email
    expect(mentionSuggestions(sec, 'zhao', true)).toEqual([]); // cannot read sec
    expect(mentionSuggestions(findSpace('eng')!, 'zhao', false)).toEqual([{ name: 'Zhao Min' }]);
    // An email is matched only for editors: a reader cannot probe who is behind an address.
    expect(mentionSuggestions(sec, '@example.com', true).map((p) => p.email)).toContain('admin@example.com');
    expect(mentionSuggestions(sec, 'wang.fang@', true)).toEqual([{ name: 'Wang Fang', email: 'wang.fang@example.com' }]);
    expect(mentionSuggestions(sec, '@example.com', false)).toEqual([]);
    // Without an @ in the query, only the part of an address before its @: "am" is not everyone at example.com.
    expect(mentionSuggestions(sec, 'am', true).map((p) => p.email)).not.toContain('wang.fang@example.com');
    expect(mentionSuggestions(sec, 'ang.f', true).map((p) => p.email)).toEqual(['wang.fang@example.com']);
    // One Latin letter is too little to ask; one Chinese character (a surname) is enough.
    expect(mentionSuggestions(sec, 'w', true)).toEqual([]);
    expect(mentionSuggestions(sec, '李', false)).toEqual([{ name: '李雷' }]);
    // At most 8, however many match.
    for (let i = 0; i < 10; i++) await person(`crowd${i}@example.com`, `Crowd Member ${i}`);
    expect(mentionSuggestions(findSpace('eng')!, 'crowd', false)).toHaveLength(8);
  });

  it('reaches the inbox of mentioned readers by name or email, never of people who may not read the page', async () => {
    for (const v of [admin, member, reader, outsider]) markRead(v);
    await postComment(reader, 'sec', 'keys', { markdown: '@李雷 and @zhao.min@example.com and @Ada Admin, please check. bob@example.com is no mention.' });
    expect(pageItems(member).filter((i) => !i.read)).toMatchObject([{ kind: 'page-mentioned', title: 'Key rotation', actor: { name: 'Wang Fang' } }]);
    expect(pageItems(member)[0]!.comment).toContain('please check');
    expect(pageItems(member)[0]!.href).toMatch(/^\/s\/sec\/keys#comment-\d+$/);
    expect(pageItems(admin).filter((i) => !i.read).map((i) => i.kind)).toEqual(['page-mentioned']);
    expect(pageItems(outsider)).toEqual([]); // zhao.min may not read sec: nothing at all
  });

  it('does not take a longer word for a name', async () => {
    await person('ann@example.com', 'Ann');
    const ann = { id: Number(db().$client.prepare("select id from users where email = 'ann@example.com'").pluck().get()), email: 'ann@example.com', name: 'Ann', admin: false, locale: null };
    await postComment(member, 'eng', 'runbook', { markdown: 'Hi @Anna and @annex' });
    expect(pageItems(ann)).toEqual([]);
    await postComment(member, 'eng', 'runbook', { markdown: 'Hi @Ann, over to you' });
    expect(pageItems(ann).map((i) => i.kind)).toEqual(['page-mentioned']);
  });
});

describe('mentions as shown', () => {
  it('marks a mention of someone who may read the space, with their current name; not unknown @words, code or links', async () => {
    const { id } = await postComment(member, 'sec', 'keys', { markdown: 'Ask @wang fang or @Nobody Here. Not `@Wang Fang` in code, nor [@Wang Fang](https://example.com), nor @zhao.min@example.com (no reader).' });
    const html = (await readComments(admin, 'sec', 'keys')).find((t) => t.id === id)!.html;
    expect(html).toContain('Ask <span class="mention">@Wang Fang</span> or @Nobody Here.');
    expect(html).toContain('<code>@Wang Fang</code>');
    expect(html).toMatch(/<a [^>]*>@Wang Fang<\/a>/);
    expect(html.match(/class="mention"/g)).toHaveLength(1);
    // The stored HTML stays the text as typed: the mark is made when shown.
    expect(db().$client.prepare('select html from page_comments where id = ?').pluck().get(id)).not.toContain('mention');
  });

  it('is decided when shown: someone renamed shows their new name; someone who lost access is plain text again', async () => {
    const { id } = await postComment(member, 'sec', 'keys', { markdown: 'Over to @wang.fang@example.com' });
    const shown = async () => (await readComments(member, 'sec', 'keys')).find((t) => t.id === id)!.html;
    write((tx) => tx.$client.prepare("update users set name = 'Wang Fang (Sec)' where email = 'wang.fang@example.com'").run());
    expect(await shown()).toContain('<span class="mention">@Wang Fang (Sec)</span>');
    setGrants(admin, 'sec', [{ user: 'li.lei@example.com', role: 'editor' }]);
    expect(await shown()).not.toContain('class="mention"');
    setGrants(admin, 'sec', [{ user: 'li.lei@example.com', role: 'editor' }, { user: 'wang.fang@example.com', role: 'reader' }, { user: 'qian@example.com', role: 'reader' }]);
    write((tx) => tx.$client.prepare("update users set name = 'Wang Fang' where email = 'wang.fang@example.com'").run());
  });
});

describe('watching', () => {
  it('coalesces several saves by one author into one unread item, and never tells the author', async () => {
    await savePage(admin, { space: 'eng', path: 'watched', title: 'Watched', markdown: 'v1' });
    setPageWatch(reader, 'eng', 'watched', true);
    setPageWatch(member, 'eng', 'watched', true);
    expect(watchState(reader, findSpace('eng')!.id, db().$client.prepare("select id from pages where path = 'watched'").pluck().get() as number)).toEqual({ page: true, space: false });
    markRead(reader);
    for (const text of ['v2', 'v3', 'v4']) await savePage(member, { space: 'eng', path: 'watched', markdown: text });
    const items = pageItems(reader).filter((i) => !i.read);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'page-changed', title: 'Watched', fromRev: 1, toRev: 4, saves: 3, actor: { name: '李雷' }, href: '/s/eng/watched?diff&from=1&to=4' });
    expect(pageItems(member).filter((i) => i.kind === 'page-changed' && !i.read)).toEqual([]); // own edits
    // Once read, or 10 minutes later, the next save is a new item.
    markRead(reader);
    await savePage(member, { space: 'eng', path: 'watched', markdown: 'v5' });
    db().$client.prepare('update notifications set created_at = created_at - 11 * 60000 where user_id = ?').run(reader.id);
    await savePage(member, { space: 'eng', path: 'watched', markdown: 'v6' });
    expect(pageItems(reader).filter((i) => !i.read).map((i) => [i.fromRev, i.toRev])).toEqual([[5, 6], [4, 5]]);
    // Another author's save is its own item.
    await savePage(admin, { space: 'eng', path: 'watched', markdown: 'v7' });
    expect(pageItems(reader).filter((i) => !i.read)).toHaveLength(3);
    setPageWatch(reader, 'eng', 'watched', false);
    markRead(reader);
    await savePage(admin, { space: 'eng', path: 'watched', markdown: 'v8' });
    expect(pageItems(reader).filter((i) => !i.read)).toEqual([]);
  });

  it('tells space watchers about new pages and comments, and hides the title once access is lost', async () => {
    setSpaceWatch(reader, 'sec', true);
    markRead(reader);
    await savePage(member, { space: 'sec', path: 'incident', title: 'Incident 42', markdown: 'What happened' });
    await postComment(member, 'sec', 'incident', { markdown: 'Timeline to follow' });
    expect(pageItems(reader).filter((i) => !i.read).map((i) => [i.kind, i.title, i.fromRev ?? null])).toEqual([
      ['page-commented', 'Incident 42', null], ['page-changed', 'Incident 42', 0],
    ]);
    // Reader loses access: the items stay but say nothing about the page; new ones are not made.
    setGrants(admin, 'sec', [{ user: 'li.lei@example.com', role: 'editor' }]);
    const hidden = pageItems(reader).filter((i) => !i.read);
    expect(hidden.map((i) => [i.title, i.href, i.comment, i.page, i.hidden])).toEqual([[null, null, undefined, undefined, true], [null, null, undefined, undefined, true]]);
    expect(JSON.stringify(listNotifications(reader))).not.toMatch(/Incident|Timeline|incident/);
    await savePage(member, { space: 'sec', path: 'incident', markdown: 'More' });
    expect(pageItems(reader).filter((i) => !i.read)).toHaveLength(2);
    expect((await failure(() => setSpaceWatch(reader, 'sec', true))).status).toBe(404);
  });

  it('tells a thread\'s author about replies', async () => {
    const { id } = await postComment(outsider, 'eng', 'runbook', { markdown: 'Question from Zhao' });
    markRead(outsider);
    await postComment(member, 'eng', 'runbook', { markdown: 'Answer', parent: id });
    expect(pageItems(outsider).filter((i) => !i.read).map((i) => [i.kind, i.comment])).toEqual([['page-commented', 'Answer']]);
  });
});

describe('last seen revision', () => {
  it('reports the revision seen before when the page changed since, writing only when it differs', async () => {
    await savePage(admin, { space: 'eng', path: 'seen', title: 'Seen', markdown: 'one' });
    const pageId = db().$client.prepare("select id from pages where path = 'seen'").pluck().get() as number;
    expect(visitPage(reader.id, pageId, 1)).toBeNull(); // first visit
    expect(visitPage(reader.id, pageId, 1)).toBeNull();
    flushVisits();
    const stored = () => db().$client.prepare('select revision from page_visits where user_id = ? and page_id = ?').pluck().get(reader.id, pageId);
    expect(stored()).toBe(1);
    await savePage(admin, { space: 'eng', path: 'seen', markdown: 'two' });
    await savePage(admin, { space: 'eng', path: 'seen', markdown: 'three' });
    expect(visitPage(reader.id, pageId, 3)).toBe(1);
    expect(visitPage(reader.id, pageId, 3)).toBeNull(); // seen now (still queued)
    flushVisits();
    expect(stored()).toBe(3);
  });

  it('counts a save as seeing the revision it made, even with an older visit still queued', async () => {
    const pageId = db().$client.prepare("select id from pages where path = 'seen'").pluck().get() as number;
    expect(visitPage(admin.id, pageId, 3, Date.now() - 10 * 60_000)).toBeNull(); // queued, not yet written
    await savePage(admin, { space: 'eng', path: 'seen', markdown: 'four', baseRevision: 3 });
    expect(visitPage(admin.id, pageId, 4)).toBeNull(); // their own edit is no news
  });
});
