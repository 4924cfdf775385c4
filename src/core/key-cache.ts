// The signing key cache: keys derived once per access key, secret, day, region and service, never keyed by the secret.

import type { Credentials } from './credentials.js';
import { invalidType, optionError } from './errors.js';
import { deriveSigningKey } from './signing-key.js';
import { importHmacKey, sha256Hex } from './webcrypto.js';

// The cache tells secrets apart by their SHA-256, so no entry is keyed by a secret, and two secrets for one access
// key id (a rotated key, or a forged one) can never share a derived key. The fingerprint is remembered next to its
// secret in a WeakMap keyed by the caller's credentials object, so a secret is held no longer than that object. The hash is computed once per credentials
// object (and again when its secret changes): with Web Crypto on the asynchronous path, with the plain-JS SHA-256
// on the synchronous one. 128 of the 256 bits (32 hex digits) are plenty to tell secrets apart.
const FINGERPRINT_HEX_DIGITS = 32;

/** On a validated copy of credentials: the caller's object it was copied from. */
export const CREDENTIALS_SOURCE: unique symbol = Symbol('sigv4.credentialsSource');

/**
 * Entries a cache holds by default: one per access key, day, region and service in use, so a server verifying for
 * up to a thousand active keys keeps every key warm (past that, each request derives its key again: four more
 * HMACs, about a third of the throughput). An entry takes about 1.5 KB of JS heap and 5 KB of process memory
 * (measured on Node 20 with 10,000 entries), so a full default cache is about 5 MB.
 */
export const DEFAULT_MAX_ENTRIES = 1000;

/**
 * A bounded least-recently-used cache of signing keys, one per access key, secret, day, region and service.
 * Entries are keyed by the access key id, the scope and a fingerprint of the secret, never by the secret; the
 * keys it holds are non-extractable `CryptoKey`s (and, for the synchronous functions, prepared HMAC states).
 * Pass your own to the signing functions, or `cache: false` to derive the key every time.
 */
export class SigningKeyCache {
  readonly maxEntries: number;
  readonly #entries = new Map<string, unknown>();
  // The entry last looked up, with what it was looked up by: a run of signatures with one key (the common case)
  // is served from here without building the entry's id.
  #last: { kind: string; accessKeyId: string; date: string; region: string; service: string; fingerprint: string; id: string; value: unknown } | undefined;
  // The fingerprint last computed for a credentials object, with the secret it was computed from: a caller who
  // reuses one credentials object pays for the hash once, and one who changes its secret gets a new hash.
  readonly #fingerprints = new WeakMap<object, { readonly secret: string; readonly fingerprint: string }>();

  /** The caller's object a validated copy of credentials was made from: what recurs from call to call. */
  static #owner = (credentials: Credentials): object => (credentials as { [CREDENTIALS_SOURCE]?: object })[CREDENTIALS_SOURCE] ?? credentials;

  /** The fingerprint already computed for these credentials, if their secret has not changed since. */
  #known(credentials: Credentials): string | undefined {
    const known = this.#fingerprints.get(SigningKeyCache.#owner(credentials));
    return known?.secret === credentials.secretAccessKey ? known.fingerprint : undefined;
  }

  #remember(credentials: Credentials, sha256Hex: string): string {
    const fingerprint = sha256Hex.slice(0, FINGERPRINT_HEX_DIGITS);
    this.#fingerprints.set(SigningKeyCache.#owner(credentials), { secret: credentials.secretAccessKey, fingerprint });
    return fingerprint;
  }

  constructor(maxEntries: number = DEFAULT_MAX_ENTRIES) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      optionError(`"maxEntries" expected a positive integer, got ${String(maxEntries)}`, true);
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
    this.#last = undefined;
  }

  /**
   * The cached value for this scope and `kind`, or the one `derive` makes on a miss. `sha256HexSync` (lowercase
   * hex SHA-256 of UTF-8 text) fingerprints a secret not seen before; `kind` separates the Web Crypto key from the
   * synchronous ones.
   */
  lookup<T>(
    credentials: Credentials,
    date: string,
    region: string,
    service: string,
    kind: string,
    derive: (forget: () => void) => T,
    sha256HexSync: (text: string) => string,
  ): T {
    const fingerprint = this.#known(credentials) ?? this.#remember(credentials, sha256HexSync(credentials.secretAccessKey));
    const accessKeyId = credentials.accessKeyId;
    const last = this.#last;
    if (
      last !== undefined &&
      last.fingerprint === fingerprint &&
      last.accessKeyId === accessKeyId &&
      last.date === date &&
      last.region === region &&
      last.service === service &&
      last.kind === kind
    ) {
      return last.value as T; // already the most recent: nothing to reorder
    }
    const id = `${kind}\n${accessKeyId}\n${date}\n${region}\n${service}\n${fingerprint}`;
    const entries = this.#entries;
    let entry = entries.get(id) as T | undefined;
    if (entry !== undefined) {
      entries.delete(id); // re-inserted below: a Map iterates in insertion order, so its first key is the least recent
    } else {
      const made: T = derive(() => {
        if (entries.get(id) !== made) return;
        entries.delete(id);
        if (this.#last?.id === id) this.#last = undefined;
      });
      entry = made;
      if (entries.size >= this.maxEntries) entries.delete(entries.keys().next().value!);
    }
    entries.set(id, entry);
    this.#last = { kind, accessKeyId, date, region, service, fingerprint, id, value: entry };
    return entry;
  }

  /** The imported Web Crypto signing key for this scope, derived on a miss. */
  get(credentials: Credentials, date: string, region: string, service: string): Promise<CryptoKey> {
    const derive = (forget: () => void): Promise<CryptoKey> => {
      const key = deriveSigningKey(credentials.secretAccessKey, date, region, service).then(importHmacKey);
      key.catch(forget);
      return key;
    };
    const known = this.#known(credentials);
    if (known !== undefined) return this.lookup(credentials, date, region, service, 'subtle', derive, () => known);
    // A credentials object seen for the first time: one more Web Crypto call, to fingerprint its secret.
    return sha256Hex(credentials.secretAccessKey).then((hex) => this.lookup(credentials, date, region, service, 'subtle', derive, () => hex));
  }
}

/** The cache the signing functions use when the caller passes none. Call `clear()` on it to drop its keys. */
export const defaultSigningKeyCache: SigningKeyCache = /* @__PURE__ */ new SigningKeyCache();

/**
 * The `cache` option: `false`, undefined for the shared cache, or a SigningKeyCache — one made by another copy of
 * this library too, so it is recognized by its `get` and `lookup` methods, not by `instanceof`.
 */
export function checkCache(value: unknown): SigningKeyCache | false | undefined {
  const c = value as Partial<SigningKeyCache> | null | undefined;
  if (value !== undefined && value !== false && (typeof c?.get !== 'function' || typeof c.lookup !== 'function')) {
    invalidType('cache', 'a SigningKeyCache or false', value);
  }
  return value as SigningKeyCache | false | undefined;
}
