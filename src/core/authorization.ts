// The auth fields a signed request carries (Credential, the date, SignedHeaders, Signature) and the Authorization
// header that holds them, as the verifiers read them. Everything read here is data from the network, so
// every fault is a SigV4Error.

import { ALGORITHM, ALGORITHM_V4A } from './constants.js';
import { trimOws } from './encoding.js';
import { parseAmzDate } from './date.js';
import { describe, fail } from './errors.js';
import { SCOPE_PART } from './rules.js';

/** The longest `Authorization` header a verifier reads (characters). */
export const MAX_AUTHORIZATION_LENGTH = 8192;

/** The answer to a SigV2 request: what was found (never its values: the signature is not echoed) and what to do. */
export function failSigV2(found: string): never {
  return fail(
    'ERR_SIGV4_ALGORITHM',
    `expected a SigV4 request (${ALGORITHM}), got a SigV2 signature (${found}): SigV2 is not supported; sign with SigV4 (boto3: Config(signature_version="s3v4"))`,
  );
}

/** Checks the algorithm name. */
export function checkAlgorithm(text: string): void {
  if (text !== ALGORITHM)
    fail('ERR_SIGV4_ALGORITHM', `the algorithm expected ${JSON.stringify(ALGORITHM)}, got ${describe(text)}`);
}

/** Reads the algorithm of a request: SigV4 or SigV4a (true). */
export function readAlgorithm(text: string): boolean {
  if (text === ALGORITHM_V4A) return true;
  if (text !== ALGORITHM)
    fail(
      'ERR_SIGV4_ALGORITHM',
      `the algorithm expected ${JSON.stringify(ALGORITHM)} or ${JSON.stringify(ALGORITHM_V4A)}, got ${describe(text)}`,
    );
  return false;
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
    fail(
      'ERR_SIGV4_CREDENTIAL',
      `${name} expected <access key id>/<YYYYMMDD>/<region>/<service>/aws4_request, got ${describe(text)}`,
    );
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  if (accessKeyId.length > MAX_ACCESS_KEY_ID_LENGTH || !SCOPE_PART.test(accessKeyId)) {
    const got =
      accessKeyId.length > MAX_ACCESS_KEY_ID_LENGTH
        ? `${accessKeyId.length} characters`
        : `${describe(accessKeyId)} (${accessKeyId.length} characters, not all allowed)`;
    fail(
      'ERR_SIGV4_CREDENTIAL',
      `${name} expected an access key id of visible ASCII without "/", "," or spaces, at most ${MAX_ACCESS_KEY_ID_LENGTH} characters, got ${got}`,
    );
  }
  if (terminator !== 'aws4_request')
    fail('ERR_SIGV4_SCOPE', `the credential scope expected to end in "aws4_request", got ${describe(terminator)}`);
  if (date !== amzDate.slice(0, 8)) {
    fail(
      'ERR_SIGV4_SCOPE',
      `the credential scope date expected the signing date ${amzDate.slice(0, 8)}, got ${describe(date)}`,
    );
  }
  return { accessKeyId, date, region, service };
}

/**
 * SigV4a's credential, `<access key id>/<YYYYMMDD>/<service>/aws4_request` (no region: the region set travels
 * apart), checked as {@link parseCredential} checks SigV4's; its `region` is empty.
 */
export function parseCredentialV4a(name: string, text: string, amzDate: string): CredentialParts {
  const parts = text.split('/');
  if (parts.length !== 4 || parts[0] === '') {
    fail(
      'ERR_SIGV4_CREDENTIAL',
      `${name} expected <access key id>/<YYYYMMDD>/<service>/aws4_request, got ${describe(text)}`,
    );
  }
  return parseCredential(name, `${parts[0]}/${parts[1]}//${parts[2]}/${parts[3]}`, amzDate);
}

/** X-Amz-Date (`YYYYMMDD'T'HHMMSS'Z'`) to a Date. */
export function readAmzDate(name: string, text: string): Date {
  const date = parseAmzDate(text);
  if (!date) fail('ERR_SIGV4_DATE', `${name} expected a date of the form YYYYMMDD'T'HHMMSS'Z', got ${describe(text)}`);
  return date;
}

const SIGNATURE = /^[0-9a-f]{64}$/;

/** A signature: 64 lowercase hex digits. */
export function checkSignatureForm(name: string, text: string): void {
  // The text is not echoed: whatever its form, it is signature material.
  if (!SIGNATURE.test(text))
    fail(
      'ERR_SIGV4_MALFORMED',
      `${name} expected 64 lowercase hex digits, got ${text.length} characters of another form`,
    );
}

/** The parts of an `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header. */
export interface AuthorizationParts {
  /** True for SigV4a (`AWS4-ECDSA-P256-SHA256 Credential=…`). */
  readonly v4a: boolean;
  readonly credential: string;
  readonly signedHeaders: string;
  readonly signature: string;
}

const AUTHORIZATION_FIELDS = new Set(['Credential', 'SignedHeaders', 'Signature']);

/**
 * Parses the Authorization header, SigV4's or SigV4a's. Fields are separated by `,` with or without spaces (SDKs write `, `, the S3
 * documentation `,`); each of the three must be there exactly once, and nothing else.
 */
export function readAuthorization(value: string): AuthorizationParts {
  if (value.length > MAX_AUTHORIZATION_LENGTH) {
    fail(
      'ERR_SIGV4_MALFORMED',
      `the authorization header expected at most ${MAX_AUTHORIZATION_LENGTH} characters, got ${value.length}`,
    );
  }
  const text = trimOws(value);
  const space = text.indexOf(' ');
  const scheme = space < 0 ? text : text.slice(0, space);
  if (scheme === 'AWS') failSigV2('Authorization: AWS <access key id>:<signature>');
  const v4a = readAlgorithm(scheme);
  const fields = new Map<string, string>();
  for (const part of text.slice(space + 1).split(',')) {
    const field = trimOws(part);
    const eq = field.indexOf('=');
    const name = field.slice(0, eq);
    if (eq < 0 || !AUTHORIZATION_FIELDS.has(name)) {
      // Only the field's name is echoed: its value may be signature material.
      const got = eq < 0 ? `${describe(field.slice(0, 24))} with no "="` : `a field named ${describe(name)}`;
      fail(
        'ERR_SIGV4_MALFORMED',
        `the authorization header expected Credential=…, SignedHeaders=…, Signature=…, got ${got}`,
      );
    }
    if (fields.has(name))
      fail('ERR_SIGV4_MALFORMED', `the authorization header expected one ${name} field, got more than one`);
    fields.set(name, field.slice(eq + 1));
  }
  const missing = [...AUTHORIZATION_FIELDS].filter((name) => !fields.has(name));
  if (missing.length > 0)
    fail('ERR_SIGV4_MALFORMED', `the authorization header expected a ${missing.join(', ')} field, got none`);
  return {
    v4a,
    credential: fields.get('Credential')!,
    signedHeaders: fields.get('SignedHeaders')!,
    signature: fields.get('Signature')!,
  };
}
