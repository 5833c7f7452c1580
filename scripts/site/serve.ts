/**
 * A static file server for the built site (`dist/`): the headers of scripts/site/host-headers.ts (as `_headers` gives
 * them to hosts), precompressed siblings, range requests, the 404 page, and the site under a base path as GitHub Pages
 * serves a project site (`/<repository>/`).
 */
import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import sirv, { type Options } from 'sirv';
import { headerMatcher, REVALIDATE, siteHeaderRules } from './host-headers.ts';

/**
 * Rewrites the Range header into the one form sirv reads right, `bytes=<start>-<end>`, or drops it so that the
 * whole file is sent with 200, as RFC 9110 allows: sirv reads an end of 0 as "to the end of the file" and a suffix
 * range `bytes=-N` as the first N+1 bytes, and it does not support multiple ranges.
 */
function normalizeRange(req: IncomingMessage, size: number): void {
  const range = req.headers.range;
  if (range === undefined) return;
  const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  const first = match?.[1] ? Number(match[1]) : undefined;
  const last = match?.[2] ? Number(match[2]) : undefined;
  let start: number | undefined;
  let end = size - 1;
  if (first !== undefined) {
    start = first;
    if (last !== undefined) end = Math.min(last, end);
  } else if (last !== undefined && last > 0) {
    start = Math.max(0, size - last);
  }
  if (start === undefined || (start < size && (end < start || end === 0))) delete req.headers.range;
  // A start past the end is left for sirv to answer 416.
  else req.headers.range = start >= size ? `bytes=${start}-` : `bytes=${start}-${end}`;
}

/**
 * A strong validator for the file sent (each compressed sibling has its own size, so its own tag), as static hosts
 * send for files they serve as stored. Chromium keeps the pieces of a file fetched by range only under a strong
 * validator; with sirv's weak ETag it falls back to Last-Modified, strong only 60 s after it, so a site just built
 * had every range fetched again on a repeat visit.
 */
function strongEtag(stats: Stats): string {
  return `"${stats.size}-${stats.mtime.getTime()}"`;
}

function methodNotAllowed(res: ServerResponse): void {
  res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('Method not allowed\n');
}

/** `base` as a path with one slash at each end: `metanexus`, `/metanexus` and `/metanexus/` all give `/metanexus/`. */
export function normalizeBase(base: string): string {
  return `/${base}/`.replace(/\/{2,}/g, '/');
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(301, { Location: location, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`Moved to ${location}\n`);
}

/**
 * sirv takes any file named `*.gz` or `*.br` for a compressed sibling and sends it with a Content-Encoding, even when
 * it is asked for by that name (a download such as `data/<id>/downloads/*.csv.gz`), so a client would decode it:
 * such a file goes out as the bytes it holds, as static hosts send it.
 */
function sendAsStored(res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (code: number, headers?: OutgoingHttpHeaders) => ServerResponse;
  res.writeHead = ((code: number, headers?: OutgoingHttpHeaders) => {
    if (headers) delete headers['Content-Encoding'];
    return writeHead(code, headers);
  }) as ServerResponse['writeHead'];
}

/**
 * Serves `dir` at `base` on `host:port` (port 0 picks a free one) until `close()`; the file list is read at start.
 * `url` is where the site is, base included.
 */
export async function serve({ dir = 'dist', port = 0, host = '127.0.0.1', base = '/' } = {}): Promise<{
  url: string;
  close(): Promise<void>;
}> {
  const prefix = normalizeBase(base);
  const root = resolve(dir);
  if (!(await stat(root).catch(() => null))?.isDirectory()) {
    throw new Error(`${dir} is missing: run \`npm run build\` first`);
  }
  const notFound = await readFile(join(root, '404.html')).then(
    (body) => ({ body, type: 'text/html; charset=utf-8' }),
    () => ({ body: Buffer.from('Not found\n'), type: 'text/plain; charset=utf-8' }),
  );

  const headersFor = headerMatcher(await siteHeaderRules(root, prefix));
  const options: Options = {
    etag: true,
    setHeaders(res, _pathname, stats) {
      normalizeRange(res.req, stats.size);
      res.setHeader('Accept-Ranges', 'bytes');
      res.setHeader('ETag', strongEtag(stats));
    },
  };
  const identity = sirv(root, options);
  // A range addresses the bytes of the file itself, never of a compressed sibling.
  const precompressed = sirv(root, { ...options, brotli: true, gzip: true });

  const sendNotFound = (res: ServerResponse) => {
    res.writeHead(404, {
      'Content-Type': notFound.type,
      'Content-Length': notFound.body.length,
      'Cache-Control': 'no-cache',
    });
    res.end(notFound.body);
  };

  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res);
    // Parsed as a path even when it starts with `//`; its `..` segments are resolved, so nothing climbs out of the
    // base.
    const { pathname, search } = new URL(`http://localhost${req.url ?? '/'}`);
    if (`${pathname}/` === prefix) return redirect(res, prefix + search);
    if (!pathname.startsWith(prefix)) return sendNotFound(res);
    req.url = pathname.slice(prefix.length - 1) + search;
    // Set before sirv runs, so that its 304 answers carry them too; sirv keeps a Content-Type set here.
    const headers = { 'Cache-Control': REVALIDATE, ...headersFor(pathname) };
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.setHeader('Vary', 'Accept-Encoding');
    // sirv answers 304 when the tag it was sent is its own weak form of ours.
    const tag = req.headers['if-none-match'];
    if (tag?.startsWith('"')) req.headers['if-none-match'] = `W/${tag}`;
    if (/\.(gz|br)$/.test(pathname)) sendAsStored(res);
    (req.headers.range === undefined ? precompressed : identity)(req, res, () => sendNotFound(res));
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolveListen());
  });
  const address = server.address() as AddressInfo;
  const hostname = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostname}:${address.port}${prefix}`,
    close: () =>
      new Promise<void>((resolveClose, reject) => {
        server.close((error) => (error ? reject(error) : resolveClose()));
        server.closeAllConnections();
      }),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string', default: 'dist' },
      port: { type: 'string', default: '4321' },
      host: { type: 'string', default: '127.0.0.1' },
      // The path the site was built for (METANEXUS_BASE_PATH), e.g. /metanexus/ as on GitHub Pages.
      base: { type: 'string', default: '/' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: expected 0-65535, got ${values.port}`);
  const { url } = await serve({ dir: values.dir, port, host: values.host, base: values.base });
  console.log(url);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
