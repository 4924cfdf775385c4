// presignUrlV4a and signRequestV4a: their options (the SigV4 ones, with regionSet), their results, and every
// signature they make checked by node:crypto with a key derived apart from src/ (test/support/v4a.ts).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALGORITHM_V4A,
  INVALID_OPTION,
  SigningKeyCache,
  deriveV4aPublicKey,
  presignUrl,
  presignUrlV4a,
  signRequest,
  signRequestV4a,
  type PresignV4aOptions,
} from '../../src/index.js';
import { nodeVerifies, publicKeyOf, referencePublicKey, referenceScalar } from '../support/v4a.js';

const SEED = 20150830;
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
// The public key computed by node:crypto from the reference derivation: independent of src/.
const KEY = publicKeyOf(referencePublicKey(referenceScalar(credentials.accessKeyId, credentials.secretAccessKey)));
const base = {
  url: 'https://examplebucket.s3.amazonaws.com/photos/a b+c.jpg',
  service: 's3',
  regionSet: '*',
  credentials,
  signingDate: '2026-01-02T03:04:05Z',
} as const;

async function rejection(run: () => Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await run();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('accepted');
}

describe('presignUrlV4a', () => {
  it('presigns an S3 Multi-Region Access Point URL for every region', async () => {
    const presigned = await presignUrlV4a({
      ...base,
      url: 'https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/photos/cat.jpg',
      expiresIn: 900,
    });
    expect(presigned.url).toMatch(
      /^https:\/\/mfzwi23gnjvgw\.mrap\.accesspoint\.s3-global\.amazonaws\.com\/photos\/cat\.jpg\?X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20260102%2Fs3%2Faws4_request&X-Amz-Date=20260102T030405Z&X-Amz-Expires=900&X-Amz-Region-Set=%2A&X-Amz-SignedHeaders=host&X-Amz-Signature=30[0-9a-f]{14,142}$/,
    );
    expect(presigned).toMatchObject({
      algorithm: ALGORITHM_V4A,
      regionSet: ['*'],
      credentialScope: '20260102/s3/aws4_request',
      amzDate: '20260102T030405Z',
      method: 'GET',
      headers: {},
      signedHeaders: ['host'],
      expiresAt: new Date('2026-01-02T03:19:05Z'),
    });
    expect(presigned.canonicalRequest).toBe(
      [
        'GET',
        '/photos/cat.jpg',
        'X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20260102%2Fs3%2Faws4_request&X-Amz-Date=20260102T030405Z&X-Amz-Expires=900&X-Amz-Region-Set=%2A&X-Amz-SignedHeaders=host',
        'host:mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com',
        '',
        'host',
        'UNSIGNED-PAYLOAD',
      ].join('\n'),
    );
    expect(presigned.stringToSign).toBe(
      `AWS4-ECDSA-P256-SHA256\n20260102T030405Z\n20260102/s3/aws4_request\n${presigned.stringToSign.split('\n')[3]}`,
    );
    expect(presigned.url.endsWith(`&X-Amz-Signature=${presigned.signature}`)).toBe(true);
    expect(nodeVerifies(KEY, presigned.stringToSign, presigned.signature)).toBe(true);
  });

  it('takes a region set as a list or comma-separated, and signs it as written', async () => {
    for (const regionSet of [['us-east-1', 'us-west-2'], 'us-east-1,us-west-2']) {
      const presigned = await presignUrlV4a({ ...base, regionSet });
      expect(presigned.regionSet).toEqual(['us-east-1', 'us-west-2']);
      expect(presigned.url).toContain('&X-Amz-Region-Set=us-east-1%2Cus-west-2&');
    }
  });

  it('signs a session token, or adds it after signing with signSessionToken: false', async () => {
    const temporary = { ...credentials, sessionToken: 'FwoGZXIvYXdzEJr//////////wEaDEXAMPLE+token/=' };
    const signed = await presignUrlV4a({ ...base, credentials: temporary });
    expect(signed.canonicalRequest).toContain('&X-Amz-Security-Token=FwoGZXIvYXdzEJr%2F%2F');
    expect(nodeVerifies(KEY, signed.stringToSign, signed.signature)).toBe(true);
    const after = await presignUrlV4a({ ...base, credentials: temporary, signSessionToken: false });
    expect(after.canonicalRequest).not.toContain('X-Amz-Security-Token');
    expect(after.url).toMatch(/&X-Amz-Security-Token=FwoG[^&]+&X-Amz-Signature=30/);
  });

  it('hoists x-amz-* headers and signs the rest, as presignUrl does', async () => {
    const presigned = await presignUrlV4a({
      ...base,
      method: 'PUT',
      headers: { 'content-type': 'text/csv', 'x-amz-meta-owner': 'Ann' },
      hoistAmzHeaders: true,
    });
    expect(presigned.headers).toEqual({ 'content-type': 'text/csv' });
    expect(presigned.signedHeaders).toEqual(['content-type', 'host']);
    expect(presigned.url).toContain('&x-amz-meta-owner=Ann');
  });
});

