import type { APIRoute } from 'astro';
import { healthReport } from '../server/health.ts';
import { json } from '../server/http.ts';

export const GET: APIRoute = async () => {
  const report = await healthReport();
  return json(report, report.db === 'ok' ? 200 : 503);
};
