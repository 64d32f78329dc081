// The search document shape (DESIGN.md) and how a page becomes one or more documents.
import type { PageRow } from '../pages/get-page.ts';
import type { Project } from '../projects/projects.ts';
import type { Requirement } from '../requirements/load.ts';

export interface SearchDoc {
  id: string;
  docKey: string;
  type: 'page' | 'requirement';
  spaceId: number;
  spaceKey: string;
  projectKey: string | null;
  path: string;
  anchor: string;
  /** Where each section merged into this document starts in its text, and its anchor. */
  anchors: { at: number; anchor: string }[];
  section: number;
  title: string;
  headings: string[];
  text: string;
  tags: string[];
  status: string | null;
  updatedAt: number;
  // Relevance (issue 13): the page's opening paragraph, which says what the page is about and is
  // weighted above the body; the page's main language; when a page was last verified (its owner or
  // a space admin marked it so: src/server/pages/ownership.ts; null for requirements).
  summary: string;
  lang: 'zh' | 'en';
  verifiedAt: number | null;
}

const SUMMARY_CHARS = 300;

/** The first paragraph of a page's text that is not its title: a tldr description, a guide's lead. */
export function summaryOf(title: string, text: string): string {
  for (const para of text.slice(0, 4000).split(/\n\s*\n/)) {
    const flat = para.replace(/\s+/g, ' ').trim();
    if (flat && flat !== title) return flat.slice(0, SUMMARY_CHARS);
  }
  return '';
}

/** Chinese when a fair share of its letters are Han characters (technical Chinese is full of English words). */
export function languageOf(text: string): 'zh' | 'en' {
  const sample = text.slice(0, 3000);
  const han = sample.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latin = sample.match(/[A-Za-z]/g)?.length ?? 0;
  return han > 0 && han * 4 >= latin ? 'zh' : 'en';
}

// Pages longer than this become one document per section (neighbouring small sections merged).
// Meilisearch crops snippets by re-reading the matched text of every hit, so short documents
// keep queries fast; they also let a hit link to the matching section, and keep long pages
// under Meilisearch's 65,535 indexed word positions per attribute.
const SPLIT_ABOVE_CHARS = 2_000;
const CHUNK_CHARS = 1_500;

// Command references (tldr and the many guides written like it) mark the letter an option stands
// for inside its word: E[x]tract, [c]reate, [l]i[s]t. Searched as they are, the word is cut in
// pieces and "extract" never finds `tar`. For search the word is the word: brackets around one to
// three letters at the start of or inside a word are dropped; a task box "[x] done", an index
// "arr[i]" and a wiki link keep theirs.
const MNEMONIC = /(?<![\p{N}\]])\[(\p{L}{1,3})\](?=\p{L}|\[\p{L})/gu;

/** The text as it is searched: see MNEMONIC. */
export const searchableText = (text: string) => (text.includes('[') ? text.replace(MNEMONIC, '$1') : text);

export function pageDocuments(row: PageRow, space: { id: number; key: string }): SearchDoc[] {
  const page = { ...row, text: searchableText(row.text), sections: row.sections.map((s) => ({ ...s, text: searchableText(s.text) })) };
  const base = {
    docKey: `page-${page.id}`, type: 'page' as const, spaceId: space.id, spaceKey: space.key, projectKey: null,
    path: page.path, title: page.title, tags: page.tags, status: null, updatedAt: page.updatedAt,
    summary: summaryOf(page.title, page.text), lang: languageOf(`${page.title}\n${page.text}`), verifiedAt: page.verifiedAt,
  };
  if (page.text.length <= SPLIT_ABOVE_CHARS) {
    return [{ ...base, id: `page-${page.id}-0`, anchor: '', anchors: [], section: 0, headings: page.headings.map((h) => h.text), text: page.text }];
  }
  // Merge small neighbouring sections into chunks (and cut huge ones), keeping where each starts, so
  // a hit links to the section its match is in.
  const chunks: { anchor: string; anchors: { at: number; anchor: string }[]; headings: string[]; text: string }[] = [];
  for (const s of page.sections) {
    for (let at = 0; at < Math.max(s.text.length, 1); at += CHUNK_CHARS) {
      const text = s.text.slice(at, at + CHUNK_CHARS);
      const heading = at === 0 && s.heading ? [s.heading] : [];
      const last = chunks.at(-1);
      if (last && last.text.length + text.length < CHUNK_CHARS) {
        last.headings.push(...heading);
        if (at === 0) last.anchors.push({ at: last.text.length + 1, anchor: s.anchor });
        last.text += `\n${text}`;
      } else {
        chunks.push({ anchor: s.anchor, anchors: [{ at: 0, anchor: s.anchor }], headings: heading, text });
      }
    }
  }
  return chunks.map((c, i) => ({ ...base, id: `page-${page.id}-${i}`, anchor: c.anchor, anchors: c.anchors.length > 1 ? c.anchors : [], section: i, headings: c.headings, text: c.text }));
}

// Attachment names and PDF text are found with their page: one more document after its sections.
const ATTACHMENT_TEXT_CHARS = 20_000;

export function attachmentDocument(page: PageRow, space: { id: number; key: string }, section: number, files: { name: string; text: string }[]): SearchDoc {
  return {
    id: `page-${page.id}-${section}`, docKey: `page-${page.id}`, type: 'page', spaceId: space.id, spaceKey: space.key, projectKey: null,
    path: page.path, anchor: '', anchors: [], section, title: page.title, headings: files.map((f) => f.name),
    text: files.map((f) => f.text).filter(Boolean).join('\n').slice(0, ATTACHMENT_TEXT_CHARS),
    tags: page.tags, status: null, updatedAt: page.updatedAt,
    summary: '', lang: languageOf(`${page.title}\n${page.text}`), verifiedAt: page.verifiedAt,
  };
}

/** A requirement's title as searched and shown: its key first, so that "PAY-12" finds it. */
export const requirementTitle = (req: { key: string; title: string }) => `${req.key} ${req.title}`;

/** A requirement is one document; `path` carries its key, which is what a hit links to. */
export function requirementDocument(req: Requirement, project: Project, space: { id: number; key: string }): SearchDoc {
  return {
    id: `req-${req.id}`, docKey: `req-${req.id}`, type: 'requirement', spaceId: space.id, spaceKey: space.key, projectKey: project.key,
    path: req.key, anchor: '', anchors: [], section: 0, title: requirementTitle(req), headings: [], text: req.text.slice(0, 20_000),
    tags: req.tags, status: req.status, updatedAt: req.updatedAt,
    summary: '', lang: languageOf(`${req.title}\n${req.text}`), verifiedAt: null,
  };
}
