// Saved views: a user's named filters for one project's requirement list. Only the list's filter
// and sort parameters are kept, as a query string the list page and the CSV export both read.
import { and, asc, eq, sql } from 'drizzle-orm';
import { savedViews } from '../../../db/schema.ts';
import type { Viewer } from '../access/index.ts';
import { db, write } from '../db.ts';
import { badInput, notFound } from '../errors.ts';
import { loadProject, projectCategories } from '../projects/projects.ts';
import { checkFilter, FILTER_KEYS, filterFromParams } from './list.ts';

export interface SavedView { id: number; name: string; query: string }

export const MAX_VIEWS = 50;

/** The list's own parameters from a query string, in a stable order; anything else is dropped. */
export function viewQuery(raw: string): string {
  const params = new URLSearchParams(raw.startsWith('?') ? raw.slice(1) : raw);
  const kept = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = params.get(k)?.trim();
    if (v) kept.set(k, v.slice(0, 200));
  }
  return kept.toString();
}

export function listSavedViews(viewer: Viewer | null, projectKey: string): SavedView[] {
  const { project } = loadProject(viewer, projectKey);
  return db().select({ id: savedViews.id, name: savedViews.name, query: savedViews.query }).from(savedViews)
    .where(and(eq(savedViews.userId, viewer!.id), eq(savedViews.projectId, project.id))).orderBy(asc(savedViews.name)).all();
}

/** Saves the filters under a name; saving under an existing name replaces that view's filters. */
export function saveView(viewer: Viewer | null, projectKey: string, input: { name?: unknown; query?: unknown }): SavedView {
  const { project } = loadProject(viewer, projectKey);
  const name = typeof input.name === 'string' ? input.name.normalize('NFC').trim() : '';
  if (!name || name.length > 80 || /[\u0000-\u001f]/.test(name)) throw badInput('A view name is 1–80 characters', { code: 'viewName' });
  const query = viewQuery(typeof input.query === 'string' ? input.query : '');
  checkFilter(filterFromParams(new URLSearchParams(query)), projectCategories(db(), project.id)); // a view that could not be shown is refused
  return write((tx) => {
    const mine = and(eq(savedViews.userId, viewer!.id), eq(savedViews.projectId, project.id));
    const existing = tx.select({ id: savedViews.id }).from(savedViews).where(and(mine, eq(savedViews.name, name))).get();
    if (existing) {
      tx.update(savedViews).set({ query }).where(eq(savedViews.id, existing.id)).run();
      return { id: existing.id, name, query };
    }
    if (tx.select({ n: sql<number>`count(*)` }).from(savedViews).where(mine).get()!.n >= MAX_VIEWS) throw badInput(`At most ${MAX_VIEWS} saved views per project`, { code: 'tooManyViews', max: MAX_VIEWS });
    const row = tx.insert(savedViews).values({ userId: viewer!.id, projectId: project.id, name, query }).returning().get();
    return { id: row.id, name, query };
  });
}

export function deleteSavedView(viewer: Viewer | null, projectKey: string, id: number): void {
  const { project } = loadProject(viewer, projectKey);
  if (!Number.isSafeInteger(id)) throw badInput('Which view?');
  const removed = write((tx) => tx.delete(savedViews)
    .where(and(eq(savedViews.id, id), eq(savedViews.userId, viewer!.id), eq(savedViews.projectId, project.id))).run().changes);
  if (!removed) throw notFound();
}
