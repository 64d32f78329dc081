// Small helpers shared by the requirement tracker screens: names in the UI language, routing
// explanations, gates, and list URLs that keep the current filters.
import type { Lang, MessageKey } from '../i18n/index.ts';
import type { RoutedBy } from '../server/projects/routing.ts';
import type { Gate } from '../server/projects/workflow.ts';
import type { EventKind } from '../server/requirements/events.ts';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

export const localName = (lang: Lang, name: { en: string; zh: string }) => (lang === 'en' ? name.en : name.zh);

export const projectHref = (key: string, rest = '') => `/p/${encodeURIComponent(key)}${rest}`;
export const requirementHref = (key: string) => `/p/${encodeURIComponent(key.replace(/-\d+$/, ''))}/${encodeURIComponent(key)}`;
export { pageHref as pageLink } from '../server/markdown/href.ts';

/** Why a requirement went where it went ("rule 2 (Category = Feature request)"), in the UI language. */
export function routedReason(t: T, routed: RoutedBy | null, categoryName: (key: string) => string = (k) => k): string {
  if (!routed || routed.via === 'owner') return t('tracker.routed.fallback');
  if (routed.via === 'import') return t('tracker.routed.imported');
  const when = [
    routed.category && `${t('tracker.field.category')} = ${categoryName(routed.category)}`,
    routed.tag && `${t('tracker.field.tag')} = ${routed.tag}`,
  ].filter(Boolean).join(', ') || t('tracker.routed.everything');
  return t('tracker.routed.rule', { n: routed.rule, when });
}

/** The routing with its target ("rule 1 (Category = Customer issue) → the queue of group Support"), after any rule skipped on the way. */
export function routedByText(t: T, routed: RoutedBy | null, categoryName?: (key: string) => string): string {
  const skipped = routed && 'skipped' in routed && routed.skipped
    ? routed.skipped.map((s) => `${t(`handover.skipped.${s.reason}`, { n: s.rule, who: s.assignee ?? s.group ?? '' })}; `).join('')
    : '';
  if (!routed || routed.via === 'owner') return skipped + t('tracker.routed.owner');
  if (routed.via === 'import') return t('tracker.routed.imported');
  return `${skipped}${routedReason(t, routed, categoryName)} → ${routed.group ? t('tracker.routed.group', { group: routed.group }) : routed.assignee}`;
}

export const gateText = (t: T, gate: Gate | string) => t(`tracker.gate.${gate}` as MessageKey);

export const priorityText = (t: T, p: string) => t(`tracker.priority.${p}` as MessageKey);

export const relationText = (t: T, r: string) => t(`tracker.relation.${r}` as MessageKey);
/** What a requirement event did, as the project overview's activity says it (typed: every kind has its words). */
export const eventText = (t: T, kind: EventKind) => t(`phases.event.${kind}`);

/** A list URL with the given filters changed (empty values removed). */
export function withParams(base: string, current: URLSearchParams, changes: Record<string, string | null>): string {
  const next = new URLSearchParams(current);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === '') next.delete(k);
    else next.set(k, v);
  }
  const qs = next.toString();
  return qs ? `${base}?${qs}` : base;
}

export const tagsFromField = (raw: string) => raw.split(/[,，]/).map((s) => s.trim()).filter(Boolean);
