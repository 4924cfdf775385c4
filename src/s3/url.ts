// The URL of an S3 bucket or object, built from the bucket and the key as data: the host from the region (or an
// S3-compatible endpoint) as the S3 endpoint rules of the AWS SDKs give it, and the key encoded as S3 reads it, so
// no key can become a query string, a fragment or another key.

import { encodePath } from '../core/canonical-request.js';
import { checkBoolean } from '../core/check.js';
import { hasLoneSurrogate, uriEncode } from '../core/encoding.js';
import { describe, invalidType, optionError } from '../core/errors.js';
import { parseUrl } from '../core/url.js';

/** Where an S3 bucket or object is, and how to address it. */
export interface S3UrlOptions {
  /**
   * The bucket name, as data. S3's rules: 3 to 63 lowercase letters, digits, `.` and `-` (older us-east-1 buckets:
   * up to 255 letters, digits, `.`, `-` and `_`, addressed path-style). An access point alias works as a bucket.
   */
  readonly bucket: string;
  /**
   * The object key, as data: any text of 1 to 1024 bytes of UTF-8. Every byte outside the RFC 3986 unreserved
   * characters and `/` is percent-encoded, so `?`, `#`, `%`, `+`, spaces, `//`, `.`, `..` and unicode are part of
   * the key. Leave it out for the bucket's own URL (it ends in `/`).
   */
  readonly key?: string;
  /** The AWS Region of the bucket, e.g. `eu-west-1`: it names the host. Required unless `endpoint` is given. */
  readonly region?: string;
  /**
   * An S3-compatible endpoint, `http(s)://host[:port][/path]` (MinIO, Cloudflare R2, Backblaze B2, Wasabi…),
   * instead of AWS's. `region` is not used with it (the signer still needs one: `auto` for R2).
   */
  readonly endpoint?: string | URL;
  /**
   * `true`: path-style, `https://host/bucket/key`. `false`: virtual-hosted, `https://bucket.host/key`, where the
   * bucket can be a host name (else path-style, as the AWS SDKs do: a bucket with `.` over https, uppercase or `_`,
   * or an endpoint that is an IP address). Default: `false` on AWS; `true` with an `endpoint`, as botocore and the
   * AWS CLI do (the AWS SDK for JavaScript v3 defaults to `false` there: pass `false` for its URLs).
   */
  readonly forcePathStyle?: boolean;
  /** Use the dual-stack (IPv4 and IPv6) endpoint, `s3.dualstack.<region>`. Default `false`. */
  readonly useDualstackEndpoint?: boolean;
  /** Use S3 Transfer Acceleration, `<bucket>.s3-accelerate.amazonaws.com`: virtual-hosted only. Default `false`. */
  readonly useAccelerateEndpoint?: boolean;
  /** Use the FIPS endpoint, `s3-fips.<region>`. Default `false`. */
  readonly useFipsEndpoint?: boolean;
  /** In `us-east-1`, use the legacy global host `s3.amazonaws.com` (as botocore and the AWS CLI do by default). Default `false`. */
  readonly useGlobalEndpoint?: boolean;
}

