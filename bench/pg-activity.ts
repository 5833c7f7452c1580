/** Watches `pg_stat_activity` while a build runs: how many connections the build holds at once, at most. */
import pg from 'pg';

/** A running sampler; `stop` ends it and returns what it saw. */
export interface ConnectionSampler {
  stop(): Promise<{ max: number; samples: number }>;
}

/** Counts the server's connections named `applicationName` every `everyMs` milliseconds until stopped. */
export async function sampleConnections(
  adminUrl: string,
  applicationName: string,
  everyMs = 20,
): Promise<ConnectionSampler> {
  const client = new pg.Client({ connectionString: adminUrl, application_name: 'metanexus-bench-sampler' });
  await client.connect();
  let max = 0;
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
        [applicationName],
      );
      max = Math.max(max, rows[0]!.n);
      samples += 1;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await client.end();
      return { max, samples };
    },
  };
}
