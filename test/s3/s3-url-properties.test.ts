// Properties of s3Url (fast-check, pinned seeds and run counts) for any key: random unicode, reserved characters,
// "%" and escape look-alikes, dot and empty segments.
//   - S3 reads back the same bucket and key from the URL (the model below: S3's own reading of a request URL);
//   - no key adds, removes or changes a query parameter, before or after presigning (with parameters of its own);
//   - presignUrl signs the path as built; what fetch sends is that path, or, for a key with a "." or ".."
//     segment (which the URL standard resolves), a path whose signature does not verify: never another object.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSigV4Error, presignUrl, s3Url, verifyPresignedUrl, type S3UrlOptions } from '../../src/index.js';
import { addressingArb, bucketArb, keyArb } from './arbitraries.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const NOW = Date.parse('2024-01-01T10:00:00Z');
const SIGNER_PARAMS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-Signature',
  'X-Amz-SignedHeaders',
];

/**
 * S3's reading of a request URL (Amazon S3 User Guide, "Virtual hosting of buckets" and "Creating object key
 * names"; OpenStack Swift's s3api reads it the same way, from the unquoted PATH_INFO): a host under the service's
 * own host names the bucket (virtual-hosted: the labels before it), else the first path segment after the
 * service's path prefix does (path-style); the key is the rest of the path, without its leading "/", taken as it
 * is (no "." / ".." resolution, no "//" collapsing) once its %XX escapes are decoded as bytes of UTF-8. The query
 * and the fragment are no part of it. The model refuses, rather than guesses, a path character outside the
 * unreserved set, "/" and %XX (a raw "+" is a space to some S3 front ends and a plus to others).
 */
