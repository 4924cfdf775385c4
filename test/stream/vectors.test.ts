// aws-chunked against AWS's published values: the S3 documentation's chunked PUT (s3-docs.json) and every entry of
// s3-streaming.json that is about SigV4 streaming (the checksum check values are test/stream/checksum.test.ts's,
// the SigV4a entries issue 16's). Each is signed with the public functions and compared byte for byte, and the
// body as AWS wrote it (rebuilt from the vector's own fields, not from the encoder) is verified and decoded.

import { describe, expect, it } from 'vitest';
import {
  awsChunkedHeaders,
  createAwsChunkedEncoder,
  createCanonicalTrailers,
  createChunkStringToSign,
  createTrailerStringToSign,
  signRequest,
  verifyRequest,
  type StreamingPayloadHash,
} from '../../src/index.js';
import { utf8 } from '../../src/core/encoding.js';
import { hmacKey } from '../../src/core/sha256.js';
import { chunkSigningKey, signChunkString } from '../../src/stream/chunk-signature.js';
import { decodeAwsChunked, type DecodeParams } from '../../src/stream/decode.js';
import { encodeAwsChunked } from '../../src/stream/encode.js';
import { encodedLength } from '../../src/stream/framing.js';
import { hmacHex, sha256Hex, signingKey } from '../support/reference.js';
import { VECTORS_REQUIRED, reportMissing } from '../support/vectors.js';
import {
  ascii,
  collect,
  concat,
  described,
  docExamples,
  framesBody,
  repeat,
  STREAMING_PRESENT,
  streamingExamples,
  streamOf,
  text,
  type Frame,
  type StreamingExample,
} from './support.js';

if (!STREAMING_PRESENT) {
  const message = reportMissing('S3 streaming vector', 's3-docs.json chunked + 9 s3-streaming.json');
  console.warn(message);
  describe('S3 streaming vectors', () => {
    it.runIf(VECTORS_REQUIRED)('are present (required by SIGV4_REQUIRE_VECTORS=1)', () => {
      throw new Error(message);
    });
    it.skipIf(VECTORS_REQUIRED)('are absent: skipped (see the warning above)', () => {});
  });
}

const examples = streamingExamples();
const byId = (id: string): StreamingExample => {
  const e = examples.find((x) => x.id === id);
  if (e === undefined) throw new Error(`s3-streaming.json has no ${id}`);
  return e;
};
const credentialsOf = (e: StreamingExample) => ({
  accessKeyId: e.inputs.access_key_id!,
  secretAccessKey: e.inputs.secret_access_key!,
});
const urlOf = (e: StreamingExample): string => `https://${e.inputs.host!}${e.inputs.request_target!}`;

/** The example's headers that were signed, as signRequest takes them (it adds x-amz-date, and host from the URL). */
const signedHeadersOf = (e: StreamingExample): [string, string][] => {
  const names = e.inputs.signed_headers;
  return e.inputs.headers!.filter(([n]) => {
    const name = n.toLowerCase();
    return name !== 'x-amz-date' && name !== 'host' && (names === undefined || names.includes(name));
  });
};

/** Signs the example's request with signRequest. */
const sign = (e: StreamingExample) =>
  signRequest({
    url: urlOf(e),
    method: e.inputs.method!,
    service: e.inputs.service!,
    region: e.inputs.region!,
    credentials: credentialsOf(e),
    signingDate: e.inputs.timestamp!,
    headers: signedHeadersOf(e),
    cache: false,
  });

/** The chunk headers of an aws-chunked body, in order (`<hex>;chunk-signature=<sig>` or `<hex>`). */
function chunkLines(body: Uint8Array): string[] {
  const lines: string[] = [];
  let at = 0;
  for (;;) {
    const end = body.indexOf(10, at);
    const line = text(body.subarray(at, end - 1));
    lines.push(line);
    const size = parseInt(line, 16);
    if (size === 0) return lines;
    at = end + 1 + size + 2;
  }
}

