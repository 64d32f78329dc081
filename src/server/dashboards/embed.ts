// A chart block as one reader sees it, drawn when the page is shown so it is always current:
// the chart with its table for a reader who may read the project; for anyone else (or a project
// that does not exist: the same answer) a placeholder with no figures.
import { translator, type Lang } from '../../i18n/index.ts';
import type { Viewer } from '../access/index.ts';
import { DomainError } from '../errors.ts';
import { escapeHtml } from '../html.ts';
import { ChartSpecError, decodeSpec } from './chart-spec.ts';
import { chartFigure, metricTable } from './charts.ts';
import { dashboardFor } from './dashboard.ts';

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
    return err.status === 400 ? chartErrorBox(err.message, lang) : hidden();
  }
}
