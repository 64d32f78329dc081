// E-mail against a real SMTP server (smtp-server on 127.0.0.1), a real SQLite file and the real
// outbox: language, link back, preferences, access decided at send time, and the daily digest.
// SMTP down, refusing or stalling and hostile addresses are in hostile-mail.test.ts.
import { describe, expect, it } from 'vitest';
import { setGrants } from '../../src/server/admin/grants.ts';
import { handOver } from '../../src/server/admin/handover.ts';
import { createUser } from '../../src/server/auth/users.ts';
import { queueDigests } from '../../src/server/mail/digest.ts';
import { getPrefs, setPrefs } from '../../src/server/mail/prefs.ts';
import { commentOn } from '../../src/server/requirements/comment.ts';
import { nudge } from '../../src/server/requirements/nudge.ts';
import { submitRequirement } from '../../src/server/requirements/submit.ts';
import { setWatching } from '../../src/server/requirements/watch.ts';
import { failure, waitFor } from './setup-env.ts';
import { mailEnvironment, sleep } from './mail-env.ts';

const env = mailEnvironment('mail');
const { mailTo, mailRows, startLoop, stopLoop, project } = env;

describe('e-mail at once', () => {
  it('tells the assignee in their language, with a link back and a clean From', async () => {
    const p = project(env.zhang);
    const { key } = await submitRequirement(env.bob, p, { title: '发票抬头可编辑', category: 'feature' });
    const [mail] = await waitFor('the mail to 张敏', () => mailTo(env.zhang.email));
    expect(mail!.from).toBe('dossier@example.com');
    expect(mail!.subject).toBe(`${key} 发票抬头可编辑 · 指派`);
    expect(mail!.text).toContain('Bob 提交了它，由你负责');
    expect(mail!.text).toContain(`https://dossier.example.com/p/${p}/${key}`);
    expect(mail!.html).toContain(`href="https://dossier.example.com/p/${p}/${key}"`);
    expect(mail!.text).toContain('https://dossier.example.com/account#notifications');
    expect(mail!.headers).toContainEqual(['content-language', 'zh-CN']);
    expect(mail!.headers).toContainEqual(['auto-submitted', 'auto-generated']);
    await waitFor('the outbox row done', () => mailRows().length === 0);

    const q = project(env.bob);
    const second = await submitRequirement(env.zhang, q, { title: 'Invoice titles', category: 'feature' });
    const [en] = await waitFor('the mail to Bob', () => mailTo(env.bob.email));
    expect(en!.subject).toBe(`${second.key} Invoice titles · Assigned`);
    expect(en!.text).toContain('张敏 submitted it; you are responsible');
    expect(en!.headers).toContainEqual(['content-language', 'en']);
    // The row is marked done just after the SMTP server has the mail: the next test counts rows.
    await waitFor('the outbox row done', () => mailRows().length === 0);
  });

  it('sends nothing for a kind set to inbox only, and follows a change of mind made before sending', async () => {
    const p = project(env.bob);
    setPrefs(env.bob, { assigned: 'inbox' });
    const before = mailTo(env.bob.email).length;
    await submitRequirement(env.zhang, p, { title: 'Quiet please', category: 'feature' });
    expect(mailRows()).toHaveLength(0); // nothing queued at all
    // Queued while wanted by e-mail, then switched off before the loop sent it: not sent.
    setPrefs(env.bob, { assigned: 'email', nudged: 'email' });
    await stopLoop();
    const { key } = await submitRequirement(env.zhang, p, { title: 'Changed my mind', category: 'feature' });
    expect(mailRows()).toHaveLength(1);
    setPrefs(env.bob, { assigned: 'digest' });
    startLoop();
    await waitFor('the row dropped', () => mailRows().length === 0);
    nudge(env.zhang, key, { comment: 'please look' });
    const nudged = await waitFor('the nudge mail', () => mailTo(env.bob.email).slice(before));
    expect(nudged).toHaveLength(1);
    expect(nudged[0]!.subject).toBe(`${key} Changed my mind · Nudge`);
    expect(nudged[0]!.text).toContain('张敏 nudged you about it: “please look”');
    setPrefs(env.bob, { assigned: 'email' });
  });

  it('checks access when sending, not when queuing', async () => {
    const p = project(env.zhang);
    await stopLoop();
    await submitRequirement(env.bob, p, { title: 'Secret plans', category: 'feature' });
    expect(mailRows()).toHaveLength(1);
    const before = mailTo(env.zhang.email).length;
    // Zhang loses every grant (the project's owner keeps no access without one).
    setGrants(env.admin, p.toLowerCase(), [{ user: env.bob.email, role: 'admin' }]);
    startLoop();
    await waitFor('the row dropped', () => mailRows().length === 0);
    await sleep(200);
    expect(mailTo(env.zhang.email).slice(before).map((m) => m.subject)).not.toContainEqual(expect.stringContaining('Secret plans'));
  });
});

