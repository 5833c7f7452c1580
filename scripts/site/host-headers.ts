/**
 * The response headers of the built site, in one place: rendered into `dist/_headers` for the hosts that read one
 * (Netlify, Cloudflare Pages) and applied by `npm run preview`.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** A `_headers` rule: a path pattern, where `*` stands for any characters (`/` included), and the headers it sets. */
export interface HeaderRule {
  path: string;
  headers: Record<string, string>;
}

/** The file Netlify and Cloudflare Pages read their header rules from, at the root of the site. */
export const HEADERS_FILE = '_headers';
/** For files whose name carries a content hash: they never change, so any cache may keep them for a year. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** For pages and the manifest, which change with every build: caches must ask again each time (a cheap 304). */
export const REVALIDATE = 'no-cache';

const FOLDERS_WITH_OWN_RULES = ['_astro', 'data'];
const CONTENT_TYPES: HeaderRule[] = [
  { path: '/*.wasm', headers: { 'Content-Type': 'application/wasm' } },
  { path: '/*.parquet', headers: { 'Content-Type': 'application/vnd.apache.parquet' } },
  // The gzipped CSV downloads are files of their own, not a compressed form of a CSV to be decoded on the way.
  { path: '/*.csv.gz', headers: { 'Content-Type': 'application/gzip' } },
];

/** The entries of `dir` by name, leaving out compressed siblings and `_headers`; none when it is missing. */
const entries = (dir: string) =>
  readdir(dir, { withFileTypes: true }).then(
    (list) =>
      list
        .filter((e) => !/\.(br|gz)$/.test(e.name) && e.name !== HEADERS_FILE)
        .sort((a, b) => (a.name < b.name ? -1 : 1)),
    () => [],
  );

/** The path the site is served under, without its trailing slash: `''` for `/`, `/metanexus` for `/metanexus/`. */
export const basePrefix = (base: string): string => base.replace(/\/+$/, '');

/**
 * The rules for the site built in `dist`, served under `base`. No two rules give one path the same header, because
 * hosts disagree on what that means (Cloudflare joins the values, Netlify keeps one): Vite's `_astro/` and each
 * dataset's folder of hashed Parquet and a hashed top-level data file are immutable, and every other top-level
 * page, folder and data file (the manifest, the build report) is revalidated.
 */
export async function siteHeaderRules(dist: string, base = '/'): Promise<HeaderRule[]> {
  const prefix = basePrefix(base);
  const rule = (path: string, cacheControl: string): HeaderRule => ({
    path: `${prefix}${path}`,
    headers: { 'Cache-Control': cacheControl },
  });
  const immutable = [rule('/_astro/*', IMMUTABLE)];
  const revalidated = [rule('/', REVALIDATE)];
  for (const e of await entries(join(dist, 'data'))) {
    if (e.isDirectory()) immutable.push(rule(`/data/${e.name}/*`, IMMUTABLE));
    // A top-level file named by its content (the comparison) never changes; the manifest and report do.
    else if (/\.[0-9a-f]{16}\.parquet$/.test(e.name)) immutable.push(rule(`/data/${e.name}`, IMMUTABLE));
    else revalidated.push(rule(`/data/${e.name}`, REVALIDATE));
  }
  for (const e of await entries(dist)) {
    if (FOLDERS_WITH_OWN_RULES.includes(e.name)) continue;
    revalidated.push(rule(e.isDirectory() ? `/${e.name}/*` : `/${e.name}`, REVALIDATE));
  }
  return [...CONTENT_TYPES.map((r) => ({ ...r, path: `${prefix}${r.path}` })), ...immutable, ...revalidated];
}

/** The rules in the `_headers` syntax that Netlify and Cloudflare Pages read. */
export function renderHeadersFile(rules: HeaderRule[]): string {
  const blocks = rules.map((r) =>
    [r.path, ...Object.entries(r.headers).map(([name, value]) => `  ${name}: ${value}`)].join('\n'),
  );
  return (
    '# Written by `astro build` from scripts/site/host-headers.ts; npm run preview serves the same headers.\n' +
    `${blocks.join('\n')}\n`
  );
}

/** A function from a request path to the headers the rules give it; `*` matches any characters, as hosts match. */
export function headerMatcher(rules: HeaderRule[]): (pathname: string) => Record<string, string> {
  const compiled = rules.map((r) => ({
    pattern: new RegExp(
      `^${r.path
        .split('*')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    ),
    headers: r.headers,
  }));
  return (pathname) => Object.assign({}, ...compiled.filter((r) => r.pattern.test(pathname)).map((r) => r.headers));
}
