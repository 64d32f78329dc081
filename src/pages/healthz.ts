import type { APIRoute } from 'astro';
import { healthReport } from '../server/health.ts';
import { json } from '../server/http.ts';

export const GET: APIRoute = async () => {
  const report = await healthReport();
  // 503 whenever degraded (no database or no search), so that a monitor of status codes notices.
  return json(report, report.status === 'ok' ? 200 : 503);
};
