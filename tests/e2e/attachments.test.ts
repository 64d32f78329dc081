// Attachments through the built server: the upload API and its answers, files served with the
// right headers and only to readers, a 30 MB upload refused with a 413 the client reads (declared
// or chunked), and the page's attachment list in Chromium: upload by the plain form (with and
// without JavaScript), download, delete; screenshots on desktop and phone in both languages.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, screenshot, signedInPage } from './browser.ts';
import { api, base, rawRequest, signIn, userToken } from './http.ts';
import { multipart, pdfWithText, png, pngBomb } from '../fixtures/attachments.ts';

const MB = 1024 * 1024;
let admin = '';
let reader = '';
let browser: Browser;
const page = '/api/v1/attachments/guide/att/home';

function upload(target: string, name: string, bytes: Buffer, auth = admin, extra: Record<string, string> = {}): Promise<Response> {
  const { contentType, body } = multipart(name, bytes);
  return api(target, { method: 'POST', auth, headers: { 'content-type': contentType, ...extra }, body: new Uint8Array(body) });
}

beforeAll(async () => {
  ({ token: admin } = await signIn());
  reader = await userToken(admin, 'att.reader@example.com', 'Att Reader');
  expect((await api('/api/v1/pages/guide/att/home', { method: 'PUT', auth: admin, json: { title: 'Attachment home', markdown: 'Files here.' } })).status).toBe(201);
  expect((await api('/api/v1/spaces', { method: 'POST', auth: admin, json: { key: 'att-vault', name: 'Att vault', visibility: 'restricted' } })).status).toBe(201);
  expect((await api('/api/v1/pages/att-vault/plan', { method: 'PUT', auth: admin, json: { title: 'Vault plan', markdown: 'Hidden.' } })).status).toBe(201);
  browser = await launch();
});
afterAll(async () => { await browser?.close(); });

