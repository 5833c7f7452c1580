import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const datasetConfigSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'dataset ids are lower-case identifiers'),
  title: z.string().min(1),
  table: z.string().min(1),
  schema: z.string().min(1).default('public'),
});
export type DatasetConfig = z.infer<typeof datasetConfigSchema>;

const configSchema = z.object({
  datasets: z
    .array(datasetConfigSchema)
    .min(1)
    .refine((list) => new Set(list.map((d) => d.id)).size === list.length, 'dataset ids must be unique'),
});
export type Config = z.infer<typeof configSchema>;

/** Reads and validates the datasets configuration (which tables become which datasets). */
export async function loadConfig(path = 'metanexus.config.json'): Promise<Config> {
  const text = await readFile(path, 'utf8');
  const result = configSchema.safeParse(JSON.parse(text));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${path}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return result.data;
}
