// A chart block in a page (```dossier-chart, YAML inside) and the spec it stands for. Pure: the
// renderer checks a block in its worker thread and stores only the spec, never figures; the view
// checks the stored spec again (raw HTML could forge one) and draws it for its viewer.
import { parseDocument } from 'yaml';
import { DomainError } from '../errors.ts';
import { CHART_TYPES, DEFAULT_TYPE, METRICS, type ChartType, type Metric } from './metric-names.ts';
import { parseDashboardQuery, QUERY_NAMES } from './query.ts';

export interface ChartSpec { project: string; metric: Metric; type: ChartType; query: [string, string][] }

export const CHART_LANG = 'dossier-chart';
const MAX_SOURCE = 2000;
const PROJECT_KEY = /^[A-Z][A-Z0-9]{1,9}$/;
const SPEC_NAMES = ['project', 'metric', 'type', ...QUERY_NAMES] as const;

export class ChartSpecError extends Error {}

/** The spec from name → value pairs (a block's YAML, or a stored spec); throws ChartSpecError saying what is wrong. */
export function chartSpec(entries: Iterable<[string, string]>): ChartSpec {
  const given = new Map<string, string>();
  for (const [name, value] of entries) {
    if (!(SPEC_NAMES as readonly string[]).includes(name)) throw new ChartSpecError(`unknown setting ${JSON.stringify(name.slice(0, 40))}; known: ${SPEC_NAMES.join(', ')}`);
    given.set(name, value);
  }
  const project = given.get('project') ?? '';
  if (!PROJECT_KEY.test(project)) throw new ChartSpecError('project: a project key such as PAY');
  const metric = given.get('metric') ?? '';
  if (!(METRICS as readonly string[]).includes(metric)) throw new ChartSpecError(`metric: one of ${METRICS.join(', ')}`);
  const type = given.get('type') ?? DEFAULT_TYPE[metric as Metric];
  if (!(CHART_TYPES as readonly string[]).includes(type)) throw new ChartSpecError(`type: one of ${CHART_TYPES.join(', ')}`);
  const query = [...given].filter(([name]) => (QUERY_NAMES as readonly string[]).includes(name));
  try {
    parseDashboardQuery(query);
  } catch (err) {
    if (err instanceof DomainError) throw new ChartSpecError(err.message);
    throw err;
  }
  return { project, metric: metric as Metric, type: type as ChartType, query };
}

/** A block's YAML: one mapping of scalars (a list where a filter takes several values), no aliases. */
export function parseChartBlock(source: string): ChartSpec {
  if (source.length > MAX_SOURCE) throw new ChartSpecError(`a chart block is at most ${MAX_SOURCE} characters`);
  const doc = parseDocument(source, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) throw new ChartSpecError(`not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 0 });
  } catch {
    throw new ChartSpecError('YAML anchors and aliases are not allowed in a chart block');
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new ChartSpecError('write one setting per line, such as "project: PAY" and "metric: on-time"');
  const entries: [string, string][] = [];
  for (const [name, value] of Object.entries(data)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.length > 20 || !values.every((v) => typeof v === 'string' || typeof v === 'number')) {
      throw new ChartSpecError(`${name}: a single value (or a short list of values)`);
    }
    entries.push([name, values.join(',')]);
  }
  return chartSpec(entries);
}

/** The spec as stored in a page's HTML (URL-encoded: no quotes or angle brackets). */
export function encodeSpec(spec: ChartSpec): string {
  return new URLSearchParams([['project', spec.project], ['metric', spec.metric], ['type', spec.type], ...spec.query]).toString();
}

export function decodeSpec(stored: string): ChartSpec {
  return chartSpec(new URLSearchParams(stored));
}
