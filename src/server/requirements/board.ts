// A project's board: one category's requirements in columns by status, each card with the moves
// allowed from where it stands and the gates still unmet for each.
import { inArray } from 'drizzle-orm';
import { requirements } from '../../../db/schema.ts';
import { can, type Viewer } from '../access/index.ts';
import { db } from '../db.ts';
import { badInput } from '../errors.ts';
import { loadProject, projectCategories } from '../projects/projects.ts';
import { nextStates, type Category, type NextState, type WorkflowState } from '../projects/workflow.ts';
import { listRequirements, type RequirementRow } from './list.ts';
import { linkedRelations } from './transition.ts';

export interface BoardCard extends RequirementRow { version: number; next: NextState[] }
export interface BoardColumn { state: WorkflowState; cards: BoardCard[] }
export interface Board { categories: Category[]; category: Category; columns: BoardColumn[]; canMove: boolean }

export function projectBoard(viewer: Viewer | null, projectKey: string, categoryKey?: string): Board {
  const { project, space } = loadProject(viewer, projectKey);
  const d = db();
  const categories = projectCategories(d, project.id);
  const category = categoryKey ? categories.find((c) => c.key === categoryKey) : categories[0];
  if (!category) throw badInput(`No category "${categoryKey}" in ${projectKey}`, { code: 'noCategory', category: categoryKey });
  const rows = listRequirements(viewer, projectKey, { category: category.key, sort: 'priority', limit: 1000 });
  const facts = new Map(rows.length
    ? d.select({ id: requirements.id, key: requirements.key, assigneeId: requirements.assigneeId, version: requirements.version })
      .from(requirements).where(inArray(requirements.key, rows.map((r) => r.key))).all().map((r) => [r.key, r])
    : []);
  const cards: BoardCard[] = rows.map((row) => {
    const f = facts.get(row.key)!;
    return { ...row, version: f.version, next: nextStates(category, row.status, { relations: linkedRelations(d, f.id), hasAssignee: f.assigneeId !== null, comment: '' }) };
  });
  return {
    categories, category, canMove: can(viewer, 'edit', space),
    columns: category.states.map((state) => ({ state, cards: cards.filter((c) => c.status === state.key) })),
  };
}
