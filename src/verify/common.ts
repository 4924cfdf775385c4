// What every verifier checks the same way: the options they share (accepted scope, clock, signal), the credential
// scope, the time window, the credential lookup and the session token. verifyPresignedPost uses these too.

import type { CredentialParts } from '../core/authorization.js';
import type { Credentials } from '../core/credentials.js';
import { MAX_EXPIRES_IN } from '../core/constants.js';
import { describe, fail, invalidType, outOfRange } from '../core/errors.js';
import { timingSafeEqual } from '../core/webcrypto.js';
import type { CredentialLookup } from './types.js';

/** Seconds a request's date may be off the server's clock by default: 15 minutes, as AWS allows. */
export const DEFAULT_CLOCK_SKEW = 900;

/** The `region` and `service` options: one accepted name or a list of them. */
export function checkAccepted(name: string, value: unknown): readonly string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string' && v !== '')) {
    invalidType(name, 'a non-empty string or array of non-empty strings', value);
  }
  return list as readonly string[];
}

/** The `now` and `clockSkew` options of the verifiers: epoch milliseconds, and seconds from 0 to 7 days. */
export function readClock(options: { readonly now?: unknown; readonly clockSkew?: unknown }): {
  now: number;
  clockSkew: number;
} {
  const now =
    options.now === undefined ? Date.now() : options.now instanceof Date ? options.now.getTime() : options.now;
  if (typeof now !== 'number') invalidType('now', 'a Date or epoch milliseconds', options.now);
  if (!(Math.abs(now) <= 8.64e15)) outOfRange('now', 'a valid Date or epoch milliseconds', options.now);
  const clockSkew = options.clockSkew ?? DEFAULT_CLOCK_SKEW;
  if (typeof clockSkew !== 'number') invalidType('clockSkew', 'a number of seconds', clockSkew);
  if (!(clockSkew >= 0 && clockSkew <= MAX_EXPIRES_IN))
    outOfRange('clockSkew', `seconds from 0 to ${MAX_EXPIRES_IN}`, clockSkew);
  return { now, clockSkew };
}

const oneOf = (list: readonly string[]): string => list.map((item) => JSON.stringify(item)).join(' or ');

/** The credential scope's region and service against the accepted ones. */
export function checkScope(
  accepted: { readonly regions: readonly string[]; readonly services: readonly string[] },
  { region, service }: CredentialParts,
): void {
  if (!accepted.regions.includes(region)) {
    fail(
      'ERR_SIGV4_REGION',
      `the credential scope region expected ${oneOf(accepted.regions)}, got ${describe(region)}`,
    );
  }
  if (!accepted.services.includes(service)) {
    fail(
      'ERR_SIGV4_SERVICE',
      `the credential scope service expected ${oneOf(accepted.services)}, got ${describe(service)}`,
    );
  }
}

/**
 * SigV4a: the first accepted region that the signed region set includes (`*` includes every region), which stands
 * for the scope's region in {@link checkScope} and in the result.
 */
export function regionInSet(accepted: { readonly regions: readonly string[] }, regionSet: readonly string[]): string {
  const region = accepted.regions.find((r) => regionSet.includes(r) || regionSet.includes('*'));
  if (region === undefined) {
    fail(
      'ERR_SIGV4_REGION',
      `the region set expected to include ${oneOf(accepted.regions)} (or "*"), got ${describe(regionSet.join(','))}`,
    );
  }
  return region;
}

/** Epoch milliseconds as ISO 8601, for messages. */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** Not signed later than `now` + clock skew. `subject` names what was signed in the message ("the request", "the form"). */
export function checkNotYetValid(
  { now, clockSkew }: { readonly now: number; readonly clockSkew: number },
  signingDate: Date,
  subject: string,
): void {
  const signedAt = signingDate.getTime();
  if (now < signedAt - clockSkew * 1000) {
    fail(
      'ERR_SIGV4_NOT_YET_VALID',
      `${subject} is dated ${iso(signedAt)}, more than ${clockSkew} s after now (${iso(now)})`,
    );
  }
}

