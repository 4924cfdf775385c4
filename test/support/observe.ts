// What a signer produced, in a form that does not depend on which signer it was: shared by the differential
// tests (which compare with live peers) and the corpus replay (which must run without them). `observe` reads our
// result into it; the peers' results (./peers.ts) are read into it with the helpers at the end.

import type { PresignedUrl, SignedRequest } from '../../src/index.js';
import { escapesTwice, normalizes, wirePath, type Case } from './cases.js';
import { rfc3986 } from './reference.js';

interface Common {
  readonly signature: string;
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  /** `scheme://host[:port]` the URL starts with. */
  readonly origin: string;
  /** The URL's path. */
  readonly path: string;
  /** The URL's query parameters as `key=value` in RFC 3986 form, sorted. */
  readonly query: readonly string[];
}
export interface PresignExpected extends Common {
  /** Names of the headers the holder of the URL must send (besides host), sorted. */
  readonly headers: readonly string[];
}
export interface SignExpected extends Common {
  readonly authorization: string;
  /** The headers the signer adds: authorization, x-amz-date, and where they apply x-amz-security-token and x-amz-content-sha256. */
  readonly headers: Readonly<Record<string, string>>;
}
export type Expected = PresignExpected | SignExpected;

/** The headers a header signer adds, read from its output (names lower-cased). */
export const SIGNER_ADDED = ['authorization', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token'] as const;

/** Our result in that shape: the URL is read back as it is emitted, never re-encoded. */
export function observe(kind: 'presign' | 'sign', result: PresignedUrl | SignedRequest): Expected {
  const m = /^(https?:\/\/[^/?#]*)([^?#]*)(?:\?([^#]*))?$/.exec(result.url);
  if (!m) throw new Error(`not an absolute URL with a path: ${result.url}`);
  const common = {
    signature: result.signature,
    canonicalRequest: result.canonicalRequest,
    stringToSign: result.stringToSign,
    origin: m[1]!,
    path: m[2]!,
    query: m[3] ? m[3].split('&').sort() : [],
  };
  if (kind === 'presign') return { ...common, headers: Object.keys(result.headers).sort() };
  const headers: Record<string, string> = {};
  for (const name of SIGNER_ADDED) if (result.headers[name] !== undefined) headers[name] = result.headers[name];
  return { ...common, authorization: (result as SignedRequest).authorization, headers };
}

// ---------------------------------------------------------------------------------------------------------
// A peer's result in that shape.

/** The headers a header signer added, from its output headers (names lower-cased). */
export function signerAdded(headers: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if ((SIGNER_ADDED as readonly string[]).includes(lower)) out[lower] = String(value);
  }
  return out;
}

/**
 * The URL path our signer emits: the wire path (for every service but S3, the caller's path as fetch encodes it,
 * not normalized); for S3's encoding with normalization, the canonical URI the peer signed.
 */
export function expectedPath(c: Case, canonicalRequest: string): string {
  if (!normalizes(c) || escapesTwice(c)) return wirePath(c);
  const uri = canonicalRequest.split('\n')[1]!;
  return escapesTwice(c) ? uri.replace(/%25/g, '%') : uri;
}

/** `key=value` pieces of a query string, each brought to RFC 3986 form, sorted. */
export const canonicalPieces = (search: string): string[] =>
  search === ''
    ? []
    : search
        .split('&')
        .map((piece) => {
          const eq = piece.indexOf('=');
          const [k, v] = eq < 0 ? [piece, ''] : [piece.slice(0, eq), piece.slice(eq + 1)];
          return `${rfc3986(decodeURIComponent(k))}=${rfc3986(decodeURIComponent(v))}`;
        })
        .sort();
