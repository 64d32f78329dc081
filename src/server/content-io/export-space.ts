// A space, or one page with the pages under it, as a zip of Markdown in the layout the folder
// import reads (content-io/import-folder.ts), so that exporting here and `npm run import` there
// keeps titles, tags, owners, dates, review dates, attachments and, for a project's space, its
// requirements. What is in it is what the viewer may read, decided now: the space as a page view
// decides it, and a project's requirements as its list does (row-level restrictions included).
// Streamed: yazl asks for each entry when its turn comes, so a page's text is read from SQLite and
// a file opened only then, and the client's pace sets the server's.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import YAML from 'yaml';
import yazl from 'yazl';
import type { Viewer } from '../access/index.ts';
import { appendAudit } from '../admin/audit.ts';
import { MARKDOWN_FILE_LINK } from '../attachments/import.ts';
import { blobPath } from '../attachments/store.ts';
import { prepared, write } from '../db.ts';
import { unauthorized } from '../errors.ts';
import { loadPage } from '../pages/get-page.ts';
import { listRequirements } from '../requirements/list.ts';
import { toCsv } from '../requirements/csv-export.ts';
import { REQUIREMENTS_FILE } from './seed-projects.ts';
import { getSpace, type Space } from '../spaces/spaces.ts';

export interface SpaceExport { filename: string; stream: Readable; pages: number; files: number }

interface PageEntry {
  id: number; path: string; title: string; tags: string; revision: number; createdAt: number; updatedAt: number;
  verifiedAt: number | null; reviewBy: string | null; owner: string | null;
}
interface FileEntry { id: number; name: string; type: string; sha256: string; createdAt: number }

// The live pages at `prefix` and under it ('' for all).
const UNDER = `p.space_id = :space and p.deleted_at is null
  and (:prefix = '' or p.path = :prefix or substr(p.path, 1, length(:prefix) + 1) = :prefix || '/')`;
const pagesUnder = prepared((d) => d.$client.prepare<{ space: number; prefix: string }, PageEntry>(
  `select p.id, p.path, p.title, p.tags, p.revision, p.created_at as createdAt, p.updated_at as updatedAt,
     p.verified_at as verifiedAt, p.review_by as reviewBy, o.email as owner
   from pages p left join users o on o.id = p.owner_id where ${UNDER} order by p.path`,
));
// Their live attachments.
const filesUnder = prepared((d) => d.$client.prepare<{ space: number; prefix: string }, FileEntry>(
  `select a.id, a.name, a.type, a.sha256, a.created_at as createdAt
   from attachments a join pages p on p.id = a.page_id where a.deleted_at is null and ${UNDER} order by a.id`,
));
const markdownOf = prepared((d) => d.$client.prepare<[number, number], { markdown: string }>(
  'select markdown from revisions where page_id = ? and number = ?',
));
const projectOf = prepared((d) => d.$client.prepare<[number], { key: string; name: string; owner: string }>(
  'select p.key, p.name, u.email as owner from projects p join users u on u.id = p.owner_id where p.space_id = ?',
));

const REQUIREMENTS_PAGE = 500;
// Already compressed, or binary that deflate barely shrinks: stored as they are.
const COMPRESSIBLE = /^text\/|json|xml|yaml|csv|markdown|svg/;
// Characters some file system refuses in a name (Windows' set, and "%" and "#", which links would
// have to escape), and names Windows reserves.
const UNSAFE_IN_NAME = /[\\/:*?"<>|%#\u0000-\u001f\u007f]/g;
const RESERVED_NAME = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/** An attachment's name as a file name on any system: unsafe characters become "_", length bounded. */
export function fileNameFor(name: string): string {
  let safe = name.replace(UNSAFE_IN_NAME, '_').replace(/^[\s.]+|[\s.]+$/g, '') || 'file';
  if (RESERVED_NAME.test(safe)) safe = `_${safe}`;
  while (Buffer.byteLength(safe) > 200) safe = [...safe].slice(1).join('');
  return safe;
}

/** A relative link target from one file of the archive to another, each segment escaped for Markdown. */
function relativeLink(fromFile: string, toFile: string): string {
  return path.posix.relative(path.posix.dirname(fromFile), toFile).split('/')
    .map((s) => (s === '..' ? s : encodeURIComponent(s).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)))
    .join('/');
}

const pageFile = (p: { path: string }) => `${p.path || 'index'}.md`;
const isoDate = (ms: number | null) => (ms === null ? undefined : new Date(ms).toISOString());

/** The page's file: its facts as frontmatter (the keys page-facts.ts reads back), then its Markdown. */
function pageText(p: PageEntry, markdown: string): string {
  const facts = {
    title: p.title, tags: JSON.parse(p.tags) as string[], owner: p.owner ?? undefined,
    created: isoDate(p.createdAt), updated: isoDate(p.updatedAt), reviewed: isoDate(p.verifiedAt), 'review-by': p.reviewBy ?? undefined,
  };
  return `---\n${YAML.stringify(facts)}---\n\n${markdown}`;
}

