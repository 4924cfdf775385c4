// Verifying SigV4a (AWS4-ECDSA-P256-SHA256) with verifyPresignedUrl and verifyRequest: round trips over random
// requests and region sets, the server's region against the signed region set, every change to a signed part
// refused, and the signature's DER tampered with in every way (length bytes, sign bits, r and s swapped, high s,
// out-of-range integers): typed errors, never an exception from the crypto layer.

import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isSigV4Error,
  presignUrlV4a,
  signRequestV4a,
  verifyPresignedUrl,
  verifyRequest,
  type PresignedUrlV4a,
  type SignedRequestV4a,
  type VerifyOptions,
} from '../../src/index.js';
import { N, derOf, derParts, referenceScalar, referenceSign } from '../support/v4a.js';

const SEED = 20150830;
const ACCESS = 'AKIDV4AEXAMPLE';
const SECRET = 'v4a/secret+EXAMPLE=key';
const TOKEN = 'FwoGZXIvYXdzEJr//////////wEaDEXAMPLE+token/=';
const NOW = Date.parse('2026-03-04T05:06:07Z');
const credentials = { accessKeyId: ACCESS, secretAccessKey: SECRET };
const lookup = (id: string) =>
  id === ACCESS
    ? { secretAccessKey: SECRET }
    : id === 'ASIAV4A'
      ? { secretAccessKey: SECRET, sessionToken: TOKEN }
      : undefined;
const accept = { service: 's3', region: 'eu-west-1', now: NOW, getCredentials: lookup } as const;
const sign = { service: 's3', credentials, signingDate: NOW } as const;
const URL_BASE = 'https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/';

async function refused(promise: Promise<unknown>, code: string, ...secrets: string[]): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error === undefined) throw new Error(`expected ${code}, but it verified`);
  if (!isSigV4Error(error)) throw error;
  expect(error.code, error.message).toBe(code);
  const everything = inspect(error, { depth: 10, showHidden: true }) + JSON.stringify(error);
  for (const leak of [SECRET, ...secrets]) expect(everything).not.toContain(leak);
  return error.message;
}

const withSignature = (url: string, signature: string): string =>
  url.replace(/X-Amz-Signature=\w+/, `X-Amz-Signature=${signature}`);
const headersWithSignature = (signed: SignedRequestV4a, signature: string): Record<string, string> => ({
  ...signed.headers,
  authorization: signed.authorization.replace(/Signature=\w+$/, `Signature=${signature}`),
});

