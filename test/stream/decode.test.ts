// The aws-chunked decoder on bodies real clients send and on broken ones: every fault is a SigV4Error with its
// code, raised at the byte that shows it (a source that then stalls still gets its answer), and nothing of a chunk
// is passed on before the chunk verified, nor anything after a fault. Bodies come from test/stream/reference.ts.

import { describe, expect, it } from 'vitest';
import { chunkSigningKey } from '../../src/stream/chunk-signature.js';
import { decodeAwsChunked, type DecodeParams } from '../../src/stream/decode.js';
import { createChecksum } from '../../src/index.js';
import { ACCESS_KEY_ID, AMZ_DATE, referenceBody, SCOPE, SECRET, type Mode } from './reference.js';
import { ascii, collect, concat, failure, repeat, streamOf, text } from './support.js';

const SEED = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
const KEY = chunkSigningKey(
  { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET },
  '20130524',
  'us-east-1',
  's3',
  false,
);
const SIGNED: Mode = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
const TRAILER: Mode = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
const UNSIGNED: Mode = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

const params = (payloadHash: Mode, more: Partial<DecodeParams> = {}): DecodeParams => ({
  payloadHash,
  key: payloadHash === UNSIGNED ? undefined : KEY,
  seedSignature: SEED,
  amzDate: AMZ_DATE,
  credentialScope: SCOPE,
  trailers: [],
  decodedLength: undefined,
  checksumHeaders: [],
  maxChunkSize: 1 << 20,
  ...more,
});
const crc32 = (data: Uint8Array): string => {
  const c = createChecksum('CRC32');
  c.update(data);
  return c.digest();
};
const data = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255);
const decode = (body: Uint8Array, p: DecodeParams, cuts: number[] = []) => decodeAwsChunked(streamOf(body, cuts), p);

/** A source that gives `bytes` and then neither ends nor errors: an answer must not wait for it. */
const stalling = (bytes: Uint8Array): ReadableStream<Uint8Array> => {
  let given = false;
  return new ReadableStream({
    pull(controller) {
      if (!given) controller.enqueue(bytes);
      given = true;
      return new Promise(() => {}); // never more
    },
  });
};

/** Replaces bytes of a copy of `body` at `at` with `text`. */
const patch = (body: Uint8Array, at: number, replacement: string): Uint8Array => {
  const out = body.slice();
  out.set(ascii(replacement), at);
  return out;
};

