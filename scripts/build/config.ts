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

const configSchema = z.object({
  datasets: z
    .array(datasetConfigSchema)
    .min(1)
    .refine((list) => new Set(list.map((d) => d.id)).size === list.length, 'dataset ids must be unique'),
  citation: citationSchema.optional(),
});
export type Config = z.infer<typeof configSchema>;

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
