// Imports folders of Markdown as spaces: each file a page (where: import-paths.ts). Unchanged files
// are left alone, changed ones become new revisions.
import fs from 'node:fs';
import path from 'node:path';
import { and, eq, isNull, sql } from 'drizzle-orm';
import YAML from 'yaml';
import { pages, revisions } from '../../../db/schema.ts';
import { prepared, write } from '../db.ts';
import { DomainError } from '../errors.ts';
import { deriveTags, deriveTitle, splitFrontmatter } from '../markdown/frontmatter.ts';
import { wakeOutbox } from '../outbox.ts';
import { MAX_MARKDOWN_BYTES } from '../pages/page-path.ts';
import { commitSave, normalizeMarkdown, validateSave, type PreparedSave } from '../pages/save-page.ts';
import { upsertSpace, type Space, type ValidSpaceSettings, type Visibility } from '../spaces/spaces.ts';
import { confluenceToMarkdown, isConfluenceExport } from './confluence-html.ts';
import { validSpaceSettings, type SpaceSettings } from '../admin/spaces.ts';
import type { RenderPool } from '../pages/render-pool.ts';
import { claimAttachments, recordRevisionAttachments } from '../attachments/attachments.ts';
import { importLinkedFiles } from '../attachments/import.ts';
import { findLivePage } from '../pages/get-page.ts';
import { linkPages, pagePathFor, pagePathsOf, withoutImageSizes } from './import-paths.ts';
import { liquidToMarkdown, siteAddresses } from './liquid.ts';
import { linksToDatabases, notionDatabases } from './notion-databases.ts';
import { applyPageFacts, hasFacts, readPageFacts, type PageFacts, type Warn } from './page-facts.ts';

export interface ImportReport {
  spaces: { key: string; created: number; updated: number; unchanged: number }[];
  /** Files left out, and why: in English, and by a `code` with its figures for the admin's language (`error.<code>` in src/i18n). */
  skipped: ({ file: string; reason: string; code?: string } & Record<string, unknown>)[];
  /** Files imported with a frontmatter value left out (a bad date, an unknown owner), said as `skipped` is. */
  warnings?: ({ file: string; reason: string; code?: string } & Record<string, unknown>)[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const BATCH = 500;

/** A file of the space's folder; `text` for a page made here rather than read (a Notion database's). */
interface SourceFile { file: string; rel: string; text?: string }

function walk(dir: string, root = dir, out: SourceFile[] = []): SourceFile[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.')) walk(file, root, out); // .git and the like
      continue;
    }
    if (entry.name.startsWith('.') && !/\.md$/i.test(entry.name)) continue; // .DS_Store and the like
    else out.push({ file, rel: path.relative(root, file) });
  }
  return out;
}