describe('verifyPresignedUrl with SigV4a', () => {
  it('verifies, and tells the algorithm, the region set and the accepted region it includes', async () => {
    const presigned = await presignUrlV4a({
      ...sign,
      url: URL_BASE + 'photos/a b.jpg',
      method: 'PUT',
      regionSet: ['us-east-1', 'eu-west-1'],
      headers: { 'content-type': 'image/jpeg' },
      expiresIn: 600,
    });
    const verified = await verifyPresignedUrl({
      ...accept,
      region: ['ap-south-1', 'eu-west-1', 'us-east-1'],
      url: presigned.url,
      method: 'PUT',
      headers: presigned.headers,
    });
    expect(verified).toMatchObject({
      algorithm: 'AWS4-ECDSA-P256-SHA256',
      regionSet: ['us-east-1', 'eu-west-1'],
      region: 'eu-west-1', // the first accepted region in the set
      service: 's3',
      accessKeyId: ACCESS,
      credentialScope: '20260304/s3/aws4_request',
      expiresIn: 600,
      expiresAt: new Date(NOW + 600_000),
      path: '/photos/a%20b.jpg',
      signedHeaders: ['content-type', 'host'],
      canonicalRequest: presigned.canonicalRequest,
      stringToSign: presigned.stringToSign,
    });
  });

  it('a region set of "*" includes every region; a set without the server’s region is ERR_SIGV4_REGION', async () => {
    const everywhere = await presignUrlV4a({ ...sign, url: URL_BASE + 'k', regionSet: '*' });
    for (const region of ['eu-west-1', 'us-gov-west-1', 'cn-north-1'])
      expect((await verifyPresignedUrl({ ...accept, region, url: everywhere.url, method: 'GET' })).region).toBe(region);
    const elsewhere = await presignUrlV4a({ ...sign, url: URL_BASE + 'k', regionSet: ['us-east-1', 'us-west-2'] });
    expect(
      await refused(verifyPresignedUrl({ ...accept, url: elsewhere.url, method: 'GET' }), 'ERR_SIGV4_REGION'),
    ).toBe('the region set expected to include "eu-west-1" (or "*"), got "us-east-1,us-west-2"');
  });

  it('the region set is signed: changing it is a mismatch; a malformed or missing one is refused', async () => {
    const presigned = await presignUrlV4a({ ...sign, url: URL_BASE + 'k', regionSet: 'eu-west-1' });
    const url = presigned.url;
    await refused(
      verifyPresignedUrl({
        ...accept,
        url: url.replace('X-Amz-Region-Set=eu-west-1', 'X-Amz-Region-Set=%2A'),
        method: 'GET',
      }),
      'ERR_SIGV4_SIGNATURE_MISMATCH',
    );
    expect(
      await refused(
        verifyPresignedUrl({
          ...accept,
          url: url.replace('X-Amz-Region-Set=eu-west-1', 'X-Amz-Region-Set=eu-west-1%2C'),
          method: 'GET',
        }),
        'ERR_SIGV4_MALFORMED',
      ),
    ).toBe('X-Amz-Region-Set expected comma-separated region names or "*", got "eu-west-1,"');
    expect(
      await refused(
        verifyPresignedUrl({ ...accept, url: url.replace('&X-Amz-Region-Set=eu-west-1', ''), method: 'GET' }),
        'ERR_SIGV4_MALFORMED',
      ),
    ).toBe('the URL expected the query parameters X-Amz-Region-Set, got none (is it a presigned URL?)');
    await refused(
      verifyPresignedUrl({ ...accept, url: url + '&x-amz-region-set=eu-west-1', method: 'GET' }),
      'ERR_SIGV4_MALFORMED',
    );
  });

  it('the algorithm decides the credential form: a SigV4 scope under SigV4a is ERR_SIGV4_CREDENTIAL', async () => {
    const presigned = await presignUrlV4a({ ...sign, url: URL_BASE + 'k', regionSet: 'eu-west-1' });
    expect(
      await refused(
        verifyPresignedUrl({
          ...accept,
          url: presigned.url.replace('%2F20260304%2Fs3%2F', '%2F20260304%2Feu-west-1%2Fs3%2F'),
          method: 'GET',
        }),
        'ERR_SIGV4_CREDENTIAL',
      ),
    ).toBe(
      'X-Amz-Credential expected <access key id>/<YYYYMMDD>/<service>/aws4_request, got "AKIDV4AEXAMPLE/20260304/eu-west-1/s3/aws4_request"',
    );
    await refused(
      verifyPresignedUrl({ ...accept, url: presigned.url.replace('ECDSA-P256-SHA256', 'HMAC-SHA256'), method: 'GET' }),
      'ERR_SIGV4_CREDENTIAL',
    );
  });

  it('reports the method a URL was signed for, with diagnoseMethod', async () => {
    const presigned = await presignUrlV4a({ ...sign, url: URL_BASE + 'k', method: 'PUT', regionSet: '*' });
    await refused(verifyPresignedUrl({ ...accept, url: presigned.url, method: 'GET' }), 'ERR_SIGV4_SIGNATURE_MISMATCH');
    expect(
      await refused(
        verifyPresignedUrl({ ...accept, url: presigned.url, method: 'GET', diagnoseMethod: true }),
        'ERR_SIGV4_METHOD',
      ),
    ).toBe('the request was signed for PUT, got "GET"');
  });

  it('checks the secret, the access key, the session token, the date and the expiry', async () => {
    const presigned = await presignUrlV4a({ ...sign, url: URL_BASE + 'k', regionSet: '*', expiresIn: 60 });
    const options = { ...accept, url: presigned.url, method: 'GET' };
    await refused(
      verifyPresignedUrl({ ...options, getCredentials: () => ({ secretAccessKey: 'another' }) }),
      'ERR_SIGV4_SIGNATURE_MISMATCH',
    );
    await refused(verifyPresignedUrl({ ...options, getCredentials: () => undefined }), 'ERR_SIGV4_UNKNOWN_ACCESS_KEY');
    await refused(verifyPresignedUrl({ ...options, now: NOW + 61_000 }), 'ERR_SIGV4_EXPIRED');
    await refused(verifyPresignedUrl({ ...options, now: NOW - 901_000 }), 'ERR_SIGV4_NOT_YET_VALID');
    await refused(verifyPresignedUrl({ ...options, service: 'execute-api' }), 'ERR_SIGV4_SERVICE');
    const temporary = await presignUrlV4a({
      ...sign,
      url: URL_BASE + 'k',
      regionSet: '*',
      credentials: { accessKeyId: 'ASIAV4A', secretAccessKey: SECRET, sessionToken: TOKEN },
    });
    expect((await verifyPresignedUrl({ ...accept, url: temporary.url, method: 'GET' })).sessionToken).toBe(TOKEN);
    await refused(
      verifyPresignedUrl({
        ...accept,
        url: temporary.url.replace(/X-Amz-Security-Token=[^&]+/, 'X-Amz-Security-Token=x'),
        method: 'GET',
      }),
      'ERR_SIGV4_SIGNATURE_MISMATCH',
    );
  });
});

