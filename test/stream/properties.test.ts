// Properties of aws-chunked (fast-check, pinned seeds and run counts): whatever the body, the chunk size, the mode,
// the checksum and the pieces the encoded body arrives in, encoding then decoding gives the body back; and any one
// byte of an encoded body changed is refused, unless the change is a letter's case in a hex size or a trailer
// name (HTTP reads those without regard to case), when the body decodes unchanged.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  awsChunkedHeaders,
  createAwsChunkedEncoder,
  createChecksum,
  isSigV4Error,
  signRequest,
  verifyRequest,
  type ChecksumAlgorithm,
  type StreamingPayloadHash,
} from '../../src/index.js';
import { checksumHeaderName } from '../../src/stream/checksum.js';
import { chunkSigningKey } from '../../src/stream/chunk-signature.js';
import { decodeAwsChunked, type DecodeParams } from '../../src/stream/decode.js';
import { encodeAwsChunked } from '../../src/stream/encode.js';
import {
  ACCESS_KEY_ID,
  AMZ_DATE as REFERENCE_DATE,
  referenceBody,
  SCOPE as REFERENCE_SCOPE,
  SECRET,
} from './reference.js';
import { collect, streamOf } from './support.js';

const SEED_REFERENCE = 'b'.repeat(64);
/** The decoder's parameters for a body made by test/stream/reference.ts. */
const referenceParams = (mode: StreamingPayloadHash): DecodeParams => ({
  payloadHash: mode,
  key:
    mode === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER'
      ? undefined
      : chunkSigningKey({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET }, '20130524', 'us-east-1', 's3', false),
  seedSignature: SEED_REFERENCE,
  amzDate: REFERENCE_DATE,
  credentialScope: REFERENCE_SCOPE,
  trailers: [],
  decodedLength: undefined,
  checksumHeaders: [],
  maxChunkSize: 1 << 20,
});

const credentials = { accessKeyId: 'AKIDPROPERTY', secretAccessKey: 'property/secret' };
const AMZ_DATE = '20240229T235959Z';
const SCOPE = '20240229/eu-west-1/s3/aws4_request';
const KEY = chunkSigningKey(credentials, '20240229', 'eu-west-1', 's3', false);
const SEED = 'a'.repeat(64);
const MODES: readonly StreamingPayloadHash[] = [
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
];
const ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

interface Case {
  readonly mode: StreamingPayloadHash;
  readonly checksum: ChecksumAlgorithm | undefined;
  readonly body: Uint8Array;
  readonly chunkSize: number;
  /** Where the body is cut on its way into the encoder, and the encoded body on its way into the decoder. */
  readonly inCuts: number[];
  readonly outCuts: number[];
}

