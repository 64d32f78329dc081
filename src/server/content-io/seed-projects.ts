// Projects declared by imported space folders. A space folder's `_space.yaml` may say
//
//   project: { key: ATL, name: "…", owner: someone@example.com }
//
// and hold `_requirements.csv`: after the folders are imported (and the first admin exists), the
// space becomes that project's own space, the spreadsheet is imported as its requirements, and
// pages that mention its keys are rendered again so the keys link (they were rendered before the
// project existed, when "ATL-3" was just text).
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import YAML from 'yaml';
import { projects } from '../../../db/schema.ts';
import { db, write } from '../db.ts';
import { wakeOutbox } from '../outbox.ts';
import type { RenderPool } from '../pages/render-pool.ts';
import { firstSiteAdmin } from '../auth/first-admin.ts';
import { adoptSpaceAsProject } from '../projects/projects.ts';
import { relinkProjectMentions } from '../projects/relink-mentions.ts';
import { seedPhaseHistory } from '../projects/seed-phases.ts';
import { importRequirements, type ImportResult } from '../requirements/csv-import.ts';
import { spaceKeyFor } from './import-folder.ts';

export const REQUIREMENTS_FILE = '_requirements.csv';

export interface ProjectDeclaration { key: string; name?: string; owner?: string }

export function readProjectDeclaration(dir: string): ProjectDeclaration | null {
  const file = path.join(dir, '_space.yaml');
  if (!fs.existsSync(file)) return null;
  const data = YAML.parse(fs.readFileSync(file, 'utf8'), { maxAliasCount: 10 }) as { project?: unknown } | null;
  const p = data?.project;
  if (!p || typeof p !== 'object' || typeof (p as ProjectDeclaration).key !== 'string') return null;
  const { key, name, owner } = p as Record<string, unknown>;
  return { key: key as string, ...(typeof name === 'string' ? { name } : {}), ...(typeof owner === 'string' ? { owner } : {}) };
}

export interface SeedReport { projects: { key: string; space: string; requirements: number; relinkedPages: number }[]; skipped: { space: string; reason: string }[] }

/**
 * For each imported space folder under `root` that declares a project: adopts the space as the
 * project's (owner: the declared one, else the first admin) and imports its requirements. A
 * project that already exists is left alone, so this is safe to run again.
 */
export async function seedProjects(root: string, opts: { pool?: RenderPool; log?: (m: string) => void } = {}): Promise<SeedReport> {
  const report: SeedReport = { projects: [], skipped: [] };
  const admin = firstSiteAdmin();
  for (const entry of fs.readdirSync(root, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const dir = path.join(root, entry.name);
    const decl = readProjectDeclaration(dir);
    if (!decl) continue;
    const spaceKey = spaceKeyFor(entry.name);
    if (db().select({ id: projects.id }).from(projects).where(eq(projects.key, decl.key)).get()) continue;
    if (!admin) { report.skipped.push({ space: spaceKey, reason: 'no site admin to own the project yet' }); continue; }
    adoptSpaceAsProject(admin, { key: decl.key, space: spaceKey, name: decl.name, owner: decl.owner });
    let imported: ImportResult = { created: 0, keys: [] };
    const csvFile = path.join(dir, REQUIREMENTS_FILE);
    if (fs.existsSync(csvFile)) {
      imported = (await importRequirements(admin, decl.key, { csvBase64: fs.readFileSync(csvFile).toString('base64') }, { pool: opts.pool })) as ImportResult;
    }
    seedPhaseHistory(dir, decl.key);
    const relinkedPages = write((tx) => relinkProjectMentions(tx, decl.key));
    wakeOutbox();
    report.projects.push({ key: decl.key, space: spaceKey, requirements: imported.created, relinkedPages });
    opts.log?.(`project ${decl.key}: ${imported.created} requirements, ${relinkedPages} pages linked`);
  }
  return report;
}
