import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join, relative } from 'node:path';
import type pg from 'pg';
import type { Browser } from 'playwright-core';
import { buildData } from '../../scripts/build/build-data.ts';
import { loadConfig, type Config } from '../../scripts/build/config.ts';
import { silentLog } from '../../scripts/build/log.ts';
import type { Manifest } from '../../src/lib/manifest.ts';
import { serve } from '../../scripts/site/serve.ts';
import { astroBuild, createSiteDirs } from '../../scripts/site/site-build.ts';
import { loadManifest } from '../../src/lib/site-data.ts';
import { seedDemo } from '../../scripts/demo/seed.ts';
import { launchChromium } from './browser.ts';
import { createTestDatabase, withClient, type TestDatabase } from './postgres.ts';

/** Where a site is built for and served at. */
export interface SiteOptions {
  /** The path the site lives under, as METANEXUS_BASE_PATH gives it (e.g. `/metanexus/`); the root when left out. */
  base?: string;
}

/** A site built into a private folder, which `remove()` deletes. */
export interface BuiltSite {
  dist: string;
  dataDir: string;
  manifest: Manifest;
  remove(): Promise<void>;
}

/** Builds the data from `connectionString` and then the site, both into a private folder; returns where. */
export async function buildSite(
  connectionString: string,
  config?: Config,
  { base }: SiteOptions = {},
): Promise<BuiltSite> {
  const dirs = await createSiteDirs();
  const remove = () => rm(dirs.root, { recursive: true, force: true });
  try {
    await buildData({
      connectionString,
      config: config ?? (await loadConfig()),
      out: dirs.dataDir,
      poolSize: 4,
      statementTimeoutMs: 120_000,
      source: 'demo',
      log: silentLog(),
    });
    await astroBuild(dirs, { base });
    return { dist: dirs.dist, dataDir: dirs.dataDir, manifest: await loadManifest(dirs.dataDir), remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

/**
 * A copy of the built site at `dist` without the files `leaveOut` names (paths relative to `dist`), as a host that
 * fails to serve them; it lives in a private folder inside the site's, which `remove()` deletes.
 */
export async function siteWithout(
  dist: string,
  leaveOut: (path: string) => boolean,
): Promise<{ dist: string; remove(): Promise<void> }> {
  const root = await mkdtemp(join(dirname(dist), 'without-'));
  const copy = join(root, 'dist');
  await cp(dist, copy, { recursive: true, filter: (from) => !leaveOut(relative(dist, from)) });
  return { dist: copy, remove: () => rm(root, { recursive: true, force: true }) };
}

/**
 * A host in front of `upstream` (a served site's URL): it answers 404 for the paths `failing` holds for, sends the
 * bodies of the paths `slow` holds for at about 400 KB/s, as a slow connection would, and logs what it is asked for
 * (path and query) in `requests`.
 */
export async function faultyHost(upstream: string): Promise<{
  url: string;
  failing: ((path: string) => boolean) | undefined;
  slow: ((path: string) => boolean) | undefined;
  requests: string[];
  close(): Promise<void>;
}> {
  const target = new URL(upstream);
  const host = {
    url: '',
    failing: undefined as ((path: string) => boolean) | undefined,
    slow: undefined as ((path: string) => boolean) | undefined,
    requests: [] as string[],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = createServer((req, res) => {
    const asked = new URL(req.url ?? '/', target);
    host.requests.push(asked.pathname + asked.search);
    if (host.failing?.(asked.pathname)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('gone');
      return;
    }
    const forward = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (!host.slow?.(asked.pathname)) return void answer.pipe(res);
        void (async () => {
          for await (const chunk of answer as AsyncIterable<Buffer>) {
            for (let at = 0; at < chunk.length; at += 8192) {
              res.write(chunk.subarray(at, at + 8192));
              await sleep(20);
            }
          }
          res.end();
        })().catch(() => res.destroy());
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${target.pathname}`;
  return host;
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

/** A demo database, the site built from it and served, with Chromium: what an end-to-end test file opens. */
export interface DemoSite {
  db: TestDatabase;
  server: SiteUnderTest;
  manifest: Manifest;
  dist: string;
  close(): Promise<void>;
}

/** Seeds the demo at `scale` into a fresh test database named after `label`, builds the site and serves it. */
export async function demoSite(label: string, { scale = 0.05, base }: SiteOptions & { scale?: number } = {}) {
  const db = await createTestDatabase(label);
  await withClient(db.url, (c) => seedDemo(c as pg.ClientBase, { scale }));
  const { dist, manifest, remove } = await buildSite(db.url, undefined, { base });
  const server = await serveSite(dist, { base });
  return {
    db,
    server,
    manifest,
    dist,
    async close() {
      await server.close();
      await remove();
      await db.drop();
    },
  } satisfies DemoSite;
}
