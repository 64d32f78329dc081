// Search as the viewer: only spaces they may read, filters built from validated values only,
// snippets HTML-escaped with our own highlight marks.
import type { Viewer } from '../access/index.ts';
import { can, hiddenRequirementIds, readableSpaceIds } from '../access/index.ts';
import { badInput, DomainError, notFound } from '../errors.ts';
import { oneOf } from '../params.ts';
import { eq } from 'drizzle-orm';
import { spaces } from '../../../db/schema.ts';
import { readCache } from '../db-cache.ts';
import { db, prepared } from '../db.ts';
import { readableWorkflows } from '../projects/projects.ts';
import { findSpace, SPACE_KINDS } from '../spaces/spaces.ts';
import { pageHref } from '../markdown/href.ts';
import { requirementHref } from '../markdown/requirement-keys.ts';
import { reviewState } from '../pages/ownership.ts';
import { liveStatuses } from '../requirements/view.ts';
import { searchDocuments, searchIndex, searchMany } from './client.ts';
import type { SearchDoc } from './documents.ts';
import { liveHits } from './live-hits.ts';
import { suggestQuery } from './suggest.ts';
import { coverageRanking, fuseRankings, taskWords, type WordHits } from './task-query.ts';
import { currentSegmentationWords, currentSynonyms } from './synonyms.ts';
import { highlighter, queryTerms } from './snippet.ts';

export const MAX_QUERY_CHARS = 500;

export interface SearchHit {
  type: 'page' | 'requirement'; space: string; path: string; anchor: string; href: string; title: string; titleHtml: string;
  snippet: string; project: string | null;
  /** Synonyms the hit was found through ("报销 → reimbursement"). */
  synonyms: SynonymMatch[];
  /** When the page or requirement was last changed, and by whom (a page's last editor, read from SQLite). */
  updatedAt: number; updatedBy: string | null;
  /** A page marked verified whose review is not overdue; the titles of the pages above it, top first. */
  verified: boolean; breadcrumbs: string[];
  /** A requirement's current status, read from SQLite (the index may lag by a moment). */
  status: string | null; statusName: { en: string; zh: string } | null; done: boolean;
}
export interface SynonymMatch { from: string; to: string }
export interface SearchResult {
  hits: SearchHit[]; total: number; tookMs: number; facets: { spaces: Record<string, number>; tags: Record<string, number> };
  /** "Did you mean": a corrected query that finds more, or null; applied when the query itself found nothing and these are its hits. */
  suggestion: string | null; suggestionApplied: boolean;
}
export interface SearchInput {
  q: string; space?: string; tag?: string; limit?: number; offset?: number; facets?: boolean;
  /** Only spaces of this kind (guide, it, policy, project, general); also archived spaces' pages. */
  kind?: string; archived?: boolean;
  /** Requirement filters: only this kind of result, project key, workflow status. */
  type?: string; project?: string; status?: string;
}

interface States { keys: ReadonlySet<string>; done: ReadonlySet<string> }

/**
 * A requirement status filter, as the requirement lists read it: `open` (any state not done),
 * `done` (any done state) or one state key of a workflow of a project the viewer may read (another
 * project's is as unknown as one that does not exist); another → 400.
 */
function statusFilter(status: string, { keys, done }: States): string {
  const doneList = `[${[...done].map(filterString).join(',')}]`;
  if (status === 'open') return `type = requirement AND NOT status IN ${doneList}`;
  if (status === 'done') return `status IN ${doneList}`;
  if (!keys.has(status)) throw badInput(`Unknown status "${status}": open, done or a state of a workflow`);
  return `status = ${filterString(status)}`;
}

/** A Meilisearch filter string literal. */
export const filterString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The filter of a search in these spaces: built from validated values only (never pasted query text). */
export function searchFilter(spaceIds: number[], input: Pick<SearchInput, 'tag' | 'type' | 'project' | 'status'>, viewer: Viewer | null = null): string[] {
  const filter = [`spaceId IN [${spaceIds.join(',')}]`];
  if (input.tag) filter.push(`tags = ${filterString(input.tag)}`);
  if (input.type) filter.push(`type = ${oneOf('type', input.type, ['page', 'requirement'])}`);
  if (input.project) filter.push(`projectKey = ${filterString(input.project)}`);
  if (input.status) filter.push(statusFilter(input.status, readableStates(viewer)));
  return filter;
}

