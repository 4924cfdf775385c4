// fast-check arbitraries for S3 URLs: object keys a URL template breaks, bucket names of each kind, and the
// addressing options of s3Url.

import fc from 'fast-check';
import type { S3UrlOptions } from '../../src/index.js';

/** One character of a key: unreserved, reserved ASCII, controls, unicode (astral included). */
const keyChar: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...'abcXYZ019-._~') },
  { weight: 4, arbitrary: fc.constantFrom(...' !"#$%&\'()*+,:;<=>?@[\\]^`{|}') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'é',
      'ü',
      '日',
      '😀',
      '𝄞',
      '\u0000',
      '\t',
      '\n',
      '\r',
      '\u007f',
      '\u00a0',
      '\u2028',
      '\ufeff',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);

/** A `/`-separated segment of a key: text (empty for `//`), a dot segment or a near miss, an escape-like text. */
const segment: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: keyChar, maxLength: 8 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('.', '..', '...', '%2e', '%2E%2e', '.%2e', '%2F', '%', '%zz', '+', '?', '#'),
  },
);

const utf8Length = (text: string): number => new TextEncoder().encode(text).length;
/** No lone UTF-16 surrogate (String.prototype.isWellFormed is ES2024). */
const isWellFormed = (text: string): boolean =>
  !/[\uD800-\uDFFF]/.test(text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));

/** An object key S3 allows: 1 to 1024 bytes of UTF-8, any characters. */
export const keyArb: fc.Arbitrary<string> = fc
  .array(segment, { minLength: 1, maxLength: 6 })
  .map((segments) => segments.join('/'))
  .filter((key) => key !== '' && isWellFormed(key) && utf8Length(key) <= 1024);

const label = fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,12}[a-z0-9]$/);

/** A bucket name: one host label (virtual-hostable), dotted labels, or an older name (uppercase, "_"). */
export const bucketArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: label },
  { weight: 2, arbitrary: fc.tuple(label, label).map(([a, b]) => `${a}.${b}`) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{2,20}$/) },
);

export const REGIONS = [
  'us-east-1',
  'us-west-2',
  'eu-west-1',
  'ap-southeast-2',
  'cn-north-1',
  'cn-northwest-1',
  'us-gov-west-1',
  'us-iso-east-1',
  'us-isob-east-1',
  'eu-isoe-west-1',
  'eusc-de-east-1',
] as const;

export const ENDPOINTS = [
  'http://localhost:9000',
  'https://minio.example.com:9000/storage',
  'http://127.0.0.1:9000',
  'https://0123456789abcdef.r2.cloudflarestorage.com',
] as const;

const flag = fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, fc.boolean());

/** Addressing options: a region, or an endpoint, and each flag unset, true or false. */
export const addressingArb: fc.Arbitrary<Omit<S3UrlOptions, 'bucket' | 'key'>> = fc
  .record({
    region: fc.constantFrom(...REGIONS),
    endpoint: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, fc.constantFrom(...ENDPOINTS)),
    forcePathStyle: flag,
    useDualstackEndpoint: flag,
    useAccelerateEndpoint: flag,
    useFipsEndpoint: flag,
    useGlobalEndpoint: flag,
  })
  .map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
