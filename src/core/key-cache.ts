// The signing key cache, one for every signer (asynchronous and synchronous, signing and verifying): keys derived
// once per access key, secret, day, region and service.
//
// Why an entry is found by its access key id and scope, and then holds its secret, compared exactly: a caller who
// makes a new credentials object for each request (a Worker that reads `env` in its handler) must find the key a
// reused object finds, so nothing can be remembered per object; a hash of the secret per call would cost a Web
// Crypto call or a plain-JavaScript SHA-256, and a cheaper fingerprint can collide (vectors/regressions.json holds
// two secrets whose 53-bit fingerprints did, and shared a key). An exact comparison never lets one secret reach
// another's key. It runs in time that depends on the lengths only, and the secret is never a map key.

import type { Credentials } from './credentials.js';
import { invalidType, optionError } from './errors.js';
import { deriveSigningKey } from './signing-key.js';
import { importHmacKey, timingSafeEqual } from './webcrypto.js';

/**
 * Entries a cache holds by default: one per access key, day, region and service in use, so a server verifying for
 * up to a thousand active keys keeps every key warm (past that, each request derives its key again: four more
 * HMACs). `bench/verify-load.ts` measures what a full cache costs in memory.
 */
export const DEFAULT_MAX_ENTRIES = 1000;

/** The id of a key in a cache: what it is for (`kind`: the Web Crypto key, or a synchronous path's), the access key id and the scope. */
export const keyId = (kind: string, accessKeyId: string, date: string, region: string, service: string): string =>
  `${kind} ${accessKeyId} ${date} ${region} ${service}`;

/** Derives a key; `forget` drops it from the cache (for a derivation that fails later, as a promise may). */
export type Derive<T> = (forget: () => void) => T;

const keep = (): void => {};

// How a signer looks a key up in a cache: a function on each cache under a key registered with Symbol.for, so a
// signer of another copy of this library (ESM and CJS, two bundles) can use a cache made by this one. Set in the
// constructor rather than declared, so it is no part of the class's type.
const LOOKUP = Symbol.for('sigv4.SigningKeyCache.lookup');

type Lookup = <T>(id: string, secret: string, derive: Derive<T>) => T;

/** A cached key, with the secret it was derived from. */
interface Entry {
  readonly id: string;
  readonly secret: string;
  value: unknown;
}

/**
 * A bounded least-recently-used cache of signing keys, one per access key, secret, day, region and service.
 * Entries are found by the access key id and the scope, and hold the secret they were derived from, compared
 * exactly (a rotated secret replaces the entry); the keys it holds are non-extractable `CryptoKey`s (and, for the synchronous
 * functions, prepared HMAC states). SigV4a's ECDSA key pairs share it, one entry per access key and secret (they do
 * not depend on the day, region or service). Pass your own to the signing functions, or `cache: false` to derive
 * the key every time.
 */
export class SigningKeyCache {
  /** The most keys it holds: past that, the least recently used is dropped. */
  readonly maxEntries: number;
  readonly #entries = new Map<string, Entry>();
  // The entry last used: a run of signatures with one key is served from here, without reordering the map.
  #last: Entry | undefined;

  constructor(maxEntries: number = DEFAULT_MAX_ENTRIES) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      optionError(`"maxEntries" expected a positive integer, got ${String(maxEntries)}`, true);
    }
    this.maxEntries = maxEntries;
    const lookup: Lookup = (id, secret, derive) => this.#lookup(id, secret, derive);
    Object.defineProperty(this, LOOKUP, { value: lookup });
  }

  /** Number of cached keys. */
  get size(): number {
    return this.#entries.size;
  }

  /** Drops every cached key. */
  clear(): void {
    this.#entries.clear();
    this.#last = undefined;
  }

  /** The imported Web Crypto signing key for this scope, derived on a miss. */
  get(credentials: Credentials, date: string, region: string, service: string): Promise<CryptoKey> {
    return signingKeyFor(credentials, date, region, service, this);
  }

  /**
   * The value kept under `id` for `secret`, or the one `derive` makes, which replaces an entry for another secret.
   * Least recently used first out: a Map iterates in insertion order, so a hit is moved to the end and a miss past
   * `maxEntries` drops the first key.
   */
  #lookup<T>(id: string, secret: string, derive: Derive<T>): T {
    const last = this.#last;
    // Already the most recent: nothing to reorder.
    if (last !== undefined && last.id === id && timingSafeEqual(last.secret, secret)) return last.value as T;
    const entries = this.#entries;
    let entry = entries.get(id);
    entries.delete(id); // set again below, as the most recent
    if (entry === undefined || !timingSafeEqual(entry.secret, secret)) {
      const made: Entry = { id, secret, value: undefined };
      made.value = derive(() => {
        if (entries.get(id) !== made) return;
        entries.delete(id);
        if (this.#last === made) this.#last = undefined;
      });
      entry = made;
      if (entries.size >= this.maxEntries) entries.delete(entries.keys().next().value!);
    }
    entries.set(id, entry);
    this.#last = entry;
    return entry.value as T;
  }
}

/** The cache the signing functions use when the caller passes none. Call `clear()` on it to drop its keys. */
export const defaultSigningKeyCache: SigningKeyCache = /* @__PURE__ */ new SigningKeyCache();

/**
 * The key of `kind` for these credentials and scope: from `cache` (the shared one when undefined), or derived
 * when `cache` is false.
 */
export function cachedKey<T>(
  cache: SigningKeyCache | false | undefined,
  kind: string,
  credentials: Credentials,
  date: string,
  region: string,
  service: string,
  derive: Derive<T>,
): T {
  if (cache === false) return derive(keep);
  const lookup = ((cache ?? defaultSigningKeyCache) as unknown as Record<typeof LOOKUP, Lookup>)[LOOKUP];
  return lookup(keyId(kind, credentials.accessKeyId, date, region, service), credentials.secretAccessKey, derive);
}

/** The imported Web Crypto signing key for a scope: from `cache` (the shared one when undefined), or derived when it is false. */
export function signingKeyFor(
  credentials: Credentials,
  date: string,
  region: string,
  service: string,
  cache: SigningKeyCache | false | undefined,
): Promise<CryptoKey> {
  return cachedKey(cache, 'subtle', credentials, date, region, service, (forget) => {
    const key = deriveSigningKey(credentials.secretAccessKey, date, region, service).then(importHmacKey);
    key.catch(forget); // a failure is forgotten as soon as it happens
    return key;
  });
}

/**
 * The `cache` option: `false`, undefined for the shared cache, or a SigningKeyCache — one made by another copy of
 * this library too, so it is recognized by its `get` method and its lookup (registered with `Symbol.for`), not by
 * `instanceof`.
 */
export function checkCache(value: unknown): SigningKeyCache | false | undefined {
  const c = value as (Partial<SigningKeyCache> & { [LOOKUP]?: unknown }) | null | undefined;
  if (value !== undefined && value !== false && (typeof c?.get !== 'function' || typeof c[LOOKUP] !== 'function')) {
    invalidType('cache', 'a SigningKeyCache or false', value);
  }
  return value as SigningKeyCache | false | undefined;
}
