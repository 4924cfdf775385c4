// Verification on the server: the signer's four tasks run again on the request as it was received (canonical
// request, string to sign, signing key, signature), and the signatures are compared in constant time.

import {
  canonicalHeaderValue,
  createCanonicalHeaders,
  createCanonicalQuery,
  createCanonicalRequest,
  toReceivedPath,
} from './canonical-request.js';
import { sha256Hex, timingSafeEqual } from './crypto.js';
import { toAmzDate } from './date.js';
import { describe, invalidType, outOfRange } from './errors.js';
import { EMPTY_SHA256, MAX_EXPIRES_IN } from './presign.js';
import { STANDARD_METHODS, TOKEN, checkCache, checkPayloadHash, forEachPair, readPath } from './request.js';
import { signCanonicalRequest } from './signature.js';
import { CREDENTIALS_SOURCE, type SigningKeyCache } from './signing-key.js';
import { createCredentialScope } from './string-to-sign.js';
import type { Credentials, HeadersInput } from './types.js';
import {
  asData,
  checkAlgorithm,
  checkSignatureForm,
  fail,
  failSigV2,
  findAuthParams,
  isAuthParam,
  parseCredential,
  readAmzDate,
  readAuthorization,
  readExpires,
  readHttpDate,
  readReceivedQuery,
  readReceivedUrl,
  scanAuthParams,
  readSignedHeaders,
  trimOws,
  type CredentialParts,
  type QueryParam,
  type ReceivedUrl,
} from './verify-read.js';

/** Seconds a request's date may be off the server's clock by default: 15 minutes, as AWS allows. */
export const DEFAULT_CLOCK_SKEW = 900;

/** What a credential lookup returns for a known access key. */
export interface VerifierCredentials {
  readonly secretAccessKey: string;
  /** With temporary credentials: the token the request must carry. */
  readonly sessionToken?: string | undefined;
}

/**
 * Finds the secret for an access key id: `undefined` (or `null`) for an unknown key. May be async. An error it
 * throws is passed on as it is.
 */
export type CredentialLookup = (
  accessKeyId: string,
  /** The verifier's `signal` option, to pass on to the key store (a database query, a fetch). */
  context: { readonly signal: AbortSignal | undefined },
) => VerifierCredentials | null | undefined | PromiseLike<VerifierCredentials | null | undefined>;

/** What both verifiers take: the request as received, and what the server accepts. */
export interface VerifyOptions {
  /**
   * The URL the request was received on, absolute, as sent: on Node, `` `http://${req.headers.host}${req.url}` ``.
   * A `URL` object has already resolved `.` and `..` and re-encoded some characters: pass the text for S3-style
   * keys.
   */
  readonly url: string | URL;
  /** The HTTP method the request used. Required: a URL signed for GET must not pass as a PUT. */
  readonly method: string;
  /**
   * The request's headers (names in any case). A repeated header must come as separate values (an array, or
   * pairs; on Node `req.headersDistinct`), since a `Headers` object or `req.headers` joins them with `, `.
   * `host` defaults to the URL's host.
   */
  readonly headers?: HeadersInput;
  /** Finds the credentials for the access key id the request names. */
  readonly getCredentials: CredentialLookup;
  /** The region, or regions, this server accepts in the credential scope. */
  readonly region: string | readonly string[];
  /** The service signing name, or names, this server accepts (`s3` turns on S3's rules). */
  readonly service: string | readonly string[];
  /** The time to check against, as a Date or epoch milliseconds. Default: now. */
  readonly now?: Date | number;
  /** Seconds the request's date may be ahead of `now` (and, for `verifyRequest`, behind it). Default 900. */
  readonly clockSkew?: number;
  /** Encode the canonical path a second time. Default: `false` for `s3`, `true` for every other service. */
  readonly uriEscapePath?: boolean;
  /** Remove `.`, `..` and empty segments from the path. Default: `false` for `s3`, `true` otherwise. */
  readonly normalizePath?: boolean;
  /**
   * The hex SHA-256 of the body as the server received it (or `UNSIGNED-PAYLOAD`), when the request has no
   * `x-amz-content-sha256` header. Default: `body`'s hash; else `UNSIGNED-PAYLOAD` for a presigned `s3` URL and
   * the hash of an empty body otherwise.
   */
  readonly payloadHash?: string;
  /** The body as received, to hash (or to check against `x-amz-content-sha256`). */
  readonly body?: string | Uint8Array | ArrayBuffer;
  /**
   * Whether the signer signed `X-Amz-Security-Token` (default `true`, as AWS requires). With `false` the token
   * is taken to have been added after signing (as for AWS IoT): it is left out of the canonical query and need
   * not be a signed header. Either way a token must equal the one the credential lookup returns.
   */
  readonly signSessionToken?: boolean;
  /** Signing key cache. Default: the shared one; `false` derives the key every time. */
  readonly cache?: SigningKeyCache | false;
  /**
   * Ends the wait for `getCredentials`, as it ends a `fetch`: once it aborts, the verifier rejects with
   * `signal.reason` (a `TimeoutError` DOMException for `AbortSignal.timeout(ms)`), and the lookup gets it too, as
   * `getCredentials(id, { signal })`. A server answers that with 503, not 403: the request was not judged.
   */
  readonly signal?: AbortSignal;
  /**
   * On a signature mismatch, also compute the signature for the six other standard methods, to report
   * `ERR_SIGV4_METHOD` when one matches (a GET URL used to PUT). That is up to six more signatures for every
   * request that fails, and anyone can send those: turn it on where failures are not an attacker's (development,
   * the CLI, an internal service). Default `false`: a mismatch is `ERR_SIGV4_SIGNATURE_MISMATCH`.
   */
  readonly diagnoseMethod?: boolean;
}

