// Task 1 of the SigV4 signing process: the canonical request (method, URI, query, headers, signed headers,
// payload hash), built from text that has already been validated.

import { badEscape, normalizeEscapes, uriEncode } from './encoding.js';
import { optionError, type Fault } from './errors.js';

// Paths. Two rules, chosen by `uriEscapePath`:
// - S3 (encoded once): the object key is what the path means, so the path is brought to one canonical encoded
//   form ({@link encodePath}: `ü`, `%c3%bc` and `%C3%BC` all name the same key), and that form is both sent
//   and signed.
// - Every other service (encoded twice): the canonical URI is the path exactly as it is sent, normalized, then
//   URI-encoded once more, `%` included ({@link createCanonicalUri}); this is what botocore, aws-c-auth and
//   @smithy/signature-v4 sign. The path sent is the caller's, as `fetch` sends it ({@link toWirePath}); a
//   verifier takes the path as it was received ({@link toReceivedPath}).

// The common path, unreserved characters and "/" only, is already canonical, unless normalization has an empty,
// "." or ".." segment to remove. (Both patterns are linear: no nested quantifiers.)
const CANONICAL_PATH = /^\/[\w.~\/-]*$/;
const DOT_OR_EMPTY_SEGMENT = /\/(?:\.|%2e){0,2}(?=\/|$)/i;
const ESCAPED_DOT = /%2e/gi;

/**
 * Removes dot segments as RFC 3986 section 5.2.4 and the URL standard do (`/a/b/..` and `/a/.` become `/a/`;
 * `%2e` counts as `.`), then empty segments as AWS's signers do (`/a//b` becomes `/a/b`). A path that ended in a
 * dot or empty segment keeps its trailing slash.
 */
export function removeDotSegments(path: string): string {
  if (!DOT_OR_EMPTY_SEGMENT.test(path)) return path;
  // The segments kept, without the empty ones: each with the number of empty segments before it (`gaps`), and
  // `tail` empty ones after the last; a ".." removes the segment before it, and that may be an empty one.
  const kept: string[] = [];
  const gaps: number[] = [];
  let tail = 0;
  let slash = false;
  const input = path.split('/');
  // input[0] is the empty text before the leading "/".
  for (let i = 1; i < input.length; i++) {
    const segment = input[i]!;
    // A dot segment is at most six characters ("%2e%2e"); only one with a "%" needs reading.
    const dots = segment.length > 6 || !segment.includes('%') ? segment : segment.replace(ESCAPED_DOT, '.');
    slash = dots === '' || dots === '.' || dots === '..';
    if (dots === '') tail++;
    else if (dots === '..') {
      if (tail > 0) tail--;
      else if (kept.length > 0) {
        kept.pop();
        tail = gaps.pop()!;
      }
    } else if (dots !== '.') {
      kept.push(segment);
      gaps.push(tail);
      tail = 0;
    }
  }
  return '/' + kept.join('/') + (kept.length > 0 && slash ? '/' : '');
}

/**
 * The S3 form of a path: each `/`-separated segment in its canonical encoded form ({@link normalizeEscapes}).
 * S3 keeps `//`, `.` and `..`, which can be part of an object key; with `normalize` they are removed
 * ({@link removeDotSegments}). A bad `%` escape fails through `fault` (by default a TypeError with the code
 * ERR_SIGV4_INVALID_OPTION).
 */
export function encodePath(rawPath: string, normalize: boolean, fault: Fault = optionError): string {
  if (CANONICAL_PATH.test(rawPath) && !(normalize && DOT_OR_EMPTY_SEGMENT.test(rawPath))) return rawPath;
  const path =
    rawPath
      .split('/')
      .map((segment) => normalizeEscapes(segment, 'url', fault))
      .join('/') || '/';
  return normalize ? removeDotSegments(path) : path;
}

