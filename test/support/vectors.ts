// Finds and reads AWS's published SigV4 test vectors (../shared/aws-sigv4-vectors by default, or the folder in
// SIGV4_VECTORS). They are read as bytes, decoded as UTF-8, never copied into this project.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The vector folder, and whether it is there. */
export const VECTORS_DIR = resolve(root, process.env['SIGV4_VECTORS'] ?? '../shared/aws-sigv4-vectors');
export const VECTORS_PRESENT = existsSync(join(VECTORS_DIR, 'aws-signing-test-suite', 'v4'));
/** Set by .ci/run: a missing vector folder is then a failure, not a skip. */
export const VECTORS_REQUIRED = process.env['SIGV4_REQUIRE_VECTORS'] === '1';

export const read = (...path: string[]): string => readFileSync(join(VECTORS_DIR, ...path), 'utf8');
export const exists = (...path: string[]): boolean => existsSync(join(VECTORS_DIR, ...path));

export const listDirs = (...path: string[]): string[] =>
  VECTORS_PRESENT
    ? readdirSync(join(VECTORS_DIR, ...path))
        .filter((name) => statSync(join(VECTORS_DIR, ...path, name)).isDirectory())
        .sort()
    : [];

/** An HTTP/1.1 request as the suites write it. */
export interface RawRequest {
  method: string;
  target: string;
  /** Header names as written, with their values in order. */
  headers: [string, string][];
  body: string | undefined;
}

/**
 * Parses a suite's request file. The request line is `METHOD target HTTP/1.1`, where the target may hold a
 * literal space. Folded continuation lines are joined to the previous value with a space (aws-c-auth's rule),
 * or, with `foldAsValues`, kept as further values of the same header (the 2015 suite's rule).
 */
export function parseRequest(text: string, foldAsValues = false): RawRequest {
  const normalized = text.replace(/\r/g, '');
  const blank = normalized.indexOf('\n\n');
  const head = blank < 0 ? normalized.replace(/\n$/, '') : normalized.slice(0, blank);
  const body = blank < 0 ? undefined : normalized.slice(blank + 2);
  const [requestLine, ...lines] = head.split('\n');
  const first = requestLine!.indexOf(' ');
  const last = requestLine!.lastIndexOf(' ');
  const headers: [string, string][] = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line)) {
      const previous = headers[headers.length - 1]!;
      if (foldAsValues) headers.push([previous[0], line.trim()]);
      else previous[1] += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    headers.push([line.slice(0, colon), line.slice(colon + 1)]);
  }
  return {
    method: requestLine!.slice(0, first),
    target: requestLine!.slice(first + 1, last),
    headers,
    body: body === undefined || body === '' ? undefined : body,
  };
}

// RFC 3986 form of URL text, written independently of src/ so tests do not check the encoder with itself.
const canonical = (text: string): string =>
  encodeURIComponent(decodeURIComponent(text)).replace(
    /[!'()*]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  );

/**
 * The query parameters of a request target or URL, as `name=value` strings in RFC 3986 form (raw bytes such as
 * the suites' literal UTF-8 are encoded), names lower-cased, sorted.
 */
export function queryParams(target: string): string[] {
  const q = target.indexOf('?');
  if (q < 0) return [];
  return target
    .slice(q + 1)
    .split('&')
    .filter(Boolean)
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0
        ? `${canonical(p).toLowerCase()}=`
        : `${canonical(p.slice(0, eq)).toLowerCase()}=${canonical(p.slice(eq + 1))}`;
    })
    .sort();
}

/** Says loudly that vector tests could not run, and fails when CI requires them. */
export function reportMissing(what: string, count: string): string {
  return (
    `\n!!! ${count} ${what} tests NOT RUN: AWS's test vectors were not found at ${VECTORS_DIR}.\n` +
    `!!! Put the aws-sigv4-vectors folder there (or set SIGV4_VECTORS to its path) to run them.\n`
  );
}

/** An aws-c-auth case's context.json (see the vector folder's README for each field). */
export interface AwsCAuthContext {
  credentials: { access_key_id: string; secret_access_key: string; token?: string };
  expiration_in_seconds: number;
  normalize: boolean;
  region: string;
  service: string;
  sign_body: boolean;
  timestamp: string;
  omit_session_token?: boolean;
}

// get-space and get-utf8 put raw bytes (a space, UTF-8) on the request line and encode the path once: in those
// suites the request line *is* the wire path, and these bytes are on it unencoded. This library reads a URL's
// raw characters as text to encode, so its wire path is already the once-encoded form (`/example%20space/`),
// and a service that double-encodes would sign `%2520`, as smithy and aws4 do for that wire path (the
// differential tests prove it). The suites' canonical path is our wire path encoded once, so for a target with
// raw bytes the harness signs with `uriEscapePath: false`; for every other target the service default (double
// encoding) is used, and it gives the same canonical path since none of them holds a `%`.
export const rawBytesOnRequestLine = (target: string): boolean => /[^\x21-\x7e]/.test(target.split('?')[0]!);

/** The signing options an aws-c-auth case and its unsigned request give, shared by both variants. */
export function awsCAuthOptions(context: AwsCAuthContext, request: RawRequest) {
  const host = request.headers.find(([n]) => n.toLowerCase() === 'host')![1];
  return {
    url: `https://${host}${request.target}`,
    method: request.method,
    service: context.service,
    region: context.region,
    credentials: {
      accessKeyId: context.credentials.access_key_id,
      secretAccessKey: context.credentials.secret_access_key,
      ...(context.credentials.token ? { sessionToken: context.credentials.token } : {}),
    },
    signingDate: context.timestamp,
    headers: request.headers,
    normalizePath: context.normalize,
    ...(rawBytesOnRequestLine(request.target) ? { uriEscapePath: false } : {}),
    signSessionToken: !context.omit_session_token,
  };
}
