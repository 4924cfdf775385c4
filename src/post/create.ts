// Presigned POST (browser-based uploads, AWS "POST policy"): the string to sign is the base64 of a JSON policy
// that lists what the form may hold, signed with the same SigV4 signing key as any request (no canonical request).
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html

import { toBase64 } from '../core/base64.js';
import { checkScopePart } from '../core/check.js';
import { ALGORITHM, MAX_EXPIRES_IN } from '../core/constants.js';
import { checkCredentials, type Credentials } from '../core/credentials.js';
import { toAmzDate, toSigningDate } from '../core/date.js';
import { hasLoneSurrogate, utf8 } from '../core/encoding.js';
import { describe, invalidType, optionError, outOfRange, quoteText } from '../core/errors.js';
import { checkCache, signingKeyFor, type SigningKeyCache } from '../core/key-cache.js';
import { CONTROL } from '../core/rules.js';
import { createSignature } from '../core/signature.js';
import { createCredentialScope } from '../core/string-to-sign.js';
import { parseUrl } from '../core/url.js';
import {
  FILENAME,
  showRule,
  startsWith,
  startsWithAllowed,
  type PostPolicyCondition,
  type PostPolicyField,
  type Rule,
} from './policy.js';

/** Options of {@link signPostPolicy}. */
export interface SignPostPolicyOptions {
  /** The policy: JSON text (signed as its UTF-8 bytes, exactly as given, line endings included) or its bytes. */
  readonly policy: string | Uint8Array;
  /** The signer's credentials: only their secret and session token are used, never shown in an error. */
  readonly credentials: Credentials;
  /** Region in the credential scope, e.g. `us-east-1`. */
  readonly region: string;
  /** Service in the credential scope. Default `s3`. */
  readonly service?: string;
  /**
   * The signing time, which must be the policy's `x-amz-date` condition: its day picks the signing key. Default:
   * now.
   */
  readonly signingDate?: Date | number | string;
  /** Signing key cache. Default: the shared one; `false` derives the key every time. */
  readonly cache?: SigningKeyCache | false;
}

/** What {@link signPostPolicy} returns. */
export interface SignedPostPolicy {
  /** The `policy` form field: base64 of the policy's bytes. It is also the string to sign. */
  readonly policy: string;
  /** The `x-amz-signature` form field: lowercase hex HMAC-SHA256 of `policy` with the signing key. */
  readonly signature: string;
  /** The `x-amz-credential` form field: `<access key id>/<YYYYMMDD>/<region>/<service>/aws4_request`. */
  readonly credential: string;
  /** `YYYYMMDD/region/service/aws4_request` */
  readonly credentialScope: string;
  /** The `x-amz-date` form field, `YYYYMMDD'T'HHMMSS'Z'`. */
  readonly amzDate: string;
}

interface Scope {
  readonly credentials: Credentials;
  readonly region: string;
  readonly service: string;
  readonly signingDate: Date;
  readonly cache: SigningKeyCache | false | undefined;
}

function readScope(options: {
  credentials?: unknown;
  region?: unknown;
  service?: unknown;
  signingDate?: unknown;
  cache?: unknown;
}): Scope {
  return {
    region: checkScopePart('region', options.region),
    service: options.service === undefined ? 's3' : checkScopePart('service', options.service),
    credentials: checkCredentials(options.credentials),
    signingDate: toSigningDate(options.signingDate),
    cache: checkCache(options.cache),
  };
}

async function sign(policyBytes: Uint8Array, scope: Scope): Promise<SignedPostPolicy> {
  const amzDate = toAmzDate(scope.signingDate);
  const credentialScope = createCredentialScope(amzDate.slice(0, 8), scope.region, scope.service);
  const policy = toBase64(policyBytes);
  const key = await signingKeyFor(scope.credentials, amzDate.slice(0, 8), scope.region, scope.service, scope.cache);
  return {
    policy,
    signature: await createSignature(key, policy),
    credential: `${scope.credentials.accessKeyId}/${credentialScope}`,
    credentialScope,
    amzDate,
  };
}

