// Routing rules: which user or group a new requirement goes to. First matching rule wins;
// a rule with neither category nor tag matches everything.
import { badInput } from '../errors.ts';

export interface RuleInput { category?: string | null; tag?: string | null; assignee?: string | null; group?: string | null }
export interface Rule { category: string | null; tag: string | null; assigneeId: number | null; groupId: number | null }

export function validateRules(input: unknown): RuleInput[] {
  if (!Array.isArray(input)) throw badInput('Send the rules as a JSON array');
  if (input.length > 100) throw badInput('At most 100 rules');
  return input.map((raw, i) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw badInput(`rule ${i + 1}: must be an object`);
    const r = raw as Record<string, unknown>;
    for (const field of ['category', 'tag', 'assignee', 'group'] as const) {
      if (r[field] !== undefined && r[field] !== null && (typeof r[field] !== 'string' || !(r[field] as string).trim() || (r[field] as string).length > 200)) {
        throw badInput(`rule ${i + 1}: ${field} must be a non-empty string`);
      }
    }
    const rule = { category: (r.category as string | undefined)?.trim() ?? null, tag: (r.tag as string | undefined)?.trim() ?? null, assignee: (r.assignee as string | undefined) ?? null, group: (r.group as string | undefined) ?? null };
    if (!rule.assignee === !rule.group) throw badInput(`rule ${i + 1}: give either an assignee (email) or a group`);
    return rule;
  });
}

/** Every rule matching the requirement's category and tags, in order, with its 1-based number. */
export function matchingRules<R extends Rule>(rules: R[], req: { category: string; tags: string[] }): { rule: R; number: number }[] {
  return rules.map((rule, i) => ({ rule, number: i + 1 }))
    .filter(({ rule: r }) => (r.category === null || r.category === req.category) && (r.tag === null || req.tags.includes(r.tag)));
}

/** The first rule matching the requirement's category and tags, with its 1-based number. */
export function matchRule<R extends Rule>(rules: R[], req: { category: string; tags: string[] }): { rule: R; number: number } | null {
  return matchingRules(rules, req)[0] ?? null;
}

/** A matching rule passed over because nobody active is behind it (its user left, its group is empty). */
export interface SkippedRule { rule: number; assignee: string | null; group: string | null; reason: 'inactive' | 'no-active-member' }

/** Why a requirement went where it went, kept with it (and shown in the UI language). */
export type RoutedBy =
  | { via: 'rule'; rule: number; category: string | null; tag: string | null; assignee: string | null; group: string | null; skipped?: SkippedRule[] }
  | { via: 'owner'; skipped?: SkippedRule[] }
  | { via: 'import' };

export function parseRoutedBy(stored: string): RoutedBy | null {
  try {
    const v = JSON.parse(stored) as RoutedBy;
    return v && typeof v === 'object' && 'via' in v ? v : null;
  } catch {
    return null;
  }
}
