// Verifying a presigned POST, for a server that accepts browser uploads itself: the signature over the base64
// policy, then the policy's expiration and every condition against the submitted fields and the file's size,
// as S3 checks them. Everything read here is data from the network: every fault is a SigV4Error, every parser is
// one linear pass, and the fields are capped in size, so no form makes it hang.

import { fromBase64 } from '../core/base64.js';
import { checkAlgorithm, checkSignatureForm, failSigV2, parseCredential, readAmzDate } from '../core/authorization.js';
import { utf8 } from '../core/encoding.js';
import { describe, fail, invalidType, outOfRange, quoteText } from '../core/errors.js';
import { checkCache, signingKeyFor, type SigningKeyCache } from '../core/key-cache.js';
import { createSignature } from '../core/signature.js';
import { createCredentialScope } from '../core/string-to-sign.js';
import { timingSafeEqual } from '../core/webcrypto.js';
import {
  checkAccepted,
  checkNotExpired,
  checkNotYetValid,
  checkScope,
  checkSessionToken,
  checkSignal,
  lookUpCredentials,
  readClock,
} from '../verify/common.js';
import type { CredentialLookup, VerifiedSigner } from '../verify/types.js';
import { FILENAME, isExemptField, showRule, startsWith, startsWithAllowed, type Rule } from './policy.js';

/**
 * The most text a verifier reads from the fields before the file: names and values, in characters. S3 refuses
 * more than 20 KB there (MaxPostPreDataLengthExceeded).
 */
export const MAX_POST_FIELDS_LENGTH = 20480;

/** The submitted form, fields in the order received: a `FormData`, `[name, value]` pairs, or an object. */
export type PostFormInput =
  FormData | Iterable<readonly [string, string | Blob]> | Readonly<Record<string, string | Blob>>;