/** Options of {@link verifyPresignedUrl}. */
export type VerifyPresignedUrlOptions = VerifyOptions;

/** Options of {@link verifyRequest}: the headers are required, since they carry the signature. */
export interface VerifyRequestOptions extends VerifyOptions {
  readonly headers: HeadersInput;
}

/** Who signed, and when: what every verifier returns. */
export interface VerifiedSigner {
  /** The access key id that signed. */
  readonly accessKeyId: string;
  /** `YYYYMMDD/region/service/aws4_request` */
  readonly credentialScope: string;
  readonly region: string;
  readonly service: string;
  /** The signing time (X-Amz-Date). */
  readonly signingDate: Date;
  /** `YYYYMMDD'T'HHMMSS'Z'` */
  readonly amzDate: string;
}

/** A verified request: who signed it and what the signature covers, for the server to authorize. */
export interface VerifiedRequest extends VerifiedSigner {
  /** X-Amz-Expires of a presigned URL; `undefined` for a header-signed request. */
  readonly expiresIn: number | undefined;
  /**
   * The last moment the request is accepted: X-Amz-Date + X-Amz-Expires for a presigned URL, X-Amz-Date +
   * `clockSkew` for a header-signed request.
   */
  readonly expiresAt: Date;
  /** The method, which the signature covers. */
  readonly method: string;
  /**
   * The path the signature covers: for S3 the key in its canonical encoded form; for other services the path as
   * received, normalized (`.`, `..` and empty segments removed) where the service's rules say so.
   */
  readonly path: string;
  /** The signed header names, lowercase, sorted. Always includes `host`. */
  readonly signedHeaders: readonly string[];
  /** The signed headers' values in canonical form: these, and only these, are covered by the signature. */
  readonly headers: Readonly<Record<string, string>>;
  /** The payload hash in the canonical request: a hex SHA-256, `UNSIGNED-PAYLOAD` or `STREAMING-…`. */
  readonly payloadHash: string;
  /** The session token the request carried, if any (it matched the credentials'). */
  readonly sessionToken: string | undefined;
  readonly canonicalRequest: string;
  readonly stringToSign: string;
}

