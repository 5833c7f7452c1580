import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { buildData } from '../../scripts/build/build-data.ts';
import { loadConfig, type Config } from '../../scripts/build/config.ts';
import { silentLog } from '../../scripts/build/log.ts';
import type { Manifest } from '../../src/lib/manifest.ts';
import { serve } from '../../scripts/site/serve.ts';
import { loadManifest } from '../../src/lib/site-data.ts';
import { launchChromium } from './browser.ts';

const run = promisify(execFile);

/** Where a site is built for and served at. */
export interface SiteOptions {
  /** The path the site lives under, as METANEXUS_BASE_PATH gives it (e.g. `/metanexus/`); the root when left out. */
  base?: string;
}

/** Builds the data from `connectionString` and then the site, both into a temp folder; returns where. */
export async function buildSite(
  connectionString: string,
  config?: Config,
  { base }: SiteOptions = {},
): Promise<{ dist: string; dataDir: string; manifest: Manifest }> {
  const root = await mkdtemp(join(tmpdir(), 'metanexus-site-'));
  const publicDir = join(root, 'public');
  const dataDir = join(publicDir, 'data');
  const dist = join(root, 'dist');
  await buildData({
    connectionString,
    config: config ?? (await loadConfig()),
    out: dataDir,
    poolSize: 4,
    statementTimeoutMs: 120_000,
    source: 'demo',
    log: silentLog(),
  });
  // Vitest sets BASE_URL=/ in the environment, and Astro lets an environment variable override import.meta.env.BASE_URL
  // in the pages it renders: the pages' links would ignore the base while the scripts' URLs keep it.
  const env = { ...process.env };
  delete env.BASE_URL;
  await run('npx', ['astro', 'build', '--silent'], {
    env: {
      ...env,
      METANEXUS_PUBLIC_DIR: publicDir,
      METANEXUS_DIST_DIR: dist,
      ...(base === undefined ? {} : { METANEXUS_BASE_PATH: base }),
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { dist, dataDir, manifest: await loadManifest(dataDir) };
}

/** A built site on a local static server, and the Chromium that opens it. */
export interface SiteUnderTest {
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Serves `dist` on a free port, at `base` when given, and launches Chromium; `url` includes the base. */
export async function serveSite(dist: string, { base }: SiteOptions = {}): Promise<SiteUnderTest> {
  const server = await serve({ dir: dist, base });
  const browser = await launchChromium();
  return {
    url: server.url,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
