// A refused form post is said in the reader's language: the page shows the words for the error's
// code (src/i18n/errors-forms.ts) in Chinese for a reader whose `lang` cookie says zh-CN, and the
// English words for an English reader, while the JSON API keeps the server's English message.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, userToken } from './http.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const decode = (html: string) => html.replace(/&quot;|&#34;/g, '"').replace(/&#39;|&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('refused forms in the reader’s language', () => {
  let admin = '';
  let clerk = '';
  beforeAll(async () => {
    admin = (await signIn()).token;
    clerk = await userToken(admin, 'hr.clerk@example.com', '人事专员');
  });

  /** Posts the form as `auth` reading in `lang`; answers the status and the page's alert text. */
  async function post(path: string, fields: Record<string, string>, lang: 'en' | 'zh-CN', auth = admin) {
    const res = await api(path, { method: 'POST', auth, body: new URLSearchParams(fields), headers: { ...FORM, cookie: `lang=${lang}` } });
    const html = await res.text();
    // Every non-empty alert's text (the page form's, a requirement's error box, formPost pages').
    const alerts = [...html.matchAll(/role="alert"[^>]*>([\s\S]*?)<\/(?:p|div)>/g)]
      .map((m) => decode(m[1]!.replace(/<[^>]+>/g, '').trim())).filter(Boolean);
    return { status: res.status, html: decode(html), alert: alerts.join('\n') };
  }

  // [what, path, fields, status, Chinese words, English words (the server's own message where it reads well)]
  const cases: [string, string, Record<string, string>, number, string, string][] = [
    ['a page saved without a title', '/s/guide', { _action: 'save', title: '', markdown: 'Body' }, 400, '页面需要标题。', 'A page needs a title.'],
    ['a requirement without a title', '/p/ATL/new', { _action: 'submit', title: '  ', category: 'feature' }, 400, '需求需要标题。', 'A requirement needs a title.'],
    ['a requirement with a bad due date', '/p/ATL/new', { _action: 'submit', title: 'Payslip export', category: 'feature', due: 'next friday' }, 400,
      '截止日期须为类似 2026-12-31 的日期。', 'Give the due date as a date like 2026-12-31.'],
    ['an impossible due date', '/p/ATL/new', { _action: 'submit', title: 'Payslip export', category: 'feature', due: '2026-02-30' }, 400,
      '截止日期 2026-02-30 不是有效的日期。', 'The due date 2026-02-30 is not a real calendar date.'],
    ['an empty comment on a requirement', '/p/ATL/ATL-1', { _action: 'comment', comment: '   ' }, 400, '评论不能为空。', 'A comment needs some text.'],
  ];

  it.each(cases)('%s: Chinese for a Chinese reader, English for an English one', async (_what, path, fields, status, zh, en) => {
    const chinese = await post(path, fields, 'zh-CN');
    expect(chinese.status).toBe(status);
    expect(chinese.alert).toBe(zh);
    expect(chinese.html).not.toContain(en);
    const english = await post(path, fields, 'en');
    expect(english.status).toBe(status);
    expect(english.alert).toBe(en);
    expect(english.html).not.toContain(zh);
  });

  it('fills the values a refusal names: a short new password on the account page (formPost)', async () => {
    const fields = { _action: 'password', current: 'a long enough password 42', next: 'short', repeat: 'short' };
    const chinese = await post('/account', fields, 'zh-CN', clerk);
    expect(chinese.status).toBe(400);
    expect(chinese.alert).toBe('密码至少需要 12 个字符。');
    expect(chinese.html).not.toContain('Passwords need at least');
    const english = await post('/account', fields, 'en', clerk);
    expect(english.alert).toBe('Passwords need at least 12 characters.');
    expect(english.html).not.toContain('密码至少需要');
  });

  it('a project admin form (formPost): a project key that is not one, and an existing project', async () => {
    const form = (key: string) => ({ _action: 'create', key, name: 'Payroll 2027', visibility: 'org' });
    const chinese = await post('/p', form('9X'), 'zh-CN');
    expect([chinese.status, chinese.alert]).toEqual([400, '项目编号须为 2–10 个大写字母或数字，并以字母开头（如 PAY）。']);
    const taken = await post('/p', form('ATL'), 'zh-CN');
    expect([taken.status, taken.alert]).toEqual([409, '项目“ATL”已存在。']);
    const english = await post('/p', form('ATL'), 'en');
    expect([english.status, english.alert]).toEqual([409, 'A project "ATL" already exists.']);
    expect(english.html).not.toContain('已存在');
  });

  it('keeps the JSON API in English, with the code beside it', async () => {
    const res = await api('/api/v1/projects/ATL/requirements', { method: 'POST', auth: admin, json: { title: '', category: 'feature' }, headers: { cookie: 'lang=zh-CN' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'A requirement needs a title', code: 'reqTitleRequired' });
  });
});
