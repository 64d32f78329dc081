// A new page made from a template: the template's body with its variables filled, saved as the
// page's first revision. Refused (422) for an unknown template or a page that already exists.
import { and, eq, isNull } from 'drizzle-orm';
import { pages } from '../../../db/schema.ts';
import { assertCan, type Viewer } from '../access/index.ts';
import { db } from '../db.ts';
import { DomainError, notFound } from '../errors.ts';
import type { Lang } from '../../i18n/index.ts';
import { normalizePagePath, validateTitle } from '../pages/page-path.ts';
import { savePage, type SaveResult } from '../pages/save-page.ts';
import { findSpace, type Space } from '../spaces/spaces.ts';
import { fillTemplate, findTemplate, templateTitle, variablesFor } from './templates.ts';

export interface NewFromTemplate { space: string; path: string; template: string; title?: string; tags?: string[]; message?: string }

/** The body a new page gets from a template (for the editor's prefill and for saving). */
export function templateBody(space: Space, viewer: Viewer | null, templateId: string, title: string | undefined, lang: Lang): { title: string; markdown: string } {
  const template = findTemplate(space, templateId, lang);
  if (!template) throw new DomainError(422, `No template "${templateId}" in this space`, { code: 'noTemplate', template: templateId });
  const pageTitle = title?.trim() ? validateTitle(title) : templateTitle(template, lang);
  return { title: pageTitle, markdown: fillTemplate(template.markdown, variablesFor(space, viewer, pageTitle)) };
}

export async function savePageFromTemplate(viewer: Viewer | null, input: NewFromTemplate, lang: Lang): Promise<SaveResult> {
  const space = findSpace(input.space);
  if (!space) throw notFound();
  assertCan(viewer, 'edit', space);
  const path = normalizePagePath(input.path);
  const existing = db().select({ id: pages.id }).from(pages).where(and(eq(pages.spaceId, space.id), eq(pages.path, path), isNull(pages.deletedAt))).get();
  if (existing) throw new DomainError(422, 'A template makes a new page; this page already exists', { code: 'templatePageExists' });
  const body = templateBody(space, viewer, input.template, input.title, lang);
  return savePage(viewer, { space: space.key, path, ...body, tags: input.tags, message: input.message });
}
