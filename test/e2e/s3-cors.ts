// An S3 bucket CORS rule in front of Swift, for the multipart e2e tests. Swift 2.30's s3api has no bucket CORS API,
// and what it has (the container's CORS metadata) covers object GET and PUT only: a multipart part goes to the
// `<bucket>+segments` container, and CreateMultipartUpload, ListParts and CompleteMultipartUpload are answers s3api
// writes itself, without Access-Control-* headers. This proxy on 127.0.0.1 answers CORS as S3 does for one rule
// (AllowedOrigins, AllowedMethods, AllowedHeaders, ExposeHeaders: preflights answered, the headers added to every
// answer, errors included) and passes every request to Swift unchanged, its Host header included, so what was
// signed for the proxy's host verifies there.

import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One S3 CORS rule (the fields of S3's CORSRule). */
export interface CorsRule {
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly string[];
  readonly allowedHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds?: number;
}

export interface CorsProxy {
  /** The proxy's URL: the S3 endpoint the page is given. */
  readonly endpoint: string;
  /** Every request that reached Swift through the proxy (preflights not included). */
  readonly forwarded: { method: string; url: string; status: number }[];
  close(): Promise<void>;
}

/** Starts the proxy in front of `target` (Swift's endpoint), with one CORS rule. */
export async function startCorsProxy(target: string, rule: CorsRule): Promise<CorsProxy> {
  const upstream = new URL(target);
  const forwarded: CorsProxy['forwarded'] = [];
  const allows = (origin: string | undefined) => origin !== undefined && rule.allowedOrigins.includes(origin);

  function corsHeaders(origin: string | undefined): Record<string, string> {
    if (!allows(origin)) return {};
    return {
      'access-control-allow-origin': origin!,
      vary: 'Origin',
      ...(rule.exposeHeaders.length ? { 'access-control-expose-headers': rule.exposeHeaders.join(', ') } : {}),
    };
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const origin = req.headers.origin;
    if (req.method === 'OPTIONS' && origin && req.headers['access-control-request-method']) {
      // S3's preflight: 403 unless the origin, the method and every header asked for are allowed.
      const method = String(req.headers['access-control-request-method']);
      const asked = String(req.headers['access-control-request-headers'] ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean);
      const allowedHeaders = rule.allowedHeaders.map((h) => h.toLowerCase());
      if (!allows(origin) || !rule.allowedMethods.includes(method) || !asked.every((h) => allowedHeaders.includes(h))) {
        res.writeHead(403, { 'content-type': 'application/xml' }).end('<Error><Code>AccessForbidden</Code></Error>');
        return;
      }
      res
        .writeHead(200, {
          'access-control-allow-origin': origin,
          'access-control-allow-methods': rule.allowedMethods.join(', '),
          ...(asked.length ? { 'access-control-allow-headers': asked.join(', ') } : {}),
          'access-control-max-age': String(rule.maxAgeSeconds ?? 0),
          vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
        })
        .end();
      return;
    }
    const out = forward(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers, // Host included: the signature covers it
      },
      (answer) => {
        forwarded.push({ method: req.method ?? '', url: req.url ?? '', status: answer.statusCode ?? 0 });
        // Swift's own CORS headers (from container metadata) are dropped: the rule above decides.
        const headers = Object.fromEntries(
          Object.entries(answer.headers).filter(([name]) => !name.startsWith('access-control-')),
        );
        res.writeHead(answer.statusCode ?? 502, { ...headers, ...corsHeaders(origin) });
        answer.pipe(res);
      },
    );
    // Swift may answer (a refusal) before it reads the body, then drop the connection: the answer already
    // started is passed on to its end; a request that got no answer is cut.
    out.on('error', () => {
      if (!res.headersSent) res.destroy();
    });
    // A request the browser gave up on (an aborted part) is given up on upstream too, not left for Swift to wait out.
    req.on('close', () => {
      if (!req.complete) out.destroy();
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
