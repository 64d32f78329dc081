// Exporting requirement lists as CSV that Excel (including on Chinese Windows) opens correctly:
// UTF-8 with a BOM, CRLF, every cell quoted by csv-stringify, and cells that a spreadsheet would
// run as a formula prefixed with an apostrophe (OWASP's CSV injection advice: quote and prefix).
import { stringify } from 'csv-stringify/sync';
import { eq, inArray } from 'drizzle-orm';
import { requirements, users } from '../../../db/schema.ts';
import type { Viewer } from '../access/index.ts';
import { db } from '../db.ts';
import { unauthorized } from '../errors.ts';
import { listRequirements, myWork, type ListFilter, type RequirementRow } from './list.ts';

export const EXPORT_COLUMNS = ['key', 'title', 'category', 'status', 'priority', 'assignee', 'group', 'reporter', 'due', 'tags', 'created', 'updated', 'closed', 'description'] as const;
const EXPORT_LIMIT = 5000;

export interface CsvFile { filename: string; body: string }

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

/** The list rows plus what a list does not carry (reporter, closed, description). */
function records(rows: RequirementRow[]): string[][] {
  const extra = new Map<string, { reporter: string | null; closedAt: number | null; markdown: string }>();
  const d = db();
  for (let i = 0; i < rows.length; i += 500) {
    const keys = rows.slice(i, i + 500).map((r) => r.key);
    for (const r of d.select({ key: requirements.key, reporter: users.email, closedAt: requirements.closedAt, markdown: requirements.markdown })
      .from(requirements).leftJoin(users, eq(users.id, requirements.reporterId)).where(inArray(requirements.key, keys)).all()) {
      extra.set(r.key, r);
    }
  }
  return rows.map((r) => {
    const more = extra.get(r.key);
    return [
      r.key, r.title, r.category, r.status, r.priority, r.assignee?.email ?? '', r.group ?? '', more?.reporter ?? '', r.due ?? '',
      r.tags.join(', '), r.createdAt, r.updatedAt, iso(more?.closedAt ?? null), more?.markdown ?? '',
    ];
  });
}

// = + - @ (and their full-width forms) start a formula, also after leading spaces, tabs or line
// breaks, which some spreadsheets trim on import; a leading tab, CR or NUL is refused as OWASP
// and ASVS 1.2.10 list them.
export const FORMULA_START = /^(?:[\s\0]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r\n\0])/;

/** A cell a spreadsheet shows as text: the apostrophe is its "this is text" marker. */
export function inertCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** `header: false`: rows only, to follow an earlier part of the same file. */
export function toCsv(rows: RequirementRow[], { header = true } = {}): string {
  // Every cell quoted, so no line break, CR or delimiter inside a cell can start a record or a cell.
  return stringify(records(rows).map((r) => r.map(inertCell)), {
    bom: header, header, columns: [...EXPORT_COLUMNS], record_delimiter: 'windows', quoted: true,
  });
}

const stamp = () => new Date().toISOString().slice(0, 10);

/** A project's list (with the list's filters) as CSV; up to 5,000 rows. */
export function exportProjectCsv(viewer: Viewer | null, projectKey: string, filter: ListFilter): CsvFile {
  const rows = listRequirements(viewer, projectKey, { ...filter, limit: filter.limit ?? EXPORT_LIMIT });
  return { filename: `${projectKey}-requirements-${stamp()}.csv`, body: toCsv(rows) };
}

export function exportMyWorkCsv(viewer: Viewer | null, filter: ListFilter): CsvFile {
  if (!viewer) throw unauthorized();
  return { filename: `my-work-${stamp()}.csv`, body: toCsv(myWork(viewer, { ...filter, limit: filter.limit ?? EXPORT_LIMIT })) };
}

/** The HTTP answer: text/csv, a download with an ASCII filename (project keys and dates only). */
export function csvResponse(file: CsvFile): Response {
  const safe = file.filename.replace(/[^A-Za-z0-9._-]/g, '_');
  return new Response(file.body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${safe}"; filename*=UTF-8''${encodeURIComponent(safe)}`,
      'cache-control': 'no-store',
    },
  });
}
