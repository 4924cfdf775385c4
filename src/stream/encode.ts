// Signing a streaming upload (sigv4-streaming.html, sigv4-streaming-trailers.html): the headers the request signs,
// and the transform that frames its body as aws-chunked, each chunk signed on the signature before it.

import { checkCredentials, type Credentials } from '../core/credentials.js';
import { EMPTY_SHA256 } from '../core/constants.js';
import { parseAmzDate } from '../core/date.js';
import { utf8 } from '../core/encoding.js';
import { describe, fail, invalidType, optionError, outOfRange } from '../core/errors.js';
import { checkCache, type SigningKeyCache } from '../core/key-cache.js';
import { sha256TextHex, type HmacKey } from '../core/sha256.js';
import { sha256Hex } from '../core/webcrypto.js';
import { CHECKSUM_ALGORITHMS, checksumAlgorithmOf, checksumHeaderName, createChecksum } from './checksum.js';
import type { ChecksumAlgorithm } from './checksum.js';
import {
  chunkSigningKey,
  createCanonicalTrailers,
  createChunkStringToSign,
  createTrailerStringToSign,
  signChunkString,
  STREAMING_PAYLOAD,
  STREAMING_PAYLOAD_HASHES,
  STREAMING_PAYLOAD_TRAILER,
  STREAMING_UNSIGNED_PAYLOAD_TRAILER,
  type StreamingPayloadHash,
} from './chunk-signature.js';
import {
  checksumTextLength,
  chunkHeaderLength,
  DEFAULT_CHUNK_SIZE,
  encodedLength,
  MAX_CHUNK_SIZE,
  MIN_CHUNK_SIZE,
  TRAILER_SIGNATURE_LINE,
} from './framing.js';

/** Options of {@link awsChunkedHeaders}. */
export interface AwsChunkedHeadersOptions {
  /**
   * What the body carries: signed chunks (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`), signed chunks and a signed
   * trailer (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`), or unsigned chunks and an unsigned trailer
   * (`STREAMING-UNSIGNED-PAYLOAD-TRAILER`, for https only: nothing but the connection protects the data).
   */
  readonly payloadHash: StreamingPayloadHash;
  /**
   * The length of the body in bytes, when known: sent as `x-amz-decoded-content-length` (S3 requires it) and turned
   * into the encoded `content-length`. Without it, send the body with `transfer-encoding: chunked`.
   */
  readonly decodedLength?: number;
  /** Bytes of data per chunk (all but the last): 8192 (S3's least) to 1048576. Default 65536. */
  readonly chunkSize?: number;
  /** The checksum to send in the trailer (`x-amz-checksum-…`): needs a `…-TRAILER` payload hash. Default: none. */
  readonly checksumAlgorithm?: ChecksumAlgorithm;
}

/** The signed request a body is framed for: what {@link signRequest} returns has these. */
export interface AwsChunkedSignedRequest {
  /** The headers sent, with the aws-chunked ones {@link awsChunkedHeaders} made. */
  readonly headers: Readonly<Record<string, string>>;
  /** The seed signature: the request's own, the first chunk's previous signature. */
  readonly signature: string;
  /** X-Amz-Date, `YYYYMMDD'T'HHMMSS'Z'`. */
  readonly amzDate: string;
  /** `YYYYMMDD/region/service/aws4_request` */
  readonly credentialScope: string;
}

/** Options of {@link createAwsChunkedEncoder}. */
export interface AwsChunkedEncoderOptions {
  /** The request as {@link signRequest} signed it, with the headers of {@link awsChunkedHeaders}. */
  readonly signed: AwsChunkedSignedRequest;
  /** The credentials the request was signed with: required for signed chunks, unused for unsigned ones. */
  readonly credentials?: Credentials;
  /** Bytes of data per chunk: as given to {@link awsChunkedHeaders}. Default 65536. */
  readonly chunkSize?: number;
  /** Signing key cache. Default: the shared one; `false` derives the key for this body. */
  readonly cache?: SigningKeyCache | false;
}

function checkChunkSize(value: unknown): number {
  if (value === undefined) return DEFAULT_CHUNK_SIZE;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_CHUNK_SIZE || value > MAX_CHUNK_SIZE) {
    outOfRange('chunkSize', `an integer from ${MIN_CHUNK_SIZE} to ${MAX_CHUNK_SIZE} (bytes)`, value);
  }
  return value;
}

