// GET /files/<id>/<name>: an attachment. `npm start` answers these with the plain handler in front
// of Astro (src/server/plain-routes.ts: ranges, ETags); this route serves `astro dev` alike.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { APIRoute } from 'astro';
import { prepareDownload } from '../../../server/attachments/serve.ts';
import { DomainError } from '../../../server/errors.ts';

export const GET: APIRoute = async ({ locals, params, url }) => {
  try {
    const { file, headers } = await prepareDownload(locals.viewer, Number(params.id), url.searchParams.get('original') === '1');
    return new Response(Readable.toWeb(fs.createReadStream(file)) as ReadableStream, { headers });
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
};
