// sigv4/lite against the full entry: on any request both accept, the same URL, canonical request, string to sign
// and signature (properties over odd paths, raw query text, methods, hosts, services, dates, tokens, headers and
// bodies); every option the full entry refuses is refused here too, before any crypto; the key lite remembers
// follows a changed secret and a changed scope, and serves a new credentials object with the same secret. AWS's suites run through lite in vectors.test.ts.

import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { presignUrl, signRequest, type PresignOptions, type SignRequestOptions } from '../src/index.js';
import * as lite from '../src/lite.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET };
const DATE = new Date('2013-05-24T00:00:00Z');
// No lone UTF-16 surrogate (\p{Cs} matches only an unpaired one with the u flag).
const wellFormed = (s: string): boolean => !/\p{Cs}/u.test(s);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the S3 documentation example', () => {
  it('presigns to the published URL', async () => {
    const r = await lite.presignUrl({
      url: 'https://examplebucket.s3.amazonaws.com/test.txt',
      service: 's3',
      region: 'us-east-1',
      credentials,
      signingDate: DATE,
      expiresIn: 86400,
    });
    expect(r.signature).toBe('aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
    expect(r.url).toBe(
      'https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
        '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );
    expect(r.expiresAt.toISOString()).toBe('2013-05-25T00:00:00.000Z');
  });
});

// ------------------------------------------------------------------------------------------------ the same results