function checkPayloadHash(name: string, value: unknown): StreamingPayloadHash {
  if (!STREAMING_PAYLOAD_HASHES.includes(value as StreamingPayloadHash)) {
    invalidType(name, STREAMING_PAYLOAD_HASHES.map((v) => JSON.stringify(v)).join(', or '), value);
  }
  return value as StreamingPayloadHash;
}

/** The trailer lines' lengths (without CRLF) of a body with this checksum, for {@link encodedLength}. */
const trailerLines = (payloadHash: StreamingPayloadHash, checksum: ChecksumAlgorithm | undefined): number[] => [
  ...(checksum === undefined ? [] : [checksumHeaderName(checksum).length + 1 + checksumTextLength(checksum)]),
  ...(payloadHash === STREAMING_PAYLOAD_TRAILER ? [TRAILER_SIGNATURE_LINE] : []),
];

/**
 * The headers a streaming upload signs and sends, to pass to {@link signRequest} with the request's own:
 * `content-encoding: aws-chunked`, `x-amz-content-sha256` (the payload hash), `x-amz-trailer` with a checksum, and,
 * when the length is known, `x-amz-decoded-content-length` and the encoded `content-length`. Then frame the body
 * with {@link createAwsChunkedEncoder}. Runs no crypto.
 *
 * `content-length` is signed as the S3 documentation's example signs it; a client that sets it itself (a browser)
 * cannot send it, so delete it there and let the body go `transfer-encoding: chunked`. A body with a content
 * encoding of its own sends `content-encoding: aws-chunked,gzip` (aws-chunked first: S3 strips it).
 *
 * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`) for invalid options.
 * @example
 * const headers = awsChunkedHeaders({
 *   payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', decodedLength: file.size, checksumAlgorithm: 'CRC32C',
 * });
 * // { 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
 * //   'x-amz-trailer': 'x-amz-checksum-crc32c', 'x-amz-decoded-content-length': '…', 'content-length': '…' }
 */
export function awsChunkedHeaders(options: AwsChunkedHeadersOptions): Record<string, string> {
  if (typeof options !== 'object' || options === null) invalidType('options', 'an object', options);
  const payloadHash = checkPayloadHash('payloadHash', options.payloadHash);
  const chunkSize = checkChunkSize(options.chunkSize);
  const { decodedLength, checksumAlgorithm } = options;
  if (
    decodedLength !== undefined &&
    (typeof decodedLength !== 'number' || !Number.isSafeInteger(decodedLength) || decodedLength < 0)
  ) {
    outOfRange('decodedLength', 'an integer from 0 (bytes)', decodedLength);
  }
  if (checksumAlgorithm !== undefined && !CHECKSUM_ALGORITHMS.includes(checksumAlgorithm)) {
    invalidType('checksumAlgorithm', CHECKSUM_ALGORITHMS.join(', '), checksumAlgorithm);
  }
  if (checksumAlgorithm !== undefined && payloadHash === STREAMING_PAYLOAD) {
    optionError(
      `"checksumAlgorithm" expected a payload hash with a trailer (${STREAMING_PAYLOAD_TRAILER} or ${STREAMING_UNSIGNED_PAYLOAD_TRAILER}), got ${payloadHash}`,
    );
  }
  const headers: Record<string, string> = {
    'content-encoding': 'aws-chunked',
    'x-amz-content-sha256': payloadHash,
  };
  if (checksumAlgorithm !== undefined) headers['x-amz-trailer'] = checksumHeaderName(checksumAlgorithm);
  if (decodedLength !== undefined) {
    headers['x-amz-decoded-content-length'] = String(decodedLength);
    headers['content-length'] = String(
      encodedLength(
        decodedLength,
        chunkSize,
        payloadHash !== STREAMING_UNSIGNED_PAYLOAD_TRAILER,
        trailerLines(payloadHash, checksumAlgorithm),
      ),
    );
  }
  return headers;
}

/** What the encoder needs, checked: {@link encodeAwsChunked}'s parameters. */
export interface EncodeParams {
  readonly payloadHash: StreamingPayloadHash;
  /** The chunk signing key: undefined for unsigned chunks. */
  readonly key: HmacKey | undefined;
  readonly seedSignature: string;
  readonly amzDate: string;
  readonly credentialScope: string;
  readonly chunkSize: number;
  readonly checksum: ChecksumAlgorithm | undefined;
  readonly decodedLength: number | undefined;
}

const HEX_SIGNATURE = /^[0-9a-f]{64}$/;

/** Reads the signed request's headers (names in any case), one value each. */
function headerOf(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  let found: string | undefined;
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name) found = headers[key];
  return found;
}

