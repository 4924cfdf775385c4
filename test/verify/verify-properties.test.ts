// Properties of verification, with fast-check (pinned runs and seeds):
// - presign → verify and signRequest → verifyRequest round trips over arbitrary keys, unicode, query parameters,
//   headers and session tokens;
// - every single-character change of a signed URL or of a signed header fails, unless an independent model of
//   URL and header equivalence (written here, not taken from src/) says it is the same request: zero false
//   accepts, and zero false rejects;
// - garbage never throws anything but a SigV4Error, and never takes long.

import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isSigV4Error,
  presignUrl,
  signRequest,
  verifyPresignedUrl,
  verifyRequest,
  type VerifyOptions,
} from '../../src/index.js';

const SEED = 20150830;
const SKEW = 900;

// ---- Arbitraries ----
const printable = (min: number, max: number) => fc.string({ unit: 'grapheme-ascii', minLength: min, maxLength: max });
// The Authorization header separates its fields with ",", so the signer refuses a scope part that holds one.
const scopePart = fc.stringMatching(/^[\x21-\x2b\x2d\x2e\x30-\x7e]{1,12}$/);
const headerScopePart = scopePart;
const serviceFrom = (part: fc.Arbitrary<string>) => fc.oneof(fc.constant('s3'), fc.constant('execute-api'), part);
// Keys: any code point but lone surrogates, including controls and astral characters.
const secret = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 });
// Raw path text: unicode, with "%", "?" and "#" written as escapes (as the signer's docs ask), dot segments.
const segment = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom('.', '..', '', '%2F', '%c3%bc', 'a+b', '~') },
);
const path = fc.array(segment, { maxLength: 4 }).map(
  (segments) =>
    '/' +
    segments
      .map((s) => (/%[0-9a-fA-F]{2}/.test(s) ? s : s.replace(/%/g, '%25')))
      .join('/')
      .replace(/\?/g, '%3F')
      .replace(/#/g, '%23'),
);
const host = fc.constantFrom(
  'example.com',
  'bucket.s3.eu-west-1.amazonaws.com',
  '127.0.0.1:8080',
  '[::1]:9000',
  'Mixed.Case.Example',
);
const query = fc.array(
  fc.tuple(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 8 })),
  { maxLength: 4 },
);
const RESERVED_HEADERS =
  /^(?:host|authorization|x-amz-(?:date|security-token|content-sha256|algorithm|credential|expires|signedheaders|signature))$/;
const headerName = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
  fc.stringMatching(/^x-amz-meta-[a-z]{1,6}$/),
  fc.constantFrom('Content-Type', 'user-agent', 'Range'),
);
const headers = fc
  .dictionary(headerName, printable(0, 16), { maxKeys: 4 })
  .map((h) => Object.fromEntries(Object.entries(h).filter(([n]) => !RESERVED_HEADERS.test(n.toLowerCase()))));
const method = fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'PATCH', 'PROPFIND');
const signingDate = fc.integer({ min: 0, max: Date.UTC(9999, 11, 24) });

// A session token is visible ASCII without spaces (the signer refuses others: HTTP strips spaces around a value).
const headerToken = fc.stringMatching(/^[\x21-\x7e]{1,40}$/);

const requestInputs = (accessKeyId: fc.Arbitrary<string>, part = scopePart, token = headerToken) =>
  fc.record({
    accessKeyId,
    secret,
    sessionToken: fc.option(token, { nil: undefined }),
    signSessionToken: fc.boolean(),
    service: serviceFrom(part),
    region: part,
    host,
    path,
    query,
    headers,
    method,
    signingDate,
    uriEscapePath: fc.option(fc.boolean(), { nil: undefined }),
    normalizePath: fc.option(fc.boolean(), { nil: undefined }),
  });
type Inputs = fc.Arbitrary<ReturnType<typeof requestInputs> extends fc.Arbitrary<infer T> ? T : never>;
type RequestInputs = Inputs extends fc.Arbitrary<infer T> ? T : never;