/** Options of {@link verifyPresignedPost}. */
export interface VerifyPresignedPostOptions {
  /**
   * The form as received, fields in order (e.g. `await request.formData()`). The file, if the form holds it
   * (a `File`/`Blob`, or text, in the `file` field), must come last; its size and name are read from it.
   */
  readonly form: PostFormInput;
  /**
   * The uploaded file's size in bytes, when `form` does not hold the file (a server that streams it). `null`:
   * not known yet; then `content-length-range` is not checked, and the result's `contentLengthRange` is for you to
   * enforce while the file streams in.
   */
  readonly fileSize?: number | null;
  /** The uploaded file's name, for `${filename}` in the key. Default: the name of the form's `File`. */
  readonly fileName?: string;
  /** The bucket the form was posted to, checked against the policy's `bucket` condition. */
  readonly bucket?: string;
  /** Finds the credentials for the access key id the form names. */
  readonly getCredentials: CredentialLookup;
  /** The region, or regions, this server accepts in the credential scope. */
  readonly region: string | readonly string[];
  /** The service signing name, or names, accepted. Default `s3`. */
  readonly service?: string | readonly string[];
  /** The time to check against, as a Date or epoch milliseconds. Default: now. */
  readonly now?: Date | number;
  /** Seconds the form's `x-amz-date` may be ahead of `now`. Default 900. */
  readonly clockSkew?: number;
  /** Signing key cache. Default: the shared one; `false` derives the key every time. */
  readonly cache?: SigningKeyCache | false;
  /** Ends the wait for `getCredentials` (see `VerifyOptions.signal`): the verifier rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/** A verified POST upload: who signed, and what the policy allowed and the form holds. */
export interface VerifiedPost extends VerifiedSigner {
  /** The policy's expiration. */
  readonly expiresAt: Date;
  /** The bucket checked against the policy: the `bucket` option, else the form's `bucket` field. */
  readonly bucket: string | undefined;
  /** The object key, with `${filename}` replaced by the file's name. */
  readonly key: string;
  /**
   * Every field before the file, names lowercased (`content-type`, `x-amz-meta-…`, `policy`…). Each one was
   * checked against the policy, except those AWS leaves unchecked (`policy`, `x-amz-signature`, `x-ignore-*`).
   */
  readonly fields: Readonly<Record<string, string>>;
  /**
   * The form's file part, the one whose size was checked (`fileSize`): store this one. Field names are
   * case-insensitive, so the file may have been sent as `File` or `FILE`, and `form.get('file')` (case-sensitive)
   * may be another part or none. Undefined when the form held no file (`fileSize` was passed instead).
   */
  readonly file: Blob | string | undefined;
  /** The file's size in bytes, or null when it was not known (`fileSize: null`). */
  readonly fileSize: number | null;
  /** The file's name, if known. */
  readonly fileName: string | undefined;
  /** The sizes the policy allows (both ends included), or undefined when it sets no range. */
  readonly contentLengthRange: { readonly min: number; readonly max: number } | undefined;
  /** The session token the form carried, if any (it matched the credentials'). */
  readonly sessionToken: string | undefined;
  /** The policy document, JSON text. */
  readonly policy: string;
}

interface Settings {
  readonly form: PostFormInput;
  readonly fileSize: number | null | undefined;
  readonly fileName: string | undefined;
  readonly bucket: string | undefined;
  readonly getCredentials: CredentialLookup;
  readonly regions: readonly string[];
  readonly services: readonly string[];
  readonly now: number;
  readonly clockSkew: number;
  readonly cache: SigningKeyCache | false | undefined;
  readonly signal: AbortSignal | undefined;
}

function readOptions(options: VerifyPresignedPostOptions): Settings {
  if (typeof options !== 'object' || options === null) invalidType('options', 'an object', options);
  const { form, fileSize, fileName, bucket, getCredentials, cache } = options;
  if (typeof form !== 'object' || form === null)
    invalidType('form', 'the form received: a FormData, [name, value] pairs or an object', form);
  if (fileSize !== undefined && fileSize !== null) {
    if (typeof fileSize !== 'number') invalidType('fileSize', 'a number of bytes, or null', fileSize);
    if (!Number.isSafeInteger(fileSize) || fileSize < 0)
      outOfRange('fileSize', 'an integer number of bytes from 0', fileSize);
  }
  if (fileName !== undefined && typeof fileName !== 'string') invalidType('fileName', 'a string', fileName);
  if (bucket !== undefined && (typeof bucket !== 'string' || bucket === ''))
    invalidType('bucket', 'a non-empty string', bucket);
  if (typeof getCredentials !== 'function')
    invalidType('getCredentials', 'a function (accessKeyId) => credentials | undefined', getCredentials);
  const regions = checkAccepted('region', options.region);
  const services = options.service === undefined ? ['s3'] : checkAccepted('service', options.service);
  const { now, clockSkew } = readClock(options);
  checkCache(cache);
  return {
    form,
    fileSize,
    fileName,
    bucket,
    getCredentials,
    regions,
    services,
    now,
    clockSkew,
    cache,
    signal: checkSignal(options.signal),
  };
}

const isBlob = (value: unknown): value is Blob =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Blob).size === 'number' &&
  typeof (value as Blob).arrayBuffer === 'function';

interface ReadForm {
  /** Lowercase name → value, for the fields before the file. */
  readonly fields: Map<string, string>;
  readonly file:
    { readonly value: Blob | string; readonly size: number; readonly name: string | undefined } | undefined;
}

