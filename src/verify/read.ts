// Verification, reading what the server received: the URL, the query-string auth parameters, the Authorization
// header and the date. Everything here is data from the network, so every fault is a SigV4Error (never a
// TypeError), and every parser is a single linear pass, so no input makes it hang.

import { parseAmzDate } from './date.js';
import { parseQuery } from './canonical-request.js';
import { SigV4Error, describe, type SigV4ErrorCode } from './errors.js';
import { SCOPE_PART, parseUrl } from './request.js';
import { ALGORITHM } from './string-to-sign.js';

/** The longest URL a verifier reads (characters); longer ones are malformed. Servers cap theirs far lower. */
export const MAX_URL_LENGTH = 65536;
/** The longest `Authorization` header a verifier reads (characters). */
export const MAX_AUTHORIZATION_LENGTH = 8192;

/** Throws a {@link SigV4Error}. */
export function fail(code: SigV4ErrorCode, message: string, cause?: unknown): never {
  throw new SigV4Error(code, message, cause === undefined ? undefined : { cause });
}

/** Runs a helper shared with the signer, which throws a TypeError for bad text: from the network, that text is
 * malformed data. */
export function asData<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof TypeError) return fail('ERR_SIGV4_MALFORMED', error.message, error);
    throw error;
  }
}

/** Trims HTTP's optional whitespace (spaces and tabs) and nothing else, in one pass. */
export function trimOws(text: string): string {
  const ows = (i: number): boolean => text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09;
  let start = 0;
  let end = text.length;
  while (start < end && ows(start)) start++;
  while (end > start && ows(end - 1)) end--;
  return text.slice(start, end);
}

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
  const { host, rawPath, rawQuery } = asData(() => parseUrl(text));
  // The host must be written as the URL parser writes it, up to letter case and a default port: the parser
  // decodes "%", maps look-alike letters to ASCII and reads "127.1" or "0x7f.0.0.1" as 127.0.0.1, and each
  // of those would let another text pass for the signed host.
  const m = AUTHORITY.exec(text);
  const authority = m?.[2]?.toLowerCase();
  if (authority !== host && authority !== `${host}:${m?.[1]?.toLowerCase() === 'https' ? 443 : 80}`) {
    fail('ERR_SIGV4_MALFORMED', `the URL expected a host[:port] in canonical form (${JSON.stringify(host)}), got ${describe(authority ?? text)}`);
  }
  return { host, rawPath, rawQuery: rawQuery ?? '' };
}

/** The received query's pairs in canonical encoded form ({@link parseQuery}: `+` is a space). */
export const readReceivedQuery = (rawQuery: string): QueryParam[] => asData(() => parseQuery(rawQuery)).map(([key, value]) => ({ key, value }));

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
    if (key !== name) fail('ERR_SIGV4_MALFORMED', `expected the query parameter ${name}, got ${describe(key)} (names are case-sensitive)`);
    if (found.has(name)) fail('ERR_SIGV4_MALFORMED', `expected one ${name} query parameter, got more than one`);
    found.set(name, { value: decodeParam(name, value), index });
  });
  return found;
}