const pathOptions = (r: RequestInputs) => ({
  ...(r.uriEscapePath === undefined ? {} : { uriEscapePath: r.uriEscapePath }),
  ...(r.normalizePath === undefined ? {} : { normalizePath: r.normalizePath }),
});
const credentialsOf = (r: RequestInputs) => ({
  accessKeyId: r.accessKeyId,
  secretAccessKey: r.secret,
  ...(r.sessionToken === undefined ? {} : { sessionToken: r.sessionToken }),
});
/** The request's own options, as both signers take them. */
const requestOf = (r: RequestInputs) => ({
  url: `https://${r.host}${r.path}`,
  method: r.method,
  service: r.service,
  region: r.region,
  credentials: credentialsOf(r),
  signingDate: r.signingDate,
  headers: r.headers,
  query: r.query,
});
const lookupOf = (r: RequestInputs) => (id: string) =>
  id === r.accessKeyId ? { secretAccessKey: r.secret, sessionToken: r.sessionToken } : undefined;

const presignInputs = (r: RequestInputs, expiresIn: number, hoistAmzHeaders: boolean) =>
  presignUrl({
    ...requestOf(r),
    expiresIn,
    hoistAmzHeaders,
    signSessionToken: r.signSessionToken,
    ...pathOptions(r),
  });

const verifyOptionsOf = (r: RequestInputs) => ({
  method: r.method,
  service: r.service,
  region: r.region,
  getCredentials: lookupOf(r),
  signSessionToken: r.signSessionToken,
  ...pathOptions(r),
});

describe('round trips', () => {
  it('presignUrl → verifyPresignedUrl, at any moment of its validity', async () => {
    await fc.assert(
      fc.asyncProperty(
        requestInputs(fc.stringMatching(/^[\x21-\x2b\x2d\x2e\x30-\x7e]{1,20}$/)),
        fc.integer({ min: 1, max: 604800 }),
        fc.boolean(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (r, expiresIn, hoist, when) => {
          const presigned = await presignInputs(r, expiresIn, hoist);
          const signedAt = Math.floor(r.signingDate / 1000) * 1000;
          const now = Math.round(signedAt - SKEW * 1000 + when * (SKEW + expiresIn) * 1000);
          const verified = await verifyPresignedUrl({
            ...verifyOptionsOf(r),
            url: presigned.url,
            headers: presigned.headers,
            now,
          });
          expect(verified.canonicalRequest).toBe(presigned.canonicalRequest);
          expect(verified.stringToSign).toBe(presigned.stringToSign);
          expect(verified.accessKeyId).toBe(r.accessKeyId);
          expect(verified.credentialScope).toBe(presigned.credentialScope);
          expect(verified.signedHeaders).toEqual(presigned.signedHeaders);
          expect(verified.expiresAt).toEqual(presigned.expiresAt);
          expect(verified.method).toBe(presigned.method);
          expect(verified.sessionToken).toBe(r.sessionToken);
          // One second past its expiry, it is refused.
          const late = verifyPresignedUrl({
            ...verifyOptionsOf(r),
            url: presigned.url,
            headers: presigned.headers,
            now: presigned.expiresAt.getTime() + 1000,
          });
          await expect(late).rejects.toMatchObject({ code: 'ERR_SIGV4_EXPIRED' });
        },
      ),
      { numRuns: 150, seed: SEED },
    );
  });

  it('signRequest → verifyRequest, within ± the clock skew', async () => {
    await fc.assert(
      fc.asyncProperty(
        requestInputs(fc.stringMatching(/^[A-Za-z0-9+=_.-]{1,20}$/), headerScopePart, headerToken),
        fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.uint8Array({ maxLength: 40 })),
        fc.option(fc.boolean(), { nil: undefined }),
        fc.integer({ min: -SKEW, max: SKEW }),
        async (r, body, contentSha256Header, skew) => {
          const signed = await signRequest({
            ...requestOf(r),
            body,
            signSessionToken: r.signSessionToken,
            ...(contentSha256Header === undefined ? {} : { contentSha256Header }),
            ...pathOptions(r),
          });
          const now = Math.floor(r.signingDate / 1000) * 1000 + skew * 1000;
          const verified = await verifyRequest({
            ...verifyOptionsOf(r),
            url: signed.url,
            headers: signed.headers,
            body,
            now,
          });
          expect(verified.canonicalRequest).toBe(signed.canonicalRequest);
          expect(verified.accessKeyId).toBe(r.accessKeyId);
          expect(verified.signedHeaders).toEqual(signed.signedHeaders);
          expect(verified.sessionToken).toBe(r.sessionToken);
        },
      ),
      { numRuns: 150, seed: SEED },
    );
  });
});

