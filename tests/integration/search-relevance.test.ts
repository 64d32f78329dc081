// Relevance against the real Meilisearch: stop words, space weight and reference ordering,
// synonyms in both directions, did-you-mean, and odd queries.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { updateSpace } from '../../src/server/admin/spaces.ts';
import { setSpaceArchived } from '../../src/server/archive/archive.ts';
import { write } from '../../src/server/db.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { createProject, setCategories } from '../../src/server/projects/projects.ts';
import { applySettings } from '../../src/server/search/client.ts';
import { drainOutbox } from '../../src/server/search/indexer.ts';
import { search } from '../../src/server/search/query.ts';
import { getSynonyms, setSynonyms } from '../../src/server/search/synonyms.ts';
import { upsertSpace } from '../../src/server/spaces/spaces.ts';
import { failure, freshEnvironment } from './setup-env.ts';

let admin: Viewer;
let member: Viewer;
beforeAll(async () => {
  ({ admin, member } = await freshEnvironment('relevance'));
  write((tx) => upsertSpace(tx, { key: 'secret', name: 'Secret', kind: 'general', visibility: 'restricted' }));
  // The same page in two spaces: only weights can order them.
  for (const space of ['eng', 'hr']) {
    await savePage(admin, { space, path: 'badge', title: 'Office badge', markdown: 'Collect your office badge at the front desk on your first day.' });
  }
  await savePage(admin, { space: 'eng', path: 'vpn', title: 'Connecting to the VPN', markdown: 'Install WireGuard and import the configuration.' });
  await savePage(admin, { space: 'eng', path: 'git', title: 'Git commit conventions', markdown: 'Write the subject in the imperative.' });
  await savePage(admin, { space: 'eng', path: 'ns', title: 'Namespace rules', markdown: 'Each team owns one namespace.' });
  await savePage(admin, { space: 'eng', path: 'travel', title: 'Travel and expenses policy', markdown: 'Claim reimbursement within 30 days of your trip, with receipts.' });
  await savePage(admin, { space: 'hr', path: 'leave', title: '请假流程', markdown: '员工请假需要提前三天在系统中提交申请。' });
  await savePage(admin, { space: 'eng', path: 'accounts', title: '账号与密码', markdown: '每位员工入职时都会获得一个账号。' });
  await savePage(admin, { space: 'eng', path: 'onboarding', title: 'Onboarding checklist', markdown: 'Your first two weeks: collect your badge, set up your laptop, meet your buddy.' });
  await savePage(admin, { space: 'secret', path: 'deploy', title: '部署指南', markdown: '发布前先在预发环境验证。' });
  await savePage(admin, { space: 'eng', path: 'zorblat-en', title: 'Zorblat policy', markdown: 'The zorblat rules for everyone.' });
  await savePage(admin, { space: 'eng', path: 'zorblat-zh', title: 'Zorblat 制度', markdown: 'zorblat 规则，适用于所有人。' });
  // A task description's answer that lacks its first and its rarest word (关掉, 程序), and pages that share only one word each.
  await savePage(admin, { space: 'eng', path: 'nohup', title: 'nohup', markdown: '允许进程在终端关闭后继续运行。\n\n在后台模式下启动一个进程。' });
  await savePage(admin, { space: 'eng', path: 'term', title: '终端设置', markdown: '终端的字体和颜色，后台的主题。' });
  await savePage(admin, { space: 'eng', path: 'run', title: '运行手册', markdown: '服务继续运行的检查。' });
  await savePage(admin, { space: 'eng', path: 'prog', title: '程序设计规范', markdown: '程序的命名规则。' });
  await savePage(admin, { space: 'eng', path: 'quux', title: 'Quuxly', markdown: 'A quuxly thing.' });
  await savePage(admin, { space: 'secret', path: 'k8s', title: 'Kubernetes cluster', markdown: 'Only for the platform team.' });
  // A command reference in the tldr way (the option's letter marked inside its word), and a page
  // with both words of "tar extract" side by side in its title and first line.
  await savePage(admin, { space: 'eng', path: 'tar', title: 'tar', markdown: 'Archiving utility.\n\n- [c]reate an archive:\n\n`tar cf target.tar file1`\n\n- E[x]tract an archive in the current directory:\n\n`tar xf source.tar`' });
  await savePage(admin, { space: 'eng', path: 'git-tar-id', title: 'git tar-commit-id', markdown: 'Extract the commit ID from an archive made with git archive.' });
  await drainOutbox();
});

