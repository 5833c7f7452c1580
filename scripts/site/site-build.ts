import { execFile } from 'node:child_process';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Where one site build lives: its `public/` (the data build writes `public/data`) and its `dist/`. */
export interface SiteDirs {
  root: string;
  publicDir: string;
  dataDir: string;
  dist: string;
}

/**
 * A private folder for one site build (tests, benchmarks), inside the project: `astro build` writes its server chunks
 * into the output folder when that is inside the working directory, and otherwise into the project's one `.astro/`,
 * where two builds at once overwrite each other; the chunks also need the project's node_modules to run.
 */
export async function createSiteDirs(prefix = 'site-'): Promise<SiteDirs> {
  const parent = join(ROOT, '.cache', 'site-builds');
  await mkdir(parent, { recursive: true });
  const root = await mkdtemp(join(parent, prefix));
  return { root, publicDir: join(root, 'public'), dataDir: join(root, 'public', 'data'), dist: join(root, 'dist') };
}

/** Runs `astro build` of the site over `dirs.publicDir` into `dirs.dist`, under `base` when given. */
export async function astroBuild(dirs: SiteDirs, { base }: { base?: string } = {}): Promise<void> {
  // Vitest sets BASE_URL=/ in the environment, and Astro lets an environment variable override import.meta.env.BASE_URL
  // in the pages it renders: the pages' links would ignore the base while the scripts' URLs keep it.
  const env = { ...process.env };
  delete env.BASE_URL;
  await promisify(execFile)(join(ROOT, 'node_modules', '.bin', 'astro'), ['build', '--silent'], {
    cwd: ROOT,
    env: {
      ...env,
      METANEXUS_PUBLIC_DIR: dirs.publicDir,
      METANEXUS_DIST_DIR: dirs.dist,
      ...(base === undefined ? {} : { METANEXUS_BASE_PATH: base }),
    },
    maxBuffer: 64 * 1024 * 1024,
  });
}
