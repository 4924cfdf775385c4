// s3Url: the URL of an S3 object from its bucket and key as data. Each address form below is the one botocore
// and the AWS SDK for JavaScript v3 write for the same options (test/s3/botocore-s3-urls.test.ts and
// test/s3/s3-url-sdk.test.ts compare with them on many more); here, the examples, each option, and each
// refusal with its message.

import { describe, expect, it } from 'vitest';
import { INVALID_OPTION, presignUrl, s3Url, type S3UrlOptions } from '../../src/index.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

/** The error s3Url throws for these options: its class, code and message. */
function refusal(options: unknown): { type: string; code: unknown; message: string } {
  try {
    s3Url(options as S3UrlOptions);
  } catch (error) {
    const e = error as Error & { code?: unknown };
    return { type: e.constructor.name, code: e.code, message: e.message };
  }
  throw new Error(`s3Url accepted ${JSON.stringify(options)}`);
}

describe('s3Url', () => {
  it('the issue: a key holding "?" or "#" is data, never a query or a fragment', async () => {
    const url = s3Url({ bucket: 'photos', key: 'photo.jpg?x-amz-acl=public-read', region: 'eu-west-1' });
    expect(url).toBe('https://photos.s3.eu-west-1.amazonaws.com/photo.jpg%3Fx-amz-acl%3Dpublic-read');
    const put = await presignUrl({ url, method: 'PUT', service: 's3', region: 'eu-west-1', credentials });
    expect([...new URL(put.url).searchParams.keys()]).not.toContain('x-amz-acl');
    expect(put.canonicalRequest.split('\n')[1]).toBe('/photo.jpg%3Fx-amz-acl%3Dpublic-read');

    const fragment = s3Url({ bucket: 'photos', key: 'report#page=2.pdf', region: 'eu-west-1' });
    expect(new URL(fragment).pathname).toBe('/report%23page%3D2.pdf');
    expect(new URL(fragment).hash).toBe('');
  });

  it('encodes every byte but the unreserved characters and "/"', () => {
    const at = (key: string) =>
      s3Url({ bucket: 'b-1', key, region: 'us-east-1' }).slice('https://b-1.s3.us-east-1.amazonaws.com'.length);
    expect(at('a b+c%20d/e.txt')).toBe('/a%20b%2Bc%2520d/e.txt');
    expect(at("!'()*~-._")).toBe('/%21%27%28%29%2A~-._');
    expect(at(':@&=$,;[]{}<>^|`"\\')).toBe('/%3A%40%26%3D%24%2C%3B%5B%5D%7B%7D%3C%3E%5E%7C%60%22%5C');
    expect(at('ü/😀')).toBe('/%C3%BC/%F0%9F%98%80');
    expect(at('tab\tnl\n')).toBe('/tab%09nl%0A');
    // "//", "." and ".." are part of an S3 key: kept, never resolved.
    expect(at('/a//b/./c/../')).toBe('//a//b/./c/../');
    expect(at('..')).toBe('/..');
  });

  it('addresses the bucket virtual-hosted where it can be a host name, else path-style', () => {
    expect(s3Url({ bucket: 'examplebucket', key: 'k', region: 'us-east-1' })).toBe(
      'https://examplebucket.s3.us-east-1.amazonaws.com/k',
    );
    // A "." would not match the *.s3 certificate; uppercase and "_" are older us-east-1 names.
    expect(s3Url({ bucket: 'example.bucket', key: 'k', region: 'us-east-1' })).toBe(
      'https://s3.us-east-1.amazonaws.com/example.bucket/k',
    );
    expect(s3Url({ bucket: 'Legacy_Bucket', key: 'k', region: 'us-east-1' })).toBe(
      'https://s3.us-east-1.amazonaws.com/Legacy_Bucket/k',
    );
    expect(s3Url({ bucket: 'examplebucket', key: 'k', region: 'us-east-1', forcePathStyle: true })).toBe(
      'https://s3.us-east-1.amazonaws.com/examplebucket/k',
    );
  });

  it('without a key: the bucket, ending in "/"', () => {
    expect(s3Url({ bucket: 'examplebucket', region: 'eu-west-1' })).toBe(
      'https://examplebucket.s3.eu-west-1.amazonaws.com/',
    );
    expect(s3Url({ bucket: 'examplebucket', region: 'eu-west-1', forcePathStyle: true })).toBe(
      'https://s3.eu-west-1.amazonaws.com/examplebucket/',
    );
    expect(s3Url({ bucket: 'uploads', endpoint: 'http://127.0.0.1:9000' })).toBe('http://127.0.0.1:9000/uploads/');
  });

  it('dual-stack, Transfer Acceleration, FIPS, the global host, and the partitions', () => {
    const at = (o: Partial<S3UrlOptions>) => s3Url({ bucket: 'examplebucket', key: 'k', region: 'us-west-2', ...o });
    expect(at({ useDualstackEndpoint: true })).toBe('https://examplebucket.s3.dualstack.us-west-2.amazonaws.com/k');
    expect(at({ useDualstackEndpoint: true, forcePathStyle: true })).toBe(
      'https://s3.dualstack.us-west-2.amazonaws.com/examplebucket/k',
    );
    expect(at({ useAccelerateEndpoint: true })).toBe('https://examplebucket.s3-accelerate.amazonaws.com/k');
    expect(at({ useAccelerateEndpoint: true, useDualstackEndpoint: true })).toBe(
      'https://examplebucket.s3-accelerate.dualstack.amazonaws.com/k',
    );
    expect(at({ useFipsEndpoint: true })).toBe('https://examplebucket.s3-fips.us-west-2.amazonaws.com/k');
    expect(at({ useFipsEndpoint: true, useDualstackEndpoint: true })).toBe(
      'https://examplebucket.s3-fips.dualstack.us-west-2.amazonaws.com/k',
    );
    // The legacy global host is us-east-1's alone, and only for the plain endpoint.
    expect(at({ region: 'us-east-1', useGlobalEndpoint: true })).toBe('https://examplebucket.s3.amazonaws.com/k');
    expect(at({ useGlobalEndpoint: true })).toBe('https://examplebucket.s3.us-west-2.amazonaws.com/k');
    expect(at({ region: 'us-east-1', useGlobalEndpoint: true, useDualstackEndpoint: true })).toBe(
      'https://examplebucket.s3.dualstack.us-east-1.amazonaws.com/k',
    );
    expect(at({ region: 'cn-north-1' })).toBe('https://examplebucket.s3.cn-north-1.amazonaws.com.cn/k');
    expect(at({ region: 'us-gov-west-1' })).toBe('https://examplebucket.s3.us-gov-west-1.amazonaws.com/k');
    expect(at({ region: 'us-iso-east-1' })).toBe('https://examplebucket.s3.us-iso-east-1.c2s.ic.gov/k');
    expect(at({ region: 'us-isob-east-1' })).toBe('https://examplebucket.s3.us-isob-east-1.sc2s.sgov.gov/k');
    expect(at({ region: 'us-isof-south-1' })).toBe('https://examplebucket.s3.us-isof-south-1.csp.hci.ic.gov/k');
    expect(at({ region: 'eu-isoe-west-1' })).toBe('https://examplebucket.s3.eu-isoe-west-1.cloud.adc-e.uk/k');
    expect(at({ region: 'eusc-de-east-1' })).toBe('https://examplebucket.s3.eusc-de-east-1.amazonaws.eu/k');
    // A region the SDKs do not know yet is in the aws partition.
    expect(at({ region: 'xx-future-9' })).toBe('https://examplebucket.s3.xx-future-9.amazonaws.com/k');
  });

  it('S3-compatible endpoints: path-style by default, virtual-hosted on request where a host name can hold the bucket', () => {
    const at = (endpoint: string | URL, o: Partial<S3UrlOptions> = {}) =>
      s3Url({ bucket: 'examplebucket', key: 'a b', endpoint, ...o });
    expect(at('http://localhost:9000')).toBe('http://localhost:9000/examplebucket/a%20b');
    expect(at('https://ACCOUNT.r2.cloudflarestorage.com', { forcePathStyle: false })).toBe(
      'https://examplebucket.account.r2.cloudflarestorage.com/a%20b',
    );
    expect(at('https://s3.us-west-004.backblazeb2.com/')).toBe(
      'https://s3.us-west-004.backblazeb2.com/examplebucket/a%20b',
    );
    expect(at('https://s3.eu-central-1.wasabisys.com', { forcePathStyle: false })).toBe(
      'https://examplebucket.s3.eu-central-1.wasabisys.com/a%20b',
    );
    // A path prefix (a reverse proxy) stays in front; its trailing "/" is dropped.
    expect(at('https://gw.example.com/storage/')).toBe('https://gw.example.com/storage/examplebucket/a%20b');
    expect(at('https://gw.example.com/storage/', { forcePathStyle: false })).toBe(
      'https://examplebucket.gw.example.com/storage/a%20b',
    );
    // The host as the signer and fetch write it: lowercase, without the default port. A URL object works.
    expect(at(new URL('HTTPS://Gw.Example.com:443/'))).toBe('https://gw.example.com/examplebucket/a%20b');
    expect(at('http://gw.example.com:8080/a%7e%2f')).toBe('http://gw.example.com:8080/a~%2F/examplebucket/a%20b');
    // An IP address cannot take the bucket as a label: path-style, as the SDKs do.
    expect(at('http://127.0.0.1:9000', { forcePathStyle: false })).toBe('http://127.0.0.1:9000/examplebucket/a%20b');
    expect(at('http://[::1]:9000', { forcePathStyle: false })).toBe('http://[::1]:9000/examplebucket/a%20b');
    // Over plain http a dotted bucket works as host labels (no certificate to match); over https it does not.
    expect(s3Url({ bucket: 'abc.example', key: 'k', endpoint: 'http://localhost:9000', forcePathStyle: false })).toBe(
      'http://abc.example.localhost:9000/k',
    );
    expect(s3Url({ bucket: 'abc.example', key: 'k', endpoint: 'https://localhost:9000', forcePathStyle: false })).toBe(
      'https://localhost:9000/abc.example/k',
    );
    // region is the signer's business with an endpoint: not needed, not used.
    expect(at('http://localhost:9000', { region: 'auto' })).toBe('http://localhost:9000/examplebucket/a%20b');
  });

  it('keys of 1 to 1024 bytes of UTF-8', () => {
    expect(s3Url({ bucket: 'b-1', key: 'x'.repeat(1024), region: 'us-east-1' })).toHaveLength(
      'https://b-1.s3.us-east-1.amazonaws.com/'.length + 1024,
    );
    expect(s3Url({ bucket: 'b-1', key: '€'.repeat(341) + 'x', region: 'us-east-1' })).toContain('%E2%82%AC');
    expect(refusal({ bucket: 'b-1', key: '€'.repeat(341) + 'xx', region: 'us-east-1' })).toEqual({
      type: 'RangeError',
      code: INVALID_OPTION,
      message: '"key" expected 1 to 1024 bytes of UTF-8 (leave it out for the bucket itself), got 1025',
    });
    expect(refusal({ bucket: 'b-1', key: 'x'.repeat(5000), region: 'us-east-1' }).message).toBe(
      '"key" expected 1 to 1024 bytes of UTF-8 (leave it out for the bucket itself), got 5000 characters',
    );
    expect(refusal({ bucket: 'b-1', key: '', region: 'us-east-1' }).message).toBe(
      '"key" expected 1 to 1024 bytes of UTF-8 (leave it out for the bucket itself), got 0',
    );
    expect(refusal({ bucket: 'b-1', key: 'a\uD800b', region: 'us-east-1' })).toEqual({
      type: 'TypeError',
      code: INVALID_OPTION,
      message: '"key" expected well-formed Unicode, got a lone UTF-16 surrogate',
    });
    expect(refusal({ bucket: 'b-1', key: 42, region: 'us-east-1' }).message).toBe(
      '"key" expected a string (leave it out for the bucket itself), got 42',
    );
  });

  it('refuses bucket names S3 does not allow, ARNs and directory buckets', () => {
    const name =
      '"bucket" expected an S3 bucket name: 3 to 63 lowercase letters, digits, "." and "-" (older buckets: up to 255, also uppercase and "_")';
    for (const bucket of ['ab', 'a'.repeat(256), 'a/b', 'a b', 'a?b', 'a#b', 'bücket', '']) {
      expect(refusal({ bucket, key: 'k', region: 'us-east-1' })).toEqual({
        type: 'TypeError',
        code: INVALID_OPTION,
        message: `${name}, got ${JSON.stringify(bucket.length > 80 ? bucket.slice(0, 80) : bucket)}${bucket.length > 80 ? '… (256 characters)' : ''}`,
      });
    }
    expect(refusal({ key: 'k', region: 'us-east-1' }).message).toBe('"bucket" expected a bucket name, got undefined');
    expect(
      refusal({ bucket: 'arn:aws:s3:us-west-2:123456789012:accesspoint/ap', key: 'k', region: 'us-west-2' }).message,
    ).toBe(
      '"bucket" expected a bucket name, not an ARN (an access point\'s alias works as a bucket name), got "arn:aws:s3:us-west-2:123456789012:accesspoint/ap"',
    );
    expect(refusal({ bucket: 'data--usw2-az1--x-s3', key: 'k', region: 'us-west-2' }).message).toBe(
      '"bucket" expected a general purpose bucket, not a directory bucket (S3 Express One Zone), got "data--usw2-az1--x-s3"',
    );
    // An access point alias is a bucket name.
    expect(s3Url({ bucket: 'my-ap-hrzrlukc5m36ft7okagglf3gmwluquse1b-s3alias', key: 'k', region: 'us-west-2' })).toBe(
      'https://my-ap-hrzrlukc5m36ft7okagglf3gmwluquse1b-s3alias.s3.us-west-2.amazonaws.com/k',
    );
  });

  it('refuses what the S3 endpoint rules refuse, and what has no region', () => {
    const both = (a: string, b: string) =>
      `"${a}" and "${b}" expected at most one of them, got both (the S3 endpoint rules have no such URL)`;
    const base = { bucket: 'examplebucket', key: 'k', region: 'us-west-2' };
    const endpoint = { bucket: 'examplebucket', key: 'k', endpoint: 'http://localhost:9000' };
    expect(refusal({ ...base, useAccelerateEndpoint: true, useFipsEndpoint: true }).message).toBe(
      both('useAccelerateEndpoint', 'useFipsEndpoint'),
    );
    expect(refusal({ ...endpoint, useDualstackEndpoint: true }).message).toBe(both('useDualstackEndpoint', 'endpoint'));
    expect(refusal({ ...endpoint, useFipsEndpoint: true }).message).toBe(both('useFipsEndpoint', 'endpoint'));
    expect(refusal({ ...endpoint, useAccelerateEndpoint: true }).message).toBe(
      both('useAccelerateEndpoint', 'endpoint'),
    );
    const accelerate =
      '"useAccelerateEndpoint" expected a bucket that can be a host name, without forcePathStyle (Transfer Acceleration has no path-style URLs), got true';
    expect(refusal({ ...base, useAccelerateEndpoint: true, forcePathStyle: true }).message).toBe(accelerate);
    expect(refusal({ ...base, bucket: 'example.bucket', useAccelerateEndpoint: true }).message).toBe(accelerate);
    expect(refusal({ ...base, region: 'cn-north-1', useFipsEndpoint: true }).message).toBe(
      '"useFipsEndpoint" expected false in "cn-north-1", got true',
    );
    expect(refusal({ ...base, region: 'cn-northwest-1', useAccelerateEndpoint: true }).message).toBe(
      '"useAccelerateEndpoint" expected false in "cn-northwest-1", got true',
    );
    const region =
      '"region" expected an AWS Region such as "us-east-1": lowercase letters, digits and "-" (for s3.amazonaws.com: "us-east-1" and useGlobalEndpoint)';
    for (const r of ['US-EAST-1', 'us_east_1', '-us-east-1', 'us.east.1', 'aws-global', ''])
      expect(refusal({ ...base, region: r }).message).toBe(`${region}, got ${JSON.stringify(r)}`);
    expect(refusal({ bucket: 'examplebucket', key: 'k' }).message).toBe(
      '"region" expected an AWS Region such as "us-east-1" (or an "endpoint"), got undefined',
    );
    expect(refusal({ ...base, forcePathStyle: 'yes' }).message).toBe('"forcePathStyle" expected a boolean, got "yes"');
    expect(refusal(null).message).toBe('"options" expected an object, got null');
  });

  it('refuses an endpoint that is not http(s)://host[:port][/path]', () => {
    const at = (endpoint: unknown) => refusal({ bucket: 'examplebucket', key: 'k', endpoint });
    expect(at('localhost:9000').message).toBe('"endpoint" expected an absolute http(s) URL, got "localhost:9000"');
    expect(at('ftp://host/').message).toBe('"endpoint" expected an absolute http(s) URL, got "ftp://host/"');
    expect(at('http://host/?x=1').message).toBe(
      '"endpoint" expected http(s)://host[:port][/path], without a query or a fragment, got "http://host/?x=1"',
    );
    expect(at('http://host/#x').message).toBe(
      '"endpoint" expected http(s)://host[:port][/path], without a query or a fragment, got "http://host/#x"',
    );
    expect(at('http://user:pw@host/').message).toBe(
      '"endpoint" expected a host[:port] without user info (user:password@), got a URL with user info',
    );
    for (const path of ['/a/../b', '/a/./b', '/a//b', '/%2e%2e'])
      expect(at(`http://host${path}`).message).toBe(
        `"endpoint" expected a path without empty, "." or ".." segments, got "http://host${path}"`,
      );
    expect(at('http://host/100%').message).toBe(
      '"endpoint" expected "%" to start an escape of two hex digits (write a literal "%" as %25), got "%" at index 3',
    );
    expect(at(9000)).toEqual({
      type: 'TypeError',
      code: INVALID_OPTION,
      message: '"endpoint" expected an absolute http(s) URL as a string or URL, got 9000',
    });
  });
});
