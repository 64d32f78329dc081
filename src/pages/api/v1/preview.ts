// POST /api/v1/preview {space, path?, markdown} → {html}: the editor's live preview.
import type { APIRoute } from 'astro';
import { z } from 'astro/zod';
import { api, json, parseInput, readJson } from '../../../server/http.ts';
import { previewHtml } from '../../../server/editor/preview.ts';

const Preview = z.object({ space: z.string(), path: z.string().optional(), markdown: z.string() });

export const POST: APIRoute = ({ locals, request }) => api(async () => {
  const input = parseInput(Preview, await readJson(request));
  return json({ html: await previewHtml(locals.viewer, input, locals.lang) });
});
