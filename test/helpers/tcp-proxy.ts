import { createServer, Socket } from 'node:net';

export interface TcpProxy {
  url: string;
  /** The most connections that were open through the proxy at one time. */
  peak: () => number;
  close: () => void;
}

/**
 * A TCP proxy in front of the real server that cuts the first `failures` connections and counts the others. Counting
 * at the socket is exact, where sampling pg_stat_activity missed a build that opened and closed its connections
 * between two samples.
 */
export async function tcpProxy(target: URL, failures = 0): Promise<TcpProxy> {
  let seen = 0;
  let open = 0;
  let peak = 0;
  const server = createServer((client) => {
    if (seen++ < failures) return client.destroy();
    peak = Math.max(peak, ++open);
    client.on('close', () => open--);
    const upstream = new Socket();
    upstream.connect(Number(target.port || 5432), target.hostname, () => {
      client.pipe(upstream).pipe(client);
    });
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as { port: number }).port);
  return { url: url.toString(), peak: () => peak, close: () => server.close() };
}
