// Verification, reading what the server received: the URL, the query-string auth parameters, the Authorization
// header and the date. Everything here is data from the network, so every fault is a SigV4Error (never a
// TypeError), and every parser is a single linear pass, so no input makes it hang.

import { parseQuery } from '../core/canonical-request.js';
import { trimOws } from '../core/encoding.js';
import { describe, fail, type Fault } from '../core/errors.js';
import { parseUrl } from '../core/url.js';

/** The longest URL a verifier reads (characters); longer ones are malformed. Servers cap theirs far lower. */
export const MAX_URL_LENGTH = 65536;

/**
 * The {@link Fault} of the checks shared with the signers (URL, path, query, payload hash), for text from the
 * network: malformed data, with the message a signer's option error has.
 */
export const malformed: Fault = (message) => fail('ERR_SIGV4_MALFORMED', message);

/** A query parameter as received: its key and value in canonical encoded form. */
export interface QueryParam {
  readonly key: string;
  readonly value: string;
}

/** The received URL: host, and the raw path and query, read later (the path once the service is known, the
 * query once the cheap checks have passed). */
export interface ReceivedUrl {
  readonly host: string;
  readonly rawPath: string;
  readonly rawQuery: string;
}

// A host as it arrives in a Host header: ASCII name, IPv4 or [IPv6], optional port.
const AUTHORITY = /^(https?):\/\/([\w.\-:[\]]*)(?=[/?#]|$)/i;

/** Reads the URL the request was received on, with the signer's own parser and encoder. */
export function readReceivedUrl(input: string | URL): ReceivedUrl {
  const text = input instanceof URL ? input.href : input;
  if (text.length > MAX_URL_LENGTH) {
    fail('ERR_SIGV4_MALFORMED', `the URL expected at most ${MAX_URL_LENGTH} characters, got ${text.length}`);
  }
  const { host, rawPath, rawQuery } = parseUrl(text, malformed);
  // The host must be written as the URL parser writes it, up to letter case and a default port: the parser
  // decodes "%", maps look-alike letters to ASCII and reads "127.1" or "0x7f.0.0.1" as 127.0.0.1, and each
  // of those would let another text pass for the signed host.
  const m = AUTHORITY.exec(text);
  const authority = m?.[2]?.toLowerCase();
  if (authority !== host && authority !== `${host}:${m?.[1]?.toLowerCase() === 'https' ? 443 : 80}`) {
    fail(
      'ERR_SIGV4_MALFORMED',
      `the URL expected a host[:port] in canonical form (${JSON.stringify(host)}), got ${describe(authority ?? text)}`,
    );
  }
  return { host, rawPath, rawQuery: rawQuery ?? '' };
}

/** The received query's pairs in canonical encoded form ({@link parseQuery}: `+` is a space). */
export const readReceivedQuery = (rawQuery: string): QueryParam[] =>
  parseQuery(rawQuery, malformed).map(([key, value]) => ({ key, value }));

// A key, as written, that may name an auth parameter (SigV4's X-Amz-*, or SigV2's) and so is read first.
const AUTH_LIKE_KEY = /^(?:x-amz-|awsaccesskeyid$|signature$)/i;

/**
 * The pairs of the received query whose key, as written, may name an auth parameter, in canonical form. The rest
 * of the query is left unread, so a request whose auth parameters, date or expiry fail costs no more than its
 * length to split, however much the rest holds. (The verifiers read the whole query later and check it agrees.)
 */
export function scanAuthParams(rawQuery: string): QueryParam[] {
  const found: QueryParam[] = [];
  if (rawQuery === '') return found;
  for (const piece of rawQuery.split('&')) {
    const eq = piece.indexOf('=');
    if (AUTH_LIKE_KEY.test(eq < 0 ? piece : piece.slice(0, eq))) found.push(...readReceivedQuery(piece));
  }
  return found;
}

/** Decodes canonical (percent-encoded) text; bytes that are not UTF-8 make it malformed. */
export function decodeParam(name: string, value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return fail('ERR_SIGV4_MALFORMED', `${name} expected percent-encoded UTF-8, got ${describe(value)}`);
  }
}

/** The query-string auth parameters, in the case AWS writes them. */
export const AUTH_PARAMS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
  'X-Amz-Security-Token',
  'X-Amz-Region-Set', // SigV4a
] as const;
export type AuthParam = (typeof AUTH_PARAMS)[number];
const AUTH_PARAM_BY_LOWERCASE = new Map<string, AuthParam>(AUTH_PARAMS.map((name) => [name.toLowerCase(), name]));

