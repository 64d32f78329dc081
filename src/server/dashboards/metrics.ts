// A dashboard's figures, each one SQL aggregate over the requirements `dashboardScope` selects.
// The charts, their tables, the CSV downloads and the API all show these same numbers.
//
// Definitions (README "### Dashboards"):
// - done: in a done state now that is not a declined one (rejected, won't do), at `closed_at`; on
//   time when its UTC date is on or before `due`;
// - resolved: done now, and done in the period; time to resolution runs from creation to its
//   first move into a done state (requirement_events), and it was resolved within SLA when that
//   first move came on or before its resolution deadline (`RESOLUTION_DEADLINE`);
// - first response: the first comment or move by someone other than the reporter;
// - durations are hours; p50/p90 are nearest-rank percentiles.
import { sql, type SQL } from 'drizzle-orm';
import { sqlPredicate, type SqlPredicate } from '../access/index.ts';
import type { Db } from '../db.ts';
import { canonicalTag, type TagAliases } from '../desk/tags.ts';
import { notDeclined, stateRows } from '../projects/state-sql.ts';
import type { Category } from '../projects/workflow.ts';
import { dayOf, rangeMs, type DashboardQuery } from './query.ts';

export interface ScopedProject { id: number; key: string; categories: Category[]; tagAliases: TagAliases }
type Name = { en: string; zh: string };

export interface WeekOnTime { week: string; done: number; withDue: number; onTime: number; rate: number | null }
export interface Dashboard {
  range: { from: string; to: string; weeks: number };
  onTime: { rate: number | null; done: number; withDue: number; onTime: number; byWeek: WeekOnTime[] };
  resolution: { rate: number | null; resolved: number; withinSla: number };
  firstResponse: Percentiles;
  resolve: Percentiles;
  createdDone: { week: string; created: number; done: number }[];
  /** Open items by state key, in workflow order. */
  byStatus: Record<string, number>;
  /** Open items past their due date: by assignee e-mail ("none" when unassigned), by queue group. */
  overdueBy: { assignee: Record<string, number>; group: Record<string, number> };
  /** Items created in the period, by category key and by tag (the 20 most used). */
  byCategory: Record<string, number>;
  byTag: Record<string, number>;
  /** Open items by age (days since created). */
  age: { bucket: AgeBucket; count: number }[];
  /**
   * The UTC date of the latest creation or closing among the selected items, whenever it was (null
   * when there is none): an old project's dashboard points to where its figures are.
   */
  lastActivity: string | null;
  /** Display names for the keys above. */
  labels: { status: Record<string, Name>; category: Record<string, Name>; assignee: Record<string, string> };
}
export interface Percentiles { p50: number | null; p90: number | null; n: number }

export const AGE_BUCKETS = ['0-7d', '7-14d', '14-30d', '30-90d', '90d+'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];
const AGE_LIMITS_DAYS = [7, 14, 30, 90];
const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * The resolution deadline of requirement `r`, as the last moment (ms) it may be resolved in: its
 * SLA deadline (src/server/desk/sla.ts), else the end of its due date.
 */
const RESOLUTION_DEADLINE = sql.raw(`coalesce(r.resolve_by, unixepoch(r.due) * 1000 + ${DAY} - 1)`);

const week = (column: string) => sql.raw(`date(${column} / 1000, 'unixepoch', 'weekday 0', '-6 days')`);

/** Nearest-rank percentile of ascending values. */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}
function percentiles(hours: number[]): Percentiles {
  const sorted = hours.sort((a, b) => a - b);
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  return { p50: round(percentile(sorted, 0.5)), p90: round(percentile(sorted, 0.9)), n: sorted.length };
}
const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 1000 : null);

// Every category has a done state (workflow.ts), so there is at least one row.
const doneStates = (projects: readonly ScopedProject[]): SQL => sql`done_states(project_id, category, state) as (${stateRows(projects, (s) => s.done === true)})`;

/**
 * What the figures read, as one string: it changes whenever they may (a requirement, an event, a
 * workflow, or who may see a restricted requirement changed). db-cache.ts's exact signal (any
 * commit at all) would change at every unrelated write (a page save, the search indexer); this is
 * a few index lookups instead of the aggregates. Read in the same transaction as the figures, it
 * names exactly the data they were computed from.
 */
