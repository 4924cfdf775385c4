// s3://BUCKET/KEY URIs and the HTTPS URL they name: virtual-hosted or path-style, on AWS or on another endpoint.

import { uriEncode } from '../index.js';
import type { AddressingStyle, Sourced } from './config.js';
import { failure, quote, usageError } from './errors.js';

/** A parsed `s3://BUCKET/KEY`. The key is the exact object key (it may be empty: the bucket itself). */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

// Bucket names as S3 has allowed them (legacy us-east-1 names included): letters, digits, ".", "-" and "_".
const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/;
// A name that can be a DNS label under the S3 host: lowercase, digits and "-", 3 to 63 characters.
const DNS_LABEL_BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
// The same with dots, which works in a host name but not under the *.s3 wildcard certificate over HTTPS.
const DNS_BUCKET = /^(?=.{3,63}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;
const IP_ADDRESS = /^\d+\.\d+\.\d+\.\d+$/;

/** An object through an S3 Multi-Region Access Point: `s3://arn:aws:s3::ACCOUNT:accesspoint/ALIAS.mrap/KEY`. */
export interface MrapLocation {
  /** The access point's alias, `mfzwi23gnjvgw.mrap`. */
  readonly alias: string;
  readonly key: string;
}

// A Multi-Region Access Point ARN (no region: it is global), then the key. The aws partition only: Multi-Region
// Access Points exist there alone. Linear: fixed parts, and one class per quantifier.
const MRAP_ARN = /^arn:aws:s3::\d{12}:accesspoint\/([a-z0-9][a-z0-9-]*\.mrap)(?:\/|$)/;

/**
 * Reads `s3://arn:…`: an S3 Multi-Region Access Point ARN and the key after it, as the AWS CLI takes them. Any
 * other ARN is a usage error that says what to pass instead.
 */
export function parseAccessPointArn(text: string): MrapLocation {
  const rest = text.slice(5);
  const m = MRAP_ARN.exec(rest);
  if (!m) {
    throw usageError(
      `the ARN in ${quote(text)} expected an S3 Multi-Region Access Point, s3://arn:aws:s3::ACCOUNT:accesspoint/ALIAS.mrap/KEY; for another access point, pass its https:// URL with --region`,
    );
  }
  return { alias: m[1]!, key: rest.slice(m[0].length) };
}

/**
 * The HTTPS URL of an object through a Multi-Region Access Point: `https://ALIAS.accesspoint.s3-global.amazonaws.com/KEY`,
 * which S3 takes signed with SigV4a (the AWS CLI's mapping).
 */
export const mrapObjectUrl = (location: MrapLocation): string =>
  `https://${location.alias}.accesspoint.s3-global.amazonaws.com/${encodeKey(location.key)}`;

/** Reads `s3://BUCKET/KEY`. The key is everything after the first `/` after the bucket, taken literally. */
export function parseS3Uri(text: string): S3Location {
  const expected = 'expected s3://BUCKET/KEY';
  if (!text.startsWith('s3://')) throw usageError(`malformed S3 URI ${quote(text)}: ${expected}`);
  const rest = text.slice(5);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  if (bucket === '') throw usageError(`malformed S3 URI ${quote(text)}: ${expected}, with a bucket name after s3://`);
  if (!BUCKET.test(bucket)) {
    throw usageError(
      `malformed S3 URI ${quote(text)}: the bucket ${quote(bucket)} expected 3 to 255 letters, digits, ".", "-" or "_", starting with a letter or digit`,
    );
  }
  return { bucket, key: slash < 0 ? '' : rest.slice(slash + 1) };
}

/**
 * The key as a URL path, each `/`-separated segment percent-encoded (RFC 3986 unreserved characters kept), so
 * the key survives exactly: `%`, `?`, `#`, `+`, spaces and unicode included.
 */
export const encodeKey = (key: string): string => key.split('/').map(uriEncode).join('/');

/** `auto` addressing: virtual-hosted when the bucket can be a host label, else path-style. */
export function usePathStyle(
  bucket: string,
  style: Sourced<AddressingStyle>,
  pathFlag: boolean,
  endpoint: Sourced | undefined,
): boolean {
  if (pathFlag || style.value === 'path') return true;
  if (style.value === 'virtual') {
    if (!DNS_BUCKET.test(bucket) || IP_ADDRESS.test(bucket)) {
      throw usageError(
        `the bucket ${quote(bucket)} cannot be a host name, but ${style.source} sets addressing_style = virtual; pass --path-style`,
      );
    }
    return false;
  }
  // auto: a custom endpoint (MinIO, localstack…) usually has no wildcard DNS, so path-style; AWS: virtual when
  // the bucket is a valid DNS label without dots (dots break the HTTPS certificate match).
  return endpoint !== undefined || !DNS_LABEL_BUCKET.test(bucket);
}

/** Checks an endpoint URL: `http(s)://host[:port][/path]`, without query, fragment or user info. */
export function checkEndpoint(endpoint: Sourced): { origin: string; host: string; scheme: string; path: string } {
  const m = /^(https?):\/\/([^/?#@\s]+)(\/[^?#\s]*)?$/i.exec(endpoint.value);
  if (!m) {
    const fix = endpoint.source === '--endpoint-url' ? 'pass' : `fix ${endpoint.source} to`;
    throw (endpoint.source === '--endpoint-url' ? usageError : failure)(
      `the endpoint URL ${quote(endpoint.value)} from ${endpoint.source} expected http(s)://HOST[:PORT][/PATH]; ${fix} a URL such as http://localhost:9000`,
    );
  }
  const scheme = m[1]!.toLowerCase();
  return { scheme, host: m[2]!, origin: `${scheme}://${m[2]!}`, path: (m[3] ?? '').replace(/\/+$/, '') };
}

/** The AWS S3 host of a region: `s3.amazonaws.com` for us-east-1, `s3.REGION.amazonaws.com` (`.com.cn` in China). */
export function awsS3Host(region: string): string {
  if (region === 'us-east-1') return 's3.amazonaws.com';
  return `s3.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

/** The HTTPS URL of an object, as a string the signer reads with the key intact. */
export function s3ObjectUrl(
  location: S3Location,
  region: string,
  endpoint: Sourced | undefined,
  pathStyle: boolean,
): string {
  const key = encodeKey(location.key);
  const { scheme, host, path } = endpoint
    ? checkEndpoint(endpoint)
    : { scheme: 'https', host: awsS3Host(region), path: '' };
  return pathStyle
    ? `${scheme}://${host}${path}/${location.bucket}${key === '' ? '' : '/' + key}`
    : `${scheme}://${location.bucket}.${host}${path}/${key}`;
}