// ---- An independent model of when two requests are the same request ----

// Each byte's canonical text: itself when unreserved (RFC 3986), else %XX with uppercase hex.
const BYTE_TEXT = Array.from({ length: 256 }, (_, b) =>
  /^[A-Za-z0-9\-._~]$/.test(String.fromCharCode(b))
    ? String.fromCharCode(b)
    : '%' + b.toString(16).toUpperCase().padStart(2, '0'),
);

/** RFC 3986 text → its bytes, each written once in SigV4's canonical form; null for a malformed escape. */
function canonicalText(text: string): string | null {
  let out = '';
  for (let i = 0; i < text.length;) {
    const c = text.charCodeAt(i);
    if (c === 0x25) {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
      out += BYTE_TEXT[parseInt(hex, 16)];
      i += 3;
    } else if (c < 0x80) {
      out += BYTE_TEXT[c];
      i += 1;
    } else {
      const cp = text.codePointAt(i)!;
      for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) out += BYTE_TEXT[b];
      i += cp > 0xffff ? 2 : 1;
    }
  }
  return out;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The path as signed outside S3: the text as received (an escape's letter case, and %7E against ~, matter), a
 * space and non-ASCII encoded, dot segments resolved as RFC 3986 does (`%2e` is a dot; a `..` removes the segment
 * before it, empty or not), then empty segments dropped; a trailing slash kept after a final dot or empty segment.
 */
function sentPathMeaning(rawPath: string): string | null {
  if (/%(?![0-9A-Fa-f]{2})/.test(rawPath)) return null;
  const path = (rawPath || '/').replace(/[ ]|[^\x00-\x7f]/gu, encodeURIComponent);
  const out: string[] = [];
  let slash = false;
  for (const segment of path.split('/').slice(1)) {
    const dots = segment.replace(/%2e/gi, '.');
    slash = dots === '' || dots === '.' || dots === '..';
    if (dots === '..') out.pop();
    else if (dots !== '.') out.push(segment);
  }
  const kept = out.filter((segment) => segment !== '');
  return '/' + kept.join('/') + (kept.length > 0 && slash ? '/' : '');
}

/**
 * A URL's meaning for SigV4: scheme and host in lower case (a default port dropped), the path (for S3 its bytes;
 * for other services as {@link sentPathMeaning} reads it), and the multiset of query parameters' bytes, where `+`
 * is a space, `k` and `k=` are one parameter and empty `&&` pieces are nothing. null for text no client sends.
 */
function urlMeaning(url: string, normalize: boolean): string | null {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(url) || LONE_SURROGATE.test(url)) return null;
  const m = /^(https?):\/\/([A-Za-z0-9.\-_:[\]]+)([^?#]*)(?:\?([^#]*))?/i.exec(url);
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  const authority = m[2]!.toLowerCase().replace(scheme === 'https' ? /:443$/ : /:80$/, '');
  // The authority ends at the first "/", "?" or "#".
  if (m[3] !== '' && !m[3]!.startsWith('/')) return null;
  const segments = normalize ? [sentPathMeaning(m[3]!)] : m[3]!.split('/').map(canonicalText);
  if (segments.includes(null)) return null;
  const params: string[] = [];
  for (const piece of (m[4] ?? '').split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const key = canonicalText((eq < 0 ? piece : piece.slice(0, eq)).replaceAll('+', ' '));
    const value = canonicalText((eq < 0 ? '' : piece.slice(eq + 1)).replaceAll('+', ' '));
    if (key === null || value === null) return null;
    params.push(`${key}=${value}`);
  }
  return `${scheme}://${authority}${segments.join('/')}?${params.sort().join('&')}`;
}

/** A header value's meaning: trimmed, runs of spaces and tabs as one space (AWS's canonical form). */
const headerMeaning = (value: string): string => value.trim().replace(/[ \t]+/g, ' ');
/** The Authorization header's meaning: its text with spaces and tabs around the field separators ignored. */
const authorizationMeaning = (value: string): string =>
  value
    .replace(/^[ \t]+|[ \t]+$/g, '')
    .split(',')
    .map((f) => f.replace(/^[ \t]+|[ \t]+$/g, ''))
    .join(',');

// ---- Single-character mutations ----

// A small deterministic generator, so the mutation sets are the same on every run.
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}
const POOL = [
  ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i)),
  ...[
    '\t',
    '\n',
    '\r',
    '\0',
    '\x7f',
    'ü',
    'ａ',
    'İ',
    '\u212A',
    '\u017F',
    '\u00a0',
    '\u2028',
    '\uFEFF',
    '\ud800',
    '😀',
    'é',
  ],
];