/** The parts of `Credential`: `<access key id>/<date>/<region>/<service>/aws4_request`. */
export interface CredentialParts {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

/** The longest access key id a verifier reads (AWS's are 16 to 128 characters). */
export const MAX_ACCESS_KEY_ID_LENGTH = 128;

/**
 * Splits a credential into its five parts and checks them before any lookup: the access key id by the signer's
 * own rule (visible ASCII without "/", "," or spaces, as `credentials.accessKeyId` must be, and at most
 * {@link MAX_ACCESS_KEY_ID_LENGTH} characters), the scope's form, and its date against the signing date.
 */
export function parseCredential(name: string, text: string, amzDate: string): CredentialParts {
  const parts = text.split('/');
  if (parts.length !== 5 || parts[0] === '') {
    // An id that holds "/" lands here too: the signer never makes one, and it would make the scope ambiguous.
    fail('ERR_SIGV4_CREDENTIAL', `${name} expected <access key id>/<YYYYMMDD>/<region>/<service>/aws4_request, got ${describe(text)}`);
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  if (accessKeyId.length > MAX_ACCESS_KEY_ID_LENGTH || !SCOPE_PART.test(accessKeyId)) {
    const got = accessKeyId.length > MAX_ACCESS_KEY_ID_LENGTH ? `${accessKeyId.length} characters` : `${describe(accessKeyId)} (${accessKeyId.length} characters, not all allowed)`;
    fail('ERR_SIGV4_CREDENTIAL', `${name} expected an access key id of visible ASCII without "/", "," or spaces, at most ${MAX_ACCESS_KEY_ID_LENGTH} characters, got ${got}`);
  }
  if (terminator !== 'aws4_request') fail('ERR_SIGV4_SCOPE', `the credential scope expected to end in "aws4_request", got ${describe(terminator)}`);
  if (date !== amzDate.slice(0, 8)) {
    fail('ERR_SIGV4_SCOPE', `the credential scope date expected the signing date ${amzDate.slice(0, 8)}, got ${describe(date)}`);
  }
  return { accessKeyId, date, region, service };
}

/** The answer to a SigV2 request: what was found (never its values: the signature is not echoed) and what to do. */
export function failSigV2(found: string): never {
  return fail(
    'ERR_SIGV4_ALGORITHM',
    `expected a SigV4 request (${ALGORITHM}), got a SigV2 signature (${found}): SigV2 is not supported; sign with SigV4 (boto3: Config(signature_version="s3v4"))`,
  );
}

/** Checks the algorithm name. */
export function checkAlgorithm(text: string): void {
  if (text !== ALGORITHM) fail('ERR_SIGV4_ALGORITHM', `the algorithm expected ${JSON.stringify(ALGORITHM)}, got ${describe(text)}`);
}

/** X-Amz-Date (`YYYYMMDD'T'HHMMSS'Z'`) to a Date. */
export function readAmzDate(name: string, text: string): Date {
  const date = parseAmzDate(text);
  if (!date) fail('ERR_SIGV4_DATE', `${name} expected a date of the form YYYYMMDD'T'HHMMSS'Z', got ${describe(text)}`);
  return date;
}

const HTTP_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/;

/** An HTTP `Date` header (IMF-fixdate, RFC 9110 section 5.6.7) to a Date; only the exact form is taken. */
export function readHttpDate(text: string): Date {
  const date = HTTP_DATE.test(text) ? new Date(Date.parse(text)) : undefined;
  // toUTCString writes IMF-fixdate: equal text means a real date that Date did not roll over (31 Feb).
  if (!date || Number.isNaN(date.getTime()) || date.toUTCString() !== text) {
    fail('ERR_SIGV4_DATE', `the date header expected an HTTP date such as "Sun, 30 Aug 2015 12:36:00 GMT", got ${describe(text)}`);
  }
  return date;
}

const EXPIRES = /^[1-9]\d{0,6}$/;

/** X-Amz-Expires: whole seconds from 1 to `max`. */
export function readExpires(text: string, max: number): number {
  const seconds = EXPIRES.test(text) ? Number(text) : NaN;
  if (!(seconds <= max)) fail('ERR_SIGV4_EXPIRES', `X-Amz-Expires expected an integer 1..${max} (seconds), got ${describe(text)}`);
  return seconds;
}

const HEADER_NAME = /^[a-z0-9!#$%&'*+\-.^_`|~]+$/; // an RFC 9110 token, lowercase

/** SignedHeaders: lowercase header names, sorted, each once, separated by `;`. */
export function readSignedHeaders(name: string, text: string): string[] {
  const names = text.split(';');
  names.forEach((header, i) => {
    if (!HEADER_NAME.test(header) || (i > 0 && names[i - 1]! >= header)) {
      fail('ERR_SIGV4_SIGNED_HEADERS', `${name} expected lowercase header names, sorted, each once, separated by ";", got ${describe(text)}`);
    }
  });
  return names;
}

const SIGNATURE = /^[0-9a-f]{64}$/;

/** A signature: 64 lowercase hex digits. */
export function checkSignatureForm(name: string, text: string): void {
  // The text is not echoed: whatever its form, it is signature material.
  if (!SIGNATURE.test(text)) fail('ERR_SIGV4_MALFORMED', `${name} expected 64 lowercase hex digits, got ${text.length} characters of another form`);
}

/** The parts of an `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header. */
export interface AuthorizationParts {
  readonly credential: string;
  readonly signedHeaders: string;
  readonly signature: string;
}

const AUTHORIZATION_FIELDS = new Set(['Credential', 'SignedHeaders', 'Signature']);

/**
 * Parses the Authorization header. Fields are separated by `,` with or without spaces (SDKs write `, `, the S3
 * documentation `,`); each of the three must be there exactly once, and nothing else.
 */
export function readAuthorization(value: string): AuthorizationParts {
  if (value.length > MAX_AUTHORIZATION_LENGTH) {
    fail('ERR_SIGV4_MALFORMED', `the authorization header expected at most ${MAX_AUTHORIZATION_LENGTH} characters, got ${value.length}`);
  }
  const text = trimOws(value);
  const space = text.indexOf(' ');
  const scheme = space < 0 ? text : text.slice(0, space);
  if (scheme === 'AWS') failSigV2('Authorization: AWS <access key id>:<signature>');
  checkAlgorithm(scheme);
  const fields = new Map<string, string>();
  for (const part of text.slice(space + 1).split(',')) {
    const field = trimOws(part);
    const eq = field.indexOf('=');
    const name = field.slice(0, eq);
    if (eq < 0 || !AUTHORIZATION_FIELDS.has(name)) {
      // Only the field's name is echoed: its value may be signature material.
      const got = eq < 0 ? `${describe(field.slice(0, 24))} with no "="` : `a field named ${describe(name)}`;
      fail('ERR_SIGV4_MALFORMED', `the authorization header expected Credential=…, SignedHeaders=…, Signature=…, got ${got}`);
    }
    if (fields.has(name)) fail('ERR_SIGV4_MALFORMED', `the authorization header expected one ${name} field, got more than one`);
    fields.set(name, field.slice(eq + 1));
  }
  const missing = [...AUTHORIZATION_FIELDS].filter((name) => !fields.has(name));
  if (missing.length > 0) fail('ERR_SIGV4_MALFORMED', `the authorization header expected a ${missing.join(', ')} field, got none`);
  return { credential: fields.get('Credential')!, signedHeaders: fields.get('SignedHeaders')!, signature: fields.get('Signature')! };
}
