// aws-chunked, the body of an S3 streaming upload (sigv4-streaming.html, sigv4-streaming-trailers.html): chunks of
// `<hex size>[;chunk-signature=<signature>]\r\n<data>\r\n`, a final chunk of size 0, the trailing headers
// (`name:value\r\n`, then `x-amz-trailer-signature:<signature>\r\n` when they are signed), and a closing `\r\n`.
// What the encoder and the decoder share: the sizes, and the arithmetic of the encoded length.

import type { ChecksumAlgorithm } from './checksum.js';

/** The smallest chunk S3 accepts but for the last one (its `InvalidChunkSizeError`): 8 KiB. */
export const MIN_CHUNK_SIZE = 8192;
/** The chunk size the encoder uses by default, as the AWS SDKs and minio-go do: 64 KiB. */
export const DEFAULT_CHUNK_SIZE = 65536;
/**
 * The largest signed chunk the verifier accepts by default, and the largest the encoder makes: 1 MiB (the AWS
 * SDKs sign 64 or 128 KiB chunks). A signed chunk's bytes are held until they verify, so this bounds the memory
 * one upload takes.
 */
export const MAX_CHUNK_SIZE = 1048576;

/** `;chunk-signature=` and 64 hex digits. */
const SIGNATURE_EXTENSION = 17 + 64;
/** `x-amz-trailer-signature:` and 64 hex digits. */
export const TRAILER_SIGNATURE_LINE: number = 24 + 64;

/** The length of a checksum as a trailer carries it: base64 of 4, 8, 20 or 32 bytes. */
export const checksumTextLength = (algorithm: ChecksumAlgorithm): number =>
  algorithm === 'SHA256' ? 44 : algorithm === 'SHA1' ? 28 : algorithm === 'CRC64NVME' ? 12 : 8;

/** The length of a chunk's header line, its CRLF included. */
export const chunkHeaderLength = (size: number, signed: boolean): number =>
  size.toString(16).length + (signed ? SIGNATURE_EXTENSION : 0) + 2;

/**
 * The length of an aws-chunked body: `decodedLength` bytes in chunks of `chunkSize` (the last one shorter), the
 * final chunk, a line for each trailing header (`trailerLines`: their lengths without CRLF, the trailer signature's
 * among them when it is signed), and the closing CRLF. Checked against the Rust SDK's and the Go SDK's lengths.
 */
export function encodedLength(
  decodedLength: number,
  chunkSize: number,
  signed: boolean,
  trailerLines: readonly number[],
): number {
  const whole = Math.floor(decodedLength / chunkSize);
  const rest = decodedLength - whole * chunkSize;
  let length = whole * (chunkHeaderLength(chunkSize, signed) + chunkSize + 2) + chunkHeaderLength(0, signed);
  if (rest > 0) length += chunkHeaderLength(rest, signed) + rest + 2;
  for (const line of trailerLines) length += line + 2;
  return length + 2;
}
