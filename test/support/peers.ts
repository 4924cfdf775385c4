// Two independent SigV4 signers (the AWS SDK's @smithy/signature-v4 and mhart's aws4) behind one interface, and
// the random request model that test/differential.test.ts and scripts/record-corpus.ts share. Nothing here runs
// code from src/ (it imports types only), so the corpus the recorder writes comes from the peers alone.
//
// The model. A Case is a request described twice: as the text our API is given (a URL string with raw or
// percent-encoded characters, a `query` option of raw text, headers as written) and as what that text *means*
// (decoded path segments, decoded query pairs, lower-case headers). Our API's rules (README, "URLs and keys"):
// the URL string is read without WHATWG normalization; `+` is a plus sign in the path and a space in the query
// (as URLSearchParams and S3 read it); the `query` option is raw text. The path: for S3 (encoded once),
// characters outside URL syntax are encoded, `%XX` stands for its byte, and the wire path is each decoded segment
// in RFC 3986 form; for every other service (encoded twice) the wire path is the path as written with the
// characters fetch encodes encoded (`%XX` kept as written, sub-delims raw), and the canonical URI is that path as
// fetch sends it (dot segments resolved), normalized and encoded again. (So the generator writes a plus sign in
// the URL query as %2B, and a space there as `+`, ` ` or %20.) Each peer is fed the *meaning*, written in that
// peer's own input language:
//   - smithy: HttpRequest.path is the path sent (already encoded; smithy normalizes and double-encodes it
//     itself when uriEscapePath is on), HttpRequest.query holds decoded strings, HttpRequest.headers one
//     string per name, `host` included (the SDK's middleware adds it; SignatureV4 does not).
//   - aws4: `path` is the wire path plus a query string it reads with querystring.parse, so every key and
//     value is written fully percent-encoded (a plus sign as %2B: querystring reads `+` as a space, as we do).
//     For S3 aws4 also reads `+` in the *path* as a space (we read it as a plus): the wire path it is given
//     holds %2B, never `+`, so the two agree on what is signed.
// Where a peer cannot express a case, or is known to sign it differently, the case is compared with the other
// peer only, and `aws4Skip` says why; the tests count how often that happens so the constraint never turns a
// comparison into a vacuous one.

import { createRequire } from 'node:module';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { ALWAYS_UNSIGNABLE_HEADERS, SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, HeaderBag, HttpRequest as IHttpRequest } from '@smithy/types';
import fc from 'fast-check';
import type { PresignOptions, SignRequestOptions } from '../../src/index.js';
import { rfc3986 } from './reference.js';

// aws4 is CommonJS and assigns its exports through an alias (`var aws4 = exports`), which Node's ESM loader
// cannot see as named exports; `require` gives the real module object.
const require = createRequire(import.meta.url);
const aws4 = require('aws4') as typeof import('aws4');

/** The peers and their exact versions, recorded with the corpus. */
export const PEER_VERSIONS: Readonly<Record<PeerName, string>> = {
  '@smithy/signature-v4': (require('@smithy/signature-v4/package.json') as { version: string }).version,
  aws4: (require('aws4/package.json') as { version: string }).version,
};
export type PeerName = '@smithy/signature-v4' | 'aws4';

// ---------------------------------------------------------------------------------------------------------
// Encoding written independently of src/: RFC 3986 percent-encoding of UTF-8 (./reference.ts), and %XX escapes.

const utf8 = new TextEncoder();

/** %XX escapes of a character's UTF-8 bytes, with uppercase or lowercase hex. */
function percentEncode(ch: string, lower: boolean): string {
  let out = '';
  for (const byte of utf8.encode(ch)) out += '%' + byte.toString(16).padStart(2, '0');
  return lower ? out : out.toUpperCase();
}

/** `YYYYMMDD'T'HHMMSS'Z'` */
export const amzDateOf = (ms: number): string => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');

// ---------------------------------------------------------------------------------------------------------
// The case model.

export type Kind = 'presign' | 'sign';
export type Family = 's3' | 'other';