function s3Reads(
  url: string,
  serviceHost: string,
  prefix: string,
): { bucket: string; key: string | undefined; query: string | undefined; fragment: string | undefined } {
  const m = /^https?:\/\/([^/?#]+)([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(url);
  if (!m) throw new Error(`not a URL S3 reads: ${url}`);
  const [, host, rawPath, query, fragment] = m as unknown as [
    string,
    string,
    string,
    string | undefined,
    string | undefined,
  ];
  if (!/^(?:[\w.~\/-]|%[0-9A-F]{2})*$/.test(rawPath)) throw new Error(`a path S3 reads ambiguously: ${rawPath}`);
  const bytes: number[] = [];
  for (let i = 0; i < rawPath.length; i++) {
    if (rawPath[i] === '%') {
      bytes.push(parseInt(rawPath.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(rawPath.charCodeAt(i));
  }
  const path = new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
  if (!path.startsWith(`${prefix}/`)) throw new Error(`not under the service's prefix ${prefix}: ${path}`);
  if (host.endsWith(`.${serviceHost}`)) {
    const bucket = host.slice(0, -serviceHost.length - 1);
    return { bucket, key: path.slice(prefix.length + 1) || undefined, query, fragment };
  }
  if (host !== serviceHost) throw new Error(`not the service's host ${serviceHost}: ${host}`);
  const rest = path.slice(prefix.length + 1);
  const slash = rest.indexOf('/');
  return {
    bucket: slash < 0 ? rest : rest.slice(0, slash),
    key: slash < 0 ? undefined : rest.slice(slash + 1) || undefined,
    query,
    fragment,
  };
}

/**
 * The S3 service's host and path prefix for these options: the endpoint's, or the AWS host the SDKs give (which
 * test/s3/s3-url-sdk.test.ts and test/s3/botocore-s3-urls.test.ts check), read off the URL of a bucket that can be
 * a host label.
 */
function service(o: Omit<S3UrlOptions, 'bucket' | 'key'>): [host: string, prefix: string] {
  const host = new URL(s3Url({ ...o, bucket: 'zzz-reference' })).host;
  const prefix = o.endpoint === undefined ? '' : new URL(String(o.endpoint)).pathname.replace(/\/$/, '');
  return [host.startsWith('zzz-reference.') ? host.slice('zzz-reference.'.length) : host, prefix];
}

/** s3Url's URL, or undefined when it refuses the options (the refusals are tested against the SDKs elsewhere). */
const build = (options: S3UrlOptions): string | undefined => {
  try {
    return s3Url(options);
  } catch {
    return undefined;
  }
};

const hasDotSegment = (key: string): boolean => key.split('/').some((s) => s === '.' || s === '..');
const rawQuery = (url: string): string => url.slice(url.indexOf('?') + 1);

describe('s3Url properties', () => {
  it('S3 reads back the bucket and the key, with no query and no fragment', () => {
    let built = 0;
    fc.assert(
      fc.property(bucketArb, keyArb, addressingArb, (bucket, key, addressing) => {
        const url = build({ bucket, key, ...addressing });
        if (url === undefined) return;
        built++;
        expect(url).not.toMatch(/[?#]/);
        const [host, prefix] = service(addressing);
        expect(s3Reads(url, host, prefix)).toEqual({ bucket, key, query: undefined, fragment: undefined });
        // The bucket itself: no key.
        const bucketUrl = s3Url({ bucket, ...addressing });
        expect(bucketUrl.endsWith('/')).toBe(true);
        expect(s3Reads(bucketUrl, host, prefix)).toEqual({
          bucket,
          key: undefined,
          query: undefined,
          fragment: undefined,
        });
      }),
      { seed: 0x531, numRuns: 3000 },
    );
    expect(built).toBeGreaterThan(2000);
  });

  it("no key adds or changes a query parameter: presigned, the parameters are the signer's and the caller's", async () => {
    await fc.assert(
      fc.asyncProperty(
        keyArb,
        fc.option(
          fc.record({
            uploadId: fc.string({ unit: 'grapheme', maxLength: 12 }),
            partNumber: fc.integer({ min: 1, max: 10000 }),
          }),
        ),
        async (key, extra) => {
          const url = s3Url({ bucket: 'examplebucket', key, region: 'eu-west-1' });
          const query = extra ?? undefined;
          const { url: presigned } = await presignUrl({
            url,
            method: 'PUT',
            service: 's3',
            region: 'eu-west-1',
            credentials,
            signingDate: NOW,
            ...(query ? { query } : {}),
          });
          expect(presigned.startsWith(`${url}?`)).toBe(true);
          const params = new URLSearchParams(rawQuery(presigned));
          const expected = [...SIGNER_PARAMS, ...(query ? ['partNumber', 'uploadId'] : [])].sort();
          expect([...params.keys()].sort()).toEqual(expected);
          if (query) {
            expect(params.get('uploadId')).toBe(query.uploadId);
            expect(params.get('partNumber')).toBe(String(query.partNumber));
          }
          // A URL parser agrees: nothing of the key reached the query or a fragment.
          const parsed = new URL(presigned);
          expect([...parsed.searchParams.keys()].sort()).toEqual(expected);
          expect(parsed.hash).toBe('');
        },
      ),
      { seed: 0x532, numRuns: 500 },
    );
  });

  it('presignUrl signs the path as built; fetch sends it, or (dot segments) a path that does not verify', async () => {
    let dotted = 0;
    const getCredentials = (id: string) => (id === credentials.accessKeyId ? credentials : undefined);
    await fc.assert(
      fc.asyncProperty(keyArb, fc.constantFrom('examplebucket', 'example.bucket'), async (key, bucket) => {
        const url = s3Url({ bucket, key, region: 'us-west-2' });
        const path = url.slice(url.indexOf('/', 8));
        const presigned = await presignUrl({ url, service: 's3', region: 'us-west-2', credentials, signingDate: NOW });
        expect(presigned.canonicalRequest.split('\n')[1]).toBe(path);
        // What fetch sends: the URL standard's parse of the URL.
        const sent = new URL(presigned.url);
        const verify = () =>
          verifyPresignedUrl({
            url: sent.href,
            method: 'GET',
            service: 's3',
            region: 'us-west-2',
            getCredentials,
            now: NOW,
          });
        if (!hasDotSegment(key)) {
          expect(sent.pathname).toBe(path);
          expect((await verify()).canonicalRequest).toBe(presigned.canonicalRequest);
        } else {
          dotted++;
          expect(sent.pathname).not.toBe(path);
          const refused = await verify().catch((e: unknown) => e);
          expect(isSigV4Error(refused) && refused.code).toBe('ERR_SIGV4_SIGNATURE_MISMATCH');
        }
      }),
      { seed: 0x533, numRuns: 500 },
    );
    expect(dotted).toBeGreaterThan(10);
  });

  it('takes every key of 1 to 1024 bytes of UTF-8, and refuses longer ones', () => {
    const long = fc.string({
      unit: fc.constantFrom('a', '/', 'é', '日', '😀', '%', ' '),
      minLength: 300,
      maxLength: 1100,
    });
    let over = 0;
    fc.assert(
      fc.property(long, (key) => {
        const bytes = new TextEncoder().encode(key).length;
        const url = build({ bucket: 'examplebucket', key, region: 'us-east-1' });
        expect(url !== undefined).toBe(bytes <= 1024);
        if (url) expect(s3Reads(url, 's3.us-east-1.amazonaws.com', '').key).toBe(key);
        else over++;
      }),
      { seed: 0x534, numRuns: 500 },
    );
    expect(over).toBeGreaterThan(50);
  });
});
