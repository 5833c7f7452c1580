import { describe, expect, it } from 'vitest';
import {
  bytesBudgeted,
  checkBudgets,
  interactionLimits,
  interactionLimitText,
  LIMITS,
  limitsFor,
} from '../../bench/budgets.ts';
import { compareWithDash, DASH_REFERENCE } from '../../bench/dash-reference.ts';
import { cdpConditions, FAST, SLOW } from '../../bench/network.ts';
import { shippedKind, stepTimes, totalOfSteps } from '../../bench/build.ts';
import { formatBytes, formatMs, formatRatio, formatReport, markdownTable } from '../../bench/report.ts';
import type { BenchResults, PageLoadResult } from '../../bench/results.ts';
import { summarize } from '../../bench/stats.ts';

const s = (...values: number[]) => summarize(values);

const load = (page: string, network: string, visit: PageLoadResult['visit'], ms: number): PageLoadResult => ({
  page,
  label: page,
  url: `/?${page}`,
  network,
  networkLabel: network,
  visit,
  interactive: s(ms),
  bytes: s(2 ** 20),
  states: { ready: 1 },
});

/**
 * A small but complete result set: one slow interaction (heatmap, also over the bytes and throttled budgets), one
 * file over the budget, one slow page load at 10 Mbit/s.
 */
function results(): BenchResults {
  const interaction = (id: string, ms: number[], bytes = 0) => ({
    id,
    label: id,
    ours: s(...ms),
    oursFrame: s(...ms),
    bytes: s(bytes),
    meanRows: 10,
    states: { ready: ms.length },
    live: s(...ms.map((x) => x * 10)),
    throttled: { ours: s(...ms.map((x) => x * 3)), bytes: s(bytes) },
  });
  return {
    date: '2026-11-28T00:00:00.000Z',
    machine: { os: 'Linux', cpu: 'cpu', cores: 2, memoryGiB: 24, load: { start: [1, 1, 1], end: [2, 2, 2] } },
    versions: { node: '20' },
    options: {
      runs: 1,
      reps: 2,
      baselineReps: 2,
      coldLoads: 1,
      warmups: 1,
      poolSize: 4,
      source: 'test',
      scale: 1,
      throttledReps: 2,
      skipLive: false,
    },
    seedSeconds: 0,
    build: {
      runs: 1,
      sourceRows: 100,
      steps: { extract: s(1000), precompute: s(5000), publish: s(10) },
      dataBuild: s(6010),
      process: s(7000),
      astroBuild: s(4000),
      peakMemoryMiB: s(600),
      maxConnections: 4,
      poolSize: 4,
      shipped: {
        byKind: { 'data: values': { count: 1, bytes: 30 * 2 ** 20 } },
        total: 30 * 2 ** 20,
        files: 1,
        largest: { path: 'data/x/values.parquet', bytes: 30 * 2 ** 20 },
        over: [{ path: 'data/x/values.parquet', bytes: 30 * 2 ** 20 }],
      },
    },
    scaling: [
      { scale: 0.5, sourceRows: 50, dataBuild: s(3000) },
      { scale: 1, sourceRows: 100, dataBuild: s(6010) },
    ],
    cold: { url: '/?ds=x', fcp: s(80), content: s(90), interactive: s(900), bytes: s(2 ** 20), states: { ready: 1 } },
    interactions: [
      interaction('heatmap-5x10', [50, 150], 200 * 1024),
      interaction('metabolite-all', [30, 40], 80 * 1024),
      interaction('search-keystroke', [10, 20]),
    ],
    throttled: { network: '10 Mbit/s, 40 ms', shortestRequestMs: 41 },
    pageLoads: [
      load('landscape-metabolite', 'local', 'cold', 900),
      load('landscape-metabolite', 'local', 'repeat', 300),
      load('landscape-metabolite', '10mbit', 'cold', 3500),
      load('landscape-metabolite', '10mbit', 'repeat', 400),
    ],
  };
}

