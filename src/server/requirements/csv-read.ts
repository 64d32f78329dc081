// Reading a spreadsheet exported as CSV the way teams actually have them: UTF-8 with or without
// BOM, GB18030/GBK from Excel on Chinese Windows, UTF-16 "Unicode text"; comma, semicolon or tab;
// CRLF; quoted multi-line cells; Chinese or English headers. Pure functions, no database.
import { parse } from 'csv-parse/sync';
import { badInput, tooLarge } from '../errors.ts';
import { FORMULA_START } from './csv-export.ts';
import { PRIORITIES, type Priority } from './fields.ts';

export const MAX_CSV_BYTES = 2 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 5000;

export type Encoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

const strictDecoder = (encoding: Encoding) => new TextDecoder(encoding, { fatal: true, ignoreBOM: false });

/** Text from a file's bytes: a BOM decides; else valid UTF-8 is UTF-8; else GB18030 (a superset of GBK and GB2312). */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: Encoding } {
  if (bytes.byteLength > MAX_CSV_BYTES) throw tooLarge('A CSV file is at most 2 MB', { code: 'csvTooLarge' });
  const tries: Encoding[] = bytes[0] === 0xff && bytes[1] === 0xfe ? ['utf-16le']
    : bytes[0] === 0xfe && bytes[1] === 0xff ? ['utf-16be']
      : ['utf-8', 'gb18030'];
  for (const encoding of tries) {
    try {
      return { text: strictDecoder(encoding).decode(bytes), encoding };
    } catch { /* try the next one */ }
  }
  throw badInput('The file is neither UTF-8 nor GB18030 (GBK) text; save it from the spreadsheet as "CSV UTF-8"', { code: 'csvEncoding' });
}

/** The delimiter used in the header line: the most frequent of , ; and tab outside quotes (comma on a tie). */
export function detectDelimiter(text: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text.slice(0, 64 * 1024)) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[',']) return '\t';
  return ',';
}

export interface CsvTable {
  headers: string[];
  /** Data records with their spreadsheet row number (the header is row 1); blank rows are left out. */
  records: { row: number; cells: string[] }[];
  delimiter: ',' | ';' | '\t';
}

export function readCsv(text: string): CsvTable {
  const source = text.replace(/^\uFEFF/, '');
  if (!source.trim()) throw badInput('The file is empty', { code: 'csvEmpty' });
  const delimiter = detectDelimiter(source);
  let rows: string[][];
  try {
    rows = parse(source, {
      delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false,
      max_record_size: 1024 * 1024,
    }) as string[][];
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw badInput(`The CSV could not be read${e.lines ? ` near line ${e.lines}` : ''}: ${e.message.replace(/^Invalid \w+ .*?: /, '')}`);
  }
  const headerIndex = rows.findIndex((r) => r.some((c) => c.trim()));
  if (headerIndex < 0) throw badInput('The file is empty', { code: 'csvEmpty' });
  const headers = rows[headerIndex]!.map((h, i) => h.replace(/^\uFEFF/, '').replace(/\s+/g, ' ').trim() || `Column ${i + 1}`);
  const records: CsvTable['records'] = [];
  for (let i = headerIndex + 1; i < rows.length; i++) {
    const cells = rows[i]!;
    if (!cells.some((c) => c.trim())) continue;
    records.push({ row: i + 1, cells });
  }
  if (records.length === 0) throw badInput('The file has a header row but no requirements', { code: 'csvNoRows' });
  if (records.length > MAX_IMPORT_ROWS) throw tooLarge(`At most ${MAX_IMPORT_ROWS.toLocaleString('en')} rows per import (this file has ${records.length.toLocaleString('en')})`, { code: 'csvTooManyRows', max: MAX_IMPORT_ROWS, rows: records.length });
  return { headers, records, delimiter };
}

// ---- column mapping ----------------------------------------------------------------------------

