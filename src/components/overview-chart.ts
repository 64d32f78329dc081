// The overview's timeline: requirements coming due and done, as running totals per period, drawn
// by the shared ECharts renderer. The same rows fill the table beside it.
import type { Lang } from '../i18n/index.ts';
import { translator } from '../i18n/index.ts';
import { AXIS_LABEL, AXIS_LINE, renderSvgChart } from '../server/charts/render-svg.ts';
import type { TimelineRow } from '../server/projects/overview.ts';

export function timelineSvg(rows: TimelineRow[], lang: Lang, size = { width: 640, height: 280 }): string {
  const t = translator(lang);
  const line = (name: string, data: number[]) => ({ name, type: 'line' as const, data, step: 'end' as const, symbol: 'none', lineStyle: { width: 2 }, areaStyle: { opacity: 0.08 } });
  return renderSvgChart({
    grid: { left: 44, right: 16, top: 36, bottom: 40 },
    legend: { top: 0, textStyle: AXIS_LABEL },
    xAxis: { type: 'category', data: rows.map((r) => r.period), axisLine: AXIS_LINE, axisLabel: { ...AXIS_LABEL, hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1, axisLine: AXIS_LINE, splitLine: AXIS_LINE, axisLabel: AXIS_LABEL },
    series: [line(t('phases.chart.dueTotal'), rows.map((r) => r.dueTotal)), line(t('phases.chart.doneTotal'), rows.map((r) => r.doneTotal))],
  }, size, t('phases.chart.title'));
}