export interface Case {
  readonly kind: Kind;
  readonly service: string;
  readonly region: string;
  /** The URL as our API is given it. */
  readonly url: string;
  /** `scheme://host[:port]` as the signed URL must start: lower-case host, default port left out. */
  readonly origin: string;
  /** The Host header a client sends for this URL. */
  readonly host: string;
  /** The method as our API is given it (a standard method in any case is sent upper-cased). */
  readonly method: string;
  /** Decoded path segments after the leading `/` (`['']` for `/`). */
  readonly segments: readonly string[];
  /** The path as written in `url`. */
  readonly rawPath: string;
  /** Decoded query pairs: the URL's, then the `query` option's. */
  readonly query: readonly (readonly [string, string])[];
  /** The `query` option (raw text) and the form it is passed in. */
  readonly extraQuery: readonly (readonly [string, string])[];
  readonly extraQueryForm: 'pairs' | 'record' | 'params';
  /** Headers in the order our API reads them (names as written). */
  readonly headers: readonly (readonly [string, string])[];
  readonly headersForm: 'pairs' | 'record';
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string | undefined;
  readonly signSessionToken: boolean | undefined;
  /** Epoch milliseconds, and the form our API is given it in. */
  readonly signingDate: number;
  readonly dateForm: 'date' | 'number' | 'iso';
  readonly expiresIn: number;
  readonly hoistAmzHeaders: boolean | undefined;
  readonly payloadHash: string | undefined;
  readonly body: string | undefined;
  readonly bodyAsBytes: boolean;
  readonly contentSha256Header: boolean | undefined;
  /** S3 virtual-hosted (bucket in the host), S3 path-style (bucket in the path), or another service's endpoint. */
  readonly endpointStyle: 'virtual-hosted' | 'path-style' | 'service';
  /** Non-default path rules (S3 rules for another service, or the reverse): smithy can express them, aws4 not. */
  readonly pathRules: { readonly uriEscapePath: boolean; readonly normalizePath: boolean } | undefined;
}

const isS3 = (c: Case): boolean => c.service === 's3';
const normalizes = (c: Case): boolean => c.pathRules?.normalizePath ?? !isS3(c);
const escapesTwice = (c: Case): boolean => c.pathRules?.uriEscapePath ?? !isS3(c);

// What fetch percent-encodes in a path (the URL standard's path percent-encode set, and non-ASCII), written
// apart from src/; test/canonical-request.test.ts checks the library's rule against the platform's URL parser.
const FETCH_ENCODES = /[ "<>^`{}]|[^\x00-\x7f]/u;

/**
 * The path as our URL carries it, not normalized. S3: each decoded segment in RFC 3986 form. Other services: the
 * path as written, with what fetch encodes encoded (UTF-8, uppercase hex) and "\\" as "/".
 */
export const wirePath = (c: Case): string => {
  if (!escapesTwice(c)) return '/' + c.segments.map(rfc3986).join('/');
  let out = '';
  for (const ch of c.rawPath || '/') out += ch === '\\' ? '/' : FETCH_ENCODES.test(ch) ? percentEncode(ch, false) : ch;
  return out;
};

/**
 * The path a peer is given: what fetch sends. For S3 the wire path; for other services the wire path with its
 * dot segments resolved by the URL parser, as fetch resolves them before sending.
 */
export const sentPath = (c: Case): string => (escapesTwice(c) ? new URL(`http://h.invalid${wirePath(c)}`).pathname : wirePath(c));

// The methods the Fetch standard upper-cases ("normalize a method"); every other one, `patch` included, is sent as written.
const STANDARD_METHODS = /^(?:DELETE|GET|HEAD|OPTIONS|POST|PUT)$/i;
/** The method on the wire: fetch upper-cases the standard methods, and so does our API. */
const wireMethod = (c: Case): string => (STANDARD_METHODS.test(c.method) ? c.method.toUpperCase() : c.method);

/** Lower-case header names to their values, in the order given. */
function headerMap(c: Case): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [name, value] of c.headers) {
    const lower = name.toLowerCase();
    const values = map.get(lower);
    if (values) values.push(value);
    else map.set(lower, [value]);
  }
  return map;
}

// Headers our presignUrl keeps as headers even with hoistAmzHeaders (its documented rule: S3 needs them as headers).
const UNHOISTABLE = /^x-amz-(?:content-sha256$|server-side-encryption-customer-)/;
const hoists = (c: Case, name: string): boolean =>
  c.kind === 'presign' && c.hoistAmzHeaders === true && name.startsWith('x-amz-') && !UNHOISTABLE.test(name);

/**
 * A header as a peer that takes one string per name should see it. Repeated headers travel as one
 * comma-joined value with each value trimmed (AWS: "trim each value, join with commas"); a hoisted header
 * becomes a query value, which both our API and smithy take as the raw joined text.
 */
const joinedValue = (c: Case, name: string, values: readonly string[]): string =>
  hoists(c, name) ? values.join(',') : values.map((v) => v.trim()).join(',');

/** The `x-amz-content-sha256` header the caller gave, if any. */
const contentSha256Header = (c: Case): string | undefined => headerMap(c).get('x-amz-content-sha256')?.join(',');

/** What smithy (and the SDKs) never sign by default: our signRequest claims the same list. */
const SDK_UNSIGNABLE = new Set(Object.keys(ALWAYS_UNSIGNABLE_HEADERS));

// ---------------------------------------------------------------------------------------------------------
// Our API's options for a case.

type OurOptions = PresignOptions & SignRequestOptions;

function toRecord(pairs: readonly (readonly [string, string])[]): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const [k, v] of pairs) {
    const had = Object.prototype.hasOwnProperty.call(record, k) ? record[k] : undefined;
    record[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return record;
}

/** A record's entries as pairs, in the order Object.entries gives them (integer-like keys first). */
const fromRecord = (record: Record<string, string | string[]>): [string, string][] =>
  Object.entries(record).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v]]));

