// Which projects a dashboard covers for its viewer: one project (404 when the viewer may not read
// it, as everywhere), or every project the viewer may read (the cross-project dashboard); and its
// figures, computed on the dashboard worker (pool.ts) and remembered until what they read changes.
import { inArray } from 'drizzle-orm';
import { projects } from '../../../db/schema.ts';
import type { Lang } from '../../i18n/index.ts';
import { readableRequirementsSql, readableSpaceIds, type SqlPredicate, type Viewer } from '../access/index.ts';
import { db } from '../db.ts';
import { tagConditionText } from '../desk/tags.ts';
import { DomainError, unauthorized } from '../errors.ts';
import { oneOf } from '../params.ts';
import { loadProject, projectCategories } from '../projects/projects.ts';
import { csvResponse } from '../requirements/csv-export.ts';
import { personFilterValue } from '../requirements/list.ts';
import { METRICS, metricTable, tableCsv } from './charts.ts';
import { computeFigures, figuresFingerprint, type Dashboard, type FiguresInput, type ScopedProject } from './metrics.ts';
import { dashboardPool, type Figures } from './pool.ts';
import { parseDashboardQuery, type DashboardFilters, type DashboardQuery } from './query.ts';

export interface DashboardView { projects: { key: string; name: string }[]; query: DashboardQuery; dashboard: Dashboard }
interface Scope { rows: (typeof projects.$inferSelect)[]; input: FiguresInput; key: string }

/**
 * The one selection of requirements every figure reads: the projects, the viewer's row-level rule
 * (readableRequirementsSql, so that no figure counts what the viewer may not see), then the
 * filters, the tag matched as the desk matches it (each project's aliases). Decided here, on the
 * main thread, for the viewer; the worker only runs it.
 */
export function dashboardScope(viewer: Viewer, scoped: readonly ScopedProject[], f: DashboardFilters): SqlPredicate {
  if (scoped.length === 0) return { sql: '0', params: [] };
  const ids = (ps: readonly ScopedProject[]) => ps.map((p) => String(Math.trunc(p.id))).join(', ');
  const marks = (xs: readonly unknown[]) => xs.map(() => '?').join(', ');
  const where: SqlPredicate[] = [{ sql: `r.project_id in (${ids(scoped)})`, params: [] }, readableRequirementsSql(viewer, 'r')];
  if (f.category?.length) where.push({ sql: `r.category in (${marks(f.category)})`, params: f.category });
  if (f.priority?.length) where.push({ sql: `r.priority in (${marks(f.priority)})`, params: f.priority });
  if (f.tag) {
    // Projects with the same aliases share one test (across projects, usually all of them).
    const byAliases = Map.groupBy(scoped, (p) => JSON.stringify(Object.entries(p.tagAliases).sort()));
    const tests = [...byAliases.values()].map((ps) => {
      const c = tagConditionText('r.tags', ps[0]!.tagAliases, f.tag!);
      return { sql: `(r.project_id in (${ids(ps)}) and ${c.sql})`, params: c.params };
    });
    where.push({ sql: tests.map((t) => t.sql).join(' or '), params: tests.flatMap((t) => t.params) });
  }
  if (f.assignee === 'none') where.push({ sql: 'r.assignee_id is null', params: [] });
  else if (f.assignee === 'me') where.push({ sql: 'r.assignee_id = ?', params: [viewer.id] });
  else if (f.assignee) {
    const who = personFilterValue(f.assignee);
    where.push({ sql: 'r.assignee_id in (select id from users where email = ? or lower(name) = ?)', params: [who, who] });
  }
  if (f.group) where.push({ sql: 'r.group_id = (select id from groups where name = ?)', params: [f.group] });
  return { sql: where.map((w) => `(${w.sql})`).join(' and '), params: where.flatMap((w) => w.params) };
}