export function figuresFingerprint(d: Db, projectIds: readonly number[]): string {
  if (projectIds.length === 0) return '';
  const ids = sql.join(projectIds.map((id) => sql`${id}`), sql`, `);
  return d.get<{ f: string }>(sql`select (select max(id) from requirement_events)
    || '/' || (select count(*) || ':' || coalesce(max(updated_at), 0) from requirements where project_id in (${ids}))
    || '/' || (select count(*) || ':' || coalesce(sum(length(workflow)), 0) || ':' || coalesce(max(id), 0) from categories where project_id in (${ids}))
    -- who may see a restricted requirement: its queue's members, its added viewers, and grants
    || '/' || (select count(*) || ':' || coalesce(max(rowid), 0) from group_members)
    || '/' || (select count(*) || ':' || coalesce(max(rowid), 0) from requirement_viewers)
    || '/' || (select count(*) || ':' || coalesce(max(rowid), 0) from grants) as f`)!.f;
}

/**
 * The figures and the fingerprint of the data they come from, over connection `d` (the dashboard
 * worker's read-only one: src/server/dashboards/worker.ts), in one read transaction.
 * `scope` is the viewer's selection of requirements (`dashboardScope`, decided on the main thread).
 */
export function computeFigures(d: Db, input: FiguresInput): { fingerprint: string; value: Dashboard } {
  return d.$client.transaction(() => ({
    fingerprint: figuresFingerprint(d, input.projects.map((p) => p.id)),
    value: compute(d, input),
  }))();
}

export interface FiguresInput { scope: SqlPredicate; projects: ScopedProject[]; query: DashboardQuery; now: number }

