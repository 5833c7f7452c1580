import { rmSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// `metanexus-<kind>-<pid>-<random>`: the pid says whose folder it is, so a later process can tell a stale one.
const PREFIX = 'metanexus-';
const OWNED = /^metanexus-[a-z]+-(\d+)-/;

const live = new Set<string>();
let exitHookInstalled = false;

function removeLiveOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' also runs after runMain's signal handlers call process.exit, so an interrupted build cleans up too.
  process.on('exit', () => {
    for (const dir of live) rmSync(dir, { recursive: true, force: true });
  });
}

/** A private scratch folder of this process: removed by `remove()`, or at the latest when the process exits. */
export interface Scratch {
  readonly dir: string;
  remove(): Promise<void>;
}

/**
 * Creates a scratch folder that no other process uses (DuckDB spill, extracted CSV). A shared spill folder once let
 * two builds overwrite each other's temporary files and publish wrong numbers.
 */
export async function createScratch(kind: string, parent = tmpdir()): Promise<Scratch> {
  const dir = await mkdtemp(join(parent, `${PREFIX}${kind}-${process.pid}-`));
  live.add(dir);
  removeLiveOnExit();
  return {
    dir,
    async remove() {
      live.delete(dir);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Whether process `pid` is running (belonging to any user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the scratch folders whose owning process is gone (a killed build); returns their names. */
export async function removeStaleScratch(parent = tmpdir()): Promise<string[]> {
  const stale = (await readdir(parent)).filter((name) => {
    const pid = OWNED.exec(name)?.[1];
    return pid !== undefined && Number(pid) !== process.pid && !isAlive(Number(pid));
  });
  await Promise.all(stale.map((name) => rm(join(parent, name), { recursive: true, force: true })));
  return stale;
}