/** True for a query parameter named as a SigV4 auth parameter, in any case (`key` as received, encoded). */
export const isAuthParam = (key: string): boolean => AUTH_PARAM_BY_LOWERCASE.has(key.toLowerCase());

/**
 * Finds the auth parameters of a presigned URL: each at most once, in AWS's case (a parameter that differs only
 * in case is ambiguous, so it is malformed, not ignored). Returns their decoded values and their indexes in
 * `query`.
 */
export function findAuthParams(query: readonly QueryParam[]): Map<AuthParam, { value: string; index: number }> {
  const found = new Map<AuthParam, { value: string; index: number }>();
  query.forEach(({ key, value }, index) => {
    const name = AUTH_PARAM_BY_LOWERCASE.get(key.toLowerCase());
    if (name === undefined) return;
    if (key !== name)
      fail(
        'ERR_SIGV4_MALFORMED',
        `expected the query parameter ${name}, got ${describe(key)} (names are case-sensitive)`,
      );
    if (found.has(name)) fail('ERR_SIGV4_MALFORMED', `expected one ${name} query parameter, got more than one`);
    found.set(name, { value: decodeParam(name, value), index });
  });
  return found;
}

const HTTP_DATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/;

/** An HTTP `Date` header (IMF-fixdate, RFC 9110 section 5.6.7) to a Date; only the exact form is taken. */
export function readHttpDate(text: string): Date {
  const date = HTTP_DATE.test(text) ? new Date(Date.parse(text)) : undefined;
  // toUTCString writes IMF-fixdate: equal text means a real date that Date did not roll over (31 Feb).
  if (!date || Number.isNaN(date.getTime()) || date.toUTCString() !== text) {
    fail(
      'ERR_SIGV4_DATE',
      `the date header expected an HTTP date such as "Sun, 30 Aug 2015 12:36:00 GMT", got ${describe(text)}`,
    );
  }
  return date;
}

const EXPIRES = /^[1-9]\d{0,6}$/;

/** X-Amz-Expires: whole seconds from 1 to `max`. */
export function readExpires(text: string, max: number): number {
  const seconds = EXPIRES.test(text) ? Number(text) : NaN;
  if (!(seconds <= max))
    fail('ERR_SIGV4_EXPIRES', `X-Amz-Expires expected an integer 1..${max} (seconds), got ${describe(text)}`);
  return seconds;
}

const HEADER_NAME = /^[a-z0-9!#$%&'*+\-.^_`|~]+$/; // an RFC 9110 token, lowercase

/** SignedHeaders: lowercase header names, sorted, each once, separated by `;`. */
export function readSignedHeaders(name: string, text: string): string[] {
  const names = text.split(';');
  names.forEach((header, i) => {
    if (!HEADER_NAME.test(header) || (i > 0 && names[i - 1]! >= header)) {
      fail(
        'ERR_SIGV4_SIGNED_HEADERS',
        `${name} expected lowercase header names, sorted, each once, separated by ";", got ${describe(text)}`,
      );
    }
  });
  return names;
}

/** The one value of a header, without surrounding spaces and tabs; undefined when absent. A repeated header is malformed. */
export function oneHeader(headers: Map<string, string[]>, name: string): string | undefined {
  const values = headers.get(name);
  if (values === undefined) return undefined;
  if (values.length !== 1) fail('ERR_SIGV4_MALFORMED', `expected one ${name} header, got ${values.length}`);
  return trimOws(values[0]!);
}