/**
 * Signs a POST policy given as text or bytes, as it is: the lower-level half of {@link createPresignedPost}, for
 * a policy written by hand or by another tool. Nothing in the policy is read or checked; it must hold the
 * `x-amz-algorithm`, `x-amz-credential` and `x-amz-date` conditions that match what this returns.
 *
 * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`) for invalid options, before any crypto.
 * @example
 * const signed = await signPostPolicy({ policy: policyJson, credentials, region: 'us-east-1', signingDate: '2015-12-29T00:00:00Z' });
 * // signed.policy (base64), signed.signature: the `policy` and `x-amz-signature` form fields
 */
export async function signPostPolicy(options: SignPostPolicyOptions): Promise<SignedPostPolicy> {
  if (typeof options !== 'object' || options === null) invalidType('options', 'an object', options);
  const { policy } = options;
  if (typeof policy === 'string') {
    if (policy === '') invalidType('policy', 'the policy as non-empty JSON text or bytes', policy);
    if (hasLoneSurrogate(policy)) optionError('"policy" expected well-formed Unicode, got a lone UTF-16 surrogate');
  } else if (!(policy instanceof Uint8Array) || policy.length === 0) {
    invalidType('policy', 'the policy as non-empty JSON text or bytes (Uint8Array)', policy);
  }
  const scope = readScope(options);
  return sign(typeof policy === 'string' ? utf8(policy) : policy, scope);
}

// ---- createPresignedPost ----

/** Options of {@link createPresignedPost}. */
export interface PresignedPostOptions {
  /**
   * The form's action: the URL the browser posts to, e.g. `https://examplebucket.s3.us-east-1.amazonaws.com/`
   * (taken as given). Give this, or `endpoint` with `bucket`.
   */
  readonly url?: string | URL;
  /** An S3-compatible endpoint, `scheme://host[:port]`: the form posts to `${endpoint}/${bucket}` (path style). */
  readonly endpoint?: string | URL;
  /** The bucket: adds the `{"bucket": …}` condition, and with `endpoint` makes the URL. */
  readonly bucket?: string;
  /**
   * The object key, sent as the `key` field. It may hold `${filename}`, which S3 replaces with the name of the
   * uploaded file: the policy then allows any key that starts with the text before it.
   */
  readonly key?: string;
  /**
   * Allow any key that starts with this text (`["starts-with", "$key", …]`) instead of the exact `key`. Without
   * `key` the form must set the `key` field itself.
   */
  readonly keyStartsWith?: string;
  /** Further conditions (content-length-range, Content-Type, metadata, acl, redirect…), in AWS's JSON form. */
  readonly conditions?: readonly PostPolicyCondition[];
  /**
   * Form fields to send (acl, Content-Type, success_action_status, x-amz-meta-*…): each becomes an exact
   * condition, unless `conditions` already has one for it, which its value must then satisfy.
   */
  readonly fields?: Readonly<Record<string, string | number>>;
  /** Seconds the policy stays valid: an integer from 1 to 604800 (7 days). Default 3600. */
  readonly expiresIn?: number;
  /** The signer's credentials: only their secret and session token are used, never shown in an error. */
  readonly credentials: Credentials;
  /** Region of the bucket, e.g. `us-east-1`. */
  readonly region: string;
  /** Service signing name. Default `s3`. */
  readonly service?: string;
  /** The signing time. Default: now. */
  readonly signingDate?: Date | number | string;
  /** Signing key cache. Default: the shared one; `false` derives the key every time. */
  readonly cache?: SigningKeyCache | false;
}

/** What {@link createPresignedPost} returns. */
export interface PresignedPost {
  /** Where the form posts to (`<form action>`, or the URL of `fetch(url, { method: 'POST', body: formData })`). */
  readonly url: string;
  /**
   * The form fields, in order: the caller's fields, `key`, `x-amz-algorithm`, `x-amz-credential`, `x-amz-date`,
   * `x-amz-security-token` (with temporary credentials), `policy`, `x-amz-signature`. Append the file last, as
   * `file`: S3 ignores every field after it.
   */
  readonly fields: Readonly<Record<string, string>>;
  /** The policy document, JSON text (its base64 is `fields.policy`). */
  readonly policy: string;
  /** The policy's conditions, as signed. */
  readonly conditions: readonly PostPolicyCondition[];
  /** The policy's expiration. */
  readonly expiresAt: Date;
  /** `YYYYMMDD'T'HHMMSS'Z'` */
  readonly amzDate: string;
  /** `YYYYMMDD/region/service/aws4_request` */
  readonly credentialScope: string;
  /** The string to sign: the base64 policy. */
  readonly stringToSign: string;
  /** Lowercase hex HMAC-SHA256 of the base64 policy. */
  readonly signature: string;
}