describe('preferences', () => {
  it('answers every kind with defaults, saves known kinds and refuses anything else with 400 and nothing changed', () => {
    const fresh = getPrefs(env.admin);
    expect(fresh).toMatchObject({ assigned: 'email', mentioned: 'email', nudged: 'email', commented: 'inbox', 'due-soon': 'inbox', 'page-changed': 'inbox' });
    expect(setPrefs(env.admin, { commented: 'digest', mentioned: 'inbox' })).toMatchObject({ commented: 'digest', mentioned: 'inbox', assigned: 'email' });
    for (const bad of [{ nonsense: 'email' }, { assigned: 'sms' }, { assigned: 1 }, JSON.parse('{"__proto__": "email"}'), { constructor: 'email' }, { assigned: { toString: 'email' } }, { assigned: Object.create(null) }, [], null, 'email']) {
      expect(() => setPrefs(env.admin, bad)).toThrow(expect.objectContaining({ status: 400 }));
    }
    expect(() => setPrefs(env.admin, { assigned: 'inbox', bogus: 'email' })).toThrow(expect.objectContaining({ status: 400 }));
    expect(getPrefs(env.admin).assigned).toBe('email'); // the valid half of a refused change was not saved
    expect(() => getPrefs(null)).toThrow(expect.objectContaining({ status: 401 }));
  });
});

describe('a handover', () => {
  it('tells the successor once by e-mail, in their language, what they received and from whom', async () => {
    const leaverId = await createUser({ email: 'leaving@example.com', name: 'Lee Ving', password: 'a long enough password' });
    const p = project({ id: leaverId, email: 'leaving@example.com', name: 'Lee Ving', admin: false, locale: 'en' });
    for (const title of ['Handed on one', 'Handed on two']) await submitRequirement(env.bob, p, { title, category: 'feature' });
    const before = mailTo(env.zhang.email).length;
    handOver(env.admin, leaverId, { to: env.zhang.email, deactivate: true });
    const mails = await waitFor('the handover mail', () => mailTo(env.zhang.email).slice(before).filter((m) => m.subject.includes('交接')));
    await sleep(300); // and no second one
    expect(mailTo(env.zhang.email).slice(before).filter((m) => m.subject.includes('交接'))).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Lee Ving · 交接');
    expect(mails[0]!.text).toContain('将 Lee Ving 名下的事项交接给了你：未完成需求 2 项，项目 1 项');
    expect(mails[0]!.text).toContain('https://dossier.example.com/my');
  });
});

describe('the daily digest', () => {
  it('sends once a day the items of digest kinds, only those the person may still read when it is sent', async () => {
    process.env.DOSSIER_DIGEST_HOUR = '0';
    setPrefs(env.bob, { commented: 'digest' });
    const open = project(env.zhang);
    const closed = project(env.zhang);
    const a = await submitRequirement(env.zhang, open, { title: 'Kept in the digest', category: 'feature' });
    const b = await submitRequirement(env.zhang, closed, { title: 'Hidden from the digest', category: 'feature' });
    // Bob watches both (a commenter is not told of his own comment; zhang comments).
    setWatching(env.bob, a.key, true);
    setWatching(env.bob, b.key, true);
    commentOn(env.zhang, a.key, { comment: 'first remark' });
    commentOn(env.zhang, b.key, { comment: 'second remark' });
    expect(mailRows()).toHaveLength(0); // digest kinds are not mailed at once
    await stopLoop();
    expect(queueDigests()).toBe(1);
    expect(queueDigests()).toBe(0); // once a day
    setGrants(env.admin, closed.toLowerCase(), [{ user: env.zhang.email, role: 'admin' }]); // Bob loses the second project
    const before = mailTo(env.bob.email).length;
    startLoop();
    const [digest] = await waitFor('the digest', () => mailTo(env.bob.email).slice(before).filter((m) => m.subject.startsWith('Dossier:')));
    expect(digest!.subject).toBe('Dossier: 1 update since your last digest');
    expect(digest!.text).toContain(`${a.key} Kept in the digest`);
    expect(digest!.text).toContain('张敏 commented: “first remark”');
    expect(digest!.text).toContain(`https://dossier.example.com/p/${open}/${a.key}`);
    expect(digest!.raw).not.toContain('Hidden from the digest');
    expect(digest!.raw).not.toContain('second remark');
  });
});

it('a request that names no kinds changes nothing; an unauthenticated one is refused', async () => {
  expect(setPrefs(env.zhang, {})).toEqual(getPrefs(env.zhang));
  expect((await failure(() => setPrefs(null, {}))).status).toBe(401);
});
