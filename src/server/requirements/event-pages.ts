// Requirement events that name a page (linked, unlinked, mentioned) record its space, path and
// title as they were. Whoever is shown the event now (a viewer, an inbox, a chat group) sees
// which page only if they may read that page's space now; otherwise only that a page was involved.
import type { SpaceRef } from '../access/index.ts';
import { findSpace } from '../spaces/spaces.ts';

/**
 * `data` without its page's space, path and title unless `mayRead` allows that space. The title
 * is `title` in an event, `pageTitle` in an inbox item (whose `title` is the requirement's).
 */
export function withPageFor<T extends Record<string, unknown>>(data: T, mayRead: (space: SpaceRef) => boolean, titleField: 'title' | 'pageTitle' = 'title'): T {
  if (typeof data.space !== 'string') return data;
  const space = findSpace(data.space);
  if (space && mayRead(space)) return data;
  const { space: _space, path: _path, [titleField]: _title, ...rest } = data;
  return rest as T;
}
