// Uploading files from the editor to POST /api/v1/attachments/<space>/<path> (multipart, field
// `file`; answers 201 {id, name, type, size, sha256, url}). XMLHttpRequest rather than fetch: only
// it reports upload progress.
import type { ErrorAnswer } from '../refusal.ts';
export interface Attachment { id: number | string; name: string; type: string; size: number; sha256: string; url: string }

/** A refused upload: the answer's status and body, for the editor to say why in the writer's language. */
export class UploadRefused extends Error {
  readonly status: number;
  readonly answer: ErrorAnswer | null;
  constructor(status: number, answer: ErrorAnswer | null) {
    super(answer?.error ?? String(status));
    this.status = status;
    this.answer = answer;
  }
}

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

export function uploadFile(file: File, space: string, path: string, onProgress: (fraction: number) => void): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/attachments/${encodeURIComponent(space)}${path ? `/${encodePath(path)}` : ''}`);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => (xhr.status === 201 ? resolve(xhr.response as Attachment) : reject(new UploadRefused(xhr.status, xhr.response as ErrorAnswer | null)));
    xhr.onerror = () => reject(new UploadRefused(0, { code: 'other' }));
    const body = new FormData();
    body.append('file', file, file.name);
    xhr.send(body);
  });
}

/** `![name](url)` for an image, `[name](url)` for anything else; brackets in the name escaped. */
export function attachmentMarkdown(a: Attachment): string {
  const name = a.name.replace(/[[\]\\]/g, '\\$&');
  const url = /[\s()<>]/.test(a.url) ? `<${a.url}>` : a.url;
  return `${a.type.startsWith('image/') ? '!' : ''}[${name}](${url})`;
}

/**
 * `markdown` as a paragraph of its own between `before` and `after` (the text just around the
 * place; two characters are enough): a blank line on each side unless the text there has one, so
 * several files dropped at once are not glued together. `cursor`: the offset just after `markdown`.
 */
export function ownParagraph(before: string, after: string, markdown: string): { insert: string; cursor: number } {
  const gap = (edge: string, lineBreakAtEdge: boolean) => (edge === '' || edge === '\n\n' ? '' : lineBreakAtEdge ? '\n' : '\n\n');
  const lead = gap(before.slice(-2), before.endsWith('\n'));
  const trail = gap(after.slice(0, 2), after.startsWith('\n'));
  return { insert: lead + markdown + trail, cursor: lead.length + markdown.length };
}

// The name browsers give every pasted image (Chrome and Firefox: image.png; Safari: "Pasted Image").
const GENERIC_PASTE_NAME = /^(?:image|pasted image)?(?:\.\w+)?$/i;
const IMAGE_EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'image/avif': 'avif', 'image/bmp': 'bmp' };

/** A pasted image with the browser's generic name is named `screenshot-YYYYMMDD-HHMMSS.<ext>` (local time). */
export function pastedFileName(file: { name: string; type: string }, at: Date): string {
  if (!GENERIC_PASTE_NAME.test(file.name)) return file.name;
  const ext = IMAGE_EXTENSIONS[file.type] ?? /\.(\w+)$/.exec(file.name)?.[1]?.toLowerCase() ?? 'bin';
  const two = (n: number) => String(n).padStart(2, '0');
  const date = `${at.getFullYear()}${two(at.getMonth() + 1)}${two(at.getDate())}`;
  return `screenshot-${date}-${two(at.getHours())}${two(at.getMinutes())}${two(at.getSeconds())}.${ext}`;
}