// A bucket name S3 has ever allowed (older us-east-1 buckets included), as botocore checks it, with S3's minimum.
const BUCKET = /^[\w.-]{3,255}$/;
// A bucket that can be a host label under S3's wildcard certificate: the SDKs' isVirtualHostableS3Bucket without
// sub-domains (3 to 63 lowercase letters, digits and "-", starting and ending with a letter or digit).
const LABEL = /^[a-z\d][a-z\d-]{1,61}[a-z\d]$/;
// A region is a host label of the S3 host name (the endpoint rules' isValidHostLabel), lowercase.
const REGION = /^[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?$/;
// The host of an endpoint that is an IP address, as the URL reader writes it: IPv4 dotted, or IPv6 in brackets.
const IP_HOST = /^(?:\d+\.\d+\.\d+\.\d+|\[.*\])(?::\d+)?$/;
const DOT_OR_EMPTY_SEGMENT = /\/(?:\.|%2e){0,2}(?=\/|$)/i;

// The DNS suffix of each AWS partition but `aws` (the AWS SDKs' partitions, by their region patterns); every
// other region is in `aws`, under amazonaws.com.
const PARTITION = /^(cn|eusc-de|us-iso|us-isob|us-isof|eu-isoe)-[a-z]+-\d+$/;
const SUFFIXES: Readonly<Record<string, string>> = {
  cn: 'amazonaws.com.cn',
  'eusc-de': 'amazonaws.eu',
  'us-iso': 'c2s.ic.gov',
  'us-isob': 'sc2s.sgov.gov',
  'us-isof': 'csp.hci.ic.gov',
  'eu-isoe': 'cloud.adc-e.uk',
};

const both = (a: string, b: string): never =>
  optionError(`"${a}" and "${b}" expected at most one of them, got both (the S3 endpoint rules have no such URL)`);

/**
 * The URL of an S3 object (or, without `key`, of its bucket), with the bucket and the key taken as data. The key
 * is encoded as S3 reads it (every byte outside the RFC 3986 unreserved characters and `/` as `%XX`), so no key
 * can add a query parameter, end the URL at a `#`, or name another object; the result is ready for `presignUrl`
 * and `signRequest` (pass query parameters such as `uploadId` in their `query` option), which sign it as it is.
 * The host follows the S3 endpoint rules of the AWS SDKs: virtual-hosted where the bucket can be a host name,
 * path-style where it cannot (a `.` in the bucket over https), dual-stack, Transfer Acceleration, FIPS, and the
 * partitions' domains (`amazonaws.com.cn`…).
 *
 * A key with a `.` or `..` segment is kept as it is, as S3 reads it; `fetch`, browsers and curl resolve such
 * segments before sending, so that URL reaches S3 with another path, which S3 refuses (the signature covers the
 * path): send it with a client that sends the path as written.
 *
 * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`) for a bucket name S3 does not allow, a key
 * that is empty, longer than 1024 bytes or not well-formed Unicode, a missing or malformed region, and options
 * that cannot go together (Transfer Acceleration with path-style, FIPS, or an endpoint; dual-stack or FIPS with an
 * endpoint; FIPS or acceleration in the China regions), as the AWS SDKs refuse them.
 * @example
 * const url = s3Url({ bucket: 'photos', key: '2024/a b+c?.jpg', region: 'eu-west-1' });
 * // https://photos.s3.eu-west-1.amazonaws.com/2024/a%20b%2Bc%3F.jpg
 * const { url: link } = await presignUrl({ url, service: 's3', region: 'eu-west-1', credentials });
 */
export function s3Url(options: S3UrlOptions): string {
  if (typeof options !== 'object' || options === null) invalidType('options', 'an object', options);
  const { bucket, key, region, endpoint } = options;
  const pathStyle = checkBoolean('forcePathStyle', options.forcePathStyle, endpoint !== undefined);
  const dualstack = checkBoolean('useDualstackEndpoint', options.useDualstackEndpoint, false);
  const accelerate = checkBoolean('useAccelerateEndpoint', options.useAccelerateEndpoint, false);
  const fips = checkBoolean('useFipsEndpoint', options.useFipsEndpoint, false);
  const legacyGlobal = checkBoolean('useGlobalEndpoint', options.useGlobalEndpoint, false);

  if (typeof bucket !== 'string') invalidType('bucket', 'a bucket name', bucket);
  if (bucket.startsWith('arn:'))
    invalidType('bucket', "a bucket name, not an ARN (an access point's alias works as a bucket name)", bucket);
  if (!BUCKET.test(bucket))
    invalidType(
      'bucket',
      'an S3 bucket name: 3 to 63 lowercase letters, digits, "." and "-" (older buckets: up to 255, also uppercase and "_")',
      bucket,
    );
  let path = '/';
  if (key !== undefined) {
    if (typeof key !== 'string') invalidType('key', 'a string (leave it out for the bucket itself)', key);
    if (hasLoneSurrogate(key)) optionError('"key" expected well-formed Unicode, got a lone UTF-16 surrogate');
    // Each UTF-16 code unit is one byte of UTF-8 or more: a longer key is refused before it is encoded.
    if (key.length <= 1024) path += key.split('/').map(uriEncode).join('/');
    // Each byte of the key is one character of the encoded path, or three ("%XX").
    const bytes = path.length - 1 - 2 * (path.split('%').length - 1);
    if (bytes < 1 || bytes > 1024 || key.length > 1024)
      optionError(
        `"key" expected 1 to 1024 bytes of UTF-8 (leave it out for the bucket itself), got ${key.length > 1024 ? `${key.length} characters` : bytes}`,
        true,
      );
  }

  // The refusals of the S3 endpoint rules (botocore and the AWS SDK for JavaScript share them), in their order.
  if (accelerate && fips) both('useAccelerateEndpoint', 'useFipsEndpoint');
  if (endpoint !== undefined) {
    if (dualstack) both('useDualstackEndpoint', 'endpoint');
    if (fips) both('useFipsEndpoint', 'endpoint');
    if (accelerate) both('useAccelerateEndpoint', 'endpoint');
    const text = endpoint instanceof URL ? endpoint.href : endpoint;
    const fault = (message: string): never => optionError(message.replace('"url"', '"endpoint"'));
    const url = parseUrl(text, fault);
    if (url.rawQuery !== undefined || (text as string).includes('#'))
      invalidType('endpoint', 'http(s)://host[:port][/path], without a query or a fragment', text);
    // The path prefix without its trailing "/", in the form the signer sends (a "." or ".." segment would be
    // resolved by fetch, an empty one would be part of the key).
    const prefix = url.rawPath.replace(/\/$/, '');
    if (DOT_OR_EMPTY_SEGMENT.test(prefix)) invalidType('endpoint', 'a path without empty, "." or ".." segments', text);
    const base = prefix && encodePath(prefix, false, fault);
    const [scheme, authority] = url.origin.split('//') as [string, string];
    // Virtual-hosted where the bucket is one host label; over plain http a dotted bucket of such labels also
    // works (no certificate to match). Never on an IP address (the SDK for JavaScript would write
    // bucket.127.0.0.1, botocore refuses it).
    const labels = scheme === 'http:' ? bucket.split('.') : [bucket];
    if (!pathStyle && !IP_HOST.test(authority) && labels.every((label) => LABEL.test(label)))
      return `${scheme}//${bucket}.${authority}${base}${path}`;
    return `${url.origin}${base}/${bucket}${path}`;
  }

  if (typeof region !== 'string') invalidType('region', 'an AWS Region such as "us-east-1" (or an "endpoint")', region);
  if (!REGION.test(region) || region === 'aws-global')
    invalidType(
      'region',
      'an AWS Region such as "us-east-1": lowercase letters, digits and "-" (for s3.amazonaws.com: "us-east-1" and useGlobalEndpoint)',
      region,
    );
  if (bucket.endsWith('--x-s3'))
    invalidType('bucket', 'a general purpose bucket, not a directory bucket (S3 Express One Zone)', bucket);
  const partition = PARTITION.exec(region)?.[1];
  const suffix = partition ? SUFFIXES[partition]! : 'amazonaws.com';
  // The China regions have neither FIPS nor Transfer Acceleration endpoints.
  if ((fips || accelerate) && partition === 'cn')
    invalidType(fips ? 'useFipsEndpoint' : 'useAccelerateEndpoint', `false in ${describe(region)}`, true);
  const virtual = !pathStyle && LABEL.test(bucket);
  if (accelerate && !virtual)
    invalidType(
      'useAccelerateEndpoint',
      'a bucket that can be a host name, without forcePathStyle (Transfer Acceleration has no path-style URLs)',
      true,
    );
  const name = `s3${accelerate ? '-accelerate' : fips ? '-fips' : ''}${dualstack ? '.dualstack' : ''}`;
  const host = accelerate
    ? `${name}.${suffix}`
    : legacyGlobal && region === 'us-east-1' && name === 's3'
      ? `s3.${suffix}`
      : `${name}.${region}.${suffix}`;
  return virtual ? `https://${bucket}.${host}${path}` : `https://${host}/${bucket}${path}`;
}
