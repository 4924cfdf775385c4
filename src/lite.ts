// sigv4/lite: presigned URLs and signed requests for bundles where every byte counts (bench/size.ts measures
// `presignUrl` alone against aws4fetch's presigner, and test/size.test.ts holds it under its ceiling).
// The same stages and the same patterns for what is valid as the full entry, so a request that both accept gets
// the same signature from both (a property test holds them to it); fewer options, a one-entry key cache, and
// shorter messages. Bad input is still a TypeError or RangeError thrown before any crypto runs.

import {
  createCanonicalHeaders,
  createCanonicalQuery,
  createCanonicalRequest,
  headerValueToSend,
  sortQuery,
} from './core/canonical-request.js';
import { ALGORITHM, EMPTY_SHA256, MAX_EXPIRES_IN } from './core/constants.js';
import type { Credentials } from './core/credentials.js';
import { uriEncode } from './core/encoding.js';
import {
  ABSOLUTE_URL,
  HEADER_VALUE,
  PAYLOAD_HASH,
  SCOPE_PART,
  SESSION_TOKEN,
  SIGNER_PARAMS,
  STANDARD_METHODS,
  TOKEN,
  UNSIGNABLE,
} from './core/rules.js';
import { createCredentialScope, createStringToSign } from './core/string-to-sign.js';

export type { Credentials };
// The Web types the declarations name, for programs without the DOM lib (types only; see the file).
export type {} from './core/web-globals.js';

/** What both lite functions take: the full entry's options of the same names, with these types. */
export interface LiteOptions {
  /** Absolute http(s) URL, its path taken as the full entry takes it; query parameters go in it. */
  readonly url: string | URL;
  /** HTTP method. Default `GET`. */
  readonly method?: string;
  /** Service signing name. `s3` keeps the path as written and signs `UNSIGNED-PAYLOAD`; others sign the path as sent, normalized and encoded once more. */
  readonly service: string;
  /** Region in the credential scope, e.g. `us-east-1` (`auto` for R2). */
  readonly region: string;
  /** The signer's credentials; the secret and the session token are never shown in an error. */
  readonly credentials: Credentials;
  /** The signing time, a Date or epoch milliseconds. Default: now. */
  readonly signingDate?: Date | number;
}

/** Options of the lite {@link presignUrl}. */
export interface LitePresignOptions extends LiteOptions {
  /** Seconds the URL stays valid: an integer from 1 to 604800 (7 days). Default 3600. */
  readonly expiresIn?: number;
}

/** Options of the lite {@link signRequest}. */
export interface LiteSignRequestOptions extends LiteOptions {
  /** Headers to sign and send: a plain object, a `Headers`, or pairs. */
  readonly headers?: Readonly<Record<string, string | number>> | Headers | Iterable<readonly [string, string]>;
  /** The body whose SHA-256 is the payload hash. Default: empty. */
  readonly body?: string | Uint8Array | ArrayBuffer;
  /** The hex SHA-256 of the body, `UNSIGNED-PAYLOAD` or a `STREAMING-…` value, instead of hashing `body`. */
  readonly payloadHash?: string;
}

/** What the lite functions return: the full entry's results, less the stages that need the options left out here. */
export interface LiteSigned {
  /** The signed URL, encoded exactly as it was signed. */
  readonly url: string;
  /** Task 1: the canonical request, as signed. */
  readonly canonicalRequest: string;
  /** Task 2: the string to sign. */
  readonly stringToSign: string;
  /** Lowercase hex HMAC-SHA256 of the string to sign. */
  readonly signature: string;
}

/** What the lite {@link presignUrl} returns. */
export interface LitePresignedUrl extends LiteSigned {
  /** When the URL stops being valid. */
  readonly expiresAt: Date;
}

/** What the lite {@link signRequest} returns. */
export interface LiteSignedRequest extends LiteSigned {
  /** The `Authorization` header value. */
  readonly authorization: string;
  /** Headers to send: the caller's, `x-amz-date`, `authorization`, and where they apply the token and the S3 payload hash. */
  readonly headers: Readonly<Record<string, string>> & {
    readonly authorization: string;
    readonly 'x-amz-date': string;
  };
}

// `"name" expected …, got …`: the value received is shown (text cut at 99 characters), or only its type, or what
// `shown` says instead (for a secret, or a URL with user info).
function fail(
  name: string,
  expected: string,
  value: unknown,
  shown: string = typeof value == 'string'
    ? JSON.stringify(value).slice(0, 99)
    : typeof value == 'number'
      ? String(value)
      : typeof value,
  E: typeof TypeError = TypeError,
): never {
  throw new E(`"${name}" expected ${expected}, got ${shown}`);
}

