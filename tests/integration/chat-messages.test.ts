// Chat messages against a real HTTP receiver on 127.0.0.1 and the real delivery loop: in the
// webhook's language (else the site default), with the project's names for categories, fields and
// states and the new values, @-mentions of the assignee from their profile, the Lark message card
// with its Open and Nudge buttons, and users' text that cannot mention anybody.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { setGrants } from '../../src/server/admin/grants.ts';
import { getOwnProfile, updateOwnProfile } from '../../src/server/auth/account.ts';
import { createUser } from '../../src/server/auth/users.ts';
import { startWebhookDelivery } from '../../src/server/notify/deliver.ts';
import { createWebhook, listWebhooks, updateWebhook } from '../../src/server/notify/webhook-settings.ts';
import { createProject } from '../../src/server/projects/projects.ts';
import { editRequirement } from '../../src/server/requirements/edit.ts';
import { nudge } from '../../src/server/requirements/nudge.ts';
import { transitionRequirement } from '../../src/server/requirements/transition.ts';
import { answerResolution } from '../../src/server/desk/resolution.ts';
import { submitRequirement } from '../../src/server/requirements/submit.ts';
import { failure, freshEnvironment, waitFor } from './setup-env.ts';

let admin: Viewer;
let zhang: Viewer;
let bob: Viewer;
const received: { path: string; body: string }[] = [];
let receiver: http.Server;
let port: number;
let delivery: ReturnType<typeof startWebhookDelivery>;

/** The nth message (from 1) a path received, parsed. */
const message = (path: string, n: number) => waitFor(`message ${n} at ${path}`, () => {
  const at = received.filter((r) => r.path === path);
  return at.length >= n && JSON.parse(at[n - 1]!.body);
});

let projects = 0;
function project(): string {
  const key = `C${++projects}`;
  createProject(admin, { key, name: `聊天 ${projects}`, owner: bob.email, visibility: 'restricted' });
  setGrants(admin, key.toLowerCase(), [{ user: bob.email, role: 'admin' }, { user: zhang.email, role: 'editor' }]);
  return key;
}
const hook = (p: string, path: string, extra: Record<string, unknown>) => createWebhook(bob, p, { url: `http://127.0.0.1:${port}${path}`, ...extra });

beforeAll(async () => {
  process.env.DOSSIER_WEBHOOK_ALLOW_PRIVATE = 'true';
  process.env.PUBLIC_URL = 'https://dossier.example.com';
  ({ admin } = await freshEnvironment('chat'));
  const zid = await createUser({ email: 'zhang.min@example.com', name: '张敏', password: 'a long enough password' });
  const bid = await createUser({ email: 'bob@example.com', name: 'Bob', password: 'a long enough password' });
  zhang = { id: zid, email: 'zhang.min@example.com', name: '张敏', admin: false, locale: null };
  bob = { id: bid, email: 'bob@example.com', name: 'Bob', admin: false, locale: null };
  receiver = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { body += c; });
    req.on('end', () => { received.push({ path: req.url ?? '/', body }); res.end('ok'); });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
  port = (receiver.address() as AddressInfo).port;
  delivery = startWebhookDelivery({ baseDelayMs: 100, maxAttempts: 3, timeoutMs: 2000, pollMs: 50, log: () => {} });
});

afterAll(async () => {
  await delivery?.stop();
  receiver?.closeAllConnections();
  receiver?.close();
  delete process.env.DOSSIER_DEFAULT_LOCALE;
});

describe('chat ids in the profile', () => {
  it('stores a Lark open_id and a Slack member id, and refuses anything else', async () => {
    expect(updateOwnProfile(zhang, { larkOpenId: ' ou_7d8a6e6df7621556ce0d21922b676706 ', slackMemberId: 'U012AB3CD' }))
      .toMatchObject({ larkOpenId: 'ou_7d8a6e6df7621556ce0d21922b676706', slackMemberId: 'U012AB3CD' });
    for (const bad of [{ larkOpenId: 'ou_x"></at><at user_id="all' }, { larkOpenId: 'all' }, { slackMemberId: '!channel' }, { slackMemberId: 'U1>' }, { slackMemberId: 5 }]) {
      expect((await failure(() => updateOwnProfile(zhang, bad as never))).status).toBe(400);
    }
    expect(getOwnProfile(zhang)).toMatchObject({ larkOpenId: 'ou_7d8a6e6df7621556ce0d21922b676706', slackMemberId: 'U012AB3CD' });
    expect(updateOwnProfile(bob, { slackMemberId: '' }).slackMemberId).toBeNull();
  });
});

