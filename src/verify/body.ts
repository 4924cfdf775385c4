// The body a verifier hands back: a stream body checked as it is read. An aws-chunked body (x-amz-content-sha256:
// STREAMING-…) is decoded and verified chunk by chunk (src/stream/decode.ts); any other stream body is checked at
// its end against the signed SHA-256 and the x-amz-checksum-* headers it came with.

import type { CredentialParts } from '../core/authorization.js';
import type { Credentials } from '../core/credentials.js';
import { fromHex, toHex, trimOws, utf8 } from '../core/encoding.js';
import { describe, fail } from '../core/errors.js';
import { fromBase64, toBase64 } from '../core/base64.js';
import {
  checksumAlgorithmOf,
  checksumHeaderName,
  createChecksum,
  type Checksum,
  type ChecksumAlgorithm,
} from '../stream/checksum.js';
import { TOKEN } from '../core/rules.js';
import {
  chunkSigningKey,
  STREAMING_PAYLOAD_HASHES,
  STREAMING_UNSIGNED_PAYLOAD_TRAILER,
  type StreamingPayloadHash,
} from '../stream/chunk-signature.js';
import { decodeAwsChunked } from '../stream/decode.js';
import { MIN_CHUNK_SIZE } from '../stream/framing.js';
import { isStream, type Settings } from './options.js';
import { oneHeader } from './read.js';

/** What the headers say about a body, read before any crypto runs. */
export interface BodyHeaders {
  /** The payload hash, when it is a streaming one. */
  readonly streaming: StreamingPayloadHash | undefined;
  readonly trailers: readonly string[];
  readonly decodedLength: number | undefined;
  readonly checksums: readonly (readonly [ChecksumAlgorithm, string])[];
}

const DIGITS = /^\d{1,16}$/;
const malformed = (message: string): never => fail('ERR_SIGV4_MALFORMED', message);

/**
 * Reads the headers that describe the body (x-amz-trailer, x-amz-decoded-content-length, x-amz-checksum-*) when
 * a body was given: a malformed one fails here, before the credential lookup.
 */
export function readBodyHeaders(settings: Settings, headerHash: string | undefined): BodyHeaders | undefined {
  const { body, headers } = settings;
  const streaming = headerHash?.startsWith('STREAMING-') ? headerHash : undefined;
  // A body given as bytes for a request that is not aws-chunked was hashed and checked: nothing to read here.
  if (body === undefined || (streaming === undefined && !isStream(body))) return undefined;
  const checksums: [ChecksumAlgorithm, string][] = [];
  for (const name of headers.keys()) {
    const algorithm = checksumAlgorithmOf(name);
    if (algorithm !== undefined) checksums.push([algorithm, oneHeader(headers, name)!]);
  }
  if (streaming === undefined) return { streaming, trailers: [], decodedLength: undefined, checksums };
  if (!STREAMING_PAYLOAD_HASHES.includes(streaming as StreamingPayloadHash)) {
    fail(
      'ERR_SIGV4_PAYLOAD_HASH',
      `the x-amz-content-sha256 header expected ${STREAMING_PAYLOAD_HASHES.join(', ')} for an aws-chunked body, got ${describe(streaming)}`,
    );
  }
  const trailers = new Set<string>();
  for (const value of headers.get('x-amz-trailer') ?? []) {
    for (const item of value.split(',')) {
      const name = trimOws(item).toLowerCase();
      if (name === '') continue;
      if (!TOKEN.test(name) || trailers.has(name))
        malformed(`the x-amz-trailer header expected header names, each once, got ${describe(value)}`);
      trailers.add(name);
    }
  }
  const length = oneHeader(headers, 'x-amz-decoded-content-length');
  if (length !== undefined && !(DIGITS.test(length) && Number.isSafeInteger(Number(length))))
    malformed(`the x-amz-decoded-content-length header expected a number of bytes, got ${describe(length)}`);
  return {
    streaming: streaming as StreamingPayloadHash,
    trailers: [...trailers],
    decodedLength: length === undefined ? undefined : Number(length),
    checksums,
  };
}

