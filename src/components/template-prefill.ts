// The New page form filled from ?template=<id>: the template's body with its variables filled for
// this viewer and title. An unknown template is said on the page; the form is then blank.
import { errorText } from '../i18n/error-text.ts';
import { translator, type Lang } from '../i18n/index.ts';
import type { Viewer } from '../server/access/index.ts';
import { DomainError } from '../server/errors.ts';
import type { Space } from '../server/spaces/spaces.ts';
import { templateBody } from '../server/templates/new-page.ts';
import { findTemplate, templateTitle } from '../server/templates/templates.ts';

export interface Prefill { title: string; markdown: string; name: string }

export function templatePrefill(viewer: Viewer | null, space: Space, query: URLSearchParams, lang: Lang): Prefill | { error: string } | null {
  const id = query.get('template');
  if (!id) return null;
  try {
    const body = templateBody(space, viewer, id, query.get('title') ?? undefined, lang);
    return { ...body, name: templateTitle(findTemplate(space, id, lang)!, lang) };
  } catch (err) {
    if (err instanceof DomainError) return { error: errorText(translator(lang), err) };
    throw err;
  }
}