// The first RERANK_WINDOW hits are re-ordered by Meilisearch's ranking score times small factors
// (space weight, reference collection, reader's language, verification), so they decide only
// between hits of close relevance. Hits past the window keep Meilisearch's order: re-ordering only
// permutes the window, so pages of results neither repeat nor skip a hit.
const RERANK_WINDOW = 20;

/** Seconds a client is asked to wait before searching again while search is down. */
const SEARCH_RETRY_AFTER_S = 5;

/** The part of `offset`, `limit` Meilisearch is asked for: the whole window when the page touches it. */
export function fetchRange(offset: number, limit: number): { offset: number; limit: number } {
  return offset < RERANK_WINDOW ? { offset: 0, limit: Math.max(RERANK_WINDOW, offset + limit) } : { offset, limit };
}

const LATIN_WORD = /[A-Za-z][\w.+#-]*/g;

/**
 * The query as Meilisearch is asked it. A Chinese query that too few documents match as a whole
 * loses words from its end (the `last` strategy below), so its first words decide. In a mixed
 * query the Latin-script words (names, commands, acronyms: 怎么配置 VPN, git 修改远程仓库 url) say
 * most about the page, so they go first. Measured on the development set: zh-mixed MRR@5 0.79 →
 * 0.83 (one query 4th → 1st, none lower); the demo's everyday Chinese questions 5 → 6 of 12.
 */
export function meiliQuery(query: string): string {
  // Lower case, because Meilisearch's stop words are case-sensitive though its matching is not:
  // "How do I reset password" matched on "How" and "I" (every word with an i), not on its last two.
  const q = query.toLowerCase();
  if (!/\p{Script=Han}/u.test(q)) return q;
  const latin = q.match(LATIN_WORD);
  return latin ? `${latin.join(' ')} ${q.replace(LATIN_WORD, ' ').replace(/\s+/g, ' ').trim()}` : q;
}

/** What one search asks of Meilisearch (npm run bench sends exactly this to Meilisearch directly, too). */
export function meiliSearchParams(q: string, { filter, limit, offset, facets }: { filter: string[]; limit: number; offset: number; facets?: boolean }) {
  return {
    q: meiliQuery(q), filter, ...fetchRange(offset, limit),
    // Which words a query that matches too little may drop. English: the most common first, so a
    // long task description keeps its rare, telling words. Chinese: the last first, because
    // Meilisearch's frequency strategy misjudges segmented Chinese (measured: "UUID 做主键好不好"
    // found 1 document with it and 95 with "last", the right one first).
    matchingStrategy: /\p{Script=Han}/u.test(q) ? 'last' as const : 'frequency' as const,
    showRankingScore: true,
    attributesToRetrieve: ['type', 'docKey', 'spaceKey', 'projectKey', 'status', 'path', 'anchor', 'anchors', 'title', 'text', 'lang', 'verifiedAt', 'updatedAt'],
    // Counting facets over every candidate costs; only the results page shows them.
    facets: facets ? ['spaceKey', 'tags'] : undefined,
    // The documents' own locales (settings.ts), so both sides segment alike: forcing only Chinese
    // on a mixed query segmented its English words differently from the same words in documents.
    locales: /\p{Script=Han}/u.test(q) ? ['cmn' as const, 'eng' as const] : undefined,
  };
}

/**
 * The reader's language for this search: Chinese when the query has Chinese; for a query without,
 * English, unless the reader chose Chinese (then "v-model" or "TiCDC" says nothing about language).
 */
function readerLanguage(q: string, viewer: Viewer | null): 'zh' | 'en' | null {
  if (/\p{Script=Han}/u.test(q)) return 'zh';
  return viewer?.locale?.startsWith('zh') ? null : 'en';
}

const VERIFIED_FRESH_MS = 180 * 24 * 3600 * 1000;

const LATIN_TOKEN = /[a-z0-9]+/g;

/** The query's Latin-script words, for `namedByQuery`. */
const latinWords = (q: string) => new Set(q.toLowerCase().match(LATIN_TOKEN));

/**
 * A page whose whole title the query names ("tar" for "tar extract", "docker" for "docker logs")
 * is what the query is about, more than a page that only has the words near each other
 * ("git get-tar-commit-id: Extract the commit ID"). Latin-script titles only: a Chinese title's
 * words are not cut here.
 */
function namedByQuery(title: string, words: ReadonlySet<string>): boolean {
  if (words.size === 0 || /\p{Script=Han}/u.test(title)) return false;
  const tokens = title.toLowerCase().match(LATIN_TOKEN);
  return tokens !== null && tokens.every((t) => words.has(t));
}

/** How much a hit's title, space, language and verification move it among hits of close relevance. */
function nudge(h: SearchDoc, lang: 'zh' | 'en' | null, words: ReadonlySet<string>): number {
  const space = findSpace(h.spaceKey);
  let f = (space?.searchWeight ?? 1) ** 0.15; // weight 2 → ×1.11, 0.5 → ×0.90
  if (namedByQuery(h.title, words)) f *= 1.02;
  if (space?.reference) f *= 0.93;
  if (lang && h.lang && h.lang !== lang) f *= 0.98;
  if (h.verifiedAt && Date.now() - h.verifiedAt < VERIFIED_FRESH_MS) f *= 1.04;
  return f;
}

const depth = (path: string) => (path ? path.split('/').length : 0);

/**
 * The window re-ordered by ranking score × nudge. Between hits of equal score (a short query that
 * many titles contain), the more general page first: the shallower path ("fa-manage" before
 * "LocalFunctionality/Russia/fixed-assets"), then the shorter title; a stable sort keeps
 * Meilisearch's order after that.
 */
function rerank(hits: (SearchDoc & { _rankingScore?: number })[], q: string, lang: 'zh' | 'en' | null, offset: number) {
  if (offset >= RERANK_WINDOW) return hits;
  const words = latinWords(q);
  const window = hits.slice(0, RERANK_WINDOW).map((h) => ({ h, score: (h._rankingScore ?? 0) * nudge(h, lang, words) }));
  window.sort((a, b) => (b.score - a.score) || (depth(a.h.path) - depth(b.h.path)) || (a.h.title.length - b.h.title.length));
  return [...window.map((w) => w.h), ...hits.slice(RERANK_WINDOW)];
}

/** The state keys of the workflows of the projects the viewer may read, and those that count as done. */
function readableStates(viewer: Viewer | null): States {
  const states = readableWorkflows(viewer).flatMap((c) => c.states);
  return { keys: new Set(states.map((s) => s.key)), done: new Set(states.filter((s) => s.done).map((s) => s.key)) };
}

const FEW_HITS = 3;
// How many documents each word of a task description brings to the coverage ranking (measured on
// the development set: 40, 60, 80 gave 109, 110, 113/120; Meilisearch's work per word grows with
// it, about 18 vs 31 ms per task description at 40 vs 80 under load, which only descriptions of 3+
// words pay: the short queries most searches are take the plain path), and the fusion's
// weights of the coverage and Meilisearch's own ranking. Chinese: coverage leads, because the
// `last` strategy keeps the query's first word whatever it is; Meilisearch's ranking (proximity,
// phrases) still lifts a page with the words together. English: even, as the `frequency`
// strategy already keeps the rare words.
const WORD_HITS = 80;
const COVERAGE_FIRST = [1, 0.3];
const EVEN = [1, 1];

// The number of search documents, for word rarity (it changes slowly): refreshed in the background
// at most every 5 minutes, so a slow or hung Meilisearch never holds a search here.
let indexSize = 10_000;
let indexSizeAt = 0;
function currentIndexSize(): number {
  if (Date.now() - indexSizeAt > 300_000) {
    indexSizeAt = Date.now();
    searchIndex()?.getStats().then((s) => { indexSize = s.numberOfDocuments || indexSize; }, () => {});
  }
  return indexSize;
}

// One prepared statement for any number of pages (a JSON array parameter): building and
// preparing an `IN (…)` query per search cost a third of the server's CPU per search (profiled).
const hitPageRows = prepared((d) => d.$client.prepare<[string], { id: number; spaceId: number; path: string; editor: string | null; verifiedAt: number | null; reviewBy: string | null }>(
  `select p.id, p.space_id as spaceId, p.path, u.name as editor, p.verified_at as verifiedAt, p.review_by as reviewBy
   from pages p left join users u on u.id = p.updated_by where p.id in (select value from json_each(?))`,
));
const ancestorTitles = prepared((d) => d.$client.prepare<[string], { spaceId: number; path: string; title: string }>(
  `select a.space_id as spaceId, a.path, a.title from json_each(?) j
   join pages a on a.space_id = json_extract(j.value, '$[0]') and a.path = json_extract(j.value, '$[1]') and a.deleted_at is null`,
));

/** What a page hit shows beside its title, read from SQLite when it is shown. */
interface HitPageFacts {
  /** The page's last editor (null for an imported page). */
  editor: string | null;
  /** Marked verified, and its review not overdue. */
  verified: boolean;
  /** The titles of the pages above it in its space, top first (a folder without a page: its name). */
  breadcrumbs: string[];
}

// Remembered until the database changes (exact: db-cache.ts): a search asked again (as you type,
// or by the next reader) reads nothing.
const factsOfPages = readCache<string, ReadonlyMap<number, HitPageFacts>>({ entries: 5000 });

/** The hit pages' facts, in two queries: the pages, then the pages above them. */
function hitPageFacts(pageIds: number[]): ReadonlyMap<number, HitPageFacts> {
  if (pageIds.length === 0) return new Map();
  const ids = JSON.stringify(pageIds);
  return factsOfPages.get(ids, () => {
    const rows = hitPageRows().all(ids);
    const above = (path: string) => path.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    const wanted = rows.flatMap((r) => above(r.path).map((p) => [r.spaceId, p]));
    const titles = new Map(wanted.length ? ancestorTitles().all(JSON.stringify(wanted)).map((a) => [`${a.spaceId}/${a.path}`, a.title]) : []);
    return new Map(rows.map((r) => [r.id, {
      editor: r.editor,
      verified: r.verifiedAt !== null && reviewState(r.reviewBy) !== 'overdue',
      breadcrumbs: above(r.path).map((p) => titles.get(`${r.spaceId}/${p}`) ?? p.slice(p.lastIndexOf('/') + 1)),
    }]));
  });
}

/** The anchor of the section a hit's first match is in: a document may hold several short sections. */
function sectionAnchor(h: SearchDoc, matchAt: number): string {
  // Documents indexed before sections were recorded have no `anchors`.
  return h.anchors?.findLast((s) => s.at <= matchAt)?.anchor ?? h.anchor;
}

/** The synonyms that apply to a query: of a query word, or of the whole query (a phrase). */
function synonymsOf(q: string, terms: string[]): SynonymMatch[] {
  const map = currentSynonyms();
  if (map.size === 0) return [];
  const out: SynonymMatch[] = [];
  for (const from of new Set([q.toLowerCase(), ...terms])) for (const to of map.get(from) ?? []) out.push({ from, to });
  return out;
}

/** Which synonyms a hit was found through: its text has the synonym but not the word searched for. */
function matchedSynonyms(synonyms: SynonymMatch[], text: string): SynonymMatch[] {
  return synonyms.filter((m) => text.includes(m.to) && !text.includes(m.from)).slice(0, 3);
}

/**
 * The pages that cover most of a task description's words, best first (task-query.ts): each word
 * searched on its own in one multi-search, then the best section of the top pages fetched whole.
 */
async function coverageHits(words: string[], filter: string[], params: ReturnType<typeof meiliSearchParams>): Promise<{ hits: SearchDoc[]; total: number }> {
  const lists = await searchMany(words.map((w) => ({
    // A trailing space: the word itself, not every word it begins.
    q: `${w} `, filter, limit: WORD_HITS, matchingStrategy: 'all', attributesToRetrieve: ['docKey', 'section'], showRankingScore: true, locales: params.locales,
  })));
  const ranked = coverageRanking((lists ?? []) as WordHits[], currentIndexSize());
  const top = ranked.slice(0, RERANK_WINDOW);
  if (top.length === 0) return { hits: [], total: 0 };
  const which = top.map((c) => `(docKey = ${filterString(c.docKey)} AND section = ${c.section})`).join(' OR ');
  const fetched = await searchDocuments({ q: '', filter: [...filter, which], limit: RERANK_WINDOW, attributesToRetrieve: params.attributesToRetrieve });
  const byKey = new Map((fetched?.hits ?? []).map((h) => [h.docKey, h]));
  return { hits: top.flatMap((c) => byKey.get(c.docKey) ?? []), total: ranked.length };
}

export async function search(viewer: Viewer | null, input: SearchInput): Promise<SearchResult> {
  const started = performance.now();
  // Invisible format characters (zero-width joiners, direction overrides, soft hyphens) would cut
  // a word in two or hide it: "V\u200dPN" is searched as VPN.
  const q = input.q.normalize('NFKC').replace(/\p{Cf}/gu, '').trim();
  if ([...q].length > MAX_QUERY_CHARS) throw badInput(`A search is at most ${MAX_QUERY_CHARS} characters`, { code: 'searchTooLong', max: MAX_QUERY_CHARS });
  const limit = Math.min(Math.max(Math.trunc(input.limit ?? 20), 1), 100);
  const offset = Math.min(Math.max(Math.trunc(input.offset ?? 0), 0), 900);
  // Archived spaces are left out unless asked for, as they are now in SQLite: their search
  // documents learn of it only when indexed again.
  let spaceIds = readableSpaceIds(viewer, { archived: input.archived === true });
  if (input.space) {
    const space = findSpace(input.space);
    if (!space || !can(viewer, 'read', space)) throw notFound();
    spaceIds = spaceIds.includes(space.id) ? [space.id] : [];
  }
  if (input.kind) {
    const kind = oneOf('kind', input.kind, SPACE_KINDS);
    const ofKind = new Set(db().select({ id: spaces.id }).from(spaces).where(eq(spaces.kind, kind)).all().map((r) => r.id));
    spaceIds = spaceIds.filter((id) => ofKind.has(id));
  }
  const empty = { hits: [], total: 0, facets: { spaces: {}, tags: {} }, suggestion: null, suggestionApplied: false };
  // A query of only punctuation ("…", a lone quote) leaves Meilisearch nothing to match, and it
  // would answer with every document, as it does an empty query (which lists: the editor's PAY-).
  if (spaceIds.length === 0 || (q !== '' && !/[\p{L}\p{N}]/u.test(q))) return { ...empty, tookMs: performance.now() - started };
  const filter = searchFilter(spaceIds, input, viewer);
  // Restricted requirements this viewer may not read are filtered out at query time (access module).
  const hidden = hiddenRequirementIds(viewer, spaceIds);
  if (hidden.length) filter.push(`NOT docKey IN [${hidden.map((id) => `"req-${id}"`).join(',')}]`);
  // Any failure to reach Meilisearch answers 503: the page views and saves go on without it. Its
  // supervisor probes every second and restarts it within seconds (meili/supervisor.ts).
  const meiliOr503 = async <T>(ask: () => Promise<T | null>): Promise<T> => {
    let res: T | null;
    try {
      res = await ask();
    } catch (err) {
      throw new DomainError(503, `Search is not available right now (${err instanceof Error ? err.message : err})`, { retryAfter: SEARCH_RETRY_AFTER_S });
    }
    if (res === null) throw new DomainError(503, 'Search is not available right now', { retryAfter: SEARCH_RETRY_AFTER_S });
    return res;
  };
  const params = (text: string) => meiliSearchParams(text, { filter, limit, offset, facets: input.facets });
  const find = (text: string) => meiliOr503(() => searchDocuments(params(text)));
  // A task description (3+ content words) is also ranked by how much of it each page covers, and
  // the two rankings fused (task-query.ts); only on the first page's window, which the re-ranking
  // below also keeps to. Both are asked at once; the coverage only improves the order: if it
  // fails, the query's own hits stand.
  const words = offset < RERANK_WINDOW ? taskWords(q, currentSegmentationWords()) : null;
  const [found, coverage] = await Promise.all([find(q), words ? coverageHits(words, filter, params(q)).catch(() => null) : null]);
  let res = found;
  if (coverage?.hits.length) {
    const weights = /\p{Script=Han}/u.test(q) ? COVERAGE_FIRST : EVEN;
    res = { ...res, hits: fuseRankings([coverage.hits, res.hits], weights), estimatedTotalHits: Math.max(res.estimatedTotalHits ?? 0, coverage.total) };
  }
  let shown = q;
  // Did you mean: asked only when a query finds little, and offered only when it finds at least as much.
  // When the query found nothing at all, the suggestion's results are shown at once.
  let suggestion = offset === 0 && (res.estimatedTotalHits ?? 0) < FEW_HITS ? await suggestQuery(q, spaceIds) : null;
  if (suggestion) {
    const better = await find(suggestion);
    const found = better.estimatedTotalHits ?? 0;
    if (found === 0 || found < (res.estimatedTotalHits ?? 0)) suggestion = null;
    else if (res.hits.length === 0) { res = better; shown = suggestion; }
  }
  const terms = queryTerms(shown, currentSegmentationWords());
  const synonyms = synonymsOf(shown, terms);
  const marks = highlighter([...new Set([...terms, ...synonyms.map((m) => m.to)])].sort((a, b) => b.length - a.length));
  const ranked = rerank(liveHits(res.hits, spaceIds), shown, readerLanguage(shown, viewer), offset).slice(offset < RERANK_WINDOW ? offset : 0).slice(0, limit);
  const live = liveStatuses(ranked.filter((h) => h.type === 'requirement').map((h) => h.path));
  const facts = hitPageFacts(ranked.filter((h) => h.type === 'page').map((h) => Number(h.docKey.slice('page-'.length))));
  const hits = ranked.map((h) => {
    const page = h.type === 'page' ? facts.get(Number(h.docKey.slice('page-'.length))) : undefined;
    const first = marks.firstMatch(h.text);
    const anchor = sectionAnchor(h, first);
    return {
      type: h.type, space: h.spaceKey, path: h.path, anchor, title: h.title, project: h.projectKey ?? null,
      href: h.type === 'requirement' ? requirementHref(h.path) : pageHref(h.spaceKey, h.path) + (anchor ? `#${anchor}` : ''),
      status: live.get(h.path)?.status ?? h.status ?? null, statusName: live.get(h.path)?.statusName ?? null, done: live.get(h.path)?.done ?? false,
      titleHtml: marks.mark(h.title),
      snippet: marks.snippet(h.text, first),
      synonyms: synonyms.length ? matchedSynonyms(synonyms, `${h.title}\n${h.text}`.toLowerCase()) : [],
      updatedAt: h.updatedAt, updatedBy: page?.editor ?? null, verified: page?.verified ?? false, breadcrumbs: page?.breadcrumbs ?? [],
    };
  });
  return {
    hits,
    total: res.estimatedTotalHits ?? hits.length,
    suggestion, suggestionApplied: shown !== q,
    tookMs: Math.round((performance.now() - started) * 10) / 10,
    facets: { spaces: res.facetDistribution?.spaceKey ?? {}, tags: res.facetDistribution?.tags ?? {} },
  };
}