describe('verifyRequest with SigV4a', () => {
  it('verifies a header-signed request, with the body checked against x-amz-content-sha256', async () => {
    const signed = await signRequestV4a({
      ...sign,
      url: URL_BASE + 'r.csv',
      method: 'PUT',
      regionSet: '*',
      body: 'a,b',
    });
    const options = { ...accept, url: signed.url, method: 'PUT', headers: signed.headers, body: 'a,b' };
    expect(await verifyRequest(options)).toMatchObject({
      algorithm: 'AWS4-ECDSA-P256-SHA256',
      regionSet: ['*'],
      region: 'eu-west-1',
      credentialScope: '20260304/s3/aws4_request',
      signedHeaders: ['host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-region-set'],
      stringToSign: signed.stringToSign,
    });
    await refused(verifyRequest({ ...options, body: 'a,c' }), 'ERR_SIGV4_PAYLOAD_HASH');
  });

  it('needs the x-amz-region-set header, signed and well-formed', async () => {
    const signed = await signRequestV4a({ ...sign, url: URL_BASE + 'k', regionSet: 'eu-west-1' });
    const options = { ...accept, url: signed.url, method: 'GET' };
    const { 'x-amz-region-set': _, ...without } = signed.headers;
    expect(await refused(verifyRequest({ ...options, headers: without }), 'ERR_SIGV4_MALFORMED')).toBe(
      'the SigV4a request expected an x-amz-region-set header, got none',
    );
    const unsigned = {
      ...signed.headers,
      authorization: signed.authorization.replace(';x-amz-region-set,', ','),
    };
    expect(await refused(verifyRequest({ ...options, headers: unsigned }), 'ERR_SIGV4_SIGNED_HEADERS')).toBe(
      'the x-amz-region-set header expected to be signed, got it unsigned',
    );
    await refused(
      verifyRequest({ ...options, headers: { ...signed.headers, 'x-amz-region-set': 'eu-west-1,*' } }),
      'ERR_SIGV4_SIGNATURE_MISMATCH',
    );
    await refused(
      verifyRequest({ ...options, headers: { ...signed.headers, 'x-amz-region-set': 'EU-WEST-1' } }),
      'ERR_SIGV4_MALFORMED',
    );
    await refused(
      verifyRequest({ ...options, headers: { ...signed.headers, 'x-amz-region-set': 'us-east-1' } }),
      'ERR_SIGV4_REGION',
    );
  });

  it('a SigV4a scope is read only under SigV4a: under AWS4-HMAC-SHA256 it is ERR_SIGV4_CREDENTIAL', async () => {
    const signed = await signRequestV4a({ ...sign, url: URL_BASE + 'k', regionSet: '*' });
    const authorization = signed.authorization.replace('AWS4-ECDSA-P256-SHA256', 'AWS4-HMAC-SHA256');
    await refused(
      verifyRequest({ ...accept, url: signed.url, method: 'GET', headers: { ...signed.headers, authorization } }),
      'ERR_SIGV4_CREDENTIAL',
    );
  });
});

