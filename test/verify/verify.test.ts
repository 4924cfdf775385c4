// verifyPresignedUrl and verifyRequest check by check: each error code with an otherwise valid signature, the
// boundaries to the second, what the result tells the server, and that no error ever holds a secret.

import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  EMPTY_SHA256,
  SigningKeyCache,
  isSigV4Error,
  presignUrl,
  presignUrlSync,
  signRequest,
  signRequestSync,
  verifyPresignedUrl,
  verifyRequest,
  type SigV4ErrorCode,
  type VerifyOptions,
} from '../../src/index.js';
import { hmacHex, rfc3986, sha256Hex, signingKey } from '../support/reference.js';

const ACCESS = 'AKIDVERIFYEXAMPLE';
const SECRET = 'verify/Secret+Key=EXAMPLE/wJalrXUtnFEMI';
const TOKEN = 'session/token+with=chars//EXAMPLE==';
const SIGNED_AT = Date.parse('2015-08-30T12:36:00Z');
const AMZ_DATE = '20150830T123600Z';
const s = (n: number): number => n * 1000;

// ---- The reference signer (node:crypto), for requests the library's signer would refuse to produce. ----

// Every error is checked for these: the secrets, the derived keys of the scopes the tests use.
const LEAKS = [SECRET, TOKEN];
for (const [region, service] of [
  ['us-east-1', 'svc'],
  ['us-east-1', 's3'],
  ['eu-west-1', 'svc'],
] as const) {
  const key = signingKey(SECRET, '20150830', region, service);
  LEAKS.push(key.toString('hex'), key.toString('base64'));
}

interface RawRequest {
  method?: string;
  host?: string;
  path?: string;
  /** Decoded query parameters; undefined drops a default one. */
  params?: Record<string, string | undefined>;
  /** Values of signed headers other than host. */
  headers?: Record<string, string>;
  payloadHash?: string;
  secret?: string;
}

