// An upload, streamed: the permission and the page are checked before a byte of the body is read,
// the file part is hashed into a temporary file as it arrives (memory stays flat), and only a
// file that passes every check is moved to its content address and named by a row.
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { assertCan, type Viewer } from '../access/index.ts';
import { maxUploadBytes } from '../config.ts';
import { badInput, DomainError, tooLarge } from '../errors.ts';
import { loadPage } from '../pages/get-page.ts';
import { getSpace } from '../spaces/spaces.ts';
import { addAttachment, type Attachment, type NewAttachment } from './attachments.ts';
import { assertReadableImage, displayCopy } from './images.ts';
import { sanitizeName } from './names.ts';
import { pdfText } from './pdf-text.ts';
import { discard, place, receive, type Received } from './store.ts';
import { detectType, isInlineImage } from './types.ts';

export const UPLOAD_FIELD = 'file';

/** Why an upload was refused, for the page's plain form to say in the reader's language. */
export const UPLOAD_REFUSALS = ['tooLarge', 'empty', 'badImage', 'badName', 'forbidden', 'archived', 'notFound', 'other'] as const;
export type UploadRefusal = typeof UPLOAD_REFUSALS[number];
export function uploadRefusal(err: DomainError): UploadRefusal {
  switch (err.status) {
    case 413: return 'tooLarge';
    case 403: return 'forbidden';
    case 409: return err.extra.archived ? 'archived' : 'other';
    case 400:
      if (err.message === 'The file is empty') return 'empty';
      if (/^(The image cannot be read|An image may have)/.test(err.message)) return 'badImage';
      if (/^(The file needs a name|A file name)/.test(err.message)) return 'badName';
      return 'other';
    default: return 'other';
  }
}

/** What a refused upload answers; the caller drains what the client is still sending. */
export const uploadTooLarge = () => tooLarge(`A file is at most ${Math.round(maxUploadBytes() / 1024 / 1024)} MB`);

/**
 * Reads the one file part of a multipart body to a temporary file (its name checked first), and
 * the short text fields beside it. `limit`: the file's largest size, and the refusal over it.
 */
export function receiveFilePart(headers: IncomingHttpHeaders, body: Readable, limit = { bytes: maxUploadBytes(), refusal: uploadTooLarge }): Promise<{ received: Received; name: string; fields: Map<string, string> }> {
  if (!/^multipart\/form-data\b/i.test(headers['content-type'] ?? '')) {
    return Promise.reject(new DomainError(415, `Send the file as multipart/form-data in the field "${UPLOAD_FIELD}"`));
  }
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      // Browsers send file names as raw UTF-8.
      parser = busboy({ headers, defParamCharset: 'utf8', limits: { files: 1, fileSize: limit.bytes, fields: 10, fieldSize: 1024, parts: 20 } });
    } catch {
      return reject(badInput('The multipart body is not valid'));
    }
    let job: Promise<{ received: Received; name: string }> | null = null;
    const fields = new Map<string, string>();
    let active: Readable | null = null;
    const stop = (err: Error) => {
      body.unpipe(parser);
      reject(err);
    };
    parser.on('file', (field, stream, info) => {
      if (field !== UPLOAD_FIELD || job) return void stream.resume();
      let name: string;
      try { name = sanitizeName(info.filename ?? ''); } catch (err) { stream.resume(); return stop(err as Error); }
      active = stream;
      stream.once('limit', () => stream.destroy(limit.refusal()));
      job = receive(stream).then((received) => ({ received, name }));
      job.catch(stop);
    });
    parser.on('field', (field: string, value: string) => fields.set(field, value));
    parser.once('close', () => (job ? job.then((r) => resolve({ ...r, fields }), reject) : reject(badInput(`The body has no file in the field "${UPLOAD_FIELD}"`))));
    parser.once('error', (err: Error) => stop(badInput(`The multipart body is not valid: ${err.message}`)));
    // A client that goes away mid-upload leaves nothing behind.
    body.once('close', () => {
      if (body.readableEnded) return;
      active?.destroy(badInput('The upload was cut off'));
      stop(badInput('The upload was cut off'));
    });
    body.pipe(parser);
  });
}

/**
 * Checks a received file and stores it: its type from its bytes, an image sharp can read within
 * the pixel limit, a PDF's text. A file that fails is discarded (and the error thrown); one that
 * passes is at its content address, fsynced, ready for a row to name it.
 */
export async function storeReceived(received: Received, name: string): Promise<NewAttachment & { path: string }> {
  let type: string;
  let text = '';
  try {
    if (received.size === 0) throw badInput('The file is empty');
    type = await detectType(received.head);
    if (isInlineImage(type)) await assertReadableImage(received.tmp);
    if (type === 'application/pdf') text = await pdfText(received.tmp);
  } catch (err) {
    discard(received);
    throw err;
  }
  return { path: await place(received), sha256: received.sha256, name, type, size: received.size, text };
}

/**
 * The page an upload is for: the page at `path`, which the viewer may edit; null for a page not
 * saved yet in a space where the viewer may write (a screenshot pasted into a new page): the file
 * is then the uploader's alone until their save of a page that links to it (save-page.ts).
 */
function uploadTarget(viewer: Viewer | null, spaceKey: string, path: string): number | null {
  try {
    return loadPage(viewer, spaceKey, path, 'edit').page.id;
  } catch (err) {
    if (!(err instanceof DomainError) || err.status !== 404) throw err;
    assertCan(viewer, 'edit', getSpace(viewer, spaceKey)); // a space this viewer cannot read: the same 404
    return null;
  }
}

export async function uploadAttachment(viewer: Viewer | null, spaceKey: string, path: string, headers: IncomingHttpHeaders, body: Readable): Promise<Attachment> {
  const pageId = uploadTarget(viewer, spaceKey, path);
  const { received, name } = await receiveFilePart(headers, body);
  const { path: stored, ...file } = await storeReceived(received, name);
  const attachment = addAttachment(pageId, viewer!.id, file);
  // The display copy is made now, in the background, so the page showing it first does not wait.
  if (isInlineImage(file.type)) displayCopy(stored, file.sha256).catch(() => {});
  return attachment;
}
