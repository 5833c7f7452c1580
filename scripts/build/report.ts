import { formatCount } from '../../src/lib/format.ts';
import { manifestFiles, type Manifest } from '../../src/lib/manifest.ts';
import type { BuildChanges, FeatureChanges } from './build-diff.ts';
import type { DatasetOutput } from './precompute.ts';
import type { DatasetVerification } from './verify.ts';

/** The build report: `build-report.json` beside the manifest, and its summary `build-report.md`. */
export interface BuildReport {
  builtAt: string;
  dataVersion: string;
  /** The source fingerprint a later build compares with, to skip when nothing changed. */
  fingerprint: string;
  source: Manifest['source'];
  poolSize: number;
  datasets: {
    id: string;
    table: string;
    sourceRows: number;
    skippedRows: number;
    bacteriaColumns: number;
    counts: DatasetOutput['counts'];
  }[];
  files: { count: number; bytes: number; byKind: Record<string, { count: number; bytes: number }> };
  timings: Record<string, number>;
  /** Peak resident memory of the build process so far, in MiB. */
  peakMemoryMiB: number;
  warnings: string[];
  /** The check of the staged files against aggregates PostgreSQL computed in the build's snapshot, per dataset. */
  verification: DatasetVerification[];
  /** Features and bacteria added or removed since the previously published build; null when there was none. */
  changes: BuildChanges | null;
}

function fileKind(path: string): string {
  if (path.includes('/downloads/')) return 'downloads';
  return path.includes('/bacteria/') ? 'bacterium shards' : path.split('/').pop()!.split('.')[0]!;
}

/** Count and bytes of the manifest's files, in all and per kind (features, values, bacterium shards, …). */
export function summarizeFiles(manifest: Manifest): BuildReport['files'] {
  const files = manifestFiles(manifest);
  const byKind: BuildReport['files']['byKind'] = {};
  for (const f of files) {
    const kind = (byKind[fileKind(f.path)] ??= { count: 0, bytes: 0 });
    kind.count += 1;
    kind.bytes += f.bytes;
  }
  return { count: files.length, bytes: files.reduce((sum, f) => sum + f.bytes, 0), byKind };
}

/**
 * Backslash-escapes the characters that start inline Markdown (and table cells), so names from the data render as
 * text.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_[\]<>|~!&#]/g, '\\$&');
}

const SHOWN_WARNINGS = 20;
const SHOWN_NAMES = 5;

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
const code = (text: string) => `\`${text}\``;
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;

function names(list: string[], total = list.length): string {
  if (total === 0) return 'none';
  const shown = list.slice(0, SHOWN_NAMES).map(escapeMarkdown).join(', ');
  return `${formatCount(total)}: ${shown}${total > SHOWN_NAMES ? ', …' : ''}`;
}

const features = (c: FeatureChanges) => names(c.sample, c.count);

function changesSection(changes: BuildChanges | null): string[] {
  if (!changes) return ['**Changes**: none to report, this is the first build published here.'];
  const since = `since the build of ${when(changes.since.builtAt)} (data version ${code(changes.since.dataVersion)})`;
  const changed = changes.datasets.filter(
    (d) => d.features.added.count + d.features.removed.count + d.bacteria.added.length + d.bacteria.removed.length > 0,
  );
  if (changed.length === 0) return [`**Changes** ${since}: no feature or bacterium added or removed.`];
  return [
    `**Changes** ${since}:`,
    '',
    '| dataset | features added | features removed | bacteria added | bacteria removed |',
    '|---|---|---|---|---|',
    ...changed.map((d) =>
      row([
        d.id,
        features(d.features.added),
        features(d.features.removed),
        names(d.bacteria.added),
        names(d.bacteria.removed),
      ]),
    ),
  ];
}

function verificationLine(checked: DatasetVerification[]): string {
  const each = checked.map(
    (v) =>
      `${v.id}: ${formatCount(v.cells)} values of ${formatCount(v.bacteria)} bacteria and ` +
      `${formatCount(v.topProducerRows)} top-producer rows`,
  );
  const worst = Math.max(0, ...checked.map((v) => v.largestDifference));
  return (
    `**Verified against the source** (count, sum, sum of squares and ordinal-weighted sum per bacterium, in the ` +
    `build's snapshot): ${each.join('; ')}. ` +
    `Largest difference: ${(worst * 100).toFixed(1)} % of its rounding tolerance.`
  );
}

/** The report as a short Markdown summary: the maintainer's morning check, and the CI job summary. */
export function renderReportMarkdown(report: BuildReport): string {
  const mb = (report.files.bytes / 1e6).toFixed(1);
  const steps = Object.entries(report.timings).map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)} s`);
  const lines = [
    '## MetaNexus data build',
    '',
    `Built ${when(report.builtAt)} from ${report.source === 'demo' ? 'the synthetic demo data' : 'the database'}: ` +
      `data version ${code(report.dataVersion)}, ${formatCount(report.files.count)} files, ${mb} MB.`,
    '',
    '| dataset | table | source rows | features | annotated | positive ions | negative ions | bacteria | values |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|',
    ...report.datasets.map(({ id, table, sourceRows, counts: c }) =>
      row([
        id,
        escapeMarkdown(table),
        ...[
          sourceRows,
          c.features,
          c.byType.by_name,
          c.byType.by_positive,
          c.byType.by_negative,
          c.bacteria,
          c.values,
        ].map(formatCount),
      ]),
    ),
    '',
    verificationLine(report.verification),
    '',
    ...changesSection(report.changes),
    '',
    `**Steps**: ${steps.join(' · ')}; peak memory ${report.peakMemoryMiB} MiB.`,
  ];
  if (report.warnings.length > 0) {
    const more = report.warnings.length - SHOWN_WARNINGS;
    lines.push('', `**Warnings** (${report.warnings.length}):`, '');
    lines.push(...report.warnings.slice(0, SHOWN_WARNINGS).map((w) => `- ${escapeMarkdown(w)}`));
    if (more > 0) lines.push(`- … and ${more} more in build-report.json`);
  }
  return `${lines.join('\n')}\n`;
}
