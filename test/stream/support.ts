// Helpers of the streaming tests: bodies as streams (cut where a test says), streams read to the end, the error a
// stream ends with, and the S3 streaming vectors (s3-streaming.json) with their bodies rebuilt from the frames.

import { isSigV4Error } from '../../src/index.js';
import { exists, read, VECTORS_PRESENT } from '../support/vectors.js';

export const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
export const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
export const repeat = (byte: string, count: number): Uint8Array => new Uint8Array(count).fill(byte.charCodeAt(0));

/** A stream of `bytes`, cut at the given offsets (sorted, within the bytes), each part a fresh copy. */
export function streamOf(bytes: Uint8Array, cuts: readonly number[] = []): ReadableStream<Uint8Array> {
  const points = [0, ...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length];
  const parts: Uint8Array[] = [];
  for (let i = 1; i < points.length; i++)
    if (points[i]! > points[i - 1]!) parts.push(bytes.slice(points[i - 1], points[i]));
  return new ReadableStream({
    pull(controller) {
      const next = parts.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(next);
    },
  });
}

/** Every byte of a stream. */
export async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return concat(...parts);
    parts.push(value);
  }
}

/** Reads a stream to its end and returns the SigV4Error it errored with (failing if it closed, or erred otherwise), and the bytes it passed on before. */
export async function failure(
  stream: ReadableStream<Uint8Array>,
): Promise<{ code: string; message: string; before: Uint8Array }> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`expected the stream to error, but it closed after ${concat(...parts).length} bytes`);
      parts.push(value);
    }
  } catch (error) {
    if (!isSigV4Error(error)) throw error;
    return { code: error.code, message: error.message, before: concat(...parts) };
  }
}

// ------------------------------------------------------------------------------------------- the vectors

export const STREAMING_PRESENT = VECTORS_PRESENT && exists('s3-streaming.json') && exists('s3-docs.json');

export type Frame =
  { bytes: string } | { bytes_before: string; data: { byte: string; count: number }; bytes_after: string };

export interface StreamingExample {
  id: string;
  inputs: Record<string, unknown> & {
    access_key_id?: string;
    secret_access_key?: string;
    region?: string;
    service?: string;
    timestamp?: string;
    method?: string;
    host?: string;
    request_target?: string;
    headers?: [string, string][];
    signed_headers?: string[];
    chunk_size?: number;
    trailing_headers?: [string, string][];
  };
  expected: Record<string, any>;
  derived_by_collector?: Record<string, any>;
}

export const streamingExamples = (): StreamingExample[] =>
  STREAMING_PRESENT ? (JSON.parse(read('s3-streaming.json')) as { examples: StreamingExample[] }).examples : [];
export const docExamples = (): StreamingExample[] =>
  STREAMING_PRESENT ? (JSON.parse(read('s3-docs.json')) as { examples: StreamingExample[] }).examples : [];

/** The body a recording's frames hold. */
export const framesBody = (frames: readonly Frame[]): Uint8Array =>
  concat(
    ...frames.map((f) =>
      'data' in f
        ? concat(ascii(f.bytes_before), repeat(f.data.byte, f.data.count), ascii(f.bytes_after))
        : ascii(f.bytes),
    ),
  );

/** "66560 bytes of 'a' (0x61)" or "65536 x 'a'" as bytes. */
export function described(payload: string): Uint8Array {
  const m = /^(\d+) (?:bytes of|x) '(.)'/.exec(payload);
  if (m === null) throw new Error(`cannot read the payload ${JSON.stringify(payload)}`);
  return repeat(m[2]!, Number(m[1]));
}