/**
 * Frames a body as aws-chunked for the request {@link awsChunkedHeaders} and {@link signRequest} prepared: pipe the
 * body through it (`body.pipeThrough(createAwsChunkedEncoder({ signed, credentials }))`) and send the result. Every
 * chunk but the last holds `chunkSize` bytes; each is signed on the signature before it (the seed signature for the
 * first), with the signing key from the cache, derived once. After the final chunk comes the trailer: the checksum
 * named in `x-amz-trailer`, and for `…-PAYLOAD-TRAILER` its signature.
 *
 * The payload hash, trailer and decoded length come from the signed headers. A body longer or shorter than
 * `x-amz-decoded-content-length` errors the stream (SigV4Error `ERR_SIGV4_LENGTH_MISMATCH`), as does a part that is
 * not a Uint8Array (TypeError): the request would fail anyway, so nothing wrong is sent.
 *
 * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`) for invalid options, or a `chunkSize` that does
 * not give the signed `content-length`.
 * @example
 * const signed = await signRequest({ url, method: 'PUT', service: 's3', region, credentials, headers });
 * const body = file.stream().pipeThrough(createAwsChunkedEncoder({ signed, credentials }));
 * await fetch(signed.url, { method: 'PUT', headers: signed.headers, body, duplex: 'half' });
 */
export function createAwsChunkedEncoder(options: AwsChunkedEncoderOptions): TransformStream<Uint8Array, Uint8Array> {
  if (typeof options !== 'object' || options === null) invalidType('options', 'an object', options);
  const { signed } = options;
  if (typeof signed !== 'object' || signed === null || typeof signed.headers !== 'object' || signed.headers === null) {
    invalidType('signed', 'the signed request ({ headers, signature, amzDate, credentialScope })', signed);
  }
  const chunkSize = checkChunkSize(options.chunkSize);
  const cache = checkCache(options.cache);
  const headers = signed.headers;
  const payloadHash = checkPayloadHash(
    'signed.headers["x-amz-content-sha256"]',
    headerOf(headers, 'x-amz-content-sha256'),
  );
  const { signature, amzDate, credentialScope } = signed;
  if (typeof signature !== 'string' || !HEX_SIGNATURE.test(signature))
    invalidType('signed.signature', 'the seed signature (64 lowercase hex digits)', signature);
  if (typeof amzDate !== 'string' || parseAmzDate(amzDate) === undefined)
    invalidType('signed.amzDate', "a date of the form YYYYMMDD'T'HHMMSS'Z'", amzDate);
  const scope = typeof credentialScope === 'string' ? credentialScope.split('/') : [];
  if (scope.length !== 4 || scope[0] !== amzDate.slice(0, 8) || scope[3] !== 'aws4_request') {
    invalidType('signed.credentialScope', `${amzDate.slice(0, 8)}/<region>/<service>/aws4_request`, credentialScope);
  }

  const trailer = headerOf(headers, 'x-amz-trailer');
  let checksum: ChecksumAlgorithm | undefined;
  if (trailer !== undefined) {
    checksum = checksumAlgorithmOf(trailer.trim());
    if (checksum === undefined || payloadHash === STREAMING_PAYLOAD) {
      invalidType(
        'signed.headers["x-amz-trailer"]',
        `one x-amz-checksum-… header name, with a …-TRAILER payload hash (the encoder sends checksums only)`,
        trailer,
      );
    }
  }
  const lengthText = headerOf(headers, 'x-amz-decoded-content-length');
  const decodedLength = lengthText === undefined ? undefined : Number(lengthText);
  if (lengthText !== undefined && !(/^\d{1,16}$/.test(lengthText) && Number.isSafeInteger(decodedLength))) {
    invalidType('signed.headers["x-amz-decoded-content-length"]', 'a number of bytes', lengthText);
  }
  const contentLength = headerOf(headers, 'content-length');
  if (contentLength !== undefined && decodedLength !== undefined) {
    const expected = encodedLength(
      decodedLength,
      chunkSize,
      payloadHash !== STREAMING_UNSIGNED_PAYLOAD_TRAILER,
      trailerLines(payloadHash, checksum),
    );
    if (contentLength !== String(expected)) {
      outOfRange(
        'chunkSize',
        `the chunk size the signed content-length (${describe(contentLength)}) was computed with`,
        `${chunkSize}, which gives ${expected}`,
      );
    }
  }

  let key: HmacKey | undefined;
  if (payloadHash !== STREAMING_UNSIGNED_PAYLOAD_TRAILER) {
    const credentials = checkCredentials(options.credentials);
    const authorization = headerOf(headers, 'authorization');
    if (authorization !== undefined && !authorization.includes(`Credential=${credentials.accessKeyId}/`)) {
      optionError('"credentials" expected the credentials the request was signed with, got another access key id');
    }
    key = chunkSigningKey(credentials, scope[0]!, scope[1]!, scope[2]!, cache);
  }
  return encodeAwsChunked({
    payloadHash,
    key,
    seedSignature: signature,
    amzDate,
    credentialScope,
    chunkSize,
    checksum,
    decodedLength,
  });
}