/**
 * The options object for presignUrl / signRequest. With `json`, only JSON values (the date as an ISO string,
 * pairs or records, a string body), as the corpus stores them; without, the varied forms the API accepts.
 */
export function ourOptions(c: Case, json: boolean): OurOptions {
  const date = new Date(c.signingDate);
  const signingDate = json || c.dateForm === 'iso' ? date.toISOString() : c.dateForm === 'number' ? c.signingDate : date;
  const extra = c.extraQuery;
  const query =
    c.extraQueryForm === 'record'
      ? toRecord(extra)
      : c.extraQueryForm === 'params' && !json
        ? new URLSearchParams(extra.map(([k, v]) => [k, v]))
        : extra.map(([k, v]): [string, string] => [k, v]);
  return {
    url: c.url,
    method: c.method,
    service: c.service,
    region: c.region,
    credentials: {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      ...(c.sessionToken !== undefined ? { sessionToken: c.sessionToken } : {}),
    },
    signingDate,
    ...(c.headers.length > 0
      ? { headers: c.headersForm === 'record' ? toRecord(c.headers) : c.headers.map(([k, v]): [string, string] => [k, v]) }
      : {}),
    ...(extra.length > 0 ? { query } : {}),
    ...(c.kind === 'presign' ? { expiresIn: c.expiresIn } : {}),
    ...(c.payloadHash !== undefined ? { payloadHash: c.payloadHash } : {}),
    ...(c.hoistAmzHeaders !== undefined ? { hoistAmzHeaders: c.hoistAmzHeaders } : {}),
    ...(c.signSessionToken !== undefined ? { signSessionToken: c.signSessionToken } : {}),
    ...(c.body !== undefined ? { body: c.bodyAsBytes && !json ? utf8.encode(c.body) : c.body } : {}),
    ...(c.contentSha256Header !== undefined ? { contentSha256Header: c.contentSha256Header } : {}),
    ...(c.pathRules ? { uriEscapePath: c.pathRules.uriEscapePath, normalizePath: c.pathRules.normalizePath } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------
// What a signer produced, in a form that does not depend on which signer it was.

export type { Expected, PresignExpected, SignExpected } from './observe.js';
export { SIGNER_ADDED } from './observe.js';
import { SIGNER_ADDED, type Expected, type PresignExpected, type SignExpected } from './observe.js';

function signerAdded(headers: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if ((SIGNER_ADDED as readonly string[]).includes(lower)) out[lower] = String(value);
  }
  return out;
}

/**
 * The URL path our signer emits: the wire path (for every service but S3, the caller's path as fetch encodes it,
 * not normalized); for S3's encoding with normalization, the canonical URI the peer signed.
 */
function expectedPath(c: Case, canonicalRequest: string): string {
  if (!normalizes(c) || escapesTwice(c)) return wirePath(c);
  const uri = canonicalRequest.split('\n')[1]!;
  return escapesTwice(c) ? uri.replace(/%25/g, '%') : uri;
}

/** `key=value` pieces of a query string, each brought to RFC 3986 form, sorted. */
const canonicalPieces = (search: string): string[] =>
  search === ''
    ? []
    : search
        .split('&')
        .map((piece) => {
          const eq = piece.indexOf('=');
          const [k, v] = eq < 0 ? [piece, ''] : [piece.slice(0, eq), piece.slice(eq + 1)];
          return `${rfc3986(decodeURIComponent(k))}=${rfc3986(decodeURIComponent(v))}`;
        })
        .sort();

// ---------------------------------------------------------------------------------------------------------
// smithy (@smithy/signature-v4, the AWS SDK for JavaScript v3's signer).

/** SignatureV4 that keeps the canonical request and string to sign it builds (both are protected stages). */
class ObservedSignatureV4 extends SignatureV4 {
  canonicalRequest = '';
  stringToSign = '';
  protected override createCanonicalRequest(request: IHttpRequest, canonicalHeaders: HeaderBag, payloadHash: string): string {
    this.canonicalRequest = super.createCanonicalRequest(request, canonicalHeaders, payloadHash);
    return this.canonicalRequest;
  }
  protected override async createStringToSign(
    longDate: string,
    credentialScope: string,
    canonicalRequest: string,
    algorithmIdentifier: string,
  ): Promise<string> {
    this.stringToSign = await super.createStringToSign(longDate, credentialScope, canonicalRequest, algorithmIdentifier);
    return this.stringToSign;
  }
}

function smithyRequest(c: Case, headers: Record<string, string>, body?: string): HttpRequest {
  // Decoded query as smithy holds it: one string, or an array for a repeated key.
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of c.query) {
    const had = Object.prototype.hasOwnProperty.call(query, k) ? query[k] : undefined;
    query[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  const origin = new URL(c.origin);
  return new HttpRequest({
    method: wireMethod(c),
    protocol: origin.protocol,
    hostname: origin.hostname,
    ...(origin.port ? { port: Number(origin.port) } : {}),
    path: sentPath(c),
    query,
    headers: { host: c.host, ...headers },
    ...(body !== undefined ? { body } : {}),
  });
}

function smithySigner(c: Case, withToken: boolean, applyChecksum: boolean): ObservedSignatureV4 {
  const credentials: AwsCredentialIdentity = {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    ...(withToken && c.sessionToken !== undefined ? { sessionToken: c.sessionToken } : {}),
  };
  return new ObservedSignatureV4({
    credentials,
    region: c.region,
    service: c.service,
    sha256: Sha256,
    uriEscapePath: escapesTwice(c),
    applyChecksum,
  });
}

async function smithyPresign(c: Case): Promise<PresignExpected> {
  const map = headerMap(c);
  const headers: Record<string, string> = {};
  for (const [name, values] of map) headers[name] = joinedValue(c, name, values);
  // smithy takes the payload hash of a presigned request from an x-amz-content-sha256 header (else the hash of
  // the body, else of an empty body). For our payloadHash option, or S3's UNSIGNED-PAYLOAD default, give it that
  // header and mark it unsignable and unhoistable so it only sets the hash (what the S3 presigner does).
  const synthetic =
    contentSha256Header(c) === undefined && (c.payloadHash !== undefined || isS3(c)) ? (c.payloadHash ?? 'UNSIGNED-PAYLOAD') : undefined;
  if (synthetic !== undefined) headers['x-amz-content-sha256'] = synthetic;
  const names = [...map.keys()];
  // Token signed unless signSessionToken is false; then, like our API, add it to the URL after signing.
  const tokenAfter = c.sessionToken !== undefined && c.signSessionToken === false;
  const signer = smithySigner(c, !tokenAfter, true);
  const out = await signer.presign(smithyRequest(c, headers), {
    expiresIn: c.expiresIn,
    signingDate: new Date(c.signingDate),
    // smithy hoists every x-amz-* header into the query by default; our API only with hoistAmzHeaders.
    unhoistableHeaders: new Set([
      ...names.filter((n) => n.startsWith('x-amz-') && !hoists(c, n)),
      ...(synthetic !== undefined ? ['x-amz-content-sha256'] : []),
    ]),
    // smithy leaves user-agent, expect, cache-control, … out of a presigned URL by default; our presignUrl
    // signs every header it is given (its documented contract: the holder must send them), so say so.
    signableHeaders: new Set(names),
    ...(synthetic !== undefined ? { unsignableHeaders: new Set(['x-amz-content-sha256']) } : {}),
  });
  const pairs: [string, string][] = [];
  const outQuery = out.query ?? {};
  for (const [k, v] of Object.entries(outQuery)) {
    if (Array.isArray(v)) for (const x of v) pairs.push([k, x]);
    else if (v !== null) pairs.push([k, v]);
  }
  if (tokenAfter) pairs.push(['X-Amz-Security-Token', c.sessionToken!]);
  return {
    signature: String(outQuery['X-Amz-Signature']),
    canonicalRequest: signer.canonicalRequest,
    stringToSign: signer.stringToSign,
    origin: c.origin,
    path: expectedPath(c, signer.canonicalRequest),
    query: pairs.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).sort(),
    headers: Object.keys(out.headers)
      .filter((n) => n !== 'host' && !(synthetic !== undefined && n === 'x-amz-content-sha256'))
      .sort(),
  };
}

async function smithySign(c: Case): Promise<SignExpected> {
  const headers: Record<string, string> = {};
  for (const [name, values] of headerMap(c)) headers[name] = joinedValue(c, name, values);
  // Our payloadHash option (given only where our API also sends it as x-amz-content-sha256) is that header to smithy.
  if (c.payloadHash !== undefined) headers['x-amz-content-sha256'] = c.payloadHash;
  // smithy adds x-amz-content-sha256 to every request unless applyChecksum is false; our API only for S3 (or
  // with contentSha256Header).
  const signer = smithySigner(c, true, c.contentSha256Header ?? isS3(c));
  const tokenUnsigned = c.sessionToken !== undefined && c.signSessionToken === false;
  const out = await signer.sign(smithyRequest(c, headers, c.body), {
    signingDate: new Date(c.signingDate),
    ...(tokenUnsigned ? { unsignableHeaders: new Set(['x-amz-security-token']) } : {}),
  });
  const added = signerAdded(out.headers);
  return {
    signature: /Signature=([0-9a-f]{64})$/.exec(added['authorization'] ?? '')?.[1] ?? '(none)',
    canonicalRequest: signer.canonicalRequest,
    stringToSign: signer.stringToSign,
    authorization: added['authorization'] ?? '(none)',
    origin: c.origin,
    path: expectedPath(c, signer.canonicalRequest),
    query: canonicalPieces(signer.canonicalRequest.split('\n')[2]!),
    headers: added,
  };
}

// ---------------------------------------------------------------------------------------------------------
// aws4 (mhart/aws4).

/** aws4's request, with the two options its type definitions leave out. */
type Aws4Request = import('aws4').Request & {
  extraHeadersToInclude?: Record<string, boolean>;
  extraHeadersToIgnore?: Record<string, boolean>;
};

/**
 * Why aws4 cannot sign this case the way our API (and smithy, and AWS) do, or undefined when it can.
 * Each reason is a known aws4 behaviour, read from aws4.js 1.13.2 and checked in the differential tests.
 */
export function aws4Skip(c: Case): string | undefined {
  if (c.pathRules) return 'non-default path rules: aws4 ties normalization and double encoding to service === "s3"';
  // parsePath(): a path holding a character outside its list (here "[", "]" or "|", which fetch sends raw) is
  // rewritten as encodeURI(decodeURI(path)), which changes its escapes (%7E becomes ~).
  if (escapesTwice(c) && /[^0-9A-Za-z;,/?:@&=+$\-_.!~*'()#%]/.test(sentPath(c))) return 'a "[", "]" or "|" in the path: aws4 re-encodes the whole path';
  // canonicalString(): `if (!key) return obj` drops a parameter with an empty name.
  if (c.query.some(([k]) => k === '')) return 'empty query key: aws4 leaves it out of the canonical query';
  if (isS3(c)) {
    // canonicalString(): `firstValOnly = service === 's3'` keeps only the first value of a repeated key.
    const keys = c.query.map(([k]) => k);
    if (new Set(keys).size !== keys.length) return 'repeated query key on S3: aws4 signs only its first value';
    // canonicalString(): for S3 each segment is decoded, encoded again, then every %2F turned back into "/".
    if (c.segments.some((s) => s.includes('/'))) return 'encoded "/" in an S3 key: aws4 signs it as a literal "/"';
    // canonicalString(): an S3 presigned request always has UNSIGNED-PAYLOAD.
    const hash = c.payloadHash ?? contentSha256Header(c);
    if (c.kind === 'presign' && hash !== undefined && hash !== 'UNSIGNED-PAYLOAD') return 'S3 presign with a payload hash: aws4 always signs UNSIGNED-PAYLOAD';
    // prepareRequest(): S3 header signing always adds x-amz-content-sha256.
    if (c.kind === 'sign' && c.contentSha256Header === false) return 'S3 with contentSha256Header false: aws4 always adds x-amz-content-sha256';
  } else if (c.contentSha256Header === true) {
    return 'contentSha256Header outside S3: aws4 adds x-amz-content-sha256 only for S3';
  }
  if (c.kind === 'sign' && c.body) {
    // prepareRequest(): a body without these headers (or with an empty value: `!headers['content-type']`) gets
    // them added, and signed.
    const map = headerMap(c);
    if (!joinedValue(c, 'content-type', map.get('content-type') ?? []) || !joinedValue(c, 'content-length', map.get('content-length') ?? [])) {
      return 'body without content-type and content-length: aws4 adds and signs them';
    }
  }
  return undefined;
}

function aws4Run(c: Case, request: Aws4Request, withToken: boolean) {
  const credentials = {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    ...(withToken && c.sessionToken !== undefined ? { sessionToken: c.sessionToken } : {}),
  };
  const signer = new aws4.RequestSigner(request, credentials);
  // canonicalString() prepares the request (adds the X-Amz-* parameters or headers) and is then reused by sign().
  const canonicalRequest = signer.canonicalString();
  const stringToSign = signer.stringToSign();
  const signed = signer.sign();
  return { canonicalRequest, stringToSign, signed };
}

const aws4Path = (c: Case, pairs: readonly (readonly [string, string])[]): string =>
  sentPath(c) + (pairs.length > 0 ? '?' + pairs.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&') : '');

function aws4Presign(c: Case): PresignExpected {
  const headers: Record<string, string> = { host: c.host };
  const include: Record<string, boolean> = {};
  const ignore: Record<string, boolean> = {};
  const query: (readonly [string, string])[] = [...c.query];
  for (const [name, values] of headerMap(c)) {
    // aws4 does not hoist: a hoisted header is, by definition, that query parameter.
    if (hoists(c, name)) query.push([name, joinedValue(c, name, values)]);
    else {
      headers[name] = joinedValue(c, name, values);
      // aws4 leaves connection, expect, range, user-agent, … out; our presignUrl signs every header it is given.
      include[name] = true;
    }
  }
  // Outside S3 aws4 takes the payload hash from an x-amz-content-sha256 header: one that only sets the hash.
  if (!isS3(c) && c.payloadHash !== undefined) {
    headers['x-amz-content-sha256'] = c.payloadHash;
    ignore['x-amz-content-sha256'] = true;
  }
  // aws4 reads the signing time and validity from these parameters (and adds X-Amz-Expires itself only for S3).
  query.push(['X-Amz-Expires', String(c.expiresIn)], ['X-Amz-Date', amzDateOf(c.signingDate)]);
  const tokenAfter = c.sessionToken !== undefined && c.signSessionToken === false;
  const { canonicalRequest, stringToSign, signed } = aws4Run(
    c,
    {
      method: wireMethod(c),
      path: aws4Path(c, query),
      service: c.service,
      region: c.region,
      signQuery: true,
      headers,
      extraHeadersToInclude: include,
      extraHeadersToIgnore: ignore,
    },
    !tokenAfter,
  );
  const path = signed.path ?? '';
  const search = path.includes('?') ? path.slice(path.indexOf('?') + 1) : '';
  const pieces = canonicalPieces(search);
  if (tokenAfter) pieces.push(`X-Amz-Security-Token=${rfc3986(c.sessionToken!)}`);
  return {
    signature: new URLSearchParams(search).get('X-Amz-Signature') ?? '(none)',
    canonicalRequest,
    stringToSign,
    origin: c.origin,
    path: expectedPath(c, canonicalRequest),
    query: pieces.sort(),
    headers: Object.keys(signed.headers ?? {})
      .map((n) => n.toLowerCase())
      .filter((n) => n !== 'host' && !ignore[n])
      .sort(),
  };
}

function aws4Sign(c: Case): SignExpected {
  const headers: Record<string, string> = { host: c.host };
  const include: Record<string, boolean> = {};
  const ignore: Record<string, boolean> = {};
  for (const [name, values] of headerMap(c)) {
    headers[name] = joinedValue(c, name, values);
    // aws4's own ignore list differs from the SDKs' (it signs cache-control, from, te, …, and not range);
    // our signRequest follows the SDKs' list, which the smithy comparison checks. Tell aws4 which to sign.
    if (SDK_UNSIGNABLE.has(name)) ignore[name] = true;
    else include[name] = true;
  }
  if (c.payloadHash !== undefined) headers['x-amz-content-sha256'] = c.payloadHash;
  // aws4 takes the signing time from an X-Amz-Date header; our API adds the same header.
  headers['X-Amz-Date'] = amzDateOf(c.signingDate);
  if (c.sessionToken !== undefined && c.signSessionToken === false) ignore['x-amz-security-token'] = true;
  const { canonicalRequest, stringToSign, signed } = aws4Run(
    c,
    {
      method: wireMethod(c),
      path: aws4Path(c, c.query),
      service: c.service,
      region: c.region,
      headers,
      ...(c.body !== undefined ? { body: c.body } : {}),
      extraHeadersToInclude: include,
      extraHeadersToIgnore: ignore,
    },
    true,
  );
  const added = signerAdded(signed.headers ?? {});
  return {
    signature: /Signature=([0-9a-f]{64})$/.exec(added['authorization'] ?? '')?.[1] ?? '(none)',
    canonicalRequest,
    stringToSign,
    authorization: added['authorization'] ?? '(none)',
    origin: c.origin,
    path: expectedPath(c, canonicalRequest),
    query: canonicalPieces(canonicalRequest.split('\n')[2]!),
    headers: added,
  };
}

/** Both peers' view of a case: smithy's always, aws4's unless `aws4Skip` names a reason. */
export async function peerExpectations(
  c: Case,
): Promise<{ smithy: Expected; aws4: Expected | undefined; aws4Skip: string | undefined }> {
  const skip = aws4Skip(c);
  const smithy = c.kind === 'presign' ? await smithyPresign(c) : await smithySign(c);
  const other = skip !== undefined ? undefined : c.kind === 'presign' ? aws4Presign(c) : aws4Sign(c);
  return { smithy, aws4: other, aws4Skip: skip };
}

// ---------------------------------------------------------------------------------------------------------
// Generators.

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
    arbitrary: fc.constantFrom('é', 'ü', 'ß', 'İ', '日', '本', '😀', '𝄞', '\u00a0', '\u0085', '\u2028', '\ufeff', '\u0301', '\t', '\n', '\u0000', '\u007f'),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);

const pieceArb: fc.Arbitrary<Piece> = fc.record({ ch: charArb, enc: encArb });
/** A fixed text, each character written raw or as %XX at random. */
const spelled = (text: string): fc.Arbitrary<Piece[]> =>
  fc.array(encArb, { minLength: [...text].length, maxLength: [...text].length }).map((encs) => [...text].map((ch, i) => ({ ch, enc: encs[i]! })));
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
const KEY_POOL = ['a', 'A', 'key', 'prefix', 'list-type', 'versionId', 'response-content-disposition', 'a b', 'a+b', 'ü', '😀', '~', 'constructor', 'toString', '=', '%', '&'];
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
const COMMON_HEADERS = ['Content-Type', 'content-type', 'X-Custom', 'x-custom', 'Accept', 'If-None-Match', 'Content-MD5', 'My-Header1', 'content-encoding'];
// SDK-unsignable names (signRequest sends but does not sign them) and the ones aws4 ignores.
const UNSIGNABLE_HEADERS = ['User-Agent', 'cache-control', 'Connection', 'expect', 'from', 'keep-alive', 'max-forwards', 'pragma', 'referer', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'X-Amzn-Trace-Id', 'range', 'presigned-expires'];
const AMZ_HEADERS = ['x-amz-meta-a', 'X-Amz-Meta-A', 'x-amz-meta-long-name', 'x-amz-acl', 'x-amz-storage-class', 'x-amz-tagging', 'X-Amz-Server-Side-Encryption-Customer-Algorithm'];
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
    !['authorization', 'x-amz-date', 'x-amz-security-token', 'host', 'date', '__proto__', 'x-amz-content-sha256'].includes(n) &&
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
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '  a   b  ', '\tx\t', 'text/plain; charset=utf-8', 'a, b', '"quoted  value"', 'AES256') },
);

const hexArb: fc.Arbitrary<string> = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 });
const base64Arb = (min: number, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='), minLength: min, maxLength: max });

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
const ep = (base: string, origin: string, services: readonly string[], regions: readonly string[], pathStyle = false): EndpointDef => ({
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
  ep('https://my.bucket.s3.eu-west-1.amazonaws.com', 'https://my.bucket.s3.eu-west-1.amazonaws.com', ['s3'], ['eu-west-1']),
  ep('https://Example-Bucket.S3.US-West-2.amazonaws.com:443', 'https://example-bucket.s3.us-west-2.amazonaws.com', ['s3'], ['us-west-2']),
  ep('https://s3.us-east-2.amazonaws.com', 'https://s3.us-east-2.amazonaws.com', ['s3'], ['us-east-2'], true),
  ep('http://localhost:9000', 'http://localhost:9000', ['s3'], CUSTOM_REGIONS, true),
  ep('https://minio.example:8443', 'https://minio.example:8443', ['s3'], CUSTOM_REGIONS, true),
  ep('http://127.0.0.1:9000', 'http://127.0.0.1:9000', ['s3'], CUSTOM_REGIONS, true),
  ep('http://[::1]:9000', 'http://[::1]:9000', ['s3'], CUSTOM_REGIONS, true),
  ep('HTTP://LocalHost:80', 'http://localhost', ['s3'], CUSTOM_REGIONS, true),
  ep('https://0123abcd.r2.cloudflarestorage.com', 'https://0123abcd.r2.cloudflarestorage.com', ['s3'], ['auto'], true),
  ep('http://bucket.s3.localhost.localstack.cloud:4566', 'http://bucket.s3.localhost.localstack.cloud:4566', ['s3'], CUSTOM_REGIONS),
];
// aws4 renames service "email" to "ses" and treats codecommit's GIT method specially: neither is generated.
const OTHER_ENDPOINTS: readonly EndpointDef[] = [
  ep('https://abc123.execute-api.us-east-1.amazonaws.com', 'https://abc123.execute-api.us-east-1.amazonaws.com', ['execute-api'], ['us-east-1']),
  ep('https://sqs.us-east-2.amazonaws.com', 'https://sqs.us-east-2.amazonaws.com', ['sqs'], ['us-east-2']),
  ep('https://lambda.eu-west-1.amazonaws.com', 'https://lambda.eu-west-1.amazonaws.com', ['lambda'], ['eu-west-1']),
  ep('https://search-d.us-west-1.es.amazonaws.com', 'https://search-d.us-west-1.es.amazonaws.com', ['es'], ['us-west-1']),
  ep('https://example.amazonaws.com', 'https://example.amazonaws.com', ['service'], ['us-east-1']),
  ep('http://localhost:4566', 'http://localhost:4566', ['sqs', 'sns', 'lambda', 'execute-api', 'dynamodb'], CUSTOM_REGIONS),
  ep('https://API.Example.com:8443', 'https://api.example.com:8443', ['execute-api', 'vpc-lattice-svcs'], CUSTOM_REGIONS),
  ep('https://vpce-1.execute-api.ap-southeast-2.vpce.amazonaws.com:443', 'https://vpce-1.execute-api.ap-southeast-2.vpce.amazonaws.com', ['execute-api'], ['ap-southeast-2']),
];

const BUCKETS = ['examplebucket', 'my-bucket', 'b.dotted.name', 'bucket123'];

const dotSegmentArb: fc.Arbitrary<Piece[]> = fc.constantFrom('', '.', '..').chain(spelled);
const segmentArb: fc.Arbitrary<Piece[]> = fc.oneof({ weight: 6, arbitrary: fc.array(pieceArb, { maxLength: 8 }) }, { weight: 2, arbitrary: dotSegmentArb });

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
  const methods = family === 's3' ? ['GET', 'PUT', 'HEAD', 'DELETE', 'POST', 'get', 'put'] : ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'post', 'patch', 'PROPFIND', 'propfind'];
  const endpointArb = fc
    .constantFrom(...endpoints)
    .chain((e) => fc.record({ e: fc.constant(e), service: fc.constantFrom(...e.services), region: fc.constantFrom(...e.regions) }));
  const payloadArb: fc.Arbitrary<{ mode: 'none' | 'option' | 'header'; hash: string; body: string | undefined; contentSha256Header: boolean | undefined }> =
    fc.record({
      mode:
        kind === 'sign' && family === 'other'
          ? fc.constantFrom<'none' | 'option' | 'header'>('none', 'none', 'none', 'header')
          : fc.constantFrom<'none' | 'option' | 'header'>('none', 'none', 'none', 'none', 'option', 'header'),
      hash: fc.oneof(
        hexArb,
        fc.constantFrom('UNSIGNED-PAYLOAD', 'UNSIGNED-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER'),
      ),
      body: kind === 'sign' ? fc.option(rawTextArb(30), { nil: undefined }) : fc.constant(undefined),
      contentSha256Header:
        kind === 'sign' ? fc.constantFrom(undefined, undefined, undefined, undefined, true, family === 's3' ? false : undefined) : fc.constant(undefined),
    });
  return fc
    .record({
      endpoint: endpointArb,
      bucket: fc.constantFrom(...BUCKETS),
      segments: fc.array(segmentArb, { maxLength: 5 }),
      omitSlash: fc.boolean(),
      query: queryArb,
      fragment: fc.option(fc.constantFrom('', 'frag', 'a b?c#d', 'ü'), { nil: undefined }),
      extraQuery: fc.array(fc.tuple(extraKeyArb, fc.oneof(fc.constantFrom(...VALUE_POOL), rawTextArb(8))), { maxLength: 3 }),
      extraQueryForm: fc.constantFrom<'pairs' | 'record' | 'params'>('pairs', 'record', 'params'),
      headers: fc.array(fc.tuple(headerNameArb, headerValueArb), { maxLength: 5 }),
      headersForm: fc.constantFrom<'pairs' | 'record'>('pairs', 'record'),
      contentType: fc.option(fc.constantFrom('application/json', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded'), { nil: undefined }),
      contentLength: fc.integer({ min: 0, max: 9 }),
      sseC: family === 's3' ? fc.boolean() : fc.constant(false),
      method: fc.constantFrom(...methods),
      accessKeyId: fc.oneof(
        fc.constantFrom('AKIDEXAMPLE', 'AKIAIOSFODNN7EXAMPLE', 'ASIA+weird=id'),
        fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'), minLength: 16, maxLength: 16 }).map((s) => 'AKIA' + s),
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
        { weight: 4, arbitrary: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31, 23, 59, 59, 999) }) },
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
      const pathPieces = r.endpoint.e.pathStyle ? [[...r.bucket].map((ch): Piece => ({ ch, enc: 'raw' })), ...r.segments] : r.segments;
      const segments = pathPieces.length > 0 ? pathPieces.map(decoded) : [''];
      const rawPath = pathPieces.length > 0 ? '/' + pathPieces.map((p) => render(p, PATH_ESCAPE, false)).join('/') : r.omitSlash ? '' : '/';

      // A pair with an empty key and value written without "=" is an empty piece, which names no parameter.
      const pairs = r.query.pairs.filter(({ key, value, noEquals }) => !(noEquals && key.length === 0 && value.length === 0));
      const written = pairs.map(({ key, value, noEquals }) =>
        noEquals && value.length === 0 ? render(key, KEY_ESCAPE, true) : `${render(key, KEY_ESCAPE, true)}=${render(value, VALUE_ESCAPE, true)}`,
      );
      if (r.query.emptyPieces && written.length > 0) written.splice(1, 0, '');
      const rawQuery = written.length > 0 || r.query.question ? written.join('&') : undefined;
      const url = `${r.endpoint.e.base}${rawPath}${rawQuery !== undefined ? '?' + rawQuery : ''}${r.fragment !== undefined ? '#' + r.fragment : ''}`;

      const extraQuery = r.extraQueryForm === 'record' ? fromRecord(toRecord(r.extraQuery)) : r.extraQuery.map(([k, v]): [string, string] => [k, v]);
      const query: [string, string][] = [...pairs.map(({ key, value }): [string, string] => [decoded(key), decoded(value)]), ...extraQuery];

      const { mode, hash } = r.payload;
      const body = r.payload.body;
      let headers: [string, string][] = r.headers.map(([k, v]): [string, string] => [k, v]);
      if (kind === 'sign' && body) {
        // A request with a body usually says what it is and how long; aws4 adds both when they are missing.
        if (r.contentType !== undefined) headers.push(['Content-Type', r.contentType]);
        if (r.contentLength > 0) headers.push(['Content-Length', String(utf8.encode(body).length)]);
      } else if (r.contentType !== undefined && r.method.toUpperCase() === 'PUT') headers.push(['content-type', r.contentType]);
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
        contentSha256Header: kind !== 'sign' ? undefined : asOption && r.payload.contentSha256Header === false ? undefined : r.payload.contentSha256Header,
        // The other service's path rules: S3 with normalization and double encoding, or another service without.
        pathRules: r.otherRules ? { uriEscapePath: s3, normalizePath: s3 } : undefined,
      };
    });
}
