import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { bacteriumChartSvg, chartRows } from '../../src/lib/bacterium-chart.ts';
import { CONSUMED, PRODUCED } from '../../src/lib/colors.ts';
import type { ShardRow } from '../../src/lib/site-data.ts';
import { expectGolden } from './snapshot.ts';

const row = (feature: string, value: number, label = feature): ShardRow => ({ feature, label, type: 'by_name', value });

describe('chartRows', () => {
  it('merges top and bottom, each feature once, by value DESC then feature id', () => {
    const top = [row('b', 3), row('a', 1), row('c', 1)];
    const bottom = [row('d', -2), row('c', 1), row('a', 1)];
    expect(chartRows(top, bottom).map((r) => r.feature)).toEqual(['b', 'a', 'c', 'd']);
  });
});

describe('bacteriumChartSvg', () => {
  const hostile = '<script>alert(1)</script> & <b>';
  const svg = bacteriumChartSvg([row('<img src=x onerror=alert(1)>', 2.5, hostile), row('M1T2_NEG', -1.25)]);

  it('is one accessible SVG with a bar per row', () => {
    expect(svg).toMatch(/^<svg [^>]*aria-label="Bar chart of the highest and lowest values"/);
    expect(svg.match(/<rect /g)).toHaveLength(2);
    // The produced bar (2.5) first, then the consumed one (-1.25).
    const fills = [...svg.matchAll(/<rect fill="([^"]+)"/g)].map((m) => m[1]);
    expect(fills).toEqual([PRODUCED, CONSUMED]);
  });

  it('escapes labels and feature ids', () => {
    expect(svg).not.toMatch(/<(script|img|b)\b/);
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;');
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('bacterium page chart', () => {
  it('matches its golden file', async () => {
    const svg = bacteriumChartSvg([row('M1', 3.5, 'butyrate'), row('M2', 0.25, 'indole'), row('M3', -2, 'M3')]);
    await expectGolden('bacterium-page', parseHTML(svg).document.querySelector('svg')!);
  });
});