const CR = 13;
const LF = 10;

/** Writes ASCII text into `out` at `at`. */
function writeAscii(out: Uint8Array, at: number, text: string): void {
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
}

/**
 * The aws-chunked encoder, from checked parameters (any chunk size: AWS's unit vectors use 4 bytes). Each chunk is
 * gathered into one buffer with room for its header in front and its CRLF behind, so its data is copied once.
 */
export function encodeAwsChunked(p: EncodeParams): TransformStream<Uint8Array, Uint8Array> {
  const { key, amzDate, credentialScope, chunkSize, decodedLength } = p;
  const signedChunks = key !== undefined;
  const room = chunkHeaderLength(chunkSize, signedChunks); // the longest header: a whole chunk's
  const checksum = p.checksum === undefined ? undefined : createChecksum(p.checksum);
  let previous = p.seedSignature;
  let buffer = new Uint8Array(room + chunkSize + 2);
  let filled = 0;
  let total = 0;

  const tooLong = (): never =>
    fail(
      'ERR_SIGV4_LENGTH_MISMATCH',
      `the body expected ${decodedLength} bytes (x-amz-decoded-content-length), got more`,
    );

  /** Frames the `size` bytes gathered in `buffer` as a chunk and passes it on. */
  async function emit(controller: TransformStreamDefaultController<Uint8Array>, size: number): Promise<void> {
    const data = buffer.subarray(room, room + size);
    let header = `${size.toString(16)}\r\n`;
    if (key !== undefined) {
      const hashing = sha256Hex(data); // on Web Crypto's thread, while the checksum runs here
      checksum?.update(data);
      previous = signChunkString(key, createChunkStringToSign(amzDate, credentialScope, previous, await hashing));
      header = `${size.toString(16)};chunk-signature=${previous}\r\n`;
    } else {
      checksum?.update(data);
    }
    const start = room - header.length;
    writeAscii(buffer, start, header);
    buffer[room + size] = CR;
    buffer[room + size + 1] = LF;
    controller.enqueue(buffer.subarray(start, room + size + 2));
    buffer = new Uint8Array(room + chunkSize + 2); // the one passed on is the reader's now
    filled = 0;
  }

  return new TransformStream<Uint8Array, Uint8Array>({
    async transform(part, controller) {
      if (!(part instanceof Uint8Array)) invalidType('body part', 'a Uint8Array', part);
      total += part.length;
      if (decodedLength !== undefined && total > decodedLength) tooLong();
      for (let offset = 0; offset < part.length;) {
        const n = Math.min(chunkSize - filled, part.length - offset);
        buffer.set(part.subarray(offset, offset + n), room + filled);
        filled += n;
        offset += n;
        if (filled === chunkSize) await emit(controller, chunkSize);
      }
    },
    async flush(controller) {
      if (decodedLength !== undefined && total !== decodedLength) {
        fail(
          'ERR_SIGV4_LENGTH_MISMATCH',
          `the body expected ${decodedLength} bytes (x-amz-decoded-content-length), got ${total}`,
        );
      }
      if (filled > 0) await emit(controller, filled);
      let end = '0\r\n';
      if (key !== undefined) {
        previous = signChunkString(key, createChunkStringToSign(amzDate, credentialScope, previous, EMPTY_SHA256));
        end = `0;chunk-signature=${previous}\r\n`;
      }
      const trailers: [string, string][] =
        checksum === undefined ? [] : [[checksumHeaderName(checksum.algorithm), checksum.digest()]];
      for (const [name, value] of trailers) end += `${name}:${value}\r\n`;
      if (key !== undefined && p.payloadHash === STREAMING_PAYLOAD_TRAILER) {
        const hash = sha256TextHex(createCanonicalTrailers(trailers));
        const signature = signChunkString(key, createTrailerStringToSign(amzDate, credentialScope, previous, hash));
        end += `x-amz-trailer-signature:${signature}\r\n`;
      }
      controller.enqueue(utf8(`${end}\r\n`));
    },
  });
}