/** Verifies the example's request as received, with `body`, and returns the decoded body. */
async function verifyReceived(
  e: StreamingExample,
  headers: [string, string][],
  authorization: string,
  body: Uint8Array,
  cuts: number[] = [],
): Promise<Uint8Array> {
  const verified = await verifyRequest({
    url: urlOf(e),
    method: e.inputs.method!,
    headers: [...headers, ['authorization', authorization]],
    body: streamOf(body, cuts),
    service: 's3',
    region: e.inputs.region!,
    getCredentials: (id) =>
      id === e.inputs.access_key_id ? { secretAccessKey: e.inputs.secret_access_key! } : undefined,
    now: Date.parse(e.inputs.timestamp!),
    cache: false,
  });
  expect(verified.body).toBeInstanceOf(ReadableStream);
  return collect(verified.body!);
}

describe.runIf(STREAMING_PRESENT)('every s3-streaming.json entry about SigV4 streaming is tested here', () => {
  it('covers each entry but the checksum values and SigV4a', () => {
    const here = [
      's3-put-object-chunked-signed-trailer',
      'sdk-rust-put-object-chunked-signed-trailer-recording',
      'sdk-rust-put-object-unsigned-trailer-recording',
      'sdk-rust-put-object-unsigned-trailer-single-chunk-recording',
      'crt-trailing-headers-signature-three-headers',
      'minio-go-trailer-chunk-signature',
      'sdk-java-v2-signed-chunks-empty-trailer',
      'sdk-go-v2-unsigned-trailer-framing',
      'sdk-rust-unsigned-trailer-framing',
      'sdk-rust-aws-chunked-encoded-length',
    ];
    const elsewhere = examples
      .map((e) => e.id)
      .filter((id) => id === 's3-additional-checksums-check-values' || id.startsWith('sigv4a-'));
    expect(elsewhere).toHaveLength(4);
    expect(examples.map((e) => e.id).sort()).toEqual([...here, ...elsewhere].sort());
  });
});

