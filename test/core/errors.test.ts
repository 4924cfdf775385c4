// Caller misuse: every invalid option is a TypeError or RangeError with the code ERR_SIGV4_INVALID_OPTION, thrown
// before any crypto runs, whose message names the option, what was expected and what was received, and never shows
// a secret. Each case runs through presignUrl / signRequest and their synchronous twins, which must throw the same
// error; the other entry points' kinds of option error are checked for the code below.

import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import {
  createPresignedPost,
  encodePath,
  INVALID_OPTION,
  isSigV4Error,
  normalizeEscapes,
  presignUrl,
  presignUrlSync,
  signPostPolicy,
  signRequest,
  signRequestSync,
  SigningKeyCache,
  toReceivedPath,
  toWirePath,
  verifyPresignedPost,
  verifyPresignedUrl,
  verifyRequest,
} from '../../src/index.js';
import type {
  PresignedPostOptions,
  PresignOptions,
  SignPostPolicyOptions,
  SignRequestOptions,
  VerifyPresignedPostOptions,
  VerifyRequestOptions,
} from '../../src/index.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const TOKEN =
  'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI';

type Options = Record<string, unknown>;
const base: Options = {
  url: 'https://examplebucket.s3.amazonaws.com/photos/a.jpg',
  service: 's3',
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, sessionToken: TOKEN },
  signingDate: '2015-08-30T12:36:00Z',
  cache: false,
};
const withCredentials = (credentials: Options): Options => ({
  ...base,
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, ...credentials },
});
const without = (options: Options, key: string): Options =>
  Object.fromEntries(Object.entries(options).filter(([k]) => k !== key));

const entryPoints = {
  presignUrl: (o: Options) => presignUrl(o as unknown as PresignOptions),
  presignUrlSync: async (o: Options) => presignUrlSync(o as unknown as PresignOptions),
  signRequest: (o: Options) => signRequest(o as unknown as SignRequestOptions),
  signRequestSync: async (o: Options) => signRequestSync(o as unknown as SignRequestOptions),
};
type EntryPoint = keyof typeof entryPoints;
const PRESIGN: EntryPoint[] = ['presignUrl', 'presignUrlSync'];
const SIGN: EntryPoint[] = ['signRequest', 'signRequestSync'];
const ALL: EntryPoint[] = [...PRESIGN, ...SIGN];

async function errorOf(entry: EntryPoint, options: Options): Promise<unknown> {
  try {
    await entryPoints[entry](options);
  } catch (error) {
    return error;
  }
  return undefined;
}

let spies: MockInstance[] = [];
beforeEach(() => {
  spies = [vi.spyOn(crypto.subtle, 'digest'), vi.spyOn(crypto.subtle, 'sign'), vi.spyOn(crypto.subtle, 'importKey')];
});
afterEach(() => {
  vi.restoreAllMocks();
});
const cryptoCalls = (): number => spies.reduce((n, spy) => n + spy.mock.calls.length, 0);

interface Case {
  name: string;
  options: Options;
  error: typeof TypeError | typeof RangeError;
  message: RegExp;
  entries?: EntryPoint[];
}

