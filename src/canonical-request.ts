// Task 1 of the SigV4 signing process: the canonical request (method, URI, query, headers, signed headers,
// payload hash), built from text that has already been validated.

import { normalizeEscapes } from './encoding.js';

/**
 * The path as it goes on the wire: each `/`-separated segment in its canonical encoded form
 * ({@link normalizeEscapes}). With `normalize` (every service but S3), `.` and `..` segments are resolved and
 * empty segments dropped, as RFC 3986 section 5.2.4 and AWS's signing rules describe; S3 keeps them, since
 * `a//b`, `.` and `..` can be part of an object key.
 */
// The common path, unreserved characters and "/" only, is already canonical, unless normalization has an empty,
// "." or ".." segment to remove. (Both patterns are linear: no nested quantifiers.)
const CANONICAL_PATH = /^\/[\w.~\/-]*$/;
const DOT_OR_EMPTY_SEGMENT = /\/\.{0,2}(?=\/|$)/;

export function encodePath(rawPath: string, normalize: boolean): string {
  if (CANONICAL_PATH.test(rawPath) && !(normalize && DOT_OR_EMPTY_SEGMENT.test(rawPath))) return rawPath;
  const segments = rawPath.split('/').map((segment) => normalizeEscapes(segment, 'url'));
  if (!normalize) return segments.join('/') || '/';
  const kept: string[] = [];
  for (const segment of segments) {
    if (segment === '..') kept.pop();
    else if (segment !== '' && segment !== '.') kept.push(segment);
  }
  return '/' + kept.join('/') + (kept.length > 0 && rawPath.endsWith('/') ? '/' : '');
}

const PERCENT = /%/g;

/**
 * CanonicalURI from the encoded path: as it is for S3, encoded a second time for the other services
 * (`uriEscapePath`). The encoded path holds only unreserved characters, `/` and `%XX`, so encoding it again
 * only turns each `%` into `%25`.
 */
export const createCanonicalUri = (encodedPath: string, uriEscapePath: boolean): string =>
  uriEscapePath ? encodedPath.replace(PERCENT, '%25') : encodedPath;

const PLUS = /\+/g;

/**
 * The `[key, value]` pairs of a URL's query text, each in canonical encoded form. `+` is read as a space, as
 * `URLSearchParams` and S3 read it (write a plus sign as `%2B`); a key without `=` has an empty value, and empty
 * pieces (`a=1&&b=2`) are skipped.
 */
export function parseQuery(rawQuery: string): [string, string][] {
  const pairs: [string, string][] = [];
  if (rawQuery === '') return pairs;
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const [key, value] = (eq < 0 ? [piece, ''] : [piece.slice(0, eq), piece.slice(eq + 1)]).map((text) =>
      normalizeEscapes(text.replace(PLUS, '%20'), 'url'),
    );
    pairs.push([key!, value!]);
  }
  return pairs;
}

/** Encoded `[key, value]` pairs sorted by key, then by value (byte order: encoded text is ASCII). */
export const sortQuery = (pairs: readonly (readonly [string, string])[]): (readonly [string, string])[] =>
  pairs.slice().sort(byKeyThenValue);

// Index access, not destructuring: the comparator runs n log n times per signature.
const byKeyThenValue = (a: readonly [string, string], b: readonly [string, string]): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;

/** CanonicalQueryString: encoded pairs, sorted, as `key=value` joined by `&` (an empty value gives `key=`). */
export function createCanonicalQuery(pairs: readonly (readonly [string, string])[]): string {
  let sorted = pairs;
  // Pairs often come already in order (a presigned URL's own X-Amz-* parameters are): check before sorting.
  for (let i = 1; i < pairs.length; i++) {
    if (byKeyThenValue(pairs[i - 1]!, pairs[i]!) > 0) {
      sorted = sortQuery(pairs);
      break;
    }
  }
  let query = '';
  for (let i = 0; i < sorted.length; i++) query += `${i ? '&' : ''}${sorted[i]![0]}=${sorted[i]![1]}`;
  return query;
}

const SPACES = /[ \t]+/g;

/** A header value in canonical form: trimmed, each run of spaces and tabs made one space. */
export const canonicalHeaderValue = (value: string): string => value.trim().replace(SPACES, ' ');

/**
 * The one value to send for a header given as several: its parts trimmed and joined with `,`, so that a server
 * canonicalizes it to what was signed (`a ,b` would stay `a ,b`; `a,b` stays `a,b`). A single value is sent as given.
 */
export const headerValueToSend = (values: readonly string[]): string =>
  values.length > 1 ? values.map((v) => v.trim()).join(',') : values[0]!;

/**
 * CanonicalHeaders and SignedHeaders from lowercase names and their values in request order (repeated
 * headers are joined with `,`).
 */
export function createCanonicalHeaders(headers: ReadonlyMap<string, readonly string[]>): {
  canonicalHeaders: string;
  signedHeaders: string[];
} {
  const signedHeaders = [...headers.keys()].sort();
  let canonicalHeaders = '';
  for (const name of signedHeaders) canonicalHeaders += `${name}:${headers.get(name)!.map(canonicalHeaderValue).join(',')}\n`;
  return { canonicalHeaders, signedHeaders };
}

/** The canonical request: six parts joined by newlines; CanonicalHeaders brings its own final newline. */
export const createCanonicalRequest = (
  method: string,
  canonicalUri: string,
  canonicalQuery: string,
  canonicalHeaders: string,
  signedHeaders: string,
  payloadHash: string,
): string => `${method}\n${canonicalUri}\n${canonicalQuery}\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