interface Settings {
  readonly url: string | URL;
  readonly method: string;
  readonly headers: Map<string, string[]>;
  readonly getCredentials: CredentialLookup;
  readonly regions: readonly string[];
  readonly services: readonly string[];
  readonly now: number;
  readonly clockSkew: number;
  readonly uriEscapePath: boolean | undefined;
  readonly normalizePath: boolean | undefined;
  readonly payloadHash: string | undefined;
  readonly body: string | Uint8Array | ArrayBuffer | undefined;
  readonly signSessionToken: boolean;
  readonly cache: SigningKeyCache | false | undefined;
  readonly signal: AbortSignal | undefined;
  readonly diagnoseMethod: boolean;
}

// The methods a signature is tried with when it does not match the one received (with diagnoseMethod).
const OTHER_METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS'] as const;
const HEX_HASH = /^[0-9a-f]{64}$/;

export function checkAccepted(name: string, value: unknown): readonly string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string' && v !== '')) {
    invalidType(name, 'a non-empty string or array of non-empty strings', value);
  }
  return list as readonly string[];
}

function checkOptional<T>(name: string, value: unknown, ok: (v: unknown) => boolean, expected: string): T | undefined {
  if (value !== undefined && !ok(value)) invalidType(name, expected, value);
  return value as T | undefined;
}

const isBoolean = (v: unknown): boolean => typeof v === 'boolean';

/** Validates the options (caller misuse is a TypeError or RangeError) and reads the received headers. */
/** The `now` and `clockSkew` options of the verifiers: epoch milliseconds, and seconds from 0 to 7 days. */
export function readClock(options: { readonly now?: unknown; readonly clockSkew?: unknown }): { now: number; clockSkew: number } {
  const now = options.now === undefined ? Date.now() : options.now instanceof Date ? options.now.getTime() : options.now;
  if (typeof now !== 'number') invalidType('now', 'a Date or epoch milliseconds', options.now);
  if (!(Math.abs(now) <= 8.64e15)) outOfRange('now', 'a valid Date or epoch milliseconds', options.now);
  const clockSkew = options.clockSkew ?? DEFAULT_CLOCK_SKEW;
  if (typeof clockSkew !== 'number') invalidType('clockSkew', 'a number of seconds', clockSkew);
  if (!(clockSkew >= 0 && clockSkew <= MAX_EXPIRES_IN)) outOfRange('clockSkew', `seconds from 0 to ${MAX_EXPIRES_IN}`, clockSkew);
  return { now, clockSkew };
}

function readOptions(options: VerifyOptions, headersRequired: boolean): Settings {
  if (typeof options !== 'object' || options === null) invalidType('options', 'an object', options);
  const { url, method, getCredentials } = options;
  if (typeof url !== 'string' && !(url instanceof URL)) invalidType('url', 'the absolute URL received, as a string or URL', url);
  if (typeof method !== 'string') invalidType('method', 'the HTTP method the request used, as a string', method);
  if (typeof getCredentials !== 'function') invalidType('getCredentials', 'a function (accessKeyId) => credentials | undefined', getCredentials);
  const regions = checkAccepted('region', options.region);
  const services = checkAccepted('service', options.service);

  const { now, clockSkew } = readClock(options);

  const payloadHash = options.payloadHash === undefined ? undefined : checkPayloadHash('payloadHash', options.payloadHash);
  const isBody = (v: unknown): boolean => typeof v === 'string' || v instanceof Uint8Array || v instanceof ArrayBuffer;
  const body = checkOptional<string | Uint8Array | ArrayBuffer>('body', options.body, isBody, 'a string, Uint8Array or ArrayBuffer');
  const cache = checkCache(options.cache);

  if (headersRequired && (options.headers === undefined || options.headers === null)) {
    invalidType('headers', 'the headers received (they carry the signature)', options.headers);
  }
  const headers = new Map<string, string[]>();
  forEachPair('headers', options.headers, (name, value) => {
    const key = name.toLowerCase();
    const values = headers.get(key);
    if (values) values.push(value);
    else headers.set(key, [value]);
  });

  if (!TOKEN.test(method)) fail('ERR_SIGV4_MALFORMED', `the method expected an HTTP token such as "GET", got ${describe(method)}`);
  return {
    url,
    // As the signer (and fetch) does: the standard methods are upper-cased, others are case-sensitive.
    method: STANDARD_METHODS.test(method) ? method.toUpperCase() : method,
    headers,
    getCredentials,
    regions,
    services,
    now,
    clockSkew,
    uriEscapePath: checkOptional<boolean>('uriEscapePath', options.uriEscapePath, isBoolean, 'a boolean'),
    normalizePath: checkOptional<boolean>('normalizePath', options.normalizePath, isBoolean, 'a boolean'),
    payloadHash,
    body,
    signSessionToken: checkOptional<boolean>('signSessionToken', options.signSessionToken, isBoolean, 'a boolean') ?? true,
    cache,
    signal: checkSignal(options.signal),
    diagnoseMethod: checkOptional<boolean>('diagnoseMethod', options.diagnoseMethod, isBoolean, 'a boolean') ?? false,
  };
}

