// remark plugin: a ```dossier-chart block becomes a placeholder carrying its checked spec, or an
// error box saying what is wrong with it. No figures are stored: they depend on the reader and
// change over time, so the view draws them (src/server/pages/html-for-viewer.ts).
import type { Code, Root, RootContent } from 'mdast';
import { visit } from 'unist-util-visit';
import { CHART_LANG, ChartSpecError, encodeSpec, parseChartBlock } from '../dashboards/chart-spec.ts';

function placeholder(className: string, properties: Record<string, string>, text: string): RootContent {
  return {
    type: 'dossierChart',
    data: { hName: 'div', hProperties: { className: [className], ...properties }, hChildren: [{ type: 'text', value: text }] },
  } as unknown as RootContent;
}

export function remarkChartBlocks() {
  return function transform(tree: Root): undefined {
    visit(tree, 'code', (node: Code, index, parent) => {
      if (node.lang !== CHART_LANG || !parent || index === undefined) return;
      let replacement: RootContent;
      try {
        const spec = parseChartBlock(node.value);
        replacement = placeholder('dossier-chart', { dataChart: encodeSpec(spec) }, `Chart: ${spec.project} · ${spec.metric}`);
      } catch (err) {
        if (!(err instanceof ChartSpecError)) throw err;
        replacement = placeholder('dossier-chart-error', {}, `dossier-chart: ${err.message}`);
      }
      parent.children[index] = replacement as never;
    });
  };
}