describe('budgets', () => {
  it('fails the slow interaction, its bytes and throttled time, the slow load and the large file', () => {
    const checks = checkBudgets(results());
    expect(checks.filter((c) => !c.pass).map((c) => c.budget)).toEqual([
      'every warm interaction, p95',
      'heatmaps and bacterium Top 10, p50',
      'bytes per click: lookups, Top/Bottom N, heatmaps (median)',
      'every warm interaction at 10 Mbit/s, 40 ms, p95',
      'first chart, cold, 10 Mbit/s (median per permalink)',
      'largest shipped file',
    ]);
    expect(checks[0]!.value).toBe('worst heatmap-5x10 145 ms; over: heatmap-5x10');
    const bytes = checks.find((c) => c.budget.startsWith('bytes per click'))!;
    expect(bytes.value).toBe('worst heatmap-5x10 200.0 KiB; over: heatmap-5x10');
    const repeat = checks.find((c) => c.budget.startsWith('first chart, repeat'))!;
    expect([repeat.pass, repeat.value]).toEqual([true, 'worst landscape-metabolite 300 ms']);
  });

  it('holds the stricter interaction budgets of issue 13 at scale 1 and the scale-4 ones above 1', () => {
    expect(interactionLimits('heatmap-20x50', 1)).toEqual({ p50: 50, p95: 80 });
    expect(interactionLimits('heatmap-5x10', 1)).toEqual({ p50: 50, p95: 100 });
    expect(interactionLimits('bacterium-top10', 1)).toEqual({ p50: 50, p95: 100 });
    expect(interactionLimits('cooccurrence-2-any', 1)).toEqual({ p95: 100 });
    expect(interactionLimits('search-keystroke', 1)).toEqual({ p95: 50 });
    for (const id of ['heatmap-20x50', 'search-keystroke', 'metabolite-all']) {
      expect(interactionLimits(id, 4)).toEqual({ p95: 200 });
    }
    expect(interactionLimitText('heatmap-20x50', 1)).toBe('p50 <= 50, p95 <= 80 ms');
    expect(limitsFor(1)).toEqual(LIMITS);
    expect(limitsFor(4)).toMatchObject({ dataBuildMs: 300_000, peakMemoryMiB: 3072, fileBytes: 25 * 2 ** 20 });
  });

  it('checks a scale-4 run against its own build budgets', () => {
    const r = results();
    r.options.scale = 4;
    r.build.dataBuild = s(250_000);
    r.build.peakMemoryMiB = s(2500);
    const checks = checkBudgets(r);
    expect(checks.find((c) => c.budget.startsWith('data build'))).toMatchObject({ limit: '<= 300 s', pass: true });
    expect(checks.find((c) => c.budget.startsWith('peak memory'))).toMatchObject({ pass: true });
    expect(checks.find((c) => c.budget === 'every warm interaction, p95')!.pass).toBe(true);
    expect(checks.some((c) => c.budget.includes('p50'))).toBe(false);
  });

  it('applies the bytes budget to lookups, Top/Bottom N and heatmaps only', () => {
    const ids = ['metabolite-all', 'metabolite-top10', 'bacterium-top10', 'heatmap-20x50', 'bacterium-all'];
    expect(ids.map(bytesBudgeted)).toEqual([true, true, true, true, false]);
    expect(['cooccurrence-2-all', 'search-keystroke', 'bacterium-type'].some(bytesBudgeted)).toBe(false);
  });
});

describe('the old Dash app', () => {
  it('compares p50 as a ratio, and p50 and p95 as at least as fast', () => {
    expect(compareWithDash({ p50: 52, p95: 70 }, DASH_REFERENCE['heatmap-5x10']!)).toEqual({
      ratio: 1,
      p50: true,
      p95: false,
    });
    expect(compareWithDash({ p50: 90, p95: 95 }, DASH_REFERENCE['cooccurrence-2-all']!)).toEqual({
      ratio: 0.5,
      p50: true,
    });
  });
});

describe('network conditions', () => {
  it('gives CDP its throughput in bytes per second and the latency in ms', () => {
    expect(cdpConditions(FAST.emulated!)).toEqual({
      offline: false,
      latency: 40,
      downloadThroughput: 1_250_000,
      uploadThroughput: 1_250_000,
    });
    expect(cdpConditions(SLOW.emulated!).downloadThroughput).toBe(200_000);
  });
});

