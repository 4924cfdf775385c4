// The CompleteMultipartUpload body (src/multipart/xml.ts) against the AWS SDK for JavaScript v3, which writes the
// same XML for the same parts (run here, its request captured before it is sent): byte for byte, for examples with
// every character XML escapes and for random ETags and part lists (fast-check, pinned seed). And what it refuses.

import { CompleteMultipartUploadCommand, S3Client } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completeMultipartUploadBody, INVALID_OPTION, type CompletedPart } from '../../src/index.js';

const client = new S3Client({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  // Captures the body the SDK would send, and sends nothing.
  requestHandler: {
    handle: async (request: { body: unknown }) => {
      throw Object.assign(new Error('captured'), { body: request.body });
    },
  } as never,
});

/** The body the AWS SDK sends for CompleteMultipartUpload with these parts. */
async function sdkBody(parts: readonly CompletedPart[]): Promise<string> {
  const command = new CompleteMultipartUploadCommand({
    Bucket: 'examplebucket',
    Key: 'videos/a&b <c>.mp4',
    UploadId: 'VXBsb2FkIElE',
    MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
  });
  try {
    await client.send(command);
  } catch (error) {
    const body = (error as { body?: unknown }).body;
    if (typeof body === 'string') return body;
    throw error;
  }
  throw new Error('the SDK sent the request');
}

const etagArb = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{32}$/).map((hex) => `"${hex}"`),
  fc.stringMatching(/^[0-9a-f]{32}-[1-9]\d{0,3}$/).map((hex) => `"${hex}"`),
  fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    minLength: 1,
    maxLength: 80,
  }),
  fc.constantFrom('&', '<', '>', '"', "'", '&amp;', '<![CDATA[x]]>', ']]>', '&#x41;', ' spaced '),
);
const partsArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 40 })
  .chain((numbers) => fc.tuple(...numbers.map((partNumber) => etagArb.map((etag) => ({ partNumber, etag })))));

describe('completeMultipartUploadBody', () => {
  it('writes the parts in order, each ETag escaped', () => {
    expect(
      completeMultipartUploadBody([
        { partNumber: 2, etag: `"b&'<>"` },
        { partNumber: 1, etag: '"a54357aff0632cce46d942af68356b38"' },
      ]),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        '<Part><ETag>&quot;a54357aff0632cce46d942af68356b38&quot;</ETag><PartNumber>1</PartNumber></Part>' +
        '<Part><ETag>&quot;b&amp;&apos;&lt;&gt;&quot;</ETag><PartNumber>2</PartNumber></Part>' +
        '</CompleteMultipartUpload>',
    );
  });

  it('does not change the parts it is given', () => {
    const parts = Object.freeze([
      Object.freeze({ partNumber: 3, etag: 'c' }),
      Object.freeze({ partNumber: 1, etag: 'a' }),
    ]);
    completeMultipartUploadBody(parts);
    expect(parts.map((p) => p.partNumber)).toEqual([3, 1]);
  });

  it('is the body the AWS SDK for JavaScript sends, for every character XML escapes', async () => {
    const parts = [
      { partNumber: 1, etag: '"a54357aff0632cce46d942af68356b38"' },
      { partNumber: 2, etag: `&<>"' ]]> &amp; &#x41;` },
      { partNumber: 10_000, etag: '"0c78aef83f66abc1fa1e8477f296d394-3"' },
    ];
    expect(completeMultipartUploadBody(parts)).toBe(await sdkBody(parts));
  });

  it('is the body the AWS SDK for JavaScript sends, for random parts and ETags', async () => {
    await fc.assert(
      fc.asyncProperty(partsArb, async (parts) => {
        const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
        expect(completeMultipartUploadBody(parts)).toBe(await sdkBody(sorted));
      }),
      { seed: 0x18b1, numRuns: 300 },
    );
  });

  it('escapes so that no ETag can end its element or add one', () => {
    fc.assert(
      fc.property(partsArb, (parts) => {
        const xml = completeMultipartUploadBody(parts);
        // Outside the markup the builder writes, no "<" or ">", and every "&" starts one of the five entities.
        const text = xml
          .replace(/^<\?xml version="1\.0" encoding="UTF-8"\?><CompleteMultipartUpload xmlns="[^"]+">/, '')
          .replace(/<\/?(?:Part|ETag|PartNumber|CompleteMultipartUpload)>/g, '');
        expect(text).not.toMatch(/[<>]|&(?!(?:amp|lt|gt|quot|apos);)/);
        expect(xml.match(/<Part>/g)).toHaveLength(parts.length);
      }),
      { seed: 0x18b2, numRuns: 500 },
    );
  });

  it.each([
    [[], RangeError, '"parts" expected 1 to 10000 parts, got 0'],
    [
      Array.from({ length: 10_001 }, (_, i) => ({ partNumber: (i % 10_000) + 1, etag: 'e' })),
      RangeError,
      '"parts" expected 1 to 10000 parts, got 10001',
    ],
    ['parts', TypeError, '"parts" expected an array of { partNumber, etag }, got "parts"'],
    [[null], TypeError, '"parts[0]" expected an object { partNumber, etag }, got null'],
    [[{ partNumber: 0, etag: 'e' }], RangeError, '"parts[0].partNumber" expected an integer 1..10000, got 0'],
    [[{ partNumber: 10_001, etag: 'e' }], RangeError, '"parts[0].partNumber" expected an integer 1..10000, got 10001'],
    [[{ partNumber: '1', etag: 'e' }], TypeError, '"parts[0].partNumber" expected an integer 1..10000, got "1"'],
    [
      [{ partNumber: 1, etag: '' }],
      TypeError,
      '"parts[0].etag" expected an ETag: 1 to 1024 characters of printable ASCII, got ""',
    ],
    [
      [{ partNumber: 1, etag: 'a\nb' }],
      TypeError,
      '"parts[0].etag" expected an ETag: 1 to 1024 characters of printable ASCII, got "a\\nb"',
    ],
    [
      [{ partNumber: 1, etag: 'ü' }],
      TypeError,
      '"parts[0].etag" expected an ETag: 1 to 1024 characters of printable ASCII, got "ü"',
    ],
    [
      [{ partNumber: 1, etag: 'e'.repeat(1025) }],
      TypeError,
      '"parts[0].etag" expected an ETag: 1 to 1024 characters of printable ASCII, got "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"… (1025 characters)',
    ],
    [
      [
        { partNumber: 2, etag: 'a' },
        { partNumber: 1, etag: 'b' },
        { partNumber: 2, etag: 'c' },
      ],
      TypeError,
      '"parts" expected each part number once, got 2 twice',
    ],
  ])('refuses %j', (parts, type, message) => {
    const call = () => completeMultipartUploadBody(parts as CompletedPart[]);
    expect(call).toThrow(type);
    expect(call).toThrow(message);
    try {
      call();
    } catch (error) {
      expect((error as { code?: string }).code).toBe(INVALID_OPTION);
    }
  });
});