describe.runIf(STREAMING_PRESENT)('s3-docs.json: s3-header-put-object-chunked (sigv4-streaming.html)', () => {
  const e = STREAMING_PRESENT ? docExamples().find((x) => x.id === 's3-header-put-object-chunked')! : undefined!;
  const payload = STREAMING_PRESENT ? described(e.inputs['payload'] as string) : new Uint8Array(0);
  const chunks = STREAMING_PRESENT
    ? (e.expected['chunks'] as {
        chunk_header: string;
        chunk_data: string;
        string_to_sign: string;
        signature: string;
      }[])
    : [];
  // The body as the document describes it: each chunk's header, data and CRLF, the final chunk, the closing CRLF.
  const documented = (): Uint8Array =>
    concat(
      ...chunks.map((c) =>
        concat(
          ascii(`${c.chunk_header}\r\n`),
          c.chunk_data === '' ? new Uint8Array(0) : described(c.chunk_data),
          ascii('\r\n'),
        ),
      ),
    );

  it('awsChunkedHeaders gives its Content-Length (66824) and the headers it signs', () => {
    expect(awsChunkedHeaders({ payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', decodedLength: 66560 })).toEqual({
      'content-encoding': 'aws-chunked',
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'x-amz-decoded-content-length': '66560',
      'content-length': '66824',
    });
    expect(documented()).toHaveLength(66824);
  });

  it('signs every chunk as documented: string to sign, signature, chunk header, the final chunk', async () => {
    const headers = (e.inputs.headers as [string, string][]).filter(([n]) => !/^(?:host|x-amz-date)$/i.test(n));
    const credentials = { accessKeyId: e.inputs.access_key_id!, secretAccessKey: e.inputs.secret_access_key! };
    const signed = await signRequest({
      url: `https://${e.inputs.host!}${e.inputs.request_target!}`,
      method: 'PUT',
      service: 's3',
      region: 'us-east-1',
      credentials,
      signingDate: e.inputs.timestamp!,
      headers,
      cache: false,
    });
    expect(signed.signature).toBe(e.expected['seed_signature']);
    const body = await collect(
      streamOf(payload).pipeThrough(createAwsChunkedEncoder({ signed, credentials, cache: false })),
    );
    expect(chunkLines(body)).toEqual(chunks.map((c) => c.chunk_header));
    expect(body).toEqual(documented());
    // Each string to sign, from the stage function, on the previous signature and the chunk's hash.
    let previous = signed.signature;
    for (const c of chunks) {
      const data = c.chunk_data === '' ? new Uint8Array(0) : described(c.chunk_data);
      const stringToSign = createChunkStringToSign(signed.amzDate, signed.credentialScope, previous, sha256Hex(data));
      expect(stringToSign).toBe(c.string_to_sign);
      expect(hmacHex(signingKey(credentials.secretAccessKey, '20130524', 'us-east-1', 's3'), stringToSign)).toBe(
        c.signature,
      );
      previous = c.signature;
    }
  });

  it('verifies and decodes the documented body, received in any pieces', async () => {
    const signedHeaders = (e.expected['canonical_request'] as string).split('\n').at(-2)!;
    const authorization = `AWS4-HMAC-SHA256 Credential=${e.inputs.access_key_id}/20130524/us-east-1/s3/aws4_request,SignedHeaders=${signedHeaders},Signature=${e.expected['seed_signature']}`;
    for (const cuts of [[], [1], [65600, 65601, 65700], Array.from({ length: 70 }, (_, i) => i * 997)]) {
      expect(await verifyReceived(e, e.inputs.headers!, authorization, documented(), cuts)).toEqual(payload);
    }
  });
});

describe.runIf(STREAMING_PRESENT)(
  's3-streaming.json: s3-put-object-chunked-signed-trailer (sigv4-streaming-trailers.html)',
  () => {
    it('signs the documented request, chunks, final chunk, trailer and trailer signature', async () => {
      const e = byId('s3-put-object-chunked-signed-trailer');
      const signed = await sign(e);
      expect(signed.canonicalRequest).toBe(e.expected['canonical_request']);
      expect(signed.stringToSign).toBe(e.expected['string_to_sign']);
      expect(signed.signature).toBe(e.expected['seed_signature']);
      expect(signed.authorization).toBe(e.derived_by_collector!['authorization_header']);
      const credentials = credentialsOf(e);
      const body = await collect(
        streamOf(described(e.inputs['payload'] as string)).pipeThrough(
          createAwsChunkedEncoder({ signed, credentials }),
        ),
      );
      const chunks = e.expected['chunks'] as {
        chunk_header: string;
        string_to_sign: string;
        signature: string;
        chunk_data: string;
      }[];
      expect(chunkLines(body)).toEqual(chunks.map((c) => c.chunk_header));
      expect(text(body).endsWith(`${e.expected['final_chunk_wire']}${e.expected['trailer']['trailer_wire']}`)).toBe(
        true,
      );
      expect(body.length).toBe(e.derived_by_collector!['encoded_body_length']);
      expect(sha256Hex(body)).toBe(e.derived_by_collector!['encoded_body_sha256']);
      // The stages.
      let previous = signed.signature;
      for (const c of chunks) {
        const data = c.chunk_data === '' ? new Uint8Array(0) : described(c.chunk_data);
        expect(createChunkStringToSign(signed.amzDate, signed.credentialScope, previous, sha256Hex(data))).toBe(
          c.string_to_sign,
        );
        previous = c.signature;
      }
      const trailer = e.expected['trailer'];
      const canonical = createCanonicalTrailers(e.inputs.trailing_headers!);
      expect(canonical).toBe(trailer['canonical_trailing_headers']);
      expect(sha256Hex(canonical)).toBe(trailer['canonical_trailing_headers_sha256']);
      const stringToSign = createTrailerStringToSign(
        signed.amzDate,
        signed.credentialScope,
        previous,
        sha256Hex(canonical),
      );
      expect(stringToSign).toBe(trailer['string_to_sign']);
      expect(hmacHex(signingKey(credentials.secretAccessKey, '20130524', 'us-east-1', 's3'), stringToSign)).toBe(
        trailer['signature'],
      );
      // awsChunkedHeaders gives the length the body really has (the doc shows the trailer-less example's 66824).
      expect(
        awsChunkedHeaders({
          payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
          decodedLength: 66560,
          checksumAlgorithm: 'CRC32C',
        })['content-length'],
      ).toBe('66946');
    });

    it('verifies and decodes the documented body', async () => {
      const e = byId('s3-put-object-chunked-signed-trailer');
      const chunks = e.expected['chunks'] as { chunk_header: string; chunk_data: string }[];
      const body = concat(
        ...chunks
          .slice(0, -1)
          .map((c) => concat(ascii(`${c.chunk_header}\r\n`), described(c.chunk_data), ascii('\r\n'))),
        ascii(e.expected['final_chunk_wire'] + e.expected['trailer']['trailer_wire']),
      );
      expect(sha256Hex(body)).toBe(e.derived_by_collector!['encoded_body_sha256']);
      const headers = e.inputs.headers!.map(([n, v]): [string, string] =>
        n === 'Content-Length' ? [n, String(body.length)] : [n, v],
      );
      const decoded = await verifyReceived(
        e,
        headers,
        e.derived_by_collector!['authorization_header'],
        body,
        [3, 70000],
      );
      expect(decoded).toEqual(described(e.inputs['payload'] as string));
    });
  },
);

describe.runIf(STREAMING_PRESENT)('s3-streaming.json: the Rust SDK recordings', () => {
  for (const id of [
    'sdk-rust-put-object-chunked-signed-trailer-recording',
    'sdk-rust-put-object-unsigned-trailer-recording',
    'sdk-rust-put-object-unsigned-trailer-single-chunk-recording',
  ]) {
    it(`${id}: signs the recorded request and body byte for byte`, async () => {
      const e = byId(id);
      const signed = await sign(e);
      expect(signed.signature).toBe(e.expected['seed_signature']);
      expect(signed.authorization).toBe(e.expected['authorization_header']);
      expect(signed.canonicalRequest).toBe(e.derived_by_collector!['canonical_request']);
      // The signed recording signs content-length 10291, the unsigned framing's length (see the vector's notes):
      // it is left out here, or the encoder would refuse a chunk size that does not give it.
      const { 'content-length': recorded, ...headers } = signed.headers;
      const expectedBody = framesBody(e.expected['body_frames'] as Frame[]);
      const signedChunks = id.includes('chunked-signed');
      const encoder = createAwsChunkedEncoder({
        signed: signedChunks ? { ...signed, headers } : signed,
        credentials: credentialsOf(e),
        chunkSize: e.inputs.chunk_size!,
      });
      const body = await collect(
        streamOf(described(e.inputs['payload'] as string), [5, 100, 9000]).pipeThrough(encoder),
      );
      expect(text(body)).toBe(text(expectedBody));
      expect(sha256Hex(body)).toBe(e.derived_by_collector!['encoded_body_sha256']);
      if (!signedChunks) expect(recorded).toBe(String(body.length));
      if (signedChunks) {
        expect(body.length).toBe(e.derived_by_collector!['encoded_body_length']);
        // Every chunk's string to sign, as rebuilt by the collector (the recording gives the signatures only).
        let previous = signed.signature;
        const data = described(e.inputs['payload'] as string);
        const sizes = [8192, 2048, 0];
        let at = 0;
        (e.derived_by_collector!['chunk_strings_to_sign'] as string[]).forEach((stringToSign, i) => {
          const chunk = data.subarray(at, at + sizes[i]!);
          at += sizes[i]!;
          expect(createChunkStringToSign(signed.amzDate, signed.credentialScope, previous, sha256Hex(chunk))).toBe(
            stringToSign,
          );
          previous = (e.expected['chunks'] as { signature: string }[])[i]!.signature;
        });
        expect(
          createTrailerStringToSign(
            signed.amzDate,
            signed.credentialScope,
            previous,
            sha256Hex(createCanonicalTrailers(e.inputs.trailing_headers!)),
          ),
        ).toBe(e.derived_by_collector!['trailer']['string_to_sign']);
      }
    });

    it(`${id}: verifies and decodes the recorded request and body`, async () => {
      const e = byId(id);
      const body = framesBody(e.expected['body_frames'] as Frame[]);
      const decoded = await verifyReceived(
        e,
        e.inputs.headers!,
        e.expected['authorization_header'],
        body,
        [1, 2, 3, 8200],
      );
      expect(decoded).toEqual(described(e.inputs['payload'] as string));
    });
  }
});

describe.runIf(STREAMING_PRESENT)('s3-streaming.json: the trailer signature alone', () => {
  it('crt-trailing-headers-signature-three-headers (aws-c-auth), and through the decoder', async () => {
    const e = byId('crt-trailing-headers-signature-three-headers');
    const canonical = createCanonicalTrailers(e.inputs.trailing_headers!);
    expect(canonical).toBe(e.derived_by_collector!['canonical_trailing_headers']);
    expect(sha256Hex(canonical)).toBe(e.expected['canonical_trailing_headers_sha256']);
    const stringToSign = createTrailerStringToSign(
      '20130524T000000Z',
      '20130524/us-east-1/s3/aws4_request',
      e.inputs['previous_signature'] as string,
      sha256Hex(canonical),
    );
    expect(stringToSign).toBe(e.derived_by_collector!['string_to_sign']);
    const key = chunkSigningKey(
      { accessKeyId: e.inputs.access_key_id!, secretAccessKey: e.inputs.secret_access_key! },
      '20130524',
      'us-east-1',
      's3',
      false,
    );
    expect(signChunkString(key, stringToSign)).toBe(e.expected['signature']);

    // aws-c-auth chains it on the final chunk of the S3 documentation's chunked PUT: that body, its end replaced by
    // the three trailers and their signature, decodes with the documentation's seed.
    const doc = docExamples().find((x) => x.id === 's3-header-put-object-chunked')!;
    const chunks = doc.expected['chunks'] as { chunk_header: string; chunk_data: string }[];
    expect(chunks.at(-1)!.chunk_header).toBe(`0;chunk-signature=${e.inputs['previous_signature']}`);
    const body = concat(
      ...chunks.slice(0, -1).map((c) => concat(ascii(`${c.chunk_header}\r\n`), described(c.chunk_data), ascii('\r\n'))),
      ascii(`${chunks.at(-1)!.chunk_header}\r\n${e.derived_by_collector!['trailer_wire']}`),
    );
    const decoded = await collect(
      decodeAwsChunked(streamOf(body, [66000]), {
        ...docParams(doc, key),
        payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
        trailers: ['first', 'second', 'third'],
      }),
    );
    expect(decoded).toEqual(repeat('a', 66560));
  });

  it('minio-go-trailer-chunk-signature', () => {
    const e = byId('minio-go-trailer-chunk-signature');
    const canonical = createCanonicalTrailers(e.inputs.trailing_headers!);
    expect(canonical).toBe(e.derived_by_collector!['canonical_trailing_headers']);
    expect(sha256Hex(canonical)).toBe(e.derived_by_collector!['canonical_trailing_headers_sha256']);
    const stringToSign = createTrailerStringToSign(
      '20130524T000000Z',
      '20130524/us-east-1/s3/aws4_request',
      e.inputs['previous_signature'] as string,
      sha256Hex(canonical),
    );
    expect(stringToSign).toBe(e.derived_by_collector!['string_to_sign']);
    const key = chunkSigningKey(
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: e.inputs.secret_access_key! },
      '20130524',
      'us-east-1',
      's3',
      false,
    );
    expect(signChunkString(key, stringToSign)).toBe(e.expected['signature']);
  });
});

