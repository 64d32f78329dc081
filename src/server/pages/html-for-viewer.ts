// Stored HTML is the same for every reader (src/server/markdown/render.ts); what depends on the
// reader is decided here, each time it is shown, through the access module:
// - a wiki link points at its page only if that page exists and this reader may read it;
//   otherwise it stays a link to the missing page's editor, exactly as for a page that never existed;
// - a requirement key stays a link, with its live status, only if that requirement exists and this
//   reader may read its project and, when it is restricted, the requirement itself; otherwise it is
//   plain text, exactly like "UTF-8" (no title, no status);
// - a chart block is drawn with this reader's figures, or a placeholder without them
//   (src/server/dashboards/embed.ts).
import type { Lang } from '../../i18n/index.ts';
import { canReadRequirement, isRestricted, readableFilter, type SpaceRef, type Viewer } from '../access/index.ts';
import { CHART_HOLE, chartErrorBox, embeddedChart } from '../dashboards/embed.ts';
import { readCache } from '../db-cache.ts';
import { db, prepared } from '../db.ts';
import { escapeHtml } from '../html.ts';
import { pageHref } from '../markdown/href.ts';
import { findCategory } from '../projects/projects.ts';
import { stateOf } from '../projects/workflow.ts';
import { findSpace } from '../spaces/spaces.ts';
import { titleKey } from './page-path.ts';
import { movedPagePath } from './redirects.ts';

interface WikiTarget extends SpaceRef { path: string }
interface KeyTarget extends SpaceRef { requirementId: number; restricted: boolean; title: string; statusName: { en: string; zh: string }; done: boolean }

type Lookup = [space: string, value: string];
const byTitle = prepared((d) => d.$client.prepare<Lookup, WikiTarget>(
  `select s.id, s.visibility, p.path from pages p join spaces s on s.id = p.space_id
   where s.key = ? and p.deleted_at is null and p.title_key = ? order by p.id limit 1`,
));
const byPath = prepared((d) => d.$client.prepare<Lookup, WikiTarget>(
  `select s.id, s.visibility, p.path from pages p join spaces s on s.id = p.space_id
   where s.key = ? and p.deleted_at is null and p.path = ?`,
));
const requirementByKey = prepared((d) => d.$client.prepare<[string], { requirementId: number; restricted: number; projectId: number; category: string; status: string; title: string; id: number; visibility: 'org' | 'restricted' }>(
  `select r.id as requirementId, r.restricted, r.project_id as projectId, r.category, r.status, r.title, s.id, s.visibility
   from requirements r join projects p on p.id = r.project_id join spaces s on s.id = p.space_id where r.key = ?`,
));

// Remembered until the database changes at all (src/server/db-cache.ts): exact, and a page view
// with links costs a map lookup per link.
const wikiTargets = readCache<string, WikiTarget | null>({ entries: 20_000 });
const keyTargets = readCache<string, Readonly<KeyTarget> | null>({ entries: 20_000 });

/**
 * The live page a `[[space:title]]` names: by title first, else by its exact path (`[[vpn/windows]]`),
 * else by a path it was moved away from.
 */
function wikiTarget(space: string, title: string): WikiTarget | null {
  return wikiTargets.get(`${space}\u0000${title}`, () => {
    const path = title.normalize('NFC').trim();
    return byTitle().get(space, titleKey(title)) ?? byPath().get(space, path) ?? movedTarget(space, path);
  });
}

/** A path a page was moved away from (redirects.ts): the link follows the page. */
function movedTarget(spaceKey: string, path: string): WikiTarget | null {
  const space = findSpace(spaceKey);
  const now = space ? movedPagePath(space, path) : null;
  return now === null ? null : { id: space!.id, visibility: space!.visibility, path: now };
}

function keyTarget(key: string): Readonly<KeyTarget> | null {
  return keyTargets.get(key, () => {
    const r = requirementByKey().get(key);
    if (!r) return null;
    const state = stateOf(findCategory(db(), r.projectId, r.category)!, r.status);
    const restricted = isRestricted({ restricted: r.restricted === 1, projectId: r.projectId, category: r.category });
    return Object.freeze({ id: r.id, visibility: r.visibility, requirementId: r.requirementId, restricted, title: r.title, statusName: state?.name ?? { en: r.status, zh: r.status }, done: !!state?.done });
  });
}

// Exactly as the renderer writes them (wiki-links.ts, requirement-keys.ts; hast-util-to-html).
const WIKI_LINK = /<a href="[^"]*" class="wikilink missing" data-wiki="([^"#/]+)\/([^"#]+)(?:#([^"]*))?">/g;
const KEY_LINK = /<a href="[^"]*" class="req-ref" data-req="([A-Z][A-Z0-9]{1,9}-\d+)">[^<]*<\/a>/g;
const CHART_ERROR = /<div class="dossier-chart-error">([^<]*)<\/div>/g;

function decode(s: string): string | null {
  try { return decodeURIComponent(s); } catch { return null; }
}

/** Stored HTML as this viewer may see it; `lang` names the live statuses. */
export function htmlForViewer(viewer: Viewer | null, html: string, lang: Lang): string {
  const hasWiki = html.includes('data-wiki="');
  const hasKeys = html.includes('class="req-ref"');
  const hasCharts = html.includes('<div class="dossier-chart');
  if (!hasWiki && !hasKeys && !hasCharts) return html;
  const readable = readableFilter(viewer);
  let out = html;
  if (hasWiki) {
    out = out.replace(WIKI_LINK, (link, space: string, rawTitle: string, fragment: string | undefined) => {
      const title = decode(rawTitle);
      const target = title === null ? null : wikiTarget(space, title);
      if (!target || !readable(target)) return link;
      const attr = `${space}/${rawTitle}${fragment === undefined ? '' : `#${fragment}`}`;
      return `<a href="${pageHref(space, target.path)}${fragment ? `#${fragment}` : ''}" class="wikilink" data-wiki="${attr}">`;
    });
  }
  if (hasKeys) {
    out = out.replace(KEY_LINK, (link, key: string) => {
      const target = keyTarget(key);
      if (!target || !readable(target) || (target.restricted && !canReadRequirement(viewer, { id: target.requirementId }))) return key;
      const name = lang === 'en' ? target.statusName.en : target.statusName.zh;
      return `${link}<span class="status-badge${target.done ? ' done' : ''}" title="${escapeHtml(target.title)}">${escapeHtml(name)}</span>`;
    });
  }
  if (hasCharts) {
    // The spec is URL-encoded, so the only entity in it is &amp; (hast-util-to-html writes & so).
    out = out.replace(CHART_HOLE, (_, stored: string) => embeddedChart(viewer, stored.replaceAll('&amp;', '&'), lang))
      .replace(CHART_ERROR, (_, message: string) => chartErrorBox(decodeText(message).replace(/^dossier-chart: /, ''), lang));
  }
  return out;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'" };
/** Text as hast-util-to-html wrote it, back to characters (chartErrorBox escapes it again). */
function decodeText(html: string): string {
  return html.replace(/&(?:amp|lt|gt|quot|#x27);/g, (e) => ENTITIES[e]!);
}
