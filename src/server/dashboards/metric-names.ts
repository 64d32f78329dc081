// The metrics a chart can show and the chart types it can be drawn as. Kept apart from the
// drawing code so the markdown workers can check chart blocks without loading ECharts.
export const METRICS = ['on-time', 'created-done', 'by-status', 'overdue-assignee', 'overdue-group', 'age', 'by-category', 'by-tag'] as const;
export type Metric = (typeof METRICS)[number];
export const CHART_TYPES = ['line', 'bar', 'pie', 'funnel'] as const;
export type ChartType = (typeof CHART_TYPES)[number];

export const DEFAULT_TYPE: Record<Metric, ChartType> = {
  // Open items by status are counts side by side, not stages of a conversion: bars, not a funnel.
  'on-time': 'line', 'created-done': 'line', 'by-status': 'bar', 'overdue-assignee': 'bar',
  'overdue-group': 'bar', age: 'bar', 'by-category': 'pie', 'by-tag': 'pie',
};