const keys = async (viewer: Viewer, q: string) => (await search(viewer, { q })).hits.map((h) => `${h.space}/${h.path}`);

describe('stop words', () => {
  it('lets Chinese and English question and filler words stop deciding the match', async () => {
    expect(await keys(admin, '怎么查看一下请假')).toContain('hr/leave');
    expect((await keys(admin, 'how do I get my office badge'))[0]).toMatch(/\/badge$/);
    // A query of filler only finds nothing rather than everything.
    expect(await keys(admin, '怎么 一下 的')).toEqual([]);
  });
});

describe('task descriptions', () => {
  it('find pages that hold most of the words, though not the rarest', async () => {
    // Meilisearch's frequency strategy keeps "quuxly" (one page has it); the badge pages hold the other three words.
    expect((await keys(admin, 'collect office badge quuxly')).slice(0, 3)).toEqual(expect.arrayContaining(['eng/badge', 'hr/badge']));
  });


  it('find the page that covers most of the words, though it lacks the first and the rarest', async () => {
    const res = await search(admin, { q: '关掉终端后让程序继续在后台运行' });
    expect(res.hits.map((h) => `${h.space}/${h.path}`)[0]).toBe('eng/nohup');
    expect(res.total).toBeGreaterThanOrEqual(res.hits.length);
    // Page two of the same search neither fails nor repeats the first page's hits.
    const next = await search(admin, { q: '关掉终端后让程序继续在后台运行', offset: 20 });
    expect(next.hits).toEqual([]);
  });
});

describe('command references', () => {
  it('find a word whose option letter is marked in brackets, and put the page the query names first', async () => {
    expect(await keys(admin, 'extract archive')).toContain('eng/tar');
    expect((await keys(admin, 'tar extract'))[0]).toBe('eng/tar');
    expect((await search(admin, { q: 'create archive' })).hits.find((h) => h.path === 'tar')?.snippet).toContain('<mark>create</mark>');
  });
});

describe('space weight and reference collections', () => {
  it('orders results of equal relevance by space weight, and reference spaces below', async () => {
    updateSpace(admin, 'hr', { searchWeight: 2 });
    expect((await keys(admin, 'office badge')).slice(0, 2)).toEqual(['hr/badge', 'eng/badge']);
    updateSpace(admin, 'hr', { searchWeight: 1, reference: true });
    expect((await keys(admin, 'office badge')).slice(0, 2)).toEqual(['eng/badge', 'hr/badge']);
    updateSpace(admin, 'hr', { reference: false });
    updateSpace(admin, 'eng', { searchWeight: 0.5 });
    expect((await keys(admin, 'office badge')).slice(0, 2)).toEqual(['hr/badge', 'eng/badge']);
    updateSpace(admin, 'eng', { searchWeight: 1 });
  });

  it('refuses weights out of range with 400 and changes nothing', async () => {
    expect((await failure(() => updateSpace(admin, 'eng', { searchWeight: 5 }))).status).toBe(400);
    expect((await failure(() => updateSpace(admin, 'eng', { searchWeight: Number.NaN }))).status).toBe(400);
    expect((await failure(() => updateSpace(member, 'eng', { searchWeight: 2 }))).status).toBe(403);
  });
});