const q = (text: string): string => JSON.stringify(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// As messages show text since issue 12: JSON, with the control, format and separator characters JSON leaves raw
// (DEL, C1, U+2028…) escaped too; as a pattern.
const qEscaped = (text: string): string =>
  JSON.stringify(text)
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const typeCase = (name: string, options: Options, message: RegExp, entries: EntryPoint[] = ALL): Case => ({
  name,
  options,
  error: TypeError,
  message,
  entries,
});
const rangeCase = (name: string, options: Options, message: RegExp, entries: EntryPoint[] = ALL): Case => ({
  name,
  options,
  error: RangeError,
  message,
  entries,
});

const cases: Case[] = [
  // The options object itself.
  typeCase('options null', null as unknown as Options, /^"options" expected an object, got null$/),
  typeCase(
    'options a string',
    'https://x/' as unknown as Options,
    /^"options" expected an object, got "https:\/\/x\/"$/,
  ),

  // Credentials.
  typeCase(
    'credentials missing',
    without(base, 'credentials'),
    /^"credentials" expected an object \{ accessKeyId, secretAccessKey, sessionToken\? \}, got undefined$/,
  ),
  typeCase('credentials null', { ...base, credentials: null }, /^"credentials" expected an object .*, got null$/),
  typeCase('credentials a number', { ...base, credentials: 42 }, /^"credentials" expected an object .*, got a number$/),
  typeCase(
    'accessKeyId missing',
    { ...base, credentials: { secretAccessKey: SECRET } },
    /^"credentials\.accessKeyId" expected a non-empty string, got undefined$/,
  ),
  typeCase(
    'accessKeyId empty',
    withCredentials({ accessKeyId: '' }),
    /^"credentials\.accessKeyId" expected a non-empty string, got ""$/,
  ),
  typeCase(
    'accessKeyId a number',
    withCredentials({ accessKeyId: 123 }),
    /^"credentials\.accessKeyId" expected a non-empty string, got 123$/,
  ),
  typeCase(
    'accessKeyId null',
    withCredentials({ accessKeyId: null }),
    /^"credentials\.accessKeyId" expected a non-empty string, got null$/,
  ),
  typeCase(
    'accessKeyId non-ASCII',
    withCredentials({ accessKeyId: 'AKÍD' }),
    /^"credentials\.accessKeyId" expected visible ASCII without "\/", "," or spaces, got "AKÍD"$/,
  ),
  typeCase(
    'accessKeyId with CR LF',
    withCredentials({ accessKeyId: 'AKID\r\nX: y' }),
    /^"credentials\.accessKeyId" expected visible ASCII without "\/", "," or spaces, got "AKID\\r\\nX: y"$/,
  ),
  typeCase(
    'accessKeyId with a lone surrogate',
    withCredentials({ accessKeyId: 'AKID\uD800' }),
    /^"credentials\.accessKeyId" expected well-formed Unicode, got a lone UTF-16 surrogate$/,
  ),
  typeCase(
    'secretAccessKey missing',
    { ...base, credentials: { accessKeyId: 'AKIDEXAMPLE' } },
    /^"credentials\.secretAccessKey" expected a non-empty string, got "?undefined"?$/,
  ),
  typeCase(
    'secretAccessKey empty',
    withCredentials({ secretAccessKey: '' }),
    /^"credentials\.secretAccessKey" expected a non-empty string, got "?an empty string"?$/,
  ),
  typeCase(
    'secretAccessKey a number',
    withCredentials({ secretAccessKey: 12345 }),
    /^"credentials\.secretAccessKey" expected a non-empty string, got a number$/,
  ),
  typeCase(
    'secretAccessKey an object',
    withCredentials({ secretAccessKey: { key: SECRET } }),
    /^"credentials\.secretAccessKey" expected a non-empty string, got an object$/,
  ),
  typeCase(
    'secretAccessKey with a lone surrogate',
    withCredentials({ secretAccessKey: SECRET + '\uDFFF' }),
    /^"credentials\.secretAccessKey" expected well-formed Unicode, got a lone UTF-16 surrogate$/,
  ),
  typeCase(
    'sessionToken empty',
    withCredentials({ sessionToken: '' }),
    /^"credentials\.sessionToken" expected a non-empty string, got "?an empty string"?$/,
  ),
  typeCase(
    'sessionToken a number',
    withCredentials({ sessionToken: 7 }),
    /^"credentials\.sessionToken" expected a non-empty string, got a number$/,
  ),
  typeCase(
    'sessionToken null',
    withCredentials({ sessionToken: null }),
    /^"credentials\.sessionToken" expected a non-empty string, got null$/,
  ),
  typeCase(
    'sessionToken non-ASCII',
    withCredentials({ sessionToken: TOKEN + 'é' }),
    /^"credentials\.sessionToken" expected visible ASCII without spaces, got other characters$/,
  ),
  typeCase(
    'sessionToken with LF',
    withCredentials({ sessionToken: TOKEN + '\n' }),
    /^"credentials\.sessionToken" expected visible ASCII without spaces, got other characters$/,
  ),
  typeCase(
    'sessionToken with NUL',
    withCredentials({ sessionToken: '\0' + TOKEN }),
    /^"credentials\.sessionToken" expected visible ASCII without spaces, got other characters$/,
  ),
  typeCase(
    'sessionToken with a lone surrogate',
    withCredentials({ sessionToken: TOKEN + '\uD83D' }),
    /^"credentials\.sessionToken" expected well-formed Unicode, got a lone UTF-16 surrogate$/,
  ),

  // Region and service.
  ...(['region', 'service'] as const).flatMap((name) => [
    typeCase(
      `${name} missing`,
      without(base, name),
      new RegExp(`^"${name}" expected a non-empty string, got undefined$`),
    ),
    typeCase(`${name} empty`, { ...base, [name]: '' }, new RegExp(`^"${name}" expected a non-empty string, got ""$`)),
    typeCase(`${name} a number`, { ...base, [name]: 1 }, new RegExp(`^"${name}" expected a non-empty string, got 1$`)),
    typeCase(
      `${name} with "/"`,
      { ...base, [name]: 'us/east' },
      new RegExp(`^"${name}" expected visible ASCII without "/", "," or spaces, got "us/east"$`),
    ),
    typeCase(
      `${name} with a comma`,
      { ...base, [name]: 'us,east' },
      new RegExp(`^"${name}" expected visible ASCII without "/", "," or spaces, got "us,east"$`),
    ),
    typeCase(
      `${name} with a space`,
      { ...base, [name]: 'us east' },
      new RegExp(`^"${name}" expected visible ASCII without "/", "," or spaces, got "us east"$`),
    ),
    typeCase(
      `${name} with a tab`,
      { ...base, [name]: 'us\teast' },
      new RegExp(`^"${name}" expected visible ASCII without "/", "," or spaces, got "us\\\\teast"$`),
    ),
    typeCase(
      `${name} with a newline`,
      { ...base, [name]: 's3\n' },
      new RegExp(`^"${name}" expected visible ASCII without "/", "," or spaces, got "s3\\\\n"$`),
    ),
    typeCase(
      `${name} non-ASCII`,
      { ...base, [name]: 'eu-ouést' },
      new RegExp(`^"${name}" expected visible ASCII without "/", "," or spaces, got "eu-ouést"$`),
    ),
    typeCase(
      `${name} with a lone surrogate`,
      { ...base, [name]: 'x\uD800' },
      new RegExp(`^"${name}" expected well-formed Unicode, got a lone UTF-16 surrogate$`),
    ),
  ]),

  // expiresIn (presigning only).
  ...[0, -1, 1.5, 604800.5, 604801, 1e12, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0.5].map(
    (n) =>
      rangeCase(
        `expiresIn ${n}`,
        { ...base, expiresIn: n },
        new RegExp(
          `^"expiresIn" expected an integer 1\\.\\.604800 \\(seconds\\), got ${String(n).replace('.', '\\.')}$`,
        ),
        PRESIGN,
      ),
  ),
  ...(
    [
      ['"60"', '60'],
      ['true', true],
      ['an object (Object)', {}],
      ['an array', [60]],
      ['60n', 60n],
    ] as const
  ).map(
    ([got, value]) =>
      ({
        name: `expiresIn ${got}`,
        options: { ...base, expiresIn: value },
        error: RangeError,
        message: new RegExp(
          `^"expiresIn" expected an integer 1\\.\\.604800 \\(seconds\\), got ${got.replace(/[()]/g, '\\$&')}$`,
        ),
        entries: PRESIGN,
      }) satisfies Case,
  ),

  // signingDate.
  rangeCase(
    'signingDate not a date',
    { ...base, signingDate: 'not a date' },
    /^"signingDate" expected a valid Date, epoch milliseconds or ISO 8601 string \(2015-08-30T12:36:00Z\) between 1970 and 9999, got "not a date"$/,
  ),
  rangeCase('signingDate empty', { ...base, signingDate: '' }, /^"signingDate" expected a valid Date, .*, got ""$/),
  rangeCase(
    'signingDate NaN',
    { ...base, signingDate: Number.NaN },
    /^"signingDate" expected a valid Date, .*, got NaN$/,
  ),
  rangeCase(
    'signingDate Infinity',
    { ...base, signingDate: Number.POSITIVE_INFINITY },
    /^"signingDate" expected a valid Date, .*, got Infinity$/,
  ),
  rangeCase(
    'signingDate an invalid Date',
    { ...base, signingDate: new Date(Number.NaN) },
    /^"signingDate" expected a valid Date, .*, got Date\(NaN\)$/,
  ),
  rangeCase(
    'signingDate in year 10000',
    { ...base, signingDate: Date.UTC(10000, 0, 1) },
    /^"signingDate" expected a valid Date, .* between 1970 and 9999, got 253402300800000$/,
  ),
  rangeCase(
    'signingDate "+010000-01-01T00:00:00Z"',
    { ...base, signingDate: '+010000-01-01T00:00:00Z' },
    /^"signingDate" expected a valid Date, .*, got "\+010000-01-01T00:00:00Z"$/,
  ),
  rangeCase(
    'signingDate before 1970',
    { ...base, signingDate: '1969-12-31T23:59:59Z' },
    /^"signingDate" expected a valid Date, .*, got "1969-12-31T23:59:59Z"$/,
  ),
  typeCase(
    'signingDate an object',
    { ...base, signingDate: { year: 2015 } },
    /^"signingDate" expected a Date, epoch milliseconds or an ISO 8601 string, got an object \(Object\)$/,
  ),
  typeCase(
    'signingDate null',
    { ...base, signingDate: null },
    /^"signingDate" expected a Date, epoch milliseconds or an ISO 8601 string, got null$/,
  ),
  typeCase(
    'signingDate true',
    { ...base, signingDate: true },
    /^"signingDate" expected a Date, epoch milliseconds or an ISO 8601 string, got true$/,
  ),

  // The URL.
  typeCase(
    'url missing',
    without(base, 'url'),
    /^"url" expected an absolute http\(s\) URL as a string or URL, got undefined$/,
  ),
  typeCase(
    'url a number',
    { ...base, url: 42 },
    /^"url" expected an absolute http\(s\) URL as a string or URL, got 42$/,
  ),
  typeCase(
    'url an object',
    { ...base, url: { href: 'https://x/' } },
    /^"url" expected an absolute http\(s\) URL as a string or URL, got an object \(Object\)$/,
  ),
  typeCase(
    'url ftp:',
    { ...base, url: 'ftp://examplebucket/a.jpg' },
    /^"url" expected an absolute http\(s\) URL, got "ftp:\/\/examplebucket\/a\.jpg"$/,
  ),
  typeCase(
    'url file:',
    { ...base, url: 'file:///etc/passwd' },
    /^"url" expected an absolute http\(s\) URL, got "file:\/\/\/etc\/passwd"$/,
  ),
  typeCase(
    'url ftp: as a URL object',
    { ...base, url: new URL('ftp://examplebucket/a.jpg') },
    /^"url" expected an absolute http\(s\) URL, got "ftp:\/\/examplebucket\/a\.jpg"$/,
  ),
  typeCase(
    'url relative',
    { ...base, url: '/photos/a.jpg' },
    /^"url" expected an absolute http\(s\) URL, got "\/photos\/a\.jpg"$/,
  ),
  typeCase(
    'url without a scheme',
    { ...base, url: 'examplebucket.s3.amazonaws.com/a.jpg' },
    /^"url" expected an absolute http\(s\) URL, got "examplebucket\.s3\.amazonaws\.com\/a\.jpg"$/,
  ),
  typeCase(
    'url scheme-relative',
    { ...base, url: '//examplebucket/a.jpg' },
    /^"url" expected an absolute http\(s\) URL, got "\/\/examplebucket\/a\.jpg"$/,
  ),
  typeCase(
    'url https: with one slash',
    { ...base, url: 'https:/examplebucket/a.jpg' },
    /^"url" expected an absolute http\(s\) URL, got /,
  ),
  typeCase(
    'url with a leading space',
    { ...base, url: ' https://examplebucket/a.jpg' },
    /^"url" expected an absolute http\(s\) URL, got " https:/,
  ),
  typeCase('url empty', { ...base, url: '' }, /^"url" expected an absolute http\(s\) URL, got ""$/),
  typeCase('url missing host', { ...base, url: 'https:///a.jpg' }, /^"url" expected a valid host\[:port\], got ""$/),
  typeCase(
    'url with only a port',
    { ...base, url: 'https://:443/a.jpg' },
    /^"url" expected a valid host\[:port\], got ":443"$/,
  ),
  typeCase(
    'url with a bad port',
    { ...base, url: 'https://examplebucket:99999/a.jpg' },
    /^"url" expected a valid host\[:port\], got "examplebucket:99999"$/,
  ),
  typeCase(
    'url with user info',
    { ...base, url: 'https://user@examplebucket/a.jpg' },
    /^"url" expected a host\[:port\] without user info \(user:password@\), got a URL with user info$/,
  ),
  typeCase(
    'url with user and password',
    { ...base, url: 'https://user:pw@examplebucket/a.jpg' },
    /^"url" expected a host\[:port\] without user info \(user:password@\), got a URL with user info$/,
  ),
  typeCase(
    'url with a space in the host',
    { ...base, url: 'https://example bucket/a.jpg' },
    /^"url" expected a host\[:port\] without spaces or backslashes, got "example bucket"$/,
  ),
  typeCase(
    'url with a backslash in the host',
    { ...base, url: 'https://examplebucket\\evil/a.jpg' },
    /^"url" expected a host\[:port\] without spaces or backslashes, got "examplebucket\\\\evil"$/,
  ),
  typeCase(
    'url with LF in the path',
    { ...base, url: 'https://examplebucket/a\n.jpg' },
    /^"url" expected no control characters, got "\\n" at index 23$/,
  ),
  // Issue 12: a long host then a control character took the URL pattern quadratic time; the check now comes first.
  typeCase(
    'url with a long host then a TAB',
    { ...base, url: `http://${'a'.repeat(65000)}\t` },
    /^"url" expected no control characters, got "\\t" at index 65007$/,
  ),
  typeCase(
    'url with a TAB in the host',
    { ...base, url: 'https://example\tbucket/a.jpg' },
    /^"url" expected no control characters, got "\\t" at index 15$/,
  ),
  typeCase(
    'url with a host over 255 characters and a port',
    { ...base, url: `https://${'a'.repeat(256)}:65535/a.jpg` },
    /^"url" expected a host\[:port\] of at most 261 characters \(a host of 255 and a port\), got 262$/,
  ),
  typeCase(
    'url with CR in the query',
    { ...base, url: 'https://examplebucket/a.jpg?x=\r' },
    /^"url" expected no control characters, got "\\r" at index 30$/,
  ),
  typeCase(
    'url with NUL',
    { ...base, url: 'https://examplebucket/\0' },
    /^"url" expected no control characters, got "\\u0000" at index 22$/,
  ),
  typeCase(
    'url with TAB',
    { ...base, url: 'https://examplebucket/a\tb' },
    /^"url" expected no control characters, got "\\t" at index 23$/,
  ),
  typeCase(
    'url with DEL',
    { ...base, url: 'https://examplebucket/\x7f' },
    /^"url" expected no control characters, got "\\u007f" at index 22$/,
  ),
  typeCase(
    'url with a lone "%" in the path',
    { ...base, url: 'https://examplebucket/100%.jpg' },
    /^"url" expected "%" to start an escape of two hex digits \(write a literal "%" as %25\), got "%\.j" at index 3$/,
  ),
  typeCase(
    'url with a lone "%" at the end',
    { ...base, url: 'https://examplebucket/a%' },
    /^"url" expected "%" to start an escape of two hex digits .*, got "%" at index 1$/,
  ),
  typeCase(
    'url with "%zz"',
    { ...base, url: 'https://examplebucket/a%zz' },
    /^"url" expected "%" to start an escape .*, got "%zz" at index 1$/,
  ),
  typeCase(
    'url with a lone "%" in the query',
    { ...base, url: 'https://examplebucket/a.jpg?x=5%' },
    /^"url" expected "%" to start an escape .*, got "%" at index 1$/,
  ),
  typeCase(
    'url with a lone surrogate in the key',
    { ...base, url: 'https://examplebucket/a\uD800.jpg' },
    /^"url" expected well-formed Unicode, got a lone UTF-16 surrogate$/,
  ),
  typeCase(
    'url with a lone low surrogate in the query',
    { ...base, url: 'https://examplebucket/a.jpg?x=\uDC00' },
    /^"url" expected well-formed Unicode, got a lone UTF-16 surrogate$/,
  ),

  // Query parameters the signer owns (both signing functions), in the URL or the query option, in any case.
  ...[
    'X-Amz-Algorithm',
    'X-Amz-Credential',
    'X-Amz-Date',
    'X-Amz-Expires',
    'X-Amz-SignedHeaders',
    'X-Amz-Signature',
    'X-Amz-Security-Token',
  ].flatMap((name) => [
    typeCase(
      `url query ${name}`,
      { ...base, url: `https://examplebucket/a.jpg?${name}=x` },
      new RegExp(`expected no ${q(name)} query parameter, which the signer sets$`),
      ALL,
    ),
    typeCase(
      `url query ${name.toLowerCase()}`,
      { ...base, url: `https://examplebucket/a.jpg?a=1&${name.toLowerCase()}` },
      new RegExp(`expected no ${q(name.toLowerCase())} query parameter, which the signer sets$`),
      ALL,
    ),
    typeCase(
      `query option ${name.toUpperCase()}`,
      { ...base, query: { [name.toUpperCase()]: 'x' } },
      new RegExp(`expected no ${q(name.toUpperCase())} query parameter, which the signer sets$`),
      ALL,
    ),
  ]),
  typeCase(
    'url query X-Amz-Date written with an escape',
    { ...base, url: 'https://examplebucket/a.jpg?X%2DAmz-Date=1' },
    /expected no "X-Amz-Date" query parameter/,
    ALL,
  ),
  typeCase(
    'query option X-Amz-Signature as URLSearchParams',
    { ...base, query: new URLSearchParams('x-amz-signature=0') },
    /expected no "x-amz-signature" query parameter/,
    ALL,
  ),
  typeCase(
    'query option X-Amz-Credential as pairs',
    { ...base, query: [['X-Amz-Credential', 'AKID/…']] },
    /expected no "X-Amz-Credential" query parameter/,
    ALL,
  ),

  // Headers the signer owns.
  ...['authorization', 'Authorization', 'x-amz-date', 'X-Amz-Date', 'x-amz-security-token', 'X-AMZ-SECURITY-TOKEN'].map(
    (name) =>
      typeCase(
        `header ${name}`,
        { ...base, headers: { [name]: 'x' } },
        new RegExp(`^"headers" expected no ${q(name)} header, which the signer sets`),
      ),
  ),
  typeCase(
    'header authorization in a Headers',
    { ...base, headers: new Headers({ Authorization: 'x' }) },
    /^"headers" expected no "authorization" header, which the signer sets/,
  ),
  typeCase(
    'header x-amz-date as pairs',
    { ...base, headers: [['X-Amz-Date', '20150830T123600Z']] },
    /^"headers" expected no "X-Amz-Date" header, which the signer sets/,
  ),
  ...['x-amz-expires', 'x-amz-signature', 'x-amz-credential', 'x-amz-algorithm', 'x-amz-signedheaders'].map((name) =>
    typeCase(
      `hoisted header ${name}`,
      { ...base, hoistAmzHeaders: true, headers: { [name]: 'x' } },
      new RegExp(`^"headers" expected no ${q(name)} header, which the signer sets$`),
      PRESIGN,
    ),
  ),

  // Header names and values.
  ...['bad name', 'a:b', '', 'x(y)', 'x"y', 'x/y', 'ü', 'x\n', 'x\0', '[x]', 'x@y', 'a=b'].map((name) =>
    typeCase(
      `header name ${JSON.stringify(name)}`,
      { ...base, headers: [[name, 'v']] },
      new RegExp(`^"headers name" expected an HTTP token \\(letters, digits, .*\\), got ${q(name)}$`),
    ),
  ),
  ...['a\r\nb', 'a\nb', 'a\rb', 'a\0b', 'ü', 'a\u2028b', 'a\x7fb', '\x1b[31m', 'a\uD800'].map((value) =>
    typeCase(
      `header value ${JSON.stringify(value)}`,
      { ...base, headers: { 'x-amz-meta-a': value } },
      new RegExp(
        `^"headers\\["x-amz-meta-a"\\]" expected printable US-ASCII without CR, LF or NUL \\(encode other text first\\), got ${qEscaped(value)}$`,
      ),
    ),
  ),
  typeCase(
    'header value true',
    { ...base, headers: { 'x-a': true } },
    /^"headers\["x-a"\]" expected a string, got true$/,
  ),
  typeCase(
    'header value null',
    { ...base, headers: { 'x-a': null } },
    /^"headers\["x-a"\]" expected a string, got null$/,
  ),
  typeCase(
    'header value an object',
    { ...base, headers: { 'x-a': {} } },
    /^"headers\["x-a"\]" expected a string, got an object \(Object\)$/,
  ),
  typeCase(
    'header value in an array that is not a string',
    { ...base, headers: { 'x-a': ['1', false] } },
    /^"headers\["x-a"\]" expected a string, got false$/,
  ),
  typeCase(
    'headers a string',
    { ...base, headers: 'x-a: 1' },
    /^"headers" expected an object, a Headers\/URLSearchParams or \[name, value\] pairs, got "x-a: 1"$/,
  ),
  typeCase('headers a number', { ...base, headers: 5 }, /^"headers" expected an object, .*, got 5$/),
  typeCase(
    'headers pairs of three',
    { ...base, headers: [['a', 'b', 'c']] },
    /^"headers" expected \[name, value\] pairs, got an array$/,
  ),
  typeCase(
    'headers pairs with a number name',
    { ...base, headers: [[1, 'b']] },
    /^"headers name" expected a string, got 1$/,
  ),

  // Query option.
  typeCase(
    'query value with a lone surrogate',
    { ...base, query: { a: 'x\uD800' } },
    /^"query" expected well-formed Unicode, got a lone UTF-16 surrogate in "a"$/,
  ),
  typeCase(
    'query key with a lone surrogate',
    { ...base, query: [['\uDC00', 'x']] },
    /^"query" expected well-formed Unicode, got a lone UTF-16 surrogate in /,
  ),
  typeCase('query value true', { ...base, query: { a: true } }, /^"query\["a"\]" expected a string, got true$/),
  typeCase(
    'query a string',
    { ...base, query: 'a=b' },
    /^"query" expected an object, a Headers\/URLSearchParams or \[name, value\] pairs, got "a=b"$/,
  ),

  // payloadHash and x-amz-content-sha256.
  ...[
    'abc',
    'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855',
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85',
    'unsigned-payload',
    'STREAMING-',
    'UNSIGNED-PAYLOAD ',
    '',
  ].map((hash) =>
    typeCase(
      `payloadHash ${JSON.stringify(hash)}`,
      { ...base, payloadHash: hash },
      new RegExp(
        `^"payloadHash" expected a lowercase hex SHA-256 \\(64 characters\\), "UNSIGNED-PAYLOAD" or "STREAMING-…", got ${q(hash)}$`,
      ),
    ),
  ),
  typeCase(
    'payloadHash a number',
    { ...base, payloadHash: 0 },
    /^"payloadHash" expected a lowercase hex SHA-256 .*, got 0$/,
  ),
  typeCase(
    'payloadHash null',
    { ...base, payloadHash: null },
    /^"payloadHash" expected a lowercase hex SHA-256 .*, got null$/,
  ),
  typeCase(
    'x-amz-content-sha256 header malformed',
    { ...base, headers: { 'x-amz-content-sha256': 'nope' } },
    /^"headers\["x-amz-content-sha256"\]" expected a lowercase hex SHA-256 .*, got "nope"$/,
  ),
  typeCase(
    'x-amz-content-sha256 header given twice',
    {
      ...base,
      headers: [
        ['x-amz-content-sha256', 'UNSIGNED-PAYLOAD'],
        ['X-Amz-Content-Sha256', 'UNSIGNED-PAYLOAD'],
      ],
    },
    /^"headers\["x-amz-content-sha256"\]" expected a lowercase hex SHA-256 .*, got "UNSIGNED-PAYLOAD,UNSIGNED-PAYLOAD"$/,
  ),
  typeCase(
    'payloadHash conflicting with x-amz-content-sha256',
    {
      ...base,
      payloadHash: 'UNSIGNED-PAYLOAD',
      headers: { 'X-Amz-Content-Sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
    },
    /^"payloadHash" expected to equal the x-amz-content-sha256 header "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", got "UNSIGNED-PAYLOAD"$/,
  ),

  // body and contentSha256Header (header signing only).
  ...(
    [
      ['123', 123],
      ['an object (Object)', { data: 'x' }],
      ['an array', [1, 2]],
      ['null', null],
      ['an object (Uint16Array)', new Uint16Array(2)],
      ['an object (DataView)', new DataView(new ArrayBuffer(2))],
      ['an object (Blob)', new Blob(['x'])],
      ['true', true],
    ] as const
  ).map(([got, body]) =>
    typeCase(
      `body ${got}`,
      { ...base, body },
      new RegExp(`^"body" expected a string, Uint8Array or ArrayBuffer, got ${got.replace(/[()]/g, '\\$&')}$`),
      SIGN,
    ),
  ),
  typeCase(
    'contentSha256Header "yes"',
    { ...base, contentSha256Header: 'yes' },
    /^"contentSha256Header" expected a boolean, got "yes"$/,
    SIGN,
  ),
  typeCase(
    'contentSha256Header 1',
    { ...base, contentSha256Header: 1, service: 'sqs' },
    /^"contentSha256Header" expected a boolean, got 1$/,
    SIGN,
  ),

  // method.
  ...['', 'GET ', ' GET', 'GE T', 'G\nET', 'GÉT', 'GET\0', 'GET/1', '(GET)'].map((method) =>
    typeCase(
      `method ${JSON.stringify(method)}`,
      { ...base, method },
      new RegExp(`^"method" expected an HTTP method token such as "GET", got ${q(method)}$`),
    ),
  ),
  typeCase('method a number', { ...base, method: 1 }, /^"method" expected an HTTP method token such as "GET", got 1$/),
  typeCase(
    'method an object',
    { ...base, method: {} },
    /^"method" expected an HTTP method token such as "GET", got an object \(Object\)$/,
  ),

  // The boolean options and the cache.
  ...['normalizePath', 'uriEscapePath', 'signSessionToken'].flatMap((name) => [
    typeCase(
      `${name} "false"`,
      { ...base, [name]: 'false' },
      new RegExp(`^"${name}" expected a boolean, got "false"$`),
    ),
    typeCase(`${name} 0`, { ...base, [name]: 0 }, new RegExp(`^"${name}" expected a boolean, got 0$`)),
    typeCase(`${name} null`, { ...base, [name]: null }, new RegExp(`^"${name}" expected a boolean, got null$`)),
  ]),
  typeCase('cache true', { ...base, cache: true }, /^"cache" expected a SigningKeyCache or false, got true$/),
  typeCase('cache null', { ...base, cache: null }, /^"cache" expected a SigningKeyCache or false, got null$/),
  typeCase(
    'cache an object',
    { ...base, cache: { get: () => undefined } },
    /^"cache" expected a SigningKeyCache or false, got an object \(Object\)$/,
  ),
  typeCase(
    'cache a Map',
    { ...base, cache: new Map() },
    /^"cache" expected a SigningKeyCache or false, got an object \(Map\)$/,
  ),
  typeCase(
    'cache with lookup only',
    { ...base, cache: { lookup: () => undefined } },
    /^"cache" expected a SigningKeyCache or false, got an object \(Object\)$/,
  ),
];

describe('the crypto spies see crypto', () => {
  it('a valid presign and a valid signRequest call Web Crypto (so zero calls below means none ran)', async () => {
    await presignUrl(base as unknown as PresignOptions);
    const afterPresign = cryptoCalls();
    expect(spies[0]!.mock.calls.length).toBeGreaterThan(0);
    expect(spies[1]!.mock.calls.length).toBeGreaterThan(0);
    expect(spies[2]!.mock.calls.length).toBeGreaterThan(0);
    await signRequest({ ...base, body: 'x', cache: new SigningKeyCache() } as unknown as SignRequestOptions);
    expect(cryptoCalls()).toBeGreaterThan(afterPresign);
  });
});

describe('invalid options', () => {
  it('every case name is unique', () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  for (const c of cases) {
    for (const entry of c.entries ?? ALL) {
      it(`${entry}: ${c.name} → ${c.error.name}`, async () => {
        const error = await errorOf(entry, c.options);
        expect(error).toBeInstanceOf(c.error);
        expect((error as Error).constructor).toBe(c.error); // exactly TypeError or RangeError, not a subclass
        expect((error as Error).message).toMatch(c.message);
        expect((error as { code?: unknown }).code).toBe('ERR_SIGV4_INVALID_OPTION');
        expect(cryptoCalls()).toBe(0);
        // No secret is ever echoed.
        expect(`${(error as Error).message}\n${(error as Error).stack}`).not.toContain(SECRET);
        expect(`${(error as Error).message}\n${(error as Error).stack}`).not.toContain(TOKEN.slice(0, 24));
      });
    }
  }

  it('errors are thrown as rejections of the async functions, not synchronously', () => {
    let result: Promise<unknown> | undefined;
    expect(() => {
      result = presignUrl({ ...base, region: '' } as unknown as PresignOptions);
    }).not.toThrow();
    return expect(result).rejects.toThrow(TypeError);
  });

  it('regression: expiresIn null must be rejected, not read as the default 3600', async () => {
    // `options.expiresIn ?? 3600` turns null into the default; every other option (signingDate, payloadHash,
    // normalizePath…) rejects null, and the README promises "an integer 1..604800".
    for (const entry of PRESIGN) {
      const error = await errorOf(entry, { ...base, expiresIn: null });
      expect(error, entry).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/^"expiresIn" expected an integer 1\.\.604800 \(seconds\), got null$/);
    }
    expect(cryptoCalls()).toBe(0);
  });

  it('regression: a header name that is not an HTTP token must not be accepted by lower-casing it into one', async () => {
    // "\u212A" (KELVIN SIGN) lower-cases to ASCII "k": "x-amz-meta-\u212Aey" passes the token check after
    // toLowerCase() and is signed and returned as "x-amz-meta-key". RFC 9110 5.6.2 tokens are ASCII; the README
    // promises "header names that are HTTP tokens" and "nothing is signed wrongly in silence".
    for (const entry of ALL) {
      const error = await errorOf(entry, { ...base, headers: { 'x-amz-meta-\u212Aey': 'v' } });
      expect(error, entry).toBeInstanceOf(TypeError);
    }
  });

  it('regression: a signingDate that is not a calendar date must be rejected, not rolled over', async () => {
    // V8 reads "2015-02-30T00:00:00Z" as 2 March, so the URL is signed for 20150302T000000Z without a word.
    // parseAmzDate rejects the same rollover (20150231T…); the README promises "a valid signingDate".
    for (const entry of ALL) {
      for (const signingDate of ['2015-02-30T00:00:00Z', '2015-04-31T12:00:00Z', '2015-02-29T00:00:00Z']) {
        const error = await errorOf(entry, { ...base, signingDate });
        expect(error, `${entry} ${signingDate}`).toBeInstanceOf(RangeError);
      }
    }
    expect(cryptoCalls()).toBe(0);
  });

  it('a format character outside the BMP is shown as its two escaped UTF-16 code units', async () => {
    for (const entry of ALL) {
      const error = await errorOf(entry, { ...base, headers: { 'x-a': 'a\u{E0001}' } });
      expect((error as Error).message, entry).toBe(
        '"headers["x-a"]" expected printable US-ASCII without CR, LF or NUL (encode other text first), got "a\\udb40\\udc01"',
      );
    }
  });

  it('regression: a secret passed as the credentials option itself is not echoed', async () => {
    // A caller who passes the secret string where the credentials object belongs gets it back in the message:
    // describe() shows up to 80 characters of any string. The README: "A secret key or session token is never
    // part of a message: only its type is described."
    for (const entry of ALL) {
      const error = await errorOf(entry, { ...base, credentials: SECRET });
      expect(error, entry).toBeInstanceOf(TypeError);
      expect((error as Error).message).not.toContain(SECRET);
    }
  });
});

describe('the code ERR_SIGV4_INVALID_OPTION', () => {
  it('is exported as INVALID_OPTION', () => {
    expect(INVALID_OPTION).toBe('ERR_SIGV4_INVALID_OPTION');
  });

  const lookup = () => undefined;
  const verifyBase = {
    url: 'https://examplebucket.s3.amazonaws.com/a.jpg',
    method: 'GET',
    region: 'us-east-1',
    service: 's3',
    getCredentials: lookup,
  };
  const postBase = {
    bucket: 'examplebucket',
    key: 'a.jpg',
    region: 'us-east-1',
    credentials: base['credentials'],
    signingDate: base['signingDate'],
  };
  const postVerifyBase = { form: [['key', 'a.jpg']], region: 'us-east-1', getCredentials: lookup };
  // One of each kind of option error, through each entry point that has its own option reading: the shared
  // invalidType and outOfRange, a fault of a parser the verifiers share (URL, path, escapes), and the messages
  // written out in full.
  const kinds: [name: string, call: () => unknown, error: typeof TypeError | typeof RangeError, message: string][] = [
    [
      'verifyPresignedUrl: no getCredentials (invalidType)',
      () => verifyPresignedUrl({ ...verifyBase, getCredentials: undefined } as never),
      TypeError,
      '"getCredentials" expected a function (accessKeyId) => credentials | undefined, got undefined',
    ],
    [
      'verifyPresignedUrl: clockSkew -1 (outOfRange)',
      () => verifyPresignedUrl({ ...verifyBase, clockSkew: -1 }),
      RangeError,
      '"clockSkew" expected seconds from 0 to 604800, got -1',
    ],
    [
      'verifyRequest: no headers',
      () => verifyRequest({ ...verifyBase } as unknown as VerifyRequestOptions),
      TypeError,
      '"headers" expected the headers received (they carry the signature), got undefined',
    ],
    [
      'verifyRequest: payloadHash (checkPayloadHash)',
      () => verifyRequest({ ...verifyBase, headers: {}, payloadHash: 'x' }),
      TypeError,
      '"payloadHash" expected a lowercase hex SHA-256 (64 characters), "UNSIGNED-PAYLOAD" or "STREAMING-…", got "x"',
    ],
    [
      'createPresignedPost: url and endpoint (message in full)',
      () =>
        createPresignedPost({
          ...postBase,
          url: 'https://h/',
          endpoint: 'https://h',
        } as unknown as PresignedPostOptions),
      TypeError,
      '"url" and "endpoint" expected one or the other, got both',
    ],
    [
      'createPresignedPost: url with user info (parseUrl)',
      () => createPresignedPost({ ...postBase, url: 'https://u:p@h/' } as unknown as PresignedPostOptions),
      TypeError,
      '"url" expected a host[:port] without user info (user:password@), got a URL with user info',
    ],
    [
      'createPresignedPost: expiresIn 0',
      () => createPresignedPost({ ...postBase, url: 'https://h/', expiresIn: 0 } as unknown as PresignedPostOptions),
      RangeError,
      '"expiresIn" expected an integer 1..604800 (seconds), got 0',
    ],
    [
      'createPresignedPost: a field twice',
      () =>
        createPresignedPost({
          ...postBase,
          url: 'https://h/',
          fields: { acl: 'private', ACL: 'private' },
        } as unknown as PresignedPostOptions),
      TypeError,
      '"fields" expected each field once, got "ACL" twice (names are case-insensitive)',
    ],
    [
      'signPostPolicy: policy with a lone surrogate',
      () => signPostPolicy({ ...postBase, policy: '{}\uD800' } as unknown as SignPostPolicyOptions),
      TypeError,
      '"policy" expected well-formed Unicode, got a lone UTF-16 surrogate',
    ],
    [
      'verifyPresignedPost: fileSize -1',
      () => verifyPresignedPost({ ...postVerifyBase, fileSize: -1 } as unknown as VerifyPresignedPostOptions),
      RangeError,
      '"fileSize" expected an integer number of bytes from 0, got -1',
    ],
    [
      'presignUrlSync: crypto',
      () => presignUrlSync({ ...(base as unknown as PresignOptions), crypto: {} as never }),
      TypeError,
      '"crypto" expected an object with sha256Hex(data) and hmacSha256(key, data) functions, got an object (Object)',
    ],
    [
      'new SigningKeyCache(0)',
      () => new SigningKeyCache(0),
      RangeError,
      '"maxEntries" expected a positive integer, got 0',
    ],
    [
      'normalizeEscapes',
      () => normalizeEscapes('a%zz', 'url'),
      TypeError,
      '"url" expected "%" to start an escape of two hex digits (write a literal "%" as %25), got "%zz" at index 1',
    ],
    [
      'encodePath',
      () => encodePath('/a%', false),
      TypeError,
      '"url" expected "%" to start an escape of two hex digits (write a literal "%" as %25), got "%" at index 1',
    ],
    [
      'toWirePath',
      () => toWirePath('/a%zz'),
      TypeError,
      '"url" expected "%" to start an escape of two hex digits (write a literal "%" as %25), got "%zz" at index 2',
    ],
    [
      'toReceivedPath',
      () => toReceivedPath('/%'),
      TypeError,
      '"url" expected "%" to start an escape of two hex digits (write a literal "%" as %25), got "%" at index 1',
    ],
  ];
  it.each(kinds)('%s', async (_, call, errorClass, message) => {
    let error: unknown;
    try {
      await call();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(errorClass);
    expect((error as Error).constructor).toBe(errorClass);
    expect((error as Error).message).toBe(message);
    expect((error as { code?: unknown }).code).toBe(INVALID_OPTION);
    expect(isSigV4Error(error)).toBe(false);
  });

  it('is on option errors only: a request that does not verify is a SigV4Error with its own code', async () => {
    const error = await verifyPresignedUrl({
      ...verifyBase,
      url: 'https://examplebucket.s3.amazonaws.com/a.jpg?X-Amz-Algorithm=x',
    }).catch((e: unknown) => e);
    expect(isSigV4Error(error)).toBe(true);
    expect((error as { code?: unknown }).code).not.toBe(INVALID_OPTION);
  });
});

// A secret or token echoed in part (describe() keeps the first 80 characters of a long string) still leaks it:
// look for every 16-character window.
function leaks(text: string, secret: string): string | undefined {
  for (let i = 0; i + 16 <= secret.length; i++)
    if (text.includes(secret.slice(i, i + 16))) return secret.slice(i, i + 16);
  return undefined;
}

describe('secrets never appear in errors (property)', () => {
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const b64 = (min: number, max: number) =>
    fc.string({ unit: fc.constantFrom(...B64), minLength: min, maxLength: max });
  type Mutation = (o: Options, secret: string, token: string) => Options;
  const creds = (o: Options) => o['credentials'] as Options;
  const mutations: Mutation[] = [
    (o, secret) => ({ ...o, credentials: { ...creds(o), secretAccessKey: secret + '\uD800' } }),
    (o, secret) => ({ ...o, credentials: { ...creds(o), secretAccessKey: '\uDC00' + secret } }),
    (o, _, token) => ({ ...o, credentials: { ...creds(o), sessionToken: token + '\r\n' } }),
    (o, _, token) => ({ ...o, credentials: { ...creds(o), sessionToken: 'ü' + token } }),
    (o, _, token) => ({ ...o, credentials: { ...creds(o), sessionToken: token + '\uDBFF' } }),
    (o, secret) => ({ ...o, credentials: { ...creds(o), sessionToken: secret + '\0' } }),
    (o) => ({ ...o, credentials: { ...creds(o), secretAccessKey: 0 } }),
    (o) => ({ ...o, credentials: { ...creds(o), secretAccessKey: '' } }),
    (o) => ({ ...o, credentials: { ...creds(o), sessionToken: '' } }),
    (o) => ({ ...o, credentials: { ...creds(o), accessKeyId: '' } }),
    (o) => ({ ...o, credentials: { ...creds(o), accessKeyId: 'AKÍD' } }),
    (o) => ({ ...o, region: 'us east' }),
    (o) => ({ ...o, service: '' }),
    (o) => ({ ...o, expiresIn: 0 }),
    (o) => ({ ...o, expiresIn: 604801 }),
    (o) => ({ ...o, signingDate: 'never' }),
    (o) => ({ ...o, url: 'ftp://x/' }),
    (o) => ({ ...o, url: 'https://h/%' }),
    (o) => ({ ...o, url: 'https://u:p@h/' }),
    (o) => ({ ...o, url: 'https://h/?X-Amz-Signature=1' }),
    (o) => ({ ...o, headers: { authorization: 'AWS4-HMAC-SHA256 x' } }),
    (o, _, token) => ({ ...o, headers: { 'X-Amz-Security-Token': token } }),
    (o) => ({ ...o, headers: { 'x-a': 'a\nb' } }),
    (o) => ({ ...o, headers: { 'bad name': 'v' } }),
    (o) => ({ ...o, payloadHash: 'x' }),
    (o) => ({ ...o, method: 'G T' }),
    (o) => ({ ...o, body: 5 }),
    (o) => ({ ...o, cache: true }),
    (o) => ({ ...o, query: { a: '\uD800' } }),
  ];

  it('for random secrets, tokens and combinations of invalid options, through every entry point', async () => {
    await fc.assert(
      fc.asyncProperty(
        b64(40, 40),
        b64(100, 400),
        fc.subarray(
          mutations.map((_, i) => i),
          { minLength: 1, maxLength: 4 },
        ),
        fc.constantFrom(...ALL),
        fc.boolean(),
        async (secret, token, picked, entry, withToken) => {
          let options: Options = {
            ...base,
            credentials: {
              accessKeyId: 'AKIDEXAMPLE',
              secretAccessKey: secret,
              ...(withToken ? { sessionToken: token } : {}),
            },
          };
          for (const i of picked) options = mutations[i]!(options, secret, token);
          for (const spy of spies) spy.mockClear();
          const error = await errorOf(entry, options);
          // Not every mutation applies to every entry point (expiresIn and body), so some combinations are valid.
          if (error === undefined) return;
          expect(cryptoCalls()).toBe(0);
          expect(error).toBeInstanceOf(Error);
          expect([TypeError, RangeError]).toContain((error as Error).constructor);
          expect((error as { code?: unknown }).code).toBe('ERR_SIGV4_INVALID_OPTION');
          const text = `${(error as Error).message}\n${(error as Error).stack ?? ''}`;
          expect(leaks(text, secret)).toBeUndefined();
          expect(leaks(text, token)).toBeUndefined();
        },
      ),
      { seed: 0x5ec2e7, numRuns: 400 },
    );
  });
});
