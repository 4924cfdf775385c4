// Random requests for test/differential.test.ts and scripts/record-corpus.ts: fast-check arbitraries that write
// each Case (./cases.ts) as a user might, raw or percent-encoded, upper or lower case, with the corners of S3 and
// of the other services. vectors/differential.json was recorded from these draws with a fixed seed: a change here
// changes the corpus, which `npx tsx scripts/record-corpus.ts --check` shows.

import fc from 'fast-check';
import { fromRecord, percentEncode, toRecord, utf8, type Case, type Family, type Kind } from './cases.js';

/** raw: the character itself where allowed; upper/lower: %XX; alt: a space in a query written as `+`. */
type Enc = 'raw' | 'upper' | 'lower' | 'alt';
interface Piece {
  readonly ch: string;
  readonly enc: Enc;
}

const encArb: fc.Arbitrary<Enc> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Enc>('raw') },
  { weight: 1, arbitrary: fc.constant<Enc>('alt') },
  { weight: 2, arbitrary: fc.constant<Enc>('upper') },
  { weight: 1, arbitrary: fc.constant<Enc>('lower') },
);

/** One character (code point) of a key, value or path segment: reserved ASCII, unicode, controls. */
const charArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...'abcxyzABCXYZ0189-._~') },
  { weight: 4, arbitrary: fc.constantFrom(...' !"#$%&\'()*+,/:;<=>?@[\\]^`{|}') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'é',
      'ü',
      'ß',
      'İ',
      '日',
      '本',
      '😀',
      '𝄞',
      '\u00a0',
      '\u0085',
      '\u2028',
      '\ufeff',
      '\u0301',
      '\t',
      '\n',
      '\u0000',
      '\u007f',
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);

const pieceArb: fc.Arbitrary<Piece> = fc.record({ ch: charArb, enc: encArb });
/** A fixed text, each character written raw or as %XX at random. */
const spelled = (text: string): fc.Arbitrary<Piece[]> =>
  fc
    .array(encArb, { minLength: [...text].length, maxLength: [...text].length })
    .map((encs) => [...text].map((ch, i) => ({ ch, enc: encs[i]! })));
const decoded = (pieces: readonly Piece[]): string => pieces.map((p) => p.ch).join('');
/** Writes pieces into URL text: raw where asked and allowed, else percent-encoded. */
const render = (pieces: readonly Piece[], mustEscape: RegExp, plusIsSpace: boolean): string =>
  pieces
    .map(({ ch, enc }) =>
      plusIsSpace && enc === 'alt' && ch === ' '
        ? '+'
        : (enc === 'raw' || enc === 'alt') && !mustEscape.test(ch)
          ? ch
          : percentEncode(ch, enc === 'lower'),
    )
    .join('');

// Characters that cannot stand for themselves in each part of the URL text (controls are refused by our API;
// in the query a `+` would mean a space).
const PATH_ESCAPE = /[/?#%\x00-\x1f\x7f]/;
const KEY_ESCAPE = /[&=#%+\x00-\x1f\x7f]/;
const VALUE_ESCAPE = /[&#%+\x00-\x1f\x7f]/;

// Query keys: both peers keep the query in a plain object, where "__proto__" is the prototype setter; x-amz-*
// keys are left to the signer and to hoisted headers (a hoisted header with the same name would collide).
const okKey = (key: string): boolean => key !== '__proto__' && !/^x-amz-/i.test(key);
const KEY_POOL = [
  'a',
  'A',
  'key',
  'prefix',
  'list-type',
  'versionId',
  'response-content-disposition',
  'a b',
  'a+b',
  'ü',
  '😀',
  '~',
  'constructor',
  'toString',
  '=',
  '%',
  '&',
];
const VALUE_POOL = ['', '', 'attachment; filename="a b.txt"', '2', 'a+b', 'a b', 'a=b', '日本', '/', '%2F', '~!*'];

// An empty key is rare (aws4 cannot sign it, so each one is a case for smithy only) but present.
const keyPiecesArb: fc.Arbitrary<Piece[]> = fc
  .oneof(
    { weight: 12, arbitrary: fc.constantFrom(...KEY_POOL).chain(spelled) },
    { weight: 8, arbitrary: fc.array(pieceArb, { minLength: 1, maxLength: 6 }) },
    { weight: 1, arbitrary: fc.constant<Piece[]>([]) },
  )
  .filter((p) => okKey(decoded(p)));
const valuePiecesArb: fc.Arbitrary<Piece[]> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...VALUE_POOL).chain(spelled) },
  { weight: 3, arbitrary: fc.array(pieceArb, { maxLength: 10 }) },
);
const rawTextArb = (maxLength: number): fc.Arbitrary<string> => fc.array(charArb, { maxLength }).map((a) => a.join(''));
const extraKeyArb: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 12, arbitrary: fc.constantFrom(...KEY_POOL) },
    { weight: 8, arbitrary: fc.array(charArb, { minLength: 1, maxLength: 6 }).map((a) => a.join('')) },
    { weight: 1, arbitrary: fc.constant('') },
  )
  .filter(okKey);

