// Properties (fast-check, pinned seed and run count): encoding alphabet and round trips, escape normalization,
// query order independence, the presigned URL parsing back to its canonical query, every stage agreeing with an
// independent node:crypto computation, expiry bounds, S3 vs other-service paths, and unicode object keys.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  normalizeEscapes,
  presignUrl,
  presignUrlSync,
  signRequest,
  SigningKeyCache,
  uriEncode,
  type PresignOptions,
  type PresignedUrl,
} from '../src/index.js';
import { hmacHex, rfc3986, sha256Hex, signingKey } from './support/reference.js';

const cache = new SigningKeyCache();
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const base = {
  url: 'https://examplebucket.s3.amazonaws.com/k',
  service: 's3',
  region: 'us-east-1',
  credentials,
  signingDate: '2015-08-30T12:36:00Z',
  cache,
} satisfies PresignOptions;

// Text in RFC 3986 form (unreserved kept, the rest %XX uppercase), as ./support/reference.ts's rfc3986 writes it.
const ENCODED = /^(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})*$/;
const SIGNER_PARAM = /^x-amz-(?:algorithm|credential|date|expires|signedheaders|signature|security-token)$/i;

const text = (maxLength = 12) => fc.string({ unit: 'binary', maxLength });
const anyText = (maxLength = 12) =>
  fc.oneof(
    text(maxLength),
    fc.string({ unit: 'binary-ascii', maxLength }),
    fc.string({ unit: 'grapheme', maxLength: 4 }),
  );

/** The query of a presigned URL, split on & and = without decoding. */
const rawPairs = (url: string): [string, string][] =>
  url
    .slice(url.indexOf('?') + 1)
    .split('&')
    .map((piece) => {
      const parts = piece.split('=');
      expect(parts, piece).toHaveLength(2);
      return [parts[0]!, parts[1]!];
    });

describe('encoding properties', () => {
  it('uriEncode gives only unreserved characters and uppercase %XX, equals RFC 3986 encoding, and decodes back', () => {
    fc.assert(
      fc.property(anyText(40), (s) => {
        const encoded = uriEncode(s);
        expect(encoded).toMatch(ENCODED);
        expect(encoded).toBe(rfc3986(s));
        expect(decodeURIComponent(encoded)).toBe(s);
      }),
      { seed: 0x0e1, numRuns: 2000 },
    );
  });

  // URL text with escapes: a text, each character written raw or as its escapes (hex in either case); `%`
  // itself is always escaped, so the text is well-formed.
  const partlyEscaped = text(16).chain((s) =>
    fc
      .array(fc.tuple(fc.boolean(), fc.boolean()), { minLength: [...s].length, maxLength: [...s].length })
      .map((choices) =>
        [...s]
          .map((c, i) => {
            const [escape, lower] = choices[i]!;
            if (!escape && c !== '%') return c;
            const e =
              encodeURIComponent(c) === c
                ? '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')
                : encodeURIComponent(c);
            return lower ? e.toLowerCase() : e;
          })
          .join(''),
      )
      .map((written) => ({ s, written })),
  );

  it('normalizeEscapes of well-formed text equals uriEncode of its decoded form', () => {
    fc.assert(
      fc.property(partlyEscaped, ({ s, written }) => {
        expect(decodeURIComponent(written)).toBe(s);
        expect(normalizeEscapes(written, 'url')).toBe(uriEncode(s));
      }),
      { seed: 0x0e2, numRuns: 2000 },
    );
  });

  // Any text whose % start escapes, including bytes that are not UTF-8 (%FF, a lone %C3).
  const urlText = fc
    .array(
      fc.oneof(
        text(3).map((s) => s.replace(/%/g, '')),
        fc.tuple(fc.integer({ min: 0, max: 255 }), fc.boolean()).map(([b, lower]) => {
          const e = '%' + b.toString(16).padStart(2, '0');
          return lower ? e : e.toUpperCase();
        }),
      ),
      { maxLength: 10 },
    )
    .map((parts) => parts.join(''));

  it('normalizeEscapes is idempotent, its output is canonical, and it keeps the bytes', () => {
    fc.assert(
      fc.property(urlText, (t) => {
        const once = normalizeEscapes(t, 'url');
        expect(once).toMatch(ENCODED);
        expect(normalizeEscapes(once, 'url')).toBe(once);
        // Same bytes: decode both as bytes and compare.
        const bytes = (x: string): number[] =>
          [...x.matchAll(/%([0-9A-Fa-f]{2})|([^%]+)/g)].flatMap((m) =>
            m[1] ? [parseInt(m[1], 16)] : [...new TextEncoder().encode(m[2]!)],
          );
        expect(bytes(once)).toEqual(bytes(t));
      }),
      { seed: 0x0e3, numRuns: 2000 },
    );
  });
});

