// The form posts of a space's templates on its settings page: _action template-save (with `id` to
// change one, without to add one) and template-delete.
import type { Viewer } from '../server/access/index.ts';
import { DomainError } from '../server/errors.ts';
import { createTemplate, deleteTemplate, updateTemplate } from '../server/templates/templates.ts';
import type { Field } from './form-post.ts';

export const TEMPLATE_ACTIONS = ['template-save', 'template-delete'];

/** Runs the action; answers the query string to show the result with. */
export function templateFormAction(viewer: Viewer | null, spaceKey: string, field: Field): string {
  const id = field('id');
  if (field('_action') === 'template-delete') {
    deleteTemplate(viewer, spaceKey, id);
    return '?template-deleted#templates';
  }
  if (field('_action') !== 'template-save') throw new DomainError(400, 'Unknown action');
  const input = { title: field('title'), titleZh: field('titleZh'), description: field('description'), markdown: field('markdown') };
  if (id) updateTemplate(viewer, spaceKey, id, input);
  else createTemplate(viewer, spaceKey, input);
  return '?template-saved#templates';
}
