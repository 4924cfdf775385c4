// Reading the caller's request: every option is validated here, before any crypto runs, and turned into the
// encoded parts the canonical request is built from.

import { createCanonicalUri, encodePath, parseQuery, removeDotSegments, toWirePath } from './canonical-request.js';
import { toAmzDate, toSigningDate } from './date.js';
import { hasLoneSurrogate, uriEncode } from './encoding.js';
import { describe, invalidType, quoteText } from './errors.js';
import { CREDENTIALS_SOURCE, type SigningKeyCache } from './signing-key.js';
import type { Credentials, HeadersInput, QueryInput, SigningOptions } from './types.js';

/** A request, validated and encoded, ready for the canonical request. */
export interface RequestParts {
  readonly method: string;
  /** `scheme://host[:port]` */
  readonly origin: string;
  /** host[:port] as the Host header carries it (default ports left out). */
  readonly host: string;
  /** The path as it goes on the wire: S3's canonical encoded form, or the caller's path as fetch sends it. */
  readonly path: string;
  /** CanonicalURI: the path, normalized and encoded a second time where the service's rules say so. */
  readonly canonicalUri: string;
  /** Encoded query pairs, in the order given. */
  readonly query: (readonly [string, string])[];
  /** The caller's headers: lowercase names to their values, in the order given. */
  readonly headers: Map<string, string[]>;
  readonly credentials: Credentials;
  readonly region: string;
  readonly service: string;
  readonly signingDate: Date;
  /** `YYYYMMDD'T'HHMMSS'Z'` */
  readonly amzDate: string;
  /** The `payloadHash` option, or the `x-amz-content-sha256` header when only that was given. */
  readonly payloadHash: string | undefined;
  readonly signSessionToken: boolean;
}

export const TOKEN: RegExp = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/; // RFC 9110 section 5.6.2
export const HEADER_VALUE: RegExp = /^[\t\x20-\x7e]*$/; // visible US-ASCII, space and tab: the only bytes every client sends as-is
// Visible ASCII without "/" (which separates the credential scope's parts) or "," (which separates the
// Authorization header's): for the access key id, region and service.
export const SCOPE_PART: RegExp = /^[\x21-\x2b\x2d\x2e\x30-\x7e]+$/;
// Visible ASCII: a session token travels in a header, whose surrounding spaces HTTP strips, and in the query.
export const SESSION_TOKEN: RegExp = /^[\x21-\x7e]+$/;
export const PAYLOAD_HASH: RegExp = /^(?:[0-9a-f]{64}|UNSIGNED-PAYLOAD|STREAMING-[A-Z0-9-]+)$/;
// The methods fetch upper-cases (Fetch standard, "normalize a method"); it sends every other method as written.
export const STANDARD_METHODS: RegExp = /^(?:DELETE|GET|HEAD|OPTIONS|POST|PUT)$/i;
// Query parameters that carry a SigV4 signature: the signer writes them, the caller may not.
export const SIGNER_PARAMS: RegExp = /^X-Amz-(?:Algorithm|Credential|Date|Expires|SignedHeaders|Signature|Security-Token)$/i; // spelled as the signer writes them
const SIGNER_HEADERS = new Set(['authorization', 'x-amz-date', 'x-amz-security-token']);

export function checkString(name: string, value: unknown, secret = false): string {
  if (typeof value !== 'string' || value === '') {
    invalidType(name, 'a non-empty string', value, secret); // a secret is never echoed: only its kind
  }
  if (hasLoneSurrogate(value)) throw new TypeError(`"${name}" expected well-formed Unicode, got a lone UTF-16 surrogate`);
  return value;
}

// The validated copy of a credentials object, kept with the object (so no longer than the caller keeps it): a run of
// calls with one object validates it once, and again when a field changes.
const validated = new WeakMap<object, Credentials>();