const TOKEN_CHARS = [..."!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"];
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
const COMMON_HEADERS = [
  'Content-Type',
  'content-type',
  'X-Custom',
  'x-custom',
  'Accept',
  'If-None-Match',
  'Content-MD5',
  'My-Header1',
  'content-encoding',
];
// SDK-unsignable names (signRequest sends but does not sign them) and the ones aws4 ignores.
const UNSIGNABLE_HEADERS = [
  'User-Agent',
  'cache-control',
  'Connection',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'X-Amzn-Trace-Id',
  'range',
  'presigned-expires',
];
const AMZ_HEADERS = [
  'x-amz-meta-a',
  'X-Amz-Meta-A',
  'x-amz-meta-long-name',
  'x-amz-acl',
  'x-amz-storage-class',
  'x-amz-tagging',
  'X-Amz-Server-Side-Encryption-Customer-Algorithm',
];
/**
 * Names left out: those the signer sets or refuses (authorization, x-amz-date, x-amz-security-token, host),
 * `date` (smithy deletes it from every request it signs), x-amz-content-sha256 (generated on purpose below),
 * "__proto__" (smithy's headers are a plain object), and proxy-* / sec-*: signRequest leaves them unsigned as
 * smithy does, but presignUrl signs every header it is given, so they are kept out of the random cases and
 * checked by a test of their own in differential.test.ts.
 */
const okHeaderName = (name: string): boolean => {
  const n = name.toLowerCase();
  return (
    ![
      'authorization',
      'x-amz-date',
      'x-amz-security-token',
      'host',
      'date',
      '__proto__',
      'x-amz-content-sha256',
    ].includes(n) &&
    !/^(?:proxy-|sec-)/.test(n) &&
    (!n.startsWith('x-amz-') || AMZ_HEADERS.some((a) => a.toLowerCase() === n))
  );
};
const headerNameArb: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 3, arbitrary: fc.constantFrom(...COMMON_HEADERS) },
    { weight: 1, arbitrary: fc.constantFrom(...UNSIGNABLE_HEADERS) },
    { weight: 2, arbitrary: fc.constantFrom(...AMZ_HEADERS) },
    { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 10 }) },
  )
  .filter(okHeaderName);
const headerValueArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...PRINTABLE, '\t', ' '), maxLength: 16 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '  a   b  ',
      '\tx\t',
      'text/plain; charset=utf-8',
      'a, b',
      '"quoted  value"',
      'AES256',
    ),
  },
);

const hexArb: fc.Arbitrary<string> = fc.string({
  unit: fc.constantFrom(...'0123456789abcdef'),
  minLength: 64,
  maxLength: 64,
});
const base64Arb = (min: number, max: number): fc.Arbitrary<string> =>
  fc.string({
    unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='),
    minLength: min,
    maxLength: max,
  });