describe('the signature’s DER, tampered with', () => {
  const tamperings = (signature: string): [string, string, string][] => {
    const { r, s } = derParts(signature);
    const bytes = Buffer.from(signature, 'hex');
    const at = (i: number, f: (b: number) => number): string => {
      const copy = Buffer.from(bytes);
      copy[i] = f(copy[i]!);
      return copy.toString('hex');
    };
    return [
      ['the SEQUENCE length byte + 1', at(1, (b) => b + 1), 'ERR_SIGV4_MALFORMED'],
      ['the SEQUENCE length byte - 1', at(1, (b) => b - 1), 'ERR_SIGV4_MALFORMED'],
      ['the length byte of r + 1', at(3, (b) => b + 1), 'ERR_SIGV4_MALFORMED'],
      ['the length byte of r - 1', at(3, (b) => b - 1), 'ERR_SIGV4_MALFORMED'],
      ['the tag of r', at(2, () => 0x03), 'ERR_SIGV4_MALFORMED'],
      ['the SEQUENCE tag', at(0, () => 0x31), 'ERR_SIGV4_MALFORMED'],
      ['the sign bit of r set (a negative r)', at(4, (b) => b | 0x80), 'ERR_SIGV4_MALFORMED'],
      [
        'a leading zero byte before r',
        derOf(r, s).replace(
          /^30(..)02(..)/,
          (_, l: string, rl: string) =>
            `30${(parseInt(l, 16) + 1).toString(16).padStart(2, '0')}02${(parseInt(rl, 16) + 1).toString(16).padStart(2, '0')}00`,
        ),
        'ERR_SIGV4_MALFORMED',
      ],
      ['a byte after the SEQUENCE', signature + '00', 'ERR_SIGV4_MALFORMED'],
      ['truncated by one byte', signature.slice(0, -2), 'ERR_SIGV4_MALFORMED'],
      ['upper-case hex', signature.toUpperCase(), 'ERR_SIGV4_MALFORMED'],
      ['r = 0', derOf(0n, s), 'ERR_SIGV4_MALFORMED'],
      ['s = n', derOf(r, N), 'ERR_SIGV4_MALFORMED'],
      ['r = n + r', derOf(N + r, s), 'ERR_SIGV4_MALFORMED'],
      ['r and s swapped', derOf(s, r), 'ERR_SIGV4_SIGNATURE_MISMATCH'],
      ['s + 1', derOf(r, s + 1n === N ? 1n : s + 1n), 'ERR_SIGV4_SIGNATURE_MISMATCH'],
      ['r of another signature', derOf(r === 1n ? 2n : r - 1n, s), 'ERR_SIGV4_SIGNATURE_MISMATCH'],
      ['an HMAC signature in its place', 'a'.repeat(64), 'ERR_SIGV4_MALFORMED'],
    ];
  };

  it('each tampering of a presigned URL’s and of a signed request’s signature is its typed error', async () => {
    const presigned = await presignUrlV4a({ ...sign, url: URL_BASE + 'k', regionSet: '*' });
    const signed = await signRequestV4a({ ...sign, url: URL_BASE + 'k', regionSet: '*' });
    for (const [name, signature, code] of tamperings(presigned.signature)) {
      const message = await refused(
        verifyPresignedUrl({ ...accept, url: withSignature(presigned.url, signature), method: 'GET' }),
        code,
        presigned.signature,
      );
      if (code === 'ERR_SIGV4_MALFORMED')
        expect(message, name).toMatch(/^X-Amz-Signature expected the hex of a DER ECDSA signature/);
    }
    for (const [name, signature, code] of tamperings(signed.signature)) {
      const message = await refused(
        verifyRequest({ ...accept, url: signed.url, method: 'GET', headers: headersWithSignature(signed, signature) }),
        code,
        signed.signature,
      );
      if (code === 'ERR_SIGV4_MALFORMED')
        expect(message, name).toMatch(/^the Signature field expected the hex of a DER/);
    }
  });

  it('accepts a high s (n - s), as AWS’s signers make them (70 of the 152 in aws-c-auth’s suite)', async () => {
    const presigned = await presignUrlV4a({ ...sign, url: URL_BASE + 'k', regionSet: '*' });
    const { r, s } = derParts(presigned.signature);
    const flipped = derOf(r, N - s);
    const verified = await verifyPresignedUrl({ ...accept, url: withSignature(presigned.url, flipped), method: 'GET' });
    expect(verified.stringToSign).toBe(presigned.stringToSign);
  });

  it('a signature made by another signer (node:crypto) with the same derived key verifies', async () => {
    const presigned = await presignUrlV4a({ ...sign, url: URL_BASE + 'k', regionSet: '*' });
    const theirs = referenceSign(referenceScalar(ACCESS, SECRET), presigned.stringToSign);
    await verifyPresignedUrl({ ...accept, url: withSignature(presigned.url, theirs), method: 'GET' });
  });

  it('any signature text at all gives a SigV4Error, never another exception', async () => {
    const presigned = await presignUrlV4a({ ...sign, url: URL_BASE + 'k', regionSet: '*' });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 160 }),
          fc.uint8Array({ minLength: 0, maxLength: 80 }).map((b) => Buffer.from(b).toString('hex')),
          fc
            .tuple(fc.bigInt({ min: 0n, max: 2n ** 264n }), fc.bigInt({ min: 0n, max: 2n ** 264n }))
            .map(([r, s]) => derOf(r, s)),
        ),
        async (text) => {
          const outcome = await verifyPresignedUrl({
            ...accept,
            url: withSignature(presigned.url, encodeURIComponent(text)),
            method: 'GET',
          }).then(
            () => 'verified',
            (e: unknown) => e,
          );
          if (outcome !== 'verified') expect(isSigV4Error(outcome), String(outcome)).toBe(true);
          else expect(text).toBe(presigned.signature);
        },
      ),
      { seed: SEED, numRuns: 400 },
    );
  });
});