/** Not used after `notAfter` (epoch milliseconds); `late` says why, before "; now is …". */
export function checkNotExpired(now: number, notAfter: number, late: string): void {
  if (now > notAfter) fail('ERR_SIGV4_EXPIRED', `${late}; now is ${iso(now)}`);
}

/** The `signal` option: an AbortSignal (one from another realm too, so recognized by its shape), or undefined. */
export function checkSignal(value: unknown): AbortSignal | undefined {
  const s = value as Partial<AbortSignal> | undefined;
  if (
    value !== undefined &&
    (typeof s !== 'object' || s === null || typeof s.aborted !== 'boolean' || typeof s.addEventListener !== 'function')
  ) {
    invalidType('signal', 'an AbortSignal', value);
  }
  return s as AbortSignal | undefined;
}

/**
 * Calls the lookup and waits for it, or for `signal` to abort: then rejects with its reason, as fetch does, and lets
 * go of the lookup (nothing of the request stays held by a lookup that never answers).
 */
async function awaitLookup(
  getCredentials: CredentialLookup,
  accessKeyId: string,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  if (signal === undefined) return getCredentials(accessKeyId, { signal });
  if (signal.aborted) throw signal.reason;
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) =>
    signal.addEventListener('abort', (onAbort = () => reject(signal.reason))),
  );
  try {
    return await Promise.race([getCredentials(accessKeyId, { signal }), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Calls the credential lookup for an access key id already checked by {@link parseCredential}, and reads what it
 * returns. Unknown: `undefined` or `null`, and also what a plain-object lookup (`(id) => keys[id]`) finds for
 * `__proto__`, `constructor`, `toString`, `hasOwnProperty`, `valueOf`…: `Object.prototype` or a function, which no
 * lookup returns as credentials. Anything else that is not credentials (a string, a number, an object without
 * a secretAccessKey) is a programming mistake, and stays a TypeError.
 */
export async function lookUpCredentials(
  getCredentials: CredentialLookup,
  accessKeyId: string,
  signal: AbortSignal | undefined,
): Promise<Credentials> {
  const found: unknown = await awaitLookup(getCredentials, accessKeyId, signal);
  if (found === undefined || found === null || typeof found === 'function' || found === Object.prototype) {
    fail('ERR_SIGV4_UNKNOWN_ACCESS_KEY', `the access key id ${describe(accessKeyId)} is unknown`);
  }
  return readFoundCredentials(found, accessKeyId);
}

export function readFoundCredentials(found: unknown, accessKeyId: string): Credentials {
  // Only types are described: a lookup that returns the wrong thing may well return the secret itself.
  if (typeof found !== 'object')
    invalidType('getCredentials()', 'to return { secretAccessKey, sessionToken? } or undefined', found, true);
  const { secretAccessKey, sessionToken } = found as Record<string, unknown>;
  if (typeof secretAccessKey !== 'string' || secretAccessKey === '') {
    invalidType('getCredentials().secretAccessKey', 'a non-empty string', secretAccessKey, true);
  }
  if (sessionToken !== undefined && typeof sessionToken !== 'string') {
    invalidType('getCredentials().sessionToken', 'a string or undefined', sessionToken, true);
  }
  return { accessKeyId, secretAccessKey, sessionToken } as Credentials;
}

/**
 * Temporary credentials come with a token the request must carry (compared in constant time), and only they do.
 * `subject` names what was signed in the message ("the request", "the form").
 */
export function checkSessionToken(expected: string | undefined, received: string | undefined, subject: string): void {
  if (expected !== undefined && received === undefined) {
    fail('ERR_SIGV4_SESSION_TOKEN', `${subject} expected the session token of its temporary credentials, got none`);
  }
  if (expected === undefined && received !== undefined) {
    fail('ERR_SIGV4_SESSION_TOKEN', `${subject} carries a session token, but its credentials have none`);
  }
  if (expected !== undefined && received !== undefined && !timingSafeEqual(received, expected)) {
    fail('ERR_SIGV4_SESSION_TOKEN', 'the session token does not match the credentials');
  }
}
