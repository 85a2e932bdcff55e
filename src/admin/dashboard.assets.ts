import { readFileSync } from 'node:fs';
import { NotFoundError } from '../common/http/app-errors';
import { DASHBOARD_SCRIPT } from './dashboard.script';

export type DashboardAssetName = 'uplot.js' | 'uplot.css' | 'dashboard.js';

// uPlot (about 50 kB) from node_modules: the page needs no CDN and works offline.
const SOURCES: Record<DashboardAssetName, { type: string; load: () => string }> = {
  'uplot.js': { type: 'application/javascript; charset=utf-8', load: () => readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8') },
  'uplot.css': { type: 'text/css; charset=utf-8', load: () => readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8') },
  'dashboard.js': { type: 'application/javascript; charset=utf-8', load: () => DASHBOARD_SCRIPT },
};
const loaded = new Map<DashboardAssetName, string>();

/** one of the dashboard's static files, read once */
export function dashboardAsset(name: DashboardAssetName): { type: string; body: string } {
  const source = Object.hasOwn(SOURCES, name) ? SOURCES[name] : undefined;
  if (!source) throw new NotFoundError('asset', name);
  if (!loaded.has(name)) loaded.set(name, source.load());
  return { type: source.type, body: loaded.get(name)! };
}