describe('aws-chunked bodies as real clients send them', () => {
  const payload = data(70000);

  it('signed chunks, the AWS SDKs form, in any pieces', async () => {
    const { body } = referenceBody({ mode: SIGNED, data: payload, chunkSize: 65536, seed: SEED });
    for (const cuts of [[], [1], [88, 89], [65624, 65625, 65626], Array.from({ length: 50 }, (_, i) => i * 1409)])
      expect(await collect(decode(body, params(SIGNED, { decodedLength: 70000 }), cuts))).toEqual(payload);
  });

  it('a signed trailer, AWS SDKs and minio-go (`name:value\\n\\r\\n`) forms, hex sizes in either case', async () => {
    const trailers = [['x-amz-checksum-crc32', crc32(payload)]] as const;
    for (const minio of [false, true]) {
      for (const upperHex of [false, true]) {
        const { body } = referenceBody({
          mode: TRAILER,
          data: payload,
          chunkSize: 8192,
          seed: SEED,
          trailers,
          minio,
          upperHex,
        });
        if (minio)
          expect(text(body)).toMatch(
            /x-amz-checksum-crc32:[^\r\n]+\n\r\nx-amz-trailer-signature:[0-9a-f]{64}\r\n\r\n$/,
          );
        const p = params(TRAILER, { trailers: ['x-amz-checksum-crc32'], decodedLength: 70000 });
        expect(await collect(decode(body, p, [body.length - 3, body.length - 70]))).toEqual(payload);
      }
    }
  });

  it('an unsigned trailer, AWS SDKs and minio-go forms', async () => {
    const trailers = [['x-amz-checksum-crc32', crc32(payload)]] as const;
    for (const minio of [false, true]) {
      const { body } = referenceBody({ mode: UNSIGNED, data: payload, chunkSize: 65536, seed: SEED, trailers, minio });
      if (minio) expect(text(body)).toMatch(/\r\n0\r\nx-amz-checksum-crc32:[^\r\n]+\n\r\n\r\n$/);
      const p = params(UNSIGNED, { trailers: ['x-amz-checksum-crc32'], decodedLength: 70000 });
      expect(await collect(decode(body, p, [3, 65540]))).toEqual(payload);
    }
  });

  it('minio-go with two trailers in a run of bare-LF lines', async () => {
    const trailers = [
      ['x-amz-checksum-crc32', crc32(payload)],
      ['x-amz-meta-note', 'kept'],
    ] as const;
    const { body } = referenceBody({
      mode: TRAILER,
      data: payload,
      chunkSize: 65536,
      seed: SEED,
      trailers,
      minio: true,
    });
    const p = params(TRAILER, { trailers: ['x-amz-checksum-crc32', 'x-amz-meta-note'] });
    expect(await collect(decode(body, p))).toEqual(payload);
  });

  it('zero-byte bodies: signed (minio-go sends this with transfer-encoding: chunked), signed trailer, unsigned', async () => {
    const empty = new Uint8Array(0);
    const signed = referenceBody({ mode: SIGNED, data: empty, seed: SEED });
    expect(text(signed.body)).toMatch(/^0;chunk-signature=[0-9a-f]{64}\r\n\r\n$/);
    expect(await collect(decode(signed.body, params(SIGNED, { decodedLength: 0 })))).toEqual(empty);
    const trailers = [['x-amz-checksum-crc32', 'AAAAAA==']] as const;
    const withTrailer = referenceBody({ mode: TRAILER, data: empty, seed: SEED, trailers });
    expect(
      await collect(
        decode(withTrailer.body, params(TRAILER, { trailers: ['x-amz-checksum-crc32'], decodedLength: 0 })),
      ),
    ).toEqual(empty);
    const unsigned = referenceBody({ mode: UNSIGNED, data: empty, seed: SEED, trailers });
    expect(text(unsigned.body)).toBe('0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n');
    expect(await collect(decode(unsigned.body, params(UNSIGNED, { trailers: ['x-amz-checksum-crc32'] })))).toEqual(
      empty,
    );
  });

  it('checks a checksum sent as a header (x-amz-checksum-*) too, and any algorithm', async () => {
    const { body } = referenceBody({ mode: SIGNED, data: payload, chunkSize: 65536, seed: SEED });
    for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const) {
      const c = createChecksum(algorithm);
      c.update(payload);
      const value = c.digest();
      expect(await collect(decode(body, params(SIGNED, { checksumHeaders: [[algorithm, value]] })))).toEqual(payload);
      const wrong = await failure(decode(body, params(SIGNED, { checksumHeaders: [[algorithm, crc32(ascii('x'))]] })));
      expect(wrong.code).toBe('ERR_SIGV4_CHECKSUM_MISMATCH');
      expect(wrong.message).toContain(
        `the x-amz-checksum-${algorithm.toLowerCase()} header expected the body's ${algorithm}, ${value}`,
      );
    }
  });
});

