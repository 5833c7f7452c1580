/**
 * Network conditions for the browser figures, applied with Chromium's own emulation (CDP
 * `Network.emulateNetworkConditions` on the page's target). Checked on Chromium 156: the page target's conditions
 * also throttle its dedicated workers' requests (duckdb-wasm's synchronous XHR), and a worker target refuses the
 * command ("Not supported"), so the page's session is the one place to set them.
 */
import type { BrowserContext, Page } from 'playwright-core';

/** A connection the bench loads pages on; `local` is the loopback with no emulation. */
export interface NetworkCondition {
  id: string;
  label: string;
  /** Download and upload, in Mbit/s, and the added round-trip latency; absent for `local`. */
  emulated?: { mbitPerSecond: number; latencyMs: number };
}

export const LOCAL: NetworkCondition = { id: 'local', label: 'local (no emulation)' };
export const FAST: NetworkCondition = {
  id: '10mbit',
  label: '10 Mbit/s, 40 ms',
  emulated: { mbitPerSecond: 10, latencyMs: 40 },
};
export const SLOW: NetworkCondition = {
  id: '1.6mbit',
  label: '1.6 Mbit/s, 150 ms',
  emulated: { mbitPerSecond: 1.6, latencyMs: 150 },
};

/** The conditions page loads are timed on, in report order. */
export const PAGE_LOAD_NETWORKS = [LOCAL, FAST, SLOW] as const;

/** CDP's parameters for a condition: throughput in bytes per second, both ways. */
export function cdpConditions({ mbitPerSecond, latencyMs }: NonNullable<NetworkCondition['emulated']>) {
  const bytesPerSecond = (mbitPerSecond * 1e6) / 8;
  return { offline: false, latency: latencyMs, downloadThroughput: bytesPerSecond, uploadThroughput: bytesPerSecond };
}

/** Applies `condition` to `page` (and so to its workers) until the page closes; `local` changes nothing. */
export async function emulate(context: BrowserContext, page: Page, condition: NetworkCondition): Promise<void> {
  if (!condition.emulated) return;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', cdpConditions(condition.emulated));
}
