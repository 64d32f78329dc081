// The page editor in real Chromium: CodeMirror over the form (and the plain form without
// JavaScript), toolbar and shortcuts, the server-rendered preview, Chinese IME input, suggestions
// filtered by permission, drafts, the question before leaving, presence, the upload error path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import sharp from 'sharp';
import { launch } from './browser.ts';
import { api, base, signIn, waitForSearch } from './http.ts';

const SHOTS = '/tmp/shots-editor';
const WRITER = { email: 'wendy@editor.example.com', password: 'wendy writes long passwords', name: 'Wendy Writer' };
const OTHER = { email: 'eddie@editor.example.com', password: 'eddie writes long passwords', name: 'Eddie Editor' };
const READER = { email: 'rita@editor.example.com', password: 'rita reads long passwords', name: 'Rita Reader' };
let browser: Browser;
let admin: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  browser = await launch();
  admin = (await signIn()).token;
  for (const u of [WRITER, OTHER, READER]) {
    const res = await api('/api/v1/users', { method: 'POST', auth: admin, json: u });
    expect([201, 409]).toContain(res.status);
    tokens[u.email] = (await signIn(u)).token;
  }
  const ok = async (res: Promise<Response>) => expect((await res).status).toBeLessThan(300);
  await ok(api('/api/v1/spaces', { method: 'POST', auth: admin, json: { key: 'edlab', name: 'Editor lab', visibility: 'restricted' } }));
  await ok(api('/api/v1/spaces/edlab/grants', { method: 'PUT', auth: admin, json: [
    { user: WRITER.email, role: 'editor' }, { user: OTHER.email, role: 'editor' }, { user: READER.email, role: 'reader' }] }));
  await ok(api('/api/v1/spaces', { method: 'POST', auth: admin, json: { key: 'edsecret', name: 'Editor secrets', visibility: 'restricted' } }));
  await ok(api('/api/v1/pages/edlab/zanzibar', { method: 'PUT', auth: admin, json: { title: 'Zanzibar public notes', markdown: 'Open notes.' } }));
  await ok(api('/api/v1/pages/edsecret/zanzibar', { method: 'PUT', auth: admin, json: { title: 'Zanzibar secret plan', markdown: 'Hidden.' } }));
  await ok(api('/api/v1/pages/edlab/drafty', { method: 'PUT', auth: admin, json: { title: 'Drafty', markdown: 'Saved text.' } }));
  await ok(api('/api/v1/projects', { method: 'POST', auth: admin, json: { key: 'EDT', name: 'Editor open project', visibility: 'org' } }));
  await ok(api('/api/v1/projects/EDT/requirements', { method: 'POST', auth: admin, json: { title: 'Quokka export', category: 'feature' } }));
  await ok(api('/api/v1/projects', { method: 'POST', auth: admin, json: { key: 'EDS', name: 'Editor sealed project', visibility: 'restricted' } }));
  await ok(api('/api/v1/projects/EDS/requirements', { method: 'POST', auth: admin, json: { title: 'Quokka sealed', category: 'feature' } }));
  await waitForSearch(admin, 'Zanzibar', 'Zanzibar secret plan');
  await waitForSearch(admin, 'Zanzibar', 'Zanzibar public notes');
  await waitForSearch(admin, 'Quokka', 'EDS-1 Quokka sealed');
  await waitForSearch(admin, 'Quokka', 'EDT-1 Quokka export');
});
afterAll(async () => { await browser?.close(); });

async function pageAs(user: { email: string; password: string }, opts: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: base(), locale: 'en-US', viewport: { width: 1280, height: 860 }, ...opts });
  const page = await context.newPage();
  await page.goto('/login');
  await page.locator('input[name=email]').fill(user.email);
  await page.locator('input[name=password]').fill(user.password);
  await page.locator('form.form button[type=submit]').click();
  await page.waitForURL((url) => url.pathname === '/');
  return page;
}

const editor = (page: Page) => page.locator('.cm-content');
/** Replaces the editor's whole text as typing would. */
async function setDoc(page: Page, text: string): Promise<void> {
  await editor(page).press('Control+a');
  await editor(page).press('Delete');
  if (text) await page.keyboard.insertText(text);
}
/** The form field the editor keeps in sync: what a save posts. */
const posted = (page: Page) => page.locator('textarea[name=markdown]').inputValue();
const pageMarkdown = async (path: string) => ((await (await api(`/api/v1/pages/edlab/${path}`, { auth: admin })).json()) as { markdown: string }).markdown;

