// The POST policy model: the form fields S3 reads, the conditions on them, and how a value passes a condition.
// Shared by the signer (create.ts) and the verifier (verify.ts).

import { escapeUnsafe } from '../core/errors.js';

/** The placeholder S3 replaces with the uploaded file's name in the `key` field. */
export const FILENAME = '${filename}';

/** The REST headers a POST form may set, as AWS writes them. */
export type PostHeaderField = 'Cache-Control' | 'Content-Type' | 'Content-Disposition' | 'Content-Encoding' | 'Expires';

/**
 * A form field a POST policy condition can name. Names are case-insensitive (`Content-Type` and `content-type`
 * are one field); values are compared exactly.
 */
export type PostPolicyField =
  | 'acl'
  | 'bucket'
  | 'key'
  | PostHeaderField
  | Lowercase<PostHeaderField>
  | 'success_action_redirect'
  | 'redirect'
  | 'success_action_status'
  | 'tagging'
  | `x-amz-${string}`
  | `X-Amz-${string}`;

/**
 * A POST policy condition, in AWS's own JSON form:
 * - `{ "acl": "public-read" }` or `["eq", "$acl", "public-read"]`: the field must equal the value;
 * - `["starts-with", "$key", "user/alice/"]`: the field must start with the value (`""` allows any value). For
 *   `Content-Type`, a comma-separated list of types passes when each of them starts with the value;
 * - `["content-length-range", min, max]`: the file's size in bytes, both ends included.
 */
export type PostPolicyCondition =
  | Readonly<Partial<Record<PostPolicyField, string>>>
  | readonly ['eq' | 'starts-with', `$${PostPolicyField}`, string]
  | readonly ['content-length-range', number, number];

/**
 * Fields S3 reads from a POST, lowercase, and whether a condition may match them by `starts-with` (else only
 * exactly). `x-amz-meta-*` and the other `x-amz-*` fields allow both.
 */
const KNOWN_FIELDS: ReadonlyMap<string, boolean> = /* @__PURE__ */ new Map([
  ['acl', true],
  ['bucket', false],
  ['key', true],
  ['cache-control', true],
  ['content-type', true],
  ['content-disposition', true],
  ['content-encoding', true],
  ['expires', true],
  ['success_action_redirect', true],
  ['redirect', true],
  ['success_action_status', true],
  ['tagging', true],
  ['x-amz-algorithm', false],
  ['x-amz-credential', false],
  ['x-amz-date', false],
  ['x-amz-security-token', false],
]);

const AMZ_FIELD = /^x-amz-[!#$%&'*+\-.^_`|~0-9a-z]+$/; // x-amz- and an HTTP token (lowercase)

/**
 * Whether a condition may match the field (lowercase name) by `starts-with`; undefined for a field S3 does not
 * read from a POST form.
 */
export function startsWithAllowed(field: string): boolean | undefined {
  return KNOWN_FIELDS.get(field) ?? (AMZ_FIELD.test(field) ? true : undefined);
}

/** Fields that are never checked against the policy (AWS: "except x-amz-signature, file, policy, and x-ignore-*"). */
export const isExemptField = (field: string): boolean =>
  field === 'policy' || field === 'x-amz-signature' || field === 'file' || field.startsWith('x-ignore-');

/** Whether a value passes `starts-with`: for Content-Type, each type of a comma-separated list must. */
export function startsWith(field: string, value: string, prefix: string): boolean {
  if (field !== 'content-type' || !value.includes(',')) return value.startsWith(prefix);
  return value.split(',').every((type) => type.trim().startsWith(prefix));
}

/** A condition as the signer and verifier use it: the field lowercased, without its `$`. */
export type Rule =
  | { readonly kind: 'eq' | 'starts-with'; readonly field: string; readonly value: string }
  | { readonly kind: 'content-length-range'; readonly min: number; readonly max: number };

/** `{"acl":"x"}` as written in a condition, for messages. */
export const showRule = (rule: Rule): string =>
  rule.kind === 'content-length-range'
    ? JSON.stringify([rule.kind, rule.min, rule.max])
    : escapeUnsafe(
        JSON.stringify([
          rule.kind,
          `$${rule.field}`,
          rule.value.length > 80 ? `${rule.value.slice(0, 80)}…` : rule.value,
        ]),
      );