describe('properties: sign → verify over random requests and region sets; any change to a signed part refused', () => {
  const region = fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1');
  const inputs = fc.record({
    key: fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 }),
    service: fc.constantFrom('s3', 'execute-api', 'events'),
    method: fc.constantFrom('GET', 'PUT', 'POST', 'DELETE'),
    regionSet: fc.oneof(fc.constant(['*']), fc.uniqueArray(region, { minLength: 1, maxLength: 3 })),
    server: region,
    query: fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
    header: fc.option(fc.stringMatching(/^[\x21-\x7e]{1,10}$/), { nil: undefined }),
    token: fc.boolean(),
    presign: fc.boolean(),
  });

  it('round trips, and a change of the path, a query value, a header, the method or the date is refused', async () => {
    await fc.assert(
      fc.asyncProperty(inputs, async (r) => {
        const url = `https://example.com/${r.key.map(encodeURIComponent).join('/')}`;
        const creds = r.token ? { accessKeyId: 'ASIAV4A', secretAccessKey: SECRET, sessionToken: TOKEN } : credentials;
        const options = {
          url,
          method: r.method,
          service: r.service,
          regionSet: r.regionSet,
          credentials: creds,
          signingDate: NOW,
          query: r.query,
          ...(r.header === undefined ? {} : { headers: { 'x-custom': r.header } }),
        };
        const server: VerifyOptions = {
          url: '',
          method: r.method,
          service: r.service,
          region: r.server,
          now: NOW,
          getCredentials: lookup,
        };
        const set: readonly string[] = r.regionSet;
        const included = set.includes('*') || set.includes(r.server);
        let result: PresignedUrlV4a | SignedRequestV4a;
        let run: (change: Partial<VerifyOptions>) => Promise<unknown>;
        if (r.presign) {
          const presigned = await presignUrlV4a(options);
          result = presigned;
          run = (change) =>
            verifyPresignedUrl({ ...server, url: presigned.url, headers: presigned.headers, ...change });
        } else {
          const signed = await signRequestV4a(options);
          result = signed;
          run = (change) => verifyRequest({ ...server, url: signed.url, headers: signed.headers, ...change });
        }
        if (!included) {
          await refused(run({}), 'ERR_SIGV4_REGION');
          return;
        }
        const verified = (await run({})) as Awaited<ReturnType<typeof verifyRequest>>;
        expect(verified.stringToSign).toBe(result.stringToSign);
        expect(verified.regionSet).toEqual(r.regionSet);
        expect(verified.region).toBe(r.server);
        // Changes to signed parts.
        const u = new URL(result.url);
        const otherPath = result.url.replace(u.pathname, u.pathname + 'x');
        await refused(run({ url: otherPath }), 'ERR_SIGV4_SIGNATURE_MISMATCH');
        await refused(run({ method: r.method === 'GET' ? 'HEAD' : 'GET' }), 'ERR_SIGV4_SIGNATURE_MISMATCH');
        await refused(
          run({
            url: result.url.includes('?') ? result.url.replace('?', '?zz=1&') : result.url + '?zz=1',
          }),
          'ERR_SIGV4_SIGNATURE_MISMATCH',
        );
        if (r.header !== undefined) {
          const headers = { ...('headers' in result ? result.headers : {}), 'x-custom': r.header + 'x' };
          await refused(run({ headers }), 'ERR_SIGV4_SIGNATURE_MISMATCH');
        }
        if (r.presign) {
          await refused(
            run({ url: result.url.replace('X-Amz-Date=20260304T050607Z', 'X-Amz-Date=20260304T050608Z') }),
            'ERR_SIGV4_SIGNATURE_MISMATCH',
          );
        } else {
          const headers = { ...(result as SignedRequestV4a).headers, 'x-amz-date': '20260304T050608Z' };
          await refused(run({ headers }), 'ERR_SIGV4_SIGNATURE_MISMATCH');
        }
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});