function rawSignature(r: RawRequest, query: string, signedHeaders: string, amzDate: string, scope: string): string {
  const host = r.host ?? 'example.com';
  const headerLines = signedHeaders
    .split(';')
    .map((name) => `${name}:${name === 'host' ? host : (r.headers?.[name] ?? '')}\n`)
    .join('');
  const canonicalRequest = [
    r.method ?? 'GET',
    r.path ?? '/key',
    query,
    headerLines,
    signedHeaders,
    r.payloadHash ?? EMPTY_SHA256,
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const [date, region, service] = scope.split('/') as [string, string, string];
  return hmacHex(signingKey(r.secret ?? SECRET, date, region, service), stringToSign);
}

const scopeOf = (credential: string): string => {
  const parts = credential.split('/');
  return parts.length >= 5 ? parts.slice(-4).join('/') : '20150830/us-east-1/svc/aws4_request';
};

/** A presigned URL with any parameters, validly signed over them (service `svc`, region us-east-1). */
function presignRaw(r: RawRequest = {}): string {
  const params: Record<string, string | undefined> = {
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${ACCESS}/20150830/us-east-1/svc/aws4_request`,
    'X-Amz-Date': AMZ_DATE,
    'X-Amz-Expires': '3600',
    'X-Amz-SignedHeaders': 'host',
    ...r.params,
  };
  const pairs = Object.entries(params)
    .filter((p): p is [string, string] => p[1] !== undefined)
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([k1, v1], [k2, v2]) => (k1 < k2 ? -1 : k1 > k2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0));
  const query = pairs.map(([k, v]) => `${k}=${v}`).join('&');
  const signature = rawSignature(
    r,
    query,
    params['X-Amz-SignedHeaders'] ?? 'host',
    params['X-Amz-Date'] ?? AMZ_DATE,
    scopeOf(params['X-Amz-Credential'] ?? ''),
  );
  return `https://${r.host ?? 'example.com'}${r.path ?? '/key'}?${query}&X-Amz-Signature=${signature}`;
}

/** Headers of a header-signed request over `signed` (name → value) plus extras, with any Authorization fields. */
function signHeadersRaw(
  r: RawRequest & {
    amzDate?: string;
    credential?: string;
    signedHeaders?: string;
    extra?: Record<string, string>;
  } = {},
) {
  const amzDate = r.amzDate ?? AMZ_DATE;
  const credential = r.credential ?? `${ACCESS}/20150830/us-east-1/svc/aws4_request`;
  const signedHeaders = r.signedHeaders ?? 'host;x-amz-date';
  const headers = { 'x-amz-date': amzDate, ...r.headers };
  const signature = rawSignature({ ...r, headers }, '', signedHeaders, amzDate, scopeOf(credential));
  return {
    signature,
    headers: {
      ...headers,
      ...r.extra,
      authorization: `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    } as Record<string, string>,
  };
}

const keys = new Map([[ACCESS, { secretAccessKey: SECRET }]]);
afterEach(() => {
  vi.restoreAllMocks();
});

const base = {
  method: 'GET',
  service: 'svc',
  region: 'us-east-1',
  getCredentials: (id: string) => keys.get(id),
  now: SIGNED_AT,
} satisfies Omit<VerifyOptions, 'url'>;

/** Awaits a rejection, checks its code, and that nothing secret is anywhere in the error. */
async function expectCode(
  promise: Promise<unknown>,
  code: SigV4ErrorCode,
  extraLeaks: readonly string[] = [],
): Promise<string> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${code}, but it verified`);
    },
    (e: unknown) => e,
  );
  if (!isSigV4Error(error)) throw error;
  expect(error.code, error.message).toBe(code);
  const everything =
    inspect(error, { depth: 10, showHidden: true }) +
    JSON.stringify(error) +
    String((error as { cause?: unknown }).cause);
  for (const leak of [...LEAKS, ...extraLeaks]) expect(everything).not.toContain(leak);
  return error.message;
}

describe('verifyPresignedUrl: round trip with presignUrl', () => {
  it('tells the server who signed, the scope, the times and the signed headers', async () => {
    const presigned = await presignUrl({
      url: 'https://bucket.s3.eu-west-1.amazonaws.com/photos/a b+ü.jpg',
      method: 'PUT',
      service: 's3',
      region: 'eu-west-1',
      credentials: { accessKeyId: ACCESS, secretAccessKey: SECRET, sessionToken: TOKEN },
      signingDate: SIGNED_AT,
      expiresIn: 900,
      headers: { 'Content-Type': 'image/jpeg', 'x-amz-meta-owner': 'alice' },
    });
    const verified = await verifyPresignedUrl({
      url: presigned.url,
      method: 'PUT',
      headers: { 'content-type': 'image/jpeg', 'X-Amz-Meta-Owner': 'alice', host: 'bucket.s3.eu-west-1.amazonaws.com' },
      service: 's3',
      region: ['us-east-1', 'eu-west-1'],
      getCredentials: async (id) => (id === ACCESS ? { secretAccessKey: SECRET, sessionToken: TOKEN } : undefined),
      now: SIGNED_AT + s(900),
    });
    expect(verified).toEqual({
      accessKeyId: ACCESS,
      credentialScope: '20150830/eu-west-1/s3/aws4_request',
      region: 'eu-west-1',
      service: 's3',
      signingDate: new Date(SIGNED_AT),
      amzDate: AMZ_DATE,
      expiresIn: 900,
      expiresAt: new Date('2015-08-30T12:51:00Z'),
      method: 'PUT',
      path: '/photos/a%20b%2B%C3%BC.jpg',
      signedHeaders: ['content-type', 'host', 'x-amz-meta-owner'],
      headers: { 'content-type': 'image/jpeg', host: 'bucket.s3.eu-west-1.amazonaws.com', 'x-amz-meta-owner': 'alice' },
      payloadHash: 'UNSIGNED-PAYLOAD',
      sessionToken: TOKEN,
      canonicalRequest: presigned.canonicalRequest,
      stringToSign: presigned.stringToSign,
    });
  });

  it('verifies what the synchronous signers produce', async () => {
    const common = {
      url: 'https://bucket.s3.amazonaws.com/a b',
      service: 's3',
      region: 'us-east-1',
      signingDate: SIGNED_AT,
    };
    const credentials = { accessKeyId: ACCESS, secretAccessKey: SECRET };
    const presigned = presignUrlSync({ ...common, method: 'PUT', credentials });
    expect(
      (await verifyPresignedUrl({ ...base, service: 's3', method: 'PUT', url: presigned.url })).canonicalRequest,
    ).toBe(presigned.canonicalRequest);
    const signed = signRequestSync({ ...common, method: 'POST', credentials, body: 'x' });
    const verified = await verifyRequest({
      ...base,
      service: 's3',
      method: 'POST',
      url: signed.url,
      headers: signed.headers,
      body: 'x',
    });
    expect(verified.canonicalRequest).toBe(signed.canonicalRequest);
  });

  it('takes the credential lookup sync or async, and passes on what it throws', async () => {
    const url = presignRaw();
    const seen: string[] = [];
    await verifyPresignedUrl({ ...base, url, getCredentials: (id) => (seen.push(id), { secretAccessKey: SECRET }) });
    await verifyPresignedUrl({ ...base, url, getCredentials: (id) => Promise.resolve(keys.get(id)) });
    expect(seen).toEqual([ACCESS]);
    const failure = new Error('database down');
    await expect(verifyPresignedUrl({ ...base, url, getCredentials: () => Promise.reject(failure) })).rejects.toBe(
      failure,
    );
  });

  it('the host may differ in letter case or by a default port, nothing more', async () => {
    const url = presignRaw();
    for (const same of [
      url.replace('example.com', 'EXAMPLE.Com'),
      url.replace('example.com', 'example.com:443'),
      url.replace('https:', 'HTTPS:'),
    ]) {
      expect((await verifyPresignedUrl({ ...base, url: same })).headers).toEqual({ host: 'example.com' });
    }
    await expectCode(
      verifyPresignedUrl({ ...base, url: url.replace('https://example.com', 'http://example.com:443') }),
      'ERR_SIGV4_SIGNATURE_MISMATCH',
    );
  });

  it('a URL object verifies the same as its text', async () => {
    const url = presignRaw({ path: '/a/b~c' });
    await verifyPresignedUrl({ ...base, url: new URL(url) });
  });

  it('host comes from the host header when given (a server behind a proxy), else from the URL', async () => {
    const url = presignRaw();
    const proxied = url.replace('https://example.com', 'http://127.0.0.1:8080');
    await expectCode(verifyPresignedUrl({ ...base, url: proxied }), 'ERR_SIGV4_SIGNATURE_MISMATCH');
    const verified = await verifyPresignedUrl({ ...base, url: proxied, headers: { Host: 'example.com' } });
    expect(verified.headers).toEqual({ host: 'example.com' });
  });

  it('uses the shared, a given or no signing key cache', async () => {
    const cache = new SigningKeyCache(4);
    const url = presignRaw();
    await verifyPresignedUrl({ ...base, url, cache });
    await verifyPresignedUrl({ ...base, url, cache });
    expect(cache.size).toBe(1);
    await verifyPresignedUrl({ ...base, url, cache: false });
  });

  it('finds the cached key for a new credentials object from getCredentials without hashing its secret', async () => {
    const cache = new SigningKeyCache(4);
    const url = presignRaw();
    const digest = vi.spyOn(crypto.subtle, 'digest');
    const sign = vi.spyOn(crypto.subtle, 'sign');
    await verifyPresignedUrl({ ...base, url, cache }); // the canonical request; the key derived (4 HMACs) and used
    expect([digest.mock.calls.length, sign.mock.calls.length]).toEqual([1, 5]);
    await verifyPresignedUrl({ ...base, url, cache }); // the same object from keys.get(): the canonical request only
    expect([digest.mock.calls.length, sign.mock.calls.length]).toEqual([2, 6]);
    await verifyPresignedUrl({ ...base, url, cache, getCredentials: () => ({ secretAccessKey: SECRET }) }); // a new object
    expect([digest.mock.calls.length, sign.mock.calls.length]).toEqual([3, 7]);
    expect(cache.size).toBe(1);
  });
});

describe('verifyPresignedUrl: time, to the second', () => {
  const url = presignRaw({ params: { 'X-Amz-Expires': '60' } });
  it('valid from X-Amz-Date − clock skew through X-Amz-Date + X-Amz-Expires, inclusive', async () => {
    for (const now of [SIGNED_AT - s(900), SIGNED_AT, SIGNED_AT + s(60)])
      await verifyPresignedUrl({ ...base, url, now });
    await verifyPresignedUrl({ ...base, url, now: new Date(SIGNED_AT + s(60)) });
  });
  it('expired one second (even one millisecond) after', async () => {
    const message = await expectCode(verifyPresignedUrl({ ...base, url, now: SIGNED_AT + s(61) }), 'ERR_SIGV4_EXPIRED');
    expect(message).toBe(
      'the URL expired at 2015-08-30T12:37:00.000Z (X-Amz-Date + 60 s); now is 2015-08-30T12:37:01.000Z',
    );
    await expectCode(verifyPresignedUrl({ ...base, url, now: SIGNED_AT + s(60) + 1 }), 'ERR_SIGV4_EXPIRED');
  });
  it('not yet valid one second before the skew', async () => {
    const message = await expectCode(
      verifyPresignedUrl({ ...base, url, now: SIGNED_AT - s(901) }),
      'ERR_SIGV4_NOT_YET_VALID',
    );
    expect(message).toBe(
      'the request is dated 2015-08-30T12:36:00.000Z, more than 900 s after now (2015-08-30T12:20:59.000Z)',
    );
    await verifyPresignedUrl({ ...base, url, now: SIGNED_AT - s(30), clockSkew: 30 });
    await expectCode(
      verifyPresignedUrl({ ...base, url, now: SIGNED_AT - s(31), clockSkew: 30 }),
      'ERR_SIGV4_NOT_YET_VALID',
    );
    await expectCode(verifyPresignedUrl({ ...base, url, now: SIGNED_AT - 1, clockSkew: 0 }), 'ERR_SIGV4_NOT_YET_VALID');
  });
  it('X-Amz-Expires 604800 is the longest: valid for exactly 7 days', async () => {
    const week = presignRaw({ params: { 'X-Amz-Expires': '604800' } });
    const verified = await verifyPresignedUrl({ ...base, url: week, now: SIGNED_AT + s(604800) });
    expect(verified.expiresAt.toISOString()).toBe('2015-09-06T12:36:00.000Z');
    await expectCode(verifyPresignedUrl({ ...base, url: week, now: SIGNED_AT + s(604801) }), 'ERR_SIGV4_EXPIRED');
  });
  it('X-Amz-Expires 604801, 0, negative, fractional, padded or not a number is refused, even validly signed', async () => {
    for (const expires of ['604801', '0', '-1', '1.5', '01', '', ' 60', '1e3', '99999999', 'abc']) {
      const message = await expectCode(
        verifyPresignedUrl({ ...base, url: presignRaw({ params: { 'X-Amz-Expires': expires } }) }),
        'ERR_SIGV4_EXPIRES',
      );
      expect(message).toBe(`X-Amz-Expires expected an integer 1..604800 (seconds), got ${JSON.stringify(expires)}`);
    }
    await verifyPresignedUrl({ ...base, url: presignRaw({ params: { 'X-Amz-Expires': '1' } }) });
  });
});

describe('verifyPresignedUrl: each check has its own code, even with a valid signature', () => {
  const check = (
    params: Record<string, string | undefined>,
    code: SigV4ErrorCode,
    options: Partial<VerifyOptions> = {},
  ) => expectCode(verifyPresignedUrl({ ...base, ...options, url: presignRaw({ params }) }), code);

  it('ERR_SIGV4_ALGORITHM', async () => {
    expect(await check({ 'X-Amz-Algorithm': 'AWS4-HMAC-SHA1' }, 'ERR_SIGV4_ALGORITHM')).toBe(
      'the algorithm expected "AWS4-HMAC-SHA256", got "AWS4-HMAC-SHA1"',
    );
    await check({ 'X-Amz-Algorithm': 'AWS4-ECDSA-P256-SHA256' }, 'ERR_SIGV4_ALGORITHM');
    await check({ 'X-Amz-Algorithm': 'aws4-hmac-sha256' }, 'ERR_SIGV4_ALGORITHM');
  });

  it('ERR_SIGV4_MALFORMED: each required parameter missing, repeated, or in another case', async () => {
    for (const name of ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders']) {
      expect(await check({ [name]: undefined }, 'ERR_SIGV4_MALFORMED')).toBe(
        `the URL expected the query parameters ${name}, got none (is it a presigned URL?)`,
      );
    }
    const url = presignRaw();
    await expectCode(
      verifyPresignedUrl({ ...base, url: url.replace(/&X-Amz-Signature=\w+/, '') }),
      'ERR_SIGV4_MALFORMED',
    );
    await expectCode(verifyPresignedUrl({ ...base, url: url + '&X-Amz-Date=20150830T123600Z' }), 'ERR_SIGV4_MALFORMED');
    await expectCode(
      verifyPresignedUrl({ ...base, url: url + '&X-Amz-Signature=' + '0'.repeat(64) }),
      'ERR_SIGV4_MALFORMED',
    );
    expect(
      await expectCode(
        verifyPresignedUrl({ ...base, url: url.replace('X-Amz-Date', 'x-amz-date') }),
        'ERR_SIGV4_MALFORMED',
      ),
    ).toBe('expected the query parameter X-Amz-Date, got "x-amz-date" (names are case-sensitive)');
    await expectCode(verifyPresignedUrl({ ...base, url: 'https://example.com/key' }), 'ERR_SIGV4_MALFORMED');
  });

  it('ERR_SIGV4_CREDENTIAL and ERR_SIGV4_SCOPE', async () => {
    for (const credential of [`${ACCESS}/20150830/us-east-1/svc`, '/20150830/us-east-1/svc/aws4_request', ACCESS, '']) {
      await check({ 'X-Amz-Credential': credential }, 'ERR_SIGV4_CREDENTIAL');
    }
    expect(
      await check({ 'X-Amz-Credential': `${ACCESS}/20150831/us-east-1/svc/aws4_request` }, 'ERR_SIGV4_SCOPE'),
    ).toBe('the credential scope date expected the signing date 20150830, got "20150831"');
    await check({ 'X-Amz-Credential': `${ACCESS}/20150830/us-east-1/svc/aws4_requesT` }, 'ERR_SIGV4_SCOPE');
    // Issue 12: the access key id follows the signer's rule (no "/", ",", spaces; at most 128 characters), so an
    // id with "/" is refused before the lookup, even one the lookup knows and validly signed.
    keys.set('team/key', { secretAccessKey: SECRET });
    expect(
      await check({ 'X-Amz-Credential': 'team/key/20150830/us-east-1/svc/aws4_request' }, 'ERR_SIGV4_CREDENTIAL'),
    ).toBe(
      'X-Amz-Credential expected <access key id>/<YYYYMMDD>/<region>/<service>/aws4_request, got "team/key/20150830/us-east-1/svc/aws4_request"',
    );
    keys.delete('team/key');
  });

  it('ERR_SIGV4_DATE', async () => {
    for (const date of ['20150830T123600', '20150231T000000Z', '2015-08-30T12:36:00Z', '20150830T246000Z']) {
      await check({ 'X-Amz-Date': date }, 'ERR_SIGV4_DATE');
    }
  });

  it('ERR_SIGV4_REGION and ERR_SIGV4_SERVICE: the server says which it accepts', async () => {
    const euUrl = presignRaw({ params: { 'X-Amz-Credential': `${ACCESS}/20150830/eu-west-1/svc/aws4_request` } });
    expect(await expectCode(verifyPresignedUrl({ ...base, url: euUrl }), 'ERR_SIGV4_REGION')).toBe(
      'the credential scope region expected "us-east-1", got "eu-west-1"',
    );
    await verifyPresignedUrl({ ...base, url: euUrl, region: ['us-east-1', 'eu-west-1'] });
    expect(
      await expectCode(verifyPresignedUrl({ ...base, url: presignRaw(), service: ['s3', 'iam'] }), 'ERR_SIGV4_SERVICE'),
    ).toBe('the credential scope service expected "s3" or "iam", got "svc"');
  });

  it('ERR_SIGV4_SIGNED_HEADERS: host signed, the list well formed, every signed header present', async () => {
    expect(await check({ 'X-Amz-SignedHeaders': 'content-type' }, 'ERR_SIGV4_SIGNED_HEADERS')).toBe(
      'the signed headers expected to include host, got "content-type"',
    );
    for (const list of ['host;content-type', 'Host', 'host;host', 'content-type;;host', '', 'host;x y']) {
      await check({ 'X-Amz-SignedHeaders': list }, 'ERR_SIGV4_SIGNED_HEADERS');
    }
    const url = presignRaw({
      params: { 'X-Amz-SignedHeaders': 'content-type;host' },
      headers: { 'content-type': 'image/png' },
    });
    expect(await expectCode(verifyPresignedUrl({ ...base, url }), 'ERR_SIGV4_SIGNED_HEADERS')).toBe(
      'the signed header "content-type" expected in the request, got none',
    );
    const verified = await verifyPresignedUrl({ ...base, url, headers: { 'Content-Type': ' image/png ' } });
    expect(verified.headers).toEqual({ 'content-type': 'image/png', host: 'example.com' });
    await expectCode(
      verifyPresignedUrl({ ...base, url, headers: { 'content-type': 'image/gif' } }),
      'ERR_SIGV4_SIGNATURE_MISMATCH',
    );
  });

  it('ERR_SIGV4_METHOD (with diagnoseMethod): the signature is valid for another method', async () => {
    const put = presignRaw({ method: 'PUT' });
    const diagnosed = { ...base, diagnoseMethod: true };
    expect(await expectCode(verifyPresignedUrl({ ...diagnosed, url: put, method: 'GET' }), 'ERR_SIGV4_METHOD')).toBe(
      'the request was signed for PUT, got "GET"',
    );
    await expectCode(verifyPresignedUrl({ ...diagnosed, url: put, method: 'POST' }), 'ERR_SIGV4_METHOD');
    // By default a wrong method is a plain mismatch, found with one signature: a forged request costs what a good one does.
    await expectCode(verifyPresignedUrl({ ...base, url: put, method: 'GET' }), 'ERR_SIGV4_SIGNATURE_MISMATCH');
    // Signatures computed: one canonical request hashed for each.
    const signatures = async (options: Partial<VerifyOptions>) => {
      const digest = vi.spyOn(crypto.subtle, 'digest');
      await verifyPresignedUrl({ ...base, url: put, method: 'GET', cache: new SigningKeyCache(), ...options }).catch(
        () => undefined,
      );
      const count = digest.mock.calls.length;
      digest.mockRestore();
      return count;
    };
    expect(await signatures({})).toBe(1);
    expect(await signatures({ diagnoseMethod: true })).toBe(7);
    expect(await signatures({ method: 'PUT' })).toBe(1);
    expect((await verifyPresignedUrl({ ...base, url: put, method: 'put' })).method).toBe('PUT');
    await expectCode(verifyPresignedUrl({ ...base, url: put, method: 'P UT' }), 'ERR_SIGV4_MALFORMED');
  });

  it('ERR_SIGV4_UNKNOWN_ACCESS_KEY', async () => {
    const url = presignRaw({ params: { 'X-Amz-Credential': `AKIDUNKNOWN/20150830/us-east-1/svc/aws4_request` } });
    expect(await expectCode(verifyPresignedUrl({ ...base, url }), 'ERR_SIGV4_UNKNOWN_ACCESS_KEY')).toBe(
      'the access key id "AKIDUNKNOWN" is unknown',
    );
    await expectCode(verifyPresignedUrl({ ...base, url, getCredentials: () => null }), 'ERR_SIGV4_UNKNOWN_ACCESS_KEY');
  });

  it('ERR_SIGV4_SIGNATURE_MISMATCH, without the expected signature anywhere in the error', async () => {
    const url = presignRaw();
    const signature = url.slice(-64);
    const forged = url.slice(0, -64) + '0'.repeat(64);
    expect(
      await expectCode(verifyPresignedUrl({ ...base, url: forged }), 'ERR_SIGV4_SIGNATURE_MISMATCH', [signature]),
    ).toBe(
      'the signature does not match the request (check the secret, the URL as sent, the signed headers and the payload hash)',
    );
    await expectCode(
      verifyPresignedUrl({ ...base, url: presignRaw({ secret: 'another secret' }) }),
      'ERR_SIGV4_SIGNATURE_MISMATCH',
      [signature],
    );
    await expectCode(
      verifyPresignedUrl({ ...base, url: url.replace('/key?', '/kez?') }),
      'ERR_SIGV4_SIGNATURE_MISMATCH',
      [signature],
    );
    // A signature in another form is malformed rather than compared.
    for (const bad of [signature.toUpperCase(), signature.slice(1), signature + '0', 'g'.repeat(64)]) {
      expect(
        await expectCode(verifyPresignedUrl({ ...base, url: url.slice(0, -64) + bad }), 'ERR_SIGV4_MALFORMED', [
          signature,
        ]),
      ).toBe(`X-Amz-Signature expected 64 lowercase hex digits, got ${bad.length} characters of another form`);
    }
  });
});

describe('verifyPresignedUrl: session tokens', () => {
  const withToken = (id: string) => (id === ACCESS ? { secretAccessKey: SECRET, sessionToken: TOKEN } : undefined);

  it("a signed token must equal the credentials' token", async () => {
    const url = presignRaw({ params: { 'X-Amz-Security-Token': TOKEN } });
    expect((await verifyPresignedUrl({ ...base, url, getCredentials: withToken })).sessionToken).toBe(TOKEN);
    expect(await expectCode(verifyPresignedUrl({ ...base, url }), 'ERR_SIGV4_SESSION_TOKEN')).toBe(
      'the request carries a session token, but its credentials have none',
    );
    const other = presignRaw({ params: { 'X-Amz-Security-Token': 'another token' } });
    expect(
      await expectCode(
        verifyPresignedUrl({ ...base, url: other, getCredentials: withToken }),
        'ERR_SIGV4_SESSION_TOKEN',
      ),
    ).toBe('the session token does not match the credentials');
    expect(
      await expectCode(
        verifyPresignedUrl({ ...base, url: presignRaw(), getCredentials: withToken }),
        'ERR_SIGV4_SESSION_TOKEN',
      ),
    ).toBe('the request expected the session token of its temporary credentials, got none');
  });

  it('a token appended after signing verifies only with signSessionToken: false, and is still checked', async () => {
    const presigned = await presignUrl({
      url: 'https://iot.example.com/mqtt',
      service: 'iotdevicegateway',
      region: 'us-east-1',
      credentials: { accessKeyId: ACCESS, secretAccessKey: SECRET, sessionToken: TOKEN },
      signingDate: SIGNED_AT,
      signSessionToken: false,
    });
    const options = { ...base, url: presigned.url, service: 'iotdevicegateway', getCredentials: withToken };
    await expectCode(verifyPresignedUrl(options), 'ERR_SIGV4_SIGNATURE_MISMATCH');
    expect((await verifyPresignedUrl({ ...options, signSessionToken: false })).sessionToken).toBe(TOKEN);
    const swapped = presigned.url.replace(`X-Amz-Security-Token=${rfc3986(TOKEN)}`, 'X-Amz-Security-Token=forged');
    expect(swapped).not.toBe(presigned.url);
    await expectCode(
      verifyPresignedUrl({ ...options, url: swapped, signSessionToken: false }),
      'ERR_SIGV4_SESSION_TOKEN',
    );
  });
});

describe('verifyPresignedUrl: payload hash and path rules, as the signer applies them', () => {
  it('S3 defaults to UNSIGNED-PAYLOAD, other services to the empty body; a signed body hash needs the body', async () => {
    const signed = (service: string, payloadHash?: string) =>
      presignUrl({
        url: 'https://example.com/key',
        method: 'POST',
        service,
        region: 'us-east-1',
        credentials: { accessKeyId: ACCESS, secretAccessKey: SECRET },
        signingDate: SIGNED_AT,
        ...(payloadHash ? { payloadHash } : {}),
      });
    const post = { ...base, method: 'POST' };
    expect((await verifyPresignedUrl({ ...post, service: 's3', url: (await signed('s3')).url })).payloadHash).toBe(
      'UNSIGNED-PAYLOAD',
    );
    expect((await verifyPresignedUrl({ ...post, url: (await signed('svc')).url })).payloadHash).toBe(EMPTY_SHA256);
    const url = (await signed('svc', sha256Hex('hello'))).url;
    await expectCode(verifyPresignedUrl({ ...post, url }), 'ERR_SIGV4_SIGNATURE_MISMATCH');
    await expectCode(verifyPresignedUrl({ ...post, url, body: 'hellO' }), 'ERR_SIGV4_SIGNATURE_MISMATCH');
    expect((await verifyPresignedUrl({ ...post, url, body: 'hello' })).payloadHash).toBe(sha256Hex('hello'));
    await verifyPresignedUrl({ ...post, url, body: new TextEncoder().encode('hello') });
    await verifyPresignedUrl({ ...post, url, payloadHash: sha256Hex('hello') });
  });

  it('a signed x-amz-content-sha256 header is the payload hash, and a given body must match it', async () => {
    const presigned = await presignUrl({
      url: 'https://bucket.s3.amazonaws.com/key',
      method: 'PUT',
      service: 's3',
      region: 'us-east-1',
      credentials: { accessKeyId: ACCESS, secretAccessKey: SECRET },
      signingDate: SIGNED_AT,
      headers: { 'x-amz-content-sha256': sha256Hex('data') },
    });
    const options = { ...base, service: 's3', method: 'PUT', url: presigned.url, headers: presigned.headers };
    expect((await verifyPresignedUrl(options)).payloadHash).toBe(sha256Hex('data'));
    await verifyPresignedUrl({ ...options, body: 'data' });
    expect(await expectCode(verifyPresignedUrl({ ...options, body: 'DATA' }), 'ERR_SIGV4_PAYLOAD_HASH')).toBe(
      `the body's SHA-256 ${sha256Hex('DATA')} does not match the signed x-amz-content-sha256 ${sha256Hex('data')}`,
    );
    await expectCode(
      verifyPresignedUrl({ ...options, headers: { 'x-amz-content-sha256': 'nonsense' } }),
      'ERR_SIGV4_MALFORMED',
    );
  });

  it('S3 keeps the path as sent; other services sign it as sent, normalized and encoded twice', async () => {
    const sign = (service: string, url: string) =>
      presignUrl({
        url,
        service,
        region: 'us-east-1',
        credentials: { accessKeyId: ACCESS, secretAccessKey: SECRET },
        signingDate: SIGNED_AT,
      });
    const s3 = await sign('s3', 'https://bucket.s3.amazonaws.com/a//b/../c%2Fd 100%25.txt');
    const verified = await verifyPresignedUrl({ ...base, service: 's3', url: s3.url });
    expect(verified.path).toBe('/a//b/../c%2Fd%20100%25.txt');
    // A URL object resolves "..": for S3 that is another key, so it must not verify.
    await expectCode(
      verifyPresignedUrl({ ...base, service: 's3', url: new URL(s3.url) }),
      'ERR_SIGV4_SIGNATURE_MISMATCH',
    );

    const api = await sign('execute-api', 'https://api.example.com/a/./b/../c d');
    // The caller's path, as fetch sends it; fetch resolves the dot segments before sending.
    expect(api.url.startsWith('https://api.example.com/a/./b/../c%20d?')).toBe(true);
    const options = { ...base, service: 'execute-api', url: api.url };
    const apiVerified = await verifyPresignedUrl(options);
    expect(apiVerified.canonicalRequest.split('\n')[1]).toBe('/a/c%2520d');
    expect(apiVerified.path).toBe('/a/c%20d');
    // The same request with its path written another way verifies: normalization is part of the rules; and as
    // fetch sends it (dot segments resolved), and as a URL object reads it.
    await verifyPresignedUrl({ ...options, url: api.url.replace('/a/./b/../c%20d?', '/a/./x/../c%20d?') });
    await verifyPresignedUrl({ ...options, url: api.url.replace('/a/./b/../c%20d?', '/a/c%20d?') });
    await verifyPresignedUrl({ ...options, url: new URL(api.url) });
    await expectCode(verifyPresignedUrl({ ...options, uriEscapePath: false }), 'ERR_SIGV4_SIGNATURE_MISMATCH');
    // Outside S3 the path is signed as it is sent, so an escape in another case, or one for an unreserved
    // character, is another path (AWS's signers sign %7E and ~ differently).
    const tilde = await sign('execute-api', 'https://api.example.com/x/%7Euser/%c3%bc');
    expect(tilde.canonicalRequest.split('\n')[1]).toBe('/x/%257Euser/%25c3%25bc');
    await verifyPresignedUrl({ ...options, url: tilde.url });
    await expectCode(
      verifyPresignedUrl({ ...options, url: tilde.url.replace('%7Euser', '~user') }),
      'ERR_SIGV4_SIGNATURE_MISMATCH',
    );
    await expectCode(
      verifyPresignedUrl({ ...options, url: tilde.url.replace('%c3%bc', '%C3%BC') }),
      'ERR_SIGV4_SIGNATURE_MISMATCH',
    );
  });

  it('S3: escapes in another case, or characters a client left unencoded, are the same URL', async () => {
    const presigned = await presignUrl({
      url: 'https://bucket.s3.amazonaws.com/ü ~x',
      service: 's3',
      region: 'us-east-1',
      credentials: { accessKeyId: ACCESS, secretAccessKey: SECRET },
      signingDate: SIGNED_AT,
      query: { q: 'a/b' },
    });
    const options = { ...base, service: 's3' };
    expect(presigned.url).toContain('/%C3%BC%20~x?');
    await verifyPresignedUrl({ ...options, url: presigned.url.replace('%C3%BC', '%c3%bc').replace('%2F', '%2f') });
    await verifyPresignedUrl({ ...options, url: presigned.url.replace('/%C3%BC%20~x?', '/ü %7Ex?') });
  });

  it('in the query, "+" is a space (as URLSearchParams and S3 read it) and "%2B" a plus sign', async () => {
    const sign = (q: string) =>
      presignUrl({
        url: `https://bucket.s3.amazonaws.com/k?q=${q}`,
        service: 's3',
        region: 'us-east-1',
        credentials: { accessKeyId: ACCESS, secretAccessKey: SECRET },
        signingDate: SIGNED_AT,
      });
    const options = { ...base, service: 's3' };
    const space = await sign('a b');
    expect(space.url).toContain('q=a%20b');
    await verifyPresignedUrl({ ...options, url: space.url.replace('q=a%20b', 'q=a+b') });
    const plus = await sign('a%2Bb');
    await expectCode(
      verifyPresignedUrl({ ...options, url: plus.url.replace('q=a%2Bb', 'q=a+b') }),
      'ERR_SIGV4_SIGNATURE_MISMATCH',
    );
  });
});

describe('verifyPresignedUrl: malformed URLs are SigV4Errors, caller mistakes are TypeErrors', () => {
  it('ERR_SIGV4_MALFORMED for URLs no client sends', async () => {
    const url = presignRaw();
    for (const bad of [
      'not a url',
      'ftp://example.com/key',
      url.replace('/key', '/k%zzey'),
      url.replace('/key', '/k\u0000ey'),
      url.replace('/key', '/k\uD800ey'),
      url.replace('example.com', 'exämple.com'),
      url.replace('example.com', 'ex%61mple.com'),
      url.replace('example.com', 'user@example.com'),
      url.replace('example.com', '127.1'),
      url.replace('example.com', '0x7f.0.0.1'),
      url.replace('example.com', 'example.com:0443'),
      url.replace('example.com', 'example.com:'),
      url.replace('example.com', 'ex\u212Ample.com'),
      url + '&a=%E0%A4%A',
      `https://example.com/${'a'.repeat(70000)}`,
    ]) {
      await expectCode(verifyPresignedUrl({ ...base, url: bad }), 'ERR_SIGV4_MALFORMED');
    }
    // A credential whose bytes are not UTF-8.
    await expectCode(
      verifyPresignedUrl({ ...base, url: url.replace('X-Amz-Credential=', 'X-Amz-Credential=%FF') }),
      'ERR_SIGV4_MALFORMED',
    );
  });

  it('TypeError or RangeError for options a caller got wrong', async () => {
    const url = presignRaw();
    const cases: [unknown, RegExp][] = [
      [undefined, /"options" expected an object, got undefined/],
      [{ ...base, url: 42 }, /"url" expected the absolute URL received, as a string or URL, got 42/],
      [{ ...base, url, method: undefined }, /"method" expected the HTTP method the request used/],
      [{ ...base, url, getCredentials: keys }, /"getCredentials" expected a function/],
      [{ ...base, url, getCredentials: undefined }, /"getCredentials" expected a function/],
      [{ ...base, url, region: '' }, /"region" expected a non-empty string or array/],
      [{ ...base, url, region: [] }, /"region" expected a non-empty string or array/],
      [{ ...base, url, service: ['s3', 3] }, /"service" expected a non-empty string or array/],
      [{ ...base, url, now: '2015-08-30' }, /"now" expected a Date or epoch milliseconds/],
      [{ ...base, url, now: NaN }, /"now" expected a valid Date/],
      [{ ...base, url, now: new Date('nope') }, /"now" expected a valid Date/],
      [{ ...base, url, clockSkew: -1 }, /"clockSkew" expected seconds from 0 to 604800, got -1/],
      [{ ...base, url, clockSkew: '900' }, /"clockSkew" expected a number of seconds/],
      [{ ...base, url, payloadHash: 'abc' }, /"payloadHash" expected a lowercase hex SHA-256/],
      [{ ...base, url, body: 42 }, /"body" expected a string, Uint8Array, ArrayBuffer or ReadableStream, got 42/],
      [{ ...base, url, cache: {} }, /"cache" expected a SigningKeyCache or false/],
      [{ ...base, url, normalizePath: 'yes' }, /"normalizePath" expected a boolean/],
      [{ ...base, url, headers: { a: {} } }, /"headers\["a"\]" expected a string/],
      [{ ...base, url, headers: 'host: x' }, /"headers" expected an object/],
    ];
    for (const [options, message] of cases) {
      const error = await verifyPresignedUrl(options as VerifyOptions).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, String(message)).toBeInstanceOf((error as Error).name === 'RangeError' ? RangeError : TypeError);
      expect((error as Error).message).toMatch(message);
    }
  });

  it('a lookup that returns something other than credentials is a TypeError that never echoes the secret', async () => {
    const url = presignRaw();
    const check = async (found: unknown, message: string) => {
      const error = await verifyPresignedUrl({ ...base, url, getCredentials: () => found as never }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toBe(message);
    };
    await check(
      SECRET,
      '"getCredentials()" expected to return { secretAccessKey, sessionToken? } or undefined, got a string',
    );
    await check({ secretAccessKey: 7 }, '"getCredentials().secretAccessKey" expected a non-empty string, got a number');
    await check(
      { secretAccessKey: '' },
      '"getCredentials().secretAccessKey" expected a non-empty string, got an empty string',
    );
    await check(
      { secretAccessKey: SECRET, sessionToken: 1 },
      '"getCredentials().sessionToken" expected a string or undefined, got a number',
    );
  });
});

describe('verifyRequest (Authorization header)', () => {
  const credentials = { accessKeyId: ACCESS, secretAccessKey: SECRET };
  const post = () =>
    signRequest({
      url: 'https://api.example.com/items?b=2&a=1',
      method: 'POST',
      service: 'svc',
      region: 'us-east-1',
      credentials,
      signingDate: SIGNED_AT,
      headers: { 'content-type': 'application/json', 'x-request-id': 'r1' },
      body: '{"n":1}',
    });

  it('round trip with signRequest: the body hash must match the body received', async () => {
    const signed = await post();
    const options = { ...base, url: signed.url, method: 'POST', headers: signed.headers, body: '{"n":1}' };
    const verified = await verifyRequest(options);
    expect(verified).toMatchObject({
      accessKeyId: ACCESS,
      credentialScope: '20150830/us-east-1/svc/aws4_request',
      expiresIn: undefined,
      expiresAt: new Date(SIGNED_AT + s(900)),
      method: 'POST',
      path: '/items',
      signedHeaders: ['content-type', 'host', 'x-amz-date', 'x-request-id'],
      headers: {
        'content-type': 'application/json',
        host: 'api.example.com',
        'x-amz-date': AMZ_DATE,
        'x-request-id': 'r1',
      },
      payloadHash: sha256Hex('{"n":1}'),
      sessionToken: undefined,
    });
    expect(verified.canonicalRequest).toBe(signed.canonicalRequest);
    expect(verified.stringToSign).toBe(signed.stringToSign);
    const { body: _, ...bodiless } = options;
    await verifyRequest({ ...bodiless, payloadHash: sha256Hex('{"n":1}') });
    await expectCode(verifyRequest({ ...options, body: '{"n":2}' }), 'ERR_SIGV4_SIGNATURE_MISMATCH', [
      signed.signature,
    ]);
    await expectCode(verifyRequest(bodiless), 'ERR_SIGV4_SIGNATURE_MISMATCH', [signed.signature]);
    await expectCode(verifyRequest({ ...options, method: 'PUT', diagnoseMethod: true }), 'ERR_SIGV4_METHOD', [
      signed.signature,
    ]);
    await expectCode(verifyRequest({ ...options, method: 'PUT' }), 'ERR_SIGV4_SIGNATURE_MISMATCH', [signed.signature]);
    await expectCode(
      verifyRequest({ ...options, headers: { ...signed.headers, 'x-request-id': 'r2' } }),
      'ERR_SIGV4_SIGNATURE_MISMATCH',
    );
    await expectCode(
      verifyRequest({ ...options, url: signed.url.replace('a=1', 'a=2') }),
      'ERR_SIGV4_SIGNATURE_MISMATCH',
    );
    // Unsigned headers may change (user-agent is never signed).
    await verifyRequest({ ...options, headers: { ...signed.headers, 'user-agent': 'curl' } });
  });

  it('verifies a fetch Request as a Worker or Deno server receives it', async () => {
    const signed = await post();
    const request = new Request(signed.url, { method: 'POST', headers: signed.headers, body: '{"n":1}' });
    const verified = await verifyRequest({
      ...base,
      url: request.url,
      method: request.method,
      headers: request.headers,
      body: await request.text(),
    });
    expect(verified.accessKeyId).toBe(ACCESS);
  });

  it('S3: x-amz-content-sha256 is the payload hash; a body given must match it', async () => {
    const signed = await signRequest({
      url: 'https://bucket.s3.amazonaws.com/key',
      method: 'PUT',
      service: 's3',
      region: 'us-east-1',
      credentials,
      signingDate: SIGNED_AT,
      body: 'data',
    });
    const options = { ...base, service: 's3', method: 'PUT', url: signed.url, headers: signed.headers };
    expect((await verifyRequest(options)).payloadHash).toBe(sha256Hex('data'));
    await verifyRequest({ ...options, body: 'data' });
    await expectCode(verifyRequest({ ...options, body: 'dat4' }), 'ERR_SIGV4_PAYLOAD_HASH');
    await expectCode(verifyRequest({ ...options, payloadHash: sha256Hex('dat4') }), 'ERR_SIGV4_PAYLOAD_HASH');
  });

  it('the clock window is ± clockSkew, to the second', async () => {
    const { headers } = signHeadersRaw();
    const options = { ...base, url: 'https://example.com/key', headers };
    for (const now of [SIGNED_AT - s(900), SIGNED_AT + s(900)]) await verifyRequest({ ...options, now });
    expect(await expectCode(verifyRequest({ ...options, now: SIGNED_AT + s(901) }), 'ERR_SIGV4_EXPIRED')).toBe(
      'the request is dated 20150830T123600Z, more than 900 s ago; now is 2015-08-30T12:51:01.000Z',
    );
    await expectCode(verifyRequest({ ...options, now: SIGNED_AT - s(901) }), 'ERR_SIGV4_NOT_YET_VALID');
    await verifyRequest({ ...options, now: SIGNED_AT + s(60), clockSkew: 60 });
    await expectCode(verifyRequest({ ...options, now: SIGNED_AT + s(61), clockSkew: 60 }), 'ERR_SIGV4_EXPIRED');
  });

  it('parses the Authorization header with or without spaces after the commas, and nothing looser', async () => {
    const { headers, signature } = signHeadersRaw();
    const options = { ...base, url: 'https://example.com/key' };
    const auth = headers['authorization']!;
    for (const variant of [auth, auth.replaceAll(', ', ','), auth.replaceAll(', ', ' ,  '), `  ${auth}  `]) {
      await verifyRequest({ ...options, headers: { ...headers, authorization: variant } });
    }
    const malformed = [
      auth.replace(/, Signature=\w+/, ''),
      auth.replace('Credential=', 'Credentials='),
      auth + ', Signature=' + signature,
      auth + ',',
      auth.replace('SignedHeaders=', 'SignedHeaders '),
      'AWS4-HMAC-SHA256',
      'AWS4-HMAC-SHA256 ' + 'x'.repeat(9000),
    ];
    for (const authorization of malformed) {
      await expectCode(verifyRequest({ ...options, headers: { ...headers, authorization } }), 'ERR_SIGV4_MALFORMED', [
        signature,
      ]);
    }
    await expectCode(
      verifyRequest({ ...options, headers: { ...headers, authorization: [auth, auth] } }),
      'ERR_SIGV4_MALFORMED',
    );
    await expectCode(
      verifyRequest({ ...options, headers: { ...headers, authorization: undefined } }),
      'ERR_SIGV4_MALFORMED',
    );
    for (const authorization of [
      'Bearer abc',
      'AWS AKID:sig',
      auth.replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256'),
    ]) {
      await expectCode(verifyRequest({ ...options, headers: { ...headers, authorization } }), 'ERR_SIGV4_ALGORITHM');
    }
  });

  it('takes the date from x-amz-date, else from an HTTP date header', async () => {
    const options = { ...base, url: 'https://example.com/key' };
    const dated = signHeadersRaw({
      amzDate: AMZ_DATE,
      signedHeaders: 'date;host',
      headers: { date: 'Sun, 30 Aug 2015 12:36:00 GMT' },
    });
    delete dated.headers['x-amz-date'];
    const verified = await verifyRequest({ ...options, headers: dated.headers });
    expect(verified.amzDate).toBe(AMZ_DATE);
    expect(verified.signingDate.getTime()).toBe(SIGNED_AT);
    for (const date of [
      'Mon, 31 Aug 2015 12:36:00 GMT',
      'Sun, 31 Feb 2015 12:36:00 GMT',
      '2015-08-30T12:36:00Z',
      'Sun, 30 Aug 2015 12:36:00 UTC',
    ]) {
      await expectCode(
        verifyRequest({ ...options, headers: { ...dated.headers, date } }),
        date.startsWith('Mon') ? 'ERR_SIGV4_SCOPE' : 'ERR_SIGV4_DATE',
      );
    }
    const { headers } = signHeadersRaw();
    await expectCode(
      verifyRequest({ ...options, headers: { ...headers, 'x-amz-date': '20150830T123600' } }),
      'ERR_SIGV4_DATE',
    );
    await expectCode(
      verifyRequest({ ...options, headers: { ...headers, 'x-amz-date': undefined } }),
      'ERR_SIGV4_MALFORMED',
    );
    await expectCode(
      verifyRequest({ ...options, headers: { ...headers, 'x-amz-date': [AMZ_DATE, AMZ_DATE] } }),
      'ERR_SIGV4_MALFORMED',
    );
  });

  it('scope, region, service and signed-header checks as for presigned URLs', async () => {
    const options = { ...base, url: 'https://example.com/key' };
    const check = (r: Parameters<typeof signHeadersRaw>[0], code: SigV4ErrorCode) =>
      expectCode(verifyRequest({ ...options, headers: signHeadersRaw(r).headers }), code);
    await check({ credential: `${ACCESS}/20150829/us-east-1/svc/aws4_request` }, 'ERR_SIGV4_SCOPE');
    await check({ credential: `${ACCESS}/20150830/eu-west-1/svc/aws4_request` }, 'ERR_SIGV4_REGION');
    await check({ credential: `${ACCESS}/20150830/us-east-1/s3/aws4_request` }, 'ERR_SIGV4_SERVICE');
    await check({ credential: `20150830/us-east-1/svc/aws4_request` }, 'ERR_SIGV4_CREDENTIAL');
    await check({ credential: `AKIDNOBODY/20150830/us-east-1/svc/aws4_request` }, 'ERR_SIGV4_UNKNOWN_ACCESS_KEY');
    await check({ signedHeaders: 'x-amz-date' }, 'ERR_SIGV4_SIGNED_HEADERS');
    await check({ signedHeaders: 'x-amz-date;host' }, 'ERR_SIGV4_SIGNED_HEADERS');
    await check({ signedHeaders: 'host;x-amz-date;x-custom' }, 'ERR_SIGV4_SIGNED_HEADERS');
    await check({ extra: { 'x-amz-content-sha256': 'UNSIGNED' } }, 'ERR_SIGV4_MALFORMED');
  });

  it('session token: must be signed unless signSessionToken: false, and must match the credentials', async () => {
    const options = {
      ...base,
      url: 'https://example.com/key',
      getCredentials: () => ({ secretAccessKey: SECRET, sessionToken: TOKEN }),
    };
    const signedToken = signHeadersRaw({
      signedHeaders: 'host;x-amz-date;x-amz-security-token',
      headers: { 'x-amz-security-token': TOKEN },
    });
    expect((await verifyRequest({ ...options, headers: signedToken.headers })).sessionToken).toBe(TOKEN);
    const unsigned = signHeadersRaw({ extra: { 'x-amz-security-token': TOKEN } });
    expect(await expectCode(verifyRequest({ ...options, headers: unsigned.headers }), 'ERR_SIGV4_SIGNED_HEADERS')).toBe(
      'the x-amz-security-token header expected to be signed, got it unsigned (pass signSessionToken: false to accept that)',
    );
    await verifyRequest({ ...options, headers: unsigned.headers, signSessionToken: false });
    await expectCode(
      verifyRequest({
        ...options,
        headers: { ...unsigned.headers, 'x-amz-security-token': 'forged' },
        signSessionToken: false,
      }),
      'ERR_SIGV4_SESSION_TOKEN',
    );
    await expectCode(verifyRequest({ ...options, headers: signHeadersRaw().headers }), 'ERR_SIGV4_SESSION_TOKEN');
  });

  it('repeated headers verify when passed as separate values; joined with ", " (Headers, Node req.headers) they do not', async () => {
    const signed = await signRequest({
      url: 'https://example.com/key',
      service: 'svc',
      region: 'us-east-1',
      credentials,
      signingDate: SIGNED_AT,
      headers: [
        ['x-tag', 'a'],
        ['x-tag', 'b'],
      ],
    });
    expect(signed.headers['x-tag']).toBe('a,b');
    const options = { ...base, url: signed.url };
    await verifyRequest({ ...options, headers: { ...signed.headers, 'x-tag': ['a', 'b'] } });
    await verifyRequest({ ...options, headers: signed.headers });
    await expectCode(
      verifyRequest({ ...options, headers: { ...signed.headers, 'x-tag': 'a, b' } }),
      'ERR_SIGV4_SIGNATURE_MISMATCH',
    );
  });

  it('headers are required', async () => {
    await expect(verifyRequest({ ...base, url: 'https://example.com/' } as never)).rejects.toThrow(
      Object.assign(
        new TypeError('"headers" expected the headers received (they carry the signature), got undefined'),
        { code: 'ERR_SIGV4_INVALID_OPTION' },
      ),
    );
  });
});
