// A dated phase history for a project declared by an imported folder (`_phases.yaml` beside
// `_space.yaml`): a list of { to, at: YYYY-MM-DD, comment?, by?: email }. Laid down as history,
// so the gates are not asked (they hold for changes made now, not for what happened then).
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import YAML from 'yaml';
import { projects, users } from '../../../db/schema.ts';
import { write } from '../db.ts';
import { badInput } from '../errors.ts';
import { phasesOf, recordPhaseChange } from './phases.ts';

export const PHASES_FILE = '_phases.yaml';

export function seedPhaseHistory(dir: string, projectKey: string): number {
  const file = path.join(dir, PHASES_FILE);
  if (!fs.existsSync(file)) return 0;
  const steps = YAML.parse(fs.readFileSync(file, 'utf8'), { maxAliasCount: 10 }) as unknown;
  if (!Array.isArray(steps)) throw badInput(`${PHASES_FILE}: a list of { to, at, comment?, by? }`);
  return write((tx) => {
    let project = tx.select().from(projects).where(eq(projects.key, projectKey)).get()!;
    const known = phasesOf(project).map((p) => p.key);
    steps.forEach((step: Record<string, unknown>, i) => {
      const at = Date.parse(`${String(step.at)}T09:00:00Z`);
      if (!known.includes(String(step.to)) || Number.isNaN(at)) throw badInput(`${PHASES_FILE} entry ${i + 1}: unknown phase or date`);
      const by = typeof step.by === 'string' ? tx.select({ id: users.id }).from(users).where(eq(users.email, step.by)).get()?.id : undefined;
      // The first entry is where the project began: it has no phase before it.
      recordPhaseChange(tx, { id: project.id, phase: i === 0 ? null : project.phase }, String(step.to), by ?? project.ownerId, typeof step.comment === 'string' ? step.comment : '', at);
      project = { ...project, phase: String(step.to) };
    });
    return steps.length;
  });
}