describe('presigned URL properties', () => {
  const pair = fc.tuple(anyText(8), anyText(8)).filter(([k]) => !SIGNER_PARAM.test(k));
  const pairs = fc.array(pair, { maxLength: 8 });

  it('the canonical query does not depend on the order of the parameters or on where they are given', async () => {
    const arrangement = pairs.chain((ps) =>
      fc.tuple(
        fc.constant(ps),
        fc.shuffledSubarray(
          ps.map((_, i) => i),
          { minLength: ps.length, maxLength: ps.length },
        ),
        fc.array(fc.boolean(), { minLength: ps.length, maxLength: ps.length }),
        fc.constantFrom<'object' | 'pairs' | 'URLSearchParams'>('object', 'pairs', 'URLSearchParams'),
      ),
    );
    await fc.assert(
      fc.asyncProperty(arrangement, async ([ps, order, inUrl, form]) => {
        const reference = await presignUrl({ ...base, query: ps });
        const shuffled = order.map((i) => ps[i]!);
        const fromUrl = shuffled.filter((_, i) => inUrl[i]);
        const fromOption = shuffled.filter((_, i) => !inUrl[i]);
        const url =
          base.url +
          (fromUrl.length
            ? '?' + fromUrl.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
            : '');
        const query =
          form === 'pairs'
            ? fromOption
            : form === 'URLSearchParams'
              ? new URLSearchParams(fromOption)
              : fromOption.reduce<Record<string, string[]>>((o, [k, v]) => ({ ...o, [k]: [...(o[k] ?? []), v] }), {});
        const result = await presignUrl({ ...base, url, query });
        expect(result.canonicalRequest).toBe(reference.canonicalRequest);
        expect(result.url).toBe(reference.url);
        expect(result.signature).toBe(reference.signature);
      }),
      { seed: 0x0b1, numRuns: 300 },
    );
  });

  it('the URL parses back (split on & and =, no decoding) to the canonical query line plus X-Amz-Signature', async () => {
    const token = fc.string({
      unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='),
      minLength: 1,
      maxLength: 60,
    });
    await fc.assert(
      fc.asyncProperty(
        pairs,
        fc.option(token, { nil: undefined }),
        fc.boolean(),
        fc.dictionary(
          fc.constantFrom('x-amz-meta-a', 'x-amz-acl', 'content-type', 'x-amz-storage-class'),
          fc.string({ unit: 'binary-ascii', maxLength: 10 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
        ),
        fc.boolean(),
        async (ps, sessionToken, signSessionToken, headers, hoistAmzHeaders) => {
          const r = await presignUrl({
            ...base,
            query: ps,
            credentials: { ...credentials, ...(sessionToken ? { sessionToken } : {}) },
            signSessionToken,
            headers,
            hoistAmzHeaders,
          });
          const canonicalQuery = r.canonicalRequest.split('\n')[2]!;
          const got = rawPairs(r.url);
          const [signatureKey, signature] = got.pop()!;
          expect(signatureKey).toBe('X-Amz-Signature');
          expect(signature).toBe(r.signature);
          expect(signature).toMatch(/^[0-9a-f]{64}$/);
          if (sessionToken && !signSessionToken) {
            const [tokenKey, tokenValue] = got.pop()!;
            expect(tokenKey).toBe('X-Amz-Security-Token');
            expect(decodeURIComponent(tokenValue)).toBe(sessionToken);
            expect(canonicalQuery).not.toContain('X-Amz-Security-Token');
          }
          expect(got.map(([k, v]) => `${k}=${v}`).join('&')).toBe(canonicalQuery);
          for (const [k, v] of got) {
            expect(k).toMatch(ENCODED);
            expect(v).toMatch(ENCODED);
          }
          // Every caller parameter is there, decoded back to what was given.
          const decoded = got.map(([k, v]) => `${decodeURIComponent(k)}=${decodeURIComponent(v)}`);
          for (const [k, v] of ps) expect(decoded).toContain(`${k}=${v}`);
          expect(r.url.slice(0, r.url.indexOf('?'))).toBe(
            `https://examplebucket.s3.amazonaws.com${r.canonicalRequest.split('\n')[1]}`,
          );
        },
      ),
      { seed: 0x0b2, numRuns: 300 },
    );
  });

  const scopePart = fc
    .string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_.~!'), minLength: 1, maxLength: 12 })
    .filter((s) => !/\s|\//.test(s));
  const signingDate = fc.date({
    min: new Date(Date.UTC(1970, 0, 1)),
    max: new Date(Date.UTC(9999, 11, 31, 23, 59, 59)),
    noInvalidDate: true,
  });

  it('every stage agrees with an independent node:crypto computation, for presignUrl, presignUrlSync and signRequest', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 50 }),
        fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), minLength: 1, maxLength: 20 }),
        signingDate,
        scopePart,
        fc.oneof(fc.constant('s3'), scopePart),
        anyText(20),
        pairs,
        fc.boolean(),
        async (secretAccessKey, accessKeyId, date, region, service, key, ps, useCache) => {
          const options: PresignOptions = {
            url: `https://host.example/${encodeURIComponent(key)}`,
            service,
            region,
            credentials: { accessKeyId, secretAccessKey },
            signingDate: date,
            query: ps,
            cache: useCache ? cache : false,
          };
          const amzDate = date
            .toISOString()
            .replace(/\.\d{3}Z$/, 'Z')
            .replace(/[-:]/g, '');
          const scope = `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request`;
          const derivedKey = signingKey(secretAccessKey, amzDate.slice(0, 8), region, service);
          const check = (
            r: Pick<PresignedUrl, 'amzDate' | 'credentialScope' | 'canonicalRequest' | 'stringToSign' | 'signature'>,
          ): void => {
            expect(r.amzDate).toBe(amzDate);
            expect(r.credentialScope).toBe(scope);
            expect(r.stringToSign).toBe(`AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256Hex(r.canonicalRequest)}`);
            expect(r.signature).toBe(hmacHex(derivedKey, r.stringToSign));
          };
          const presigned = await presignUrl(options);
          check(presigned);
          expect(presigned.url).toContain(
            `X-Amz-Credential=${rfc3986(`${accessKeyId}/${scope}`)}&X-Amz-Date=${amzDate}&`,
          );
          expect(presignUrlSync(options)).toEqual(presigned);
          const signed = await signRequest(options);
          check(signed);
          expect(signed.authorization).toBe(
            `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${signed.signedHeaders.join(';')}, Signature=${signed.signature}`,
          );
        },
      ),
      { seed: 0x0b3, numRuns: 200 },
    );
  });

  it('for S3, the canonical request is what an independent RFC 3986 encoder builds', async () => {
    await fc.assert(
      fc.asyncProperty(anyText(20), pairs, fc.constantFrom('GET', 'PUT', 'DELETE', 'HEAD'), async (key, ps, method) => {
        const r = await presignUrl({
          ...base,
          method,
          url: `https://examplebucket.s3.amazonaws.com/${encodeURIComponent(key)}`,
          query: ps,
        });
        const query = [
          ...ps.map(([k, v]) => [rfc3986(k), rfc3986(v)] as const),
          ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'] as const,
          ['X-Amz-Credential', 'AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fs3%2Faws4_request'] as const,
          ['X-Amz-Date', '20150830T123600Z'] as const,
          ['X-Amz-Expires', '3600'] as const,
          ['X-Amz-SignedHeaders', 'host'] as const,
        ]
          .sort(([k1, v1], [k2, v2]) => (k1 === k2 ? (v1 < v2 ? -1 : v1 > v2 ? 1 : 0) : k1 < k2 ? -1 : 1))
          .map(([k, v]) => `${k}=${v}`)
          .join('&');
        expect(r.canonicalRequest).toBe(
          `${method}\n/${rfc3986(key)}\n${query}\nhost:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD`,
        );
      }),
      { seed: 0x0b4, numRuns: 300 },
    );
  });

  it('expiresIn 1..604800 is accepted and signed as given', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.integer({ min: 1, max: 604800 }), fc.constantFrom(1, 604800)), async (expiresIn) => {
        const r = await presignUrl({ ...base, expiresIn });
        expect(r.url).toContain(`&X-Amz-Expires=${expiresIn}&`);
        expect(r.expiresAt.getTime()).toBe(Date.UTC(2015, 7, 30, 12, 36) + expiresIn * 1000);
      }),
      { seed: 0x0c1, numRuns: 200 },
    );
  });

  it('any other expiresIn is a RangeError or TypeError, before any signing', async () => {
    // null is covered by its own regression test in errors.test.ts.
    const invalid = fc.oneof(
      fc.integer({ max: 0 }),
      fc.integer({ min: 604801 }),
      fc.double({ noNaN: true }).filter((n) => !Number.isInteger(n)),
      fc.constantFrom<unknown>(
        0,
        -1,
        1.5,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        604801,
        -0.0001,
        '60',
        '1',
        true,
        false,
        [],
        {},
        60n,
      ),
      fc.string().map((s) => s as unknown),
    );
    await fc.assert(
      fc.asyncProperty(invalid, async (expiresIn) => {
        const options = { ...base, expiresIn } as unknown as PresignOptions;
        const error = await presignUrl(options).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect([RangeError, TypeError]).toContain((error as Error | undefined)?.constructor);
        expect((error as Error).message).toMatch(/^"expiresIn" expected an integer 1\.\.604800 \(seconds\), got /);
        expect(() => presignUrlSync(options)).toThrow((error as Error).message);
      }),
      { seed: 0x0c2, numRuns: 300 },
    );
  });
});