const scopePart = (name: string, v: unknown): string =>
  typeof v == 'string' && SCOPE_PART.test(v) ? v : fail(name, 'visible ASCII without "/" or ","', v);

// Why lite writes these few steps again instead of importing them: the full entry's encodePath/parseQuery (which
// keep non-UTF-8 escapes byte by byte), toHex (with its table) and webcrypto.ts's Web Crypto check (lite has its
// own, in fewer words) each cost this bundle more bytes than they save (bench/size.ts shows each module's share). test/lite.test.ts holds these steps to the full entry's results.

/** The canonical form of URL text: its %XX escapes decoded, then encoded as UriEncode() does. */
function canonical(text: string): string {
  try {
    return uriEncode(decodeURIComponent(text));
  } catch {
    return fail('url', 'well-formed Unicode and %XX escapes of UTF-8 (a literal "%" as %25)', text);
  }
}

// The last signing key derived, with the secret and scope it is for: the full entry's cache rule (an entry found by
// its scope holds its secret, compared exactly, so a new credentials object per call finds the key and another secret
// never does) with one entry, which is what lite's bundle has room for. Only a derived key is kept, never a promise:
// a derivation that fails leaves nothing behind, neither a failed key nor a rejection that nobody awaits.
let last: [secretAndScope: string, key: CryptoKey] | undefined;
const utf8 = (text: string): BufferSource => new TextEncoder().encode(text) as BufferSource;
const hex = (bytes: ArrayBuffer): string => {
  let out = '';
  for (const b of new Uint8Array(bytes)) out += (b < 16 ? '0' : '') + b.toString(16);
  return out;
};
const sha256Hex = async (data: BufferSource): Promise<string> => hex(await crypto.subtle.digest('SHA-256', data));
const hmacKey = (raw: BufferSource): Promise<CryptoKey> =>
  crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);

/**
 * Validates the options both functions take, and encodes the request. An option of the full entry that this one
 * lacks (matched by `others`) is refused rather than ignored, so code moved from "sigv4" never loses one silently.
 */
function read(o: LiteOptions, others: RegExp) {
  if (typeof o != 'object' || !o) fail('options', 'an object', o);
  for (const name in o) {
    const v = (o as unknown as Record<string, unknown>)[name];
    if (others.test(name) && v !== undefined) fail(name, 'none in sigv4/lite ("sigv4" has it)', v);
  }
  const service = scopePart('service', o.service);
  const region = scopePart('region', o.region);
  const c = o.credentials;
  if (typeof c != 'object' || !c) fail('credentials', 'an object', c, typeof c);
  const id = scopePart('credentials.accessKeyId', c.accessKeyId);
  const { secretAccessKey: secret, sessionToken: token } = c;
  // Neither is ever shown. A secret with a lone surrogate (\p{Cs}) would be signed as if it held U+FFFD.
  if (typeof secret != 'string' || !secret || /\p{Cs}/u.test(secret))
    fail('credentials.secretAccessKey', 'a non-empty string of well-formed Unicode', 0, typeof secret);
  if (token !== undefined && !(typeof token == 'string' && SESSION_TOKEN.test(token)))
    fail('credentials.sessionToken', 'visible ASCII', 0, typeof token);
  const isS3 = service == 's3';
  let method = o.method === undefined ? 'GET' : o.method;
  if (typeof method != 'string' || !TOKEN.test(method)) fail('method', 'an HTTP method token', method);
  if (STANDARD_METHODS.test(method)) method = method.toUpperCase();

  const text = o.url instanceof URL ? o.url.href : o.url;
  const m = typeof text == 'string' ? ABSOLUTE_URL.exec(text) : null;
  // The URL is not shown when it has user info: that is a password more often than not.
  if (!m || /[@\\\s]/.test(m[2]!))
    fail(
      'url',
      'an absolute http(s) URL without control characters or user info',
      text,
      m ? 'user info or an odd host' : undefined,
    );
  const [, scheme, authority, rawPath = '', rawQuery] = m;
  let host: URL;
  try {
    host = new URL(`${scheme}://${authority}`);
  } catch {
    return fail('url', 'a valid host', authority);
  }
  // S3 keeps "//", "." and ".." as part of the key, in one canonical encoded form; other services sign the path
  // as fetch sends it, normalized and encoded once more (the full entry's steps).
  let path = rawPath.split('/').map(canonical).join('/') || '/';
  let canonicalUri = path;
  if (!isS3) {
    // canonical() above has checked the escapes. The path as fetch sends it (toWirePath: a backslash is a "/"; encodeURI
    // also encodes "%", "[", "]" and "|", which fetch keeps, so those are turned back); for the canonical URI, dot
    // segments resolved as the URL standard does, empty ones dropped (a trailing one leaves its "/"), and each
    // segment encoded once more (removeDotSegments, createCanonicalUri).
    path = encodeURI(rawPath.replace(/\\/g, '/') || '/').replace(/%(25|5B|5D|7C)/g, decodeURIComponent);
    let kept: string[] = [];
    let endsInSlash = false;
    for (const s of path.split('/').slice(1)) {
      const dots = s.replace(/%2e/gi, '.');
      if (dots == '..')
        kept.pop(); // the segment before, empty or not
      else if (dots != '.') kept.push(s);
      endsInSlash = dots == '..' || dots == '.' || !s;
    }
    kept = kept.filter((s) => s).map(uriEncode);
    canonicalUri = '/' + kept.join('/') + (kept.length && endsInSlash ? '/' : '');
  }
  const query: [string, string][] = [];
  for (const piece of rawQuery?.replace(/\+/g, '%20').split('&') ?? []) {
    // "k=v", "k=" or "k" (an empty value); an empty piece ("a&&b") is no parameter.
    const [name, ...value] = piece.split('=');
    if (piece) query.push([canonical(name!), canonical(value.join('='))]);
  }
  for (const [k] of query) if (SIGNER_PARAMS.test(k)) fail('url', 'no parameter the signer sets', k);

  const d = o.signingDate;
  const isDate = typeof d == 'number' || d instanceof Date;
  const ms = d === undefined ? Date.now() : isDate ? +d : NaN;
  // X-Amz-Date has a four-digit year.
  if (!(ms >= 0 && ms < 2534023008e5))
    fail(
      'signingDate',
      'a Date or epoch milliseconds from 1970 to 9999',
      isDate ? ms : d,
      undefined,
      isDate ? RangeError : TypeError,
    );
  const amzDate = new Date(ms).toISOString().replace(/[-:]|\.\d+/g, '');
  // Node without the global, or a page served over http to a name other than localhost.
  if (!globalThis.crypto?.subtle) fail('globalThis.crypto.subtle', 'Web Crypto', 0, 'none');
  return {
    id,
    secret,
    token,
    method,
    isS3,
    region,
    service,
    host,
    path,
    canonicalUri,
    query,
    ms,
    amzDate,
    scope: createCredentialScope(amzDate.slice(0, 8), region, service),
  };
}

