// An aws-chunked encoder written for the tests with node:crypto, apart from src/ (it shares nothing with
// src/stream/encode.ts), in the forms real clients send: the AWS SDKs' (`name:value\r\n` trailers) and minio-go's
// (`name:value\n\r\n`), hex sizes in lower or upper case. The decoder's tests feed it bodies made here.

import { createHash } from 'node:crypto';
import { hmacHex, sha256Hex, signingKey } from '../support/reference.js';
import { ascii, concat } from './support.js';

export const AMZ_DATE = '20130524T000000Z';
export const SCOPE = '20130524/us-east-1/s3/aws4_request';
export const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const KEY = signingKey(SECRET, '20130524', 'us-east-1', 's3');

export type Mode =
  | 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD'
  | 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER'
  | 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

export interface ReferenceOptions {
  readonly mode: Mode;
  readonly data: Uint8Array;
  /** The data per chunk, in order (the last may be shorter); default one chunk of everything. */
  readonly chunkSize?: number;
  readonly seed: string;
  /** Trailing headers, as sent. */
  readonly trailers?: readonly (readonly [string, string])[];
  /** minio-go's form: trailer lines end in `\n`, then `\r\n` (and, unsigned, the closing `\r\n`). */
  readonly minio?: boolean;
  readonly upperHex?: boolean;
}

export interface Reference {
  readonly body: Uint8Array;
  /** The byte offset where each chunk (its header) starts, and where the trailer starts (after the final chunk's header). */
  readonly chunkStarts: number[];
  readonly trailerStart: number;
  /** The data bytes of each chunk, the final one's empty. */
  readonly chunkData: Uint8Array[];
}

const chunkSignature = (previous: string, data: Uint8Array): string =>
  hmacHex(KEY, `AWS4-HMAC-SHA256-PAYLOAD\n${AMZ_DATE}\n${SCOPE}\n${previous}\n${sha256Hex('')}\n${sha256Hex(data)}`);

/** An aws-chunked body of `data`, signed (or not) with the example credentials at 20130524T000000Z. */
export function referenceBody(o: ReferenceOptions): Reference {
  const signed = o.mode !== 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
  const size = o.chunkSize ?? Math.max(o.data.length, 1);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < o.data.length; at += size) chunks.push(o.data.subarray(at, at + size));
  chunks.push(new Uint8Array(0));
  const parts: Uint8Array[] = [];
  const chunkStarts: number[] = [];
  let length = 0;
  const push = (p: Uint8Array): void => {
    parts.push(p);
    length += p.length;
  };
  let previous = o.seed;
  for (const chunk of chunks) {
    chunkStarts.push(length);
    let hex = chunk.length.toString(16);
    if (o.upperHex) hex = hex.toUpperCase();
    if (signed) {
      previous = chunkSignature(previous, chunk);
      push(ascii(`${hex};chunk-signature=${previous}\r\n`));
    } else push(ascii(`${hex}\r\n`));
    if (chunk.length > 0) push(concat(chunk, ascii('\r\n')));
  }
  const trailerStart = length;
  const trailers = o.trailers ?? [];
  const eol = o.minio ? '\n' : '\r\n';
  let trailer = trailers.map(([n, v]) => `${n}:${v}${eol}`).join('');
  if (o.minio && trailers.length > 0) trailer += '\r\n';
  if (o.mode === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER') {
    const canonical = [...trailers]
      .map(([n, v]) => `${n.toLowerCase()}:${v.trim()}\n`)
      .sort()
      .join('');
    const hash = createHash('sha256').update(canonical).digest('hex');
    trailer += `x-amz-trailer-signature:${hmacHex(KEY, `AWS4-HMAC-SHA256-TRAILER\n${AMZ_DATE}\n${SCOPE}\n${previous}\n${hash}`)}\r\n`;
  }
  push(ascii(`${trailer}\r\n`));
  return { body: concat(...parts), chunkStarts, trailerStart, chunkData: chunks };
}
