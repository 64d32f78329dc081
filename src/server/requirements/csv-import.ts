// Importing requirements from a spreadsheet (CSV): map its columns to our fields, validate every
// row (a dry run stops there and changes nothing), then create all of them in one transaction or
// none. Rows without an assignee are routed by the project's rules, like a submission. A migration
// keeps its history: reporter and assignee (import-people.ts), and the created, updated and closed
// dates, which the requirement's events and the project's figures then use.
import os from 'node:os';
import type { Viewer } from '../access/index.ts';
import { db, write } from '../db.ts';
import { badInput, DomainError } from '../errors.ts';
import { wakeOutbox } from '../outbox.ts';
import { RenderPool, renderPool } from '../pages/render-pool.ts';
import { loadProject, projectCategories } from '../projects/projects.ts';
import type { Category } from '../projects/workflow.ts';
import {
  cellText, decodeCsvBytes, IMPORT_FIELDS, MAX_CSV_BYTES, parseDate, parsePriority, parseTimestamp, readCsv, resolveMapping, splitTags,
  type Encoding, type ImportField, type Mapping,
} from './csv-read.ts';
import { validDescription, validTags, validTitle, type Priority } from './fields.ts';
import { createPlaceholders, importPeople, type ImportPerson } from './import-people.ts';
import { insertRequirement, type ImportedDates, type ValidSubmission } from './submit.ts';

export interface ImportInput { csv?: unknown; csvBase64?: unknown; mapping?: unknown; dryRun?: unknown; defaults?: unknown }
export interface ImportError { row: number; field?: ImportField; column?: string; message: string }
export interface PreviewRow {
  row: number; title: string; category: string; status: string; priority: Priority;
  /** Emails, and the names to show (a person the import would create has a placeholder address). */
  assignee: string | null; reporter: string | null; assigneeName: string | null; reporterName: string | null;
  due: string | null; created: string | null; closed: string | null; tags: string[]; description: string;
}
export interface DryRunResult {
  ok: boolean; rows: number; created: 0; errors: ImportError[]; errorCount: number; preview: PreviewRow[];
  /** People the import would create as inactive placeholders (a name or e-mail that matched nobody). */
  /** People no user matches, made inactive placeholders on import; `lookalike`: the user their address looks like. */
  newPeople: { email: string; name: string; lookalike?: { email: string; name: string } }[];
  headers: string[]; mapping: Mapping; delimiter: string; encoding: Encoding;
}
export interface ImportResult { created: number; keys: string[] }

const MAX_ERRORS = 500;
const PREVIEW_ROWS = 20;

interface ParsedRow { row: number; valid: ValidSubmission; status: string; assignee: ImportPerson | null; reporter: ImportPerson | null; dates: ImportedDates }

function sourceText(input: ImportInput): { text: string; encoding: Encoding } {
  if (typeof input.csvBase64 === 'string' && input.csvBase64) {
    if (!/^[A-Za-z0-9+/=\s]+$/.test(input.csvBase64)) throw badInput('csvBase64 is not base64');
    return decodeCsvBytes(Buffer.from(input.csvBase64, 'base64'));
  }
  if (typeof input.csv !== 'string') throw badInput('Send the spreadsheet as csv (text) or csvBase64 (the file\'s bytes)');
  if (Buffer.byteLength(input.csv) > MAX_CSV_BYTES) throw new DomainError(413, 'A CSV file is at most 2 MB', { code: 'csvTooLarge' });
  return { text: input.csv, encoding: 'utf-8' };
}

const lower = (s: string) => s.normalize('NFKC').trim().toLowerCase();

// Words teams use for the default categories besides their keys and names.
const CATEGORY_ALIASES: Record<string, string> = {
  feature: 'feature', features: 'feature', 'feature request': 'feature', story: 'feature', 'user story': 'feature', 功能: 'feature', 新功能: 'feature', 需求: 'feature', 功能需求: 'feature',
  change: 'change', 'change request': 'change', cr: 'change', 变更: 'change', 变更请求: 'change', 需求变更: 'change',
  issue: 'issue', bug: 'issue', defect: 'issue', incident: 'issue', 'customer issue': 'issue', 问题: 'issue', 客户问题: 'issue', 缺陷: 'issue', 故障: 'issue',
};

class Categories {
  private readonly byWord = new Map<string, Category>();
  readonly list: Category[];
  constructor(list: Category[]) {
    this.list = list;
    const byKey = new Map(list.map((c) => [c.key, c]));
    for (const [word, key] of Object.entries(CATEGORY_ALIASES)) if (byKey.has(key)) this.byWord.set(word, byKey.get(key)!);
    for (const c of list) for (const w of [c.key, c.name.en, c.name.zh]) this.byWord.set(lower(w), c);
  }
  find(raw: string): Category | undefined { return this.byWord.get(lower(raw)); }
  describe(): string { return this.list.map((c) => `${c.key} (${c.name.en} / ${c.name.zh})`).join(', '); }
}

