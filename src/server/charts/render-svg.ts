// Charts are drawn on the server as SVG by Apache ECharts (its SSR renderer): no client script,
// and the SVG is inlined into the page. Text and axis lines are drawn in `currentColor`, so one
// SVG follows the page's light or dark colours; the series palette reads on both backgrounds.
// Our Content-Security-Policy allows no inline styles (style="…" or <style>), so the output keeps
// its looks in SVG presentation attributes only, and ECharts' hover rules (useless without a
// script) are left out.
import * as echarts from 'echarts';
import { escapeHtml } from '../html.ts';

// ECharts needs a concrete colour; this one is swapped for currentColor in the output.
const INK = '#010203';
export const PALETTE = ['#3b6fe0', '#e07b39', '#2f9e6b', '#c2455a', '#8a63d2', '#1e9bb0', '#b58a1b', '#6b7280'];

export interface ChartSize { width: number; height: number }

/** The option ECharts draws from, with our ink, palette and font filled in where the caller left them out. */
function withDefaults(option: echarts.EChartsOption): echarts.EChartsOption {
  return {
    animation: false,
    color: PALETTE,
    // Single quotes: the family ends up inside a double-quoted attribute.
    textStyle: { color: INK, fontFamily: "system-ui, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif" },
    ...option,
  };
}

/**
 * Renders one chart to an SVG string. `title` becomes the SVG's accessible name; the numbers
 * themselves belong in a table beside the chart (the caller's job), not only in the picture.
 */
export function renderSvgChart(option: echarts.EChartsOption, size: ChartSize, title: string): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption(withDefaults(option));
    const svg = chart.renderToSVGString();
    return svg
      .replace(/<style\b[\s\S]*?<\/style>/g, '')
      .replace(/ style="([^"]*)"/g, (_, style: string) => presentationAttributes(style))
      .replaceAll(INK, 'currentColor')
      .replace('<svg ', `<svg role="img" aria-label="${escapeHtml(title)}" `);
  } finally {
    chart.dispose(); // otherwise ECharts keeps a timer and the process never exits
  }
}

/** `font-size:12px;font-family:…` → ` font-size="12px" font-family="…"` (SVG presentation attributes). */
function presentationAttributes(style: string): string {
  return style.split(';').map((decl) => {
    const colon = decl.indexOf(':');
    const name = decl.slice(0, colon).trim();
    return colon > 0 && /^[a-z-]+$/.test(name) ? ` ${name}="${escapeHtml(decl.slice(colon + 1).trim())}"` : '';
  }).join('');
}

/** The axis and split-line style in ink at low opacity, for callers' axes. */
export const AXIS_LINE = { lineStyle: { color: INK, opacity: 0.25 } };
export const AXIS_LABEL = { color: INK };

