// Page templates: the built-in ones (builtin.ts) and each space's own, kept by the space's admins.
// Reading a space's templates needs read permission on it; writing them needs admin.
import { z } from 'astro/zod';
import { and, asc, eq } from 'drizzle-orm';
import { projects, spaceTemplates } from '../../../db/schema.ts';
import { assertCan, type Viewer } from '../access/index.ts';
import { appendAudit } from '../admin/audit.ts';
import { db, write } from '../db.ts';
import { badInput, DomainError, notFound, tooLarge } from '../errors.ts';
import type { Lang } from '../../i18n/index.ts';
import { assertLinkCaps } from '../markdown/link-caps.ts';
import { MAX_MARKDOWN_BYTES } from '../pages/page-path.ts';
import { normalizeMarkdown } from '../pages/save-page.ts';
import { findSpace, type Space } from '../spaces/spaces.ts';
import { BUILTIN_TEMPLATES, type BuiltinTemplate } from './builtin.ts';

/** What the list shows; `id` is a word for a built-in template and a number (as text) for a space's own. */
export interface TemplateSummary { id: string; title: string; titleZh?: string; description?: string; builtIn: boolean }
export interface Template extends TemplateSummary { markdown: string }

// A template is at most this large: the page made from it (variables filled) must still fit a page.
export const MAX_TEMPLATE_BYTES = 256 * 1024;
const CONTROL = /[\u0000-\u001f\u007f]/;

function readableSpace(viewer: Viewer | null, key: string, action: 'read' | 'admin'): Space {
  const space = findSpace(key);
  if (!space) throw notFound();
  assertCan(viewer, action, space);
  return space;
}

function ownRows(spaceId: number) {
  return db().select().from(spaceTemplates).where(eq(spaceTemplates.spaceId, spaceId)).orderBy(asc(spaceTemplates.title), asc(spaceTemplates.id)).all();
}

type Row = typeof spaceTemplates.$inferSelect;
const fromRow = (r: Row): Template => ({
  id: String(r.id), title: r.title, ...(r.titleZh ? { titleZh: r.titleZh } : {}),
  ...(r.description ? { description: r.description } : {}), builtIn: false, markdown: r.markdown,
});

function builtin(id: string, lang: Lang): Template | undefined {
  const b = BUILTIN_TEMPLATES.find((t) => t.id === id);
  if (!b) return undefined;
  const zh = lang === 'zh-CN';
  return { id: b.id, title: b.title, titleZh: b.titleZh, description: zh ? b.descriptionZh : b.description, builtIn: true, markdown: zh ? b.zh : b.en };
}

/** The built-in templates a space offers: those drawing a project's charts only in a project's space. */
export function builtinsOf(space: Space): readonly BuiltinTemplate[] {
  const hasProject = db().select({ id: projects.id }).from(projects).where(eq(projects.spaceId, space.id)).get() !== undefined;
  return hasProject ? BUILTIN_TEMPLATES : BUILTIN_TEMPLATES.filter((b) => !b.projectOnly);
}

/** The space's templates: built-in first (their description in the reader's language), then its own by title. */
export function listTemplates(viewer: Viewer | null, spaceKey: string, lang: Lang): TemplateSummary[] {
  const space = readableSpace(viewer, spaceKey, 'read');
  const summary = ({ markdown: _, ...s }: Template): TemplateSummary => s;
  return [...builtinsOf(space).map((b) => summary(builtin(b.id, lang)!)), ...ownRows(space.id).map((r) => summary(fromRow(r)))];
}

/** One template of a space, with its body; undefined when the space has none by that id. */
export function findTemplate(space: Space, id: string, lang: Lang): Template | undefined {
  if (!/^\d{1,15}$/.test(id)) return builtinsOf(space).some((b) => b.id === id) ? builtin(id, lang) : undefined;
  const row = db().select().from(spaceTemplates).where(and(eq(spaceTemplates.spaceId, space.id), eq(spaceTemplates.id, Number(id)))).get();
  return row && fromRow(row);
}

export function getTemplate(viewer: Viewer | null, spaceKey: string, id: string, lang: Lang): Template {
  const template = findTemplate(readableSpace(viewer, spaceKey, 'read'), id, lang);
  if (!template) throw notFound();
  return template;
}

/** A template's title in the reader's language. */
export const templateTitle = (t: TemplateSummary, lang: Lang) => (lang === 'zh-CN' && t.titleZh) || t.title;

/** The API's body for a space's own template (POST and PUT). */
export const TemplateBody = z.object({
  title: z.string().max(1000),
  titleZh: z.string().max(1000).nullable().optional(),
  description: z.string().max(2000).optional(),
  markdown: z.string(),
});
export type TemplateInput = z.infer<typeof TemplateBody>;

function validName(field: string, raw: string, max: number, tooLong: { code: string }): string {
  const value = raw.normalize('NFC').trim();
  if ([...value].length > max) throw badInput(`${field} is at most ${max} characters`, { ...tooLong, max });
  if (CONTROL.test(value)) throw badInput(`${field} may not contain control characters`, { code: 'templateControl' });
  return value;
}