describe('faults: a typed error at the first bad byte, nothing of an unverified chunk passed on', () => {
  const payload = data(3 * 8192 + 100);
  const signed = referenceBody({ mode: SIGNED, data: payload, chunkSize: 8192, seed: SEED });
  const trailers = [['x-amz-checksum-crc32', crc32(payload)]] as const;
  const withTrailer = referenceBody({ mode: TRAILER, data: payload, chunkSize: 8192, seed: SEED, trailers });
  const unsigned = referenceBody({ mode: UNSIGNED, data: payload, chunkSize: 8192, seed: SEED, trailers });
  const trailerParams = params(TRAILER, { trailers: ['x-amz-checksum-crc32'], decodedLength: payload.length });
  const unsignedParams = params(UNSIGNED, { trailers: ['x-amz-checksum-crc32'], decodedLength: payload.length });
  /** The data of the chunks before chunk `n` (from 0). */
  const before = (n: number): Uint8Array => payload.subarray(0, 8192 * n);

  it('a truncated body, cut anywhere, fails as truncated, having passed on only whole verified chunks', async () => {
    const body = withTrailer.body;
    const cuts = [
      0,
      1,
      50,
      89,
      90,
      8000,
      8281,
      8282,
      8283,
      8284,
      20000,
      withTrailer.trailerStart,
      withTrailer.trailerStart + 5,
      body.length - 2,
      body.length - 1,
    ];
    for (const cut of cuts) {
      const f = await failure(decode(body.subarray(0, cut), trailerParams, [cut >> 1]));
      expect(f.code, `cut at ${cut}`).toBe('ERR_SIGV4_CHUNK_FRAMING');
      expect(f.message).toMatch(/^the body ended .*: truncated$/);
      // Chunk i is whole once the CRLF after its data came, where chunk i + 1 starts.
      const released = withTrailer.chunkData.slice(0, -1).filter((_, i) => withTrailer.chunkStarts[i + 1]! <= cut);
      expect(f.before, `cut at ${cut}`).toEqual(concat(...released));
    }
    const empty = await failure(decode(new Uint8Array(0), trailerParams));
    expect(empty.message).toBe("the body ended in chunk 1's header, before the final chunk: truncated");
  });

  it('a missing final chunk', async () => {
    const f = await failure(decode(signed.body.subarray(0, signed.chunkStarts.at(-1)), params(SIGNED)));
    expect(f).toMatchObject({
      code: 'ERR_SIGV4_CHUNK_FRAMING',
      message: 'the body ended after chunk 4, before the final chunk: truncated',
    });
    expect(f.before).toEqual(payload);
  });

  it('bad hex sizes', async () => {
    const start = signed.chunkStarts[1]!; // "2000;chunk-signature=…"
    for (const [bad, shown] of [
      ['200g', '"200g;chunk-signature=…"'],
      ['-200', '"-200;chunk-signature=…"'],
      [' 200', '" 200;chunk-signature=…"'],
      ['0x20', '"0x20;chunk-signature=…"'],
    ]) {
      const f = await failure(decode(patch(signed.body, start, bad!), params(SIGNED)));
      expect(f.code).toBe('ERR_SIGV4_CHUNK_FRAMING');
      expect(f.message).toBe(
        `chunk 2's header expected <hex size>;chunk-signature=<64 lowercase hex digits>, got ${shown}`,
      );
      expect(f.before).toEqual(before(1));
    }
    const unsignedStart = unsigned.chunkStarts[1]!;
    const f = await failure(decode(patch(unsigned.body, unsignedStart, '2z00'), unsignedParams));
    expect(f.message).toBe(`chunk 2's header expected <hex size>, got "2z00"`);
    const tooMany = await failure(
      decode(ascii(`${'0'.repeat(16)}1;chunk-signature=${'a'.repeat(64)}\r\n`), params(SIGNED)),
    );
    expect(tooMany.message).toBe("chunk 1's header expected a size of at most 16 hex digits, got more");
  });

  it('an oversized chunk header line fails at its 128th byte, without waiting for its end', async () => {
    const f = await failure(decodeAwsChunked(stalling(repeat('f', 500)), params(SIGNED)));
    expect(f).toMatchObject({
      code: 'ERR_SIGV4_CHUNK_FRAMING',
      message: "chunk 1's header expected a line of at most 128 bytes with its CRLF, got more than 127 without a LF",
    });
    const trailerLine = concat(withTrailer.body.subarray(0, withTrailer.trailerStart), repeat('x', 2000));
    const t = await failure(decodeAwsChunked(stalling(trailerLine), trailerParams));
    expect(t.message).toBe(
      'the trailer expected a line of at most 1024 bytes with its CRLF, got more than 1023 without a LF',
    );
    expect(t.before).toEqual(payload);
  });

  it('a chunk over maxChunkSize, or over the decoded length, fails at its header', async () => {
    const big = await failure(
      decodeAwsChunked(stalling(signed.body.subarray(0, 100)), params(SIGNED, { maxChunkSize: 8191 })),
    );
    expect(big).toMatchObject({
      code: 'ERR_SIGV4_CHUNK_FRAMING',
      message: 'chunk 1 expected at most 8191 bytes (maxChunkSize), got a size of 8192',
    });
    const long = await failure(
      decodeAwsChunked(
        stalling(signed.body.subarray(0, signed.chunkStarts[2]! + 90)),
        params(SIGNED, { decodedLength: 10000 }),
      ),
    );
    expect(long).toMatchObject({
      code: 'ERR_SIGV4_LENGTH_MISMATCH',
      message: 'the body expected 10000 bytes (x-amz-decoded-content-length), got more: chunk 2 brings 8192 to 16384',
    });
    expect(long.before).toEqual(before(1));
    const short = await failure(decode(signed.body, params(SIGNED, { decodedLength: payload.length + 1 })));
    expect(short).toMatchObject({
      code: 'ERR_SIGV4_LENGTH_MISMATCH',
      message: `the body expected ${payload.length + 1} bytes (x-amz-decoded-content-length), got ${payload.length} before the final chunk`,
    });
    // Unsigned data goes on as it arrives: what came in an earlier piece than the fault has gone on.
    const unsignedLong = await failure(
      decode(unsigned.body, params(UNSIGNED, { ...unsignedParams, decodedLength: 8192 }), [unsigned.chunkStarts[1]!]),
    );
    expect(unsignedLong.code).toBe('ERR_SIGV4_LENGTH_MISMATCH');
    expect(unsignedLong.before).toEqual(before(1));
  });

  it('a tampered chunk, a reordered chunk, a tampered or swapped signature: ERR_SIGV4_CHUNK_SIGNATURE', async () => {
    const body = signed.body;
    const [c0, c1, c2] = signed.chunkStarts as [number, number, number];
    const tampered = body.slice();
    tampered[c1 + 90 + 10]! ^= 1; // a data byte of chunk 2
    let f = await failure(decodeAwsChunked(stalling(tampered.subarray(0, c2)), params(SIGNED)));
    expect(f).toMatchObject({
      code: 'ERR_SIGV4_CHUNK_SIGNATURE',
      message: "chunk 2's signature does not match its 8192 bytes (altered, reordered or signed with another key)",
    });
    expect(f.before).toEqual(before(1));
    const reordered = concat(body.subarray(c0, c0), body.subarray(c1, c2), body.subarray(c0, c1), body.subarray(c2));
    f = await failure(decode(reordered, params(SIGNED)));
    expect(f.code).toBe('ERR_SIGV4_CHUNK_SIGNATURE');
    expect(f.before).toHaveLength(0);
    const signature = patch(body, c1 + 5 + 17, '0');
    f = await failure(decode(signature, params(SIGNED)));
    expect(f.code).toBe('ERR_SIGV4_CHUNK_SIGNATURE');
    const final = signed.chunkStarts.at(-1)!;
    f = await failure(decode(patch(body, final + 2 + 17, body[final + 19] === 48 ? '1' : '0'), params(SIGNED)));
    expect(f).toMatchObject({
      code: 'ERR_SIGV4_CHUNK_SIGNATURE',
      message: "chunk 5's signature does not match its 0 bytes (altered, reordered or signed with another key)",
    });
    expect(f.before).toEqual(payload);
    // Another seed: the first chunk fails.
    f = await failure(decode(body, params(SIGNED, { seedSignature: '0'.repeat(64) })));
    expect(f.code).toBe('ERR_SIGV4_CHUNK_SIGNATURE');
    expect(f.before).toHaveLength(0);
  });

  it('missing CRLF after a chunk, a bare LF ending a chunk header', async () => {
    const c1 = signed.chunkStarts[1]!;
    let f = await failure(decode(patch(signed.body, c1 - 2, 'x'), params(SIGNED)));
    expect(f).toMatchObject({
      code: 'ERR_SIGV4_CHUNK_FRAMING',
      message: 'chunk 1 expected CRLF after its 8192 bytes of data, got the byte 0x78',
    });
    expect(f.before).toHaveLength(0);
    const cr = c1 + 4 + 17 + 64; // "2000;chunk-signature=<64>" then CR
    expect(signed.body[cr]).toBe(13);
    f = await failure(decode(concat(signed.body.subarray(0, cr), signed.body.subarray(cr + 1)), params(SIGNED)));
    expect(f.message).toBe("chunk 2's header expected to end in CRLF, got a bare LF");
    expect(f.before).toEqual(before(1));
  });

  it('the wrong chunk header for the payload hash', async () => {
    let f = await failure(decode(signed.body, unsignedParams));
    expect(f.message).toBe(`chunk 1's header expected <hex size>, got "2000;chunk-signature=…"`);
    f = await failure(decode(unsigned.body, params(SIGNED)));
    expect(f.message).toBe(
      `chunk 1's header expected <hex size>;chunk-signature=<64 lowercase hex digits>, got "2000"`,
    );
  });

  it('trailers: not announced, announced but missing, repeated, unsigned in a signed body, a signature where none belongs', async () => {
    let f = await failure(decode(withTrailer.body, params(TRAILER, { trailers: [] })));
    expect(f).toMatchObject({
      code: 'ERR_SIGV4_CHUNK_FRAMING',
      message:
        'the trailer "x-amz-checksum-crc32" expected to be announced in x-amz-trailer (none is), got it unannounced',
    });
    expect(f.before).toEqual(payload);
    f = await failure(decode(withTrailer.body, params(TRAILER, { trailers: ['x-amz-checksum-crc32c'] })));
    expect(f.message).toBe(
      'the trailer "x-amz-checksum-crc32" expected to be announced in x-amz-trailer (x-amz-checksum-crc32c are), got it unannounced',
    );
    const announced = params(TRAILER, { trailers: ['x-amz-checksum-crc32', 'x-amz-checksum-sha1'] });
    f = await failure(decode(withTrailer.body, announced));
    expect(f).toMatchObject({
      code: 'ERR_SIGV4_CHUNK_FRAMING',
      message: 'the trailer expected x-amz-checksum-sha1 (announced in x-amz-trailer), got none',
    });
    const twice = referenceBody({
      mode: UNSIGNED,
      data: payload,
      chunkSize: 8192,
      seed: SEED,
      trailers: [...trailers, ...trailers],
    });
    f = await failure(decode(twice.body, unsignedParams));
    expect(f.message).toBe('the trailer expected one x-amz-checksum-crc32, got more than one');
    const inSigned = referenceBody({ mode: SIGNED, data: payload, chunkSize: 8192, seed: SEED, trailers });
    f = await failure(decode(inSigned.body, params(SIGNED, { trailers: ['x-amz-checksum-crc32'] })));
    expect(f.message).toBe(
      `the body expected no trailer with x-amz-content-sha256 STREAMING-AWS4-HMAC-SHA256-PAYLOAD, got "x-amz-checksum-crc32:${crc32(payload)}"`,
    );
    const signedTrailerInUnsigned = concat(
      unsigned.body.subarray(0, unsigned.body.length - 2),
      ascii(`x-amz-trailer-signature:${'a'.repeat(64)}\r\n\r\n`),
    );
    f = await failure(decode(signedTrailerInUnsigned, unsignedParams));
    expect(f.message).toBe(
      'the trailer expected no x-amz-trailer-signature with x-amz-content-sha256 STREAMING-UNSIGNED-PAYLOAD-TRAILER, got one',
    );
    const noSignature = concat(
      withTrailer.body.subarray(0, withTrailer.trailerStart),
      ascii(`x-amz-checksum-crc32:${crc32(payload)}\r\n\r\n`),
    );
    f = await failure(decode(noSignature, trailerParams));
    expect(f.message).toBe(
      'the trailer expected an x-amz-trailer-signature line (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER), got none',
    );
    const value = crc32(payload);
    for (const [line, shown] of [
      [`x-amz-checksum-crc32: ${value}`, `"x-amz-checksum-crc32: ${value}"`],
      [`x-amz-checksum-crc32:${value} `, `"x-amz-checksum-crc32:${value} "`],
      [`x-amz-checksum-crc32:${value}\t`, `"x-amz-checksum-crc32:${value}\\t"`],
      [`x-amz-checksum crc32:${value}`, `"x-amz-checksum crc32:${value}"`],
    ]) {
      f = await failure(
        decode(concat(unsigned.body.subarray(0, unsigned.trailerStart), ascii(`${line}\r\n\r\n`)), unsignedParams),
      );
      expect(f.message).toBe(`the trailer expected lines of the form name:value, got ${shown}`);
    }
    // minio-go's bare-LF lines are closed by an empty CRLF line, not by a line of another form.
    const mixed = concat(
      withTrailer.body.subarray(0, withTrailer.trailerStart),
      ascii(`x-amz-checksum-crc32:${value}\nx-amz-trailer-signature:${'a'.repeat(64)}\r\n`),
    );
    f = await failure(decodeAwsChunked(stalling(mixed), trailerParams));
    expect(f.message).toBe(
      'the trailer expected an empty line (CRLF) after lines ending in a bare LF, got "x-amz-trailer-signature:…"',
    );
    const bareEnd = concat(
      unsigned.body.subarray(0, unsigned.trailerStart),
      ascii(`x-amz-checksum-crc32:${value}\r\n\n`),
    );
    f = await failure(decode(bareEnd, unsignedParams));
    expect(f.message).toBe('the trailer expected lines ending in CRLF, got an empty line ending in a bare LF');
    const malformed = concat(unsigned.body.subarray(0, unsigned.trailerStart), ascii('no colon here\r\n\r\n'));
    f = await failure(decode(malformed, unsignedParams));
    expect(f.message).toBe('the trailer expected lines of the form name:value, got "no colon here"');
  });

  it('a tampered trailer, a trailer signature that does not match, a checksum that does not match', async () => {
    const at = withTrailer.trailerStart + 'x-amz-checksum-crc32:'.length;
    let f = await failure(decode(patch(withTrailer.body, at, 'A'), trailerParams));
    expect(f).toMatchObject({
      code: 'ERR_SIGV4_CHUNK_SIGNATURE',
      message: 'the trailer signature does not match the trailing headers',
    });
    expect(f.before).toEqual(payload);
    const sigAt = withTrailer.body.length - 4 - 1;
    f = await failure(
      decode(patch(withTrailer.body, sigAt, withTrailer.body[sigAt] === 48 ? '1' : '0'), trailerParams),
    );
    expect(f.code).toBe('ERR_SIGV4_CHUNK_SIGNATURE');
    // Unsigned: only the checksum covers the data.
    const wrongData = unsigned.body.slice();
    wrongData[unsigned.chunkStarts[2]! + 6 + 5]! ^= 0x40;
    f = await failure(decode(wrongData, unsignedParams));
    expect(f).toMatchObject({
      code: 'ERR_SIGV4_CHECKSUM_MISMATCH',
      message: expect.stringMatching(/^the x-amz-checksum-crc32 trailer expected the body's CRC32, \S+, got "\S+"$/),
    });
    const wrongTrailer = referenceBody({
      mode: TRAILER,
      data: payload,
      chunkSize: 8192,
      seed: SEED,
      trailers: [['x-amz-checksum-crc32', 'AAAAAA==']],
    });
    f = await failure(decode(wrongTrailer.body, trailerParams));
    expect(f).toMatchObject({
      code: 'ERR_SIGV4_CHECKSUM_MISMATCH',
      message: `the x-amz-checksum-crc32 trailer expected the body's CRC32, ${crc32(payload)}, got "AAAAAA=="`,
    });
  });

  it('extra bytes after the trailer, in the same piece or a later one', async () => {
    for (const extra of ['x', '\r\n', '0\r\n\r\n']) {
      const body = concat(withTrailer.body, ascii(extra));
      for (const cuts of [[], [withTrailer.body.length]]) {
        const f = await failure(decode(body, trailerParams, cuts));
        expect(f).toMatchObject({
          code: 'ERR_SIGV4_CHUNK_FRAMING',
          message: `the body expected to end after the trailer, got ${extra.length} more bytes`,
        });
      }
    }
  });
});

describe('the source and the consumer', () => {
  const payload = data(5 * 8192);
  const { body, chunkStarts } = referenceBody({ mode: SIGNED, data: payload, chunkSize: 8192, seed: SEED });

  it('a source that errors: the body errors with that error, after the chunks that verified', async () => {
    const boom = new Error('connection reset');
    let given = false;
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (given) return controller.error(boom);
        given = true;
        controller.enqueue(body.slice(0, chunkStarts[2]! + 100));
      },
    });
    const reader = decodeAwsChunked(source, params(SIGNED)).getReader();
    const parts: Uint8Array[] = [];
    const error = await (async () => {
      for (;;) {
        try {
          const { done, value } = await reader.read();
          if (done) return undefined;
          parts.push(value);
        } catch (e) {
          return e;
        }
      }
    })();
    expect(error).toBe(boom);
    expect(concat(...parts)).toEqual(payload.subarray(0, 2 * 8192));
    await expect(reader.read()).rejects.toBe(boom);
  });

  it('a consumer that cancels: the source is cancelled with its reason, no unhandled rejection, no hang', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      for (const cancelAfter of [0, 1, 3]) {
        let cancelled: unknown = 'not cancelled';
        let offset = 0;
        const source = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (offset >= body.length) return controller.close();
            controller.enqueue(body.slice(offset, offset + 3000));
            offset += 3000;
          },
          cancel(reason) {
            cancelled = reason;
          },
        });
        const stream = decodeAwsChunked(source, params(SIGNED));
        const reader = stream.getReader();
        for (let i = 0; i < cancelAfter; i++) expect((await reader.read()).done).toBe(false);
        const pending = cancelAfter === 3 ? reader.read() : undefined; // a read in flight when it is cancelled
        await reader.cancel('client went away');
        expect(cancelled).toBe('client went away');
        if (pending) expect((await pending).done).toBe(true);
        expect(await reader.read()).toEqual({ done: true, value: undefined });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('after a fault, the source is left unlocked and unread', async () => {
    const tampered = body.slice();
    tampered[100]! ^= 1;
    const source = streamOf(tampered, [9000, 20000]);
    const f = await failure(decodeAwsChunked(source, params(SIGNED)));
    expect(f.code).toBe('ERR_SIGV4_CHUNK_SIGNATURE');
    expect(source.locked).toBe(false);
    const rest = await collect(source);
    expect(rest).toEqual(tampered.subarray(9000));
  });

  it('a part that is not a Uint8Array is a TypeError', async () => {
    const source = new ReadableStream({
      start(c) {
        c.enqueue('text' as unknown as Uint8Array);
        c.close();
      },
    });
    const error = await collect(decodeAwsChunked(source, params(SIGNED))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({
      message: '"body" expected a stream of Uint8Array, got "text"',
      code: 'ERR_SIGV4_INVALID_OPTION',
    });
  });

  it('passes on each verified chunk when it is asked for it, holding at most one chunk', async () => {
    // A source that counts what it was asked for: the decoder reads ahead by at most the chunk being verified.
    let read = 0;
    let offset = 0;
    const source = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (offset >= body.length) return controller.close();
          const part = body.slice(offset, offset + 1000);
          offset += part.length;
          read += part.length;
          controller.enqueue(part);
        },
      },
      { highWaterMark: 0 },
    );
    const reader = decodeAwsChunked(source, params(SIGNED)).getReader();
    const first = await reader.read();
    expect(first.value).toEqual(payload.subarray(0, 8192));
    expect(read).toBeLessThanOrEqual(chunkStarts[1]! + 1000);
    await reader.cancel();
  });
});
