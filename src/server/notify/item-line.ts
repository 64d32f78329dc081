// What an inbox item says happened, in the reader's language: one line shared by the inbox page
// and e-mail (src/server/mail/compose.ts).
import { translator, type Lang, type MessageKey } from '../../i18n/index.ts';
import { fieldName } from '../../i18n/field-name.ts';
import type { InboxItem } from './inbox.ts';

export function itemLine(item: InboxItem, lang: Lang): string {
  const t = translator(lang);
  const name = (n: { en: string; zh: string } | undefined, fallback = '') => (n ? (lang === 'zh-CN' ? n.zh : n.en) : fallback);
  const actor = item.actor?.name ?? t('inbox.someone');
  if (item.hidden) return t('inbox.what.hidden', { actor });
  const comment = (item.comment ?? '').length > 140 ? `${item.comment!.slice(0, 140)}…` : item.comment ?? '';
  switch (item.kind) {
    case 'assigned': return t(item.event === 'created' ? 'inbox.what.assignedNew' : 'inbox.what.assigned', { actor });
    // With the mover's why when they gave one (a rejection's reason, a reopened resolution's "still wrong").
    case 'transitioned': {
      const moves = item.moves ?? 1;
      return t(comment ? 'inbox.what.transitionedWhy' : moves > 1 ? 'inbox.what.transitionedMany' : 'inbox.what.transitioned', { actor, from: name(item.fromName, item.from), to: name(item.toName, item.to), comment, n: moves });
    }
    case 'changed': return item.event === 'edited' ? t('inbox.what.edited', { actor }) : t('inbox.what.changed', { actor, fields: (item.fields ?? []).map((f) => fieldName(t, f)).join(lang === 'zh-CN' ? '、' : ', ') });
    case 'commented': return t('inbox.what.commented', { actor, comment });
    case 'mentioned':
      if (item.event !== 'mentioned') return t('inbox.what.mentioned', { actor, comment });
      return item.pageTitle === undefined ? t('inbox.what.mentionedHiddenPage', { actor }) : t('inbox.what.mentionedPage', { actor, page: item.pageTitle });
    case 'nudged': return comment ? t('inbox.what.nudgedWhy', { actor, comment }) : t('inbox.what.nudged', { actor });
    case 'due-soon': case 'overdue': return t(`inbox.what.${item.kind}`, { due: item.due ?? '' });
    case 'escalated': return t(item.deadline === 'response' ? 'inbox.what.escalated.response' : 'inbox.what.escalated.resolve');
    case 'page-changed':
      if (item.fromRev === 0) return t('inbox.what.page-created', { actor });
      return (item.saves ?? 1) > 1 ? t('inbox.what.page-changedMany', { actor, n: item.saves! }) : t('inbox.what.page-changed', { actor });
    case 'page-review-soon': case 'page-review-overdue': return t(`inbox.what.${item.kind}`, { due: item.due ?? '' });
    case 'handover': {
      const counts = Object.entries(item.handover?.received ?? {}).map(([kind, n]) => t('successor.count', { kind: t(`successor.kind.${kind}` as MessageKey), n }));
      return t('inbox.what.handover', { actor, from: item.handover?.from.name ?? '', counts: counts.join(lang === 'zh-CN' ? '，' : ', ') });
    }
    case 'page-commented': case 'page-mentioned':
      return item.comment === undefined ? t('inbox.what.page-commentGone', { actor }) : t(`inbox.what.${item.kind}`, { actor, comment });
  }
}
