// Checks of single values, shared by every entry's option reading: each returns the value or throws a TypeError
// ("expected …, got …", code ERR_SIGV4_INVALID_OPTION) before any crypto runs.

import { hasLoneSurrogate } from './encoding.js';
import { describe, invalidType, optionError, type Fault } from './errors.js';
import { PAYLOAD_HASH, SCOPE_PART } from './rules.js';

/** A non-empty string of well-formed Unicode. With `secret`, a wrong value is described by its kind only. */
export function checkString(name: string, value: unknown, secret = false): string {
  if (typeof value !== 'string' || value === '') {
    invalidType(name, 'a non-empty string', value, secret); // a secret is never echoed: only its kind
  }
  if (hasLoneSurrogate(value)) optionError(`"${name}" expected well-formed Unicode, got a lone UTF-16 surrogate`);
  return value;
}

/** A part of the credential scope (access key id, region, service): visible ASCII without "/" or ",". */
export function checkScopePart(name: string, value: unknown): string {
  if (!SCOPE_PART.test(checkString(name, value))) invalidType(name, 'visible ASCII without "/", "," or spaces', value);
  return value as string;
}

/** An optional boolean, `fallback` when undefined. */
export function checkBoolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') invalidType(name, 'a boolean', value);
  return value;
}

/**
 * The `payloadHash` option, or an `x-amz-content-sha256` header: a lowercase hex SHA-256, `UNSIGNED-PAYLOAD` or
 * `STREAMING-…`. A verifier reading a header passes its own `fault`.
 */
export function checkPayloadHash(name: string, value: unknown, fault: Fault = optionError): string {
  if (typeof value !== 'string' || !PAYLOAD_HASH.test(value)) {
    fault(
      `"${name}" expected a lowercase hex SHA-256 (64 characters), "UNSIGNED-PAYLOAD" or "STREAMING-…", got ${describe(value)}`,
    );
  }
  return value;
}
