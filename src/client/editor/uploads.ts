// Uploading files from the editor to POST /api/v1/attachments/<space>/<path> (multipart, field
// `file`; answers 201 {id, name, type, size, sha256, url}). XMLHttpRequest rather than fetch: only
// it reports upload progress.
export interface Attachment { id: number | string; name: string; type: string; size: number; sha256: string; url: string }

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

export function uploadFile(file: File, space: string, path: string, onProgress: (fraction: number) => void): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/attachments/${encodeURIComponent(space)}${path ? `/${encodePath(path)}` : ''}`);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      if (xhr.status === 201) return resolve(xhr.response as Attachment);
      // The server's own words (a 404 for a page not created yet, 413 over the limit…).
      const message = (xhr.response as { error?: string } | null)?.error ?? `${xhr.status} ${xhr.statusText}`;
      reject(new Error(message));
    };
    xhr.onerror = () => reject(new Error('The connection failed'));
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
