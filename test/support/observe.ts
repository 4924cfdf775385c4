// What a signer produced, in a form that does not depend on which signer it was: shared by the differential
// tests (which compare with live peers) and the corpus replay (which must run without them).

import type { PresignedUrl, SignedRequest } from '../../src/index.js';

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
