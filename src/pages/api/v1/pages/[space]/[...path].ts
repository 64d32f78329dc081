// GET/PUT/PATCH/DELETE /api/v1/pages/<space>/<path>. Sub-resources have their own prefixes
// (/api/v1/revisions/<space>/<path>), so any page path, `…/revisions` included, is a page here.
import type { APIRoute } from 'astro';
import { z } from 'astro/zod';
import { badInput, DomainError } from '../../../../../server/errors.ts';
import { api, json, parseInput, pathAfter, readJson } from '../../../../../server/http.ts';
import { pageHref } from '../../../../../server/markdown/href.ts';
import { preparePageCharts, viewPage, type PageView } from '../../../../../server/pages/get-page.ts';
import { deletePage, movePage } from '../../../../../server/pages/move-page.ts';
import { movedPagePath } from '../../../../../server/pages/redirects.ts';
import { normalizePagePath } from '../../../../../server/pages/page-path.ts';
import { getSpace } from '../../../../../server/spaces/spaces.ts';
import { pageOwnership, updatePageOwnership } from '../../../../../server/pages/ownership.ts';
import { savePage } from '../../../../../server/pages/save-page.ts';
import { savePageFromTemplate } from '../../../../../server/templates/new-page.ts';

const pagePath = (request: Request, space: string) => pathAfter(request, `/api/v1/pages/${encodeURIComponent(space)}`);

export const GET: APIRoute = ({ locals, params, request }) => api(async () => {
  const space = params.space ?? '';
  const path = pagePath(request, space);
  await preparePageCharts(locals.viewer, space, path);
  let v: PageView;
  try {
    v = viewPage(locals.viewer, space, path, { markdown: true, lang: locals.lang });
  } catch (err) {
    // A page moved away answers as its screen does: 302 to where it is now (the same space).
    const to = err instanceof DomainError && err.status === 404 ? movedPagePath(getSpace(locals.viewer, space), normalizePagePath(path)) : null;
    if (to === null) throw err;
    return new Response(null, { status: 302, headers: { location: `/api/v1/pages${pageHref(space, to).slice('/s'.length)}` } });
  }
  const { owner, verifiedAt, verifiedBy, reviewBy } = pageOwnership(v.page.id);
  return json({
    space: v.space.key, path: v.page.path, title: v.page.title, markdown: v.markdown, html: v.html,
    revision: v.page.revision, updatedAt: new Date(v.page.updatedAt).toISOString(), author: v.author,
    tags: v.page.tags, headings: v.page.headings, backlinks: v.backlinks,
    requirements: v.requirements.map(({ key, title, status, relations }) => ({ key, title, status, relations })),
    owner, verifiedAt, verifiedBy, reviewBy,
  });
});

// `template` (an id from GET /api/v1/spaces/<key>/templates) makes a new page from it; `markdown` is then not needed.
const Save = z.object({
  title: z.string().optional(),
  markdown: z.string().optional(),
  template: z.string().max(64).optional(),
  baseRevision: z.number().int().positive().optional(),
  message: z.string().optional(),
  tags: z.array(z.string()).optional(),
});

export const PUT: APIRoute = ({ locals, params, request }) => api(async () => {
  const space = params.space ?? '';
  const { template, markdown, ...input } = parseInput(Save, await readJson(request));
  const path = pagePath(request, space);
  if (template !== undefined && markdown !== undefined) throw badInput('Send either markdown or template, not both');
  const result = template !== undefined
    ? await savePageFromTemplate(locals.viewer, { ...input, space, path, template }, locals.lang)
    : await savePage(locals.viewer, { ...input, markdown: markdown as string, space, path });
  const merged = result.mergedWith === undefined ? { merged: false } : { merged: true, mergedWith: result.mergedWith };
  return json({ revision: result.revision, path: result.path, changed: result.changed, ...merged }, result.created ? 201 : 200);
});

// A move (`path`), or the page's owner and review (`owner`, `reviewBy`, `verified`): one or the other.
const Patch = z.object({
  path: z.string().optional(),
  owner: z.string().max(254).optional(),
  reviewBy: z.string().max(40).nullable().optional(),
  verified: z.boolean().optional(),
});

export const PATCH: APIRoute = ({ locals, params, request }) => api(async () => {
  const space = params.space ?? '';
  const { path, ...review } = parseInput(Patch, await readJson(request));
  const reviewFields = Object.keys(review).length > 0;
  if (path !== undefined && reviewFields) throw badInput('Send either path (a move) or owner, reviewBy and verified, not both');
  if (path !== undefined) return json(movePage(locals.viewer, space, pagePath(request, space), path));
  if (!reviewFields) throw badInput('Send path, or any of owner, reviewBy and verified');
  return json(updatePageOwnership(locals.viewer, space, pagePath(request, space), review));
});

export const DELETE: APIRoute = ({ locals, params, request }) => api(() => {
  const space = params.space ?? '';
  deletePage(locals.viewer, space, pagePath(request, space));
  return new Response(null, { status: 204 });
});