/** The string to sign and the signature of a canonical request: two Web Crypto calls once the key is known. */
async function signCanonical(
  r: ReturnType<typeof read>,
  canonicalRequest: string,
): Promise<[stringToSign: string, signature: string]> {
  let entry = last;
  // The scope ends in "/aws4_request" and holds no other "/" but its three, so secret + scope is unambiguous.
  if (entry?.[0] !== r.secret + r.scope) {
    let key: ArrayBuffer | BufferSource = utf8('AWS4' + r.secret);
    for (const part of [r.amzDate.slice(0, 8), r.region, r.service, 'aws4_request'])
      key = await crypto.subtle.sign('HMAC', await hmacKey(key), utf8(part));
    last = entry = [r.secret + r.scope, await hmacKey(key)];
  }
  const stringToSign = createStringToSign(r.amzDate, r.scope, await sha256Hex(utf8(canonicalRequest)));
  return [stringToSign, hex(await crypto.subtle.sign('HMAC', entry[1], utf8(stringToSign)))];
}

/**
 * Presigns a URL, as the full entry's `presignUrl` does, signing only the host header. Query parameters to sign
 * (`response-content-disposition`, …) go in the URL.
 * @throws TypeError or RangeError, before any crypto, for invalid options.
 */
export async function presignUrl(options: LitePresignOptions): Promise<LitePresignedUrl> {
  const r = read(
    options,
    /^(query|normalizePath|uriEscapePath|signSessionToken|cache|headers|payloadHash|hoistAmzHeaders)$/,
  );
  const expiresIn = options.expiresIn === undefined ? 3600 : options.expiresIn;
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRES_IN)
    fail('expiresIn', `an integer 1..${MAX_EXPIRES_IN}`, expiresIn, undefined, RangeError);
  const query = sortQuery([
    ...r.query,
    ['X-Amz-Algorithm', ALGORITHM],
    ['X-Amz-Credential', uriEncode(`${r.id}/${r.scope}`)],
    ['X-Amz-Date', r.amzDate],
    ['X-Amz-Expires', String(expiresIn)],
    ['X-Amz-SignedHeaders', 'host'],
    ...(r.token ? [['X-Amz-Security-Token', uriEncode(r.token)] as const] : []),
  ])
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = createCanonicalRequest(
    r.method,
    r.canonicalUri,
    query,
    `host:${r.host.host}\n`,
    'host',
    r.isS3 ? 'UNSIGNED-PAYLOAD' : EMPTY_SHA256,
  );
  const [stringToSign, signature] = await signCanonical(r, canonicalRequest);
  return {
    url: `${r.host.origin}${r.path}?${query}&X-Amz-Signature=${signature}`,
    expiresAt: new Date((Math.floor(r.ms / 1000) + expiresIn) * 1000),
    canonicalRequest,
    stringToSign,
    signature,
  };
}

