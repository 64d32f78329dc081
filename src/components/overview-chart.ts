// The overview's timeline: requirements coming due and done, as running totals per period, drawn
// by the shared ECharts renderer. The same rows fill the table beside it.
import type { Lang } from '../i18n/index.ts';
import { translator } from '../i18n/index.ts';
import { AXIS_LABEL, AXIS_LINE, renderSvgChart } from '../server/charts/render-svg.ts';
import type { TimelineRow } from '../server/projects/overview.ts';

// Drawing takes ECharts tens of milliseconds, and the same figures are drawn again and again (every
// view of the overview until a requirement's due date or completion changes): remember the latest.
const drawn = new Map<string, string>();
const REMEMBERED = 64;

export function timelineSvg(rows: TimelineRow[], lang: Lang, size: { width: number; height: number }): string {
  const key = JSON.stringify([rows, lang, size]);
  let svg = drawn.get(key);
  if (svg === undefined) {
    svg = draw(rows, lang, size);
    if (drawn.size >= REMEMBERED) drawn.delete(drawn.keys().next().value!);
    drawn.set(key, svg);
  }
  return svg;
}

function draw(rows: TimelineRow[], lang: Lang, size: { width: number; height: number }): string {
  const t = translator(lang);
  const narrow = size.width < 500; // the legend goes one item per line
  const line = (name: string, data: number[]) => ({ name, type: 'line' as const, data, step: 'end' as const, symbol: 'none', lineStyle: { width: 2 }, areaStyle: { opacity: 0.08 } });
  return renderSvgChart({
    grid: { left: 44, right: 16, top: narrow ? 56 : 40, bottom: 40 },
    // Left-aligned with wide gaps: the page's font runs wider than ECharts' text measure on the server.
    legend: { top: 0, left: 8, itemGap: narrow ? 8 : 48, orient: narrow ? 'vertical' : 'horizontal', textStyle: AXIS_LABEL },
    xAxis: { type: 'category', data: rows.map((r) => r.period), axisLine: AXIS_LINE, axisLabel: { ...AXIS_LABEL, hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1, axisLine: AXIS_LINE, splitLine: AXIS_LINE, axisLabel: AXIS_LABEL },
    series: [line(t('phases.chart.dueTotal'), rows.map((r) => r.dueTotal)), line(t('phases.chart.doneTotal'), rows.map((r) => r.doneTotal))],
  }, size, t('phases.chart.title'));
}