/** For each position, two replacements: the same letter in the other case (or the next character), and a random one. */
function* mutations(text: string, random: () => number): Generator<string> {
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const flipped =
      c.toLowerCase() !== c
        ? c.toLowerCase()
        : c.toUpperCase() !== c
          ? c.toUpperCase()
          : String.fromCharCode(c.charCodeAt(0) + 1);
    let other = POOL[Math.floor(random() * POOL.length)]!;
    if (other === c || other === flipped) other = '\u2603';
    for (const r of [flipped, other]) yield text.slice(0, i) + r + text.slice(i + 1);
  }
}

interface Tally {
  total: number;
  equivalent: number;
  falseAccepts: string[];
  falseRejects: string[];
  otherErrors: string[];
}

/** Runs the verifications in small concurrent batches, and tallies verdicts against the model's. */
async function tally(cases: Iterable<{ same: boolean; label: string; run: () => Promise<unknown> }>): Promise<Tally> {
  const t: Tally = { total: 0, equivalent: 0, falseAccepts: [], falseRejects: [], otherErrors: [] };
  let batch: Promise<void>[] = [];
  for (const c of cases) {
    t.total++;
    if (c.same) t.equivalent++;
    batch.push(
      c.run().then(
        () => void (c.same || t.falseAccepts.push(c.label)),
        (e: unknown) => {
          if (!isSigV4Error(e)) t.otherErrors.push(`${c.label}: ${String(e)}`);
          else if (c.same) t.falseRejects.push(`${c.label}: ${e.code} ${e.message}`);
        },
      ),
    );
    if (batch.length === 16) {
      await Promise.all(batch);
      batch = [];
    }
  }
  await Promise.all(batch);
  return t;
}

const expectExact = (t: Tally) => {
  expect(t.otherErrors).toEqual([]);
  expect(t.falseAccepts).toEqual([]);
  expect(t.falseRejects).toEqual([]);
};

// Requests to mutate: realistic, with unicode keys, extra parameters, signed headers and tokens.
const mutationInputs = fc.sample(
  fc.record({
    r: requestInputs(fc.stringMatching(/^AKID[A-Z0-9]{4,12}$/), headerScopePart, headerToken).map((r) => ({
      ...r,
      signingDate: Date.UTC(2015, 7, 30, 12, 36),
      signSessionToken: true,
      uriEscapePath: undefined,
      normalizePath: undefined,
    })),
    signedHeader: fc.constantFrom('image/jpeg', 'text/plain; charset=utf-8', 'a  b\tc'),
  }),
  { numRuns: 40, seed: SEED },
);

