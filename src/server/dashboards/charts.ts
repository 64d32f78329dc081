// Each dashboard metric as one table (the numbers), drawn as a chart of a chosen type, shown as a
// figure with the table beside it and a CSV link. The table is the single source: the chart, the
// accessible table and the CSV download all come from it, so they cannot disagree.
import { stringify } from 'csv-stringify/sync';
import type { EChartsOption } from 'echarts';
import { translator, type Lang } from '../../i18n/index.ts';
import { escapeHtml } from '../html.ts';
import { AXIS_LABEL, AXIS_LINE, renderSvgChart } from '../charts/render-svg.ts';
import { inertCell } from '../requirements/csv-export.ts';
import type { Dashboard } from './metrics.ts';
import { CHART_TYPES, DEFAULT_TYPE, METRICS, type ChartType, type Metric } from './metric-names.ts';

export { CHART_TYPES, DEFAULT_TYPE, METRICS, type ChartType, type Metric };

export interface MetricTable {
  title: string;
  columns: string[];
  rows: [string, ...(number | null)[]][];
  /** Which value columns (1-based, as in `columns`) the chart draws. */
  charted: number[];
  /** The charted values are percentages (the value axis runs 0–100). */
  percent?: boolean;
  /** Rows are named things (states, people, tags), not points in time: bars run sideways, every name shown. */
  named?: boolean;
}

const pct = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);
const localName = (lang: Lang, n: { en: string; zh: string } | undefined, key: string) => (n ? (lang === 'en' ? n.en : n.zh) : key);

export function metricTable(metric: Metric, d: Dashboard, lang: Lang): MetricTable {
  const t = translator(lang);
  const title = t(`dash.m.${metric}`);
  const counts = (label: string, value: string, entries: [string, number][]): MetricTable =>
    ({ title, columns: [label, value], rows: entries.map(([k, n]) => [k, n]), charted: [1], named: true });
  switch (metric) {
    case 'on-time':
      return {
        title, columns: [t('dash.c.week'), t('dash.c.withDue'), t('dash.c.onTime'), t('dash.c.rate')],
        rows: d.onTime.byWeek.map((w) => [w.week, w.withDue, w.onTime, pct(w.rate)]), charted: [3], percent: true,
      };
    case 'created-done':
      return { title, columns: [t('dash.c.week'), t('dash.c.created'), t('dash.c.done')], rows: d.createdDone.map((w) => [w.week, w.created, w.done]), charted: [1, 2] };
    case 'by-status':
      return counts(t('dash.c.status'), t('dash.c.open'), Object.entries(d.byStatus).map(([k, n]) => [localName(lang, d.labels.status[k], k), n]));
    case 'overdue-assignee':
      return counts(t('dash.c.assignee'), t('dash.c.overdue'), Object.entries(d.overdueBy.assignee).map(([k, n]) => [k === 'none' ? t('dash.unassigned') : d.labels.assignee[k] ?? k, n]));
    case 'overdue-group':
      return counts(t('dash.c.group'), t('dash.c.overdue'), Object.entries(d.overdueBy.group));
    case 'age':
      return counts(t('dash.c.age'), t('dash.c.open'), d.age.map((a) => [t(`dash.age.${a.bucket}`), a.count]));
    case 'by-category':
      return counts(t('dash.c.category'), t('dash.c.items'), Object.entries(d.byCategory).map(([k, n]) => [localName(lang, d.labels.category[k], k), n]));
    case 'by-tag':
      return counts(t('dash.c.tag'), t('dash.c.items'), Object.entries(d.byTag));
  }
}

