// vectors/botocore-s3-urls.json holds presigned S3 GET URLs made by botocore (boto3's and the AWS CLI's S3 client:
// its endpoint rules, its key serialization, its S3SigV4QueryAuth) for keys a URL template breaks, under each
// addressing option, and the options it refuses; recorded by scripts/record-botocore-s3.py, never made by this
// library. For each: s3Url builds botocore's URL, and presignUrl over it gives botocore's canonical request and
// signature, so the path S3 is sent is the one botocore would send for the same bucket and key.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INVALID_OPTION, presignUrl, s3Url, type S3UrlOptions } from '../../src/index.js';

interface Case {
  options: S3UrlOptions & { key: string };
  botocore: Record<string, unknown>;
  /** The region botocore signed with. */
  region: string;
  url: string;
  canonicalRequest: string;
}
const vectors = JSON.parse(readFileSync(new URL('../../vectors/botocore-s3-urls.json', import.meta.url), 'utf8')) as {
  botocore: string;
  signingDate: string;
  expiresIn: number;
  credentials: { accessKeyId: string; secretAccessKey: string };
  cases: Case[];
  refused: { options: S3UrlOptions; error: string }[];
};

const beforeQuery = (url: string): string => url.slice(0, url.indexOf('?'));
const params = (url: string): string[] =>
  url
    .slice(url.indexOf('?') + 1)
    .split('&')
    .sort();

// botocore follows the endpoint rules to http://example.bucket.name.127.0.0.1:9000/, a host no URL parser takes
// (a last label that is a number makes it an IPv4 address): s3Url stays path-style on an IP address.
const onIpAddress = (c: Case): boolean =>
  c.options.endpoint === 'http://127.0.0.1:9000' &&
  c.options.bucket.includes('.') &&
  c.options.forcePathStyle === false;

describe(`botocore ${vectors.botocore} presigned S3 URLs (vectors/botocore-s3-urls.json)`, () => {
  it('holds the keys and the addressing options the issue names', () => {
    const keys = new Set(vectors.cases.map((c) => c.options.key));
    for (const key of ['photo.jpg?x-amz-acl=public-read', 'report#page=2.pdf', 'a b+c%20d%2Fe.txt', 'x/./y/../z', '..'])
      expect(keys).toContain(key);
    const hosts = new Set(vectors.cases.map((c) => new URL(beforeQuery(c.url).replace('127.0.0.1', 'ip')).host));
    for (const host of [
      'examplebucket.s3.us-east-1.amazonaws.com',
      's3.eu-west-1.amazonaws.com',
      'examplebucket.s3.dualstack.ap-southeast-2.amazonaws.com',
      'examplebucket.s3-accelerate.amazonaws.com',
      'examplebucket.s3-fips.us-gov-west-1.amazonaws.com',
      'examplebucket.s3.cn-north-1.amazonaws.com.cn',
      'localhost:9000',
      'examplebucket.0123456789abcdef.r2.cloudflarestorage.com',
    ])
      expect(hosts).toContain(host);
    expect(vectors.cases.length).toBeGreaterThanOrEqual(300);
  });

  it.each(
    vectors.cases
      .filter((c) => !onIpAddress(c))
      .map((c, i) => [i, JSON.stringify(c.options).slice(0, 110), c] as const),
  )('%i %s', async (_, __, c) => {
    const url = s3Url(c.options);
    expect(url).toBe(beforeQuery(c.url));
    const presigned = await presignUrl({
      url,
      service: 's3',
      region: c.region,
      credentials: vectors.credentials,
      signingDate: vectors.signingDate,
      expiresIn: vectors.expiresIn,
    });
    expect(presigned.canonicalRequest).toBe(c.canonicalRequest);
    expect(beforeQuery(presigned.url)).toBe(url);
    expect(params(presigned.url)).toEqual(params(c.url));
  });

  it('on an IP address, path-style where botocore writes a host no URL parser reads', () => {
    const cases = vectors.cases.filter(onIpAddress);
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      expect(() => new URL(c.url)).toThrow(TypeError);
      expect(s3Url(c.options)).toBe(
        `http://127.0.0.1:9000/${c.options.bucket}/${beforeQuery(c.url).split('/').slice(3).join('/')}`,
      );
    }
  });

  it.each(vectors.refused.map((r) => [r.error, r] as const))('refuses what botocore refuses: %s', (_, r) => {
    let thrown: unknown;
    try {
      s3Url(r.options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as { code?: unknown }).code).toBe(INVALID_OPTION);
  });
});