describe("the reader's language", () => {
  it('ranks the page in the language of the query first when both answer alike', async () => {
    expect((await keys(admin, 'zorblat')).slice(0, 2)).toEqual(['eng/zorblat-en', 'eng/zorblat-zh']);
    expect((await keys(admin, 'zorblat 规则')).slice(0, 2)).toEqual(['eng/zorblat-zh', 'eng/zorblat-en']);
    // A reader who chose Chinese, typing a word of no language: no preference (the shorter title first).
    expect((await keys({ ...admin, locale: 'zh-CN' }, 'zorblat')).slice(0, 2)).toEqual(['eng/zorblat-zh', 'eng/zorblat-en']);
  });
});

describe('synonyms', () => {
  it('find each other in both directions, across languages, and say which matched', async () => {
    expect(await keys(admin, '报销')).not.toContain('eng/travel');
    await setSynonyms(admin, [['报销', 'Reimbursement', 'expenses'], ['请假', 'leave']]);
    expect(getSynonyms(admin)).toEqual([['报销', 'reimbursement', 'expenses'], ['请假', 'leave']]);
    const zh = await search(admin, { q: '报销' });
    const travel = zh.hits.find((h) => h.path === 'travel');
    expect(travel).toBeDefined();
    expect(travel!.synonyms).toContainEqual({ from: '报销', to: 'reimbursement' });
    expect(travel!.snippet).toContain('<mark>reimbursement</mark>');
    const en = await search(admin, { q: 'leave' });
    expect(en.hits.map((h) => h.path)).toContain('leave');
    expect(en.hits.find((h) => h.path === 'leave')!.synonyms).toEqual([{ from: 'leave', to: '请假' }]);
  });

  it('keep a Chinese word the segmenter would cut apart whole, so its synonym counts as much as the word', async () => {
    // 入职 is cut into 入 职; joined back, Meilisearch ranked the pair's synonym as a typo, below
    // a page with 入职 once in its body. As a dictionary word, the title match comes first.
    await setSynonyms(admin, [['入职', 'onboarding']]);
    expect((await keys(admin, '入职')).slice(0, 2)).toEqual(['eng/onboarding', 'eng/accounts']);
    expect((await search(admin, { q: '入职' })).hits[0]!.synonyms).toEqual([{ from: '入职', to: 'onboarding' }]);
    // Gone from the list, the word is cut apart again: the page that has it literally is first.
    await setSynonyms(admin, [['报销', 'reimbursement']]);
    expect(await keys(admin, '入职')).toEqual(['eng/accounts']);
  });

  it('link a hit to the section its match is in, when short sections share one search document', async () => {
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `Line ${i} of ordinary guidance about mail clients.`).join('\n');
    const markdown = `## Mail clients\n\n${filler(40)}\n\n## Calendar etiquette\n\nKeep your working hours set.\n\n## Spotting phishing\n\nUse the Report button on a gloxinia message.\n`;
    await savePage(admin, { space: 'eng', path: 'mail', title: 'Email and calendar', markdown });
    await drainOutbox();
    const hit = (await search(admin, { q: 'gloxinia' })).hits.find((h) => h.path === 'mail')!;
    expect(hit.href).toBe('/s/eng/mail#spotting-phishing');
    expect((await search(admin, { q: 'working hours' })).hits.find((h) => h.path === 'mail')!.anchor).toBe('calendar-etiquette');
  });

  it('keep whole a Chinese word that our segmenter keeps but Meilisearch\'s cuts apart', async () => {
    // 打印机 is one word for @node-rs/jieba and 打印 + 机 for Meilisearch: the English page titled
    // with its synonym came below one that says 打印机 once in its body.
    await savePage(admin, { space: 'eng', path: 'printers', title: 'Printers', markdown: 'Every floor has a printer by the lifts.' });
    await savePage(admin, { space: 'eng', path: 'it-faq', title: '常见问题', markdown: '新电脑怎么领取？见笔记本申领。会议室的打印机坏了请报修。' });
    await drainOutbox();
    await setSynonyms(admin, [['打印机', 'printer', 'printers']]);
    expect((await keys(admin, '打印机')).slice(0, 2)).toEqual(['eng/printers', 'eng/it-faq']);
    await setSynonyms(admin, [['报销', 'reimbursement']]);
  });

  it('refuse bad lists with 400 and keep the old one', async () => {
    const before = getSynonyms(admin);
    const huge = Array.from({ length: 10_000 }, (_, i) => [`w${i}`, `v${i}`]);
    expect((await failure(() => setSynonyms(admin, huge))).status).toBe(400);
    expect((await failure(() => setSynonyms(admin, [['alone']]))).status).toBe(400);
    expect((await failure(() => setSynonyms(admin, [Array.from({ length: 50 }, (_, i) => `x${i}`)]))).status).toBe(400);
    expect((await failure(() => setSynonyms(admin, [['a"b', 'c']]))).status).toBe(400);
    expect((await failure(() => setSynonyms(admin, 'nope'))).status).toBe(400);
    expect((await failure(() => setSynonyms(member, [['a', 'b']]))).status).toBe(403);
    expect(getSynonyms(admin)).toEqual(before);
  });

  it('do not fail when Meilisearch takes long to apply them; refused settings do fail', async () => {
    const logged: string[] = [];
    await applySettings({ dictionary: ['测试用词'] }, { waitMs: 1, log: (m) => logged.push(m) });
    expect(logged).toEqual([expect.stringMatching(/still being applied/)]);
    await expect(applySettings({ rankingRules: ['nonsense'] }, { waitMs: 5_000 })).rejects.toThrow(/ranking rule/i);
  });

  it('accept a cycle and a word in two groups', async () => {
    await setSynonyms(admin, [['a1', 'b1'], ['b1', 'c1'], ['c1', 'a1'], ['报销', 'reimbursement']]);
    expect((await search(admin, { q: 'b1' })).hits).toEqual([]);
    expect(await keys(admin, '报销')).toContain('eng/travel');
  });
});

