// Credentials: the caller's access key id, secret and session token, validated once per object.

import { checkString } from './check.js';
import { invalidType, optionError } from './errors.js';
import { CREDENTIALS_SOURCE } from './key-cache.js';
import { SCOPE_PART, SESSION_TOKEN } from './rules.js';

/** AWS credentials. A `sessionToken` comes with temporary (STS) credentials. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

// The validated copy of a credentials object, kept with the object (so no longer than the caller keeps it): a run of
// calls with one object validates it once, and again when a field changes.
const validated = new WeakMap<object, Credentials>();

/** Validates credentials (the secret and token are never shown in an error) and returns a copy. */
export function checkCredentials(value: unknown): Credentials {
  const known = typeof value === 'object' && value !== null ? validated.get(value) : undefined;
  if (known) {
    const c = value as Credentials;
    if (c.accessKeyId === known.accessKeyId && c.secretAccessKey === known.secretAccessKey && c.sessionToken === known.sessionToken) return known;
  }
  if (typeof value !== 'object' || value === null) {
    // Described by kind only: a caller who passed the secret here must not see it echoed.
    invalidType('credentials', 'an object { accessKeyId, secretAccessKey, sessionToken? }', value, true);
  }
  const c = value as Record<string, unknown>;
  const accessKeyId = checkString('credentials.accessKeyId', c['accessKeyId']);
  if (!SCOPE_PART.test(accessKeyId)) invalidType('credentials.accessKeyId', 'visible ASCII without "/", "," or spaces', accessKeyId);
  const secretAccessKey = checkString('credentials.secretAccessKey', c['secretAccessKey'], true);
  const token = c['sessionToken'];
  if (token !== undefined && !SESSION_TOKEN.test(checkString('credentials.sessionToken', token, true))) {
    optionError('"credentials.sessionToken" expected visible ASCII without spaces, got other characters');
  }
  const copy = (token === undefined ? { accessKeyId, secretAccessKey, [CREDENTIALS_SOURCE]: value } : { accessKeyId, secretAccessKey, sessionToken: token, [CREDENTIALS_SOURCE]: value }) as unknown as Credentials;
  validated.set(value, copy);
  return copy;
}
