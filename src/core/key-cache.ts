// The signing key cache, one for every signer (asynchronous and synchronous, signing and verifying): keys derived
// once per access key, secret, day, region and service, and found again by a keyed fingerprint of the secret.

import type { Credentials } from './credentials.js';
import { invalidType } from './errors.js';
import { deriveSigningKey } from './signing-key.js';
import { importHmacKey } from './webcrypto.js';

/**
 * Entries a cache holds by default: one per access key, day, region and service in use, so a server verifying for
 * up to a thousand active keys keeps every key warm (past that, each request derives its key again: four more
 * HMACs, about a third of the throughput). An entry takes about 1.5 KB of JS heap and 5 KB of process memory
 * (measured on Node 20 with 10,000 entries), so a full default cache is about 5 MB.
 */
export const DEFAULT_MAX_ENTRIES = 1000;

// Why a fingerprint computed on every call: a caller who makes a new credentials object for each request (a Worker
// that reads `env` in its handler) must find the key a reused object finds, and nothing remembered per object can
// do that. Why this one: SHA-256 of the secret would cost a Web Crypto call (a fifth of presignUrl's time) or a
// microsecond of plain JavaScript; this takes a tenth of that. It is keyed with 64 random bits drawn on first use
// (a Worker may draw random values only while it handles a request), which never leave this module, as the
// fingerprints never leave a cache: so nobody who lacks a secret can compute its fingerprint, or pick another
// secret with the same one (as an unkeyed hash allowed: vectors/regressions.json). A guess matches with a chance of
// 2^-64. It is no cryptographic hash: were both the key and a fingerprint to leak, a secret with that fingerprint
// could be computed.
let fingerprintKey: Int32Array | undefined;

/**
 * A 64-bit fingerprint of `text` under the key `k0`, `k1`: two 32-bit words that start as the key and take in each
 * UTF-16 code unit. Each step is a bijection of the two words (a multiplication by an odd constant, an xor, an
 * addition), so two texts end on the same words only when two permutations of the 2^64 pairs agree on the key.
 */
export function fingerprint(text: string, k0: number, k1: number): string {
  let a = k0;
  let b = k1;
  for (let i = 0; i < text.length; i++) {
    a = (Math.imul(a ^ text.charCodeAt(i), 0x9e3779b1) + b) | 0;
    b = Math.imul(b ^ a ^ (a >>> 15), 0x85ebca77);
  }
  return `${a}:${b}`;
}

/**
 * The id of a key in a cache: what it is for (`kind`: the Web Crypto key, or a synchronous path's), the access key
 * id, the scope and the fingerprint of the secret. Undefined where no random key can be drawn (no `crypto`): then
 * nothing is cached.
 */
export function keyId(kind: string, accessKeyId: string, secretAccessKey: string, date: string, region: string, service: string): string | undefined {
  try {
    fingerprintKey ??= crypto.getRandomValues(new Int32Array(2));
  } catch {
    return undefined;
  }
  return `${kind} ${accessKeyId} ${date} ${region} ${service} ${fingerprint(secretAccessKey, fingerprintKey[0]!, fingerprintKey[1]!)}`;
}

/** Derives a key; `forget` drops it from the cache (for a derivation that fails later, as a promise may). */
export type Derive<T> = (forget: () => void) => T;

const keep = (): void => {};

// How a signer looks a key up in a cache: a function on each cache under a key registered with Symbol.for, so a
// signer of another copy of this library (ESM and CJS, two bundles) can use a cache made by this one. Set in the
// constructor rather than declared, so it is no part of the class's type.
const LOOKUP = Symbol.for('sigv4.SigningKeyCache.lookup');

type Lookup = <T>(id: string | undefined, derive: Derive<T>) => T;

/**
 * A bounded least-recently-used cache of signing keys, one per access key, secret, day, region and service.
 * Entries are keyed by the access key id, the scope and a keyed fingerprint of the secret, never by the secret,
 * which the cache does not keep; the keys it holds are non-extractable `CryptoKey`s (and, for the synchronous
 * functions, prepared HMAC states). Pass your own to the signing functions, or `cache: false` to derive the key
 * every time.
 */
export class SigningKeyCache {
  /** The most keys it holds: past that, the least recently used is dropped. */
  readonly maxEntries: number;
  readonly #entries = new Map<string, unknown>();
  // The entry last used: a run of signatures with one key is served from here, without reordering the map.
  #last: [id: string, value: unknown] | undefined;

  constructor(maxEntries: number = DEFAULT_MAX_ENTRIES) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`"maxEntries" expected a positive integer, got ${String(maxEntries)}`);
    }
    this.maxEntries = maxEntries;
    const lookup: Lookup = (id, derive) => this.#lookup(id, derive);
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
   * The value kept under `id`, or the one `derive` makes (kept unless `id` is undefined). Least recently used
   * first out: a Map iterates in insertion order, so a hit is moved to the end and a miss past `maxEntries` drops
   * the first key.
   */
  #lookup<T>(id: string | undefined, derive: Derive<T>): T {
    if (id === undefined) return derive(keep);
    if (this.#last?.[0] === id) return this.#last[1] as T; // already the most recent: nothing to reorder
    const entries = this.#entries;
    let value = entries.get(id) as T | undefined;
    entries.delete(id); // set again below, as the most recent
    if (value === undefined) {
      const made: T = derive(() => {
        if (entries.get(id) !== made) return;
        entries.delete(id);
        if (this.#last?.[0] === id) this.#last = undefined;
      });
      value = made;
      if (entries.size >= this.maxEntries) entries.delete(entries.keys().next().value!);
    }
    entries.set(id, value);
    this.#last = [id, value];
    return value;
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
  return lookup(keyId(kind, credentials.accessKeyId, credentials.secretAccessKey, date, region, service), derive);
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