/** Reads the fields in order, up to the file: each once, text only, within {@link MAX_POST_FIELDS_LENGTH}. */
function readForm(form: PostFormInput): ReadForm {
  const fields = new Map<string, string>();
  let file: ReadForm['file'];
  let total = 0;
  const one = (rawName: unknown, value: unknown): void => {
    if (typeof rawName !== 'string') invalidType('form', 'field names as strings', rawName);
    const name = rawName.toLowerCase();
    // S3 takes the first part named "file" in any case and ignores what follows; a server that stored another part
    // than the one checked would store unchecked bytes, so a second file part is refused, like any part after it.
    if (file !== undefined) {
      fail(
        'ERR_SIGV4_MALFORMED',
        name === 'file'
          ? `the form expected one ${describe(rawName)} field, got more than one (names are case-insensitive)`
          : `the form expected the file last, got the field ${describe(rawName)} after it`,
      );
    }
    if (name === 'file') {
      if (isBlob(value)) {
        const fileName = (value as { name?: unknown }).name;
        file = { value, size: value.size, name: typeof fileName === 'string' ? fileName : undefined };
      } else if (typeof value === 'string') {
        file = { value, size: utf8(value).length, name: undefined };
      } else {
        invalidType('form["file"]', 'a File, Blob or string', value);
      }
      return;
    }
    if (isBlob(value))
      fail(
        'ERR_SIGV4_MALFORMED',
        `the field ${describe(rawName)} expected text, got a file (the file goes in the "file" field)`,
      );
    if (typeof value !== 'string')
      invalidType(`form[${quoteText(rawName)}]`, 'a string, or a File or Blob for "file"', value);
    total += rawName.length + value.length;
    if (total > MAX_POST_FIELDS_LENGTH) {
      fail(
        'ERR_SIGV4_MALFORMED',
        `the fields before the file expected at most ${MAX_POST_FIELDS_LENGTH} characters in all, got more`,
      );
    }
    if (fields.has(name))
      fail(
        'ERR_SIGV4_MALFORMED',
        `the form expected one ${describe(rawName)} field, got more than one (names are case-insensitive)`,
      );
    fields.set(name, value);
  };
  if (Symbol.iterator in form) {
    for (const pair of form as Iterable<unknown>) {
      if (!Array.isArray(pair) || pair.length !== 2) invalidType('form', '[name, value] pairs', pair);
      one(pair[0], pair[1]);
    }
  } else {
    for (const name of Object.keys(form)) one(name, (form as Record<string, unknown>)[name]);
  }
  return { fields, file };
}

const EXPIRATION = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z$/;

/** The policy's `expiration`: ISO 8601 in UTC (`2015-12-30T12:00:00.000Z`, milliseconds optional). */
function readExpiration(text: unknown): Date {
  const m = typeof text === 'string' ? EXPIRATION.exec(text) : null;
  const date = m
    ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${(m[7] ?? '.000').slice(0, 4).padEnd(4, '0')}Z`)
    : undefined;
  // Equal text means a real date that Date did not roll over (31 February).
  if (
    !m ||
    !date ||
    Number.isNaN(date.getTime()) ||
    date.toISOString().slice(0, 19) !== `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`
  ) {
    return fail(
      'ERR_SIGV4_POLICY',
      `the policy's expiration expected an ISO 8601 UTC date such as "2015-12-30T12:00:00.000Z", got ${describe(text)}`,
    );
  }
  return date;
}

/** A content-length-range bound: an integer from 0, as a JSON number or decimal text. */
const readBound = (value: unknown): number | undefined =>
  Number.isSafeInteger(value) && (value as number) >= 0
    ? (value as number)
    : typeof value === 'string' && /^\d{1,15}$/.test(value)
      ? Number(value)
      : undefined;

