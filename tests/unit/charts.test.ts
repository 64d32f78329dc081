// The shared SVG chart renderer keeps to what our pages allow: no inline styles or <style>
// (the Content-Security-Policy refuses them), ink in currentColor (light and dark), a name.
import { describe, expect, it } from 'vitest';
import { AXIS_LABEL, AXIS_LINE, renderSvgChart } from '../../src/server/charts/render-svg.ts';
import { chartFigure, tableCsv, type MetricTable } from '../../src/server/dashboards/charts.ts';

const table: MetricTable = { title: 'Open <by> status', columns: ['Status', 'Open'], rows: [['已提交', 3], ['=cmd()', 1]], charted: [1] };

describe('renderSvgChart', () => {
  it('draws with presentation attributes only, in currentColor, with an accessible name', () => {
    const svg = renderSvgChart({
      xAxis: { type: 'category', data: ['a', 'b'], axisLine: AXIS_LINE, axisLabel: AXIS_LABEL },
      yAxis: { type: 'value', axisLabel: AXIS_LABEL }, series: [{ type: 'line', data: [1, 2] }],
    }, { width: 300, height: 200 }, 'On time "by" week');
    expect(svg).toMatch(/^<svg role="img" aria-label="On time &quot;by&quot; week" /);
    expect(svg).not.toMatch(/style=|<style/);
    expect(svg).toContain('fill="currentColor"');
    expect(svg).toMatch(/font-family="system-ui, &#39;PingFang SC&#39;/);
  });
});

describe('chart figures', () => {
  it.each(['line', 'bar', 'pie', 'funnel'] as const)('a %s chart comes with its table and CSV link', (type) => {
    const html = chartFigure(table, type, 'en', '/api/v1/x.csv?metric=by-status&tag=a');
    expect(html).toContain('<svg role="img" aria-label="Open &lt;by&gt; status"');
    expect(html).toContain('<th scope="row">已提交</th><td class="num">3</td>');
    expect(html).toContain('href="/api/v1/x.csv?metric=by-status&amp;tag=a"');
    expect(html).not.toMatch(/style=|<style/);
  });

  it('names every bar of named things (sideways bars), and wraps a long slice name rather than cutting it', () => {
    const people: MetricTable = { title: 'Overdue by assignee', columns: ['Assignee', 'Overdue'], rows: [['Li Wei', 3], ['Nina Berg', 2], ['张敏', 2], ['Unassigned', 1], ['Tom Becker', 1]], charted: [1], named: true };
    const svg = chartFigure(people, 'bar', 'en', null).split('</svg>')[0]!;
    for (const name of ['Li Wei', 'Nina Berg', '张敏', 'Unassigned', 'Tom Becker']) expect(svg).toContain(`>${name}</text>`);
    const pie = chartFigure({ ...people, rows: [['Feature request', 3], ['Customer issue', 2]] }, 'pie', 'en', null).split('</svg>')[0]!;
    const words = [...pie.matchAll(/>([^<]*)<\/text>/g)].map((m) => m[1]).join(' ');
    expect(words).toContain('Feature request');
    expect(words).not.toMatch(/\.\.\.|…/);
  });

  it('says so instead of drawing an empty pie', () => {
    expect(chartFigure({ ...table, rows: [['x', 0]] }, 'pie', 'zh-CN', null)).toContain('在这些筛选条件下没有数据。');
  });

  it('writes CSV with a BOM, quoted cells and formula-like cells made inert', () => {
    expect(tableCsv(table)).toBe('\uFEFF"Status","Open"\r\n"已提交","3"\r\n"\'=cmd()","1"\r\n');
  });
});