export function checkCredentials(value: unknown): Credentials {
  const known = typeof value === 'object' && value !== null ? validated.get(value) : undefined;
  if (known) {
    const c = value as Credentials;
    if (c.accessKeyId === known.accessKeyId && c.secretAccessKey === known.secretAccessKey && c.sessionToken === known.sessionToken) return known;
  }
  if (typeof value !== 'object' || value === null) {
    // Described by kind only: a caller who passed the secret here must not see it echoed.
    invalidType('credentials', 'an object { accessKeyId, secretAccessKey, sessionToken? }', value, true);
  }
  const c = value as Record<string, unknown>;
  const accessKeyId = checkString('credentials.accessKeyId', c['accessKeyId']);
  if (!SCOPE_PART.test(accessKeyId)) invalidType('credentials.accessKeyId', 'visible ASCII without "/", "," or spaces', accessKeyId);
  const secretAccessKey = checkString('credentials.secretAccessKey', c['secretAccessKey'], true);
  const token = c['sessionToken'];
  if (token !== undefined && !SESSION_TOKEN.test(checkString('credentials.sessionToken', token, true))) {
    throw new TypeError('"credentials.sessionToken" expected visible ASCII without spaces, got other characters');
  }
  const copy = (token === undefined ? { accessKeyId, secretAccessKey, [CREDENTIALS_SOURCE]: value } : { accessKeyId, secretAccessKey, sessionToken: token, [CREDENTIALS_SOURCE]: value }) as unknown as Credentials;
  validated.set(value, copy);
  return copy;
}

export function checkScopePart(name: string, value: unknown): string {
  if (!SCOPE_PART.test(checkString(name, value))) invalidType(name, 'visible ASCII without "/", "," or spaces', value);
  return value as string;
}

function checkBoolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') invalidType(name, 'a boolean', value);
  return value;
}

/**
 * The `cache` option: `false`, undefined for the shared cache, or a SigningKeyCache — one made by another copy of
 * this library too, so it is recognized by its `get` and `lookup` methods, not by `instanceof`.
 */
export function checkCache(value: unknown): SigningKeyCache | false | undefined {
  const c = value as Partial<SigningKeyCache> | null | undefined;
  if (value !== undefined && value !== false && (typeof c?.get !== 'function' || typeof c.lookup !== 'function')) {
    invalidType('cache', 'a SigningKeyCache or false', value);
  }
  return value as SigningKeyCache | false | undefined;
}

/** The `payloadHash` option: a lowercase hex SHA-256, `UNSIGNED-PAYLOAD` or `STREAMING-…`. */
export function checkPayloadHash(name: string, value: unknown): string {
  if (typeof value !== 'string' || !PAYLOAD_HASH.test(value)) {
    invalidType(name, 'a lowercase hex SHA-256 (64 characters), "UNSIGNED-PAYLOAD" or "STREAMING-…"', value);
  }
  return value;
}

