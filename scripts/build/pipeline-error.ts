/** A failure in one step of the data build, naming the step and the table it was working on. */
export class PipelineError extends Error {
  /** The cause's error code (a PostgreSQL SQLSTATE or a Node errno), kept so retries can tell transient failures. */
  readonly code?: string;

  constructor(
    readonly step: string,
    readonly table: string,
    cause: unknown,
  ) {
    super(`${step}: ${table}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'PipelineError';
    this.code = (cause as { code?: string } | undefined)?.code;
  }
}

/** Runs `task`, naming `step` and `table` in any error it throws (once: an error already named passes through). */
export async function inStep<T>(step: string, table: string, task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    throw error instanceof PipelineError ? error : new PipelineError(step, table, error);
  }
}
