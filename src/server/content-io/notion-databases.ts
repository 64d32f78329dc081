// Notion's "Markdown & CSV" export writes each database as a CSV file (`Tasks <id>.csv`, and in
// newer exports also `Tasks <id>_all.csv` with every row) beside a folder of its rows' pages
// (`Tasks <id>/`); a page holding the database links to the CSV. Imported as they are, the CSV is
// only a download, one that no page links to is skipped, and the rows' pages sit under a folder
// without a page. Here each database becomes a page of its own, where the folder's page would be:
// its name as the title, a table of its rows whose first column links to each row's page, and its
// CSV files attached below; links to the CSV lead to that page (import-folder.ts).
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { MARKDOWN_FILE_LINK, NOT_A_FILE } from '../attachments/import.ts';
import { codeRanges, inCode } from '../markdown/code-ranges.ts';
import { withoutId } from './import-paths.ts';

// `<name> <32 hex digits>[_all].csv`: the id makes it Notion's; any other CSV stays a plain attachment.
const DATABASE_CSV = /^(.+) ([0-9a-f]{32})(_all)?\.csv$/i;
// A table this long is a list nobody reads on a page: the rest are in the CSV below it.
const MAX_ROWS = 500;
const MAX_COLUMNS = 20;
const MAX_CSV_BYTES = 5 * 1024 * 1024;

export interface NotionDatabase {
  /** The page made for it, as if the export held `<name> <id>.md`. */
  rel: string;
  markdown: string;
  /** Its CSV files, paths inside the space's folder. */
  csvRels: string[];
}

/**
 * The databases among the files of a space's folder (`rels`: paths inside `dir`), each as the page
 * made for it. A database whose page the export already holds is left as it is.
 */
export function notionDatabases(dir: string, rels: readonly string[]): NotionDatabase[] {
  const present = new Set(rels);
  const groups = new Map<string, { name: string; csvRels: string[] }>();
  for (const rel of rels) {
    const m = DATABASE_CSV.exec(path.basename(rel));
    if (!m) continue;
    const base = path.join(path.dirname(rel), `${m[1]} ${m[2]}`);
    const group = groups.get(base) ?? groups.set(base, { name: m[1]!, csvRels: [] }).get(base)!;
    // The one with every row first: it is the table's.
    if (m[3]) group.csvRels.unshift(rel);
    else group.csvRels.push(rel);
  }
  const out: NotionDatabase[] = [];
  for (const [base, { name, csvRels }] of groups) {
    const rel = `${base}.md`;
    if (present.has(rel)) continue;
    // A row's title → its page's file name; null when rows share the title ("Untitled"), which names none of them.
    const rowPages = new Map<string, string | null>();
    for (const r of rels) {
      if (path.dirname(r) !== base || !/\.md$/i.test(r)) continue;
      const title = withoutId(path.basename(r)).replace(/\.md$/i, '');
      rowPages.set(title, rowPages.has(title) ? null : path.basename(r));
    }
    const folder = encodeURIComponent(path.basename(base));
    const table = tableOf(path.join(dir, csvRels[0]!), (title) => {
      const file = rowPages.get(title);
      return file ? `${folder}/${encodeURIComponent(file)}` : null;
    });
    const files = csvRels.map((r) => `[${escapeCell(path.basename(r))}](${encodeURIComponent(path.basename(r))})`).join(' · ');
    out.push({ rel, csvRels, markdown: `# ${escapeCell(name)}\n\n${table ? `${table}\n\n` : ''}${files}\n` });
  }
  return out;
}

/**
 * `markdown` (of the file `fromRel`) with its links to a database's CSV pointing at the page made
 * for the database instead, which import-folder.ts then writes as a wiki link.
 */
export function linksToDatabases(markdown: string, fromRel: string, databases: readonly NotionDatabase[]): string {
  if (databases.length === 0 || !markdown.includes('.csv')) return markdown;
  const pageOf = new Map(databases.flatMap((d) => d.csvRels.map((c) => [c, d.rel])));
  const code = codeRanges(markdown);
  return markdown.replace(MARKDOWN_FILE_LINK, (all, open: string, target: string, close: string, at: number) => {
    if (open.startsWith('!') || NOT_A_FILE.test(target) || inCode(code, at) || !/\.csv$/i.test(target)) return all;
    let rel: string;
    try { rel = path.join(path.dirname(fromRel), target.split('/').map(decodeURIComponent).join(path.sep)); } catch { return all; }
    const page = pageOf.get(rel);
    if (page === undefined) return all;
    return `${open}${path.relative(path.dirname(fromRel), page).split(path.sep).map(encodeURIComponent).join('/')}${close}`;
  });
}

/** The CSV as a Markdown table, its first column linked where `rowLink` knows the row's page; null when it cannot be read. */
function tableOf(file: string, rowLink: (title: string) => string | null): string | null {
  let records: string[][];
  try {
    if (fs.statSync(file).size > MAX_CSV_BYTES) return null;
    records = parse(fs.readFileSync(file), { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
  } catch {
    return null; // not a CSV after all: it stays a download
  }
  const [header, ...rows] = records;
  if (!header?.length) return null;
  const width = Math.min(header.length, MAX_COLUMNS);
  const filled = rows.filter((r) => r.some((cell) => cell.trim() !== ''));
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const out = [line(header.slice(0, width).map(escapeCell)), line(Array(width).fill('---'))];
  for (const row of filled.slice(0, MAX_ROWS)) {
    out.push(line(Array.from({ length: width }, (_, i) => {
      const text = escapeCell(row[i] ?? '');
      const link = i === 0 ? rowLink((row[0] ?? '').trim()) : null;
      return link && text ? `[${text}](${link})` : text;
    })));
  }
  if (filled.length > MAX_ROWS) out.push(line([`… +${filled.length - MAX_ROWS}`, ...Array(width - 1).fill('')]));
  return out.join('\n');
}

/** A cell's text as Markdown that shows it as written: on one line, its punctuation escaped. */
function escapeCell(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/[\\`*_[\]<>|#~&!]/g, '\\$&');
}
