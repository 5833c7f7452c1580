import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { seedDemo } from '../../scripts/demo/seed.ts';
import { createTestDatabase, stopTestServer, withClient, type TestDatabase } from '../helpers/postgres.ts';

const run = promisify(execFile);
const WORKFLOW = '.github/workflows/nightly.yml';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string;
  'runs-on': string;
  permissions?: Record<string, string>;
  environment?: { name: string; url: string };
  steps: Step[];
}
interface Workflow {
  on: { schedule: { cron: string }[]; workflow_dispatch: { inputs: Record<string, { type: string }> } };
  permissions: Record<string, string>;
  jobs: { build: Job; deploy: Job };
}

let text: string;
let workflow: Workflow;
let steps: Step[];

const stepUsing = (action: string) => steps.findIndex((s) => s.uses?.split('@')[0] === action);
const stepRunning = (command: string) => steps.findIndex((s) => s.run?.includes(command));

/** Every string in the parsed workflow, with the path of keys that leads to it. */
function strings(node: unknown, path: string[] = []): { path: string[]; value: string }[] {
  if (typeof node === 'string') return [{ path, value: node }];
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => strings(v, [...path, k]));
  return [];
}

beforeAll(async () => {
  text = await readFile(WORKFLOW, 'utf8');
  workflow = parse(text) as Workflow;
  steps = workflow.jobs.build.steps;
});

describe('the workflow file', () => {
  test('runs every night and by hand, with a "force" switch', () => {
    expect(workflow.on.schedule[0]!.cron).toMatch(/^\d+ \d+ \* \* \*$/);
    expect(workflow.on.workflow_dispatch.inputs.force!.type).toBe('boolean');
  });

  test('installs with npm ci on Node 20, caching node_modules by the lock file', () => {
    expect(steps[stepUsing('actions/setup-node')]!.with!['node-version']).toBe(20);
    const cache = steps[stepUsing('actions/cache')]!;
    expect(cache.with!.path).toBe('node_modules');
    expect(cache.with!.key).toContain("hashFiles('package-lock.json')");
    const install = steps[stepRunning('npm ci')]!;
    expect(install.if).toBe(`steps.${cache.id}.outputs.cache-hit != 'true'`);
    expect(stepRunning('npm ci')).toBeGreaterThan(stepUsing('actions/cache'));
  });

  test('the secret reaches the data build as an environment variable, and nowhere else', () => {
    const uses = strings(workflow).filter((s) => s.value.includes('secrets.'));
    expect(uses).toEqual([
      {
        path: ['jobs', 'build', 'steps', String(stepRunning('npm run build:data')), 'env', 'DATABASE_URL'],
        value: '${{ secrets.DATABASE_URL }}',
      },
    ]);
    expect(text.match(/secrets\./g)).toHaveLength(1);
    // No expression is spliced into a script: values reach scripts through the environment only.
    for (const step of [...steps, ...workflow.jobs.deploy.steps]) expect(step.run ?? '').not.toContain('${{');
  });

  test('the data build reports its outcome; published data is restored before it, saved only when rebuilt', () => {
    const data = steps[stepRunning('npm run build:data')]!;
    expect(data.id).toBe('data');
    expect(data.run).toContain('--outcome-file "$GITHUB_OUTPUT"');
    const restore = stepUsing('actions/cache/restore');
    const save = stepUsing('actions/cache/save');
    expect(steps[restore]!.with).toMatchObject({ path: 'public/data', 'restore-keys': 'published-data-' });
    expect(steps[save]!.with!.path).toBe('public/data');
    expect(steps[save]!.if).toBe("steps.data.outputs.outcome == 'rebuilt'");
    expect(restore).toBeLessThan(stepRunning('npm run build:data'));
    expect(save).toBeGreaterThan(stepRunning('npm run build:data'));
  });

  test('an unchanged source still builds and deploys the site: no step after the data build needs its outcome', () => {
    const site = stepRunning('npm run build:site');
    const upload = stepUsing('actions/upload-pages-artifact');
    expect(site).toBeGreaterThan(stepRunning('npm run build:data'));
    expect(steps[site]!.if).toBeUndefined();
    expect(steps[upload]!.if).toBeUndefined();
    expect(steps[upload]!.with!.path).toBe('dist');
    expect(upload).toBe(steps.length - 1);
    expect(steps[site]!.env!.METANEXUS_BASE_PATH).toBe('${{ steps.pages.outputs.base_path }}');
    expect(steps[stepUsing('actions/configure-pages')]!.id).toBe('pages');
  });

  test('the job summary shows the build report', () => {
    const summary = steps[stepRunning('GITHUB_STEP_SUMMARY')]!;
    expect(summary.run).toContain('cat public/data/build-report.md >> "$GITHUB_STEP_SUMMARY"');
    expect(summary.if).toBe('${{ !cancelled() }}');
    expect(summary.env!.OUTCOME).toBe('${{ steps.data.outputs.outcome }}');
  });

  test('deploys to GitHub Pages with the standard actions and only the permissions that needs', () => {
    const { deploy } = workflow.jobs;
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(deploy.needs).toBe('build');
    expect(deploy.permissions).toEqual({ pages: 'write', 'id-token': 'write' });
    expect(deploy.environment!.name).toBe('github-pages');
    expect(deploy.steps.map((s) => s.uses?.split('@')[0])).toEqual(['actions/deploy-pages']);
    expect(workflow.jobs.build.permissions).toBeUndefined();
  });
});

