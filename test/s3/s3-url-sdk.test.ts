// s3Url against the AWS SDK for JavaScript v3 (@aws-sdk/client-s3 and its presigner, run here): for random
// buckets, keys and addressing options, the SDK's presigned GetObject URL and s3Url's agree on the URL before the
// query and, presigned with the same credentials and clock, on the signature; where the SDK refuses the options,
// s3Url refuses them too. Two documented differences are mapped or checked as such: with an endpoint, s3Url's
// default is path-style (botocore's and the AWS CLI's), the SDK's virtual-hosted; and on an IP address s3Url stays
// path-style where the SDK writes a host no URL parser takes.

import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { INVALID_OPTION, presignUrl, s3Url, type S3UrlOptions } from '../../src/index.js';
import { addressingArb, bucketArb, keyArb } from './arbitraries.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const signingDate = new Date('2024-01-01T10:00:00Z');
const SIGNER_PARAMS = /^X-Amz-(?:Algorithm|Credential|Date|Expires|SignedHeaders|Signature)$/;

/** The SDK's presigned GetObject URL for these options, or its error. */
async function sdkUrl(options: S3UrlOptions & { key: string }): Promise<string | Error> {
  const { bucket, key, region, endpoint, forcePathStyle, ...flags } = options;
  try {
    const client = new S3Client({
      region: endpoint === undefined ? region! : 'us-east-1',
      credentials,
      ...(endpoint === undefined ? {} : { endpoint: String(endpoint) }),
      // s3Url's default with an endpoint is path-style; the SDK's is virtual-hosted.
      forcePathStyle: forcePathStyle ?? endpoint !== undefined,
      ...flags,
    });
    return await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), {
      expiresIn: 900,
      signingDate,
    });
  } catch (error) {
    return error as Error;
  }
}

/** s3Url's URL for these options, presigned with the SDK's extra parameters (x-id, checksum mode…), or its error. */
async function ours(options: S3UrlOptions & { key: string }, sdk: string): Promise<[string, string] | Error> {
  let url: string;
  try {
    url = s3Url(options);
  } catch (error) {
    return error as Error;
  }
  const query = [...new URL(sdk).searchParams].filter(([name]) => !SIGNER_PARAMS.test(name));
  const region = options.endpoint === undefined ? options.region! : 'us-east-1';
  const presigned = await presignUrl({ url, service: 's3', region, credentials, signingDate, expiresIn: 900, query });
  return [url, presigned.url];
}

const beforeQuery = (url: string): string => url.slice(0, url.indexOf('?'));
const sortedParams = (url: string): string[] =>
  url
    .slice(url.indexOf('?') + 1)
    .split('&')
    .sort();

/** On an IP address, a dotted bucket asked virtual-hosted over http: the SDK writes bucket.labels.127.0.0.1. */
const dottedOnIp = (o: S3UrlOptions): boolean =>
  o.endpoint === 'http://127.0.0.1:9000' && o.forcePathStyle === false && o.bucket.includes('.');

describe('s3Url and the AWS SDK for JavaScript v3', () => {
  it('the same URL and signature, or both refuse (random buckets, keys and options)', async () => {
    let agreed = 0;
    let refused = 0;
    let onIp = 0;
    await fc.assert(
      fc.asyncProperty(bucketArb, keyArb, addressingArb, async (bucket, key, addressing) => {
        const options = { bucket, key, ...addressing };
        if (
          dottedOnIp(options) &&
          bucket.split('.').every((label) => /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(label))
        ) {
          // The SDK logs its failure: kept out of the test's output.
          const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
          const sdk = await sdkUrl(options).finally(() => quiet.mockRestore());
          expect((sdk as Error).message).toBe('Invalid URL');
          expect(s3Url(options).startsWith(`http://127.0.0.1:9000/${bucket}/`)).toBe(true);
          onIp++;
          return;
        }
        const sdk = await sdkUrl(options);
        const mine = await ours(options, typeof sdk === 'string' ? sdk : 'https://x/');
        if (sdk instanceof Error) {
          expect(mine, `the SDK refused (${sdk.message}); s3Url did not`).toBeInstanceOf(TypeError);
          expect((mine as { code?: unknown }).code).toBe(INVALID_OPTION);
          refused++;
          return;
        }
        expect(mine, `s3Url refused what the SDK took: ${sdk}`).toBeInstanceOf(Array);
        const [url, presigned] = mine as [string, string];
        expect(url).toBe(beforeQuery(sdk));
        expect(sortedParams(presigned)).toEqual(sortedParams(sdk));
        agreed++;
      }),
      { seed: 0x53a, numRuns: 400 },
    );
    // Both outcomes are exercised, each often.
    expect(agreed).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(30);
    expect(onIp).toBeGreaterThan(0);
  }, 120_000);

  it('an SDK quirk s3Url does not follow: an endpoint path ending in "/" written twice', async () => {
    const options = {
      bucket: 'examplebucket',
      key: 'k',
      endpoint: 'http://localhost:9000/pre/',
      forcePathStyle: false,
    };
    expect(beforeQuery((await sdkUrl(options)) as string)).toBe('http://examplebucket.localhost:9000/pre//k');
    expect(s3Url(options)).toBe('http://examplebucket.localhost:9000/pre/k'); // botocore's
  });

  it('the SDK refuses forcePathStyle with Transfer Acceleration (botocore drops forcePathStyle); so does s3Url', async () => {
    const options = {
      bucket: 'examplebucket',
      key: 'k',
      region: 'us-west-2',
      forcePathStyle: true,
      useAccelerateEndpoint: true,
    };
    expect(((await sdkUrl(options)) as Error).message).toBe('Path-style addressing cannot be used with S3 Accelerate');
    expect(() => s3Url(options)).toThrow(/Transfer Acceleration has no path-style URLs/);
  });
});