function validate(input: TemplateInput): Omit<Row, 'id' | 'spaceId' | 'createdAt' | 'updatedAt' | 'updatedBy'> {
  const title = validName('A template title', input.title, 120, { code: 'templateTitleTooLong' });
  if (!title) throw badInput('A template needs a title', { code: 'templateTitleRequired' });
  const titleZh = validName('A Chinese title', input.titleZh ?? '', 120, { code: 'templateTitleZhTooLong' }) || null;
  const description = validName('A description', input.description ?? '', 300, { code: 'templateDescriptionTooLong' });
  if (Buffer.byteLength(input.markdown) > MAX_TEMPLATE_BYTES) throw tooLarge(`A template is at most ${MAX_TEMPLATE_BYTES / 1024} kB`, { code: 'templateTooLarge', kb: MAX_TEMPLATE_BYTES / 1024 });
  const markdown = normalizeMarkdown(input.markdown);
  assertLinkCaps(markdown, 'page');
  return { title, titleZh, description, markdown };
}

export function createTemplate(viewer: Viewer | null, spaceKey: string, input: TemplateInput): Template {
  const space = readableSpace(viewer, spaceKey, 'admin');
  const fields = validate(input);
  return write((tx) => {
    if (tx.select({ id: spaceTemplates.id }).from(spaceTemplates).where(eq(spaceTemplates.spaceId, space.id)).all().length >= 200) {
      throw new DomainError(422, 'A space has at most 200 templates of its own', { code: 'tooManyTemplates' });
    }
    const row = tx.insert(spaceTemplates).values({ ...fields, spaceId: space.id, updatedBy: viewer!.id, updatedAt: Date.now() }).returning().get();
    appendAudit(tx, viewer!, 'template.create', `${space.key}/${row.id}`, null, { title: row.title });
    return fromRow(row);
  });
}

/** A built-in template cannot be changed or deleted (422); a space's own one that does not exist is a 404. */
function ownRow(space: Space, id: string): Row {
  if (!/^\d{1,15}$/.test(id)) {
    if (BUILTIN_TEMPLATES.some((b) => b.id === id)) throw new DomainError(422, 'Built-in templates cannot be changed; make a copy as a template of this space', { code: 'builtinTemplate' });
    throw notFound();
  }
  const row = db().select().from(spaceTemplates).where(and(eq(spaceTemplates.spaceId, space.id), eq(spaceTemplates.id, Number(id)))).get();
  if (!row) throw notFound();
  return row;
}

export function updateTemplate(viewer: Viewer | null, spaceKey: string, id: string, input: TemplateInput): Template {
  const space = readableSpace(viewer, spaceKey, 'admin');
  const before = ownRow(space, id);
  const fields = validate(input);
  return write((tx) => {
    const row = tx.update(spaceTemplates).set({ ...fields, updatedBy: viewer!.id, updatedAt: Date.now() }).where(eq(spaceTemplates.id, before.id)).returning().get()!;
    appendAudit(tx, viewer!, 'template.update', `${space.key}/${row.id}`, { title: before.title }, { title: row.title });
    return fromRow(row);
  });
}

export function deleteTemplate(viewer: Viewer | null, spaceKey: string, id: string): void {
  const space = readableSpace(viewer, spaceKey, 'admin');
  const row = ownRow(space, id);
  write((tx) => {
    tx.delete(spaceTemplates).where(eq(spaceTemplates.id, row.id)).run();
    appendAudit(tx, viewer!, 'template.delete', `${space.key}/${row.id}`, { title: row.title }, null);
  });
}

/** `key` is the project's key (PAY) for chart blocks; empty outside a project, so a chart block then asks for one. */
export type TemplateVariables = { title: string; date: string; author: string; project: string; key: string; space: string };

/** Today as YYYY-MM-DD in the server's time zone. */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The variables of a page made in `space` by `author`: the project is the space's project, else the space. */
export function variablesFor(space: Space, author: Viewer | null, title: string): TemplateVariables {
  const project = db().select({ key: projects.key, name: projects.name }).from(projects).where(eq(projects.spaceId, space.id)).get();
  return { title, date: today(), author: author?.name ?? '', project: project ? `${project.name} (${project.key})` : space.name, key: project?.key ?? '', space: space.name };
}

/**
 * Fills `{{name}}` with its value in one pass over the template: a value is never read again, so
 * a title of "{{date}}" stays as typed and nothing expands twice. Unknown names are left as they are.
 */
export function fillTemplate(markdown: string, vars: Readonly<Record<string, string>>): string {
  const filled = markdown.replace(/\{\{\s*([a-z]+)\s*\}\}/g, (whole, name: string) => (Object.hasOwn(vars, name) ? vars[name]! : whole));
  if (Buffer.byteLength(filled) > MAX_MARKDOWN_BYTES) throw tooLarge('The page made from this template would be larger than 2 MB', { code: 'templatePageTooLarge' });
  return filled;
}