interface EndpointDef {
  /** scheme://authority as written in the URL (case and default ports as a user might write them). */
  readonly base: string;
  readonly origin: string;
  readonly host: string;
  readonly services: readonly string[];
  readonly regions: readonly string[];
  /** Path-style S3: the first segment is the bucket. */
  readonly pathStyle: boolean;
}
const ep = (
  base: string,
  origin: string,
  services: readonly string[],
  regions: readonly string[],
  pathStyle = false,
): EndpointDef => ({
  base,
  origin,
  host: origin.replace(/^https?:\/\//, ''),
  services,
  regions,
  pathStyle,
});
const CUSTOM_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'auto', 'us-gov-west-1', 'cn-north-1', 'local'];
const S3_ENDPOINTS: readonly EndpointDef[] = [
  ep('https://examplebucket.s3.amazonaws.com', 'https://examplebucket.s3.amazonaws.com', ['s3'], ['us-east-1']),
  ep(
    'https://my.bucket.s3.eu-west-1.amazonaws.com',
    'https://my.bucket.s3.eu-west-1.amazonaws.com',
    ['s3'],
    ['eu-west-1'],
  ),
  ep(
    'https://Example-Bucket.S3.US-West-2.amazonaws.com:443',
    'https://example-bucket.s3.us-west-2.amazonaws.com',
    ['s3'],
    ['us-west-2'],
  ),
  ep('https://s3.us-east-2.amazonaws.com', 'https://s3.us-east-2.amazonaws.com', ['s3'], ['us-east-2'], true),
  ep('http://localhost:9000', 'http://localhost:9000', ['s3'], CUSTOM_REGIONS, true),
  ep('https://minio.example:8443', 'https://minio.example:8443', ['s3'], CUSTOM_REGIONS, true),
  ep('http://127.0.0.1:9000', 'http://127.0.0.1:9000', ['s3'], CUSTOM_REGIONS, true),
  ep('http://[::1]:9000', 'http://[::1]:9000', ['s3'], CUSTOM_REGIONS, true),
  ep('HTTP://LocalHost:80', 'http://localhost', ['s3'], CUSTOM_REGIONS, true),
  ep('https://0123abcd.r2.cloudflarestorage.com', 'https://0123abcd.r2.cloudflarestorage.com', ['s3'], ['auto'], true),
  ep(
    'http://bucket.s3.localhost.localstack.cloud:4566',
    'http://bucket.s3.localhost.localstack.cloud:4566',
    ['s3'],
    CUSTOM_REGIONS,
  ),
];
// aws4 renames service "email" to "ses" and treats codecommit's GIT method specially: neither is generated.
const OTHER_ENDPOINTS: readonly EndpointDef[] = [
  ep(
    'https://abc123.execute-api.us-east-1.amazonaws.com',
    'https://abc123.execute-api.us-east-1.amazonaws.com',
    ['execute-api'],
    ['us-east-1'],
  ),
  ep('https://sqs.us-east-2.amazonaws.com', 'https://sqs.us-east-2.amazonaws.com', ['sqs'], ['us-east-2']),
  ep('https://lambda.eu-west-1.amazonaws.com', 'https://lambda.eu-west-1.amazonaws.com', ['lambda'], ['eu-west-1']),
  ep(
    'https://search-d.us-west-1.es.amazonaws.com',
    'https://search-d.us-west-1.es.amazonaws.com',
    ['es'],
    ['us-west-1'],
  ),
  ep('https://example.amazonaws.com', 'https://example.amazonaws.com', ['service'], ['us-east-1']),
  ep(
    'http://localhost:4566',
    'http://localhost:4566',
    ['sqs', 'sns', 'lambda', 'execute-api', 'dynamodb'],
    CUSTOM_REGIONS,
  ),
  ep(
    'https://API.Example.com:8443',
    'https://api.example.com:8443',
    ['execute-api', 'vpc-lattice-svcs'],
    CUSTOM_REGIONS,
  ),
  ep(
    'https://vpce-1.execute-api.ap-southeast-2.vpce.amazonaws.com:443',
    'https://vpce-1.execute-api.ap-southeast-2.vpce.amazonaws.com',
    ['execute-api'],
    ['ap-southeast-2'],
  ),
];

const BUCKETS = ['examplebucket', 'my-bucket', 'b.dotted.name', 'bucket123'];

const dotSegmentArb: fc.Arbitrary<Piece[]> = fc.constantFrom('', '.', '..').chain(spelled);
const segmentArb: fc.Arbitrary<Piece[]> = fc.oneof(
  { weight: 6, arbitrary: fc.array(pieceArb, { maxLength: 8 }) },
  { weight: 2, arbitrary: dotSegmentArb },
);

const queryArb = fc.record({
  pairs: fc.array(fc.record({ key: keyPiecesArb, value: valuePiecesArb, noEquals: fc.boolean() }), { maxLength: 6 }),
  question: fc.boolean(),
  emptyPieces: fc.boolean(),
});

/**
 * A random request of the given kind, for S3 (virtual-hosted and path-style, AWS and custom endpoints) or for
 * the other services (normalized, double-encoded paths).
 */
