// The in-product guide (the demo `guide` space, content/guide, and the policies home) promises
// only what exists: its wiki links and product links lead somewhere, the buttons, fields and
// filters it names by name are on the screens it says (in English and Chinese), its search
// examples find what it says, and the code languages it lists are highlighted. The rest of its
// claims are checked by the feature tests named in the README ("The guide's claims").
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, screenshot, signedInPage } from './browser.ts';
import { api, signIn } from './http.ts';

const CONTENT = path.resolve(import.meta.dirname, '../../content');
const guidePages = fs.readdirSync(path.join(CONTENT, 'guide')).filter((f) => f.endsWith('.md')).map((f) => (f === 'index.md' ? '' : f.slice(0, -3)));
let browser: Browser;
let admin = '';

beforeAll(async () => {
  browser = await launch();
  ({ token: admin } = await signIn());
});
afterAll(async () => { await browser?.close(); });

/** The screen's own text in `selector`, without the page text (which is the guide itself here). */
const textOf = async (page: Page, url: string, selector = 'main') => {
  const res = await page.goto(url);
  expect(res?.status(), url).toBe(200);
  return page.locator(selector).first().evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    for (const prose of copy.querySelectorAll('article.prose')) prose.remove();
    return copy.textContent ?? '';
  });
};

