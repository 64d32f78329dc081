// A chart block as one reader sees it, drawn when the page is shown so it is always current:
// the chart with its table for a reader who may read the project; for anyone else (or a project
// that does not exist: the same answer) a placeholder with no figures.
import { translator, type Lang } from '../../i18n/index.ts';
import type { Viewer } from '../access/index.ts';
import { DomainError } from '../errors.ts';
import { escapeHtml } from '../html.ts';
import { ChartSpecError, decodeSpec, type ChartSpec } from './chart-spec.ts';
import { chartFigure, metricTable } from './charts.ts';
import { dashboardFor, loadDashboard } from './dashboard.ts';

/** A chart block as the renderer stores it (chart-spec.ts's spec, URL-encoded, `&` written `&amp;`). */
export const CHART_HOLE = /<div class="dossier-chart" data-chart="([^"]*)">[^<]*<\/div>/g;

/**
 * Computes on the dashboard worker the figures of every chart in `html` for this viewer, so that
 * the synchronous view that follows (htmlForViewer) draws them from memory instead of running the
 * queries on the main thread. What cannot be drawn is left for the view to say.
 */
export async function prepareCharts(viewer: Viewer | null, html: string): Promise<void> {
  if (!html.includes('<div class="dossier-chart" ')) return;
  const asked = new Map<string, ChartSpec>();
  for (const [, stored] of html.matchAll(CHART_HOLE)) {
    try {
      const spec = decodeSpec(stored!.replaceAll('&amp;', '&'));
      asked.set(JSON.stringify([spec.project, spec.query]), spec);
    } catch (err) {
      if (!(err instanceof ChartSpecError)) throw err;
    }
  }
  await Promise.all([...asked.values()].map((spec) => loadDashboard(viewer, spec.project, spec.query).catch((err: unknown) => {
    if (!(err instanceof DomainError)) throw err;
  })));
}

export function chartErrorBox(message: string, lang: Lang): string {
  return `<div class="dossier-chart-error" role="alert"><strong>${escapeHtml(translator(lang)('dash.chart.error'))}</strong>${escapeHtml(message)}</div>`;
}

/** `stored` is the placeholder's data-chart value (entity-decoded). */
export function embeddedChart(viewer: Viewer | null, stored: string, lang: Lang): string {
  const t = translator(lang);
  let spec;
  try {
    spec = decodeSpec(stored);
  } catch (err) {
    if (err instanceof ChartSpecError) return chartErrorBox(err.message, lang);
    throw err;
  }
  const hidden = () => `<div class="dossier-chart" data-testid="chart-hidden">${escapeHtml(t('dash.chart.hidden', { project: spec.project, metric: t(`dash.m.${spec.metric}`) }))}</div>`;
  try {
    const { dashboard } = dashboardFor(viewer, spec.project, spec.query);
    const base = `/api/v1/projects/${spec.project}/dashboard`;
    const search = new URLSearchParams(spec.query).toString();
    const figure = chartFigure(metricTable(spec.metric, dashboard, lang), spec.type, lang, `${base}.csv?metric=${spec.metric}${search ? `&${search}` : ''}`);
    return `<div class="dossier-chart-live" data-metric="${spec.metric}">${figure}`
      + `<a class="meta" href="/p/${spec.project}/dashboard${search ? `?${search}` : ''}">${escapeHtml(t('dash.chart.open', { key: spec.project }))}</a></div>`;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    // Not readable (or no such project): the placeholder; a bad query or one too slow to compute: say so.
    return err.status === 404 || err.status === 401 ? hidden() : chartErrorBox(err.message, lang);
  }
}
