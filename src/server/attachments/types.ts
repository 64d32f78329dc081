// What an attachment is, told from its bytes (file-type), and how it may be served.
import { fileTypeFromBuffer } from 'file-type';

// Raster images a browser shows without running anything: the only types served inline.
const INLINE = new Set(['image/png', 'image/apng', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']);
// Types a browser might interpret as a document or script, were it ever to ignore the disposition.
const ACTIVE = /html|xml|svg|javascript|ecmascript/i;

export async function detectType(head: Buffer): Promise<string> {
  return (await fileTypeFromBuffer(head))?.mime ?? 'application/octet-stream';
}

export const isInlineImage = (type: string) => INLINE.has(type);

/** The Content-Type a download is sent with: never one a browser could run. */
export const servedType = (type: string) => (ACTIVE.test(type) ? 'application/octet-stream' : type);