describe('the guide', () => {
  it('links only to pages that exist (but the one missing link it shows on purpose) and to product screens that answer', async () => {
    const page = await signedInPage(browser);
    for (const [space, p] of [...guidePages.map((g) => ['guide', g] as const), ['policies', ''] as const]) {
      await page.goto(`/s/${space}/${p}`);
      const missing = await page.locator('article.prose a.wikilink.missing').allTextContents();
      expect(missing, `${space}/${p}`).toEqual(space === 'guide' && p === '' ? ['Keyboard shortcuts'] : []);
      // Links to the product's own screens (/p/ATL, /p/ATL/import) answer.
      for (const href of await page.locator('article.prose a[href^="/"]:not(.wikilink)').evaluateAll((as) => as.map((a) => a.getAttribute('href')!))) {
        if (href.startsWith('/files/')) continue;
        expect((await api(href, { auth: admin })).status, href).toBe(200);
      }
    }
    await page.context().close();
  });

  it('names buttons, fields and filters that are on the screens it describes, in English and Chinese', async () => {
    const screens: [url: string, en: (string | RegExp)[], zh: (string | RegExp)[], selector?: string][] = [
      ['/s/guide/writing-pages', ['New page', 'Move', 'History', 'Watch page', 'Linked from', 'Attachments', 'Comments'], ['新建页面', '移动', '历史', '关注页面', '引用本页的页面', '附件', '评论']],
      ['/s/guide', ['Watch space', 'Export space'], ['关注空间', '导出空间']],
      ['/s/guide/importing', ['Export'], ['导出']],
      ['/s/guide/writing-pages?history', ['Compare selected', 'From', 'To'], ['比较所选版本', '从', '到']],
      ['/s/guide/writing-pages?rev=1', [/Revision 1 of \d+/], [/第 1 版，共 \d+ 版/]],
      ['/s/guide?new', ['Start from a template', 'Use template', 'Path'], ['从模板开始', '使用模板']],
      ['/s/guide/writing-pages?edit', ['What did you change?', 'Tags (comma separated)', 'Cancel'], ['修改说明', '取消']],
      ['/search?q=vpn', ['Filters', 'Space', 'Type', 'Status', 'Open', 'Done', 'Tag', 'Kind of space', 'Include archived'], ['筛选', '空间', '类型', '状态', '未完成', '已完成', '标签', '空间类型', '包含已归档']],
      ['/search?q=page', ['Next'], ['下一页']],
      ['/account', ['API tokens'], []],
      ['/admin/synonyms', ['Search synonyms'], ['搜索同义词']],
      ['/s/guide', ['Settings and permissions'], ['设置与权限'], 'body'],
      ['/p', ['Projects'], ['项目']],
      ['/p/ATL/import', [], []],
    ];
    for (const locale of ['en-US', 'zh-CN'] as const) {
      const page = await signedInPage(browser, { locale });
      for (const [url, en, zh, selector] of screens) {
        const text = await textOf(page, url, selector);
        for (const name of locale === 'en-US' ? en : zh) {
          if (typeof name === 'string') expect(text, `${url}: ${name}`).toContain(name);
          else expect(text, `${url}: ${name}`).toMatch(name);
        }
      }
      await page.context().close();
    }
    // "Restore this revision" is offered on a page with more than one revision.
    expect((await api('/api/v1/pages/guide/restore-check', { method: 'PUT', auth: admin, json: { title: 'Restore check', markdown: 'one' } })).status).toBe(201);
    expect((await api('/api/v1/pages/guide/restore-check', { method: 'PUT', auth: admin, json: { markdown: 'two' } })).status).toBe(200);
    for (const [locale, restore] of [['en-US', 'Restore this revision'], ['zh-CN', '恢复到此版本']] as const) {
      const phone = locale === 'zh-CN';
      const page = await signedInPage(browser, { locale, phone });
      expect(await textOf(page, '/s/guide/restore-check?history')).toContain(restore);
      if (phone) {
        // On a phone the button goes under the revision's date, not into a column squeezing it.
        const row = page.locator('table.history tbody tr').nth(1);
        const [when, button] = [(await row.locator('td').nth(3).boundingBox())!, (await row.getByRole('button', { name: restore }).boundingBox())!];
        expect(button.y).toBeGreaterThanOrEqual(when.y + when.height - 1);
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
        await screenshot(page, 'history-restore-zh-phone');
      }
      await page.context().close();
    }
    expect((await api('/api/v1/pages/guide/restore-check', { method: 'DELETE', auth: admin })).status).toBeLessThan(300);
  });

  it('gives search examples that find what it says', async () => {
    const titles = async (q: string, limit = 5) => ((await (await api(`/api/v1/search?q=${encodeURIComponent(q)}&limit=${limit}`, { auth: admin })).json()) as { hits: { title: string }[] }).hits.map((h) => h.title);
    // One typo, and the page found through its English tag, on the first screen of results (10): its
    // place among the guide's own pages that quote these words varies with ties.
    expect(await titles('pasword reset', 10)).toContain('重置密码');
    expect(await titles('vpn')).toContain('VPN on macOS');
    expect(await titles('vpn -macos')).not.toContain('VPN on macOS'); // "exclude a word"
    expect((await titles('"VPN on macOS"'))[0]).toBe('VPN on macOS'); // an exact phrase
    expect(await titles('ATL-3')).toEqual(expect.arrayContaining([expect.stringMatching(/^ATL-3\b/)]));
    expect(await titles('报销')).toContain('Travel and expenses'); // through the demo's synonyms
    // A Chinese word of the list searched whole: its English page above the demo's pages that say 入职
    // in their bodies (other tests add pages with 入职 in their titles, so not always first here)
    const onboarding = await titles('入职', 20);
    expect(onboarding).toContain('Onboarding checklist');
    expect(onboarding.indexOf('Onboarding checklist')).toBeLessThan(onboarding.indexOf('账号与密码'));
    const vnp = await (await api('/api/v1/search?q=vnp', { auth: admin })).json() as { suggestion: string | null };
    expect(vnp.suggestion).toBe('vpn'); // "Did you mean"
  });

  it('lists code languages that are highlighted', async () => {
    const languages = /Name the language after the three backticks so the block gets highlighted: (.*)\./.exec(fs.readFileSync(path.join(CONTENT, 'guide/writing-pages.md'), 'utf8'))![1]!.match(/`(\w+)`/g)!.map((l) => l.slice(1, -1));
    expect(languages.length).toBeGreaterThan(3);
    for (const lang of languages) {
      const res = await api('/api/v1/preview', { method: 'POST', auth: admin, json: { space: 'guide', markdown: `\`\`\`${lang}\nif (x == "y") { return 1; } # done\n\`\`\`` } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { html: string }).html, lang).toContain('class="hljs-');
    }
  });

  it('looks right on a desktop and a phone, in English and Chinese', async () => {
    fs.mkdirSync('/tmp/shots-guide', { recursive: true });
    for (const locale of ['en-US', 'zh-CN']) {
      for (const [device, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
        const page = await signedInPage(browser, { locale, viewport });
        for (const p of ['writing-pages', 'templates-comments-watching', 'history']) {
          await page.goto(`/s/guide/${p}`);
          expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${p} ${device}`).toBe(true); // no sideways scrolling
          await page.screenshot({ path: `/tmp/shots-guide/${p}-${device}-${locale}.png`, fullPage: true });
        }
        await page.context().close();
      }
    }
  });
});
