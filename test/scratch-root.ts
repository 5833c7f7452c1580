import { chmod } from 'node:fs/promises';
import { createScratch } from '../scripts/build/scratch.ts';

/**
 * Vitest's global setup: every temporary folder of a test run, its builds' and browsers' included, goes under one
 * scratch folder of the run's own, removed when the run ends (or, if the run is killed, by the next `npm run build`,
 * which sweeps stale scratch folders), so that runs leave nothing in /tmp and two runs on one machine never share a
 * parent. Workers and the processes they start inherit TMPDIR.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const root = await createScratch('tests');
  // The embedded PostgreSQL runs as the user postgres when tests run as root: it must pass through this folder.
  await chmod(root.dir, 0o711);
  process.env.TMPDIR = root.dir;
  return () => root.remove();
}