const hosts = fc.constantFrom(
  'examplebucket.s3.amazonaws.com',
  'EXAMPLE.com',
  'h.example:8443',
  'h.example:443',
  'localhost:9000',
  '127.0.0.1',
  '[::1]:8080',
  'bücher.example',
);
const segment = fc.oneof(
  fc.constantFrom(
    '',
    '.',
    '..',
    'a b',
    'ü',
    '%2F',
    '%41',
    '%7e',
    'a+b',
    '*',
    "!'()",
    '~x',
    '%25',
    'a%20b',
    '€',
    'x=y',
    '@',
    ':',
    ';',
    '\u{1F600}',
  ),
  fc.string({ unit: 'grapheme', maxLength: 6 }).filter((s) => !/[/?#%\0-\x1f\x7f]/.test(s) && wellFormed(s)),
);
const path = fc.array(segment, { maxLength: 6 }).map((s) => (s.length ? '/' + s.join('/') : ''));
const queryPiece = fc.oneof(
  fc.constantFrom(
    'a=1',
    'a=2',
    'a',
    'a=',
    'b=%20',
    'b=+',
    'c=a+b',
    'd=%2B',
    'e=ü',
    '%41=%42',
    'x=y=z',
    '',
    'Z=1',
    'z=1',
    'k=%7E',
  ),
  fc
    .tuple(fc.string({ unit: 'grapheme', maxLength: 4 }), fc.string({ unit: 'grapheme', maxLength: 4 }))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`),
);
const query = fc.option(
  fc.array(queryPiece, { maxLength: 6 }).map((p) => p.join('&')),
  { nil: undefined },
);
const method = fc.constantFrom(undefined, 'GET', 'get', 'Put', 'DELETE', 'PATCH', 'purge', 'HEAD');
const service = fc.constantFrom('s3', 'execute-api', 'service', 'iotdevicegateway');
const scopePart = fc.constantFrom('us-east-1', 'auto', 'eu-west-3', 'x_y.z~!');
const date = fc.date({ min: new Date(0), max: new Date(Date.UTC(9999, 11, 31, 23, 59, 59)), noInvalidDate: true });
const token = fc.option(fc.string({ unit: fc.constantFrom(...'ABCxyz019+/=!~'), minLength: 1, maxLength: 30 }), {
  nil: undefined,
});
const secret = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((s) => wellFormed(s));

const request = fc.record({
  host: hosts,
  path,
  query,
  method,
  service,
  region: scopePart,
  date,
  token,
  secret,
  asUrl: fc.boolean(),
});
type Request = typeof request extends fc.Arbitrary<infer T> ? T : never;

const common = (r: Request) => {
  const text = `https://${r.host}${r.path}${r.query === undefined ? '' : '?' + r.query}`;
  return {
    url: r.asUrl ? new URL(text) : text,
    ...(r.method === undefined ? {} : { method: r.method }),
    service: r.service,
    region: r.region,
    credentials: {
      accessKeyId: 'AKID',
      secretAccessKey: r.secret,
      ...(r.token === undefined ? {} : { sessionToken: r.token }),
    },
    signingDate: r.date,
  };
};

describe('lite and the full entry agree', () => {
  it('presignUrl: the same URL, stages and expiry', async () => {
    await fc.assert(
      fc.asyncProperty(request, fc.integer({ min: 1, max: 604800 }), async (r, expiresIn) => {
        const options = { ...common(r), expiresIn };
        const full = await presignUrl({ ...options, cache: false } as PresignOptions);
        const small = await lite.presignUrl(options);
        expect(small).toEqual({
          url: full.url,
          expiresAt: full.expiresAt,
          canonicalRequest: full.canonicalRequest,
          stringToSign: full.stringToSign,
          signature: full.signature,
        });
      }),
      { seed: 0x11e1, numRuns: 400 },
    );
  });

  const headerName = fc.constantFrom(
    'Content-Type',
    'content-type',
    'X-Amz-Meta-Tag',
    'x-amz-meta-tag',
    'User-Agent',
    'proxy-authorization',
    'sec-fetch-mode',
    'Host',
    'range',
    'x-amz-content-sha256',
    "a!#$%&'*+.^_`|~",
  );
  const headerValue = fc.oneof(
    fc.constantFrom('text/plain', '  a   b  ', '', 'x\ty', 'UNSIGNED-PAYLOAD', 'h.example'),
    fc.string({ unit: fc.constantFrom(...'ab ,\t;='), maxLength: 8 }),
    fc.integer({ min: 0, max: 999 }),
  );
  const headers = fc.option(
    fc.oneof(
      fc
        .array(fc.tuple(headerName, headerValue), { maxLength: 5 })
        .map((pairs) => pairs.map(([n, v]) => [n, String(v)] as [string, string])),
      fc.dictionary(headerName, headerValue, { maxKeys: 4 }),
    ),
    { nil: undefined },
  );
  const body = fc.option(
    fc.oneof(
      fc.string({ maxLength: 40 }).filter((s) => wellFormed(s)),
      fc.uint8Array({ maxLength: 40 }),
      fc.uint8Array({ maxLength: 40 }).map((a) => a.buffer as ArrayBuffer),
    ),
    { nil: undefined },
  );
  const payloadHash = fc.constantFrom(
    undefined,
    'UNSIGNED-PAYLOAD',
    'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );

  it('signRequest: the same URL, headers and stages (or both refuse the request)', async () => {
    let signedCount = 0;
    await fc.assert(
      fc.asyncProperty(request, headers, body, payloadHash, async (r, h, b, p) => {
        const options = {
          ...common(r),
          ...(h === undefined ? {} : { headers: h }),
          ...(b === undefined ? {} : { body: b }),
          ...(p === undefined ? {} : { payloadHash: p }),
        };
        const full = await signRequest({ ...options, cache: false } as SignRequestOptions).catch((e: Error) => e);
        const small = await lite.signRequest(options as lite.LiteSignRequestOptions).catch((e: unknown) => e);
        if (full instanceof Error) {
          // The full entry refuses an x-amz-content-sha256 header that is no payload hash, or that differs from payloadHash.
          expect(small, full.message).toBeInstanceOf(full.constructor);
          expect((small as Error).message).toMatch(/^"payloadHash" expected /);
          return;
        }
        signedCount++;
        expect(small).toEqual({
          url: full.url,
          headers: full.headers,
          authorization: full.authorization,
          canonicalRequest: full.canonicalRequest,
          stringToSign: full.stringToSign,
          signature: full.signature,
        });
      }),
      { seed: 0x11e2, numRuns: 400 },
    );
    expect(signedCount).toBeGreaterThan(300);
  });
});

// ------------------------------------------------------------------------------------------------ refusals

describe('lite refuses what it does not take', () => {
  const base = {
    url: 'https://examplebucket.s3.amazonaws.com/test.txt',
    service: 's3',
    region: 'us-east-1',
    credentials,
    signingDate: DATE,
  };
  const cases: [string, Record<string, unknown>, typeof TypeError, RegExp][] = [
    ['options null', null as never, TypeError, /^"options" expected an object, got object$/],
    [
      'a full-entry option: query',
      { ...base, query: { a: '1' } },
      TypeError,
      /^"query" expected none in sigv4\/lite \("sigv4" has it\), got object$/,
    ],
    [
      'a full-entry option: cache',
      { ...base, cache: false },
      TypeError,
      /^"cache" expected none in sigv4\/lite \("sigv4" has it\), got boolean$/,
    ],
    [
      'a full-entry option: normalizePath',
      { ...base, normalizePath: true },
      TypeError,
      /^"normalizePath" expected none in sigv4\/lite/,
    ],
    [
      'a full-entry option: signSessionToken',
      { ...base, signSessionToken: false },
      TypeError,
      /^"signSessionToken" expected none in sigv4\/lite/,
    ],
    [
      'region with "/"',
      { ...base, region: 'us/east' },
      TypeError,
      /^"region" expected visible ASCII without "\/" or ",", got "us\/east"$/,
    ],
    [
      'service missing',
      { ...base, service: undefined },
      TypeError,
      /^"service" expected visible ASCII without "\/" or ",", got undefined$/,
    ],
    [
      'credentials a string',
      { ...base, credentials: SECRET },
      TypeError,
      /^"credentials" expected an object, got string$/,
    ],
    [
      'secret empty',
      { ...base, credentials: { ...credentials, secretAccessKey: '' } },
      TypeError,
      /^"credentials\.secretAccessKey" expected a non-empty string of well-formed Unicode, got string$/,
    ],
    [
      'secret with a lone surrogate',
      { ...base, credentials: { ...credentials, secretAccessKey: SECRET + '\uD800' } },
      TypeError,
      /^"credentials\.secretAccessKey" expected a non-empty string of well-formed Unicode, got string$/,
    ],
    [
      'token with a space',
      { ...base, credentials: { ...credentials, sessionToken: 'a b' } },
      TypeError,
      /^"credentials\.sessionToken" expected visible ASCII, got string$/,
    ],
    [
      'method with a space',
      { ...base, method: 'G ET' },
      TypeError,
      /^"method" expected an HTTP method token, got "G ET"$/,
    ],
    [
      'url relative',
      { ...base, url: '/test.txt' },
      TypeError,
      /^"url" expected an absolute http\(s\) URL without control characters or user info, got "\/test.txt"$/,
    ],
    [
      'url with user info',
      { ...base, url: 'https://me:hunter2@h.example/' },
      TypeError,
      /^"url" expected an absolute http\(s\) URL without control characters or user info, got user info or an odd host$/,
    ],
    [
      'url with a bad host',
      { ...base, url: 'https://a..b:99999/' },
      TypeError,
      /^"url" expected a valid host, got "a..b:99999"$/,
    ],
    [
      'url with a bad escape',
      { ...base, url: 'https://h.example/a%zz' },
      TypeError,
      /^"url" expected well-formed Unicode and %XX escapes of UTF-8 \(a literal "%" as %25\), got "a%zz"$/,
    ],
    [
      'url with a non-UTF-8 escape',
      { ...base, url: 'https://h.example/a%FF' },
      TypeError,
      /^"url" expected well-formed Unicode and %XX escapes of UTF-8/,
    ],
    [
      'url with X-Amz-Signature',
      { ...base, url: 'https://h.example/?X-Amz-Signature=1' },
      TypeError,
      /^"url" expected no parameter the signer sets, got "X-Amz-Signature"$/,
    ],
    [
      'signingDate as text',
      { ...base, signingDate: '2013-05-24T00:00:00Z' },
      TypeError,
      /^"signingDate" expected a Date or epoch milliseconds from 1970 to 9999, got "2013-05-24T00:00:00Z"$/,
    ],
    [
      'signingDate in 10000',
      { ...base, signingDate: Date.UTC(10000, 0, 1) },
      RangeError,
      /^"signingDate" expected a Date or epoch milliseconds from 1970 to 9999, got 253402300800000$/,
    ],
    [
      'signingDate invalid',
      { ...base, signingDate: new Date(NaN) },
      RangeError,
      /^"signingDate" expected a Date or epoch milliseconds from 1970 to 9999, got NaN$/,
    ],
  ];
  const presignOnly: typeof cases = [
    ['expiresIn 0', { ...base, expiresIn: 0 }, RangeError, /^"expiresIn" expected an integer 1\.\.604800, got 0$/],
    [
      'expiresIn "60"',
      { ...base, expiresIn: '60' },
      RangeError,
      /^"expiresIn" expected an integer 1\.\.604800, got "60"$/,
    ],
    [
      'a full-entry option: headers',
      { ...base, headers: { a: 'b' } },
      TypeError,
      /^"headers" expected none in sigv4\/lite/,
    ],
    [
      'a full-entry option: hoistAmzHeaders',
      { ...base, hoistAmzHeaders: true },
      TypeError,
      /^"hoistAmzHeaders" expected none in sigv4\/lite/,
    ],
  ];
  const signOnly: typeof cases = [
    ['body a number', { ...base, body: 1 }, TypeError, /^"body" expected a string, Uint8Array or ArrayBuffer, got 1$/],
    [
      'headers a string',
      { ...base, headers: 'a: b' },
      TypeError,
      /^"headers" expected an object, a Headers or pairs, got "a: b"$/,
    ],
    [
      'header value with LF',
      { ...base, headers: { a: 'b\nc' } },
      TypeError,
      /^"headers" expected token names the signer does not set, with printable ASCII values, got "a"$/,
    ],
    [
      'header authorization',
      { ...base, headers: { Authorization: 'x' } },
      TypeError,
      /^"headers" expected token names .*, got "Authorization"$/,
    ],
    [
      'header name with a space',
      { ...base, headers: [['a b', 'c']] },
      TypeError,
      /^"headers" expected token names .*, got "a b"$/,
    ],
    ['header name a number', { ...base, headers: [[1, 'c']] }, TypeError, /^"headers" expected token names .*, got 1$/],
    [
      'header pair of three',
      { ...base, headers: [['a', 'b', 'c']] },
      TypeError,
      /^"headers" expected \[name, value\] pairs, got object$/,
    ],
    [
      'payloadHash upper case',
      { ...base, payloadHash: 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855' },
      TypeError,
      /^"payloadHash" expected a lowercase hex SHA-256/,
    ],
    [
      'a full-entry option: contentSha256Header',
      { ...base, contentSha256Header: false },
      TypeError,
      /^"contentSha256Header" expected none in sigv4\/lite/,
    ],
  ];

  const run = async (f: (o: never) => Promise<unknown>, options: Record<string, unknown>): Promise<unknown> => {
    const spies = [
      vi.spyOn(crypto.subtle, 'digest'),
      vi.spyOn(crypto.subtle, 'sign'),
      vi.spyOn(crypto.subtle, 'importKey'),
    ];
    const error = await f(options as never).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(
      spies.reduce((n, s) => n + s.mock.calls.length, 0),
      'crypto calls before the error',
    ).toBe(0);
    return error;
  };
  for (const [entry, f, list] of [
    ['presignUrl', lite.presignUrl, [...cases, ...presignOnly]],
    ['signRequest', lite.signRequest, [...cases, ...signOnly]],
  ] as const) {
    it.each(list)(`${entry}: %s`, async (_, options, E, message) => {
      const error = await run(f as (o: never) => Promise<unknown>, options);
      expect(error).toBeInstanceOf(E);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain(SECRET.slice(0, 12));
      expect((error as Error).message).not.toContain('hunter2');
    });
  }
});

// ------------------------------------------------------------------------------------------------ options of the full entry

// Every option of the full entry's functions, as lite takes it or refuses it. Typed by the full entry's option
// types: a new option there fails to compile here until it is listed, and one listed as taken must be one of
// lite's own options. The test below then holds lite to the list: each refused option is refused by name, before
// any crypto, and each taken one is not.
type Listing<Full, Lite> = { readonly [K in keyof Required<Full>]: K extends keyof Lite ? 'taken' : 'refused' };
// What both functions take and refuse (the options of the full entry's SigningOptions).
const sharedListing = {
  url: 'taken',
  method: 'taken',
  service: 'taken',
  region: 'taken',
  credentials: 'taken',
  signingDate: 'taken',
  query: 'refused',
  uriEscapePath: 'refused',
  normalizePath: 'refused',
  signSessionToken: 'refused',
  cache: 'refused',
} as const;
const presignListing: Listing<PresignOptions, lite.LitePresignOptions> = {
  ...sharedListing,
  expiresIn: 'taken',
  headers: 'refused',
  payloadHash: 'refused',
  hoistAmzHeaders: 'refused',
};
const signListing: Listing<SignRequestOptions, lite.LiteSignRequestOptions> = {
  ...sharedListing,
  headers: 'taken',
  body: 'taken',
  payloadHash: 'taken',
  contentSha256Header: 'refused',
};

describe("every option of the full entry is taken or refused by lite (listed by the full entry's types)", () => {
  const base = {
    url: 'https://examplebucket.s3.amazonaws.com/test.txt',
    service: 's3',
    region: 'us-east-1',
    credentials,
    signingDate: DATE,
  };
  // A value of the right type for the full entry, so that only lite's refusal can fail the call.
  const values: Record<string, unknown> = {
    headers: { 'x-a': '1' },
    query: { a: '1' },
    uriEscapePath: false,
    normalizePath: false,
    payloadHash: 'UNSIGNED-PAYLOAD',
    signSessionToken: true,
    cache: false,
    hoistAmzHeaders: false,
    contentSha256Header: true,
    method: 'PUT',
    signingDate: DATE,
    expiresIn: 60,
    body: 'x',
  };
  for (const [entry, f, full, listing] of [
    ['presignUrl', lite.presignUrl, presignUrl, presignListing],
    ['signRequest', lite.signRequest, signRequest, signListing],
  ] as const) {
    const names = Object.keys(listing) as (keyof typeof listing)[];
    it.each(names.filter((n) => listing[n] === 'refused'))(
      `${entry} refuses %s by name, before any crypto`,
      async (name) => {
        const options = { ...base, [name]: values[name] };
        await expect((full as (o: unknown) => Promise<unknown>)(options)).resolves.toBeDefined(); // the full entry takes it
        const spies = [
          vi.spyOn(crypto.subtle, 'digest'),
          vi.spyOn(crypto.subtle, 'sign'),
          vi.spyOn(crypto.subtle, 'importKey'),
        ];
        const error = await (f as (o: unknown) => Promise<unknown>)(options).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toMatch(
          new RegExp(`^"${name}" expected none in sigv4/lite \\("sigv4" has it\\), got `),
        );
        expect(spies.reduce((n, s) => n + s.mock.calls.length, 0)).toBe(0);
      },
    );
    it(`${entry} takes the others`, async () => {
      for (const name of names.filter((n) => listing[n] === 'taken' && n in values)) {
        await expect(
          (f as (o: unknown) => Promise<unknown>)({ ...base, [name]: values[name] }),
          name,
        ).resolves.toBeDefined();
      }
    });
  }
});

// ------------------------------------------------------------------------------------------------ the kept key

describe('the signing key kept per credentials object', () => {
  const options = {
    url: 'https://examplebucket.s3.amazonaws.com/test.txt',
    service: 's3',
    region: 'us-east-1',
    signingDate: DATE,
    expiresIn: 86400,
  };

  it('is derived once, then each URL costs one digest and one HMAC', async () => {
    const mine = { ...credentials };
    await lite.presignUrl({ ...options, credentials: mine });
    const digest = vi.spyOn(crypto.subtle, 'digest');
    const sign = vi.spyOn(crypto.subtle, 'sign');
    const importKey = vi.spyOn(crypto.subtle, 'importKey');
    const again = await lite.presignUrl({ ...options, credentials: mine });
    expect(again.signature).toBe('aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
    expect([digest.mock.calls.length, sign.mock.calls.length, importKey.mock.calls.length]).toEqual([1, 1, 0]);
  });

  it('follows a changed secret, region and day on the same object', async () => {
    const mine = { ...credentials };
    const first = await lite.presignUrl({ ...options, credentials: mine });
    mine.secretAccessKey = SECRET.replace('K', 'Q');
    const other = await lite.presignUrl({ ...options, credentials: mine });
    expect(other.signature).toBe((await presignUrl({ ...options, credentials: { ...mine }, cache: false })).signature);
    expect(other.signature).not.toBe(first.signature);
    for (const change of [{ region: 'eu-west-1' }, { signingDate: new Date('2013-05-25T00:00:00Z') }]) {
      const changed = await lite.presignUrl({ ...options, ...change, credentials: mine });
      expect(changed.signature).toBe(
        (await presignUrl({ ...options, ...change, credentials: { ...mine }, cache: false })).signature,
      );
    }
  });
});

describe('sigv4/lite: the key it remembers', () => {
  const options = {
    url: 'https://examplebucket.s3.amazonaws.com/test.txt',
    service: 's3',
    region: 'us-east-1',
    signingDate: Date.UTC(2013, 4, 24),
  };
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

  it('a new credentials object per call with the same secret: the key is derived once (no more importKey)', async () => {
    const first = await lite.presignUrl({
      ...options,
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: secret },
    });
    const importKey = vi.spyOn(crypto.subtle, 'importKey');
    for (let i = 0; i < 3; i++) {
      const again = await lite.presignUrl({
        ...options,
        credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: [...secret].join('') },
      });
      expect(again.signature).toBe(first.signature);
    }
    expect(importKey).not.toHaveBeenCalled();
    importKey.mockRestore();
  });

  it('another secret (one character changed, a prefix) never gets the remembered key', async () => {
    for (const other of [secret.slice(0, -1), secret.slice(0, -1) + 'Z', 'x' + secret.slice(1)]) {
      await lite.presignUrl({
        ...options,
        credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: secret },
      });
      const signed = await lite.presignUrl({
        ...options,
        credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: other },
      });
      const full = await presignUrl({
        ...options,
        credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: other },
        cache: false,
      });
      expect(signed.signature).toBe(full.signature);
    }
  });
});