// eslint-disable-next-line no-control-regex
export const CONTROL: RegExp = /[\x00-\x1f\x7f]/;
// An absolute http(s) URL without control characters: scheme, authority, path, query (and fragment, ignored).
// Linear: no two adjacent groups can match the same character. The authority stops at the first "/", "?" or "#"
// and the path starts with "/" (or is empty), so when the text fails to match (a control character at the end)
// each group gives back its characters once, never in all the ways to share them between host and path.
export const ABSOLUTE_URL: RegExp = /^(https?):\/\/([^/?#\0-\x1f\x7f]*)((?:\/[^?#\0-\x1f\x7f]*)?)(?:\?([^#\0-\x1f\x7f]*))?(?:#[^\0-\x1f\x7f]*)?$/i;
// A host (RFC 3986 section 3.2.2: at most 255 characters) and a port. Also keeps the URL parser's IDN step, which
// is quadratic in the number of distinct non-ASCII characters, to a short host.
export const MAX_AUTHORITY_LENGTH = 261;
// A DNS name whose last label starts with a letter, and an optional port without leading zeros (see parseUrl).
const HOST_SPACE_OR_BACKSLASH = /[\\\s]/;
const PLAIN_HOST = /^((?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*)(?::([1-9]\d{0,4}))?$/i;

// The last `scheme://authority` read with a plain host, and its origin and host: a run of URLs on one host reads it once.
let lastAuthority = ['', '', ''];

/** Reads an absolute http(s) URL without resolving its path, so `//`, `.` and `..` stay part of it. */
export function parseUrl(input: unknown): { origin: string; host: string; rawPath: string; rawQuery: string | undefined } {
  const text = input instanceof URL ? input.href : input;
  if (typeof text !== 'string') return invalidType('url', 'an absolute http(s) URL as a string or URL', input);
  // Control characters first, before any pattern runs on the text (a TAB can come in a Host header).
  const control = CONTROL.exec(text);
  if (control) throw new TypeError(`"url" expected no control characters, got ${describe(control[0])} at index ${control.index}`);
  const m = ABSOLUTE_URL.exec(text);
  if (m && `${m[1]}://${m[2]}` === lastAuthority[0] && !hasLoneSurrogate(text)) {
    return { origin: lastAuthority[1]!, host: lastAuthority[2]!, rawPath: m[3]!, rawQuery: m[4] };
  }
  if (hasLoneSurrogate(text)) throw new TypeError('"url" expected well-formed Unicode, got a lone UTF-16 surrogate');
  if (!m) invalidType('url', 'an absolute http(s) URL', text);
  const authority = m[2]!;
  if (authority.length > MAX_AUTHORITY_LENGTH) {
    throw new TypeError(`"url" expected a host[:port] of at most ${MAX_AUTHORITY_LENGTH} characters (a host of 255 and a port), got ${authority.length}`);
  }
  if (authority.includes('@')) {
    // Not echoed: user info is a password more often than not.
    throw new TypeError('"url" expected a host[:port] without user info (user:password@), got a URL with user info');
  }
  if (HOST_SPACE_OR_BACKSLASH.test(authority)) invalidType('url', 'a host[:port] without spaces or backslashes', authority);
  const scheme = m[1]!.toLowerCase();
  // The common host, a DNS name whose last label starts with a letter (so never an IPv4 number such as 0x7f.1),
  // with an optional port without leading zeros, is already in the form the URL parser would give: lower-case it
  // and drop the scheme's default port. Every other host (IDN, IPv4, IPv6, odd ports) goes through URL.
  const plain = PLAIN_HOST.exec(authority);
  if (plain && !(plain[2] && +plain[2] > 65535)) {
    const port = plain[2] && plain[2] !== (scheme === 'https' ? '443' : '80') ? ':' + plain[2] : '';
    const host = plain[1]!.toLowerCase() + port;
    lastAuthority = [`${m[1]}://${authority}`, `${scheme}://${host}`, host];
    return { origin: lastAuthority[1]!, host, rawPath: m[3]!, rawQuery: m[4] };
  }
  let parsed: URL;
  try {
    parsed = new URL(`${scheme}://${authority}/`);
  } catch {
    return invalidType('url', 'a valid host[:port]', authority);
  }
  return { origin: parsed.origin, host: parsed.host, rawPath: m[3]!, rawQuery: m[4] };
}

export function forEachPair(
  name: string,
  input: HeadersInput | QueryInput | undefined,
  add: (key: string, value: string) => void,
): void {
  if (input === undefined || input === null) return;
  if (typeof input !== 'object') invalidType(name, 'an object, a Headers/URLSearchParams or [name, value] pairs', input);
  const one = (key: unknown, value: unknown): void => {
    if (typeof key !== 'string') invalidType(`${name} name`, 'a string', key);
    if (typeof value === 'number') value = String(value);
    if (typeof value !== 'string') invalidType(`${name}[${quoteText(key)}]`, 'a string', value);
    add(key, value as string);
  };
  if (Symbol.iterator in input) {
    for (const pair of input as Iterable<readonly [string, string]>) {
      if (!Array.isArray(pair) || pair.length !== 2) invalidType(name, '[name, value] pairs', pair);
      one(pair[0], pair[1]);
    }
  } else {
    for (const [key, value] of Object.entries(input)) {
      if (Array.isArray(value)) for (const v of value) one(key, v);
      else if (value !== undefined) one(key, value);
    }
  }
}

/**
 * The path to send, the path signed and the canonical URI. S3's rule (`uriEscapePath` false): the path in its
 * canonical encoded form, sent and signed as it is. Every other service: the path as sent (`asSent`: by fetch, for
 * a signer; as received, for a verifier), normalized where asked (`signedPath`), then encoded a second time.
 */
export function readPath(
  rawPath: string,
  uriEscapePath: boolean,
  normalize: boolean,
  asSent: (rawPath: string) => string,
): { path: string; signedPath: string; canonicalUri: string } {
  if (!uriEscapePath) {
    const path = encodePath(rawPath, normalize);
    return { path, signedPath: path, canonicalUri: path };
  }
  const path = asSent(rawPath);
  const signedPath = normalize ? removeDotSegments(path) : path;
  return { path, signedPath, canonicalUri: createCanonicalUri(signedPath, true) };
}

/** Validates the options shared by presigning and header signing, and encodes the request. */
export function readRequest(options: SigningOptions): RequestParts {
  if (typeof options !== 'object' || options === null) invalidType('options', 'an object', options);
  const service = checkScopePart('service', options.service);
  const region = checkScopePart('region', options.region);
  const credentials = checkCredentials(options.credentials);
  const isS3 = service === 's3';
  let method = options.method === undefined ? 'GET' : options.method;
  if (method !== 'GET') {
    if (typeof method !== 'string' || !TOKEN.test(method)) invalidType('method', 'an HTTP method token such as "GET"', method);
    // Like fetch, standard methods are upper-cased (a server sees "GET" for "get"); others are case-sensitive.
    if (STANDARD_METHODS.test(method)) method = method.toUpperCase();
  }

  const { origin, host, rawPath, rawQuery } = parseUrl(options.url);
  const { path, canonicalUri } = readPath(
    rawPath,
    checkBoolean('uriEscapePath', options.uriEscapePath, !isS3),
    checkBoolean('normalizePath', options.normalizePath, !isS3),
    toWirePath,
  );

  const query = parseQuery(rawQuery ?? '');
  for (const [key] of query) {
    if (SIGNER_PARAMS.test(key)) throw new TypeError(`"url" expected no ${JSON.stringify(key)} query parameter, which the signer sets`);
  }
  forEachPair('query', options.query, (key, value) => {
    if (hasLoneSurrogate(key) || hasLoneSurrogate(value)) {
      throw new TypeError(`"query" expected well-formed Unicode, got a lone UTF-16 surrogate in ${describe(key)}`);
    }
    if (SIGNER_PARAMS.test(key)) throw new TypeError(`"query" expected no ${JSON.stringify(key)} query parameter, which the signer sets`);
    query.push([uriEncode(key), uriEncode(value)]);
  });

  const headers = new Map<string, string[]>();
  forEachPair('headers', options.headers, (rawName, value) => {
    // Checked before lower-casing: "\u212A" (Kelvin sign) would become an ASCII "k".
    if (!TOKEN.test(rawName)) invalidType('headers name', 'an HTTP token (letters, digits, !#$%&\'*+-.^_`|~)', rawName);
    const name = rawName.toLowerCase();
    if (!HEADER_VALUE.test(value)) {
      invalidType(`headers[${JSON.stringify(rawName)}]`, 'printable US-ASCII without CR, LF or NUL (encode other text first)', value);
    }
    if (SIGNER_HEADERS.has(name)) {
      throw new TypeError(
        `"headers" expected no ${JSON.stringify(rawName)} header, which the signer sets (use signingDate and credentials.sessionToken)`,
      );
    }
    const values = headers.get(name);
    if (values) values.push(value);
    else headers.set(name, [value]);
  });

  let payloadHash = options.payloadHash === undefined ? undefined : checkPayloadHash('payloadHash', options.payloadHash);
  const contentSha256 = headers.get('x-amz-content-sha256');
  if (contentSha256) {
    const fromHeader = checkPayloadHash('headers["x-amz-content-sha256"]', contentSha256.join(','));
    if (payloadHash !== undefined && payloadHash !== fromHeader) {
      throw new TypeError(`"payloadHash" expected to equal the x-amz-content-sha256 header ${describe(fromHeader)}, got ${describe(payloadHash)}`);
    }
    payloadHash = fromHeader;
  }

  checkCache(options.cache);
  const signingDate = toSigningDate(options.signingDate);
  return {
    method,
    origin,
    host,
    path,
    canonicalUri,
    query,
    headers,
    credentials,
    region,
    service,
    signingDate,
    amzDate: toAmzDate(signingDate),
    payloadHash,
    signSessionToken: checkBoolean('signSessionToken', options.signSessionToken, true),
  };
}