/**
 * Signs a request in the Authorization header, as the full entry's `signRequest` does: adds `x-amz-date`,
 * `x-amz-security-token` with temporary credentials, and for S3 `x-amz-content-sha256`. The payload hash is
 * `payloadHash`, the `x-amz-content-sha256` header, or the SHA-256 of `body` (empty when absent).
 * @throws TypeError or RangeError, before any crypto, for invalid options.
 */
export async function signRequest(options: LiteSignRequestOptions): Promise<LiteSignedRequest> {
  const r = read(options, /^(query|normalizePath|uriEscapePath|signSessionToken|cache|contentSha256Header)$/);
  const { body, headers: given } = options;
  if (body !== undefined && typeof body != 'string' && !(body instanceof Uint8Array) && !(body instanceof ArrayBuffer))
    fail('body', 'a string, Uint8Array or ArrayBuffer', body);
  if (given != null && typeof given != 'object') fail('headers', 'an object, a Headers or pairs', given);
  const sent = new Map<string, string[]>();
  for (const pair of given == null
    ? []
    : Symbol.iterator in given
      ? [...(given as Iterable<unknown>)]
      : Object.entries(given)) {
    const [name, value] = Array.isArray(pair) && pair.length == 2 ? pair : fail('headers', '[name, value] pairs', pair);
    const text = typeof value == 'number' ? String(value) : value;
    if (
      typeof name != 'string' ||
      !TOKEN.test(name) ||
      !(typeof text == 'string' && HEADER_VALUE.test(text)) ||
      /^(authorization|x-amz-date|x-amz-security-token)$/i.test(name)
    ) {
      fail('headers', 'token names the signer does not set, with printable ASCII values', name);
    }
    const lower = name.toLowerCase();
    sent.set(lower, [...(sent.get(lower) ?? []), text]);
  }
  const header = sent.get('x-amz-content-sha256')?.join(',');
  const payloadHash = options.payloadHash === undefined ? header : options.payloadHash;
  if (
    payloadHash !== undefined &&
    !(PAYLOAD_HASH.test(payloadHash) && (header === undefined || header == payloadHash))
  ) {
    fail(
      'payloadHash',
      'a lowercase hex SHA-256, "UNSIGNED-PAYLOAD" or "STREAMING-…" (as any x-amz-content-sha256 header)',
      payloadHash,
    );
  }
  const hash =
    payloadHash ??
    (await sha256Hex(typeof body == 'string' ? utf8(body) : ((body as BufferSource | undefined) ?? utf8(''))));
  sent.set('x-amz-date', [r.amzDate]);
  if (r.isS3) sent.set('x-amz-content-sha256', [hash]);
  const signed = new Map([...sent].filter(([name]) => !UNSIGNABLE.test(name)));
  if (!signed.has('host')) signed.set('host', [r.host.host]);
  if (r.token) {
    sent.set('x-amz-security-token', [r.token]);
    signed.set('x-amz-security-token', [r.token]);
  }
  const { canonicalHeaders, signedHeaders } = createCanonicalHeaders(signed);
  const canonicalRequest = createCanonicalRequest(
    r.method,
    r.canonicalUri,
    createCanonicalQuery(r.query),
    canonicalHeaders,
    signedHeaders.join(';'),
    hash,
  );
  const [stringToSign, signature] = await signCanonical(r, canonicalRequest);
  const authorization = `${ALGORITHM} Credential=${r.id}/${r.scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  const headers: Record<string, string> = {};
  for (const [name, values] of sent) headers[name] = headerValueToSend(values);
  headers['authorization'] = authorization;
  const search = r.query.map(([k, v]) => `${k}=${v}`).join('&');
  return {
    url: `${r.host.origin}${r.path}${search && '?' + search}`,
    headers: headers as LiteSignedRequest['headers'], // holds both: `authorization` and `x-amz-date` set above
    authorization,
    canonicalRequest,
    stringToSign,
    signature,
  };
}