/** The one value of a header, without surrounding spaces and tabs; undefined when absent. A repeated header is malformed. */
function oneHeader(headers: Map<string, string[]>, name: string): string | undefined {
  const values = headers.get(name);
  if (values === undefined) return undefined;
  if (values.length !== 1) fail('ERR_SIGV4_MALFORMED', `expected one ${name} header, got ${values.length}`);
  return trimOws(values[0]!);
}

/** Everything the request claims, read and checked before any lookup or crypto. */
interface Claim extends CredentialParts {
  readonly amzDate: string;
  readonly signingDate: Date;
  readonly signature: string;
  readonly signedHeaders: readonly string[];
  readonly expiresIn: number | undefined;
  readonly expiresAt: Date;
  /** The canonical query pairs. */
  readonly query: readonly (readonly [string, string])[];
  readonly sessionToken: string | undefined;
}

const oneOf = (list: readonly string[]): string => list.map((item) => JSON.stringify(item)).join(' or ');

function checkScope(settings: Settings, { region, service }: CredentialParts): void {
  if (!settings.regions.includes(region)) {
    fail('ERR_SIGV4_REGION', `the credential scope region expected ${oneOf(settings.regions)}, got ${describe(region)}`);
  }
  if (!settings.services.includes(service)) {
    fail('ERR_SIGV4_SERVICE', `the credential scope service expected ${oneOf(settings.services)}, got ${describe(service)}`);
  }
}

/** Epoch milliseconds as ISO 8601, for messages. */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** now ∈ [signing time − clock skew, notAfter], to the millisecond. */
function checkTime(settings: Settings, signingDate: Date, notAfter: number, late: string): void {
  const signedAt = signingDate.getTime();
  const { now, clockSkew } = settings;
  if (now < signedAt - clockSkew * 1000) {
    fail('ERR_SIGV4_NOT_YET_VALID', `the request is dated ${iso(signedAt)}, more than ${clockSkew} s after now (${iso(now)})`);
  }
  if (now > notAfter) fail('ERR_SIGV4_EXPIRED', `${late}; now is ${iso(now)}`);
}

/**
 * The stages both verifiers share once the claim is read: signed headers, canonical request, credential lookup,
 * signature, then the session token and the payload hash.
 */