describe('signRequestV4a', () => {
  it('signs in the Authorization header, with a signed x-amz-region-set header', async () => {
    const signed = await signRequestV4a({
      ...base,
      method: 'PUT',
      body: 'hello',
      regionSet: ['eu-west-1', 'us-east-1'],
    });
    expect(signed.headers).toMatchObject({
      'x-amz-region-set': 'eu-west-1,us-east-1',
      'x-amz-date': '20260102T030405Z',
      'x-amz-content-sha256': '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    });
    expect(signed.authorization).toBe(
      `AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20260102/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-region-set, Signature=${signed.signature}`,
    );
    expect(signed.headers['authorization']).toBe(signed.authorization);
    expect(signed).toMatchObject({ algorithm: ALGORITHM_V4A, regionSet: ['eu-west-1', 'us-east-1'] });
    expect(signed.credentialScope).toBe('20260102/s3/aws4_request');
    expect(nodeVerifies(KEY, signed.stringToSign, signed.signature)).toBe(true);
  });

  it('gives another valid signature each time (ECDSA is randomized)', async () => {
    const [a, b] = await Promise.all([signRequestV4a(base), signRequestV4a(base)]);
    expect(a.stringToSign).toBe(b.stringToSign);
    expect(a.signature).not.toBe(b.signature);
    expect(nodeVerifies(KEY, a.stringToSign, a.signature) && nodeVerifies(KEY, b.stringToSign, b.signature)).toBe(true);
  });
});

describe('the options: the SigV4 ones, with regionSet, checked before any crypto', () => {
  const refusals: [string, Record<string, unknown>, RegExp][] = [
    ['no regionSet', { regionSet: undefined }, /^"regionSet" expected region names .* got undefined$/],
    ['an empty regionSet', { regionSet: [] }, /^"regionSet" expected .* got an array$/],
    ['an empty string', { regionSet: '' }, /^"regionSet" expected .* got ""$/],
    ['a space after a comma', { regionSet: 'us-east-1, us-west-2' }, /got " us-west-2"$/],
    ['an empty entry', { regionSet: 'us-east-1,,us-west-2' }, /got ""$/],
    ['an upper-case name', { regionSet: ['US-EAST-1'] }, /got "US-EAST-1"$/],
    ['a wildcard inside a name', { regionSet: 'us-*' }, /got "us-\*"$/],
    ['a number', { regionSet: [1] }, /got 1$/],
    ['a region, which SigV4a does not take', { region: 'us-east-1' }, /^"region" expected no region with SigV4a/],
    [
      'an x-amz-region-set header',
      { headers: { 'X-Amz-Region-Set': 'us-east-1' } },
      /expected no x-amz-region-set, which the signer sets/,
    ],
    ['an X-Amz-Region-Set query parameter', { query: { 'x-amz-region-set': '*' } }, /expected no x-amz-region-set/],
    ['bad credentials', { credentials: { accessKeyId: 'A' } }, /^"credentials\.secretAccessKey" expected/],
  ];
  for (const [name, change, message] of refusals) {
    it(`refuses ${name}`, async () => {
      for (const sign of [presignUrlV4a, signRequestV4a]) {
        const error = await rejection(() => sign({ ...base, ...change } as unknown as PresignV4aOptions));
        expect(error).toBeInstanceOf(TypeError);
        expect(error.code).toBe(INVALID_OPTION);
        expect(error.message).toMatch(message);
        expect(error.message).not.toContain(credentials.secretAccessKey);
      }
    });
  }
  it('refuses what presignUrl refuses, with its errors', async () => {
    const error = await rejection(() => presignUrlV4a({ ...base, expiresIn: 0 }));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('"expiresIn" expected an integer 1..604800 (seconds), got 0');
  });
  it('refuses a non-object', async () => {
    const error = await rejection(() => presignUrlV4a(null as unknown as PresignV4aOptions));
    expect(error.message).toBe('"options" expected an object, got null');
  });
});

describe('the canonical request is SigV4’s, with SigV4a’s algorithm, scope and region set', () => {
  // SigV4's signer, given the region set as an ordinary signed header or query parameter, builds the same
  // canonical request but for the algorithm and credential: a check that SigV4a reuses SigV4's reading whole.
  const inputs = fc.record({
    path: fc.constantFrom('/', '/a b/ü', '/x/../y//z', '/%41%2f'),
    service: fc.constantFrom('s3', 'execute-api', 'dynamodb'),
    method: fc.constantFrom('GET', 'PUT', 'POST'),
    regionSet: fc.array(fc.constantFrom('us-east-1', 'eu-west-1', 'ap-south-2', '*'), { minLength: 1, maxLength: 3 }),
    query: fc.dictionary(fc.constantFrom('a', 'B', 'x-id', 'list-type'), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
    headers: fc.dictionary(fc.constantFrom('content-type', 'x-amz-meta-a', 'range'), fc.constantFrom('1', 'a b', ''), {
      maxKeys: 2,
    }),
    token: fc.option(fc.constantFrom('TOKEN/+=', 'abc'), { nil: undefined }),
    signSessionToken: fc.boolean(),
    hoistAmzHeaders: fc.boolean(),
  });
  it('presignUrlV4a and signRequestV4a, over random requests', async () => {
    await fc.assert(
      fc.asyncProperty(inputs, async (r) => {
        const options = {
          url: `https://example.com${r.path}`,
          method: r.method,
          service: r.service,
          credentials: { ...credentials, ...(r.token === undefined ? {} : { sessionToken: r.token }) },
          signingDate: 1_700_000_000_000,
          query: r.query,
          headers: r.headers,
          signSessionToken: r.signSessionToken,
        };
        const set = r.regionSet.join(',');
        const v4a = await presignUrlV4a({ ...options, regionSet: r.regionSet, hoistAmzHeaders: r.hoistAmzHeaders });
        const v4 = await presignUrl({
          ...options,
          region: 'us-east-1',
          query: { ...r.query, 'X-Amz-Region-Set': set },
          hoistAmzHeaders: r.hoistAmzHeaders,
        });
        const credential = (scope: string) => `X-Amz-Credential=AKIDEXAMPLE%2F${scope.replaceAll('/', '%2F')}`;
        expect(v4a.canonicalRequest).toBe(
          v4.canonicalRequest
            .replace('X-Amz-Algorithm=AWS4-HMAC-SHA256', 'X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256')
            .replace(credential(v4.credentialScope), credential(v4a.credentialScope)),
        );
        expect(v4a.url.replace(/&X-Amz-Signature=.*/, '')).toBe(
          v4.url
            .replace(/&X-Amz-Signature=.*/, '')
            .replace('X-Amz-Algorithm=AWS4-HMAC-SHA256', 'X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256')
            .replace(credential(v4.credentialScope), credential(v4a.credentialScope)),
        );
        expect(v4a.credentialScope).toBe(`20231114/${r.service}/aws4_request`);
        expect(nodeVerifies(KEY, v4a.stringToSign, v4a.signature)).toBe(true);

        const signedV4a = await signRequestV4a({ ...options, regionSet: r.regionSet, body: 'x' });
        const signedV4 = await signRequest({
          ...options,
          region: 'us-east-1',
          headers: { ...r.headers, 'x-amz-region-set': set },
          body: 'x',
        });
        expect(signedV4a.canonicalRequest).toBe(signedV4.canonicalRequest);
        expect(signedV4a.url).toBe(signedV4.url);
        const { authorization: _a, ...headersV4a } = signedV4a.headers;
        const { authorization: _b, ...headersV4 } = signedV4.headers;
        expect(headersV4a).toEqual(headersV4);
        expect(nodeVerifies(KEY, signedV4a.stringToSign, signedV4a.signature)).toBe(true);
      }),
      { seed: SEED, numRuns: 80 },
    );
  });
});

describe('every signature verifies with node:crypto, for arbitrary credentials', () => {
  it('with the key node:crypto computes from the reference derivation, and deriveV4aPublicKey gives that key', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[A-Z0-9]{16,24}$/),
        fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }),
        fc.boolean(),
        async (accessKeyId, secretAccessKey, presign) => {
          const creds = { accessKeyId, secretAccessKey };
          const reference = referencePublicKey(referenceScalar(accessKeyId, secretAccessKey));
          const cache = new SigningKeyCache(2);
          const result = presign
            ? await presignUrlV4a({ ...base, credentials: creds, cache })
            : await signRequestV4a({ ...base, credentials: creds, cache });
          expect(nodeVerifies(publicKeyOf(reference), result.stringToSign, result.signature)).toBe(true);
          expect(await deriveV4aPublicKey(creds)).toEqual(reference);
          // The cached key signs the same way.
          const again = await presignUrlV4a({ ...base, credentials: creds, cache });
          expect(cache.size).toBe(1);
          expect(nodeVerifies(publicKeyOf(reference), again.stringToSign, again.signature)).toBe(true);
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
  });
});

describe('without Web Crypto', () => {
  /** Runs `f` with `globalThis.crypto` removed. */
  async function withoutCrypto<T>(f: () => Promise<T>): Promise<T> {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
    Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true, writable: true });
    try {
      return await f();
    } finally {
      Object.defineProperty(globalThis, 'crypto', saved);
    }
  }

  it('an option error comes first (no crypto has run), then Web Crypto is asked for, and no failed key is kept', async () => {
    const cache = new SigningKeyCache();
    await withoutCrypto(async () => {
      const misuse = await rejection(() => presignUrlV4a({ ...base, regionSet: 'nowhere!', cache }));
      expect(misuse.message).toMatch(/^"regionSet" expected/);
      for (const sign of [presignUrlV4a, signRequestV4a]) {
        const error = await rejection(() => sign({ ...base, cache }));
        expect(error).toBeInstanceOf(TypeError);
        expect(error.message).toMatch(/^sigv4 expected Web Crypto \(globalThis\.crypto\.subtle\), got none/);
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 10)); // the failed derivation has been forgotten
    expect(cache.size).toBe(0);
    const presigned = await presignUrlV4a({ ...base, cache });
    expect(nodeVerifies(KEY, presigned.stringToSign, presigned.signature)).toBe(true);
  });
});