describe('did you mean', () => {
  it('suggests from title and heading words, joining and splitting words, and shows the suggestion when nothing matched', async () => {
    const vnp = await search(admin, { q: 'vnp' });
    expect(vnp.suggestion).toBe('vpn');
    expect(vnp.suggestionApplied).toBe(true);
    expect(vnp.hits.map((h) => h.path)).toContain('vpn');
    expect((await search(admin, { q: 'gti comit' })).suggestion).toBe('git commit');
    expect((await search(admin, { q: 'name space' })).suggestion).toBe('namespace');
    expect((await search(admin, { q: 'namespace' })).suggestion).toBeNull();
    // A stray letter typed first changes both first letters: still one edit away.
    expect((await search(admin, { q: 'xvpn' })).suggestion).toBe('vpn');
  });

  it('suggests a word of the synonym list, by which a page in another language is found, as soon as the list has it', async () => {
    expect((await search(admin, { q: 'vacaton' })).suggestion).toBeNull();
    await setSynonyms(admin, [['报销', 'reimbursement'], ['请假', 'vacation']]);
    const typo = await search(admin, { q: 'vacaton' });
    expect([typo.suggestion, typo.suggestionApplied]).toEqual(['vacation', true]);
    expect(typo.hits.map((h) => h.path)).toContain('leave'); // 请假流程
    expect((await search(member, { q: 'vacaton' })).suggestion).toBe('vacation'); // the list is the site's, for every reader
    await setSynonyms(admin, [['报销', 'reimbursement']]);
    expect((await search(admin, { q: 'vacaton' })).suggestion).toBeNull();
  });

  it('never suggests a word from a space the reader cannot read', async () => {
    expect((await search(admin, { q: 'kubernetse' })).suggestion).toBe('kubernetes');
    expect((await search(member, { q: 'kubernetse' })).suggestion).toBeNull();
    expect((await search(admin, { q: '怎么部暑' })).suggestion).toBe('怎么部署');
    expect((await search(member, { q: '怎么部暑' })).suggestion).toBeNull();
  });

  it('corrects a Chinese word typed with characters that read the same (an input method\'s typo)', async () => {
    const typo = await search(admin, { q: '帐号' });
    expect(typo.suggestion).toBe('账号');
    expect(typo.suggestionApplied).toBe(true);
    expect(typo.hits.map((h) => h.path)).toContain('accounts');
    expect((await search(admin, { q: '部暑' })).suggestion).toBe('部署'); // cut into 部 暑 by the segmenter
    expect((await search(admin, { q: '账号' })).suggestion).toBeNull();
  });
});

