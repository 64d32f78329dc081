// A space imported from a zip archive a site admin uploads (Admin → Spaces): a Dossier export
// (export-space.ts), any folder of Markdown zipped (Outline's, Obsidian's, Wiki.js's, Notion's,
// whose export comes as zips inside the zip) or Confluence's HTML space export. The whole archive is checked before one file is
// unpacked, and nothing is written to the database before it is unpacked: an archive refused for
// any reason (not a zip, an entry outside its folder, a link, encryption, too many or too large
// files, sizes that lie) leaves no space, page or file behind.
// The pages are imported by a process of its own (import-job.ts), as `npm run import` would.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import yauzl from 'yauzl';
import type { Viewer } from '../access/index.ts';
import { assertSiteAdminOr404 } from '../admin/holdings.ts';
import { discard } from '../attachments/store.ts';
import { receiveFilePart } from '../attachments/upload.ts';
import { appendAudit } from '../admin/audit.ts';
import { dataDir, maxImportBytes } from '../config.ts';
import { write } from '../db.ts';
import { badInput, conflict, DomainError, tooLarge } from '../errors.ts';
import { assertSpaceKey, findSpace, VISIBILITIES, type Visibility } from '../spaces/spaces.ts';
import { oneOf } from '../params.ts';
import { isConfluenceExport } from './confluence-html.ts';
import { spaceKeyFor, type ImportReport } from './import-folder.ts';
import type { JobResult } from './import-job.ts';
import { importCut, interruptedImports, recordCutImport, type ImportStart, type InterruptedImport } from './interrupted-imports.ts';

/** At most this many files in an archive, and this many bytes once unpacked (a zip bomb stops here). */
export const ARCHIVE_LIMITS = { entries: 20_000, unpackedBytes: 2 * 1024 ** 3 };

/** The figures an archive's size refusal names, in its words in either language. */
export const archiveLimits = () => ({ mb: Math.round(maxImportBytes() / 1024 / 1024), files: ARCHIVE_LIMITS.entries, gb: ARCHIVE_LIMITS.unpackedBytes / 1024 ** 3 });

/** An archive over a limit; the refusal carries all three figures. */
const archiveTooLarge = (message: string) => tooLarge(message, { code: 'archiveTooLarge', ...archiveLimits() });

export const importTooLarge = () => archiveTooLarge(`An archive is at most ${Math.round(maxImportBytes() / 1024 / 1024)} MB`);

export interface ArchiveImport extends ImportReport { space: string; project: string | null; problems: string[] }

// Unix file types in the upper half of an entry's external attributes.
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

/** Zip clutter of other tools (macOS resource forks, Finder's folder settings): skipped, never imported. */
const isClutter = (name: string) => name.startsWith('__MACOSX/') || /(^|\/)\.DS_Store$/.test(name);

const unsafe = (what: string) => badInput(`This archive cannot be imported: ${what}`, { code: 'unsafeArchive' });

function open(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false, strictFileNames: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) reject(badInput('This file is not a zip archive', { code: 'notZip' }));
      else resolve(zip);
    });
  });
}

/**
 * Every entry of the central directory, each checked; a name yauzl finds unsafe (absolute, "..",
 * "\") refuses the archive. `budget`: the files and bytes an import may still unpack, taken from.
 */
function entries(zip: yauzl.ZipFile, budget: { entries: number; bytes: number }): Promise<yauzl.Entry[]> {
  budget.entries -= zip.entryCount;
  if (budget.entries < 0) return Promise.reject(archiveTooLarge(`An archive holds at most ${ARCHIVE_LIMITS.entries.toLocaleString('en')} files`));
  return new Promise((resolve, reject) => {
    const out: yauzl.Entry[] = [];
    zip.on('error', (err: Error) => reject(unsafe(err.message)));
    zip.on('end', () => resolve(out));
    zip.on('entry', (entry: yauzl.Entry) => {
      const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
      const name = entry.fileName;
      if (/[\u0000-\u001f\u007f]/.test(name)) return reject(unsafe('a file name holds control characters'));
      if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) return reject(unsafe(`"${name}" is a link or a special file`));
      if (entry.isEncrypted()) return reject(unsafe(`"${name}" is encrypted`));
      budget.bytes -= entry.uncompressedSize;
      if (budget.bytes < 0) return reject(archiveTooLarge(`An archive unpacks to at most ${ARCHIVE_LIMITS.unpackedBytes / 1024 ** 3} GB`));
      if (!name.endsWith('/') && !isClutter(name)) out.push(entry);
      zip.readEntry();
    });
    zip.readEntry();
  });
}