function findState(category: Category, raw: string): string | undefined {
  const word = lower(raw);
  return category.states.find((s) => [s.key, s.name.en, s.name.zh].some((w) => lower(w) === word))?.key;
}

interface Defaults { category?: Category; priority?: Priority }

function readDefaults(raw: unknown, categories: Categories): Defaults {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw badInput('defaults is an object {category?, priority?}');
  const { category, priority } = raw as Record<string, unknown>;
  const out: Defaults = {};
  if (category !== undefined && category !== null && category !== '') {
    out.category = typeof category === 'string' ? categories.find(category) : undefined;
    if (!out.category) throw badInput(`defaults.category: no category "${String(category).slice(0, 40)}" (categories: ${categories.describe()})`);
  }
  if (priority !== undefined && priority !== null && priority !== '') {
    try {
      out.priority = parsePriority(String(priority)) ?? undefined;
    } catch (err) {
      throw badInput(`defaults.priority: ${(err as Error).message}`);
    }
  }
  return out;
}

/** Validates every row; nothing is written. */
function interpret(records: { row: number; cells: string[] }[], headers: string[], mapping: Mapping, categories: Categories, defaults: Defaults) {
  const column = Object.fromEntries(Object.entries(mapping).map(([f, h]) => [f, headers.indexOf(h)])) as Partial<Record<ImportField, number>>;
  const findPerson = importPeople(db());
  const now = Date.now();
  const errors: ImportError[] = [];
  const rows: ParsedRow[] = [];
  for (const { row, cells } of records) {
    const rowErrors: ImportError[] = [];
    const cell = (field: ImportField) => (column[field] === undefined ? '' : cellText(cells[column[field]!]));
    const attempt = <T>(field: ImportField, fn: () => T, fallback: T): T => {
      try {
        return fn();
      } catch (err) {
        if (!(err instanceof DomainError) && !(err instanceof Error && err.constructor === Error)) throw err;
        rowErrors.push({ row, field, ...(mapping[field] ? { column: mapping[field] } : {}), message: err.message });
        return fallback;
      }
    };
    const title = attempt('title', () => validTitle(cell('title').replace(/\s+/g, ' ')), '');
    const description = attempt('description', () => validDescription(cell('description').trim()), '');
    const category = attempt('category', () => {
      const raw = cell('category').trim();
      if (!raw) {
        if (defaults.category) return defaults.category;
        throw new Error(`category is empty: use one of ${categories.describe()}, or choose a default category`);
      }
      const found = categories.find(raw);
      if (!found) throw new Error(`"${raw.slice(0, 40)}" is not a category of this project (${categories.describe()})`);
      return found;
    }, undefined);
    const status = attempt('status', () => {
      const raw = cell('status').trim();
      if (!raw || !category) return category?.initial ?? '';
      const found = findState(category, raw);
      if (!found) throw new Error(`"${raw.slice(0, 40)}" is not a state of ${category.key} (${category.states.map((s) => `${s.key} / ${s.name.zh}`).join(', ')})`);
      return found;
    }, '');
    const priority = attempt('priority', () => parsePriority(cell('priority')) ?? defaults.priority ?? 'normal', 'normal' as Priority);
    const person = (field: 'assignee' | 'reporter') => attempt(field, () => (cell(field).trim() ? findPerson(cell(field)) : null), null);
    const [assignee, reporter] = [person('assignee'), person('reporter')];
    const due = attempt('due', () => parseDate(cell('due')), null);
    const tags = attempt('tags', () => validTags(splitTags(cell('tags'))), [] as string[]);
    const moment = (field: 'created' | 'updated' | 'closed') => attempt(field, () => {
      const at = parseTimestamp(cell(field));
      if (at !== null && at > now + 86_400_000) throw new Error(`${field} ${cell(field).trim().slice(0, 40)} is in the future`);
      return at;
    }, null);
    const [created, updated, closed] = [moment('created'), moment('updated'), moment('closed')];
    const done = category?.states.find((st) => st.key === status)?.done ?? false;
    attempt('closed', () => {
      if (closed === null) return;
      if (category && status && !done) throw new Error(`closed is set but "${status}" is not a done state of ${category.key}`);
      if (created !== null && closed < created) throw new Error(`closed ${cell('closed').trim().slice(0, 40)} is before created ${cell('created').trim().slice(0, 40)}`);
    }, undefined);
    if (rowErrors.length) {
      errors.push(...rowErrors);
      continue;
    }
    // A done row without a closed date was closed when last touched, as far as the sheet tells.
    const createdAt = created ?? now;
    const closedAt = done ? closed ?? updated ?? created ?? now : null;
    rows.push({
      row, status, assignee, reporter,
      valid: { title, description, category: category!.key, priority, due, tags },
      dates: { created: createdAt, updated: Math.max(updated ?? createdAt, createdAt, closedAt ?? 0), closed: closedAt, closedGiven: closed !== null },
    });
  }
  return { rows, errors };
}