export const IMPORT_FIELDS = ['title', 'description', 'category', 'status', 'priority', 'assignee', 'due', 'tags', 'reporter', 'created', 'updated', 'closed'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export type Mapping = Partial<Record<ImportField, string>>;

const HEADER_WORDS: Record<ImportField, string[]> = {
  title: ['title', 'summary', 'subject', 'name', 'requirement', '标题', '主题', '名称', '需求名称', '需求标题', '问题标题', '摘要', '需求'],
  description: ['description', 'details', 'detail', 'body', 'desc', 'content', 'notes', '描述', '说明', '详情', '详细描述', '内容', '需求描述', '问题描述', '备注'],
  category: ['category', 'type', 'kind', 'issuetype', 'requirementtype', '类型', '分类', '类别', '需求类型', '问题类型'],
  status: ['status', 'state', '状态', '当前状态'],
  priority: ['priority', 'severity', '优先级', '紧急程度', '严重程度'],
  assignee: ['assignee', 'owner', 'assignedto', 'responsible', '负责人', '处理人', '指派给', '经办人', '责任人'],
  due: ['due', 'duedate', 'deadline', 'targetdate', '截止日期', '截止时间', '到期日', '到期日期', '期限', '计划完成日期', '完成期限'],
  tags: ['tags', 'tag', 'labels', 'label', '标签', '关键词'],
  reporter: ['reporter', 'reportedby', 'createdby', 'author', 'submitter', 'requester', 'requestedby', '报告人', '提出人', '创建人', '提交人', '报告者', '需求提出人'],
  created: ['created', 'createdat', 'createdon', 'createddate', 'datecreated', 'opened', 'submitted', '创建日期', '创建时间', '提出日期', '提出时间', '提交日期', '提交时间'],
  updated: ['updated', 'updatedat', 'lastupdated', 'modified', 'lastmodified', '更新日期', '更新时间', '最后更新', '修改日期', '修改时间'],
  closed: ['closed', 'closedat', 'closeddate', 'resolveddate', 'completed', 'completedat', 'completeddate', 'donedate', '关闭日期', '关闭时间', '完成日期', '完成时间', '解决日期'],
};

/** "负责人（邮箱）", "Due date*", " Assignee (email) " → "负责人", "duedate", "assignee". */
export function headerWord(header: string): string {
  return header.normalize('NFKC').toLowerCase().replace(/[(（[【].*?[)）\]】]/g, '').replace(/[\s_\-*:：.#/]+/g, '');
}

/** Our field for each header we recognise; the first column wins when two look alike. */
export function guessMapping(headers: string[]): Mapping {
  const mapping: Mapping = {};
  for (const field of IMPORT_FIELDS) {
    const words = HEADER_WORDS[field];
    const header = headers.find((h) => words.includes(headerWord(h)) && !Object.values(mapping).includes(h));
    if (header !== undefined) mapping[field] = header;
  }
  return mapping;
}

/** The guess, overridden by what the caller chose ({field: header}, or null / "" to leave a field out). */
export function resolveMapping(headers: string[], override: unknown): Mapping {
  const mapping = guessMapping(headers);
  if (override === undefined || override === null) return mapping;
  if (typeof override !== 'object' || Array.isArray(override)) throw badInput('mapping is an object {field: column header}');
  for (const [field, header] of Object.entries(override as Record<string, unknown>)) {
    if (!(IMPORT_FIELDS as readonly string[]).includes(field)) throw badInput(`mapping: unknown field "${field}" (fields: ${IMPORT_FIELDS.join(', ')})`);
    if (header === null || header === '') { delete mapping[field as ImportField]; continue; }
    if (typeof header !== 'string' || !headers.includes(header)) {
      throw badInput(`mapping.${field}: no column "${String(header).slice(0, 80)}" in the file (columns: ${headers.join(', ')})`);
    }
    mapping[field as ImportField] = header;
  }
  return mapping;
}

// ---- cell values ------------------------------------------------------------------------------

/** A leading apostrophe is the spreadsheet's "this is text" marker (and what our export adds before a formula). */
export function cellText(raw: string | undefined): string {
  const s = (raw ?? '').replace(/\r\n?/g, '\n');
  return s.startsWith("'") && FORMULA_START.test(s.slice(1)) ? s.slice(1) : s;
}

const PRIORITY_WORDS: Record<string, Priority> = {
  low: 'low', lowest: 'low', minor: 'low', trivial: 'low', p3: 'low', p4: 'low', 低: 'low', 较低: 'low', 最低: 'low',
  normal: 'normal', medium: 'normal', moderate: 'normal', p2: 'normal', 中: 'normal', 普通: 'normal', 一般: 'normal', 正常: 'normal', 中等: 'normal',
  high: 'high', major: 'high', important: 'high', p1: 'high', 高: 'high', 较高: 'high', 重要: 'high',
  urgent: 'urgent', critical: 'urgent', blocker: 'urgent', highest: 'urgent', p0: 'urgent', 紧急: 'urgent', 最高: 'urgent', 严重: 'urgent', 非常紧急: 'urgent',
};

/** low/normal/high/urgent from a word in either language ("高", "P1", "Urgent", "紧急优先级"); null for a blank cell. */
export function parsePriority(raw: string): Priority | null {
  const word = raw.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, '').replace(/(priority|优先级)$/, '').replace(/^(priority|优先级)[:：]?/, '');
  if (!word) return null;
  if ((PRIORITIES as readonly string[]).includes(word)) return word as Priority;
  const p = Object.hasOwn(PRIORITY_WORDS, word) ? PRIORITY_WORDS[word] : undefined; // not "constructor" from the prototype
  if (!p) throw new Error(`"${raw.trim().slice(0, 40)}" is not a priority (low, normal, high, urgent / 低, 中, 高, 紧急)`);
  return p;
}

/** YYYY-MM-DD from 2026-12-01, 2026/12/1, 2026.12.1, 2026年12月1日, "2026-12-01 18:00" or an Excel serial day; null for a blank cell. */
export function parseDate(raw: string): string | null {
  return parseDateTime(raw)?.date ?? null;
}

/**
 * The moment a cell names (ms), for created/updated/closed: a date alone is its start (00:00 UTC),
 * and a time without an offset is read as UTC, so the calendar date written is the date kept.
 */
export function parseTimestamp(raw: string): number | null {
  return parseDateTime(raw)?.at ?? null;
}

function parseDateTime(raw: string): { date: string; at: number } | null {
  const s = raw.normalize('NFKC').trim();
  if (!s) return null;
  let y: number, m: number, d: number;
  let time = { h: 0, min: 0, sec: 0, offsetMin: 0 };
  const ymd = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  if (ymd) {
    [y, m, d] = [Number(ymd[1]), Number(ymd[2]), Number(ymd[3])];
    if (ymd[4] !== undefined) {
      const zone = ymd[7] && ymd[7] !== 'Z' ? /^([+-])(\d{2}):?(\d{2})$/.exec(ymd[7])! : null;
      time = {
        h: Number(ymd[4]), min: Number(ymd[5]), sec: Number(ymd[6] ?? 0),
        offsetMin: zone ? (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3])) : 0,
      };
      if (time.h > 23 || time.min > 59 || time.sec > 59) throw new Error(`${s.slice(0, 40)} is not a time of day`);
    }
  } else if (/^\d{5}(\.\d+)?$/.test(s) && Number(s) >= 20_000 && Number(s) <= 80_000) {
    // Excel's serial day: days since 1899-12-30 (which absorbs Lotus's 1900 leap-year bug).
    const date = new Date(Date.UTC(1899, 11, 30) + Math.floor(Number(s)) * 86_400_000);
    [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  } else {
    throw new Error(`"${s.slice(0, 40)}" is not a date (write it as 2026-12-31)`);
  }
  const iso = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const check = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== iso) throw new Error(`${s.slice(0, 40)} is not a calendar date`);
  return { date: iso, at: check.getTime() + ((time.h * 60 + time.min - time.offsetMin) * 60 + time.sec) * 1000 };
}

/** Tags separated by , ; 、 | (and their full-width forms). */
export function splitTags(raw: string): string[] {
  return raw.split(/[,;、|，；｜\n]/).map((t) => t.trim()).filter(Boolean);
}

/**
 * "Li Lei <li.lei@example.com>" → both; "li.lei@example.com" → the email; otherwise a display name
 * (张敏, "Zhang Min"), NFC with runs of spaces made one.
 */
export function personRef(raw: string): { email?: string; name?: string } {
  const s = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
  const angled = /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(s);
  if (angled) return { email: angled[2]!, ...(angled[1] ? { name: angled[1].replace(/^"(.*)"$/, '$1') } : {}) };
  if (/^[^\s@<>]+@[^\s@<>]+$/.test(s)) return { email: s };
  return { name: s.replace(/^"(.*)"$/, '$1') };
}
