// The request model that test/differential.test.ts and scripts/record-corpus.ts share: a Case, what it means,
// and the options our API is given for it. The random cases come from ./generators.ts; the peers sign them in
// ./peers.ts. Nothing here runs code from src/ (it imports types only).
//
// A Case is a request described twice: as the text our API is given (a URL string with raw or
// percent-encoded characters, a `query` option of raw text, headers as written) and as what that text *means*
// (decoded path segments, decoded query pairs, lower-case headers). Our API's rules (README, "URLs and keys"):
// the URL string is read without WHATWG normalization; `+` is a plus sign in the path and a space in the query
// (as URLSearchParams and S3 read it); the `query` option is raw text. The path: for S3 (encoded once),
// characters outside URL syntax are encoded, `%XX` stands for its byte, and the wire path is each decoded segment
// in RFC 3986 form; for every other service (encoded twice) the wire path is the path as written with the
// characters fetch encodes encoded (`%XX` kept as written, sub-delims raw), and the canonical URI is that path as
// fetch sends it (dot segments resolved), normalized and encoded again. (So the generator writes a plus sign in
// the URL query as %2B, and a space there as `+`, ` ` or %20.)

import type { PresignOptions, SignRequestOptions } from '../../src/index.js';
import { rfc3986 } from './reference.js';

// ---------------------------------------------------------------------------------------------------------
// Encoding written independently of src/ (RFC 3986 form is ./reference.ts's rfc3986).

export const utf8 = new TextEncoder();

/** %XX escapes of a character's UTF-8 bytes, with uppercase or lowercase hex. */
export function percentEncode(ch: string, lower: boolean): string {
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

export const isS3 = (c: Case): boolean => c.service === 's3';
export const normalizes = (c: Case): boolean => c.pathRules?.normalizePath ?? !isS3(c);
export const escapesTwice = (c: Case): boolean => c.pathRules?.uriEscapePath ?? !isS3(c);

// What fetch percent-encodes in a path (the URL standard's path percent-encode set, and non-ASCII), written
// apart from src/; test/core/canonical-request.test.ts checks the library's rule against the platform's URL parser.
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
export const sentPath = (c: Case): string =>
  escapesTwice(c) ? new URL(`http://h.invalid${wirePath(c)}`).pathname : wirePath(c);

// The methods the Fetch standard upper-cases ("normalize a method"); every other one, `patch` included, is sent as written.
const STANDARD_METHODS = /^(?:DELETE|GET|HEAD|OPTIONS|POST|PUT)$/i;
/** The method on the wire: fetch upper-cases the standard methods, and so does our API. */
export const wireMethod = (c: Case): string => (STANDARD_METHODS.test(c.method) ? c.method.toUpperCase() : c.method);

/** Lower-case header names to their values, in the order given. */
export function headerMap(c: Case): Map<string, string[]> {
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
export const hoists = (c: Case, name: string): boolean =>
  c.kind === 'presign' && c.hoistAmzHeaders === true && name.startsWith('x-amz-') && !UNHOISTABLE.test(name);

/**
 * A header as a peer that takes one string per name should see it. Repeated headers travel as one
 * comma-joined value with each value trimmed (AWS: "trim each value, join with commas"); a hoisted header
 * becomes a query value, which both our API and smithy take as the raw joined text.
 */
export const joinedValue = (c: Case, name: string, values: readonly string[]): string =>
  hoists(c, name) ? values.join(',') : values.map((v) => v.trim()).join(',');

/** The `x-amz-content-sha256` header the caller gave, if any. */
export const contentSha256Header = (c: Case): string | undefined => headerMap(c).get('x-amz-content-sha256')?.join(',');

// ---------------------------------------------------------------------------------------------------------
// Our API's options for a case.

type OurOptions = PresignOptions & SignRequestOptions;

export function toRecord(pairs: readonly (readonly [string, string])[]): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const [k, v] of pairs) {
    const had = Object.prototype.hasOwnProperty.call(record, k) ? record[k] : undefined;
    record[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return record;
}

/** A record's entries as pairs, in the order Object.entries gives them (integer-like keys first). */
export const fromRecord = (record: Record<string, string | string[]>): [string, string][] =>
  Object.entries(record).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v]]));

/**
 * The options object for presignUrl / signRequest. With `json`, only JSON values (the date as an ISO string,
 * pairs or records, a string body), as the corpus stores them; without, the varied forms the API accepts.
 */
export function ourOptions(c: Case, json: boolean): OurOptions {
  const date = new Date(c.signingDate);
  const signingDate =
    json || c.dateForm === 'iso' ? date.toISOString() : c.dateForm === 'number' ? c.signingDate : date;
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
      ? {
          headers:
            c.headersForm === 'record' ? toRecord(c.headers) : c.headers.map(([k, v]): [string, string] => [k, v]),
        }
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