export function caseArbitrary(kind: Kind, family: Family): fc.Arbitrary<Case> {
  const endpoints = family === 's3' ? S3_ENDPOINTS : OTHER_ENDPOINTS;
  const methods =
    family === 's3'
      ? ['GET', 'PUT', 'HEAD', 'DELETE', 'POST', 'get', 'put']
      : ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'post', 'patch', 'PROPFIND', 'propfind'];
  const endpointArb = fc
    .constantFrom(...endpoints)
    .chain((e) =>
      fc.record({ e: fc.constant(e), service: fc.constantFrom(...e.services), region: fc.constantFrom(...e.regions) }),
    );
  const payloadArb: fc.Arbitrary<{
    mode: 'none' | 'option' | 'header';
    hash: string;
    body: string | undefined;
    contentSha256Header: boolean | undefined;
  }> = fc.record({
    mode:
      kind === 'sign' && family === 'other'
        ? fc.constantFrom<'none' | 'option' | 'header'>('none', 'none', 'none', 'header')
        : fc.constantFrom<'none' | 'option' | 'header'>('none', 'none', 'none', 'none', 'option', 'header'),
    hash: fc.oneof(
      hexArb,
      fc.constantFrom(
        'UNSIGNED-PAYLOAD',
        'UNSIGNED-PAYLOAD',
        'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      ),
    ),
    body: kind === 'sign' ? fc.option(rawTextArb(30), { nil: undefined }) : fc.constant(undefined),
    contentSha256Header:
      kind === 'sign'
        ? fc.constantFrom(undefined, undefined, undefined, undefined, true, family === 's3' ? false : undefined)
        : fc.constant(undefined),
  });
  return fc
    .record({
      endpoint: endpointArb,
      bucket: fc.constantFrom(...BUCKETS),
      segments: fc.array(segmentArb, { maxLength: 5 }),
      omitSlash: fc.boolean(),
      query: queryArb,
      fragment: fc.option(fc.constantFrom('', 'frag', 'a b?c#d', 'ü'), { nil: undefined }),
      extraQuery: fc.array(fc.tuple(extraKeyArb, fc.oneof(fc.constantFrom(...VALUE_POOL), rawTextArb(8))), {
        maxLength: 3,
      }),
      extraQueryForm: fc.constantFrom<'pairs' | 'record' | 'params'>('pairs', 'record', 'params'),
      headers: fc.array(fc.tuple(headerNameArb, headerValueArb), { maxLength: 5 }),
      headersForm: fc.constantFrom<'pairs' | 'record'>('pairs', 'record'),
      contentType: fc.option(
        fc.constantFrom('application/json', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded'),
        { nil: undefined },
      ),
      contentLength: fc.integer({ min: 0, max: 9 }),
      sseC: family === 's3' ? fc.boolean() : fc.constant(false),
      method: fc.constantFrom(...methods),
      accessKeyId: fc.oneof(
        fc.constantFrom('AKIDEXAMPLE', 'AKIAIOSFODNN7EXAMPLE', 'ASIA+weird=id'),
        fc
          .string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'), minLength: 16, maxLength: 16 })
          .map((s) => 'AKIA' + s),
      ),
      secretAccessKey: fc.oneof(
        fc.constant('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'),
        base64Arb(40, 40),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
      ),
      sessionToken: fc.option(base64Arb(1, 120), { nil: undefined, freq: 2 }),
      signSessionToken: fc.constantFrom(undefined, undefined, undefined, true, false),
      // Mostly this century; sometimes anywhere X-Amz-Date can express (four-digit years from 1970).
      signingDate: fc.oneof(
        {
          weight: 4,
          arbitrary: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31, 23, 59, 59, 999) }),
        },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }) },
      ),
      dateForm: fc.constantFrom<'date' | 'number' | 'iso'>('date', 'number', 'iso'),
      expiresIn: fc.oneof(fc.constantFrom(1, 60, 900, 3600, 86400, 604800), fc.integer({ min: 1, max: 604800 })),
      hoistAmzHeaders: kind === 'presign' ? fc.constantFrom(undefined, true, false) : fc.constant(undefined),
      payload: payloadArb,
      bodyAsBytes: fc.boolean(),
      otherRules: fc.integer({ min: 0, max: 11 }).map((n) => n === 0),
    })
    .map((r): Case => {
      const s3 = r.endpoint.service === 's3';
      const pathPieces = r.endpoint.e.pathStyle
        ? [[...r.bucket].map((ch): Piece => ({ ch, enc: 'raw' })), ...r.segments]
        : r.segments;
      const segments = pathPieces.length > 0 ? pathPieces.map(decoded) : [''];
      const rawPath =
        pathPieces.length > 0
          ? '/' + pathPieces.map((p) => render(p, PATH_ESCAPE, false)).join('/')
          : r.omitSlash
            ? ''
            : '/';

      // A pair with an empty key and value written without "=" is an empty piece, which names no parameter.
      const pairs = r.query.pairs.filter(
        ({ key, value, noEquals }) => !(noEquals && key.length === 0 && value.length === 0),
      );
      const written = pairs.map(({ key, value, noEquals }) =>
        noEquals && value.length === 0
          ? render(key, KEY_ESCAPE, true)
          : `${render(key, KEY_ESCAPE, true)}=${render(value, VALUE_ESCAPE, true)}`,
      );
      if (r.query.emptyPieces && written.length > 0) written.splice(1, 0, '');
      const rawQuery = written.length > 0 || r.query.question ? written.join('&') : undefined;
      const url = `${r.endpoint.e.base}${rawPath}${rawQuery !== undefined ? '?' + rawQuery : ''}${r.fragment !== undefined ? '#' + r.fragment : ''}`;

      const extraQuery =
        r.extraQueryForm === 'record'
          ? fromRecord(toRecord(r.extraQuery))
          : r.extraQuery.map(([k, v]): [string, string] => [k, v]);
      const query: [string, string][] = [
        ...pairs.map(({ key, value }): [string, string] => [decoded(key), decoded(value)]),
        ...extraQuery,
      ];

      const { mode, hash } = r.payload;
      const body = r.payload.body;
      let headers: [string, string][] = r.headers.map(([k, v]): [string, string] => [k, v]);
      if (kind === 'sign' && body) {
        // A request with a body usually says what it is and how long; aws4 adds both when they are missing.
        if (r.contentType !== undefined) headers.push(['Content-Type', r.contentType]);
        if (r.contentLength > 0) headers.push(['Content-Length', String(utf8.encode(body).length)]);
      } else if (r.contentType !== undefined && r.method.toUpperCase() === 'PUT')
        headers.push(['content-type', r.contentType]);
      if (r.sseC) headers.push(['x-amz-server-side-encryption-customer-key-MD5', 'Zm9vYmFyYmF6cXV4MTIzNA==']);
      // A payload hash given as an option, or as the x-amz-content-sha256 header. A header signer outside S3
      // sends the option nowhere, which smithy and aws4 cannot express, so there it is always a header.
      const asOption = mode === 'option' && (kind === 'presign' || s3);
      if (mode === 'header' || (mode === 'option' && !asOption)) headers.push(['X-Amz-Content-Sha256', hash]);
      if (r.headersForm === 'record') headers = fromRecord(toRecord(headers));

      return {
        kind,
        service: r.endpoint.service,
        region: r.endpoint.region,
        url,
        origin: r.endpoint.e.origin,
        host: r.endpoint.e.host,
        endpointStyle: !s3 ? 'service' : r.endpoint.e.pathStyle ? 'path-style' : 'virtual-hosted',
        method: r.method,
        segments,
        rawPath,
        query,
        extraQuery,
        extraQueryForm: r.extraQueryForm,
        headers,
        headersForm: r.headersForm,
        accessKeyId: r.accessKeyId,
        secretAccessKey: r.secretAccessKey,
        sessionToken: r.sessionToken,
        signSessionToken: r.sessionToken !== undefined ? r.signSessionToken : undefined,
        signingDate: r.signingDate,
        dateForm: r.dateForm,
        expiresIn: r.expiresIn,
        hoistAmzHeaders: r.hoistAmzHeaders,
        payloadHash: asOption ? hash : undefined,
        body: kind === 'sign' ? body : undefined,
        bodyAsBytes: r.bodyAsBytes,
        // With the payloadHash option, the hash must reach the wire (as x-amz-content-sha256) for smithy and aws4 to
        // sign it, so contentSha256Header is not false there.
        contentSha256Header:
          kind !== 'sign'
            ? undefined
            : asOption && r.payload.contentSha256Header === false
              ? undefined
              : r.payload.contentSha256Header,
        // The other service's path rules: S3 with normalization and double encoding, or another service without.
        pathRules: r.otherRules ? { uriEscapePath: s3, normalizePath: s3 } : undefined,
      };
    });
}