function spaceYaml(space: Space, project: { key: string; name: string; owner: string } | undefined): string {
  const settings = {
    name: space.name, kind: space.kind, visibility: space.visibility, description: space.description || undefined,
    searchWeight: space.searchWeight === 1 ? undefined : space.searchWeight, reference: space.reference || undefined,
    project,
  };
  return `# Exported from Dossier on ${new Date().toISOString()}; \`npm run import\` reads this folder back.\n${YAML.stringify(settings)}`;
}

/** The project's requirements the viewer may read, as the list's CSV (the importer's format), a page of rows at a time. */
function* requirementsCsv(viewer: Viewer | null, projectKey: string): Generator<string> {
  for (let offset = 0; ; offset += REQUIREMENTS_PAGE) {
    const rows = listRequirements(viewer, projectKey, { sort: 'key', dir: 'asc', limit: REQUIREMENTS_PAGE, offset });
    if (offset === 0 || rows.length > 0) yield toCsv(rows, { header: offset === 0 });
    if (rows.length < REQUIREMENTS_PAGE) return;
  }
}

/** What an export of `spaceKey` (`rawPath`: '' or a page) would be, for a viewer who may read it: a HEAD asks only this. */
export function exportTarget(viewer: Viewer | null, spaceKey: string, rawPath: string): { space: Space; prefix: string; filename: string } {
  if (!viewer) throw unauthorized();
  const space = getSpace(viewer, spaceKey);
  const prefix = rawPath === '' ? '' : loadPage(viewer, space, rawPath).page.path;
  const name = prefix === '' ? space.key : `${space.key}-${prefix.split('/').pop()}`;
  return { space, prefix, filename: `${name}-${new Date().toISOString().slice(0, 10)}.zip` };
}

/**
 * The export of `spaceKey` (`rawPath` '': the whole space; else that page and the pages under it),
 * recorded in the audit log. Unreadable and missing spaces and pages answer the same 404.
 */
export function exportSpace(viewer: Viewer | null, spaceKey: string, rawPath: string): SpaceExport {
  const { space, prefix, filename } = exportTarget(viewer, spaceKey, rawPath);
  const pageRows = pagesUnder().all({ space: space.id, prefix });
  const root = space.key;
  const files = new Map<number, { file: string; entry: FileEntry }>();
  for (const f of filesUnder().all({ space: space.id, prefix })) {
    // A file whose bytes are gone (never expected: `npm run gc` keeps live attachments' files) is
    // left out rather than failing the download halfway.
    if (fs.existsSync(blobPath(f.sha256))) files.set(f.id, { file: `_files/${f.id}/${fileNameFor(f.name)}`, entry: f });
  }
  const project = prefix === '' ? projectOf().get(space.id) : undefined;
  const zip = new yazl.ZipFile();
  const text = (s: string) => Readable.from([Buffer.from(s)]);
  zip.addBuffer(Buffer.from(spaceYaml(space, project)), `${root}/_space.yaml`);
  for (const p of pageRows) {
    const file = pageFile(p);
    zip.addReadStreamLazy(`${root}/${file}`, { mtime: new Date(p.updatedAt) }, (cb) => {
      const markdown = markdownOf().get(p.id, p.revision)?.markdown ?? '';
      cb(null, text(pageText(p, linksToArchive(markdown, file, files))));
    });
  }
  for (const { file, entry } of files.values()) {
    zip.addReadStreamLazy(`${root}/${file}`, { mtime: new Date(entry.createdAt), compress: COMPRESSIBLE.test(entry.type) }, (cb) => cb(null, fs.createReadStream(blobPath(entry.sha256))));
  }
  if (project) zip.addReadStreamLazy(`${root}/${REQUIREMENTS_FILE}`, (cb) => cb(null, Readable.from(requirementsCsv(viewer, project.key), { objectMode: false })));
  zip.end();
  const out = zip.outputStream as Readable;
  zip.on('error', (err: Error) => out.destroy(err)); // a file that cannot be read ends the download as failed
  write((tx) => appendAudit(tx, viewer!, 'space.export', prefix === '' ? space.key : `${space.key}/${prefix}`, null, { pages: pageRows.length, files: files.size }));
  return { filename, stream: out, pages: pageRows.length, files: files.size };
}

/** Links to exported attachments (`/files/<id>/<name>`, as the editor writes them) point at their files in the archive. */
function linksToArchive(markdown: string, fromFile: string, files: ReadonlyMap<number, { file: string }>): string {
  return markdown.replace(MARKDOWN_FILE_LINK, (all, open: string, target: string, close: string) => {
    const id = /^\/files\/(\d{1,15})\//.exec(target)?.[1];
    const to = id === undefined ? undefined : files.get(Number(id));
    return to ? open + relativeLink(fromFile, to.file) + close : all;
  });
}