describe('the attachments API', () => {
  it('POST stores a file: 201 {id, name, type, size, sha256, url}; GET lists it; the url serves it', async () => {
    const bytes = await png(40, 20, 11);
    const res = await upload(page, '截图 1.png', bytes);
    expect(res.status).toBe(201);
    const a = (await res.json()) as { id: number; name: string; type: string; size: number; sha256: string; url: string };
    expect(a).toEqual({ id: expect.any(Number), name: '截图 1.png', type: 'image/png', size: bytes.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), url: `/files/${a.id}/${encodeURIComponent('截图 1.png')}` });
    const list = (await (await api(page, { auth: reader })).json()) as { id: number; uploader: string; createdAt: string }[];
    expect(list.find((f) => f.id === a.id)).toMatchObject({ name: '截图 1.png', uploader: expect.any(String), createdAt: expect.stringMatching(/^\d{4}-/) });
    const file = await api(a.url, { auth: reader });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('content-disposition')).toBe(`inline; filename="?? 1.png"; filename*=UTF-8''%E6%88%AA%E5%9B%BE%201.png`);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    const etag = file.headers.get('etag')!;
    // (fetch would add Cache-Control: no-cache to a conditional request: node:http sends it as written.)
    expect(await rawRequest('GET', a.url, { authorization: `Bearer ${reader}`, 'if-none-match': etag })).toBe(304);
    const original = await api(`${a.url}?original=1`, { auth: reader });
    expect(Buffer.from(await original.arrayBuffer()).equals(bytes)).toBe(true);
    expect(original.headers.get('content-disposition')).toMatch(/^attachment;/);
  });

  it('a PDF is a download, and its text finds the page', async () => {
    const res = await upload(page, 'spec.pdf', pdfWithText('Gyroscopic wombat calibration'));
    const a = (await res.json()) as { url: string; type: string };
    expect(a.type).toBe('application/pdf');
    const file = await api(a.url, { auth: reader });
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="spec.pdf"');
    const deadline = Date.now() + 20_000;
    let titles: string[] = [];
    while (Date.now() < deadline && !titles.includes('Attachment home')) {
      titles = ((await (await api('/api/v1/search?q=wombat', { auth: reader })).json()) as { hits: { title: string }[] }).hits.map((h) => h.title);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(titles).toContain('Attachment home');
  });

  it('only editors upload and delete; a space you may not read answers 404 everywhere', async () => {
    expect((await upload(page, 'r.txt', Buffer.from('reader'), reader)).status).toBe(403);
    const secret = (await (await upload('/api/v1/attachments/att-vault/plan', 'vault.txt', Buffer.from('secret'))).json()) as { id: number; url: string };
    const missing = `/files/99999999/vault.txt`;
    for (const [hidden, none] of [[secret.url, missing], ['/api/v1/attachments/att-vault/plan', '/api/v1/attachments/nope/plan']] as const) {
      const [h, n] = await Promise.all([api(hidden, { auth: reader }), api(none, { auth: reader })]);
      expect([h.status, await h.text()]).toEqual([n.status, await n.text()]);
      expect(h.status).toBe(404);
    }
    expect((await upload('/api/v1/attachments/att-vault/plan', 'x.txt', Buffer.from('x'), reader)).status).toBe(404);
    // A page not saved yet takes uploads from its writers (kept for them until their save), not from a reader.
    expect((await upload('/api/v1/attachments/guide/att/no-such-page', 'x.txt', Buffer.from('x'), reader)).status).toBe(403);
    const early = await upload('/api/v1/attachments/guide/att/no-such-page', 'x.txt', Buffer.from('x'));
    expect(early.status).toBe(201);
    const { url } = (await early.json()) as { url: string };
    expect((await api(url, { auth: admin })).status).toBe(200);
    expect((await api(url, { auth: reader })).status).toBe(404);
    expect((await api(`/api/v1/attachments/${secret.id}`, { method: 'DELETE', auth: reader })).status).toBe(404);
    expect((await api(`/api/v1/attachments/${secret.id}`, { method: 'DELETE', auth: admin })).status).toBe(204);
    expect((await api(secret.url, { auth: admin })).status).toBe(404);
    // Signed out: a file link leads to sign-in.
    const anonymous = await api(missing);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe(`/login?next=${encodeURIComponent(missing)}`);
  });
});

/** Sends a body of `total` bytes in 1 MB chunks (declared or chunked) and reads the answer as a browser would. */
function sendLarge(path: string, total: number, declare: boolean): Promise<{ status: number; text: string; sent: number }> {
  const { contentType, body } = multipart('big.bin', Buffer.alloc(0));
  const [head, tail] = [body.subarray(0, body.indexOf('\r\n\r\n') + 4), body.subarray(body.indexOf('\r\n\r\n') + 4)];
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': contentType, authorization: `Bearer ${admin}` };
    if (declare) headers['content-length'] = String(head.length + total + tail.length);
    const req = http.request(`${base()}${path}`, { method: 'POST', headers });
    let sent = 0;
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, text, sent }));
    });
    req.on('error', (err) => { if (!answered) reject(err); });
    void (async () => {
      req.write(head);
      const chunk = Buffer.alloc(MB, 'z');
      while (sent < total && !answered && !req.destroyed) {
        sent += MB;
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
      }
      if (!answered) req.end(tail);
    })();
  });
}

describe('over the limit', () => {
  it('a 30 MB upload with Content-Length → 413 the client reads, not a reset; nothing stored', async () => {
    const before = ((await (await api(page, { auth: admin })).json()) as unknown[]).length;
    const res = await sendLarge(page, 30 * MB, true);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toEqual({ error: expect.stringMatching(/larger than/) });
    expect(((await (await api(page, { auth: admin })).json()) as unknown[]).length).toBe(before);
  });

  it('a 30 MB chunked upload → 413 once 25 MB have streamed, read by the client; nothing stored', async () => {
    const before = ((await (await api(page, { auth: admin })).json()) as unknown[]).length;
    const res = await sendLarge(page, 30 * MB, false);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toEqual({ error: 'A file is at most 25 MB', code: 'tooLarge' }); // the editor says it in the writer's language
    expect(((await (await api(page, { auth: admin })).json()) as unknown[]).length).toBe(before);
    expect((await api('/healthz')).status).toBe(200);
  });
});