describe('report', () => {
  it('prints every section, with PASS/FAIL and the live / ours ratio', () => {
    const text = formatReport(results());
    for (const heading of [
      '## Build, full scale',
      '## Build time against size',
      '## Cold load',
      '## Page loads',
      '## Warm interactions (',
      '## Warm interactions at 10 Mbit/s, 40 ms',
      '## Against the old Dash app',
      '## Budgets',
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).toMatch(/\| heatmap-5x10 .*\| +10x \| FAIL \(p50 <= 50, p95 <= 100 ms\) \| FAIL +\|/);
    expect(text).toMatch(/\| metabolite-all .*\| PASS \(p95 <= 100 ms\) +\| PASS +\|/);
    expect(text).toMatch(/\| search-keystroke .*\| PASS \(p95 <= 50 ms\) +\| +\|/);
    expect(text).toMatch(/\| landscape-metabolite \| local +\| +900 ms \(.*\| cold PASS, repeat PASS \|/);
    expect(text).toMatch(
      /\| landscape-metabolite \| 10mbit +\| 3500 ms \(3500 ms–3500 ms\) \| +1\.0 MiB \| +400 ms .*\| cold FAIL +\|/,
    );
    expect(text).toMatch(/\| heatmap-5x10 +\| +2 \| +300 ms \| +435 ms \| +200\.0 KiB \| FAIL +\|/);
    expect(text).toMatch(/\| heatmap 5 x 10 +\| +100 ms \| +145 ms \| +52 ms \| +66 ms \| +1\.9x \| no +\| no +\|/);
    expect(text).toMatch(/\| metabolite lookup, All +\| +35 ms \| +40 ms \| +104 ms \| +140 ms \| +0\.34x \| yes/);
    expect(text).toContain('Quickest request with bytes on the wire: 41 ms');
    expect(text).toContain('1.00 of linear');
  });

  it('pads Markdown tables and formats figures for reading', () => {
    expect(markdownTable(['a', 'bb'], [['x', '1']], [1])).toBe('| a   |  bb |\n|-----|----:|\n| x   |   1 |');
    expect([formatMs(3.14), formatMs(42.4), formatMs(12_345)]).toEqual(['3.1 ms', '42 ms', '12.3 s']);
    expect([formatBytes(512), formatBytes(2048), formatBytes(3 * 2 ** 20)]).toEqual(['512 B', '2.0 KiB', '3.0 MiB']);
    expect([formatRatio(16.4), formatRatio(1.94), formatRatio(0.002631)]).toEqual(['16x', '1.9x', '0.0026x']);
  });
});

describe('build helpers', () => {
  it('reads step times from the build log, publish included', () => {
    const log = '▸ extract\n✓ extract (0.84 s)\n  progress\n✓ precompute (20.80 s)\n✓ publish (0.01 s)\n';
    expect(stepTimes(log)).toEqual({ extract: 840, precompute: 20_800, publish: 10 });
  });

  it('adds up the steps once: a step timed inside another is part of it', () => {
    const log = '✓ extract (1.00 s)\n✓ downloads (in precompute) (3.00 s)\n✓ precompute (10.00 s)\n✓ verify (2.00 s)\n';
    expect(totalOfSteps(stepTimes(log))).toBe(13_000);
  });

  it('sorts shipped files into kinds', () => {
    expect(shippedKind('data/in_vivo/bacteria/001.0123456789abcdef.parquet')).toBe('data: bacterium shards');
    expect(shippedKind('data/in_vivo/values.0123456789abcdef.parquet')).toBe('data: values');
    expect(shippedKind('data/manifest.json')).toBe('data: manifest and report');
    expect(shippedKind('_astro/duckdb-eh.x.wasm')).toBe('duckdb-wasm (.wasm)');
    expect(shippedKind('_astro/duckdb-eh.x.wasm.br')).toBe('precompressed copies (.br, .gz)');
    expect(shippedKind('bacteria/in_vivo/x/index.html')).toBe('pages (.html)');
  });
});
