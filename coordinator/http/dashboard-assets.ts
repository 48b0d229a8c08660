/**
 * The dashboard's static files, read once at start-up: the page, its script modules and
 * styles from coordinator/http/assets/, and uPlot's prebuilt script and styles from the
 * installed package (the page loads nothing from elsewhere, so it works offline).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../../shared/runtime/package-root.js';

export interface DashboardAsset {
  readonly contentType: string;
  readonly body: Buffer;
}

/** Assets by request path, e.g. `/assets/dashboard.js`; `/` is the page. */
export type DashboardAssets = ReadonlyMap<string, DashboardAsset>;

/** In index.html, stands for the URL-encoded token in the asset URLs. */
const TOKEN_PLACEHOLDER = '__TOKEN__';

/**
 * The folder holding index.html: coordinator/http/assets in the package, whether this module
 * runs from its source, from dist/coordinator/http/ or from the bundle in dist/bundle/.
 */
export function assetsDirectory(): string {
  const dir = join(packageRoot(import.meta.url), 'coordinator', 'http', 'assets');
  if (!existsSync(join(dir, 'index.html'))) {
    throw new Error(`cannot find the dashboard's index.html in ${dir}`);
  }
  return dir;
}

/**
 * The page's script as ES modules, served at `/assets/NAME`: index.html loads dashboard.js,
 * which imports the others.
 */
const SCRIPT_MODULES = [
  'dashboard.js',
  'dashboard-charts.js',
  'dashboard-dom.js',
  'dashboard-format.js',
  'dashboard-plot.js',
  'dashboard-tables.js',
] as const;

/** The chart library's files, served at `/assets/NAME` as they are in the package. */
const UPLOT_FILES = ['uPlot.iife.min.js', 'uPlot.min.css'] as const;

/**
 * Reads every asset. The page's own asset URLs carry the token (a browser cannot add a header
 * to a `<script src>`), so it is written into the page here, URL-encoded; likewise into the
 * script modules, whose import URLs carry it for the same reason.
 */
export async function loadDashboardAssets(token: string): Promise<DashboardAssets> {
  const dir = assetsDirectory();
  const read = (name: string) => readFile(join(dir, name));
  const fromPackage = createRequire(import.meta.url);
  const [page, scripts, styles, uplot] = await Promise.all([
    readFile(join(dir, 'index.html'), 'utf8'),
    Promise.all(SCRIPT_MODULES.map((name) => readFile(join(dir, name), 'utf8'))),
    read('dashboard.css'),
    Promise.all(UPLOT_FILES.map((name) => readFile(fromPackage.resolve(`uplot/dist/${name}`)))),
  ]);
  // encodeURIComponent leaves ' ( ) * ! ~ as they are; ' would end the single-quoted module
  // specifiers the token is written into, so it is escaped too (%27 means the same in a URL).
  const inUrl = encodeURIComponent(token).replaceAll("'", '%27');
  const withToken = (text: string) =>
    Buffer.from(text.replaceAll(TOKEN_PLACEHOLDER, inUrl), 'utf8');
  const js = 'text/javascript; charset=utf-8';
  const css = 'text/css; charset=utf-8';
  return new Map<string, DashboardAsset>([
    ['/', { contentType: 'text/html; charset=utf-8', body: withToken(page) }],
    ...SCRIPT_MODULES.map((name, i): [string, DashboardAsset] => [
      `/assets/${name}`,
      { contentType: js, body: withToken(scripts[i]!) },
    ]),
    ['/assets/dashboard.css', { contentType: css, body: styles }],
    ['/assets/uPlot.iife.min.js', { contentType: js, body: uplot[0]! }],
    ['/assets/uPlot.min.css', { contentType: css, body: uplot[1]! }],
  ]);
}
