// The uploader's XML reading (src/upload/xml.ts): entities, and ListParts read as the AWS SDK for JavaScript v3
// reads it (its deserializer run here on the same answer), for random parts, ETags written with entities or
// character references, and pages.

import { Readable } from 'node:stream';
import { ListPartsCommand, S3Client } from '@aws-sdk/client-s3';
import { HttpResponse } from '@smithy/protocol-http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeXml } from '../../src/multipart/xml.js';
import { readListParts, unescapeXml, xmlAll, xmlValue } from '../../src/upload/xml.js';

describe('unescapeXml', () => {
  it('reads the five entities and character references, and leaves what is not one', () => {
    expect(unescapeXml('&quot;a&quot; &amp;amp; &lt;&gt;&apos; &#34;&#x22;&#X22; &#128512; &#x1F600;')).toBe(
      `"a" &amp; <>' """ 😀 😀`,
    );
    expect(unescapeXml('&nbsp; &#x110000; & &amp &#; &#x;')).toBe('&nbsp; &#x110000; & &amp &#; &#x;');
  });

  it('gives back any text escapeXml wrote', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => {
        expect(unescapeXml(escapeXml(text))).toBe(text);
      }),
      { seed: 0x18e1, numRuns: 1000 },
    );
  });

  it('runs in linear time on text made to backtrack', () => {
    const text = '&#x'.repeat(200_000) + '&' + '#1'.repeat(200_000);
    const started = performance.now();
    unescapeXml(text);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('xmlAll and xmlValue', () => {
  it('find elements in order, stop at an element left open, and unescape', () => {
    expect(xmlAll('<a>1</a><b>x</b><a>2</a><a>3', 'a')).toEqual(['1', '2']);
    expect(xmlValue('<Error><Code>NoSuchUpload</Code><Message>a &lt;b&gt;</Message></Error>', 'Message')).toBe('a <b>');
    expect(xmlValue('<Error></Error>', 'Code')).toBeUndefined();
    // <Part> is not <PartNumber>.
    expect(xmlAll('<PartNumber>1</PartNumber><Part>x</Part>', 'Part')).toEqual(['x']);
  });
});

/** What the AWS SDK reads from this ListParts answer. */
async function sdkRead(xml: string) {
  const client = new S3Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    requestHandler: {
      handle: async () => ({
        response: new HttpResponse({
          statusCode: 200,
          headers: { 'content-type': 'application/xml' },
          body: Readable.from([Buffer.from(xml)]),
        }),
      }),
    } as never,
  });
  const out = await client.send(new ListPartsCommand({ Bucket: 'b', Key: 'k', UploadId: 'u' }));
  return {
    parts: (out.Parts ?? []).map((p) => ({ partNumber: p.PartNumber, etag: p.ETag, size: p.Size })),
    next: out.IsTruncated ? out.NextPartNumberMarker : undefined,
  };
}

// An ETag as S3 writes it in XML: its quotes as &quot; (S3) or &#34; (some compatible stores), any printable text.
const etagArb = fc
  .oneof(
    fc.stringMatching(/^[0-9a-f]{32}$/).map((h) => `"${h}"`),
    fc
      .string({
        unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
        minLength: 1,
        maxLength: 40,
      })
      .filter((s) => s.trim() === s),
  )
  .chain((etag) => fc.tuple(fc.constant(etag), fc.constantFrom('entity', 'reference')));

describe('readListParts', () => {
  it('reads what the AWS SDK reads, for random pages of parts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { maxLength: 12 }),
        fc.array(etagArb, { minLength: 12, maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 5 * 1024 ** 3 }), { minLength: 12, maxLength: 12 }),
        fc.boolean(),
        async (numbers, etags, sizes, truncated) => {
          numbers.sort((a, b) => a - b);
          const written = (etag: string, how: string) =>
            how === 'entity' ? escapeXml(etag) : escapeXml(etag).replaceAll('&quot;', '&#34;');
          const xml =
            '<?xml version="1.0" encoding="UTF-8"?>\n<ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
            '<Bucket>b</Bucket><Key>k</Key><UploadId>u</UploadId><PartNumberMarker>0</PartNumberMarker>' +
            `<NextPartNumberMarker>${numbers.at(-1) ?? 0}</NextPartNumberMarker><MaxParts>1000</MaxParts>` +
            `<IsTruncated>${truncated}</IsTruncated>` +
            '<Initiator><ID>x</ID><DisplayName>x</DisplayName></Initiator><StorageClass>STANDARD</StorageClass>' +
            numbers
              .map(
                (n, i) =>
                  `<Part><PartNumber>${n}</PartNumber><LastModified>2024-01-01T10:00:00.000Z</LastModified>` +
                  `<ETag>${written(...etags[i]!)}</ETag><Size>${sizes[i]}</Size></Part>`,
              )
              .join('') +
            '</ListPartsResult>';
          const ours = readListParts(xml);
          const theirs = await sdkRead(xml);
          expect(ours.parts).toEqual(theirs.parts);
          // The SDK gives the marker as text; a marker of 0 (an empty page) leads nowhere.
          expect(ours.next).toEqual(numbers.length > 0 && theirs.next !== undefined ? Number(theirs.next) : undefined);
        },
      ),
      { seed: 0x18e2, numRuns: 150 },
    );
  });

  it('reads a page of Swift s3api, with its whitespace', () => {
    const xml = `<?xml version='1.0' encoding='UTF-8'?>
<ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>mpb</Bucket><Key>a/b c.bin</Key><UploadId>ODI2MGZj</UploadId><Initiator><ID>test:tester</ID><DisplayName>test:tester</DisplayName></Initiator><Owner><ID>test:tester</ID><DisplayName>test:tester</DisplayName></Owner><StorageClass>STANDARD</StorageClass><PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>2</NextPartNumberMarker><MaxParts>1000</MaxParts><IsTruncated>false</IsTruncated><Part><PartNumber>1</PartNumber><LastModified>2026-12-05T14:10:37.000Z</LastModified><ETag>"79b281060d337b9b2b84ccf390adcf74"</ETag><Size>5242880</Size></Part><Part><PartNumber>2</PartNumber><LastModified>2026-12-05T14:10:37.000Z</LastModified><ETag>"a63c90cc3684ad8b0a2176a6a8fe9005"</ETag><Size>10</Size></Part></ListPartsResult>`;
    expect(readListParts(xml)).toEqual({
      parts: [
        { partNumber: 1, etag: '"79b281060d337b9b2b84ccf390adcf74"', size: 5242880 },
        { partNumber: 2, etag: '"a63c90cc3684ad8b0a2176a6a8fe9005"', size: 10 },
      ],
      next: undefined,
    });
  });

  it('skips a part it cannot read rather than guessing', () => {
    expect(
      readListParts(
        '<Part><PartNumber>x</PartNumber><ETag>e</ETag><Size>1</Size></Part><Part><PartNumber>2</PartNumber><Size>1</Size></Part>' +
          '<Part><PartNumber>3</PartNumber><ETag>e</ETag><Size>-1</Size></Part><Part><PartNumber>4</PartNumber><ETag>e</ETag><Size>0</Size></Part>',
      ).parts,
    ).toEqual([{ partNumber: 4, etag: 'e', size: 0 }]);
  });
});