/** The space's settings from its folder's _space.yaml, checked (an import stops on a bad one, naming the file). */
function readSpaceYaml(dir: string): ValidSpaceSettings {
  const file = path.join(dir, '_space.yaml');
  if (!fs.existsSync(file)) return {};
  const data = YAML.parse(fs.readFileSync(file, 'utf8'), { maxAliasCount: 10 }) as unknown;
  if (!data || typeof data !== 'object') return {};
  const { name, kind, visibility, description, searchWeight, reference } = data as SpaceSettings;
  try {
    return validSpaceSettings({ name, kind, visibility, description, searchWeight, reference });
  } catch (err) {
    throw new Error(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

// A page's frontmatter is read from its first bytes when they name one of its site addresses.
const HEAD_BYTES = 8192;
const NAMES_ADDRESS = /^(?:permalink|redirect_from):/m;

/** The pages of the static-site addresses (`permalink`, `redirect_from`) the files' frontmatter gives them. */
function siteAddressesOf(files: SourceFile[], pagePaths: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  const head = Buffer.alloc(HEAD_BYTES);
  for (const { file, rel } of files) {
    const page = pagePaths.get(rel);
    if (page === undefined) continue;
    const fd = fs.openSync(file, 'r');
    let text: string;
    try { text = head.toString('utf8', 0, fs.readSync(fd, head, 0, HEAD_BYTES, 0)); } finally { fs.closeSync(fd); }
    if (!NAMES_ADDRESS.test(text)) continue; // splitFrontmatter finds none without a leading ---
    for (const address of siteAddresses(splitFrontmatter(text).data)) if (!out.has(address)) out.set(address, page);
  }
  return out;
}

/** A space key from a folder name: lower-case ASCII letters, digits and "-". */
export function spaceKeyFor(folder: string): string {
  return folder.normalize('NFKC').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64) || 'space';
}

function clip(title: string): string {
  const clean = title.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/\s+/g, ' ').trim();
  return [...clean].slice(0, 300).join('');
}

/**
 * Who runs an import (`npm run import -- --as <email>`): the owner of last resort of its new pages;
 * `reference` (`--reference`): the spaces are reference collections (manuals, vendor docs), ranked
 * below the company's own spaces in search when relevance is close.
 */
export interface ImportOptions {
  importerId?: number; reference?: boolean;
  /** Who may read the new space, as the importing admin chose it: over what its _space.yaml says. */
  visibility?: Visibility;
  /** Where a space folder in Confluence's HTML export is made a folder of Markdown first (confluence-html.ts); without it such a folder is imported as it is. */
  scratch?: string;
  /** Told the space's count of pages stored so far after each batch commits. */
  progress?: (key: string, pages: number) => void;
}

/** Imports one folder as one space. Rendering runs on the pool's workers; commits go in batches. */
export async function importSpace(source: string, key: string, report: ImportReport, pool: RenderPool, log: (m: string) => void = () => {}, opts: ImportOptions = {}): Promise<void> {
  // Converted under the same folder name, so the report names files as the export holds them.
  const dir = opts.scratch && isConfluenceExport(source) ? path.join(opts.scratch, path.basename(source)) : source;
  if (dir !== source) await confluenceToMarkdown(source, dir);
  const meta = readSpaceYaml(dir);
  const space = write((tx) => upsertSpace(tx, { ...meta, ...(opts.reference && { reference: true }), ...(opts.visibility && { visibility: opts.visibility }), key }));
  const counts = { key, created: 0, updated: 0, unchanged: 0 };
  const seen = new Map<string, string>();
  // Each save with the attachments its links were turned into (stored before the page may exist)
  // and its frontmatter facts; an unchanged page with facts comes without a save.
  interface Item { save: PreparedSave | null; attachmentIds: number[]; path: string; facts: PageFacts; warn: Warn }
  let pending: Promise<Item | null>[] = [];
  const attachedFiles = new Set<string>();
  const commit = (batch: (Item | null)[]) => {
    write((tx) => {
      for (const item of batch) {
        if (item === null) continue;
        const r = item.save && commitSave(tx, space, null, item.save);
        if (r && item.save && item.attachmentIds.length) {
          const pageId = findLivePage(space.id, r.path)!.id;
          claimAttachments(pageId, item.attachmentIds, null);
          recordRevisionAttachments(pageId, r.revision, item.save.markdown, false);
        }
        applyPageFacts(tx, space.id, item.path, item.facts, r?.created === true, item.warn, opts.importerId);
        if (!r) continue;
        if (r.created) counts.created++;
        else if (r.changed) counts.updated++;
        else counts.unchanged++;
      }
    });
    wakeOutbox();
    const stored = counts.created + counts.updated + counts.unchanged;
    log(`${key}: ${stored} pages`);
    opts.progress?.(key, stored);
  };
  // Batches commit in order, one at a time, while the workers go on rendering the next one.
  let committing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const renders = pending;
    pending = [];
    await committing;
    committing = Promise.all(renders).then(commit);
    committing.catch(() => {}); // awaited at the next flush or at the end
  };
  const walked = walk(dir);
  const databases = notionDatabases(dir, walked.map((f) => f.rel));
  const files = [...walked, ...databases.map((d) => ({ file: path.join(dir, d.rel), rel: d.rel, text: d.markdown }))];
  const pagePaths = pagePathsOf(files.filter((f) => /\.md$/i.test(f.rel)).map((f) => f.rel));
  const addresses = siteAddressesOf(walked, pagePaths);
  for (const { file, rel, text } of files) {
    const skip = (reason: string, refusal: Record<string, unknown> = {}) => report.skipped.push({ ...refusal, file: path.join(path.basename(dir), rel), reason });
    const warn: Warn = (reason, refusal = {}) => (report.warnings ??= []).push({ ...refusal, file: path.join(path.basename(dir), rel), reason });
    if (!/\.md$/i.test(rel)) {
      // _space.yaml describes the space; _requirements.csv holds a declared project's requirements (seed-projects.ts),
      // _phases.yaml its phase history (projects/seed-phases.ts).
      if (rel !== '_space.yaml' && rel !== '_requirements.csv' && rel !== '_phases.yaml') skip('not a page, and no page links to it', { code: 'fileNotLinked' });
      continue;
    }
    try {
      const pagePath = pagePaths.get(rel) ?? pagePathFor(rel); // a path no page may have: pagePathFor says why
      const other = seen.get(pagePath);
      if (other !== undefined) { skip(`same page path "${pagePath}" as ${other}`, { code: 'samePagePath', path: pagePath, other }); continue; }
      seen.set(pagePath, rel);
      const bytes = text === undefined ? fs.readFileSync(file) : Buffer.from(text);
      if (bytes.length > MAX_MARKDOWN_BYTES) { skip('larger than 2 MB', { code: 'fileTooLarge', mb: MAX_MARKDOWN_BYTES / 1024 / 1024 }); continue; }
      let source: string;
      try { source = utf8.decode(bytes); } catch { skip('not valid UTF-8', { code: 'fileNotUtf8' }); continue; }
      const { data, body } = splitFrontmatter(source);
      // A page made for a database links its own CSV files; any other page's links to them lead to it.
      const own = text === undefined ? linksToDatabases(body, rel, databases) : body;
      const linked = await importLinkedFiles(liquidToMarkdown(withoutImageSizes(normalizeMarkdown(own).replace(/^\n+/, ''))), file, dir, findLivePage(space.id, pagePath)?.id ?? null);
      for (const f of linked.files) attachedFiles.add(f);
      // The blank line after frontmatter gone, file links pointing at attachments, page links at pages.
      const markdown = linkPages(linked.markdown, rel, pagePaths, space.key, addresses);
      const title = clip(deriveTitle(data, body, path.basename(rel))) || pagePath || space.name;
      const tags = deriveTags(data);
      const facts = readPageFacts(data, warn);
      if (isUnchanged(space, pagePath, title, tags, markdown)) {
        counts.unchanged++;
        if (hasFacts(facts)) pending.push(Promise.resolve({ save: null, attachmentIds: [], path: pagePath, facts, warn }));
        continue;
      }
      const valid = validateSave({ space: space.key, path: pagePath, title, markdown, tags });
      pending.push(pool.render(space.key, valid.markdown)
        .then((rendered) => ({ save: { ...valid, rendered }, attachmentIds: linked.ids, path: valid.path, facts, warn }))
        .catch((err: Error) => { skip(err.message, err instanceof DomainError ? err.extra : {}); return null; }));
      if (pending.length >= BATCH) await flush();
    } catch (err) {
      if (err instanceof DomainError) skip(err.message, err.extra);
      else throw err;
    }
  }
  await flush();
  await committing;
  // Files that came in as attachments were not skipped after all.
  report.skipped = report.skipped.filter((s) => !attachedFiles.has(path.join(path.dirname(dir), s.file)));
  report.spaces.push(counts);
}