describe('single-character changes fail, unless they are the same request', () => {
  it('presigned URLs: every position, two replacements each', async () => {
    const random = prng(SEED);
    const cases: { same: boolean; label: string; run: () => Promise<unknown> }[] = [];
    for (const { r } of mutationInputs) {
      if (cases.length >= 12000) break;
      const presigned = await presignInputs(r, 3600, false);
      const options: VerifyOptions = {
        ...verifyOptionsOf(r),
        url: presigned.url,
        headers: presigned.headers,
        now: Date.UTC(2015, 7, 30, 13),
      };
      await verifyPresignedUrl(options);
      const normalize = r.service !== 's3';
      const meaning = urlMeaning(presigned.url, normalize);
      expect(meaning).not.toBeNull();
      for (const url of mutations(presigned.url, random)) {
        cases.push({
          same: urlMeaning(url, normalize) === meaning,
          label: url,
          run: () => verifyPresignedUrl({ ...options, url }),
        });
      }
    }
    const t = await tally(cases);
    expectExact(t);
    expect(t.total).toBeGreaterThanOrEqual(12000);
    expect(t.equivalent).toBeGreaterThan(100); // letter case of scheme, host and escapes
  }, 180_000);

  it('signed headers of presigned URLs and header-signed requests: every character of every value and name', async () => {
    const random = prng(SEED + 1);
    const cases: { same: boolean; label: string; run: () => Promise<unknown> }[] = [];
    for (const { r, signedHeader } of mutationInputs.slice(0, 12)) {
      const withHeader = { ...r, headers: { ...r.headers, 'x-signed': signedHeader } };
      const presigned = await presignInputs(withHeader, 3600, false);
      const signed = await signRequest(requestOf(withHeader));
      const now = Date.UTC(2015, 7, 30, 12, 40);
      const variants = [
        {
          sent: presigned.headers,
          signedHeaders: presigned.signedHeaders,
          verify: (headers: Record<string, string>) =>
            verifyPresignedUrl({ ...verifyOptionsOf(r), url: presigned.url, headers, now }),
        },
        {
          sent: signed.headers,
          signedHeaders: signed.signedHeaders,
          verify: (headers: Record<string, string>) =>
            verifyRequest({ ...verifyOptionsOf(r), url: signed.url, headers, now }),
        },
      ];
      for (const { sent, signedHeaders, verify } of variants) {
        await verify({ ...sent });
        for (const [name, value] of Object.entries(sent)) {
          const meaning = name === 'authorization' ? authorizationMeaning : headerMeaning;
          // A header that is neither signed nor read by the verifier (user-agent in header signing) may change.
          const irrelevant = !signedHeaders.includes(name) && !RESERVED_HEADERS.test(name);
          for (const v of mutations(value, random)) {
            cases.push({
              same: irrelevant || meaning(v) === meaning(value),
              label: `${name}: ${v}`,
              run: () => verify({ ...sent, [name]: v }),
            });
          }
          for (const n of mutations(name, random)) {
            const moved = Object.fromEntries(Object.entries(sent).map(([k, x]) => [k === name ? n : k, x]));
            // Names are case-insensitive; renaming a header that is not signed (user-agent in header signing)
            // changes nothing the signature covers, unless the new name is itself a signed one.
            const unread = (h: string) => !signedHeaders.includes(h) && !RESERVED_HEADERS.test(h);
            const same = n.toLowerCase() === name || (unread(name) && unread(n.toLowerCase()));
            cases.push({ same, label: `name ${n}`, run: () => verify(moved) });
          }
        }
      }
    }
    const t = await tally(cases);
    expectExact(t);
    expect(t.total).toBeGreaterThan(5000);
    expect(t.equivalent).toBeGreaterThan(50); // whitespace in values, around the Authorization fields; name case
  }, 180_000);
});

