// The editor's live preview: rendered on the render pool exactly as a save renders (the same
// validation and caps, sanitizer, wiki links, requirement-key badges, headings), then shown as
// this reader would see the saved page.
import type { Lang } from '../../i18n/index.ts';
import { assertCan, type Viewer } from '../access/index.ts';
import { notFound } from '../errors.ts';
import { prepareCharts } from '../dashboards/embed.ts';
import { htmlForViewer } from '../pages/html-for-viewer.ts';
import { renderPool } from '../pages/render-pool.ts';
import { validateSave } from '../pages/save-page.ts';
import { findSpace } from '../spaces/spaces.ts';

export async function previewHtml(viewer: Viewer | null, input: { space: string; path?: string; markdown: unknown }, lang: Lang): Promise<string> {
  const space = findSpace(input.space);
  if (!space) throw notFound();
  assertCan(viewer, 'read', space);
  const { markdown } = validateSave({ space: space.key, path: input.path ?? '', markdown: input.markdown as string });
  const rendered = await renderPool().render(space.key, markdown, { owner: viewer!.id, preview: true });
  await prepareCharts(viewer, rendered.html); // on the dashboard worker, not here
  return htmlForViewer(viewer, rendered.html, lang);
}
