// Categories and their workflows: the defaults every project starts with, validation of an
// edited workflow, and the transition rules (allowed moves and their gates). Pure functions.
import { z } from 'astro/zod';

export const RELATIONS = ['plan', 'spec', 'review', 'retro'] as const;
export type Relation = (typeof RELATIONS)[number];
/** What a transition may require: a linked page of a relation, an assignee, or a comment saying why. */
export const GATES = [...RELATIONS, 'assignee', 'comment'] as const;
export type Gate = (typeof GATES)[number];

const KEY = /^[a-z][a-z0-9-]{0,31}$/;
const Name = z.object({ en: z.string().trim().min(1).max(40), zh: z.string().trim().min(1).max(40) });
const State = z.object({
  key: z.string().regex(KEY, 'a state key is a-z, 0-9 and "-", starting with a letter'),
  name: Name,
  /** Counts as finished: closes the requirement, stops due reminders. */
  done: z.boolean().optional(),
  /** Finished without the work being delivered (rejected, won't do): not counted in "done" and on-time figures. */
  declined: z.boolean().optional(),
  /** Entering it means the requirement is agreed: later description edits are flagged as changes. */
  agreed: z.boolean().optional(),
  /** Desk: the work is resolved (the reporter may confirm or reopen) though not yet done; see src/server/desk/resolution.ts. */
  resolved: z.boolean().optional(),
});
const Transition = z.object({ from: z.string(), to: z.string(), requires: z.array(z.enum(GATES)).max(6).optional() });
export const CategorySchema = z.object({
  key: z.string().regex(KEY, 'a category key is a-z, 0-9 and "-", starting with a letter'),
  name: Name,
  initial: z.string(),
  states: z.array(State).min(2).max(20),
  transitions: z.array(Transition).min(1).max(100),
  /** Its requirements are seen only by the people involved (src/server/access/index.ts). */
  restricted: z.boolean().optional(),
}).superRefine((c, ctx) => {
  const keys = new Set(c.states.map((s) => s.key));
  if (keys.size !== c.states.length) ctx.addIssue({ code: 'custom', message: `category ${c.key}: state keys must be unique` });
  if (!keys.has(c.initial)) ctx.addIssue({ code: 'custom', message: `category ${c.key}: initial state "${c.initial}" is not one of its states` });
  if (!c.states.some((s) => s.done)) ctx.addIssue({ code: 'custom', message: `category ${c.key}: at least one state must count as done` });
  for (const t of c.transitions) {
    for (const end of [t.from, t.to]) {
      if (!keys.has(end)) ctx.addIssue({ code: 'custom', message: `category ${c.key}: transition ${t.from} → ${t.to} names an unknown state "${end}"` });
    }
    if (t.from === t.to) ctx.addIssue({ code: 'custom', message: `category ${c.key}: transition ${t.from} → ${t.to} goes nowhere` });
  }
  for (const st of c.states.filter((s) => s.declined && !s.done)) {
    ctx.addIssue({ code: 'custom', message: `category ${c.key}: declined state "${st.key}" must also count as done (it closes the requirement)` });
  }
  const done = new Set(c.states.filter((s) => s.done).map((s) => s.key));
  for (const st of c.states.filter((s) => s.resolved && !s.done)) {
    if (!c.transitions.some((t) => t.from === st.key && done.has(t.to))) {
      ctx.addIssue({ code: 'custom', message: `category ${c.key}: resolved state "${st.key}" needs a transition to a done state (where a confirmed resolution goes)` });
    }
  }
});
export type Category = z.infer<typeof CategorySchema>;
export type WorkflowState = Category['states'][number];

const s = (key: string, en: string, zh: string, flags: { done?: boolean; declined?: boolean; agreed?: boolean; resolved?: boolean } = {}): WorkflowState => ({ key, name: { en, zh }, ...flags });
const t = (from: string, to: string, ...requires: Gate[]) => (requires.length ? { from, to, requires } : { from, to });

/** Every new project starts with these three. */
export const DEFAULT_CATEGORIES: Category[] = [
  {
    key: 'feature', name: { en: 'Feature request', zh: '需求' }, initial: 'submitted',
    states: [
      s('submitted', 'Submitted', '已提交'), s('approved', 'Approved', '已批准', { agreed: true }),
      s('in-progress', 'In progress', '开发中'), s('in-review', 'In review', '评审中'),
      s('done', 'Done', '已完成', { done: true }), s('rejected', 'Rejected', '已拒绝', { done: true, declined: true }),
    ],
    transitions: [
      t('submitted', 'approved'), t('submitted', 'rejected', 'comment'),
      t('approved', 'in-progress', 'assignee'), t('approved', 'rejected', 'comment'),
      t('in-progress', 'in-review', 'review'), t('in-review', 'in-progress', 'comment'), t('in-review', 'done'),
      t('rejected', 'submitted', 'comment'),
    ],
  },
  {
    key: 'change', name: { en: 'Change request', zh: '变更' }, initial: 'submitted',
    states: [
      s('submitted', 'Submitted', '已提交'), s('assessing', 'Assessing impact', '影响评估'),
      s('approved', 'Approved', '已批准', { agreed: true }), s('implementing', 'Implementing', '实施中'),
      s('verified', 'Verified', '已验证', { done: true }), s('rejected', 'Rejected', '已拒绝', { done: true, declined: true }),
    ],
    transitions: [
      t('submitted', 'assessing'), t('assessing', 'approved', 'spec'), t('assessing', 'rejected', 'comment'),
      t('approved', 'implementing', 'assignee'), t('implementing', 'verified'), t('implementing', 'assessing', 'comment'),
    ],
  },
  {
    key: 'issue', name: { en: 'Customer issue', zh: '问题' }, initial: 'open',
    states: [
      s('open', 'Open', '待处理'), s('in-progress', 'In progress', '处理中'),
      s('resolved', 'Resolved', '已解决', { resolved: true }), s('closed', 'Closed', '已关闭', { done: true }),
    ],
    transitions: [
      t('open', 'in-progress', 'assignee'), t('open', 'closed', 'comment'), t('in-progress', 'resolved'),
      t('resolved', 'closed'), t('resolved', 'in-progress', 'comment'), t('closed', 'open', 'comment'),
    ],
  },
];

export function stateOf(category: Category, key: string): WorkflowState | undefined {
  return category.states.find((st) => st.key === key);
}

export interface Facts {
  relations: ReadonlySet<string>;
  hasAssignee: boolean;
  comment: string;
}

export interface NextState { to: string; name: { en: string; zh: string }; requires: Gate[]; unmet: Gate[] }

/** Every state reachable from `from`, with the gates each one requires and which are unmet now. */
export function nextStates(category: Category, from: string, facts: Facts): NextState[] {
  return category.transitions.filter((tr) => tr.from === from).map((tr) => {
    const requires = tr.requires ?? [];
    const unmet = requires.filter((g) => !gateMet(g, facts));
    return { to: tr.to, name: stateOf(category, tr.to)!.name, requires, unmet };
  });
}

function gateMet(gate: Gate, facts: Facts): boolean {
  if (gate === 'assignee') return facts.hasAssignee;
  if (gate === 'comment') return facts.comment.trim().length > 0;
  return facts.relations.has(gate);
}

const GATE_REASON: Record<Gate, string> = {
  plan: 'link a plan page first', spec: 'link a spec page first', review: 'link a review page first',
  retro: 'link a retrospective page first', assignee: 'assign someone first', comment: 'say why in a comment',
};
export const gateReason = (g: Gate) => GATE_REASON[g];