function chartOption(table: MetricTable, type: ChartType): EChartsOption {
  const labels = table.rows.map((r) => r[0]);
  const series = table.charted.map((c) => ({ name: table.columns[c]!, values: table.rows.map((r) => r[c] as number | null) }));
  if (type === 'pie' || type === 'funnel') {
    const data = table.rows.map((r) => ({ name: r[0], value: (r[table.charted[0]!] as number | null) ?? 0 })).filter((x) => x.value > 0);
    return type === 'pie'
      // A long name wraps onto a second line rather than running off the picture.
      ? { series: [{ type: 'pie', radius: ['35%', '65%'], data, label: { ...AXIS_LABEL, formatter: '{b}: {c}', width: 96, overflow: 'break' } }] }
      : { series: [{ type: 'funnel', sort: 'none', left: '10%', width: '80%', data, label: { position: 'inside', formatter: '{b}: {c}', color: '#fff' } }] };
  }
  if (type === 'bar' && table.named) {
    // Sideways, in the table's order from the top: a name per bar however many there are.
    return {
      // containLabel measures the names with the server's font metrics, a little narrower than a
      // browser draws them: the margin keeps the longest name's first letter in the picture.
      grid: { left: 24, right: 24, top: 8, bottom: 24, containLabel: true },
      yAxis: { type: 'category', inverse: true, data: labels, axisLine: AXIS_LINE, axisLabel: { ...AXIS_LABEL, width: 120, overflow: 'truncate', interval: 0 } },
      xAxis: { type: 'value', minInterval: 1, axisLine: AXIS_LINE, splitLine: AXIS_LINE, axisLabel: AXIS_LABEL },
      series: series.map((s) => ({ type, name: s.name, data: s.values, barMaxWidth: 24, label: { show: true, position: 'right', ...AXIS_LABEL } })),
    };
  }
  return {
    grid: { left: 48, right: 16, top: series.length > 1 ? 36 : 16, bottom: 40 },
    legend: series.length > 1 ? { top: 4, textStyle: AXIS_LABEL } : undefined,
    xAxis: { type: 'category', data: labels, axisLine: AXIS_LINE, axisLabel: { ...AXIS_LABEL, hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1, ...(table.percent ? { max: 100 } : {}), axisLine: AXIS_LINE, splitLine: AXIS_LINE, axisLabel: AXIS_LABEL },
    series: series.map((s) => ({ type, name: s.name, data: s.values, connectNulls: true, ...(type === 'line' ? { symbolSize: 6 } : { barMaxWidth: 40 }) })),
  };
}

// Drawn at about the size it is shown, so its 12px labels stay readable.
const CHART_SIZE = { width: 440, height: 260 };

// Drawing is the slow part of a view once the figures are remembered (tens of ms per chart), and
// a figure depends only on its table, type, language and link: the same inputs draw it once.
const MAX_DRAWN = 500;
const drawn = new Map<string, string>();

/** The chart, its table and a CSV link, as one figure. */
export function chartFigure(table: MetricTable, type: ChartType, lang: Lang, csvHref: string | null): string {
  const key = JSON.stringify([table, type, lang, csvHref]);
  let html = drawn.get(key);
  if (html === undefined) {
    html = drawFigure(table, type, lang, csvHref);
    if (drawn.size >= MAX_DRAWN) drawn.clear();
    drawn.set(key, html);
  }
  return html;
}

function drawFigure(table: MetricTable, type: ChartType, lang: Lang, csvHref: string | null): string {
  const t = translator(lang);
  // A 0 % week is a point on a line; a slice of nothing is not a pie.
  const values = table.rows.flatMap((r) => table.charted.map((c) => r[c] as number | null));
  const empty = type === 'pie' || type === 'funnel' ? !values.some((v) => v !== null && v > 0) : values.every((v) => v === null);
  const picture = empty
    ? `<p class="chart-empty">${escapeHtml(t('dash.noData'))}</p>`
    : renderSvgChart(chartOption(table, type), CHART_SIZE, table.title);
  const cell = (v: string | number | null) => (v === null ? t('dash.none') : typeof v === 'number' ? v.toLocaleString(lang) : v);
  return `<figure class="chart-figure"><figcaption>${escapeHtml(table.title)}</figcaption>`
    + `<div class="chart-body"><div class="chart-svg">${picture}</div>`
    + `<div class="chart-table"><div class="chart-table-scroll"><table><caption class="visually-hidden">${escapeHtml(t('dash.tableOf', { title: table.title }))}</caption>`
    + `<thead><tr>${table.columns.map((c, i) => `<th scope="col"${i ? ' class="num"' : ''}>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>`
    + table.rows.map((r) => `<tr>${r.map((v, i) => (i === 0 ? `<th scope="row">${escapeHtml(String(v))}</th>` : `<td class="num">${escapeHtml(cell(v))}</td>`)).join('')}</tr>`).join('')
    + `</tbody></table></div>`
    + (csvHref ? `<a class="chart-csv" href="${escapeHtml(csvHref)}" download aria-label="${escapeHtml(t('dash.csvNamed', { title: table.title }))}">${escapeHtml(t('dash.csv'))}</a>` : '')
    + `</div></div></figure>`;
}

/** The table as CSV: UTF-8 with a BOM, every cell quoted, formula-like cells made inert. */
export function tableCsv(table: MetricTable): string {
  return stringify(table.rows.map((r) => r.map((v) => inertCell(v === null ? '' : String(v)))), {
    bom: true, header: true, columns: table.columns, record_delimiter: 'windows', quoted: true,
  });
}