async function verifyClaim(settings: Settings, url: ReceivedUrl, claim: Claim, presigned: boolean): Promise<VerifiedRequest> {
  const { signedHeaders } = claim;
  if (!signedHeaders.includes('host')) {
    fail('ERR_SIGV4_SIGNED_HEADERS', `the signed headers expected to include host, got ${describe(signedHeaders.join(';'))}`);
  }
  const signed = new Map<string, string[]>();
  for (const name of signedHeaders) {
    const values = settings.headers.get(name) ?? (name === 'host' ? [url.host] : undefined);
    if (values === undefined) fail('ERR_SIGV4_SIGNED_HEADERS', `the signed header ${JSON.stringify(name)} expected in the request, got none`);
    signed.set(name, values);
  }
  const { canonicalHeaders } = createCanonicalHeaders(signed);
  const isS3 = claim.service === 's3';
  // signedPath: the path the signature covers (S3's key form, or the path as received, normalized where the rules say so).
  const { signedPath: path, canonicalUri } = asData(() =>
    readPath(url.rawPath, settings.uriEscapePath ?? !isS3, settings.normalizePath ?? !isS3, toReceivedPath),
  );
  const canonicalQuery = createCanonicalQuery(claim.query);

  const headerHash = oneHeader(settings.headers, 'x-amz-content-sha256');
  if (headerHash !== undefined) asData(() => checkPayloadHash('the x-amz-content-sha256 header', headerHash));

  const credentials = await lookUpCredentials(settings.getCredentials, claim.accessKeyId, settings.signal);

  // The body is hashed only now, for a known key.
  const serverHash = settings.payloadHash ?? (settings.body === undefined ? undefined : await sha256Hex(settings.body));
  const payloadHash = headerHash ?? serverHash ?? (presigned && isS3 ? 'UNSIGNED-PAYLOAD' : EMPTY_SHA256);
  const signedHeaderList = signedHeaders.join(';');

  const credentialScope = createCredentialScope(claim.date, claim.region, claim.service);
  const sign = (method: string) => {
    const canonicalRequest = createCanonicalRequest(method, canonicalUri, canonicalQuery, canonicalHeaders, signedHeaderList, payloadHash);
    return signCanonicalRequest(canonicalRequest, credentialScope, { ...claim, credentials }, settings.cache).then(
      (stages) => ({ ...stages, canonicalRequest }),
    );
  };
  const { method } = settings;
  const computed = await sign(method);
  if (!timingSafeEqual(claim.signature, computed.signature)) {
    // The method is part of the signature, not of the URL: the one way to tell "signed for another method" from
    // "tampered" is to try the others: six more signatures (in parallel), on failures only, when asked.
    if (settings.diagnoseMethod) {
      const others = OTHER_METHODS.filter((m) => m !== method);
      const tried = await Promise.all(others.map(sign));
      const match = tried.findIndex((t) => timingSafeEqual(claim.signature, t.signature));
      if (match >= 0) fail('ERR_SIGV4_METHOD', `the request was signed for ${others[match]}, got ${describe(method)}`);
    }
    fail(
      'ERR_SIGV4_SIGNATURE_MISMATCH',
      'the signature does not match the request (check the secret, the URL as sent, the signed headers and the payload hash)',
    );
  }

  // Temporary credentials come with a token the request must carry (compared in constant time), and only they do.
  const expected = credentials.sessionToken;
  const received = claim.sessionToken;
  if (expected !== undefined && received === undefined) {
    fail('ERR_SIGV4_SESSION_TOKEN', 'the request expected the session token of its temporary credentials, got none');
  }
  if (expected === undefined && received !== undefined) {
    fail('ERR_SIGV4_SESSION_TOKEN', 'the request carries a session token, but its credentials have none');
  }
  if (expected !== undefined && received !== undefined && !timingSafeEqual(received, expected)) {
    fail('ERR_SIGV4_SESSION_TOKEN', 'the session token does not match the credentials');
  }
  if (headerHash !== undefined && HEX_HASH.test(headerHash) && serverHash !== undefined && HEX_HASH.test(serverHash) && serverHash !== headerHash) {
    fail('ERR_SIGV4_PAYLOAD_HASH', `the body's SHA-256 ${serverHash} does not match the signed x-amz-content-sha256 ${headerHash}`);
  }

  const headers: Record<string, string> = {};
  for (const [name, values] of signed) headers[name] = values.map(canonicalHeaderValue).join(',');
  return {
    accessKeyId: claim.accessKeyId,
    credentialScope,
    region: claim.region,
    service: claim.service,
    signingDate: claim.signingDate,
    amzDate: claim.amzDate,
    expiresIn: claim.expiresIn,
    expiresAt: claim.expiresAt,
    method,
    path,
    signedHeaders,
    headers,
    payloadHash,
    sessionToken: claim.sessionToken,
    canonicalRequest: computed.canonicalRequest,
    stringToSign: computed.stringToSign,
  };
}

/** The `signal` option: an AbortSignal (one from another realm too, so recognized by its shape), or undefined. */
export function checkSignal(value: unknown): AbortSignal | undefined {
  const s = value as Partial<AbortSignal> | undefined;
  if (value !== undefined && (typeof s !== 'object' || s === null || typeof s.aborted !== 'boolean' || typeof s.addEventListener !== 'function')) {
    invalidType('signal', 'an AbortSignal', value);
  }
  return s as AbortSignal | undefined;
}