// Fields the signer writes, and fields with their own option.
const SIGNER_FIELDS = new Set([
  'policy',
  'x-amz-signature',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-security-token',
]);
const BUCKET = /^[A-Za-z0-9._-]{1,255}$/;
const CANNED_ACLS = [
  'private',
  'public-read',
  'public-read-write',
  'aws-exec-read',
  'authenticated-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
  'log-delivery-write',
];

/** Text for a form field or a condition: a string without control characters or lone surrogates. */
function checkText(name: string, value: unknown, allowEmpty = true): string {
  if (typeof value !== 'string' || (!allowEmpty && value === ''))
    invalidType(name, allowEmpty ? 'a string' : 'a non-empty string', value);
  if (CONTROL.test(value)) invalidType(name, 'text without control characters (CR, LF, tab, NUL…)', value);
  if (hasLoneSurrogate(value)) optionError(`"${name}" expected well-formed Unicode, got a lone UTF-16 surrogate`);
  return value;
}

const FIELD_LIST =
  'acl, Cache-Control, Content-Type, Content-Disposition, Content-Encoding, Expires, success_action_redirect, redirect, success_action_status, tagging, x-amz-meta-*, x-amz-*';

/** A field name the caller may set or constrain: known to S3, not the signer's, not key/bucket (own options). */
function checkFieldName(name: string, raw: unknown, where: 'fields' | 'conditions'): string {
  if (typeof raw !== 'string') invalidType(name, 'a field name', raw);
  const field = raw.toLowerCase();
  if (SIGNER_FIELDS.has(field) || field === 'file') {
    optionError(
      `"${name}" expected no ${quoteText(raw)} field, which ${field === 'file' ? 'the form appends last' : 'the signer sets'}`,
    );
  }
  if (field === 'key' || field === 'bucket') {
    optionError(
      `"${name}" expected no ${quoteText(raw)} ${where === 'fields' ? 'field' : 'condition'}: use the ${field === 'key' ? 'key and keyStartsWith options' : 'bucket option'}`,
    );
  }
  if (where === 'fields' && field.startsWith('x-ignore-') && field.length > 9) return field;
  if (startsWithAllowed(field) === undefined) invalidType(name, `a POST form field (${FIELD_LIST})`, raw);
  return field;
}