describe('its scripts, run as the runner would', () => {
  let db: TestDatabase;
  let project: string;
  let outputs: string;
  let summary: string;

  /** Runs a step's script with bash in the sandbox project, with the runner's files for outputs and summary. */
  async function runStep(command: string, env: Record<string, string>) {
    const script = steps[stepRunning(command)]!.run!;
    try {
      const { stdout, stderr } = await run('bash', ['-e', '-c', script], {
        cwd: project,
        env: { ...process.env, DATABASE_URL: '', GITHUB_OUTPUT: outputs, GITHUB_STEP_SUMMARY: summary, ...env },
      });
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, output: e.stdout + e.stderr };
    }
  }
  const lastOutcome = async () => (await readFile(outputs, 'utf8')).trim().split('\n').at(-1);

  beforeAll(async () => {
    db = await createTestDatabase('nightly');
    await withClient(db.url, (c) => seedDemo(c as pg.ClientBase, { scale: 0.01 }));
    // The project as checked out, but with its own public/: the real one stays untouched.
    project = await mkdtemp(join(tmpdir(), 'metanexus-nightly-'));
    for (const entry of ['node_modules', 'scripts', 'src', 'package.json', 'metanexus.config.json']) {
      await symlink(resolve(entry), join(project, entry));
    }
    await mkdir(join(project, 'public'));
    outputs = join(project, 'github-output');
    summary = join(project, 'step-summary');
  }, 300_000);
  afterAll(async () => {
    await rm(project, { recursive: true, force: true });
    await db?.drop();
    await stopTestServer();
  });

  test('first run: builds, says "rebuilt", and the summary is the report', async () => {
    const data = await runStep('npm run build:data', { DATABASE_URL: db.url });
    expect(data.code, data.output).toBe(0);
    expect(await lastOutcome()).toBe('outcome=rebuilt');
    await writeFile(summary, '');
    expect((await runStep('GITHUB_STEP_SUMMARY', { OUTCOME: 'rebuilt' })).code).toBe(0);
    expect(await readFile(summary, 'utf8')).toBe(await readFile(join(project, 'public/data/build-report.md'), 'utf8'));
  });

  test('next run, source unchanged: stops after the fingerprint, says "unchanged", rewrites nothing', async () => {
    const manifest = join(project, 'public/data/manifest.json');
    const before = (await stat(manifest)).mtimeMs;
    const data = await runStep('npm run build:data', { DATABASE_URL: db.url });
    expect(data.code, data.output).toBe(0);
    expect(data.output).toContain('source unchanged since the build of');
    expect(await lastOutcome()).toBe('outcome=unchanged');
    expect((await stat(manifest)).mtimeMs).toBe(before);
    await writeFile(summary, '');
    await runStep('GITHUB_STEP_SUMMARY', { OUTCOME: 'unchanged' });
    const text = await readFile(summary, 'utf8');
    expect(text).toMatch(/^\*\*Source unchanged\*\*/);
    expect(text).toContain(await readFile(join(project, 'public/data/build-report.md'), 'utf8'));
  });

  test('"force" rebuilds an unchanged source', async () => {
    const data = await runStep('npm run build:data', { DATABASE_URL: db.url, FORCE: 'true' });
    expect(data.code, data.output).toBe(0);
    expect(await lastOutcome()).toBe('outcome=rebuilt');
  });

  test('without the secret the build fails, naming it, instead of publishing the demo', async () => {
    const data = await runStep('npm run build:data', {});
    expect(data.code).toBe(1);
    expect(data.output).toContain('::error::The DATABASE_URL repository secret is not set');
    await writeFile(summary, '');
    expect((await runStep('GITHUB_STEP_SUMMARY', { OUTCOME: '' })).code).toBe(0);
    expect(await readFile(summary, 'utf8')).toBe('**The data build failed**: see its log. Nothing was deployed.\n');
  });
});