const isoDay = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 10));

function preview(rows: ParsedRow[]): PreviewRow[] {
  return rows.slice(0, PREVIEW_ROWS).map((r) => ({
    row: r.row, title: r.valid.title, category: r.valid.category, status: r.status, priority: r.valid.priority,
    assignee: r.assignee?.email ?? null, reporter: r.reporter?.email ?? null,
    assigneeName: r.assignee?.name ?? null, reporterName: r.reporter?.name ?? null, due: r.valid.due,
    created: isoDay(r.dates.created), closed: isoDay(r.dates.closed), tags: r.valid.tags,
    description: r.valid.description.length > 200 ? `${r.valid.description.slice(0, 200)}…` : r.valid.description,
  }));
}

/**
 * A few descriptions render on the shared pool as the importer's (one at a time there, like any
 * user's renders: the import never holds up anyone else's save); more get a pool of their own.
 */
async function renderAll(viewer: Viewer, spaceKey: string, rows: ParsedRow[], given?: RenderPool): Promise<{ html: string; text: string }[]> {
  const withText = rows.filter((r) => r.valid.description).length;
  const own = !given && withText > 20 ? new RenderPool(Math.min(os.availableParallelism(), 4)) : null;
  const pool = given ?? own ?? renderPool();
  try {
    return await Promise.all(rows.map((r) => (r.valid.description ? pool.render(spaceKey, r.valid.description, { owner: viewer.id }) : { html: '', text: '' })));
  } finally {
    await own?.close();
  }
}

export function parseDryRun(input: ImportInput): boolean {
  if (input.dryRun !== undefined && typeof input.dryRun !== 'boolean') throw badInput('dryRun is true or false');
  return input.dryRun === true;
}

/**
 * Project editors import a spreadsheet. A dry run answers what would happen; a real run creates
 * every row or, when any row has an error, nothing (422 with the errors by spreadsheet row).
 */
export async function importRequirements(viewer: Viewer | null, projectKey: string, input: ImportInput, opts: { pool?: RenderPool } = {}): Promise<DryRunResult | ImportResult> {
  const { project, space } = loadProject(viewer, projectKey, 'edit');
  const dryRun = parseDryRun(input);
  const { text, encoding } = sourceText(input);
  const table = readCsv(text);
  const mapping = resolveMapping(table.headers, input.mapping);
  if (!mapping.title) {
    throw badInput(`No title column: map one of the columns to the title (columns: ${table.headers.join(', ')})`, { headers: table.headers, mapping, code: 'csvNoTitleColumn' });
  }
  const categories = new Categories(projectCategories(db(), project.id));
  const defaults = readDefaults(input.defaults, categories);
  const { rows, errors } = interpret(table.records, table.headers, mapping, categories, defaults);
  const people = rows.flatMap((r) => [r.reporter, r.assignee]).filter((p): p is ImportPerson => p !== null);
  const newPeople = [...new Map(people.filter((p) => p.id === null).map(({ email, name, lookalike }) => [email, { email, name, ...(lookalike ? { lookalike } : {}) }])).values()];
  const report: DryRunResult = {
    ok: errors.length === 0, rows: table.records.length, created: 0, errors: errors.slice(0, MAX_ERRORS), errorCount: errors.length,
    preview: preview(rows), newPeople, headers: table.headers, mapping, delimiter: table.delimiter, encoding,
  };
  if (dryRun) return report;
  if (errors.length) {
    const rowsWithErrors = new Set(errors.map((e) => e.row)).size;
    const first = errors[0]!;
    throw new DomainError(422, `${rowsWithErrors} of ${table.records.length} rows have errors (first: row ${first.row}${first.field ? `, ${first.field}` : ''}: ${first.message}); nothing was imported`, { ...report });
  }
  const rendered = await renderAll(viewer!, space.key, rows, opts.pool);
  const created = write((tx) => {
    const ids = createPlaceholders(tx, people);
    return rows.map((r, i) => {
      try {
        const reporterId = r.reporter ? ids.get(r.reporter.email)! : viewer!.id;
        const assigneeId = r.assignee ? ids.get(r.assignee.email)! : undefined;
        return insertRequirement(tx, project, reporterId, r.valid, rendered[i]!, { status: r.status, assigneeId, imported: true, dates: r.dates }).key;
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        throw new DomainError(422, `Row ${r.row}: ${err.message}; nothing was imported`, { ...report, ok: false, errors: [{ row: r.row, message: err.message }], errorCount: 1 });
      }
    });
  });
  wakeOutbox();
  return { created: created.length, keys: created };
}

export { IMPORT_FIELDS };
