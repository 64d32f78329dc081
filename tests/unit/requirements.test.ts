import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/server/markdown/render.ts';
import { scanRequirementKeys } from '../../src/server/markdown/requirement-keys.ts';
import { matchRule } from '../../src/server/projects/routing.ts';
import { CategorySchema, DEFAULT_CATEGORIES, nextStates } from '../../src/server/projects/workflow.ts';

const render = (md: string) => renderMarkdown(md, { space: 's' });

describe('requirement keys in Markdown', () => {
  // Whether PAY exists, and for whom, is decided when the page is shown (html-for-viewer.ts).
  it('marks every key-shaped word, known project or not, outside code and links', () => {
    const r = render('See PAY-12 and ATL2-3. UTF-8, XPAY-1, PAY-1-2, PAY-0, `PAY-4`, [PAY-5](x), **PAY-7**\n\n```\nPAY-8\n```');
    expect(r.mentions).toEqual(['PAY-12', 'ATL2-3', 'UTF-8', 'XPAY-1', 'PAY-7']);
    expect(r.html).toContain('<a href="/p/UTF/UTF-8" class="req-ref" data-req="UTF-8">UTF-8</a>');
    expect(r.html).toContain('<a href="/p/PAY/PAY-12" class="req-ref" data-req="PAY-12">PAY-12</a>');
    expect(r.html).toContain('<code>PAY-4</code>');
    expect(r.html).not.toContain('data-req="PAY-8"');
  });

  it('finds keys beside Chinese text', () => {
    expect(scanRequirementKeys('需求PAY-12已完成，见PAY-13。').map((m) => m.key)).toEqual(['PAY-12', 'PAY-13']);
  });

  it('keeps a hand-written data-req only when it is a key, and never a script', () => {
    const r = render('<a class="req-ref" data-req="x&quot; onmouseover=alert(1)" href="javascript:alert(1)">PAY</a>');
    expect(r.html).not.toMatch(/onmouseover|javascript:|data-req/);
  });
});

describe('workflows', () => {
  it('ships valid default workflows', () => {
    for (const c of DEFAULT_CATEGORIES) expect(CategorySchema.safeParse(c).success).toBe(true);
  });

  it('lists next states with unmet gates', () => {
    const feature = DEFAULT_CATEGORIES[0]!;
    const facts = { relations: new Set<string>(), hasAssignee: true, comment: '' };
    expect(nextStates(feature, 'in-progress', facts)).toEqual([{ to: 'in-review', name: { en: 'In review', zh: '评审中' }, requires: ['review'], unmet: ['review'] }]);
    expect(nextStates(feature, 'in-progress', { ...facts, relations: new Set(['review']) })[0]!.unmet).toEqual([]);
    expect(nextStates(feature, 'done', facts)).toEqual([]);
  });

  it('rejects workflows with unknown states, no done state or duplicate keys', () => {
    const base = DEFAULT_CATEGORIES[2]!;
    expect(CategorySchema.safeParse({ ...base, transitions: [{ from: 'open', to: 'nowhere' }] }).success).toBe(false);
    expect(CategorySchema.safeParse({ ...base, states: base.states.map((s) => ({ ...s, done: false })) }).success).toBe(false);
    expect(CategorySchema.safeParse({ ...base, states: [...base.states, base.states[0]] }).success).toBe(false);
    expect(CategorySchema.safeParse({ ...base, key: 'Bad Key' }).success).toBe(false);
  });

  it('takes a declined state only as a done one, and ships Rejected as declined', () => {
    const base = DEFAULT_CATEGORIES[2]!;
    const declining = (done: boolean) => CategorySchema.safeParse({ ...base, states: base.states.map((s) => (s.key === 'closed' ? { ...s, done, declined: true } : s)) });
    expect(declining(true).success).toBe(true);
    expect(declining(false).error?.issues.map((i) => i.message)).toContain('category issue: declined state "closed" must also count as done (it closes the requirement)');
    expect(DEFAULT_CATEGORIES.flatMap((c) => c.states.filter((s) => s.declined).map((s) => `${c.key}/${s.key}`))).toEqual(['feature/rejected', 'change/rejected']);
  });
});

describe('routing rules', () => {
  const rules = [
    { category: 'issue', tag: 'vip', assigneeId: 1, groupId: null },
    { category: 'issue', tag: null, assigneeId: null, groupId: 7 },
    { category: null, tag: 'checkout', assigneeId: 2, groupId: null },
  ];
  it('takes the first rule that matches category and tag', () => {
    expect(matchRule(rules, { category: 'issue', tags: ['vip'] })?.number).toBe(1);
    expect(matchRule(rules, { category: 'issue', tags: [] })?.number).toBe(2);
    expect(matchRule(rules, { category: 'feature', tags: ['checkout'] })?.number).toBe(3);
    expect(matchRule(rules, { category: 'feature', tags: [] })).toBeNull();
  });
});