/**
 * Calls the lookup and waits for it, or for `signal` to abort: then rejects with its reason, as fetch does, and lets
 * go of the lookup (nothing of the request stays held by a lookup that never answers).
 */
async function awaitLookup(getCredentials: CredentialLookup, accessKeyId: string, signal: AbortSignal | undefined): Promise<unknown> {
  if (signal === undefined) return getCredentials(accessKeyId, { signal });
  if (signal.aborted) throw signal.reason;
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', (onAbort = () => reject(signal.reason))));
  try {
    return await Promise.race([getCredentials(accessKeyId, { signal }), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Calls the credential lookup for an access key id already checked by {@link parseCredential}, and reads what it
 * returns. Unknown: `undefined` or `null`, and also what a plain-object lookup (`(id) => keys[id]`) finds for
 * `__proto__`, `constructor`, `toString`, `hasOwnProperty`, `valueOf`…: `Object.prototype` or a function, which no
 * lookup returns as credentials. Anything else that is not credentials (a string, a number, an object without
 * a secretAccessKey) is a programming mistake, and stays a TypeError.
 */
export async function lookUpCredentials(getCredentials: CredentialLookup, accessKeyId: string, signal: AbortSignal | undefined): Promise<Credentials> {
  const found: unknown = await awaitLookup(getCredentials, accessKeyId, signal);
  if (found === undefined || found === null || typeof found === 'function' || found === Object.prototype) {
    fail('ERR_SIGV4_UNKNOWN_ACCESS_KEY', `the access key id ${describe(accessKeyId)} is unknown`);
  }
  return readFoundCredentials(found, accessKeyId);
}

export function readFoundCredentials(found: unknown, accessKeyId: string): Credentials {
  // Only types are described: a lookup that returns the wrong thing may well return the secret itself.
  if (typeof found !== 'object') invalidType('getCredentials()', 'to return { secretAccessKey, sessionToken? } or undefined', found, true);
  const { secretAccessKey, sessionToken } = found as Record<string, unknown>;
  if (typeof secretAccessKey !== 'string' || secretAccessKey === '') {
    invalidType('getCredentials().secretAccessKey', 'a non-empty string', secretAccessKey, true);
  }
  if (sessionToken !== undefined && typeof sessionToken !== 'string') {
    invalidType('getCredentials().sessionToken', 'a string or undefined', sessionToken, true);
  }
  // Tied to the caller's object, so the key cache fingerprints a secret once per object it comes in (see signing-key.ts).
  return { accessKeyId, secretAccessKey, sessionToken, [CREDENTIALS_SOURCE]: found } as Credentials;
}

const REQUIRED_PARAMS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'] as const;

/**
 * Verifies a presigned URL (SigV4 query-string authentication) as a server received it: the algorithm, the
 * credential scope against the accepted regions and services, the date and expiry against `now`, the signed
 * headers, the method, the access key and the signature (compared in constant time).
 *
 * Every query parameter except `X-Amz-Signature` is covered by the signature (and `X-Amz-Security-Token`,
 * unless `signSessionToken: false`).
 *
 * @returns who signed, the scope, the signing time, the expiry and the signed headers, to authorize the request.
 * @throws TypeError or RangeError for invalid options, before reading the request.
 * @throws SigV4Error with a `code` for a request that does not verify: `ERR_SIGV4_MALFORMED`,
 * `ERR_SIGV4_ALGORITHM`, `ERR_SIGV4_CREDENTIAL`, `ERR_SIGV4_SCOPE`, `ERR_SIGV4_DATE`, `ERR_SIGV4_REGION`,
 * `ERR_SIGV4_SERVICE`, `ERR_SIGV4_EXPIRES`, `ERR_SIGV4_NOT_YET_VALID`, `ERR_SIGV4_EXPIRED`,
 * `ERR_SIGV4_SIGNED_HEADERS`, `ERR_SIGV4_UNKNOWN_ACCESS_KEY`, `ERR_SIGV4_METHOD`, `ERR_SIGV4_SIGNATURE_MISMATCH`,
 * `ERR_SIGV4_SESSION_TOKEN`, `ERR_SIGV4_PAYLOAD_HASH`, `ERR_SIGV4_AUTH_MECHANISM` (an `Authorization` header
 * too: one auth mechanism per request). A SigV2 URL is `ERR_SIGV4_ALGORITHM`. No message holds a secret, a
 * derived key or the expected signature.
 * @example
 * const verified = await verifyPresignedUrl({
 *   url: `https://${req.headers.host}${req.url}`, method: req.method, headers: req.headersDistinct,
 *   service: 's3', region: 'us-east-1', getCredentials: (id) => keys.get(id),
 * });
 * // verified.accessKeyId, verified.path, verified.expiresAt …
 */
export async function verifyPresignedUrl(options: VerifyPresignedUrlOptions): Promise<VerifiedRequest> {
  const settings = readOptions(options, false);
  const url = readReceivedUrl(settings.url);
  // One auth mechanism per request, as S3 requires ("Only one auth mechanism allowed").
  if (settings.headers.has('authorization')) {
    fail('ERR_SIGV4_AUTH_MECHANISM', 'a presigned URL expected no authorization header, got one (one auth mechanism per request)');
  }
  // The auth parameters first, without reading the rest of the query: every check that needs no secret runs on them.
  const scanned = scanAuthParams(url.rawQuery);
  const params = findAuthParams(scanned);
  if (!params.has('X-Amz-Algorithm') && scanned.some(({ key }) => key === 'AWSAccessKeyId') && scanned.some(({ key }) => key === 'Signature')) {
    failSigV2('AWSAccessKeyId/Signature in the query');
  }
  const missing = REQUIRED_PARAMS.filter((name) => !params.has(name));
  if (missing.length > 0) {
    fail('ERR_SIGV4_MALFORMED', `the URL expected the query parameters ${missing.join(', ')}, got none (is it a presigned URL?)`);
  }
  const param = (name: (typeof REQUIRED_PARAMS)[number]): string => params.get(name)!.value;

  checkAlgorithm(param('X-Amz-Algorithm'));
  const amzDate = param('X-Amz-Date');
  const signingDate = readAmzDate('X-Amz-Date', amzDate);
  const credential = parseCredential('X-Amz-Credential', param('X-Amz-Credential'), amzDate);
  checkScope(settings, credential);
  const expiresIn = readExpires(param('X-Amz-Expires'), MAX_EXPIRES_IN);
  checkSignatureForm('X-Amz-Signature', param('X-Amz-Signature'));
  const signedHeaders = readSignedHeaders('X-Amz-SignedHeaders', param('X-Amz-SignedHeaders'));
  const expiresAt = signingDate.getTime() + expiresIn * 1000;
  checkTime(settings, signingDate, expiresAt, `the URL expired at ${iso(expiresAt)} (X-Amz-Date + ${expiresIn} s)`);

  // Now the whole query. Its auth parameters must be the ones read above: one written another way (X-Amz-%53ignature)
  // is one more, and malformed.
  const query = readReceivedQuery(url.rawQuery);
  if (findAuthParams(query).size !== params.size) {
    fail('ERR_SIGV4_MALFORMED', 'the URL expected its X-Amz-* query parameter names written as they are, got one with escapes');
  }
  // The canonical query is every parameter received but the signature (and an unsigned token).
  const token = params.get('X-Amz-Security-Token');
  const unsigned = (key: string): boolean => key === 'X-Amz-Signature' || (key === 'X-Amz-Security-Token' && !settings.signSessionToken);
  return verifyClaim(
    settings,
    url,
    {
      ...credential,
      amzDate,
      signingDate,
      signature: param('X-Amz-Signature'),
      signedHeaders,
      expiresIn,
      expiresAt: new Date(expiresAt),
      query: query.filter(({ key }) => !unsigned(key)).map(({ key, value }) => [key, value] as const),
      sessionToken: token?.value,
    },
    true,
  );
}

/** A header-signed request's query must carry no SigV4 auth parameter (see {@link verifyRequest}). */
function checkOneMechanism(query: readonly QueryParam[]): void {
  const queryAuth = query.filter(({ key }) => isAuthParam(key)).map(({ key }) => key);
  if (queryAuth.length === 0) return;
  const names = [...new Set(queryAuth)].slice(0, 3).map((key) => describe(key)).join(', ');
  fail('ERR_SIGV4_AUTH_MECHANISM', `a header-signed request expected no SigV4 query parameters, got ${names} (one auth mechanism per request)`);
}

/**
 * Verifies a request signed in the `Authorization` header (`AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…,
 * Signature=…`): the same checks as {@link verifyPresignedUrl}, with the date from `x-amz-date` (or `date`)
 * required within ± `clockSkew` of `now`. The payload hash is the `x-amz-content-sha256` header, else
 * `payloadHash`, else the hash of `body` (empty by default): pass the body, or its hash, for requests that have
 * one.
 *
 * @throws TypeError or RangeError for invalid options; SigV4Error with a `code` for a request that does not
 * verify (the codes of {@link verifyPresignedUrl}; `ERR_SIGV4_AUTH_MECHANISM` when the query carries SigV4 auth
 * parameters too, which is a presigned URL replayed as a header-signed request).
 * @example
 * const body = new Uint8Array(await request.arrayBuffer());
 * const verified = await verifyRequest({
 *   url: request.url, method: request.method, headers: request.headers, body,
 *   service: 'execute-api', region: 'eu-west-1', getCredentials: lookUpKey,
 * });
 */
export async function verifyRequest(options: VerifyRequestOptions): Promise<VerifiedRequest> {
  const settings = readOptions(options, true);
  const url = readReceivedUrl(settings.url);
  // One auth mechanism per request: a presigned URL's parameters moved into headers must not verify here, where
  // the URL's X-Amz-Expires would not apply. Every SigV4 query parameter counts, in any case (the signer never
  // writes one into a header-signed request); other query parameters are fine, and covered by the signature.
  checkOneMechanism(scanAuthParams(url.rawQuery));
  const { headers } = settings;
  const authorization = oneHeader(headers, 'authorization');
  if (authorization === undefined) fail('ERR_SIGV4_MALFORMED', 'the request expected an authorization header, got none');
  const auth = readAuthorization(authorization);

  const xAmzDate = oneHeader(headers, 'x-amz-date');
  const httpDate = xAmzDate === undefined ? oneHeader(headers, 'date') : undefined;
  if (xAmzDate === undefined && httpDate === undefined) fail('ERR_SIGV4_MALFORMED', 'the request expected an x-amz-date or date header, got neither');
  const signingDate = xAmzDate !== undefined ? readAmzDate('the x-amz-date header', xAmzDate) : readHttpDate(httpDate!);
  const amzDate = xAmzDate ?? toAmzDate(signingDate);
  const credential = parseCredential('the Credential field', auth.credential, amzDate);
  checkScope(settings, credential);
  checkSignatureForm('the Signature field', auth.signature);
  const signedHeaders = readSignedHeaders('the SignedHeaders field', auth.signedHeaders);
  const expiresAt = signingDate.getTime() + settings.clockSkew * 1000;
  checkTime(settings, signingDate, expiresAt, `the request is dated ${amzDate}, more than ${settings.clockSkew} s ago`);

  const sessionToken = oneHeader(headers, 'x-amz-security-token');
  if (sessionToken !== undefined && settings.signSessionToken && !signedHeaders.includes('x-amz-security-token')) {
    fail(
      'ERR_SIGV4_SIGNED_HEADERS',
      'the x-amz-security-token header expected to be signed, got it unsigned (pass signSessionToken: false to accept that)',
    );
  }
  // Now the whole query (and again no auth parameter, however its name is written).
  const query = readReceivedQuery(url.rawQuery);
  checkOneMechanism(query);
  return verifyClaim(
    settings,
    url,
    {
      ...credential,
      amzDate,
      signingDate,
      signature: auth.signature,
      signedHeaders,
      expiresIn: undefined,
      expiresAt: new Date(expiresAt),
      query: query.map(({ key, value }) => [key, value] as const),
      sessionToken,
    },
    false,
  );
}