/** The decoder's parameters for the S3 documentation's chunked PUT (seed, date, scope), with a key. */
function docParams(doc: StreamingExample, key: ReturnType<typeof hmacKey>): DecodeParams {
  return {
    payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    key,
    seedSignature: doc.expected['seed_signature'],
    amzDate: '20130524T000000Z',
    credentialScope: '20130524/us-east-1/s3/aws4_request',
    trailers: [],
    decodedLength: undefined,
    checksumHeaders: [],
    maxChunkSize: 1 << 20,
  };
}

describe.runIf(STREAMING_PRESENT)('s3-streaming.json: sdk-java-v2-signed-chunks-empty-trailer', () => {
  // A raw signing key ("key"), a seed that is no signature ("sig"), 4-byte chunks: the encoder and the decoder
  // from their checked parameters (the public functions take a real signed request and chunks of 8 KiB or more).
  const params = (payloadHash: StreamingPayloadHash) => ({
    payloadHash,
    key: hmacKey(utf8('key')),
    seedSignature: 'sig',
    amzDate: '19700101T000000Z',
    credentialScope: '19700101/us-east-1/s3/aws4_request',
  });
  for (const [payloadHash, field] of [
    ['STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', 'encoded_body_with_trailer'],
    ['STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'encoded_body_without_trailer'],
  ] as const) {
    it(`${field}: encoded byte for byte, then decoded`, async () => {
      const e = byId('sdk-java-v2-signed-chunks-empty-trailer');
      const payload = ascii(e.inputs['payload_utf8'] as string);
      const encoded = await collect(
        streamOf(payload, [1, 7]).pipeThrough(
          encodeAwsChunked({
            ...params(payloadHash),
            chunkSize: 4,
            checksum: undefined,
            decodedLength: payload.length,
          }),
        ),
      );
      expect(text(encoded)).toBe(e.expected[field]);
      expect(chunkLines(encoded).map((l) => l.split('=')[1])).toEqual(e.expected['chunk_signatures']);
      const decoded = await collect(
        decodeAwsChunked(streamOf(ascii(e.expected[field]), [5, 90]), {
          ...params(payloadHash),
          trailers: [],
          decodedLength: payload.length,
          checksumHeaders: [],
          maxChunkSize: 4,
        }),
      );
      expect(decoded).toEqual(payload);
    });
  }
  it('the chunk and trailer strings to sign', () => {
    const e = byId('sdk-java-v2-signed-chunks-empty-trailer');
    const payload = ascii(e.inputs['payload_utf8'] as string);
    const sigs = e.expected['chunk_signatures'] as string[];
    (e.derived_by_collector!['chunk_strings_to_sign'] as string[]).forEach((sts, i) => {
      const chunk = payload.subarray(4 * i, 4 * i + 4);
      expect(
        createChunkStringToSign(
          '19700101T000000Z',
          '19700101/us-east-1/s3/aws4_request',
          i === 0 ? 'sig' : sigs[i - 1]!,
          sha256Hex(chunk),
        ),
      ).toBe(sts);
    });
    expect(
      createTrailerStringToSign(
        '19700101T000000Z',
        '19700101/us-east-1/s3/aws4_request',
        sigs.at(-1)!,
        sha256Hex(createCanonicalTrailers([])),
      ),
    ).toBe(e.derived_by_collector!['trailer_string_to_sign']);
  });
});

describe.runIf(STREAMING_PRESENT)('s3-streaming.json: unsigned framing of the Go and Rust SDKs', () => {
  interface Case {
    payload_utf8: string;
    trailer: [string, string] | null;
    encoded_body: string;
    encoded_length: number;
    chunk_size?: number;
    test: string;
  }
  const cases = (id: string): Case[] => (STREAMING_PRESENT ? (byId(id).expected['cases'] as Case[]) : []);
  const algorithm = (name: string) =>
    ({
      'x-amz-checksum-crc32': 'CRC32',
      'x-amz-checksum-crc32c': 'CRC32C',
      'x-amz-checksum-crc64nvme': 'CRC64NVME',
      'x-amz-checksum-sha1': 'SHA1',
      'x-amz-checksum-sha256': 'SHA256',
    })[name] as 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256' | undefined;

  for (const id of ['sdk-go-v2-unsigned-trailer-framing', 'sdk-rust-unsigned-trailer-framing']) {
    for (const c of cases(id)) {
      it(`${id}: ${c.test}`, async () => {
        const payload = ascii(c.payload_utf8);
        const checksum = c.trailer === null ? undefined : algorithm(c.trailer[0]);
        expect(c.encoded_body).toHaveLength(c.encoded_length);
        const common = {
          payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' as const,
          key: undefined,
          seedSignature: 'unused',
          amzDate: '20090213T233130Z',
          credentialScope: '20090213/us-east-1/s3/aws4_request',
        };
        // Encoded as the SDK encodes it (the Rust SDK writes hex sizes in upper case, this encoder in lower).
        if (c.trailer === null || checksum !== undefined) {
          const encoded = await collect(
            streamOf(payload).pipeThrough(
              encodeAwsChunked({
                ...common,
                chunkSize: c.chunk_size ?? 65536,
                checksum,
                decodedLength: payload.length,
              }),
            ),
          );
          const lowerSizes = c.encoded_body.replace(/^[0-9A-F]+\r\n/gm, (line) => line.toLowerCase());
          expect(text(encoded)).toBe(lowerSizes);
          expect(
            encodedLength(
              payload.length,
              c.chunk_size ?? 65536,
              false,
              c.trailer === null ? [] : [c.trailer.join(':').length],
            ),
          ).toBe(c.encoded_length);
          if (c.chunk_size === undefined) {
            expect(
              awsChunkedHeaders({
                payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
                decodedLength: payload.length,
                ...(checksum === undefined ? {} : { checksumAlgorithm: checksum }),
              })['content-length'],
            ).toBe(String(c.encoded_length));
          }
        }
        // The SDK's bytes, decoded (a trailer that is no checksum, such as foo:abc123, is accepted when announced).
        const decoded = await collect(
          decodeAwsChunked(streamOf(ascii(c.encoded_body), [1, 4, 20]), {
            ...common,
            trailers: c.trailer === null ? [] : [c.trailer[0]],
            decodedLength: payload.length,
            checksumHeaders: [],
            maxChunkSize: 1 << 20,
          }),
        );
        expect(decoded).toEqual(payload);
      });
    }
  }

  it('sdk-rust-aws-chunked-encoded-length: every length, and the headers that give them', () => {
    const e = byId('sdk-rust-aws-chunked-encoded-length');
    for (const c of e.expected['cases'] as {
      signed: boolean;
      decoded_length: number;
      trailer_line_lengths: number[];
      encoded_length: number;
    }[]) {
      expect(encodedLength(c.decoded_length, e.inputs['chunk_size'] as number, c.signed, c.trailer_line_lengths)).toBe(
        c.encoded_length,
      );
    }
    const length = (payloadHash: StreamingPayloadHash, decodedLength: number, crc32c = false): string =>
      awsChunkedHeaders({ payloadHash, decodedLength, ...(crc32c ? { checksumAlgorithm: 'CRC32C' as const } : {}) })[
        'content-length'
      ]!;
    // 30 is len('x-amz-checksum-crc32c:sOO8/Q=='), 88 the trailer signature line.
    expect(length('STREAMING-UNSIGNED-PAYLOAD-TRAILER', 10)).toBe('20');
    expect(length('STREAMING-UNSIGNED-PAYLOAD-TRAILER', 65546)).toBe('65565');
    expect(length('STREAMING-UNSIGNED-PAYLOAD-TRAILER', 10, true)).toBe('52');
    expect(length('STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 10)).toBe('182');
    expect(length('STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 65546)).toBe('65808');
    expect(length('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', 10, true)).toBe('304');
  });
});
