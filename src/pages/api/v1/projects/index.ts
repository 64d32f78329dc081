import type { APIRoute } from 'astro';
import { z } from 'astro/zod';
import { archivedShown, includesArchived } from '../../../../server/archive/lists.ts';
import { api, json, parseInput, readJson } from '../../../../server/http.ts';
import { listProjects } from '../../../../server/projects/projects.ts';
import { createProjectWithPages } from '../../../../server/templates/project-scaffold.ts';

export const GET: APIRoute = ({ locals, url }) => api(() =>
  json(archivedShown(listProjects(locals.viewer), includesArchived(url.searchParams)).rows
    .map(({ key, name, phase, ownerName, open, overdue, archived }) => ({ key, name, phase, owner: ownerName, open, overdue, archived }))));

const NewProject = z.object({
  key: z.string().max(10), name: z.string().max(120), owner: z.string().max(254).optional(),
  visibility: z.enum(['org', 'restricted']).optional(), description: z.string().max(2000).optional(),
});

export const POST: APIRoute = ({ locals, request }) => api(async () => {
  const project = await createProjectWithPages(locals.viewer, parseInput(NewProject, await readJson(request)), locals.lang);
  return json({ key: project.key, name: project.name, space: project.key.toLowerCase() }, 201);
});
