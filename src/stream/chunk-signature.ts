// S3 streaming uploads (sigv4-streaming.html, sigv4-streaming-trailers.html): the signature of each chunk and of
// the trailer, each chained on the one before it, starting from the request's seed signature.

import type { Credentials } from '../core/credentials.js';
import { EMPTY_SHA256 } from '../core/constants.js';
import { cachedKey, type SigningKeyCache } from '../core/key-cache.js';
import { hmacKey, hmacTextHex, type HmacKey } from '../core/sha256.js';
import { deriveSigningKeySync } from '../core/signing-key.js';

/** Signed chunks, no trailer: `x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD`. */
export const STREAMING_PAYLOAD = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
/** Signed chunks, then trailing headers signed too (`x-amz-trailer-signature`). */
export const STREAMING_PAYLOAD_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
/** Unsigned chunks, then trailing headers (a checksum), unsigned: the body is as safe as the connection is. */
export const STREAMING_UNSIGNED_PAYLOAD_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

/** The `x-amz-content-sha256` values of an aws-chunked body: what the body holds besides the data. */
export type StreamingPayloadHash =
  | 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD'
  | 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER'
  | 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

/** The streaming payload hashes this library encodes and decodes, in the order above. */
export const STREAMING_PAYLOAD_HASHES: readonly StreamingPayloadHash[] = [
  STREAMING_PAYLOAD,
  STREAMING_PAYLOAD_TRAILER,
  STREAMING_UNSIGNED_PAYLOAD_TRAILER,
];

/**
 * The string to sign of a chunk: `AWS4-HMAC-SHA256-PAYLOAD`, the request's X-Amz-Date and credential scope, the
 * previous signature (the seed signature for the first chunk), the hash of an empty string, and the hex SHA-256 of
 * the chunk's data (of nothing, for the final zero-length chunk).
 */
export const createChunkStringToSign = (
  amzDate: string,
  credentialScope: string,
  previousSignature: string,
  chunkSha256: string,
): string =>
  `AWS4-HMAC-SHA256-PAYLOAD\n${amzDate}\n${credentialScope}\n${previousSignature}\n${EMPTY_SHA256}\n${chunkSha256}`;

/**
 * The canonical trailing headers: `name:value\n` for each, names lowercase, sorted by name; the empty string when
 * there are none. Their SHA-256 is the last line of the trailer's string to sign.
 */
export function createCanonicalTrailers(trailers: Iterable<readonly [string, string]>): string {
  return [...trailers]
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}:${value}\n`)
    .join('');
}

/**
 * The string to sign of the trailer: `AWS4-HMAC-SHA256-TRAILER`, X-Amz-Date, scope, the final chunk's signature
 * and the hex SHA-256 of the canonical trailing headers ({@link createCanonicalTrailers}).
 */
export const createTrailerStringToSign = (
  amzDate: string,
  credentialScope: string,
  previousSignature: string,
  canonicalTrailersSha256: string,
): string =>
  `AWS4-HMAC-SHA256-TRAILER\n${amzDate}\n${credentialScope}\n${previousSignature}\n${canonicalTrailersSha256}`;

/**
 * The signing key of a streaming body's chunks, as a prepared HMAC-SHA256 key, from the signing key cache (the
 * synchronous signers' entry, `sync`): derived once per access key, day, region and service, never per chunk.
 * Chunks are signed in plain JavaScript: a string to sign is two SHA-256 blocks, far less than a hop to Web Crypto.
 */
export function chunkSigningKey(
  credentials: Credentials,
  date: string,
  region: string,
  service: string,
  cache: SigningKeyCache | false | undefined,
): HmacKey {
  return cachedKey(cache, 'sync', credentials, date, region, service, () =>
    hmacKey(deriveSigningKeySync(credentials.secretAccessKey, date, region, service)),
  );
}

/** Signs a string to sign (a chunk's or the trailer's) with a prepared key: lowercase hex HMAC-SHA256. */
export const signChunkString: (key: HmacKey, stringToSign: string) => string = hmacTextHex;