const currentVersion = prepared((d) => d.select({ markdown: revisions.markdown, title: pages.title, tags: pages.tags }).from(pages)
  .innerJoin(revisions, and(eq(revisions.pageId, pages.id), eq(revisions.number, pages.revision)))
  .where(and(eq(pages.spaceId, sql.placeholder('spaceId')), eq(pages.path, sql.placeholder('path')), isNull(pages.deletedAt))).prepare());

/** Compare before rendering: re-imports of unchanged folders then cost almost nothing. */
function isUnchanged(space: Space, pagePath: string, title: string, tags: string[], markdown: string): boolean {
  const row = currentVersion().get({ spaceId: space.id, path: pagePath });
  return !!row && row.title === title && JSON.stringify(row.tags) === JSON.stringify(tags)
    && row.markdown === markdown;
}

/** Imports each subfolder of `root` as a space named after the folder. */
export async function importFolders(root: string, pool: RenderPool, log: (m: string) => void = () => {}, opts: ImportOptions = {}): Promise<ImportReport> {
  const report: ImportReport = { spaces: [], skipped: [] };
  for (const entry of fs.readdirSync(root, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    if (!entry.isDirectory()) { report.skipped.push({ file: entry.name, reason: 'not inside a space folder' }); continue; }
    await importSpace(path.join(root, entry.name), spaceKeyFor(entry.name), report, pool, log, opts);
  }
  return report;
}
