// Task 3 of the SigV4 signing process: derive the signing key, and cache it without ever keying by the secret.

import { hmacRaw, importHmacKey } from './crypto.js';
import { toHex, utf8 } from './encoding.js';
import { sha256 } from './sha256.js';
import type { Credentials } from './types.js';

/**
 * The SigV4 signing key: HMAC chain of `"AWS4" + secret` over the date (YYYYMMDD), region, service and
 * `aws4_request`. Returns the 32 raw key bytes; treat them as a secret.
 */
export async function deriveSigningKey(secretAccessKey: string, date: string, region: string, service: string): Promise<Uint8Array> {
  let key = await hmacRaw(utf8('AWS4' + secretAccessKey), date);
  key = await hmacRaw(key, region);
  key = await hmacRaw(key, service);
  return new Uint8Array(await hmacRaw(key, 'aws4_request'));
}

// The cache tells secrets apart by their SHA-256, so it never holds a secret, and two secrets for one access key
// id (a rotated key, or a forged one) can never share a derived key. Plain-JS SHA-256 of a 40-byte secret is
// one compression, a microsecond: far less than the Web Crypto call it saves.
// 128 of the 256 bits are plenty to tell secrets apart, and keep the cache's keys short.
const fingerprint = (secret: string): string => toHex(sha256(utf8(secret)).subarray(0, 16));

/** On a validated copy of credentials: the caller's object it was copied from. */
export const CREDENTIALS_SOURCE: unique symbol = Symbol('sigv4.credentialsSource');

/**
 * A bounded least-recently-used cache of signing keys, one per access key, secret, day, region and service.
 * Entries are keyed by the access key id, the scope and a fingerprint of the secret, never by the secret; the
 * keys it holds are non-extractable `CryptoKey`s (and, for the synchronous functions, prepared HMAC states).
 * Pass your own to the signing functions, or `cache: false` to derive the key every time.
 */
export class SigningKeyCache {
  readonly maxEntries: number;
  readonly #entries = new Map<string, unknown>();
  #last = '';
  // The fingerprint last computed for a credentials object, with the secret it was computed from: a caller who
  // reuses one credentials object pays for the hash once, and one who changes its secret gets a new hash.
  readonly #fingerprints = new WeakMap<object, { readonly secret: string; readonly fingerprint: string }>();

  #fingerprint(credentials: Credentials): string {
    const secret = credentials.secretAccessKey;
    // The signing functions validate a copy of the caller's credentials; the caller's object is what recurs.
    const owner = (credentials as { [CREDENTIALS_SOURCE]?: object })[CREDENTIALS_SOURCE] ?? credentials;
    const known = this.#fingerprints.get(owner);
    if (known?.secret === secret) return known.fingerprint;
    const made = fingerprint(secret);
    this.#fingerprints.set(owner, { secret, fingerprint: made });
    return made;
  }

  constructor(maxEntries = 100) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`"maxEntries" expected a positive integer, got ${String(maxEntries)}`);
    }
    this.maxEntries = maxEntries;
  }

  /** Number of cached keys. */
  get size(): number {
    return this.#entries.size;
  }

  /** Drops every cached key. */
  clear(): void {
    this.#entries.clear();
  }

  /**
   * The cached value for this scope and `kind`, or the one `derive` makes on a miss. Used by the signing
   * functions; `kind` separates the Web Crypto key from the synchronous one.
   */
  lookup<T>(credentials: Credentials, date: string, region: string, service: string, kind: string, derive: (forget: () => void) => T): T {
    const id = `${kind}\n${credentials.accessKeyId}\n${date}\n${region}\n${service}\n${this.#fingerprint(credentials)}`;
    const entries = this.#entries;
    let entry = entries.get(id) as T | undefined;
    if (entry !== undefined) {
      if (id === this.#last) return entry; // already the most recent: nothing to reorder
      entries.delete(id); // re-inserted below: a Map iterates in insertion order, so its first key is the least recent
    } else {
      // `forget` drops this entry, and only this one (a derivation that failed must not stay cached).
      const made: T = derive(() => entries.get(id) === made && entries.delete(id));
      entry = made;
      if (entries.size >= this.maxEntries) entries.delete(entries.keys().next().value!);
    }
    entries.set(id, entry);
    this.#last = id;
    return entry;
  }

  /** The imported Web Crypto signing key for this scope, derived on a miss. */
  get(credentials: Credentials, date: string, region: string, service: string): Promise<CryptoKey> {
    return this.lookup(credentials, date, region, service, 'subtle', (forget) => {
      const key = deriveSigningKey(credentials.secretAccessKey, date, region, service).then(importHmacKey);
      key.catch(forget);
      return key;
    });
  }
}

/** The cache the signing functions use when the caller passes none. Call `clear()` on it to drop its keys. */
export const defaultSigningKeyCache: SigningKeyCache = /* @__PURE__ */ new SigningKeyCache();