/** `project` is a project key, or null for every project the viewer may read. */
function scopeOf(viewer: Viewer | null, project: string | null, params: Iterable<[string, string]>, now: number): Scope {
  if (!viewer) throw unauthorized();
  const query = parseDashboardQuery(params, new Date(now).toISOString().slice(0, 10));
  let rows: (typeof projects.$inferSelect)[];
  if (project !== null) rows = [loadProject(viewer, project).project];
  else {
    const spaceIds = readableSpaceIds(viewer);
    rows = spaceIds.length ? db().select().from(projects).where(inArray(projects.spaceId, spaceIds)).orderBy(projects.key).all() : [];
  }
  const scoped = rows.map((p) => ({ id: p.id, key: p.key, categories: projectCategories(db(), p.id), tagAliases: p.tagAliases }));
  const input = { scope: dashboardScope(viewer, scoped, query.filters), projects: scoped, query, now };
  return { rows, input, key: JSON.stringify([viewer.id, input.scope, scoped.map((p) => [p.id, p.tagAliases]), query, Math.floor(now / 60_000)]) };
}

const view = (s: Scope, dashboard: Dashboard): DashboardView => ({ projects: s.rows.map((p) => ({ key: p.key, name: p.name })), query: s.input.query, dashboard });

// Figures are remembered per viewer, selection, projects (and their tag aliases), query and minute, for as long as the fingerprint of
// what they read is unchanged (figuresFingerprint: a few index lookups on the main thread).
const MAX_REMEMBERED = 200;
const remembered = new Map<string, Figures>();
const computing = new Map<string, Promise<Dashboard>>();
// Dashboards that ran out of the worker's time budget (per minute, as the key): a view drawing one
// says so instead of computing it on the main thread.
const tooSlow = new Map<string, DomainError>();

function rememberedFigures(s: Scope): Dashboard | undefined {
  const hit = remembered.get(s.key);
  return hit && hit.fingerprint === figuresFingerprint(db(), s.input.projects.map((p) => p.id)) ? hit.value : undefined;
}

function remember(s: Scope, figures: Figures): Dashboard {
  if (remembered.size >= MAX_REMEMBERED) remembered.clear();
  remembered.set(s.key, figures);
  return figures.value;
}

/** For the API, the dashboard pages and a page's charts (prepareCharts): computed on the worker. */
export async function loadDashboard(viewer: Viewer | null, project: string | null, params: Iterable<[string, string]>, now = Date.now()): Promise<DashboardView> {
  const s = scopeOf(viewer, project, params, now);
  const hit = rememberedFigures(s);
  if (hit) return view(s, hit);
  // The same dashboard asked again while it is computed (a page with four charts of it) waits for that one.
  let pending = computing.get(s.key);
  if (!pending) {
    pending = dashboardPool().compute(s.input).then((f) => remember(s, f), (err: unknown) => {
      if (err instanceof DomainError && err.status === 503) {
        if (tooSlow.size >= MAX_REMEMBERED) tooSlow.clear();
        tooSlow.set(s.key, err);
      }
      throw err;
    }).finally(() => computing.delete(s.key));
    computing.set(s.key, pending);
  }
  return view(s, await pending);
}

/**
 * At once, for a chart drawn inside a synchronous view: the remembered figures, which every view
 * with charts (a page, an old revision, a preview, comments, a requirement's description) prepares
 * on the worker first (embed.ts's prepareCharts); else computed here, on the main thread.
 */
export function dashboardFor(viewer: Viewer | null, project: string | null, params: Iterable<[string, string]>, now = Date.now()): DashboardView {
  const s = scopeOf(viewer, project, params, now);
  const slow = tooSlow.get(s.key);
  if (slow) throw slow;
  return view(s, rememberedFigures(s) ?? remember(s, computeFigures(db(), s.input)));
}

/** One metric's table as a CSV download; `metric` names it among the other query parameters. */
export async function dashboardCsv(viewer: Viewer | null, project: string | null, params: URLSearchParams, lang: Lang): Promise<Response> {
  const metric = oneOf('metric', params.get('metric') ?? '', METRICS);
  const rest = [...params].filter(([name]) => name !== 'metric');
  const table = metricTable(metric, (await loadDashboard(viewer, project, rest)).dashboard, lang);
  return csvResponse({ filename: `${project ?? 'all'}-${metric}-${new Date().toISOString().slice(0, 10)}.csv`, body: tableCsv(table) });
}
