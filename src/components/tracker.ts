// Small helpers shared by the requirement tracker screens: names in the UI language, routing
// explanations, gates, and list URLs that keep the current filters.
import type { Lang, MessageKey } from '../i18n/index.ts';
import type { Gate } from '../server/projects/workflow.ts';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

export const localName = (lang: Lang, name: { en: string; zh: string }) => (lang === 'en' ? name.en : name.zh);

export const projectHref = (key: string, rest = '') => `/p/${encodeURIComponent(key)}${rest}`;
export const requirementHref = (key: string) => `/p/${encodeURIComponent(key.replace(/-\d+$/, ''))}/${encodeURIComponent(key)}`;
export { pageHref as pageLink } from '../server/markdown/href.ts';

function parseRoutedBy(routedBy: string) {
  const m = /^Rule (\d+) \((.*)\) → (group )?(.+)$/.exec(routedBy);
  return m ? { n: m[1]!, when: m[2]!, group: !!m[3], target: m[4]! } : null;
}

/** Why a requirement went where it went ("rule 2 (Category = Feature request)"), in the UI language. */
export function routedReason(t: T, routedBy: string, categoryName: (key: string) => string = (k) => k): string {
  if (routedBy.startsWith('No rule matched')) return t('tracker.routed.fallback');
  if (routedBy.startsWith('Assignee given in the imported')) return t('tracker.routed.imported');
  const m = parseRoutedBy(routedBy);
  if (!m) return routedBy;
  const when = m.when === 'everything' ? t('tracker.routed.everything')
    : m.when.split(', ').map((part) => part
      .replace(/^category = (.*)$/, (_, k: string) => `${t('tracker.field.category')} = ${categoryName(k)}`)
      .replace(/^tag = /, `${t('tracker.field.tag')} = `)).join(', ');
  return t('tracker.routed.rule', { n: m.n, when });
}

/** The stored routing note ("Rule 2 (category = issue) → group Support") in the UI language, with its target. */
export function routedByText(t: T, routedBy: string, categoryName?: (key: string) => string): string {
  if (routedBy.startsWith('No rule matched')) return t('tracker.routed.owner');
  const m = parseRoutedBy(routedBy);
  if (!m) return routedReason(t, routedBy, categoryName);
  return `${routedReason(t, routedBy, categoryName)} → ${m.group ? t('tracker.routed.group', { group: m.target }) : m.target}`;
}

export const gateText = (t: T, gate: Gate | string) => t(`tracker.gate.${gate}` as MessageKey);

export const priorityText = (t: T, p: string) => t(`tracker.priority.${p}` as MessageKey);

export const relationText = (t: T, r: string) => t(`tracker.relation.${r}` as MessageKey);

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