describe('an upload the client abandons', () => {
  it('leaves no temporary file and no row behind', async () => {
    const before = ((await (await api(page, { auth: admin })).json()) as unknown[]).length;
    const { contentType, body } = multipart('half.bin', Buffer.alloc(0));
    const req = http.request(`${base()}${page}`, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${admin}`, 'content-length': String(10 * MB) } });
    req.on('error', () => {});
    req.write(body.subarray(0, body.indexOf('\r\n\r\n') + 4));
    for (let i = 0; i < 3; i++) req.write(Buffer.alloc(MB, 'h'));
    await new Promise((r) => setTimeout(r, 500));
    const tmp = path.join(process.env.TEST_DATA_DIR!, 'files', 'tmp');
    expect(fs.readdirSync(tmp).length).toBeGreaterThan(0); // it was being received
    req.destroy();
    const deadline = Date.now() + 5000;
    while (fs.readdirSync(tmp).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(fs.readdirSync(tmp)).toEqual([]);
    expect(((await (await api(page, { auth: admin })).json()) as unknown[]).length).toBe(before);
  });
});

describe('the attachment list on the page', () => {
  it('uploads by the form with JavaScript (progress) and without, downloads, and deletes', async () => {
    const tab = await signedInPage(browser);
    await tab.goto('/s/guide/att/home');
    const list = tab.getByTestId('attachments');
    await list.locator('input[type=file]').setInputFiles({ name: 'weekly report.png', mimeType: 'image/png', buffer: await png(200, 120, 12) });
    await Promise.all([tab.waitForEvent('load'), list.getByRole('button', { name: 'Upload', exact: true }).click()]);
    const row = list.locator('li', { hasText: 'weekly report.png' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Admin');
    // Linked from the page, the image shows (the page's sanitizer and CSP let /files/ images through).
    const url = await row.getByRole('link', { name: 'weekly report.png', exact: true }).getAttribute('href');
    expect((await api('/api/v1/pages/guide/att/home', { method: 'PUT', auth: admin, json: { markdown: `Files here.\n\n![weekly](${url})` } })).status).toBe(200);
    await tab.reload();
    const shown = tab.locator('article.prose img');
    await shown.waitFor();
    await expect.poll(() => shown.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(200);
    const [download] = await Promise.all([tab.waitForEvent('download'), list.locator('li', { hasText: 'spec.pdf' }).getByRole('link', { name: 'spec.pdf' }).click()]);
    expect(download.suggestedFilename()).toBe('spec.pdf');

    // Without JavaScript the same form posts and comes back to the page.
    const plain = await browser.newContext({ baseURL: base(), javaScriptEnabled: false, storageState: await tab.context().storageState() });
    const noJs = await plain.newPage();
    await noJs.goto('/s/guide/att/home');
    await noJs.getByTestId('attachments').locator('input[type=file]').setInputFiles({ name: 'no-js.txt', mimeType: 'text/plain', buffer: Buffer.from('plain form') });
    await noJs.getByTestId('attachments').getByRole('button', { name: 'Upload', exact: true }).click();
    await noJs.waitForURL('**/s/guide/att/home');
    await noJs.getByTestId('attachments').locator('li', { hasText: 'no-js.txt' }).waitFor();
    await plain.close();

    tab.once('dialog', (d) => void d.accept());
    await tab.reload();
    await Promise.all([tab.waitForEvent('load'), list.getByRole('button', { name: 'Delete no-js.txt' }).click()]);
    await list.locator('li', { hasText: 'no-js.txt' }).waitFor({ state: 'detached' });
    const names = ((await (await api(page, { auth: admin })).json()) as { name: string }[]).map((f) => f.name);
    expect(names).not.toContain('no-js.txt');
    expect(names).toContain('weekly report.png');
  });

  it('deleting a file the text still uses says so, and a later save does not bring it back; restoring a revision does', async () => {
    const tab = await signedInPage(browser);
    tab.on('dialog', (d) => void d.accept());
    await tab.goto('/s/guide/att/home');
    const list = tab.getByTestId('attachments');
    const url = (await list.getByRole('link', { name: 'weekly report.png', exact: true }).getAttribute('href'))!;
    const asked = tab.waitForEvent('dialog');
    await Promise.all([tab.waitForEvent('load'), list.getByRole('button', { name: 'Delete weekly report.png' }).click()]);
    expect((await asked).message()).toBe('Delete the attachment "weekly report.png"? The page\'s text still uses it: readers will see a broken link or image there until the text changes. Restoring a revision that links to it brings it back.');
    await list.locator('li', { hasText: 'weekly report.png' }).waitFor({ state: 'detached' });
    const before = ((await (await api('/api/v1/pages/guide/att/home', { auth: admin })).json()) as { revision: number }).revision;

    // An unrelated edit, saved in the editor: the text still links to the file, which stays deleted.
    await tab.goto('/s/guide/att/home?edit');
    await tab.locator('.cm-content').click();
    await tab.keyboard.press('Control+Home');
    await tab.keyboard.type('Updated. ');
    await Promise.all([tab.waitForURL('**/s/guide/att/home'), tab.getByRole('button', { name: 'Save', exact: true }).click()]);
    expect(await tab.locator('article.prose').textContent()).toContain('Updated.');
    expect(await list.locator('li', { hasText: 'weekly report.png' }).count()).toBe(0);
    expect((await api(url, { auth: admin })).status).toBe(404);

    // Restoring the revision it was deleted under brings it back (as the confirmation said).
    await tab.goto('/s/guide/att/home?history');
    await Promise.all([tab.waitForEvent('load'), tab.locator('table.history tbody tr').filter({ has: tab.getByRole('link', { name: String(before), exact: true }) })
      .getByRole('button', { name: 'Restore this revision' }).click()]);
    expect(await list.locator('li', { hasText: 'weekly report.png' }).count()).toBe(1);
    expect((await api(url, { auth: admin })).status).toBe(200);
    await tab.context().close();
  });

  it('without JavaScript, a refused upload comes back to the page saying why, in the reader\'s language', async () => {
    const editor = { email: 'att.editor@example.com', password: 'a long enough password 42' };
    await userToken(admin, editor.email, 'Att Editor');
    const grant = (role: string) => api('/api/v1/spaces/att-vault/grants', { method: 'PUT', auth: admin, json: [{ user: editor.email, role }] });
    expect((await grant('editor')).status).toBe(200);
    const before = ((await (await api('/api/v1/attachments/att-vault/plan', { auth: admin })).json()) as unknown[]).length;
    for (const [locale, tooLarge, empty, badImage, forbidden] of [
      ['en-US', 'The file was not uploaded: a file is at most 25 MB.', 'The file was not uploaded: it is empty.',
        'The file was not uploaded: it is an image that cannot be read (damaged, or too many pixels).', 'The file was not uploaded: you may not add files to this page.'],
      ['zh-CN', '文件未上传：单个文件最大 25 MB。', '文件未上传：文件是空的。', '文件未上传：这张图片无法读取（已损坏或像素过多）。', '文件未上传：你无权向此页面添加文件。'],
    ] as const) {
      const tab = await signedInPage(browser, { locale, as: editor, ...(locale === 'zh-CN' ? { viewport: { width: 390, height: 844 } } : {}) });
      const plain = await browser.newContext({ baseURL: base(), locale, viewport: tab.viewportSize()!, javaScriptEnabled: false, storageState: await tab.context().storageState() });
      await tab.context().close();
      const noJs = await plain.newPage();
      const send = async (file: { name: string; mimeType: string; buffer: Buffer }) => {
        await noJs.goto('/s/att-vault/plan');
        const list = noJs.getByTestId('attachments');
        await list.locator('input[type=file]').setInputFiles(file);
        await Promise.all([noJs.waitForURL(/uploadError=/), list.getByRole('button', { name: locale === 'en-US' ? 'Upload' : '上传', exact: true }).click()]);
        expect(noJs.url()).toMatch(/\/s\/att-vault\/plan\?uploadError=\w+#attachments$/);
        return noJs.getByTestId('upload-refused').textContent();
      };
      // Over the limit: the server answers at once and drains the rest, and the browser follows.
      expect(await send({ name: 'video.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(26 * MB, 7) })).toBe(tooLarge);
      expect(await send({ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) })).toBe(empty);
      expect(await send({ name: 'broken.png', mimeType: 'image/png', buffer: pngBomb() })).toBe(badImage); // 10 billion pixels declared
      await noJs.screenshot({ path: `/tmp/shots-attachments/refused-${locale}.png` }); // where the page comes back to
      // Made a reader after the page was opened.
      await noJs.goto('/s/att-vault/plan');
      expect((await grant('reader')).status).toBe(200);
      const list = noJs.getByTestId('attachments');
      await list.locator('input[type=file]').setInputFiles({ name: 'late.txt', mimeType: 'text/plain', buffer: Buffer.from('too late') });
      await Promise.all([noJs.waitForURL(/uploadError=forbidden/), list.getByRole('button', { name: locale === 'en-US' ? 'Upload' : '上传', exact: true }).click()]);
      expect(await noJs.getByTestId('upload-refused').textContent()).toBe(forbidden);
      expect((await grant('editor')).status).toBe(200);
      await plain.close();
    }
    expect(((await (await api('/api/v1/attachments/att-vault/plan', { auth: admin })).json()) as unknown[]).length).toBe(before);
  }, 120_000);

  it('with JavaScript, a refused upload says why in the reader\'s language, as an error', async () => {
    const tab = await signedInPage(browser, { locale: 'zh-CN' });
    await tab.goto('/s/guide/att/home');
    const list = tab.getByTestId('attachments');
    const refused = list.locator('[data-upload-error]');
    for (const [file, text] of [
      [{ name: 'video.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(26 * MB, 7) }, '文件未上传：单个文件最大 25 MB。'],
      [{ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) }, '文件未上传：文件是空的。'],
    ] as const) {
      await list.locator('input[type=file]').setInputFiles(file);
      await list.getByRole('button', { name: '上传', exact: true }).click();
      await refused.filter({ hasText: text }).waitFor({ timeout: 30_000 });
      expect(await refused.evaluate((el) => [el.getAttribute('role'), el.className])).toEqual(['alert', 'notice error']);
    }
    await tab.screenshot({ path: '/tmp/shots-attachments/refused-js-zh-CN.png', fullPage: true });
    await tab.context().close();
  });

  it('readers see the list without upload or delete controls', async () => {
    const context = await browser.newContext({ baseURL: base() });
    const res = await fetch(`${base()}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'att.reader@example.com', password: 'a long enough password 42' }) });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('dossier_session='))!.split(';')[0]!.split('=');
    await context.addCookies([{ name: cookie[0]!, value: cookie[1]!, url: base() }]);
    const tab = await context.newPage();
    await tab.goto('/s/guide/att/home');
    const list = tab.getByTestId('attachments');
    await list.locator('li', { hasText: 'spec.pdf' }).waitFor();
    expect(await list.locator('button, input[type=file]').count()).toBe(0);
    await context.close();
  });

  it('looks right on desktop and phone, in English and Chinese', async () => {
    for (const locale of ['en-US', 'zh-CN']) {
      for (const [device, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
        const tab = await signedInPage(browser, { locale, viewport });
        await tab.goto('/s/guide/att/home');
        await screenshot(tab, `attachments-${device}-${locale}`);
        await tab.screenshot({ path: `/tmp/shots-attachments/${device}-${locale}.png`, fullPage: true });
        await tab.context().close();
      }
    }
  });
});
