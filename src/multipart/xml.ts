// The body of CompleteMultipartUpload (Amazon S3 API Reference, CompleteMultipartUpload, request syntax): the
// parts in ascending order, each with its number and the ETag its UploadPart returned. Written as the AWS SDK for
// JavaScript v3 writes it (the same bytes: test/multipart/xml.test.ts compares them).

import { describe, invalidType, optionError } from '../core/errors.js';
import { MAX_PARTS } from './plan.js';

/** One uploaded part, as CompleteMultipartUpload names it. */
export interface CompletedPart {
  /** The part number, 1 to 10,000. */
  readonly partNumber: number;
  /** The `ETag` header UploadPart answered with, quotes included (`"3858f62230ac3c915f300c664312c11f"`). */
  readonly etag: string;
}

// An ETag as HTTP carries it: printable ASCII (a field value without obs-text), 1 to 1024 characters. Linear: one
// class, anchored.
const ETAG = /^[\x20-\x7e]{1,1024}$/;
const XML_SPECIAL = /[&<>"']/g;
const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text escaped for an XML element: `&`, `<`, `>`, `"` and `'` as entities (the AWS SDK's escapes). */
export const escapeXml = (text: string): string => text.replace(XML_SPECIAL, (c) => ENTITIES[c]!);

/**
 * The XML body of CompleteMultipartUpload for these parts, in ascending part number order (the order S3 requires;
 * the input is not changed). Send it as the body of the presigned `POST ?uploadId=…`.
 *
 * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`) for no parts, more than 10,000, a part number
 * outside 1..10,000 or given twice, or an ETag that is not 1 to 1024 characters of printable ASCII.
 * @example
 * completeMultipartUploadBody([{ partNumber: 1, etag: '"a54357aff0632cce46d942af68356b38"' }]);
 * // <?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
 * // <Part><ETag>&quot;a54357aff0632cce46d942af68356b38&quot;</ETag><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>
 */
export function completeMultipartUploadBody(parts: readonly CompletedPart[]): string {
  if (!Array.isArray(parts)) invalidType('parts', 'an array of { partNumber, etag }', parts);
  if (parts.length < 1 || parts.length > MAX_PARTS)
    optionError(`"parts" expected 1 to ${MAX_PARTS} parts, got ${parts.length}`, true);
  const sorted = parts.map((part, i): CompletedPart => {
    if (typeof part !== 'object' || part === null) invalidType(`parts[${i}]`, 'an object { partNumber, etag }', part);
    const { partNumber, etag } = part;
    if (typeof partNumber !== 'number' || !Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS)
      optionError(
        `"parts[${i}].partNumber" expected an integer 1..${MAX_PARTS}, got ${describe(partNumber)}`,
        typeof partNumber === 'number',
      );
    if (typeof etag !== 'string' || !ETAG.test(etag))
      invalidType(`parts[${i}].etag`, 'an ETag: 1 to 1024 characters of printable ASCII', etag);
    return { partNumber, etag };
  });
  sorted.sort((a, b) => a.partNumber - b.partNumber);
  let xml =
    '<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">';
  for (const [i, { partNumber, etag }] of sorted.entries()) {
    if (i > 0 && sorted[i - 1]!.partNumber === partNumber)
      optionError(`"parts" expected each part number once, got ${partNumber} twice`);
    xml += `<Part><ETag>${escapeXml(etag)}</ETag><PartNumber>${partNumber}</PartNumber></Part>`;
  }
  return xml + '</CompleteMultipartUpload>';
}