function compute(d: Db, { scope: predicate, projects, query: q, now }: FiguresInput): Dashboard {
  const scope = sqlPredicate(predicate);
  const { start, end } = rangeMs(q.range);
  const today = dayOf(now);
  const done = sql`${scope} and r.closed_at >= ${start} and r.closed_at < ${end} and ${notDeclined(projects, 'r')}`;
  const openScope = q.range.explicit ? sql`${scope} and r.closed_at is null and r.created_at >= ${start} and r.created_at < ${end}` : sql`${scope} and r.closed_at is null`;

  const doneByWeek = new Map(d.all<{ week: string; done: number; withDue: number; onTime: number }>(sql`
    select ${week('r.closed_at')} as week, count(*) as done, sum(r.due is not null) as withDue,
      sum(r.due is not null and date(r.closed_at / 1000, 'unixepoch') <= r.due) as onTime
    from requirements r where ${done} group by 1`).map((w) => [w.week, w]));
  const createdByWeek = new Map(d.all<{ week: string; created: number }>(sql`
    select ${week('r.created_at')} as week, count(*) as created
    from requirements r where ${scope} and r.created_at >= ${start} and r.created_at < ${end} group by 1`).map((w) => [w.week, w.created]));

  const byWeek = q.range.weeks.map((w) => {
    const x = doneByWeek.get(w) ?? { done: 0, withDue: 0, onTime: 0 };
    return { week: w, done: x.done, withDue: x.withDue, onTime: x.onTime, rate: ratio(x.onTime, x.withDue) };
  });
  const total = byWeek.reduce((a, w) => ({ done: a.done + w.done, withDue: a.withDue + w.withDue, onTime: a.onTime + w.onTime }), { done: 0, withDue: 0, onTime: 0 });

  // Done in the period, with the time of its first move into a done state (the last one, at the
  // latest: closed_at).
  const resolved = projects.length === 0 ? [] : d.all<{ created: number; firstDone: number; deadline: number | null }>(sql`
    with ${doneStates(projects)}
    select r.created_at as created, ${RESOLUTION_DEADLINE} as deadline,
      coalesce((select min(e.created_at) from requirement_events e join done_states s
         on s.project_id = r.project_id and s.category = r.category and s.state = json_extract(e.data, '$.to')
       where e.requirement_id = r.id and e.kind = 'transitioned'), r.closed_at) as firstDone
    from requirements r where ${done}`);
  const withinSla = resolved.filter((r) => r.deadline !== null && r.firstDone <= r.deadline).length;

  const responses = d.all<{ hours: number }>(sql`
    select (first_response - created) / ${sql.raw(`${HOUR}.0`)} as hours from (
      select r.created_at as created,
        (select min(e.created_at) from requirement_events e where e.requirement_id = r.id and e.kind in ('commented', 'transitioned')
           and e.actor_id is not null and e.actor_id is not r.reporter_id) as first_response
      from requirements r where ${scope} and r.created_at >= ${start} and r.created_at < ${end}
    ) where first_response is not null`);

  const statusOrder = new Map<string, number>();
  const labels: Dashboard['labels'] = { status: {}, category: {}, assignee: {} };
  for (const p of projects) {
    for (const c of p.categories) {
      labels.category[c.key] ??= c.name;
      c.states.forEach((s, i) => {
        labels.status[s.key] ??= s.name;
        statusOrder.set(s.key, Math.min(statusOrder.get(s.key) ?? i, i));
      });
    }
  }
  const byStatus = Object.fromEntries(d.all<{ status: string; n: number }>(sql`
    select r.status, count(*) as n from requirements r where ${openScope} group by r.status`)
    .sort((a, b) => (statusOrder.get(a.status) ?? 99) - (statusOrder.get(b.status) ?? 99) || a.status.localeCompare(b.status))
    .map((r) => [r.status, r.n]));

  const overdueAssignee = d.all<{ email: string | null; name: string | null; n: number }>(sql`
    select u.email, u.name, count(*) as n from requirements r left join users u on u.id = r.assignee_id
    where ${openScope} and r.due < ${today} group by r.assignee_id order by n desc, u.name`);
  for (const a of overdueAssignee) if (a.email) labels.assignee[a.email] = a.name!;
  const overdueGroup = d.all<{ name: string; n: number }>(sql`
    select g.name, count(*) as n from requirements r join groups g on g.id = r.group_id
    where ${openScope} and r.due < ${today} group by g.id order by n desc, g.name`);

  const byCategory = d.all<{ category: string; n: number }>(sql`
    select r.category, count(*) as n from requirements r
    where ${scope} and r.created_at >= ${start} and r.created_at < ${end} group by r.category order by n desc, r.category`);
  // Tags count by what they mean (src/server/desk/tags.ts): "Login", "ｌｏｇｉｎ" and an alias 登录
  // are one slice, named by the tag they stand for.
  const tagCounts = new Map<string, number>();
  const aliases = new Map(projects.map((p) => [p.id, p.tagAliases]));
  for (const t of d.all<{ project: number; tag: string; n: number }>(sql`
    select r.project_id as project, t.value as tag, count(*) as n from requirements r, json_each(r.tags) t
    where ${scope} and r.created_at >= ${start} and r.created_at < ${end} group by 1, 2`)) {
    const tag = canonicalTag(aliases.get(t.project) ?? {}, String(t.tag));
    tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + t.n);
  }
  const byTag = [...tagCounts].sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0)).slice(0, 20);

  const ageCase = sql.raw(`case ${AGE_LIMITS_DAYS.map((days, i) => `when r.created_at > ${now} - ${days * DAY} then ${i}`).join(' ')} else ${AGE_LIMITS_DAYS.length} end`);
  const ages = new Map(d.all<{ bucket: number; n: number }>(sql`
    select ${ageCase} as bucket, count(*) as n from requirements r where ${openScope} group by 1`).map((a) => [a.bucket, a.n]));

  const last = d.get<{ at: number | null }>(sql`
    select max(coalesce(max(r.created_at), 0), coalesce(max(r.closed_at), 0)) as at from requirements r where ${scope}`)!.at;

  return {
    range: { from: q.range.from, to: q.range.to, weeks: q.range.weeks.length },
    onTime: { rate: ratio(total.onTime, total.withDue), ...total, byWeek },
    resolution: { rate: ratio(withinSla, resolved.length), resolved: resolved.length, withinSla },
    firstResponse: percentiles(responses.map((r) => r.hours)),
    resolve: percentiles(resolved.map((r) => (r.firstDone - r.created) / HOUR)),
    createdDone: q.range.weeks.map((w) => ({ week: w, created: createdByWeek.get(w) ?? 0, done: doneByWeek.get(w)?.done ?? 0 })),
    byStatus,
    overdueBy: {
      assignee: Object.fromEntries(overdueAssignee.map((a) => [a.email ?? 'none', a.n])),
      group: Object.fromEntries(overdueGroup.map((g) => [g.name, g.n])),
    },
    byCategory: Object.fromEntries(byCategory.map((c) => [c.category, c.n])),
    byTag: Object.fromEntries(byTag),
    age: AGE_BUCKETS.map((bucket, i) => ({ bucket, count: ages.get(i) ?? 0 })),
    lastActivity: last ? dayOf(last) : null,
    labels,
  };
}