/** JSON text of a value, two levels deep at most (a policy may nest arrays thousands deep), for messages. */
function preview(value: unknown, depth = 2): string {
  const more = (n: number): string => (n > 4 ? ',…' : '');
  if (Array.isArray(value))
    return depth === 0
      ? '[…]'
      : `[${value
          .slice(0, 4)
          .map((v) => preview(v, depth - 1))
          .join(',')}${more(value.length)}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (depth === 0) return '{…}';
    return `{${entries
      .slice(0, 4)
      .map(([k, v]) => `${JSON.stringify(k)}:${preview(v, depth - 1)}`)
      .join(',')}${more(entries.length)}}`;
  }
  return JSON.stringify(value) ?? String(value);
}

/** One condition of the policy as rules (an object may hold several exact conditions). */
function readPolicyCondition(condition: unknown, index: number): Rule[] {
  const bad = (expected: string): never =>
    fail(
      'ERR_SIGV4_POLICY',
      `the policy's condition ${index} expected ${expected}, got ${describe(preview(condition))}`,
    );
  if (Array.isArray(condition)) {
    if (condition.length !== 3) bad('[operator, "$field", value] or ["content-length-range", min, max]');
    const [op, target, value] = condition as [unknown, unknown, unknown];
    if (op === 'content-length-range') {
      const min = readBound(target);
      const max = readBound(value);
      if (min === undefined || max === undefined || min > max)
        bad('["content-length-range", min, max] with integers 0 ≤ min ≤ max');
      return [{ kind: 'content-length-range', min: min!, max: max! }];
    }
    if (op !== 'eq' && op !== 'starts-with') bad('the operator "eq", "starts-with" or "content-length-range"');
    if (typeof target !== 'string' || !target.startsWith('$') || typeof value !== 'string')
      bad('[operator, "$field", "value"]');
    const field = (target as string).slice(1).toLowerCase();
    if (op === 'starts-with' && startsWithAllowed(field) === false)
      bad(`an exact condition on ${describe(field)}, which S3 does not match by starts-with`);
    return [{ kind: op as 'eq' | 'starts-with', field, value: value as string }];
  }
  if (typeof condition !== 'object' || condition === null) return bad('{ "field": "value" } or an array');
  const entries = Object.entries(condition);
  if (entries.length === 0) bad('{ "field": "value" }');
  return entries.map(([field, value]) => {
    if (typeof value !== 'string') bad('{ "field": "value" } with a string value');
    return { kind: 'eq', field: field.toLowerCase(), value: value as string };
  });
}

/** Decodes and reads the policy (signed, so a fault here is the signer's): expiration and conditions. */
function readPolicy(bytes: Uint8Array): { text: string; expiresAt: Date; rules: Rule[] } {
  let text: string;
  let doc: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    doc = JSON.parse(text);
  } catch (error) {
    return fail('ERR_SIGV4_POLICY', 'the policy expected base64 of UTF-8 JSON, got other bytes', error);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    fail('ERR_SIGV4_POLICY', 'the policy expected a JSON object { expiration, conditions }');
  const { expiration, conditions } = doc as Record<string, unknown>;
  const expiresAt = readExpiration(expiration);
  if (!Array.isArray(conditions))
    fail('ERR_SIGV4_POLICY', `the policy expected an array of conditions, got ${describe(conditions)}`);
  return { text, expiresAt, rules: conditions.flatMap(readPolicyCondition) };
}

