import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest's global setup: every temporary folder of a test run, its builds' and browsers' included, goes under one
 * folder of its own that is removed when the run ends, so that runs leave nothing in /tmp and two runs on one machine
 * never share a parent. Workers and the processes they start inherit TMPDIR.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const root = await mkdtemp(join(tmpdir(), 'metanexus-tests-'));
  // The embedded PostgreSQL runs as the user postgres when tests run as root: it must pass through this folder.
  await chmod(root, 0o711);
  process.env.TMPDIR = root;
  return async () => {
    // A server that a test stopped may still be writing its last files.
    await rm(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  };
}
