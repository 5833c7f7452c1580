import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DOI_PATTERN } from '../../src/lib/manifest.ts';

const datasetConfigSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'dataset ids are lower-case identifiers'),
  title: z.string().min(1),
  table: z.string().min(1),
  schema: z.string().min(1).default('public'),
  /** What the dataset is and what its values are measured against, in words for the About page. */
  description: z.string().trim().min(1).optional(),
});
export type DatasetConfig = z.infer<typeof datasetConfigSchema>;

/** How to cite the data: each part is shown on the About page only when set. */
const citationSchema = z
  .object({
    text: z.string().trim().min(1).optional(),
    doi: z.string().regex(DOI_PATTERN, 'a DOI is written bare, as 10.1234/abc, without https://doi.org/').optional(),
    contact: z.string().trim().min(1).optional(),
  })
  .strict();

/**
 * The In vitro vs in vivo comparison: which two datasets (x, then y) and, where a bacterium's id differs between
 * them, its id in the first mapped to its id in the second; bacteria with the same id in both match without one.
 */
const comparisonSchema = z
  .object({
    datasets: z.tuple([z.string(), z.string()]).refine(([x, y]) => x !== y, 'two different datasets'),
    bacteria: z.record(z.string().min(1), z.string().min(1)).default({}),
  })
  .strict();
export type ComparisonConfig = z.infer<typeof comparisonSchema>;

const configSchema = z
  .object({
    datasets: z
      .array(datasetConfigSchema)
      .min(1)
      .refine((list) => new Set(list.map((d) => d.id)).size === list.length, 'dataset ids must be unique'),
    citation: citationSchema.optional(),
    comparison: comparisonSchema.optional(),
  })
  .superRefine(({ datasets, comparison }, ctx) => {
    if (!comparison) return;
    const ids = datasets.map((d) => d.id);
    comparison.datasets.forEach((id, i) => {
      if (!ids.includes(id)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['comparison', 'datasets', i],
          message: `unknown dataset ${JSON.stringify(id)}; the datasets are ${ids.join(', ')}`,
        });
      }
    });
    const seen = new Map<string, string>();
    for (const [x, y] of Object.entries(comparison.bacteria)) {
      const other = seen.get(y);
      if (other !== undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['comparison', 'bacteria', x],
          message: `${JSON.stringify(other)} and ${JSON.stringify(x)} both map to ${JSON.stringify(y)}: one each`,
        });
      }
      seen.set(y, x);
    }
  });
export type Config = z.infer<typeof configSchema>;

/**
 * The comparison a configuration asks for: its own section, else the first two datasets matched by id; none with
 * one dataset.
 */
export function comparisonOf(config: Config): ComparisonConfig | undefined {
  if (config.comparison) return config.comparison;
  const [x, y] = config.datasets;
  return x && y ? { datasets: [x.id, y.id], bacteria: {} } : undefined;
}

/** Validates a parsed configuration; `path` names it in the message of the first field that is wrong. */
export function parseConfig(json: unknown, path = 'metanexus.config.json'): Config {
  const result = configSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${path}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return result.data;
}

/** Reads and validates the configuration: which tables become which datasets, and how to cite the data. */
export async function loadConfig(path = 'metanexus.config.json'): Promise<Config> {
  return parseConfig(JSON.parse(await readFile(path, 'utf8')), path);
}