const REQUIRED = ['policy', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-signature', 'key'] as const;

/**
 * Verifies a browser upload made with a presigned POST ({@link createPresignedPost}, or any SigV4 POST policy):
 * the fields' algorithm, credential scope and date, the access key, the signature over the `policy` field
 * (compared in constant time), the session token, then the policy's expiration, and every condition against the
 * fields and the file, as S3 does: each field must satisfy every condition that names it, each field (but
 * `policy`, `x-amz-signature`, `file` and `x-ignore-*`) must be named by one, and the file's size must be within
 * `content-length-range`. Field names are case-insensitive, values are compared exactly, `${filename}` in the
 * key is replaced by the file's name before the key is checked. The file must be the last field: a field after it
 * is refused (S3 ignores such fields; a server that read them would trust unchecked data), and so is a second file
 * part (`file` and `File`): store `result.file`, the part whose size was checked.
 *
 * @returns who signed, the key, the fields (names lowercased), the file part that was checked, its size and the policy.
 * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`) for invalid options.
 * @throws SigV4Error with a `code` for a form that does not verify: `ERR_SIGV4_MALFORMED`, `ERR_SIGV4_ALGORITHM` (also for a SigV2 form),
 * `ERR_SIGV4_DATE`, `ERR_SIGV4_CREDENTIAL`, `ERR_SIGV4_SCOPE`, `ERR_SIGV4_REGION`, `ERR_SIGV4_SERVICE`,
 * `ERR_SIGV4_NOT_YET_VALID`, `ERR_SIGV4_UNKNOWN_ACCESS_KEY`, `ERR_SIGV4_SIGNATURE_MISMATCH`,
 * `ERR_SIGV4_SESSION_TOKEN`, `ERR_SIGV4_POLICY`, `ERR_SIGV4_EXPIRED`, `ERR_SIGV4_POLICY_CONDITION`,
 * `ERR_SIGV4_ENTITY_TOO_SMALL`, `ERR_SIGV4_ENTITY_TOO_LARGE`. No message holds a secret, a derived key, the
 * expected signature or a session token.
 * @example
 * const form = await request.formData(); // a Worker's Request
 * const verified = await verifyPresignedPost({
 *   form, bucket: 'uploads', region: 'us-east-1', getCredentials: (id) => keys.get(id),
 * });
 * await store(verified.key, verified.file, verified.fields['content-type']); // the part checked, not form.get('file')
 */
export async function verifyPresignedPost(options: VerifyPresignedPostOptions): Promise<VerifiedPost> {
  const settings = readOptions(options);
  const { fields, file } = readForm(settings.form);

  let fileSize: number | null;
  if (file !== undefined) {
    if (typeof settings.fileSize === 'number' && settings.fileSize !== file.size) {
      outOfRange('fileSize', `the size of the form's file (${file.size} bytes)`, settings.fileSize);
    }
    fileSize = file.size;
  } else {
    if (settings.fileSize === undefined)
      fail(
        'ERR_SIGV4_MALFORMED',
        'the form expected a "file" field, got none (pass fileSize when the file is not in the form)',
      );
    fileSize = settings.fileSize;
  }
  const fileName = settings.fileName ?? file?.name;

  // boto3's default generate_presigned_post signs with SigV2: AWSAccessKeyId, signature and policy fields.
  if (!fields.has('x-amz-algorithm') && fields.has('awsaccesskeyid') && fields.has('signature'))
    failSigV2('AWSAccessKeyId/signature fields in the form');
  const missing = REQUIRED.filter((name) => !fields.has(name));
  if (missing.length > 0)
    fail(
      'ERR_SIGV4_MALFORMED',
      `the form expected the fields ${missing.join(', ')}, got none (is it a presigned POST?)`,
    );
  const field = (name: (typeof REQUIRED)[number] | 'x-amz-security-token'): string => fields.get(name)!;

  checkAlgorithm(field('x-amz-algorithm'));
  const amzDate = field('x-amz-date');
  const signingDate = readAmzDate('x-amz-date', amzDate);
  const credential = parseCredential('x-amz-credential', field('x-amz-credential'), amzDate);
  checkScope(settings, credential);
  const signature = field('x-amz-signature');
  checkSignatureForm('x-amz-signature', signature);
  checkNotYetValid(settings, signingDate, 'the form');
  const policyText = field('policy');
  const policyBytes = fromBase64(policyText);
  if (policyBytes === undefined || policyBytes.length === 0) {
    fail(
      'ERR_SIGV4_MALFORMED',
      `the policy field expected base64 (RFC 4648, padded), got ${policyText.length} characters of another form`,
    );
  }

  // The key and the signature.
  const credentials = await lookUpCredentials(settings.getCredentials, credential.accessKeyId, settings.signal);
  const key = await signingKeyFor(credentials, credential.date, credential.region, credential.service, settings.cache);
  if (!timingSafeEqual(signature, await createSignature(key, policyText))) {
    fail(
      'ERR_SIGV4_SIGNATURE_MISMATCH',
      'the signature does not match the policy (check the secret and that the policy field reached the server unchanged)',
    );
  }
  const sessionToken = fields.get('x-amz-security-token');
  checkSessionToken(credentials.sessionToken, sessionToken, 'the form');

  // The policy: expiration, then each condition, then that every field is named, then the file's size.
  const policy = readPolicy(policyBytes);
  checkNotExpired(settings.now, policy.expiresAt.getTime(), `the policy expired at ${policy.expiresAt.toISOString()}`);

  let objectKey = field('key');
  if (objectKey.includes(FILENAME)) {
    if (fileName === undefined || fileName === '')
      fail('ERR_SIGV4_MALFORMED', 'the key holds ${filename}, but the file has no name');
    objectKey = objectKey.replaceAll(FILENAME, fileName);
  }
  if (objectKey === '') fail('ERR_SIGV4_MALFORMED', 'the form expected a non-empty key');
  const formBucket = fields.get('bucket');
  const bucket = settings.bucket ?? formBucket;
  if (settings.bucket !== undefined && formBucket !== undefined && formBucket !== settings.bucket) {
    fail(
      'ERR_SIGV4_POLICY_CONDITION',
      `the bucket field expected the bucket posted to, ${describe(settings.bucket)}, got ${describe(formBucket)}`,
    );
  }

  const named = new Set<string>();
  let min = 0;
  let max = Infinity;
  let range = false;
  for (const rule of policy.rules) {
    if (rule.kind === 'content-length-range') {
      range = true;
      min = Math.max(min, rule.min);
      max = Math.min(max, rule.max);
      continue;
    }
    named.add(rule.field);
    if (rule.field === 'bucket' && bucket === undefined) {
      fail(
        'ERR_SIGV4_POLICY_CONDITION',
        `the policy expected the bucket ${describe(rule.value)}, and the bucket posted to is not known (pass the bucket option)`,
      );
    }
    const value = rule.field === 'key' ? objectKey : rule.field === 'bucket' ? bucket! : (fields.get(rule.field) ?? '');
    const ok = rule.kind === 'eq' ? value === rule.value : startsWith(rule.field, value, rule.value);
    if (!ok) {
      const got =
        rule.field === 'x-amz-security-token'
          ? 'another value'
          : fields.has(rule.field) || rule.field === 'key' || rule.field === 'bucket'
            ? describe(value)
            : 'no such field';
      fail(
        'ERR_SIGV4_POLICY_CONDITION',
        `the field ${quoteText(rule.field)} expected ${rule.kind === 'eq' ? 'to equal' : 'to start with'} the policy's value ${showRule(rule)}, got ${got}`,
      );
    }
  }
  for (const name of fields.keys()) {
    if (!isExemptField(name) && !named.has(name)) {
      fail(
        'ERR_SIGV4_POLICY_CONDITION',
        `the field ${describe(name)} expected to be named by a condition of the policy (every field but policy, x-amz-signature, file and x-ignore-* must be), got none`,
      );
    }
  }
  if (range && fileSize !== null) {
    if (fileSize < min)
      fail(
        'ERR_SIGV4_ENTITY_TOO_SMALL',
        `the file expected at least ${min} bytes (content-length-range), got ${fileSize}`,
      );
    if (fileSize > max)
      fail(
        'ERR_SIGV4_ENTITY_TOO_LARGE',
        `the file expected at most ${max} bytes (content-length-range), got ${fileSize}`,
      );
  }

  return {
    accessKeyId: credential.accessKeyId,
    credentialScope: createCredentialScope(credential.date, credential.region, credential.service),
    region: credential.region,
    service: credential.service,
    signingDate,
    amzDate,
    expiresAt: policy.expiresAt,
    bucket,
    key: objectKey,
    fields: Object.fromEntries(fields),
    file: file?.value,
    fileSize,
    fileName,
    contentLengthRange: range ? { min, max } : undefined,
    sessionToken,
    policy: policy.text,
  };
}
