import { z } from 'zod';

// Kept in their own module so browser code can use them without bundling zod.
export { FEATURE_TYPES, type FeatureType } from './feature-types.ts';

/** One published file: its path relative to the data folder and what the build checked about it. */
export const fileEntrySchema = z.object({
  path: z.string().regex(/^[A-Za-z0-9_./-]+$/, 'file paths are plain relative names'),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** A Parquet file's footer in bytes (metadata, its length and the magic): a reader's first fetch, exactly. */
  footer: z.number().int().min(12).optional(),
});
export type FileEntry = z.infer<typeof fileEntrySchema>;

const countsSchema = z.object({
  features: z.number().int().nonnegative(),
  bacteria: z.number().int().nonnegative(),
  values: z.number().int().nonnegative(),
  byType: z.object({
    by_name: z.number().int().nonnegative(),
    by_positive: z.number().int().nonnegative(),
    by_negative: z.number().int().nonnegative(),
  }),
});
export type DatasetCounts = z.infer<typeof countsSchema>;

/** One bacterium of a dataset, with the file holding its values sorted by value. */
export const bacteriumSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  values: z.number().int().nonnegative(),
  file: fileEntrySchema,
});
export type Bacterium = z.infer<typeof bacteriumSchema>;

/** One part of a dataset's long table of values, with the first feature it holds (parts are in feature order). */
export const valuePartSchema = fileEntrySchema.extend({ firstFeature: z.string() });
export type ValuePart = z.infer<typeof valuePartSchema>;

/**
 * One part of a dataset's top producers, with the first bacterium it holds (parts are in bacterium order, no bacterium
 * spans two).
 */
export const topProducerPartSchema = fileEntrySchema.extend({ firstBacterium: z.string() });
export type TopProducerPart = z.infer<typeof topProducerPartSchema>;

/** One file of a dataset's full long table for download: CSV (gzip) or Parquet, parts cut at feature boundaries. */
export const downloadFileSchema = fileEntrySchema.extend({ format: z.enum(['csv', 'parquet']) });
export type DownloadFile = z.infer<typeof downloadFileSchema>;

/** A dataset's downloads, named with the data version, and their JSON sidecar (source, build date, data version). */
export const downloadsSchema = z.object({ about: fileEntrySchema, parts: z.array(downloadFileSchema).min(2) });
export type Downloads = z.infer<typeof downloadsSchema>;

export const datasetSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  title: z.string(),
  /** What the dataset is and what its values are measured against, from the configuration; absent when not set. */
  description: z.string().optional(),
  counts: countsSchema,
  files: z.object({
    features: fileEntrySchema,
    bacteria: fileEntrySchema,
    /**
     * The long table of values in parts, in feature order (no feature spans two parts), each with its first
     * feature.
     */
    values: z.array(valuePartSchema).min(1),
    /** Each feature's top producers in parts, in bacterium order, each with its first bacterium. */
    topProducers: z.array(topProducerPartSchema).min(1),
    summary: fileEntrySchema,
    /** Every bin of features × every bacterium, summarised (see scripts/build/overview.ts). */
    overview: fileEntrySchema,
  }),
  bacteria: z.array(bacteriumSchema),
  /** Absent from data built before downloads were published. */
  downloads: downloadsSchema.optional(),
});
export type Dataset = z.infer<typeof datasetSchema>;

/** A bare DOI (10.1234/abc): the About page links it at doi.org. */
export const DOI_PATTERN = /^10\.\d{4,9}\/\S+$/;

/** How to cite the data, from the configuration: each part is optional and shown only when set. */
export const citationSchema = z.object({
  text: z.string().optional(),
  doi: z.string().regex(DOI_PATTERN).optional(),
  contact: z.string().optional(),
});
export type Citation = z.infer<typeof citationSchema>;

/**
 * The In vitro vs in vivo comparison: its two datasets (x, then y), the bacteria matched across them by id (or by
 * the configuration's map), the ones of each dataset left unmatched, how many annotated metabolites matched by name,
 * the normalised names left out because several features of one dataset share them, and the file of matched values.
 */
export const comparisonSchema = z.object({
  datasets: z.tuple([z.string(), z.string()]),
  bacteria: z.array(z.object({ x: z.string(), y: z.string() })),
  unmatched: z.record(z.array(z.string())),
  matched: z.number().int().nonnegative(),
  ambiguous: z.record(z.array(z.string())),
  file: fileEntrySchema,
});
export type Comparison = z.infer<typeof comparisonSchema>;

export const manifestSchema = z.object({
  schemaVersion: z.literal(1),
  builtAt: z.string().datetime(),
  dataVersion: z.string().regex(/^[0-9a-f]{12}$/),
  source: z.enum(['demo', 'database']),
  /**
   * What the data was built from (source rows, configuration, build code); absent from data built before it was
   * recorded.
   */
  fingerprint: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  topProducerRanks: z.number().int().positive(),
  /** Absent when the configuration sets no citation, and from data built before it was recorded. */
  citation: citationSchema.optional(),
  datasets: z.array(datasetSchema).min(1),
  /** Absent when the configuration has a single dataset, and from data built before the comparison. */
  comparison: comparisonSchema.optional(),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** Parses untrusted manifest JSON, with a message that names the first field that is wrong. */
export function parseManifest(json: unknown): Manifest {
  const result = manifestSchema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new Error(`invalid manifest: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unknown error'}`);
}

/** Every file a manifest (or its datasets, before the manifest is complete) lists, shards included. */
export function manifestFiles(manifest: {
  datasets: Pick<Dataset, 'files' | 'bacteria' | 'downloads'>[];
  comparison?: Pick<Comparison, 'file'>;
}): FileEntry[] {
  return [
    ...manifest.datasets.flatMap((d) => [
      ...Object.values(d.files).flat(),
      ...d.bacteria.map((b) => b.file),
      ...(d.downloads ? [d.downloads.about, ...d.downloads.parts] : []),
    ]),
    ...(manifest.comparison ? [manifest.comparison.file] : []),
  ];
}
