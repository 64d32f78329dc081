// Workflow states in SQL: a project's categories live in JSON (workflow.ts), so "in a done state"
// or "declined" is a list of (project, category, state) rows built from them for each query.
import { sql, type SQL } from 'drizzle-orm';
import type { Category, WorkflowState } from './workflow.ts';

export interface ProjectStates { id: number; categories: readonly Category[] }

/** `values (project, category, state), …` of the states `pick` selects; null when it selects none. */
export function stateRows(projects: readonly ProjectStates[], pick: (s: WorkflowState) => boolean): SQL | null {
  const rows = projects.flatMap((p) => p.categories.flatMap((c) => c.states.filter(pick).map((s) => sql`(${p.id}, ${c.key}, ${s.key})`)));
  return rows.length ? sql`values ${sql.join(rows, sql`, `)}` : null;
}

/**
 * True of a requirement (of table or alias `table`) unless it was finished by declining it (a
 * rejected or won't-do state): what the "done" and on-time figures count as delivered.
 */
export function notDeclined(projects: readonly ProjectStates[], table: string): SQL {
  const rows = stateRows(projects, (s) => s.declined === true);
  const t = sql.raw(table);
  return rows ? sql`(${t}.project_id, ${t}.category, ${t}.status) not in (${rows})` : sql`1`;
}