// A "%" that does not start an escape: an error, not a guess (fetch would send it as it is, most servers refuse it).
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;
// What fetch percent-encodes in a path, besides the controls refused earlier: the URL standard's path
// percent-encode set (space " < > ^ ` { }) and every non-ASCII character. A backslash is a "/" in an http(s) URL.
const ENCODED_WHEN_SENT = /[ "<>^`{}\\]|[^\0-\x7f]+/g;
// What cannot stand on a request line as it is: a space, and anything outside ASCII.
const ENCODED_WHEN_RECEIVED = /[ ]|[^\0-\x7f]+/g;
const encodeSent = (text: string): string => (text === '\\' ? '/' : encodeURIComponent(text));

function encodeSome(rawPath: string, pattern: RegExp, fault: Fault): string {
  const bad = BAD_ESCAPE.exec(rawPath);
  if (bad) badEscape('url', rawPath, bad.index, fault);
  return (rawPath || '/').replace(pattern, encodeSent);
}

/**
 * The path as `fetch` sends it: the caller's path with the characters the URL standard percent-encodes encoded
 * (`a b` → `a%20b`, `ü` → `%C3%BC`, `^` → `%5E`), a backslash read as `/`, and everything else kept as written: `%XX`
 * escapes in their letter case, `:@!$&'()*+,;=` raw. Dot segments stay (see {@link removeDotSegments}).
 * A `%` that does not start an escape fails through `fault` (by default a TypeError with the code
 * ERR_SIGV4_INVALID_OPTION). The text has no control characters or lone surrogates (the URL reader refuses them).
 */
export const toWirePath = (rawPath: string, fault: Fault = optionError): string =>
  CANONICAL_PATH.test(rawPath) ? rawPath : encodeSome(rawPath, ENCODED_WHEN_SENT, fault);

/**
 * The path a server received, as its sender signed it: kept as it is, except a space and non-ASCII characters
 * (which no client sends raw; a URL text may hold them) are percent-encoded. A `%` that does not start an escape
 * fails through `fault` (by default a TypeError with the code ERR_SIGV4_INVALID_OPTION).
 */
export const toReceivedPath = (rawPath: string, fault: Fault = optionError): string =>
  CANONICAL_PATH.test(rawPath) ? rawPath : encodeSome(rawPath, ENCODED_WHEN_RECEIVED, fault);

/**
 * CanonicalURI. For S3 (`uriEscapePath` false) the path in its {@link encodePath} form, as it is. For every other
 * service the path as sent, normalized, URI-encoded once more: every byte outside the unreserved set but `/`
 * becomes %XX, so `/a:b` is signed as `/a%3Ab` and `/my%20doc` as `/my%2520doc`.
 */
export const createCanonicalUri = (path: string, uriEscapePath: boolean): string =>
  uriEscapePath ? path.split('/').map(uriEncode).join('/') : path;

const PLUS = /\+/g;

/**
 * The `[key, value]` pairs of a URL's query text, each in canonical encoded form. `+` is read as a space, as
 * `URLSearchParams` and S3 read it (write a plus sign as `%2B`); a key without `=` has an empty value, and empty
 * pieces (`a=1&&b=2`) are skipped. A bad `%` escape fails through `fault`.
 */
export function parseQuery(rawQuery: string, fault: Fault = optionError): [string, string][] {
  const pairs: [string, string][] = [];
  if (rawQuery === '') return pairs;
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const [key, value] = (eq < 0 ? [piece, ''] : [piece.slice(0, eq), piece.slice(eq + 1)]).map((text) =>
      normalizeEscapes(text.replace(PLUS, '%20'), 'url', fault),
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
  for (const name of signedHeaders)
    canonicalHeaders += `${name}:${headers.get(name)!.map(canonicalHeaderValue).join(',')}\n`;
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

/**
 * The path to send, the path signed and the canonical URI. S3's rule (`uriEscapePath` false): the path in its
 * canonical encoded form, sent and signed as it is. Every other service: the path as sent (`asSent`: by fetch, for
 * a signer; as received, for a verifier), normalized where asked (`signedPath`), then encoded a second time. A bad
 * `%` escape fails through `fault`.
 */
export function readPath(
  rawPath: string,
  uriEscapePath: boolean,
  normalize: boolean,
  asSent: (rawPath: string, fault: Fault) => string,
  fault: Fault = optionError,
): { path: string; signedPath: string; canonicalUri: string } {
  if (!uriEscapePath) {
    const path = encodePath(rawPath, normalize, fault);
    return { path, signedPath: path, canonicalUri: path };
  }
  const path = asSent(rawPath, fault);
  const signedPath = normalize ? removeDotSegments(path) : path;
  return { path, signedPath, canonicalUri: createCanonicalUri(signedPath, true) };
}