describe('the editor', () => {
  it('saves through the plain form with JavaScript off', async () => {
    const page = await pageAs(WRITER, { javaScriptEnabled: false });
    await page.goto('/s/edlab/plain?edit');
    expect(await page.locator('.cm-editor').count()).toBe(0);
    expect(await page.locator('[data-toolbar]').isVisible()).toBe(false);
    await page.locator('input[name=title]').fill('Plain form');
    await page.locator('textarea[name=markdown]').fill('Written **without** JavaScript.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL('**/s/edlab/plain');
    expect(await page.locator('article.prose strong').textContent()).toBe('without');
    expect(await pageMarkdown('plain')).toBe('Written **without** JavaScript.');
    await page.context().close();
  });

  it('formats with every toolbar button and the shortcuts', async () => {
    const page = await pageAs(WRITER);
    await page.goto('/s/edlab/toolbar?edit');
    await editor(page).waitFor();
    const cases: [string, string, string][] = [
      ['Bold (Ctrl+B)', 'word', '**word**'],
      ['Italic (Ctrl+I)', 'word', '_word_'],
      ['Link (Ctrl+K)', 'word', '[word](https://)'],
      ['Heading (Ctrl+Alt+2)', 'word', '## word'],
      ['Bulleted list (Ctrl+Shift+8)', 'a\nb', '- a\n- b'],
      ['Numbered list (Ctrl+Shift+7)', 'a\nb', '1. a\n2. b'],
      ['Task list (Ctrl+Shift+9)', '- a', '- [ ] a'],
      ['Code block (Ctrl+Alt+C)', 'x = 1', '```\nx = 1\n```\n'],
      ['Quote (Ctrl+Shift+.)', 'wise', '> wise'],
      ['Table', '', '| Column | Column |\n| --- | --- |\n| Cell | Cell |\n'],
    ];
    for (const [label, before, after] of cases) {
      await setDoc(page, before);
      expect(await posted(page)).toBe(before);
      await editor(page).press('Control+a');
      await page.getByRole('button', { name: label }).click();
      expect(await posted(page), label).toBe(after);
    }
    // On a new, empty line the marker goes in and what is typed next goes after it.
    for (const [label, marker] of [['Heading (Ctrl+Alt+2)', '## '], ['Bulleted list (Ctrl+Shift+8)', '- '], ['Numbered list (Ctrl+Shift+7)', '1. '], ['Task list (Ctrl+Shift+9)', '- [ ] '], ['Quote (Ctrl+Shift+.)', '> ']]) {
      await setDoc(page, 'first');
      await editor(page).press('End');
      await editor(page).press('Enter');
      await page.getByRole('button', { name: label }).click();
      await page.keyboard.insertText('typed 张敏');
      expect(await posted(page), label).toBe(`first\n${marker}typed 张敏`);
    }
    // A table keeps the selected text above it.
    await setDoc(page, 'keep me');
    await editor(page).press('Control+a');
    await page.getByRole('button', { name: 'Table' }).click();
    expect(await posted(page)).toBe('keep me\n\n| Column | Column |\n| --- | --- |\n| Cell | Cell |\n');
    // Pressed twice, a list marker comes off again.
    await setDoc(page, 'item');
    await editor(page).press('Control+a');
    await page.getByRole('button', { name: 'Quote (Ctrl+Shift+.)' }).click();
    await page.getByRole('button', { name: 'Quote (Ctrl+Shift+.)' }).click();
    expect(await posted(page)).toBe('item');
    const shortcuts: [string, string][] = [['Control+b', '**item**'], ['Control+i', '_item_'], ['Control+k', '[item](https://)'], ['Control+Alt+2', '## item'], ['Control+Shift+8', '- item']];
    for (const [keys, after] of shortcuts) {
      await setDoc(page, 'item');
      await editor(page).press('Control+a');
      await editor(page).press(keys);
      expect(await posted(page), keys).toBe(after);
    }
    await page.locator('input[name=title]').fill('Toolbar');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL('**/s/edlab/toolbar');
    expect(await pageMarkdown('toolbar')).toBe('- item');
    await page.context().close();
  });

  it('previews as the saved page will look, rendered by the server for this reader', async () => {
    const page = await pageAs(WRITER);
    const fired: string[] = [];
    page.on('dialog', (d) => { fired.push(d.message()); void d.dismiss(); });
    await page.goto('/s/edlab/previewed?edit');
    await editor(page).fill('# Plan\n\nSee [[Zanzibar public notes]], EDT-1 and [[edsecret:Zanzibar secret plan]].\n\n<img src=x onerror="alert(1)"><script>alert(2)</script>');
    const preview = page.locator('[data-preview]');
    await preview.locator('h1', { hasText: 'Plan' }).waitFor();
    expect(await preview.locator('a.wikilink:not(.missing)', { hasText: 'Zanzibar public notes' }).getAttribute('href')).toBe('/s/edlab/zanzibar');
    // A page this writer may not read is shown exactly as a missing one.
    expect(await preview.locator('a.wikilink.missing').count()).toBe(1);
    expect(await preview.locator('.req-ref', { hasText: 'EDT-1' }).count()).toBe(1);
    expect(await preview.locator('script, [onerror]').count()).toBe(0);
    expect(fired).toEqual([]);
    await page.context().close();
  });

  it('keeps the preview at the source\'s place: the cursor\'s block in sight, the top block when the source scrolls', async () => {
    const page = await pageAs(WRITER);
    await page.goto('/s/edlab/long-preview?edit');
    const sections = Array.from({ length: 40 }, (_, i) => `## Section ${i + 1}\n\nText of section ${i + 1}, long enough to take a line or two in the preview pane.`);
    await setDoc(page, sections.join('\n\n'));
    const pane = page.locator('.editor-preview');
    const inSight = (n: number) => pane.evaluate((box, id) => {
      const block = box.querySelector(`#section-${id}`)!.getBoundingClientRect();
      const frame = box.getBoundingClientRect();
      return block.top >= frame.top && block.bottom <= frame.bottom;
    }, n);
    await page.locator('[data-preview] h2#section-40').waitFor();
    // Typing at the end: the last section is in sight in the preview.
    await expect.poll(() => inSight(40)).toBe(true);
    // Back to the top with the cursor.
    await editor(page).press('Control+Home');
    await expect.poll(() => inSight(1)).toBe(true);
    expect(await inSight(40)).toBe(false);
    // Scrolling the source without moving the cursor brings the preview along.
    await page.locator('.cm-scroller').evaluate((s) => { s.scrollTop = s.scrollHeight / 2; });
    await expect.poll(() => pane.evaluate((box) => box.scrollTop)).toBeGreaterThan(100);
    expect(await inSight(1)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/preview-follows.png` });
    await page.context().close();
  });

  it('takes Chinese input from an IME composition once', async () => {
    const page = await pageAs(WRITER);
    await page.goto('/s/edlab/ime?edit');
    await editor(page).click();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.imeSetComposition', { text: 'n', selectionStart: 1, selectionEnd: 1 });
    await cdp.send('Input.imeSetComposition', { text: 'ni', selectionStart: 2, selectionEnd: 2 });
    await cdp.send('Input.imeSetComposition', { text: '你好', selectionStart: 2, selectionEnd: 2 });
    await cdp.send('Input.insertText', { text: '你好' });
    await cdp.send('Input.imeSetComposition', { text: 'shijie', selectionStart: 6, selectionEnd: 6 });
    await cdp.send('Input.insertText', { text: '世界' });
    await page.locator('input[name=title]').fill('输入法');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL('**/s/edlab/ime');
    expect(await pageMarkdown('ime')).toBe('你好世界');
    await page.context().close();
  });

  it('suggests page titles after [[ and requirement keys, only those the writer may read', async () => {
    const page = await pageAs(WRITER);
    await page.goto('/s/edlab/suggest?edit');
    await editor(page).click();
    await page.keyboard.type('See [[Zanzi');
    const options = page.locator('.cm-tooltip-autocomplete li');
    await options.first().waitFor();
    expect(await options.allTextContents()).toEqual([expect.stringContaining('Zanzibar public notes')]);
    await page.waitForTimeout(200); // CodeMirror leaves Enter to the text for 75 ms after the list opens
    await page.keyboard.press('Enter');
    expect(await posted(page)).toBe('See [[Zanzibar public notes]]');
    await page.keyboard.type(' and EDT-');
    await options.filter({ hasText: 'Quokka export' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/suggest-en-desktop.png` });
    await page.waitForTimeout(200);
    await page.keyboard.press('Enter');
    expect(await posted(page)).toBe('See [[Zanzibar public notes]] and EDT-1');
    // A page in another space is linked with its space.
    await page.keyboard.type(' or [[Searchin');
    await options.filter({ hasText: /^Searchingguide$/ }).waitFor();
    await page.waitForTimeout(200);
    await options.filter({ hasText: /^Searchingguide$/ }).click();
    expect(await posted(page)).toBe('See [[Zanzibar public notes]] and EDT-1 or [[guide:Searching]]');
    // The admin's search finds the sealed project's requirement; the writer is offered nothing.
    const sealed = await (await api('/api/v1/search?type=requirement&project=EDS&q=', { auth: admin })).json() as { hits: unknown[] };
    expect(sealed.hits.length).toBe(1);
    await page.keyboard.type(' EDS-');
    await page.waitForTimeout(1500);
    expect(await options.count()).toBe(0);
    await page.context().close();
  });

  it('keeps a draft on the server, offers it back, discards it, and a save removes it', async () => {
    const page = await pageAs(WRITER);
    page.on('dialog', (d) => void d.accept());
    const draftApi = (path: string) => api(`/api/v1/drafts/edlab/${path}`, { auth: tokens[WRITER.email] });
    await page.goto('/s/edlab/drafty?edit');
    await editor(page).fill('Unsaved thoughts about Zanzibar.');
    await page.locator('[data-draft-status]', { hasText: 'Draft saved' }).waitFor({ timeout: 10_000 });
    expect(((await (await draftApi('drafty')).json()) as { markdown: string }).markdown).toBe('Unsaved thoughts about Zanzibar.');

    await page.goto('/s/edlab/drafty?edit');
    const cont = page.getByRole('button', { name: /^Continue your draft from \d\d:\d\d/ });
    await cont.waitFor();
    await page.screenshot({ path: `${SHOTS}/draft-en-desktop.png` });
    expect(await posted(page)).toBe('Saved text.');
    await cont.click();
    expect(await posted(page)).toBe('Unsaved thoughts about Zanzibar.');

    await page.goto('/s/edlab/drafty?edit');
    await page.getByRole('button', { name: 'Discard' }).click();
    expect(await page.locator('[data-draft]').isVisible()).toBe(false);
    await expect.poll(async () => (await draftApi('drafty')).status).toBe(204);

    // Saving the page deletes its draft.
    await editor(page).fill('Saved at last.');
    await page.locator('[data-draft-status]', { hasText: 'Draft saved' }).waitFor({ timeout: 10_000 });
    expect((await draftApi('drafty')).status).toBe(200);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL('**/s/edlab/drafty');
    expect((await draftApi('drafty')).status).toBe(204);
    await page.context().close();
  });

  it('keeps the draft of a new page where the new-page form will save it, and offers it on the next ?new', async () => {
    const page = await pageAs(WRITER);
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('dialog', (d) => void d.accept());
    const draftApi = (path: string) => api(`/api/v1/drafts/edlab/${path}`, { auth: tokens[WRITER.email] });
    const titleField = page.locator('form[data-editor] input[name=title]');
    await page.goto('/s/edlab?new');
    await titleField.fill('Fresh idea');
    await editor(page).fill('Not saved yet.');
    await page.locator('[data-draft-status]', { hasText: 'Draft saved' }).waitFor({ timeout: 10_000 });
    expect(((await (await draftApi('fresh-idea')).json()) as { title: string }).title).toBe('Fresh idea');

    // Leaving and opening "New page" again offers the draft; continuing fills the form.
    await page.goto('/s/edlab');
    await page.goto('/s/edlab?new');
    const cont = page.getByRole('button', { name: /^Continue your draft from \d\d:\d\d/ });
    await cont.waitFor();
    expect(await titleField.inputValue()).toBe('');
    await cont.click();
    expect(await titleField.inputValue()).toBe('Fresh idea');
    expect(await posted(page)).toBe('Not saved yet.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL('**/s/edlab/fresh-idea');
    expect((await draftApi('fresh-idea')).status).toBe(204);

    // Below a parent, a draft whose path was typed by hand comes back with that path; Discard deletes it.
    await page.goto('/s/edlab/fresh-idea?new');
    await page.locator('form[data-editor] input[name=path]').fill('fresh-idea/step-one');
    await titleField.fill('Step 1');
    await editor(page).fill('First step.');
    await page.locator('[data-draft-status]', { hasText: 'Draft saved' }).waitFor({ timeout: 10_000 });
    await page.goto('/s/edlab/fresh-idea?new');
    await cont.click();
    expect(await page.locator('form[data-editor] input[name=path]').inputValue()).toBe('fresh-idea/step-one');
    expect(await titleField.inputValue()).toBe('Step 1');
    await page.goto('/s/edlab/fresh-idea?new');
    await page.getByRole('button', { name: 'Discard' }).click();
    await expect.poll(async () => (await draftApi('fresh-idea/step-one')).status).toBe(204);
    await page.goto('/s/edlab/fresh-idea?new');
    await page.waitForTimeout(1000);
    expect(await page.locator('[data-draft]').isVisible()).toBe(false);
    // Opening editors with no draft (here, several times) logged no error: "no draft" is 204, not 404.
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('keeps drafts of pages not created yet, for editors only, bounded like a page', async () => {
    const w = tokens[WRITER.email]!;
    const put = (token: string, path: string, json: unknown) => api(`/api/v1/drafts/${path}`, { method: 'PUT', auth: token, json });
    expect((await put(w, 'edlab/not/yet', { title: 'Not yet', markdown: 'Soon.', baseRevision: null })).status).toBe(200);
    expect((await api('/api/v1/pages/edlab/not/yet', { auth: admin })).status).toBe(404);
    const got = (await (await api('/api/v1/drafts/edlab/not/yet', { auth: w })).json()) as Record<string, unknown>;
    expect(got).toMatchObject({ title: 'Not yet', markdown: 'Soon.', baseRevision: null });
    expect(got.path).toBe('not/yet');
    const newer = await api('/api/v1/drafts/edlab/not?new', { auth: w }); // the new-page form below "not"
    expect(await newer.json()).toMatchObject({ path: 'not/yet', title: 'Not yet' });
    // Someone else's drafts are their own.
    expect((await api('/api/v1/drafts/edlab/not/yet', { auth: tokens[OTHER.email] })).status).toBe(204);
    expect((await api('/api/v1/drafts/edlab/not?new', { auth: tokens[OTHER.email] })).status).toBe(204);
    expect((await api('/api/v1/drafts/edlab?new', { auth: tokens[READER.email] })).status).toBe(403);
    expect((await put(tokens[READER.email]!, 'edlab/x', { markdown: 'x' })).status).toBe(403);
    expect((await put(w, 'edsecret/x', { markdown: 'x' })).status).toBe(404);
    expect((await put(w, 'nosuchspace/x', { markdown: 'x' })).status).toBe(404);
    expect((await put(w, 'edlab/x', { markdown: 'x'.repeat(2 * 1024 * 1024 + 1) })).status).toBe(413);
    expect((await put(w, 'edlab/x', { markdown: 42 })).status).toBe(400);
    expect((await put(w, 'edlab/x', { markdown: 'x', baseRevision: -1 })).status).toBe(400);
    expect((await put(w, 'edlab/a%01b', { markdown: 'x' })).status).toBe(400);
    expect((await api('/api/v1/drafts/edlab/not/yet', { method: 'DELETE', auth: w })).status).toBe(204);
    expect((await api('/api/v1/drafts/edlab/not/yet', { auth: w })).status).toBe(204);
  });

  it('answers previews with the same limits as a save, and 404 for a space the viewer may not read', async () => {
    const w = tokens[WRITER.email]!;
    const preview = (json: unknown, token = w) => api('/api/v1/preview', { method: 'POST', auth: token, json });
    const ok = await preview({ space: 'edlab', markdown: '## Hello\n\nEDT-1' });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { html: string }).html).toMatch(/<h2 id="hello" data-line="1">Hello[\s\S]*<p data-line="3"><a href="[^"]*" class="req-ref" data-req="EDT-1">EDT-1<\/a><span class="status-badge" title="Quokka export">/);
    expect((await preview({ space: 'edlab', markdown: 'x' }, tokens[READER.email])).status).toBe(200);
    expect((await preview({ space: 'edsecret', markdown: 'x' })).status).toBe(404);
    expect((await preview({ space: 'nosuchspace', markdown: 'x' })).status).toBe(404);
    expect((await api('/api/v1/preview', { method: 'POST', json: { space: 'edlab', markdown: 'x' } })).status).toBe(401);
    expect((await preview({ space: 'edlab', markdown: '[[a]]'.repeat(1) + Array.from({ length: 1001 }, (_, i) => `[[p${i}]]`).join(' ') })).status).toBe(422);
    expect((await preview({ space: 'edlab', markdown: 'x'.repeat(2 * 1024 * 1024 + 1) })).status).toBe(413);
    expect((await preview({ space: 'edlab', markdown: ['x'] })).status).toBe(400);
  });

  it('asks before leaving with unsaved changes, and not after nothing changed', async () => {
    const page = await pageAs(WRITER);
    const dialogs: string[] = [];
    page.on('dialog', (d) => { dialogs.push(d.type()); void d.dismiss(); });
    await page.goto('/s/edlab/zanzibar?edit');
    await editor(page).waitFor();
    await page.getByRole('link', { name: 'Cancel' }).click();
    await page.waitForURL('**/s/edlab/zanzibar');
    expect(dialogs).toEqual([]);

    await page.goto('/s/edlab/zanzibar?edit');
    await editor(page).click();
    await page.keyboard.type(' More.');
    await page.getByRole('link', { name: 'Cancel' }).click();
    await expect.poll(() => dialogs).toEqual(['beforeunload']);
    expect(new URL(page.url()).search).toBe('?edit'); // dismissed: still editing
    await page.context().close();
  });

  it('shows who else has the page open in an editor', async () => {
    const wendy = await pageAs(WRITER);
    const eddie = await pageAs(OTHER);
    await wendy.goto('/s/edlab/zanzibar?edit');
    await editor(wendy).waitFor();
    await wendy.waitForTimeout(500);
    await eddie.goto('/s/edlab/zanzibar?edit');
    const eddieSees = eddie.locator('[data-presence]');
    await eddieSees.filter({ hasText: /Also editing now: Wendy Writer \(since \d\d:\d\d\)/ }).waitFor();
    await eddie.screenshot({ path: `${SHOTS}/presence-en-desktop.png` });
    // Wendy learns of Eddie at her next heartbeat (every 15 s).
    await wendy.locator('[data-presence]', { hasText: 'Eddie Editor' }).waitFor({ timeout: 20_000 });
    expect(await wendy.locator('[data-presence]').textContent()).not.toContain('Wendy');
    // Readers are no editors: they are refused, and never listed.
    expect((await api('/api/v1/presence/edlab/zanzibar', { method: 'POST', auth: tokens[READER.email] })).status).toBe(403);
    expect((await api('/api/v1/presence/edsecret/zanzibar', { method: 'POST', auth: tokens[WRITER.email] })).status).toBe(404);
    await wendy.context().close();
    await eddie.context().close();
  }, 40_000);

  it('shows the server\'s refusal when an upload fails, for a picked, a pasted and a dropped file', async () => {
    const page = await pageAs(WRITER);
    await page.goto('/s/edlab/no-page-yet?edit');
    await editor(page).waitFor();
    // Empty files: refused by the server (400, "it is empty"), which the editor says and inserts nothing for.
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Attach files or images' }).click()]);
    await chooser.setFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
    const alert = page.locator('[data-editor-error]');
    await alert.filter({ hasText: /^notes\.txt was not uploaded: it is empty$/ }).waitFor();
    // A pasted screenshot and a dropped file take the same way (and the browser does not open them).
    for (const event of ['paste', 'drop'] as const) {
      const handled = await page.evaluate((kind) => {
        const files = new DataTransfer();
        files.items.add(new File([], `${kind}.png`, { type: 'image/png' }));
        const e = kind === 'paste'
          ? new ClipboardEvent('paste', { clipboardData: files, bubbles: true, cancelable: true })
          : new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true });
        document.querySelector('[data-source]')!.shadowRoot!.querySelector('.cm-content')!.dispatchEvent(e);
        return e.defaultPrevented;
      }, event);
      expect(handled, event).toBe(true);
      await alert.filter({ hasText: `${event}.png was not uploaded: it is empty` }).waitFor();
    }
    expect(await posted(page)).toBe('');
    await page.context().close();
  });

  it('says refusals in the writer\'s language: a file too large or empty, too many links in the preview and on save', async () => {
    const page = await pageAs(WRITER, { locale: 'zh-CN' });
    await page.goto('/s/edlab/zanzibar?edit');
    await editor(page).waitFor();
    const alert = page.locator('[data-editor-error]');
    const pick = async (file: { name: string; mimeType: string; buffer: Buffer }) => {
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator('[data-attach]').click()]);
      await chooser.setFiles(file);
    };
    // Over DOSSIER_MAX_UPLOAD_MB: the front door's 413 (no code) is "too large", said in MB.
    await pick({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(26 * 1024 * 1024, 1) });
    await alert.filter({ hasText: 'big.bin 未上传：单个文件最大 25 MB' }).waitFor({ timeout: 30_000 });
    await pick({ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
    await alert.filter({ hasText: 'empty.txt 未上传：文件是空的' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/refused-upload-zh-desktop.png` });

    const tooMany = Array.from({ length: 1001 }, (_, i) => `[[p${i}]]`).join(' ');
    await setDoc(page, tooMany);
    const message = '一个页面最多可链接 1,000 个不同的页面（[[…]]）。请删掉一些链接后重试。';
    await page.locator('[data-preview]', { hasText: `无法生成预览：${message}` }).waitFor();
    await Promise.all([page.waitForEvent('load'), page.locator('form[data-editor] button[type=submit]').click()]);
    expect(await page.getByRole('alert').filter({ hasText: '一个页面' }).textContent()).toBe(message);
    expect(await pageMarkdown('zanzibar')).toBe('Open notes.');
    await page.screenshot({ path: `${SHOTS}/refused-links-zh-desktop.png` });
    await page.context().close();
  });

  it('pastes a screenshot: uploaded, inserted, shown in the preview, saved, and read back by another user', async () => {
    const png = await sharp({ create: { width: 64, height: 40, channels: 3, background: '#d33' } }).png().toBuffer();
    expect((await api('/api/v1/pages/edlab/vpn-howto', { method: 'PUT', auth: admin, json: { title: 'VPN how-to', markdown: 'Steps.' } })).status).toBe(201);
    const page = await pageAs(WRITER, { timezoneId: 'Asia/Shanghai' });
    await page.goto('/s/edlab/vpn-howto?edit');
    await editor(page).waitFor();
    await setDoc(page, 'Screenshot of the VPN dialog:\n\n');
    await page.evaluate((bytes) => {
      const files = new DataTransfer();
      files.items.add(new File([new Uint8Array(bytes)], 'vpn 对话框.png', { type: 'image/png' }));
      document.querySelector('[data-source]')!.shadowRoot!.querySelector('.cm-content')!
        .dispatchEvent(new ClipboardEvent('paste', { clipboardData: files, bubbles: true, cancelable: true }));
    }, [...png]);
    // The upload answers with the file's URL and the editor inserts it as an image.
    await page.waitForFunction(() => /!\[vpn 对话框\.png\]\(\/files\/\d+\//.test((document.querySelector('textarea[name=markdown]') as HTMLTextAreaElement).value));
    const img = page.locator('[data-preview] img');
    await img.waitFor();
    await page.waitForFunction(() => (document.querySelector('[data-preview] img') as HTMLImageElement | null)?.naturalWidth === 64);
    // A screenshot pasted under the browser's generic name "image.png" is named after the moment, in
    // the writer's time zone; several files picked at once land each in a paragraph of its own.
    await page.evaluate((bytes) => {
      const files = new DataTransfer();
      files.items.add(new File([new Uint8Array(bytes)], 'image.png', { type: 'image/png' }));
      document.querySelector('[data-source]')!.shadowRoot!.querySelector('.cm-content')!
        .dispatchEvent(new ClipboardEvent('paste', { clipboardData: files, bubbles: true, cancelable: true }));
    }, [...png]);
    const named = await page.waitForFunction(() => /!\[(screenshot-\d{8}-\d{6}\.png)\]\(\/files\/\d+\//.exec((document.querySelector('textarea[name=markdown]') as HTMLTextAreaElement).value)?.[1]);
    const [, y, mo, d, h, mi, sec] = /^screenshot-(\d{4})(\d\d)(\d\d)-(\d\d)(\d\d)(\d\d)\.png$/.exec(await named.jsonValue() as string)!.map(Number);
    expect(Math.abs(Date.UTC(y!, mo! - 1, d, h! - 8, mi, sec) - Date.now())).toBeLessThan(120_000); // Asia/Shanghai, UTC+8
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Attach files or images' }).click()]);
    await chooser.setFiles([{ name: 'diagram.png', mimeType: 'image/png', buffer: png }, { name: 'image.png', mimeType: 'image/png', buffer: png }, { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('notes') }]);
    await page.waitForFunction(() => (document.querySelector('textarea[name=markdown]') as HTMLTextAreaElement).value.includes('[notes.txt]('));
    expect(await posted(page)).toMatch(/^Screenshot of the VPN dialog:\n\n!\[vpn 对话框\.png\]\([^)]+\)\n\n!\[screenshot-[\d-]+\.png\]\([^)]+\)\n\n!\[diagram\.png\]\([^)]+\)\n\n!\[image\.png\]\([^)]+\)\n\n\[notes\.txt\]\([^)]+\)$/);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL('**/s/edlab/vpn-howto**');
    expect(await pageMarkdown('vpn-howto')).toMatch(/!\[vpn 对话框\.png\]\(\/files\/\d+\//);
    expect(await page.locator('article.prose p').evaluateAll((ps) => ps.map((p) => p.children.length))).toEqual([0, 1, 1, 1, 1, 1]);
    await page.context().close();
    // Another user (a reader of the space) sees the image on the page and in its attachment list.
    const reader = await pageAs(READER);
    await reader.goto('/s/edlab/vpn-howto');
    await reader.waitForFunction(() => (document.querySelector('article.prose img') as HTMLImageElement | null)?.naturalWidth === 64);
    expect(await reader.getByText('vpn 对话框.png').count()).toBeGreaterThan(0);
    await reader.screenshot({ path: `${SHOTS}/pasted-image-reader.png`, fullPage: true });
    await reader.context().close();
  });

  it('pastes a screenshot into a new page before its first save: the writer\'s alone until then, the page\'s after', async () => {
    const png = await sharp({ create: { width: 48, height: 30, channels: 3, background: '#3a3' } }).png().toBuffer();
    const page = await pageAs(WRITER);
    await page.goto('/s/edlab?new');
    await editor(page).waitFor();
    await page.locator('form[data-editor] input[name=title]').fill('Sprint review 冲刺评审');
    await setDoc(page, 'The release dialog:\n\n');
    await page.evaluate((bytes) => {
      const files = new DataTransfer();
      files.items.add(new File([new Uint8Array(bytes)], 'release.png', { type: 'image/png' }));
      document.querySelector('[data-source]')!.shadowRoot!.querySelector('.cm-content')!
        .dispatchEvent(new ClipboardEvent('paste', { clipboardData: files, bubbles: true, cancelable: true }));
    }, [...png]);
    const url = await (await page.waitForFunction(() => /!\[release\.png\]\((\/files\/\d+\/[^)]+)\)/.exec((document.querySelector('textarea[name=markdown]') as HTMLTextAreaElement).value)?.[1])).jsonValue() as string;
    await page.waitForFunction(() => (document.querySelector('[data-preview] img') as HTMLImageElement | null)?.naturalWidth === 48);
    expect(await page.locator('[data-editor-error]').isVisible()).toBe(false);
    // Until the page is saved, nobody else can fetch the file: the same 404 as for no file at all.
    const readerToken = tokens[READER.email]!;
    const [early, none] = await Promise.all([api(url, { auth: readerToken }), api('/files/99999999/release.png', { auth: readerToken })]);
    expect([early.status, await early.text()]).toEqual([none.status, await none.text()]);
    await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/s/edlab/') && !u.search.includes('new')), page.getByRole('button', { name: 'Save' }).click()]);
    const saved = new URL(page.url()).pathname.slice('/s/edlab/'.length);
    await page.waitForFunction(() => (document.querySelector('article.prose img') as HTMLImageElement | null)?.naturalWidth === 48);
    expect(await page.getByTestId('attachments').textContent()).toContain('release.png');
    await page.context().close();
    // Now it is the page's: its readers fetch it.
    expect((await api(url, { auth: readerToken })).status).toBe(200);
    expect(await pageMarkdown(decodeURIComponent(saved))).toContain(url);
  });

  it('shows an upload\'s progress while a large file goes up, in the editor and in the attachment list', async () => {
    expect((await api('/api/v1/pages/edlab/big-files', { method: 'PUT', auth: admin, json: { title: 'Big files', markdown: 'Recordings.' } })).status).toBe(201);
    const page = await pageAs(WRITER);
    // A slow uplink (3 MB/s), so that an 8 MB file takes a few seconds.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 3 * 1024 * 1024 });
    const big = { name: 'recording.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(8 * 1024 * 1024, 42) };
    /** Every value the editor's progress bar takes while it is there. */
    const watchProgress = () => page.evaluate(() => {
      const seen: number[] = ((window as unknown as { seen: number[] }).seen = []);
      new MutationObserver(() => {
        const bar = document.querySelector<HTMLProgressElement>('[data-uploads] progress');
        if (bar && bar.value !== seen[seen.length - 1]) seen.push(bar.value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    const seen = () => page.evaluate(() => (window as unknown as { seen: number[] }).seen);

    await page.goto('/s/edlab/big-files?edit');
    await editor(page).waitFor();
    await watchProgress();
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Attach files or images' }).click()]);
    await chooser.setFiles(big);
    const bar = page.getByRole('progressbar');
    await bar.waitFor();
    expect(await page.locator('[data-uploads]').textContent()).toContain('Uploading recording.bin…');
    await page.screenshot({ path: `${SHOTS}/upload-progress-en-desktop.png` });
    await page.waitForFunction(() => /\[recording\.bin\]\(\/files\/\d+\//.test((document.querySelector('textarea[name=markdown]') as HTMLTextAreaElement).value), null, { timeout: 30_000 });
    const values = await seen();
    // It rose through values between the start and the end, never going back.
    expect(values.filter((v) => v > 0.05 && v < 0.95).length).toBeGreaterThanOrEqual(3);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    await bar.waitFor({ state: 'detached' });

    // The page's own upload form says "Uploading… N%" on its way, then shows the file.
    await page.goto('/s/edlab/big-files');
    const list = page.getByTestId('attachments');
    await list.locator('input[type=file]').setInputFiles({ ...big, name: 'second recording.bin', buffer: Buffer.alloc(8 * 1024 * 1024, 43) });
    await list.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.waitForFunction(() => /^Uploading… [1-9]\d?%$/.test(document.querySelector('[data-upload-status]')?.textContent ?? ''));
    await page.screenshot({ path: `${SHOTS}/upload-progress-list-en-desktop.png` });
    await list.locator('li', { hasText: 'second recording.bin' }).waitFor({ timeout: 30_000 });
    await page.context().close();
  }, 90_000);

  it('looks right on a desktop and a phone, in English and Chinese', async () => {
    const text = '# 周报 Weekly status\n\n## Done\n\n- [x] Shipped [[Zanzibar public notes]]\n- [ ] EDT-1 review\n\n| Item | Owner |\n| --- | --- |\n| VPN | IT |\n\n> 注意：周五发布。\n';
    for (const [locale, lang] of [['en-US', 'en'], ['zh-CN', 'zh']] as const) {
      for (const [device, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
        const page = await pageAs(WRITER, { locale, viewport });
        const refused: string[] = [];
        page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) refused.push(m.text()); });
        if (lang === 'zh') await page.request.post('/lang', { form: { to: 'zh-CN', next: '/' } });
        await page.goto('/s/edlab/looks?edit');
        await editor(page).fill(text);
        await page.locator('[data-preview] table').waitFor();
        // CodeMirror's own styles apply (the CSP refuses <style> elements; they go in as constructed sheets).
        expect(await page.locator('.cm-scroller').evaluate((e) => getComputedStyle(e).overflowX)).toBe('auto');
        expect(refused).toEqual([]);
        const box = (sel: string) => page.locator(sel).boundingBox();
        const [source, preview] = [await box('.editor-source'), await box('.editor-preview')];
        if (device === 'desktop') expect(preview!.x).toBeGreaterThan(source!.x + source!.width - 1); // side by side
        else expect(preview!.y).toBeGreaterThan(source!.y + source!.height - 1); // stacked
        if (lang === 'zh') expect(await page.getByRole('button', { name: '粗体 (Ctrl+B)' }).count()).toBe(1);
        await page.screenshot({ path: `${SHOTS}/editor-${lang}-${device}.png`, fullPage: true });
        await page.context().close();
      }
    }
    // Dark mode: the editor takes the page's colours.
    const dark = await pageAs(WRITER, { colorScheme: 'dark' });
    await dark.goto('/s/edlab/looks?edit');
    await editor(dark).fill(text);
    await editor(dark).press('Control+a');
    await dark.locator('[data-preview] table').waitFor();
    expect(await dark.locator('.cm-editor').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(30, 33, 38)');
    await dark.screenshot({ path: `${SHOTS}/editor-en-desktop-dark.png` });
    await dark.context().close();
  });
});
