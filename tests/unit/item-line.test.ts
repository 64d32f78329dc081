// What an inbox item (and its e-mail) says happened: field names in the reader's language.
import { describe, expect, it } from 'vitest';
import type { InboxItem } from '../../src/server/notify/inbox.ts';
import { itemLine } from '../../src/server/notify/item-line.ts';

describe('an inbox line', () => {
  it('names changed fields in the reader’s language, not by their keys', () => {
    const item: InboxItem = {
      id: 1, kind: 'changed', actor: { name: '钱力', email: 'qian.li@example.com' }, at: '2026-12-05T10:00:00.000Z', read: false,
      key: 'ATL-1', project: 'ATL', title: 'Export', status: 'submitted', href: '/p/ATL/ATL-1', fields: ['priority', 'due', 'assignee', 'viewers'],
    };
    expect(itemLine(item, 'zh-CN')).toBe('钱力 修改了 优先级、截止日期、处理人、可见人员');
    expect(itemLine(item, 'en')).toBe('钱力 changed Priority, Due, Assignee, Viewers');
  });

  it('gives the mover’s why with a move, when they gave one', () => {
    const item: InboxItem = {
      id: 2, kind: 'transitioned', actor: { name: '李客户', email: 'li@example.com' }, at: '2026-12-05T10:00:00.000Z', read: false,
      key: 'ATL-22', project: 'ATL', title: 'Login', status: 'in-progress', href: '/p/ATL/ATL-22', event: 'reopened',
      from: 'resolved', to: 'in-progress', fromName: { en: 'Resolved', zh: '已解决' }, toName: { en: 'In progress', zh: '处理中' }, comment: '手机上还是不行。',
    };
    expect(itemLine(item, 'zh-CN')).toBe('李客户 将状态从「已解决」改为「处理中」：手机上还是不行。');
    expect(itemLine({ ...item, comment: undefined }, 'en')).toBe('李客户 moved it from “Resolved” to “In progress”');
  });
});