describe('path properties', () => {
  const segment = fc.constantFrom('', '.', '..', 'a', 'b c', 'ü', '%2F', '~x', '%41', 'a+b', '*');
  const path = fc.array(segment, { maxLength: 8 }).map((segments) => '/' + segments.join('/'));
  // Each segment in canonical form, by the independent encoder.
  const encodeSegments = (p: string): string[] => p.split('/').map((s) => rfc3986(decodeURIComponent(s)));
  // Outside S3 the path is signed as fetch sends it: the URL parser resolves the dot segments (RFC 3986 section
  // 5.2.4), then AWS's signers drop the empty ones, keeping a trailing slash when something is left.
  const resolve = (rawPath: string): string => {
    const sent = new URL(`https://api.example.com${rawPath}`).pathname;
    const kept = sent.split('/').filter(Boolean);
    return '/' + kept.join('/') + (kept.length > 0 && sent.endsWith('/') ? '/' : '');
  };
  // The characters this generator writes raw that fetch encodes in a path: a space and non-ASCII.
  const asSent = (rawPath: string): string => rawPath.replace(/[ ]|[^\x00-\x7f]/gu, encodeURIComponent);

  it('S3 keeps //, . and .. in the canonical URI and on the wire; other services send the path as given and sign it resolved, encoded twice', async () => {
    await fc.assert(
      fc.asyncProperty(path, async (p) => {
        const s3 = await presignUrl({ ...base, url: `https://examplebucket.s3.amazonaws.com${p}` });
        const asWritten = encodeSegments(p).join('/');
        expect(s3.canonicalRequest.split('\n')[1]).toBe(asWritten);
        expect(s3.url.startsWith(`https://examplebucket.s3.amazonaws.com${asWritten}?`)).toBe(true);

        const api = await presignUrl({ ...base, service: 'execute-api', url: `https://api.example.com${p}` });
        const resolved = resolve(p);
        expect(api.canonicalRequest.split('\n')[1]).toBe(resolved.split('/').map(rfc3986).join('/'));
        expect(api.url.startsWith(`https://api.example.com${asSent(p)}?`)).toBe(true);
        expect(resolved.split('/').slice(1, -1)).not.toContain('');
        expect(resolved.split('/')).not.toContain('.');
        expect(resolved.split('/')).not.toContain('..');
      }),
      { seed: 0x0d1, numRuns: 500 },
    );
  });

  const ESCAPE_IN_URL = /[%?#\x00-\x1f\x7f]/gu;
  const objectKey = fc.oneof(
    fc.constantFrom(
      'a b+c/ü~*.txt',
      '//',
      '/',
      '.',
      '..',
      'a/../b',
      '😀/🏳️‍🌈',
      "!'()*",
      '%',
      '?#',
      'a\\b',
      '\u00a0\u2028',
      'x'.repeat(300),
    ),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
  );

  it('any unicode S3 key gives a URL whose path decodes back to the key', async () => {
    await fc.assert(
      fc.asyncProperty(objectKey, fc.boolean(), async (key, escapeAll) => {
        // The key written raw (only ?, #, % and controls escaped, as the README asks), or fully escaped.
        const written = escapeAll
          ? key.split('/').map(encodeURIComponent).join('/')
          : key.replace(ESCAPE_IN_URL, (c) => encodeURIComponent(c));
        const r = await presignUrl({ ...base, url: `https://examplebucket.s3.amazonaws.com/${written}` });
        const path = r.url.slice('https://examplebucket.s3.amazonaws.com'.length, r.url.indexOf('?'));
        expect(path).toMatch(/^\/(?:[A-Za-z0-9\-._~/]|%[0-9A-F]{2})*$/);
        expect(decodeURIComponent(path)).toBe(`/${key}`);
        expect(path).toBe('/' + key.split('/').map(rfc3986).join('/'));
      }),
      { seed: 0x0d2, numRuns: 400 },
    );
  });
});