const caseArb = (maxBody: number, chunkSizes: fc.Arbitrary<number>): fc.Arbitrary<Case> =>
  fc
    .record({
      mode: fc.constantFrom(...MODES),
      checksum: fc.option(fc.constantFrom(...ALGORITHMS), { nil: undefined }),
      body: fc.uint8Array({ maxLength: maxBody }),
      chunkSize: chunkSizes,
      inCuts: fc.array(fc.nat({ max: maxBody }), { maxLength: 6 }),
      outCuts: fc.array(fc.nat({ max: maxBody * 2 + 400 }), { maxLength: 12 }),
    })
    .map((c) => ({ ...c, checksum: c.mode === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' ? undefined : c.checksum }));

const encode = (c: Case): Promise<Uint8Array> =>
  collect(
    streamOf(c.body, c.inCuts).pipeThrough(
      encodeAwsChunked({
        payloadHash: c.mode,
        key: c.mode === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' ? undefined : KEY,
        seedSignature: SEED,
        amzDate: AMZ_DATE,
        credentialScope: SCOPE,
        chunkSize: c.chunkSize,
        checksum: c.checksum,
        decodedLength: c.body.length,
      }),
    ),
  );

const paramsOf = (c: Case): DecodeParams => ({
  payloadHash: c.mode,
  key: c.mode === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' ? undefined : KEY,
  seedSignature: SEED,
  amzDate: AMZ_DATE,
  credentialScope: SCOPE,
  trailers: c.checksum === undefined ? [] : [checksumHeaderName(c.checksum)],
  decodedLength: c.body.length,
  checksumHeaders: [],
  maxChunkSize: c.chunkSize,
});

/** The offsets of letters whose case HTTP ignores here: in the hex size of each chunk header, in each trailer name. */
function caseFreeLetters(encoded: Uint8Array): Set<number> {
  const free = new Set<number>();
  const isLetter = (b: number): boolean => (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a;
  let at = 0;
  for (;;) {
    let size = 0;
    for (; encoded[at] !== 0x3b && encoded[at] !== 0x0d; at++) {
      if (isLetter(encoded[at]!)) free.add(at);
      size = size * 16 + parseInt(String.fromCharCode(encoded[at]!), 16);
    }
    at = encoded.indexOf(0x0a, at) + 1;
    if (size === 0) break;
    at += size + 2;
  }
  // The trailer: a name before each ':'.
  for (let line = at; line < encoded.length; line = encoded.indexOf(0x0a, line) + 1) {
    for (let i = line; encoded[i] !== 0x3a && encoded[i] !== 0x0d; i++) if (isLetter(encoded[i]!)) free.add(i);
  }
  return free;
}

describe('aws-chunked properties', () => {
  it('encode then decode gives the body back, in any pieces, in every mode, with every checksum', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb(3000, fc.integer({ min: 1, max: 700 })), async (c) => {
        const encoded = await encode(c);
        expect(await collect(decodeAwsChunked(streamOf(encoded, c.outCuts), paramsOf(c)))).toEqual(c.body);
      }),
      { seed: 0x15a1, numRuns: 300 },
    );
  });

  it('the public path: awsChunkedHeaders, signRequest, createAwsChunkedEncoder, verifyRequest', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb(40_000, fc.integer({ min: 8192, max: 20_000 })), async (c) => {
        const headers = awsChunkedHeaders({
          payloadHash: c.mode,
          decodedLength: c.body.length,
          chunkSize: c.chunkSize,
          ...(c.checksum === undefined ? {} : { checksumAlgorithm: c.checksum }),
        });
        const signed = await signRequest({
          url: 'https://bucket.s3.eu-west-1.amazonaws.com/a%20key',
          method: 'PUT',
          service: 's3',
          region: 'eu-west-1',
          credentials,
          signingDate: '2024-02-29T23:59:59Z',
          headers,
        });
        const encoded = await collect(
          streamOf(c.body, c.inCuts).pipeThrough(
            createAwsChunkedEncoder({ signed, credentials, chunkSize: c.chunkSize }),
          ),
        );
        expect(String(encoded.length)).toBe(headers['content-length']);
        const verified = await verifyRequest({
          url: signed.url,
          method: 'PUT',
          headers: signed.headers,
          body: streamOf(encoded, c.outCuts),
          service: 's3',
          region: 'eu-west-1',
          getCredentials: () => credentials,
          now: Date.parse('2024-02-29T23:59:59Z'),
        });
        expect(await collect(verified.body!)).toEqual(c.body);
      }),
      { seed: 0x15a2, numRuns: 60 },
    );
  });

  it('any one byte changed is refused with a SigV4Error, or is a case change HTTP ignores', async () => {
    // Unsigned chunks without a checksum carry nothing that could tell: left out.
    const covered = caseArb(1500, fc.integer({ min: 1, max: 400 })).filter(
      (c) => c.mode !== 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' || c.checksum !== undefined,
    );
    await fc.assert(
      fc.asyncProperty(covered, fc.nat(), fc.integer({ min: 1, max: 255 }), async (c, where, xor) => {
        const encoded = await encode(c);
        const at = where % encoded.length;
        const changed = encoded.slice();
        changed[at]! ^= xor;
        const result = await collect(decodeAwsChunked(streamOf(changed, c.outCuts), paramsOf(c))).then(
          (decoded) => ({ decoded }),
          (error: unknown) => ({ error }),
        );
        if ('error' in result) {
          expect(isSigV4Error(result.error), String(result.error)).toBe(true);
          expect([
            'ERR_SIGV4_CHUNK_SIGNATURE',
            'ERR_SIGV4_CHUNK_FRAMING',
            'ERR_SIGV4_CHECKSUM_MISMATCH',
            'ERR_SIGV4_LENGTH_MISMATCH',
          ]).toContain((result.error as { code: string }).code);
        } else {
          expect({ at, xor, caseFree: caseFreeLetters(encoded).has(at) }).toEqual({ at, xor: 0x20, caseFree: true });
          expect(result.decoded).toEqual(c.body);
        }
      }),
      { seed: 0x15a3, numRuns: 1500 },
    );
  });

  it('every byte of small bodies, AWS and minio-go forms, replaced by each byte that means something in the framing', async () => {
    // The random flips above rarely land on a framing byte with a framing value: here every position gets each.
    const data = Uint8Array.from({ length: 21 }, (_, i) => 97 + i);
    const crc = createChecksum('CRC32C');
    crc.update(data);
    const trailers = [['x-amz-checksum-crc32c', crc.digest()]] as const;
    const bodies: [string, Uint8Array, DecodeParams][] = [];
    for (const mode of MODES) {
      const checksum = mode === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' ? undefined : ('CRC32C' as const);
      const c: Case = { mode, checksum, body: data, chunkSize: 8, inCuts: [], outCuts: [] };
      bodies.push([`${mode} (this encoder)`, await encode(c), paramsOf(c)]);
      if (checksum !== undefined) {
        const minio = referenceBody({ mode, data, chunkSize: 8, seed: SEED_REFERENCE, trailers, minio: true });
        bodies.push([
          `${mode} (minio-go)`,
          minio.body,
          { ...referenceParams(mode), trailers: ['x-amz-checksum-crc32c'], decodedLength: 21 },
        ]);
      }
    }
    const values = [...' \t\r\n:;=0aAfF-'].map((ch) => ch.charCodeAt(0));
    for (const [name, encoded, params] of bodies) {
      expect(await collect(decodeAwsChunked(streamOf(encoded), params)), name).toEqual(data);
      const free = caseFreeLetters(encoded);
      for (let at = 0; at < encoded.length; at++) {
        for (const value of [...values, encoded[at]! ^ 0x20, encoded[at]! ^ 1]) {
          if (value === encoded[at]) continue;
          const changed = encoded.slice();
          changed[at] = value;
          const outcome = await collect(decodeAwsChunked(streamOf(changed), params)).then(
            (decoded) =>
              free.has(at) && (value ^ encoded[at]!) === 0x20 && equal(decoded, data) ? 'case' : 'accepted',
            (error: unknown) => (isSigV4Error(error) ? 'refused' : String(error)),
          );
          if (outcome !== 'refused' && outcome !== 'case')
            expect.fail(
              `${name}: byte ${at} (${JSON.stringify(String.fromCharCode(encoded[at]!))}) as ${JSON.stringify(String.fromCharCode(value))}: ${outcome}`,
            );
        }
      }
    }
  });
});

const equal = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
