import { performance } from 'node:perf_hooks';
import cliProgress from 'cli-progress';

/** A progress bar for a counted loop. */
export interface Progress {
  tick(): void;
  done(): void;
}

/** Progress and warnings on stderr, with the time of each step kept for the build report. */
export interface Log {
  info(message: string): void;
  /** Deduplicated: the same warning is printed and recorded once. */
  warn(message: string): void;
  step<T>(name: string, run: () => Promise<T>): Promise<T>;
  /** A bar on an interactive terminal; nothing in CI logs, where the step lines say enough. */
  progress(label: string, total: number): Progress;
  readonly timings: Record<string, number>;
  readonly warnings: string[];
}

const NO_PROGRESS: Progress = { tick() {}, done() {} };

/**
 * A log writing to `write` (stderr by default); `redact` scrubs every line before it is written. Progress bars are
 * drawn only when writing to stderr and stderr is a terminal.
 */
export function createLog(options: { write?: (line: string) => void; redact?: (text: string) => string } = {}): Log {
  const bars = !options.write && process.stderr.isTTY;
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
    progress(label, total) {
      if (!bars) return NO_PROGRESS;
      const bar = new cliProgress.SingleBar(
        { format: `  ${label} [{bar}] {value}/{total}`, stream: process.stderr, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
      return { tick: () => bar.increment(), done: () => bar.stop() };
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