describe('hits that help decide', () => {
  it('say when the page was last edited and by whom', async () => {
    const hit = (await search(admin, { q: 'wireguard' })).hits.find((h) => h.path === 'vpn')!;
    expect(hit.updatedBy).toBe('Ada Admin');
    expect(Math.abs(hit.updatedAt - Date.now())).toBeLessThan(10 * 60_000);
  });
});

describe('filters', () => {
  it('narrows to a kind of space, refusing an unknown kind with 400', async () => {
    expect((await search(admin, { q: 'office badge', kind: 'policy' })).hits.map((h) => h.space)).toEqual(['hr']);
    expect((await search(admin, { q: 'office badge', kind: 'guide' })).hits.map((h) => h.space)).toEqual(['eng']);
    expect((await failure(() => search(admin, { q: 'x', kind: 'nope' }))).status).toBe(400);
  });

  it("refuses a status that no workflow the reader may read has, as if no project had it", async () => {
    createProject(admin, { key: 'LEGAL', name: 'Legal', owner: admin.email, visibility: 'restricted' });
    setCategories(admin, 'LEGAL', [{
      key: 'contract', name: { en: 'Contract', zh: '合同' }, initial: 'drafting',
      states: [{ key: 'drafting', name: { en: 'Drafting', zh: '起草' } }, { key: 'counsel-review', name: { en: 'Counsel review', zh: '法务审核' }, done: true }],
      transitions: [{ from: 'drafting', to: 'counsel-review' }],
    }]);
    expect((await search(admin, { q: 'x', status: 'counsel-review' })).hits).toEqual([]);
    const unknown = await failure(() => search(member, { q: 'x', status: 'no-such-state' }));
    const hidden = await failure(() => search(member, { q: 'x', status: 'counsel-review' }));
    expect([hidden.status, hidden.message.replace('counsel-review', 'no-such-state')]).toEqual([400, unknown.message]);
  });

  it('leaves archived spaces out unless asked to include them', async () => {
    await savePage(admin, { space: 'secret', path: 'old', title: 'Quagga retrospective', markdown: 'What we learned.' });
    setSpaceArchived(admin, 'secret', true); // read-only from now on, and left out of search at once
    await drainOutbox();
    expect((await search(admin, { q: 'quagga' })).hits).toEqual([]);
    expect((await search(admin, { q: 'quagga', archived: true })).hits.map((h) => h.path)).toEqual(['old']);
  });
});

describe('odd queries', () => {
  it('answer sanely and quickly', async () => {
    for (const q of ['的'.repeat(500), '?!…「」', 'v\u200dp\u200dn', '🔒 vpn', '\u202evpn\u202c', '"vpn', '-vpn', 'vpn AND NOT git', 'a'.repeat(200)]) {
      const t0 = performance.now();
      const res = await search(admin, { q });
      expect(res.hits).toBeInstanceOf(Array);
      expect(performance.now() - t0).toBeLessThan(500);
    }
  });

  it('read through invisible characters, and find nothing in punctuation alone', async () => {
    const paths = async (q: string) => (await search(admin, { q })).hits.map((h) => h.path);
    const vpn = await paths('vpn');
    expect(vpn).toContain('vpn');
    expect(await paths('v\u200dp\u200dn')).toEqual(vpn); // zero-width joiners
    expect(await paths('\u202evpn\u202c')).toEqual(vpn); // a right-to-left override
    expect(await paths('V\u00adP\ufeffN')).toEqual(vpn); // a soft hyphen, a byte-order mark
    // Meilisearch answers a query with no word in it with every document.
    for (const q of ['?!…「」', '"', '-', '*', '%', '，。！']) expect((await search(admin, { q })).total).toBe(0);
  });
});
