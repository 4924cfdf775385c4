// Credentials: the caller's access key id, secret and session token, validated on every call.

import { checkString } from './check.js';
import { invalidType, optionError } from './errors.js';
import { SCOPE_PART, SESSION_TOKEN } from './rules.js';

/** AWS credentials. A `sessionToken` comes with temporary (STS) credentials. */
export interface Credentials {
  /** The access key id, e.g. `AKIAIOSFODNN7EXAMPLE`: visible ASCII without "/", "," or spaces. */
  readonly accessKeyId: string;
  /** The secret access key. Never shown in an error message. */
  readonly secretAccessKey: string;
  /** The session token of temporary credentials (`X-Amz-Security-Token`). Never shown in an error message. */
  readonly sessionToken?: string | undefined;
}

/** Validates credentials (the secret and token are never shown in an error) and returns a copy. */
export function checkCredentials(value: unknown): Credentials {
  if (typeof value !== 'object' || value === null) {
    // Described by kind only: a caller who passed the secret here must not see it echoed.
    invalidType('credentials', 'an object { accessKeyId, secretAccessKey, sessionToken? }', value, true);
  }
  const c = value as Record<string, unknown>;
  const accessKeyId = checkString('credentials.accessKeyId', c['accessKeyId']);
  if (!SCOPE_PART.test(accessKeyId))
    invalidType('credentials.accessKeyId', 'visible ASCII without "/", "," or spaces', accessKeyId);
  const secretAccessKey = checkString('credentials.secretAccessKey', c['secretAccessKey'], true);
  const token = c['sessionToken'];
  if (token !== undefined && !SESSION_TOKEN.test(checkString('credentials.sessionToken', token, true))) {
    optionError('"credentials.sessionToken" expected visible ASCII without spaces, got other characters');
  }
  return token === undefined
    ? { accessKeyId, secretAccessKey }
    : { accessKeyId, secretAccessKey, sessionToken: token as string };
}
