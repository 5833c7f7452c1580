import { describe, expect, it } from 'vitest';
import { checkBudgets } from '../../bench/budgets.ts';
import { shippedKind, stepTimes } from '../../bench/build.ts';
import { formatBytes, formatMs, formatRatio, formatReport, markdownTable } from '../../bench/report.ts';
import type { BenchResults } from '../../bench/results.ts';
import { summarize } from '../../bench/stats.ts';

const s = (...values: number[]) => summarize(values);

/** A small but complete result set: one slow interaction, one file over the budget. */
function results(): BenchResults {
  const interaction = (id: string, ms: number[]) => ({
    id,
    label: id,
    ours: s(...ms),
    oursFrame: s(...ms),
    bytes: s(0),
    meanRows: 10,
    states: { ready: ms.length },
    live: s(...ms.map((x) => x * 10)),
  });
  return {
    date: '2026-11-28T00:00:00.000Z',
    machine: { os: 'Linux', cpu: 'cpu', cores: 2, memoryGiB: 24, load: { start: [1, 1, 1], end: [2, 2, 2] } },
    versions: { node: '20' },
    options: { runs: 1, reps: 2, baselineReps: 2, coldLoads: 1, warmups: 1, poolSize: 4, source: 'test' },
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
    interactions: [interaction('heatmap-5x10', [50, 150]), interaction('search-keystroke', [10, 20])],
  };
}

describe('budgets', () => {
  it('fails the slow interaction and the large file, passes the rest', () => {
    const checks = checkBudgets(results());
    expect(checks.filter((c) => !c.pass).map((c) => c.budget)).toEqual([
      'every warm interaction, p95',
      'largest shipped file',
    ]);
    expect(checks[0]!.value).toBe('worst heatmap-5x10 145 ms; over: heatmap-5x10');
  });
});

describe('report', () => {
  it('prints every section, with PASS/FAIL and the live / ours ratio', () => {
    const text = formatReport(results());
    for (const heading of [
      '## Build, full scale',
      '## Build time against size',
      '## Cold load',
      '## Warm interactions',
      '## Budgets',
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).toMatch(/\| heatmap-5x10 .*\| +10x \| FAIL \(<= 100 ms\) \|/);
    expect(text).toMatch(/\| search-keystroke .*\| PASS \(<= 50 ms\) +\|/);
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

  it('sorts shipped files into kinds', () => {
    expect(shippedKind('data/in_vivo/bacteria/001.0123456789abcdef.parquet')).toBe('data: bacterium shards');
    expect(shippedKind('data/in_vivo/values.0123456789abcdef.parquet')).toBe('data: values');
    expect(shippedKind('data/manifest.json')).toBe('data: manifest and report');
    expect(shippedKind('_astro/duckdb-eh.x.wasm')).toBe('duckdb-wasm (.wasm)');
    expect(shippedKind('_astro/duckdb-eh.x.wasm.br')).toBe('precompressed copies (.br, .gz)');
    expect(shippedKind('bacteria/in_vivo/x/index.html')).toBe('pages (.html)');
  });
});
