// What a file URL answers: the bytes to send and the headers to send them with. Raster images
// are shown inline, as their display copy (no metadata, at most DISPLAY_WIDTH wide) unless the
// original is asked for; everything else, and every original, is a download that a browser is
// told never to sniff, render or run.
import contentDisposition from 'content-disposition';
import type { Viewer } from '../access/index.ts';
import { attachmentForDownload } from './attachments.ts';
import { displayCopy } from './images.ts';
import { blobPath } from './store.ts';
import { isInlineImage, servedType } from './types.ts';

export interface Download { file: string; headers: Record<string, string> }

// No script, no plugin, no same-origin document, even if a browser were to render the bytes.
export const FILE_CSP = "default-src 'none'; sandbox";

export async function prepareDownload(viewer: Viewer | null, id: number, original: boolean): Promise<Download> {
  const a = attachmentForDownload(viewer, id);
  let inline = isInlineImage(a.type) && !original;
  let file = blobPath(a.sha256);
  // An image sharp read at upload but cannot copy is still the uploader's file: offered as a download.
  if (inline) file = await displayCopy(file, a.sha256).catch(() => ((inline = false), file));
  return {
    file,
    headers: {
      'content-type': servedType(a.type),
      'content-disposition': contentDisposition(a.name, { type: inline ? 'inline' : 'attachment' }),
      'content-security-policy': FILE_CSP,
      'x-content-type-options': 'nosniff',
      // Each use asks again (an ETag makes that cheap): who may read the page can change.
      'cache-control': 'private, no-cache',
    },
  };
}

/** `/files/<id>/<name>` → the id, or NaN. */
export function fileIdFrom(pathname: string): number {
  const m = /^\/files\/(\d{1,15})(?:\/|$)/.exec(pathname);
  return m ? Number(m[1]) : Number.NaN;
}