/** Checks a value a field will hold (or a condition's exact value) against what S3 accepts for that field. */
function checkFieldValue(name: string, field: string, value: string): void {
  if (field === 'acl' && !CANNED_ACLS.includes(value))
    invalidType(name, `a canned ACL (${CANNED_ACLS.join(', ')})`, value);
  if (field === 'success_action_status' && !/^(?:200|201|204)$/.test(value))
    invalidType(name, '"200", "201" or "204"', value);
  if ((field === 'success_action_redirect' || field === 'redirect') && !/^https?:\/\/[^/?#\s]+/i.test(value)) {
    invalidType(name, 'an absolute http(s) URL', value);
  }
}

/** Validates one condition of the caller's and returns it as a rule, plus the JSON form to sign. */
function readCondition(index: number, condition: unknown): { rule: Rule; json: PostPolicyCondition } {
  const name = `conditions[${index}]`;
  if (Array.isArray(condition)) {
    const [op, target, value] = condition as unknown[];
    if (condition.length !== 3)
      invalidType(name, '[operator, "$field", value] or ["content-length-range", min, max]', condition);
    if (op === 'content-length-range') {
      const ok = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
      if (!ok(target) || !ok(value))
        invalidType(name, '["content-length-range", min, max] with integers from 0 to 2^53 - 1', condition);
      if (target > value) outOfRange(name, 'min ≤ max in ["content-length-range", min, max]', `[${target}, ${value}]`);
      return {
        rule: { kind: 'content-length-range', min: target, max: value },
        json: ['content-length-range', target, value],
      };
    }
    if (op !== 'eq' && op !== 'starts-with')
      invalidType(`${name}[0]`, '"eq", "starts-with" or "content-length-range"', op);
    if (typeof target !== 'string' || !target.startsWith('$'))
      invalidType(`${name}[1]`, 'a field name with a "$" before it, such as "$Content-Type"', target);
    const field = checkFieldName(`${name}[1]`, target.slice(1), 'conditions');
    const text = checkText(`${name}[2]`, value);
    if (op === 'starts-with' && startsWithAllowed(field) === false) {
      optionError(
        `"${name}" expected an exact condition on ${quoteText(target.slice(1))}, which S3 does not match by starts-with`,
      );
    }
    if (op === 'eq') checkFieldValue(`${name}[2]`, field, text);
    return { rule: { kind: op, field, value: text }, json: [op, target as `$${PostPolicyField}`, text] };
  }
  if (typeof condition !== 'object' || condition === null) {
    invalidType(name, '{ field: value }, [operator, "$field", value] or ["content-length-range", min, max]', condition);
  }
  const entries = Object.entries(condition);
  if (entries.length !== 1)
    invalidType(name, 'an object with exactly one field, such as { acl: "public-read" }', condition);
  const [target, value] = entries[0]!;
  const field = checkFieldName(name, target, 'conditions');
  const text = checkText(`${name}[${quoteText(target)}]`, value);
  checkFieldValue(`${name}[${quoteText(target)}]`, field, text);
  return { rule: { kind: 'eq', field, value: text }, json: { [target]: text } as PostPolicyCondition };
}

/** The form's action URL: `url` as given, or `${endpoint}/${bucket}`. */
function readAction(options: PresignedPostOptions, bucket: string | undefined): string {
  const { url, endpoint } = options;
  if (url !== undefined) {
    if (endpoint !== undefined) optionError('"url" and "endpoint" expected one or the other, got both');
    parseUrl(url);
    return url instanceof URL ? url.href : url;
  }
  if (endpoint === undefined) invalidType('url', 'the form action URL (or endpoint with bucket)', url);
  if (bucket === undefined) invalidType('bucket', 'a bucket name with endpoint', bucket);
  const { origin, rawPath, rawQuery } = parseUrl(endpoint);
  if (rawQuery !== undefined)
    invalidType(
      'endpoint',
      'scheme://host[:port][/path] without a query',
      endpoint instanceof URL ? endpoint.href : endpoint,
    );
  return `${origin}${rawPath.replace(/\/+$/, '')}/${bucket}`;
}

/**
 * Creates a presigned POST: a signed policy and the form fields that let a browser upload one file straight to
 * S3 (`<form method="post" enctype="multipart/form-data">` or `fetch` with a `FormData`), within the policy's
 * conditions, until it expires. The policy always holds the bucket (when given), the key, `x-amz-algorithm`,
 * `x-amz-credential`, `x-amz-date` and `x-amz-security-token` (with temporary credentials), as AWS requires.
 *
 * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`), before any crypto, for invalid options: the
 * message names the option, what was expected and what was received, and never shows a secret.
 * @example
 * const post = await createPresignedPost({
 *   url: 'https://examplebucket.s3.us-east-1.amazonaws.com/', bucket: 'examplebucket',
 *   key: 'uploads/alice/${filename}', region: 'us-east-1', credentials, expiresIn: 600,
 *   conditions: [['content-length-range', 1, 10 * 1024 * 1024], ['starts-with', '$Content-Type', 'image/']],
 *   fields: { 'Content-Type': 'image/jpeg', success_action_status: '201' },
 * });
 * const form = new FormData();
 * for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
 * form.append('file', file); // last
 * await fetch(post.url, { method: 'POST', body: form });
 */
export async function createPresignedPost(options: PresignedPostOptions): Promise<PresignedPost> {
  if (typeof options !== 'object' || options === null) invalidType('options', 'an object', options);
  const scope = readScope(options);
  const expiresIn = options.expiresIn === undefined ? 3600 : options.expiresIn;
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRES_IN) {
    outOfRange('expiresIn', `an integer 1..${MAX_EXPIRES_IN} (seconds)`, expiresIn);
  }
  const { bucket, key, keyStartsWith } = options;
  if (bucket !== undefined && (typeof bucket !== 'string' || !BUCKET.test(bucket))) {
    invalidType('bucket', 'a bucket name (letters, digits, ".", "-", "_")', bucket);
  }
  const url = readAction(options, bucket);

  // The key: exact, or a prefix (given, or the text before ${filename}).
  if (key === undefined && keyStartsWith === undefined) invalidType('key', 'the object key (or keyStartsWith)', key);
  if (key !== undefined) checkText('key', key, false);
  if (keyStartsWith !== undefined) checkText('keyStartsWith', keyStartsWith);
  if (key !== undefined && keyStartsWith !== undefined && !key.startsWith(keyStartsWith)) {
    invalidType('key', `a key that starts with keyStartsWith ${describe(keyStartsWith)}`, key);
  }
  const filename = key?.indexOf(FILENAME) ?? -1;
  const keyCondition: PostPolicyCondition =
    keyStartsWith !== undefined
      ? ['starts-with', '$key', keyStartsWith]
      : filename >= 0
        ? ['starts-with', '$key', key!.slice(0, filename)]
        : { key: key! };

  // The caller's conditions, then their fields: a field with no condition gets an exact one.
  const rules: Rule[] = [];
  const conditions: PostPolicyCondition[] = [];
  const { conditions: given = [], fields: givenFields = {} } = options;
  if (!Array.isArray(given)) invalidType('conditions', 'an array of conditions', given);
  given.forEach((condition, i) => {
    const { rule, json } = readCondition(i, condition);
    if (rule.kind === 'content-length-range' && rules.some((r) => r.kind === 'content-length-range')) {
      optionError(`"conditions[${i}]" expected one content-length-range condition in all, got a second`);
    }
    rules.push(rule);
    conditions.push(json);
  });
  if (typeof givenFields !== 'object' || givenFields === null || Array.isArray(givenFields)) {
    invalidType('fields', 'an object of form fields { name: value }', givenFields);
  }
  const fields: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [name, raw] of Object.entries(givenFields)) {
    const label = `fields[${quoteText(name)}]`;
    const field = checkFieldName('fields', name, 'fields');
    if (seen.has(field))
      optionError(`"fields" expected each field once, got ${quoteText(name)} twice (names are case-insensitive)`);
    seen.add(field);
    const value = checkText(label, typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw);
    checkFieldValue(label, field, value);
    fields[name] = value;
    if (field.startsWith('x-ignore-')) continue; // never checked by S3: no condition needed
    const own = rules.filter(
      (r): r is Extract<Rule, { field: string }> => r.kind !== 'content-length-range' && r.field === field,
    );
    for (const rule of own) {
      const ok = rule.kind === 'eq' ? value === rule.value : startsWith(field, value, rule.value);
      if (!ok) invalidType(label, `a value that satisfies the condition ${showRule(rule)}`, value);
    }
    if (own.length === 0) conditions.push({ [name]: value } as PostPolicyCondition);
  }

  const { credentials, signingDate } = scope;
  const amzDate = toAmzDate(signingDate);
  const credentialScope = createCredentialScope(amzDate.slice(0, 8), scope.region, scope.service);
  const signer: Record<string, string> = {
    'x-amz-algorithm': ALGORITHM,
    'x-amz-credential': `${credentials.accessKeyId}/${credentialScope}`,
    'x-amz-date': amzDate,
  };
  if (credentials.sessionToken !== undefined) signer['x-amz-security-token'] = credentials.sessionToken;
  const all: PostPolicyCondition[] = [
    ...(bucket === undefined ? [] : [{ bucket }]),
    keyCondition,
    ...conditions,
    ...Object.entries(signer).map(([name, value]) => ({ [name]: value }) as PostPolicyCondition),
  ];
  // Whole seconds, as X-Amz-Date, written with milliseconds as AWS writes it (2015-12-30T12:00:00.000Z).
  const expiresAt = new Date(Math.floor(signingDate.getTime() / 1000) * 1000 + expiresIn * 1000);
  if (expiresAt.getUTCFullYear() > 9999) outOfRange('expiresIn', 'an expiration before the year 10000', expiresIn);
  const policy = JSON.stringify({ expiration: expiresAt.toISOString(), conditions: all });
  const signed = await sign(utf8(policy), scope);
  return {
    url,
    fields: {
      ...fields,
      ...(key === undefined ? {} : { key }),
      ...signer,
      policy: signed.policy,
      'x-amz-signature': signed.signature,
    },
    policy,
    conditions: all,
    expiresAt,
    amzDate,
    credentialScope,
    stringToSign: signed.policy,
    signature: signed.signature,
  };
}
