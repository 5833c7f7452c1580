import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { buildData } from '../../scripts/build-data.ts';
import { loadConfig, type Config } from '../../scripts/config.ts';
import { silentLog } from '../../scripts/log.ts';
import type { Manifest } from '../../src/lib/manifest.ts';
import { serve } from '../../scripts/serve.ts';
import { loadManifest } from '../../src/lib/site-data.ts';
import { launchChromium } from './browser.ts';

const run = promisify(execFile);

/** Builds the data from `connectionString` and then the site, both into a temp folder; returns where. */
export async function buildSite(
  connectionString: string,
  config?: Config,
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
  await run('npx', ['astro', 'build', '--silent'], {
    env: { ...process.env, METANEXUS_PUBLIC_DIR: publicDir, METANEXUS_DIST_DIR: dist },
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

/** Serves `dist` on a free port and launches Chromium. */
export async function serveSite(dist: string): Promise<SiteUnderTest> {
  const server = await serve({ dir: dist });
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
