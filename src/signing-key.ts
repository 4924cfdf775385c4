// Task 3 of the SigV4 signing process: derive the signing key, and cache it without ever keying by the secret.

import { hmacRaw, importHmacKey } from './crypto.js';
import { utf8 } from './encoding.js';
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

// A 53-bit fingerprint (two multiplicative 32-bit hashes) of the secret: it tells a rotated secret for the same
// access key id apart, so the cache can be keyed without holding the secret itself.
function fingerprint(text: string): string {
  let h1 = 0x9e3779b9;
  let h2 = 0x85ebca6b;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b) ^ Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b) ^ Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
  return (4294967296 * (h2 & 0x1fffff) + (h1 >>> 0)).toString(36);
}

/**
 * A bounded least-recently-used cache of signing keys, one per access key, secret, day, region and service.
 * Entries are keyed by the access key id, the scope and a fingerprint of the secret, never by the secret; the
 * keys it holds are non-extractable `CryptoKey`s (and, for the synchronous functions, prepared HMAC states).
 * Pass your own to the signing functions, or `cache: false` to derive the key every time.
 */
export class SigningKeyCache {
  readonly maxEntries: number;
  readonly #entries = new Map<string, unknown>();

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
  lookup<T>(credentials: Credentials, date: string, region: string, service: string, kind: string, derive: () => T): T {
    const id = `${kind}\n${credentials.accessKeyId}\n${date}\n${region}\n${service}\n${fingerprint(credentials.secretAccessKey)}`;
    const entries = this.#entries;
    let entry = entries.get(id) as T | undefined;
    if (entry !== undefined) {
      entries.delete(id); // re-inserted below: a Map iterates in insertion order, so its first key is the least recent
    } else {
      entry = derive();
      if (entries.size >= this.maxEntries) entries.delete(entries.keys().next().value!);
    }
    entries.set(id, entry);
    return entry;
  }

  /** Forgets one entry (a derivation that failed must not stay cached). */
  delete(credentials: Credentials, date: string, region: string, service: string, kind: string): void {
    this.#entries.delete(`${kind}\n${credentials.accessKeyId}\n${date}\n${region}\n${service}\n${fingerprint(credentials.secretAccessKey)}`);
  }

  /** The imported Web Crypto signing key for this scope, derived on a miss. */
  get(credentials: Credentials, date: string, region: string, service: string): Promise<CryptoKey> {
    return this.lookup(credentials, date, region, service, 'subtle', () => {
      const key = deriveSigningKey(credentials.secretAccessKey, date, region, service).then(importHmacKey);
      key.catch(() => this.delete(credentials, date, region, service, 'subtle'));
      return key;
    });
  }
}

/** The cache the signing functions use when the caller passes none. Call `clear()` on it to drop its keys. */
export const defaultSigningKeyCache: SigningKeyCache = /* @__PURE__ */ new SigningKeyCache();