/** A stream of one Uint8Array: a body given as bytes, to decode as one given as a stream. */
const streamOf = (body: string | Uint8Array | ArrayBuffer): ReadableStream<Uint8Array> => {
  const bytes = typeof body === 'string' ? utf8(body) : body instanceof Uint8Array ? body : new Uint8Array(body);
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
};

/**
 * A stream body that is not aws-chunked, passed through unchanged and checked at its end: its SHA-256 against the
 * signed hex payload hash, and each x-amz-checksum-* header. The source itself when there is nothing to check.
 */
function checkedAtEnd(
  source: ReadableStream<Uint8Array>,
  payloadHash: string,
  checksumHeaders: readonly (readonly [ChecksumAlgorithm, string])[],
): ReadableStream<Uint8Array> {
  const checks: [Checksum, string, (actual: string) => never][] = [];
  if (/^[0-9a-f]{64}$/.test(payloadHash)) {
    const expected = toBase64(fromHex(payloadHash));
    checks.push([
      createChecksum('SHA256'),
      expected,
      (actual) => {
        return fail(
          'ERR_SIGV4_PAYLOAD_HASH',
          `the body's SHA-256 ${toHex(fromBase64(actual)!)} does not match the signed x-amz-content-sha256 ${payloadHash}`,
        );
      },
    ]);
  }
  for (const [algorithm, value] of checksumHeaders) {
    const name = checksumHeaderName(algorithm);
    checks.push([
      createChecksum(algorithm),
      value,
      (actual) =>
        fail(
          'ERR_SIGV4_CHECKSUM_MISMATCH',
          `the ${name} header expected the body's ${algorithm}, ${actual}, got ${describe(value)}`,
        ),
    ]);
  }
  if (checks.length === 0) return source;
  return source.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(part, controller) {
        for (const [checksum] of checks) checksum.update(part);
        controller.enqueue(part);
      },
      flush() {
        for (const [checksum, expected, mismatch] of checks) {
          const actual = checksum.digest();
          if (actual !== expected) mismatch(actual);
        }
      },
    }),
  );
}

/**
 * The verified body of a request whose signature verified: decoded and checked as it is read when it is aws-chunked
 * (given as a stream or as bytes), checked at its end when it is any other stream; undefined for a body given as
 * bytes that is not aws-chunked (it was checked already) and when no body was given.
 */
export function verifiedBody(
  settings: Settings,
  read: BodyHeaders | undefined,
  payloadHash: string,
  claim: CredentialParts & { readonly amzDate: string; readonly signature: string },
  credentialScope: string,
  credentials: Credentials,
): ReadableStream<Uint8Array> | undefined {
  const { body } = settings;
  if (body === undefined || read === undefined) return undefined;
  const { streaming } = read;
  if (streaming === undefined) return isStream(body) ? checkedAtEnd(body, payloadHash, read.checksums) : undefined;
  return decodeAwsChunked(isStream(body) ? body : streamOf(body), {
    payloadHash: streaming,
    key:
      streaming === STREAMING_UNSIGNED_PAYLOAD_TRAILER
        ? undefined
        : chunkSigningKey(credentials, claim.date, claim.region, claim.service, settings.cache),
    seedSignature: claim.signature,
    amzDate: claim.amzDate,
    credentialScope,
    trailers: read.trailers,
    decodedLength: read.decodedLength,
    checksumHeaders: read.checksums,
    maxChunkSize: settings.maxChunkSize,
    minChunkSize: MIN_CHUNK_SIZE,
  });
}

/** What verifyRequest hands the shared verification to read and return the body with (see verifyClaim). */
export interface BodyVerifier {
  readonly readBodyHeaders: typeof readBodyHeaders;
  readonly verifiedBody: typeof verifiedBody;
}

/** The stream and aws-chunked body checks, for verifyRequest. */
export const BODIES: BodyVerifier = { readBodyHeaders, verifiedBody };