describe('chat messages', () => {
  it('speak the webhook’s language with the project’s names, show new values and @-mention the assignee', async () => {
    const p = project();
    await hook(p, '/zh', { format: 'lark', language: 'zh-CN' });
    await hook(p, '/en', { format: 'slack', language: 'en' });
    const { key } = await submitRequirement(bob, p, { title: '发票抬头可编辑', category: 'issue' });

    const created = await message('/zh', 1);
    expect(created.content.text).toContain('Bob 提交了问题，处理人：Bob');
    expect(created.content.text).not.toMatch(/\bissue\b/);

    editRequirement(bob, key, { assignee: zhang.email, priority: 'high', due: '2031-03-01' });
    const changed = await message('/zh', 2);
    expect(changed.content.text).toContain('Bob 修改了优先级：高，截止日期：2031-03-01，处理人：张敏');
    expect(changed.content.text).not.toMatch(/assignee|priority/);
    expect(changed.content.text).toContain('处理人：<at user_id="ou_7d8a6e6df7621556ce0d21922b676706"></at>');

    const en = await message('/en', 2);
    expect(en.blocks[0].text.text).toContain('Bob changed Priority: High, Due: 2031-03-01, Assignee: 张敏');
    expect(en.blocks[1].elements[0].text).toContain('Assignee: <@U012AB3CD>');

    // The assignee acting is not pinged about it.
    nudge(bob, key, {});
    const nudged = await message('/en', 3);
    expect(nudged.blocks[0].text.text).toContain('Bob nudged the assignee');
    editRequirement(zhang, key, { priority: 'urgent' });
    const own = await message('/en', 4);
    expect(own.blocks[0].text.text).toContain('张敏 changed Priority: Urgent');
    expect(own.blocks[1].elements[0].text).toContain('Assignee: 张敏');
    expect(own.blocks[1].elements[0].text).not.toContain('<@');
  });

  it('names the desk’s events in the webhook’s language, with the reporter’s reason', async () => {
    const p = project();
    await hook(p, '/zh-desk', { format: 'lark', language: 'zh-CN' });
    const { key } = await submitRequirement(bob, p, { title: '打印机卡纸', category: 'issue' });
    await editRequirement(bob, key, { assignee: zhang.email });
    for (const to of ['in-progress', 'resolved']) transitionRequirement(zhang, key, { to });
    answerResolution(bob, key, { action: 'reopen', comment: '还是卡纸' });
    const reopened = (await message('/zh-desk', 5)).content.text as string;
    expect(reopened).toContain('Bob：提交人重新打开 — 「还是卡纸」');
    expect(reopened).not.toContain('reopened');
  });

  it('without a language of its own a webhook uses the site default, and the setting can be changed', async () => {
    const p = project();
    process.env.DOSSIER_DEFAULT_LOCALE = 'zh-CN';
    const { id } = await hook(p, '/default', { format: 'slack' });
    expect(listWebhooks(bob, p)[0]!.language).toBeNull();
    await submitRequirement(zhang, p, { title: 'Default language', category: 'feature' });
    expect((await message('/default', 1)).text).toContain('张敏 提交了需求，处理人：Bob');
    delete process.env.DOSSIER_DEFAULT_LOCALE;
    expect(updateWebhook(bob, p, id, { language: 'en' }).language).toBe('en');
    await submitRequirement(zhang, p, { title: 'Now English', category: 'change' });
    expect((await message('/default', 2)).text).toContain('张敏 submitted a Change request; assignee: Bob');
    for (const language of ['fr', 'zh', 1]) expect((await failure(() => updateWebhook(bob, p, id, { language }))).status).toBe(400);
  });

  it('sends a Lark message card with buttons that open the requirement and its nudge form', async () => {
    const p = project();
    await hook(p, '/card', { format: 'lark-card', language: 'zh-CN', secret: 'card-signing-secret' });
    const { key } = await submitRequirement(bob, p, { title: '退款更快', category: 'feature' });
    editRequirement(bob, key, { assignee: zhang.email });
    const card = await message('/card', 2);
    expect(card.msg_type).toBe('interactive');
    expect(card.sign).toEqual(expect.any(String));
    expect(card.card.header.title.content).toBe(`${key} 退款更快`);
    expect(card.card.elements[0].text.content).toBe('Bob 修改了处理人：张敏');
    const fields = card.card.elements[1].fields.map((f: { text: { content: string } }) => f.text.content);
    expect(fields).toEqual(['**状态**\n已提交', '**处理人**\n<at id=ou_7d8a6e6df7621556ce0d21922b676706></at>']);
    const buttons = card.card.elements[2].actions;
    expect(buttons.map((b: { text: { content: string } }) => b.text.content)).toEqual(['查看', '催办']);
    expect(buttons[0].url).toBe(`https://dossier.example.com/p/${p}/${key}`);
    expect(buttons[1].url).toBe(`https://dossier.example.com/p/${p}/${key}#nudge`);
    // Finished (rejected, here), it has no nudge form: the card has no Nudge button.
    transitionRequirement(bob, key, { to: 'rejected', comment: 'Not this quarter' });
    const finished = await message('/card', 3);
    expect(finished.card.elements[2].actions.map((b: { text: { content: string } }) => b.text.content)).toEqual(['查看']);
  });

  it('users’ text cannot mention everybody or inject links', async () => {
    const p = project();
    await hook(p, '/lark-hostile', { format: 'lark', language: 'en' });
    await hook(p, '/card-hostile', { format: 'lark-card', language: 'en' });
    await hook(p, '/slack-hostile', { format: 'slack', language: 'en' });
    await submitRequirement(bob, p, { title: 'Hi <at user_id="all"></at> <!channel> <https://evil.example|click>', category: 'feature' });
    const lark = await message('/lark-hostile', 1);
    expect(lark.content.text).not.toContain('<at');
    expect(lark.content.text).toContain('＜at user_id="all"＞＜/at＞');
    const card = await message('/card-hostile', 1);
    expect(JSON.stringify(card.card.elements.slice(1))).not.toContain('user_id=\\"all');
    const slack = await message('/slack-hostile', 1);
    expect(slack.text).not.toContain('<!channel>');
    expect(JSON.stringify(slack.blocks)).not.toContain('<!channel>');
    expect(JSON.stringify(slack.blocks)).not.toContain('<https://evil.example');
  });
});
