import { performance } from 'node:perf_hooks';

/** Progress and warnings on stderr, with the time of each step kept for the build report. */
export interface Log {
  info(message: string): void;
  /** Deduplicated: the same warning is printed and recorded once. */
  warn(message: string): void;
  step<T>(name: string, run: () => Promise<T>): Promise<T>;
  readonly timings: Record<string, number>;
  readonly warnings: string[];
}

/** A log writing to `write` (stderr by default); `redact` scrubs every line before it is written. */
export function createLog(
  options: { write?: (line: string) => void; redact?: (text: string) => string } = {},
): Log {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const redact = options.redact ?? ((text: string) => text);
  const timings: Record<string, number> = {};
  const warnings: string[] = [];
  const seen = new Set<string>();
  return {
    timings,
    warnings,
    info: (message) => write(redact(message)),
    warn(message) {
      const text = redact(message);
      if (seen.has(text)) return;
      seen.add(text);
      warnings.push(text);
      write(`warning: ${text}`);
    },
    async step(name, run) {
      const start = performance.now();
      write(`▸ ${name}`);
      const result = await run();
      const ms = Math.round(performance.now() - start);
      timings[name] = (timings[name] ?? 0) + ms;
      write(`✓ ${name} (${(ms / 1000).toFixed(2)} s)`);
      return result;
    },
  };
}

/** A log that prints nothing, for tests. */
export function silentLog(): Log {
  return createLog({ write: () => {} });
}