/** Writes the checked entries under `into`; a stream whose size differs from its header (yauzl checks) fails it. */
async function unpack(zip: yauzl.ZipFile, list: yauzl.Entry[], into: string): Promise<void> {
  for (const entry of list) {
    const file = path.join(into, entry.fileName.normalize('NFC'));
    if (!file.startsWith(into + path.sep)) throw unsafe(`"${entry.fileName}" is outside the archive's folder`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => zip.openReadStream(entry, (err, s) => (err || !s ? reject(unsafe(err?.message ?? 'unreadable entry')) : resolve(s))));
    try {
      // "wx": the same name twice (or once as a file and once as a folder) is refused, not overwritten.
      await pipeline(stream, fs.createWriteStream(file, { flags: 'wx' }));
    } catch (err) {
      if (err instanceof DomainError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      throw unsafe(code === 'EEXIST' || code === 'EISDIR' || code === 'ENOTDIR' ? `"${entry.fileName}" is in it twice` : String((err as Error).message).replaceAll(into, ''));
    }
  }
}

/** In an import's folder: who started it, for which space, when (ImportStart). */
const START_FILE = 'import.json';

/**
 * Imports running now, by their space's key: a second import to the same key is refused, not
 * merged into the first; and how far each has come, for the admin waiting on it.
 */
const importing = new Map<string, { startedAt: number; pages: number }>();

/**
 * GET /api/v1/imports (site admins; 404 for anyone else): the imports running now, each space's key,
 * pages stored so far and since when; and the spaces imports left unfinished (interrupted-imports.ts).
 */
export function importStatus(viewer: Viewer | null): { imports: { space: string; pages: number; startedAt: string }[]; interrupted: InterruptedImport[] } {
  assertSiteAdminOr404(viewer);
  return {
    imports: [...importing].map(([space, { pages, startedAt }]) => ({ space, pages, startedAt: new Date(startedAt).toISOString() })),
    interrupted: interruptedImports(viewer),
  };
}

function assertNewSpace(key: string): void {
  if (findSpace(key) || importing.has(key)) throw conflict(`A space "${key}" already exists: choose another key`, { code: 'spaceExists', key });
}

// The built server is bundled, so it finds the job through the project root set by `npm start`.
const jobFile = () => (process.env.DOSSIER_ROOT ? path.join(process.env.DOSSIER_ROOT, 'src/server/content-io/import-job.ts') : fileURLToPath(new URL('./import-job.ts', import.meta.url)));

/**
 * Imports the space folder under `spaces` in a process of its own (import-job.ts), which returns
 * all its memory when it ends. `archiveFolder`: the folder it was in the archive (null: its root).
 */
function runImportJob(spaces: string, importerId: number, key: string, archiveFolder: string | null, visibility: Visibility | undefined): Promise<JobResult> {
  return new Promise((resolve, reject) => {
    const job = spawn(process.execPath, [jobFile(), spaces, String(importerId), ...(visibility ? [visibility] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = ''; // its lines but the progress ones, which are kept only as the count they give
    let partial = '';
    job.stdout.on('data', (c: Buffer) => {
      const lines = (partial + c.toString()).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('{"progress":')) importing.get(key)!.pages = (JSON.parse(line) as { progress: { pages: number } }).progress.pages;
        else out += `${line}\n`;
      }
    });
    job.once('error', reject);
    job.once('close', () => {
      out += partial;
      let answer: JobResult & { error?: string };
      try {
        answer = JSON.parse(out.trim().split('\n').at(-1) ?? '');
      } catch {
        return reject(new Error(`the import of "${key}" ended without a report`));
      }
      if (answer.error === undefined) return resolve(answer);
      // A _space.yaml it cannot use stops it before the space exists: said with the file named as in the archive.
      if (findSpace(key)) return reject(new Error(answer.error));
      reject(badInput(answer.error.replaceAll(path.join(spaces, key) + path.sep, archiveFolder === null ? '' : `${archiveFolder}/`), { code: 'badSpaceSettings' }));
    });
  });
}

// A page: Markdown, or the index.html of Confluence's HTML export (confluence-html.ts tells, once unpacked).
const isPage = (e: yauzl.Entry) => /\.md$/i.test(e.fileName) || /(^|\/)index\.html$/i.test(e.fileName);
const noPages = () => badInput('This archive holds no Markdown (.md) pages, nor a Confluence HTML export', { code: 'noPages' });
const hasMarkdown = (dir: string) => fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).some((f) => /\.md$/i.test(f));

/** Parts of an export split in zips (Notion's: `Export-<id>-Part-1.zip` inside the zip it sends). */
const isPart = (e: yauzl.Entry) => /^[^/]+\.zip$/i.test(e.fileName);

/**
 * Checks the archive whole, then unpacks it into `into`. An archive of nothing but zips (an export
 * in parts) is unpacked part by part into `into`, each part checked whole before it is, all of
 * them within the one archive's limits (ARCHIVE_LIMITS); `partsDir` holds the parts meanwhile.
 */
async function unpackArchive(zipFile: string, into: string, partsDir: string): Promise<void> {
  const budget = { entries: ARCHIVE_LIMITS.entries, bytes: ARCHIVE_LIMITS.unpackedBytes };
  const unpackChecked = async (file: string, dest: string, parts: boolean) => {
    const zip = await open(file);
    try {
      const list = await entries(zip, budget);
      const split = parts && list.length > 0 && list.every(isPart);
      // A part may hold only files; the pages are looked for once all parts are in.
      if (parts && !split && !list.some(isPage)) throw noPages();
      await unpack(zip, list, split ? partsDir : dest);
      return split ? list.map((e) => path.join(partsDir, e.fileName)) : [];
    } finally {
      zip.close();
    }
  };
  for (const part of await unpackChecked(zipFile, into, true)) await unpackChecked(part, into, false);
}

/** The folder that is the space: the archive's only top-level folder (an export's `<key>/`), else its root. */
function spaceFolder(root: string): { dir: string; name: string | null } {
  const top = fs.readdirSync(root, { withFileTypes: true });
  return top.length === 1 && top[0]!.isDirectory() ? { dir: path.join(root, top[0]!.name), name: top[0]!.name } : { dir: root, name: null };
}

/**
 * Imports the zip at `zipFile` as a new space `key` (else named after the archive's folder), as
 * `npm run import` would: pages with their frontmatter facts, linked files as attachments, and a
 * project its `_space.yaml` declares with its `_requirements.csv`. Site admins only (404 otherwise).
 */
/**
 * `visibility`: who may read the new space (`restricted`: only those granted it), over what the
 * archive's _space.yaml says; without it, the archive's setting or everyone signed in.
 */
export async function importArchive(viewer: Viewer | null, zipFile: string, key: string | undefined, visibility?: string): Promise<ArchiveImport> {
  assertSiteAdminOr404(viewer);
  if (key?.trim()) assertNewSpace(assertSpaceKey(key.trim()));
  const readers = visibility ? oneOf('visibility', visibility, VISIBILITIES) : undefined;
  const work = fs.mkdtempSync(path.join(dataDir(), 'import-'));
  let claimed: string | null = null;
  try {
    await unpackArchive(zipFile, path.join(work, 'unpacked'), path.join(work, 'parts'));
    const found = spaceFolder(path.join(work, 'unpacked'));
    if (!hasMarkdown(found.dir) && !isConfluenceExport(found.dir)) throw noPages();
    if (!key?.trim() && !found.name) throw badInput('Give the new space a key: this archive has no single top folder to name it after', { code: 'spaceKeyNeeded' });
    const spaceKey = assertSpaceKey(key?.trim() || spaceKeyFor(found.name!));
    assertNewSpace(spaceKey);
    const start: ImportStart = { space: spaceKey, importerId: viewer.id, startedAt: Date.now() };
    importing.set((claimed = spaceKey), { startedAt: start.startedAt, pages: 0 });
    // Read by the server's next start if this one stops before the import ends (removeAbandonedImports).
    fs.writeFileSync(path.join(work, START_FILE), JSON.stringify(start));
    // Under its key, so that a project declared in its _space.yaml is seeded into this space.
    const spaces = path.join(work, 'spaces');
    fs.mkdirSync(spaces);
    fs.renameSync(found.dir, path.join(spaces, spaceKey));
    const { report, project, problems } = await runImportJob(spaces, viewer.id, spaceKey, found.name, readers).catch((err: unknown) => {
      // Its job died (or stopped on an error) after the space was made: say so, and tell the admins.
      const stored = recordCutImport(start);
      throw stored === null ? err : importCut(spaceKey, stored);
    });
    const counts = report.spaces[0] ?? { key: spaceKey, created: 0, updated: 0, unchanged: 0 };
    write((tx) => appendAudit(tx, viewer, 'space.import', spaceKey, null, { pages: counts.created, skipped: report.skipped.length, project }));
    // Named as in the archive: under its top folder, not the space's key the import ran under.
    const inArchive = (file: string) => [...(found.name === null ? [] : [found.name]), ...file.split(path.sep).slice(1)].join('/');
    return {
      space: spaceKey, project, problems, spaces: report.spaces,
      skipped: report.skipped.map((s) => ({ ...s, file: inArchive(s.file) })),
      warnings: (report.warnings ?? []).map((w) => ({ ...w, file: inArchive(w.file) })),
    };
  } finally {
    if (claimed) importing.delete(claimed);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The folders of imports a stopped server left behind (cut off by a crash or a restart, their jobs
 * gone with it): each import that had made its space is recorded as cut off (interrupted-imports.ts),
 * then the folder is removed, when the server starts, before it takes an import. How many there were.
 */
export function removeAbandonedImports(): number {
  const left = fs.readdirSync(dataDir(), { withFileTypes: true }).filter((e) => e.isDirectory() && e.name.startsWith('import-'));
  for (const e of left) {
    const folder = path.join(dataDir(), e.name);
    const start = readStart(path.join(folder, START_FILE));
    if (start) recordCutImport(start);
    fs.rmSync(folder, { recursive: true, force: true });
  }
  return left.length;
}

/** The start an import folder records; null when it has none (cut off before it chose its space) or it cannot be read. */
function readStart(file: string): ImportStart | null {
  try {
    const start = JSON.parse(fs.readFileSync(file, 'utf8')) as ImportStart;
    return typeof start.space === 'string' && Number.isInteger(start.importerId) && Number.isFinite(start.startedAt) ? start : null;
  } catch {
    return null;
  }
}

/** An uploaded archive (multipart: `file`, and `space`, the new space's key), streamed to a temporary file first. */
export async function importUploadedArchive(viewer: Viewer | null, headers: IncomingHttpHeaders, body: Readable): Promise<ArchiveImport> {
  assertSiteAdminOr404(viewer); // before a byte of the body is read
  const { received, fields } = await receiveFilePart(headers, body, { bytes: maxImportBytes(), refusal: importTooLarge });
  try {
    return await importArchive(viewer, received.tmp, fields.get('space'), fields.get('visibility') || undefined);
  } finally {
    discard(received);
  }
}
