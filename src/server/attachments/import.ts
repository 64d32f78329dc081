// Folder import: links to files beside the Markdown (`![](img/a.png)`, `[spec](files/spec.pdf)`,
// or `![](/assets/a.png)` from the space folder's root) become attachments of the page, and the
// links point at them. A file outside the space's folder, missing, Markdown itself (a page link)
// or over the upload limit is left as written.
import fs from 'node:fs';
import path from 'node:path';
import { maxUploadBytes } from '../config.ts';
import { DomainError } from '../errors.ts';
import { prepared, write } from '../db.ts';
import { codeRanges, inCode } from '../markdown/code-ranges.ts';
import { attachmentUrl, insertAttachment, type NewAttachment } from './attachments.ts';
import { sanitizeName } from './names.ts';
import { receive } from './store.ts';
import { storeReceived } from './upload.ts';

// [text](target) and ![alt](target "title"): the target is group 2, balanced parentheses allowed as
// CommonMark allows them (an uploaded "shot (1).png" is linked as /files/7/shot%20(1).png); the
// text may go on over a line break, not over a blank line (docs sites wrap long link texts), and at
// most 1,000 characters are read for it (each "[" is tried: without a bound, a paragraph of
// brackets would be read once per bracket). The export (content-io/export-space.ts) rewrites links
// with it too.
export const MARKDOWN_FILE_LINK = /(!?\[(?:[^\]\n]|\n(?![ \t]*\n)){0,1000}\]\()((?:[^()\s]|\([^()\s]*\))+)((?:\s+"[^"\n]*")?\))/g;
// A URL, a fragment or a query: not a file. A path from the root ("/assets/a.png", as Wiki.js
// writes them) is one from the space's folder.
export const NOT_A_FILE = /^(?:[a-z][a-z0-9+.-]*:|\/\/|#|\?)/i;

const sameFile = prepared((d) => d.$client.prepare<[number, string, string], { id: number }>(
  'select id from attachments where page_id = ? and sha256 = ? and name = ? and deleted_at is null',
));

export interface LinkedFiles { markdown: string; ids: number[]; files: string[] }

/** Stores the files `markdown` (from `mdFile`, inside `spaceDir`) links to, and rewrites the links. */
export async function importLinkedFiles(markdown: string, mdFile: string, spaceDir: string, pageId: number | null): Promise<LinkedFiles> {
  const found = new Map<string, string>(); // link target → attachment URL
  const ids: number[] = [];
  const files: string[] = [];
  const code = codeRanges(markdown);
  for (const { 2: target, index } of markdown.matchAll(MARKDOWN_FILE_LINK)) {
    if (found.has(target!) || NOT_A_FILE.test(target!) || inCode(code, index)) continue;
    let rel: string;
    // Each segment decoded whole, so "a%26b.png" finds a&b.png; a decoded "/" or ".." is caught below.
    try { rel = target!.replace(/[?#].*$/, '').split('/').map(decodeURIComponent).join('/'); } catch { continue; }
    if (rel.includes('\0')) continue; // no file's name holds it, and fs refuses such a path by throwing
    const file = rel.startsWith('/') ? path.join(spaceDir, rel) : path.resolve(path.dirname(mdFile), rel);
    const inside = path.relative(spaceDir, file);
    if (inside.startsWith('..') || path.isAbsolute(inside) || /\.md$/i.test(file)) continue;
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile() || stat.size === 0 || stat.size > maxUploadBytes()) continue;
    const attachment = await importFile(file, pageId);
    if (!attachment) continue;
    found.set(target!, attachment.url);
    ids.push(attachment.id);
    files.push(file);
  }
  if (found.size === 0) return { markdown, ids, files };
  const rewrite = (all: string, open: string, target: string, close: string, at: number) => (found.has(target) && !inCode(code, at) ? open + found.get(target)! + close : all);
  return { markdown: markdown.replace(MARKDOWN_FILE_LINK, rewrite), ids, files };
}

async function importFile(file: string, pageId: number | null): Promise<{ id: number; url: string } | null> {
  let stored: NewAttachment;
  try {
    const name = sanitizeName(path.basename(file));
    stored = await storeReceived(await receive(fs.createReadStream(file)), name);
  } catch (err) {
    if (err instanceof DomainError) return null; // an unreadable image, a name that cannot be: left as a link
    throw err;
  }
  const same = pageId === null ? undefined : sameFile().get(pageId, stored.sha256, stored.name);
  if (same) return { id: same.id, url: attachmentUrl(same.id, stored.name) };
  return write((tx) => insertAttachment(tx, pageId, null, { sha256: stored.sha256, name: stored.name, type: stored.type, size: stored.size, text: stored.text }));
}