describe('garbage', () => {
  const base = {
    method: 'GET',
    service: 's3',
    region: 'us-east-1',
    getCredentials: () => ({ secretAccessKey: 'secret' }),
    now: Date.UTC(2015, 7, 30, 12, 36),
  };
  const pieces = fc.constantFrom(
    'X-Amz-Algorithm',
    'X-Amz-Credential',
    'X-Amz-Date',
    'X-Amz-Expires',
    'X-Amz-SignedHeaders',
    'X-Amz-Signature',
    'X-Amz-Security-Token',
    'x-amz-date',
    '=',
    '&',
    '&',
    '=',
    '/',
    '%2F',
    '%',
    '%G',
    '%E0%A4',
    ';',
    ',',
    ' ',
    '\t',
    'AWS4-HMAC-SHA256',
    'AKID',
    '20150830',
    '20150830T123600Z',
    'us-east-1',
    's3',
    'aws4_request',
    '3600',
    '604801',
    'host',
    'Credential=',
    'SignedHeaders=',
    'Signature=',
    'a'.repeat(64),
    '0'.repeat(64),
    'ü',
    '\u0000',
    '#',
    '?',
    '..',
    '.',
    '\ud800',
    '😀',
  );
  const soup = fc.array(pieces, { maxLength: 40 }).map((p) => p.join(''));
  const anything = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), soup);
  const headerBag = fc.dictionary(
    fc.constantFrom(
      'authorization',
      'Authorization',
      'x-amz-date',
      'date',
      'host',
      'x-amz-security-token',
      'x-amz-content-sha256',
      'content-type',
    ),
    fc.oneof(anything, fc.array(anything, { maxLength: 3 })),
    { maxKeys: 6 },
  );

  it('never throws anything but a SigV4Error, and always fails', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          anything,
          soup.map((q) => `https://example.com/k?${q}`),
          anything.map((p) => `https://example.com/${p}`),
        ),
        headerBag,
        fc.oneof(fc.constantFrom('GET', 'PUT', 'get'), fc.string({ maxLength: 8 })),
        fc.constantFrom('s3', 'svc'),
        async (url, headers, method, service) => {
          for (const verify of [verifyPresignedUrl, verifyRequest]) {
            const error = await verify({ ...base, url, headers, method, service }).then(
              () => new Error('verified garbage'),
              (e: unknown) => e,
            );
            if (!isSigV4Error(error)) throw error;
          }
        },
      ),
      { numRuns: 1500, seed: SEED },
    );
  });

  it('never takes long, whatever the size or shape', async () => {
    const auth = (text: string) => ({ authorization: text, 'x-amz-date': '20150830T123600Z' });
    const inputs: [string, Record<string, string>][] = [
      ['https://example.com/' + '%'.repeat(60000), {}],
      ['https://example.com/' + '%e0'.repeat(20000), {}],
      ['https://example.com/?' + '&'.repeat(60000), {}],
      ['https://example.com/?' + '='.repeat(60000), {}],
      ['https://example.com/?' + 'a=&'.repeat(20000), {}],
      ['https://example.com/?' + 'X-Amz-Date=1&'.repeat(4000), {}],
      ['https://example.com/' + '../'.repeat(20000), {}],
      ['https://example.com/' + '%2e%2e/'.repeat(9000), {}],
      ['https://example.com/' + '/'.repeat(60000), {}],
      ['https://' + 'a'.repeat(60000) + '/', {}],
      ['https://example.com/' + 'x'.repeat(2_000_000), {}],
      ['https://example.com/k', auth('AWS4-HMAC-SHA256 ' + ' '.repeat(8000) + 'x')],
      ['https://example.com/k', auth('AWS4-HMAC-SHA256 ' + ','.repeat(8000))],
      ['https://example.com/k', auth('AWS4-HMAC-SHA256 ' + 'Credential='.repeat(700))],
      ['https://example.com/k', auth('AWS4-HMAC-SHA256 Credential=' + '/'.repeat(8000))],
      [
        'https://example.com/k',
        auth(
          'AWS4-HMAC-SHA256 Credential=a/20150830/us-east-1/s3/aws4_request, Signature=' +
            'a'.repeat(64) +
            ', SignedHeaders=' +
            'a;'.repeat(3000) +
            'b',
        ),
      ],
      ['https://example.com/k', auth('x'.repeat(2_000_000))],
      [
        'https://example.com/k',
        { authorization: 'AWS4-HMAC-SHA256 Credential=a', 'x-amz-date': ' '.repeat(1_000_000) + 'x' },
      ],
      [
        'https://example.com/k',
        { authorization: 'AWS4-HMAC-SHA256 Credential=a', date: 'Sun, ' + '0'.repeat(1_000_000) },
      ],
    ];
    const slowest: [number, string][] = [];
    for (const [url, headers] of inputs) {
      for (const verify of [verifyPresignedUrl, verifyRequest]) {
        const start = performance.now();
        const error = await verify({ ...base, url, headers }).then(
          () => new Error('verified garbage'),
          (e: unknown) => e,
        );
        if (!isSigV4Error(error)) throw error;
        slowest.push([performance.now() - start, `${url.slice(0, 40)} ${JSON.stringify(headers).slice(0, 60)}`]);
      }
    }
    // Linear parsers take tens of milliseconds on the largest of these; a backtracking one would take minutes.
    slowest.sort((a, b) => b[0] - a[0]);
    expect(slowest[0]![0], slowest[0]![1]).toBeLessThan(1000);
  });
});
