// Routing rules: which user or group a new requirement goes to. First matching rule wins;
// a rule with neither category nor tag matches everything.
import { eq, inArray } from 'drizzle-orm';
import { groupMembers, groups, users } from '../../../db/schema.ts';
import { can, type SpaceRef } from '../access/index.ts';
import type { Db } from '../db.ts';
import { badInput, DomainError } from '../errors.ts';
import { hasTag, type TagAliases } from '../desk/tags.ts';

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

/**
 * Every rule matching the requirement's category and tags, in order, with its 1-based number. Tags
 * match regardless of case and width, and through the project's aliases (a rule on `login` takes 登录).
 */
export function matchingRules<R extends Rule>(rules: R[], req: { category: string; tags: string[] }, aliases: TagAliases = {}): { rule: R; number: number }[] {
  return rules.map((rule, i) => ({ rule, number: i + 1 }))
    .filter(({ rule: r }) => (r.category === null || r.category === req.category) && (r.tag === null || hasTag(aliases, req.tags, r.tag)));
}

/** The first rule matching the requirement's category and tags, with its 1-based number. */
export function matchRule<R extends Rule>(rules: R[], req: { category: string; tags: string[] }, aliases: TagAliases = {}): { rule: R; number: number } | null {
  return matchingRules(rules, req, aliases)[0] ?? null;
}

/** A matching rule passed over because nobody active is behind it (its user left, its group is empty). */
export interface SkippedRule { rule: number; assignee: string | null; group: string | null; reason: 'inactive' | 'no-active-member' }
/**
 * A rule must send work to someone who can act on it: a person who can edit the project's space,
 * or a group whose every active member can (an empty group cannot). Else 422 naming the rule and why.
 */
export function assertRuleTargetsCanEdit(tx: Db, space: SpaceRef & { key: string }, rules: { assigneeId: number | null; groupId: number | null }[]): void {
  const canEdit = (u: { id: number; email: string; name: string; admin: boolean }) => can({ ...u, locale: null }, 'edit', space);
  rules.forEach((rule, i) => {
    const refuse = (why: string) => new DomainError(422, `rule ${i + 1}: ${why}`, { rule: i + 1, reason: why });
    if (rule.assigneeId !== null) {
      const user = tx.select({ id: users.id, email: users.email, name: users.name, admin: users.admin }).from(users).where(eq(users.id, rule.assigneeId)).get()!;
      if (!canEdit(user)) throw refuse(`${user.email} cannot edit space "${space.key}", so could not work on what the rule sends; grant them the editor role first`);
      return;
    }
    const group = tx.select({ name: groups.name }).from(groups).where(eq(groups.id, rule.groupId!)).get()!;
    const memberIds = tx.select({ id: groupMembers.userId }).from(groupMembers).where(eq(groupMembers.groupId, rule.groupId!)).all().map((m) => m.id);
    const members = memberIds.length ? tx.select({ id: users.id, email: users.email, name: users.name, admin: users.admin, active: users.active }).from(users)
      .where(inArray(users.id, memberIds)).all().filter((u) => u.active) : [];
    if (members.length === 0) throw refuse(`group "${group.name}" has no active members to take what the rule sends`);
    const cannot = members.filter((u) => !canEdit(u)).map((u) => u.email);
    if (cannot.length) throw refuse(`group "${group.name}" cannot edit space "${space.key}" (${cannot.slice(0, 5).join(', ')}${cannot.length > 5 ? ', …' : ''} may only read); grant the group the editor role first`);
  });
}

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
