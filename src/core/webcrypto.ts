// The only file that touches cryptography: SHA-256 and HMAC-SHA256 through Web Crypto (crypto.subtle).

import { toHex, utf8 } from './encoding.js';

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) {
    throw new TypeError(
      'sigv4 expected Web Crypto (globalThis.crypto.subtle), got none: use Node 20+, Deno, Bun, Workers, or a browser page served over https or localhost',
    );
  }
  return s;
}

/** Bytes to hash or sign: text is taken as UTF-8. */
export type Bytes = string | Uint8Array | ArrayBuffer;

const bytes = (data: Bytes): Uint8Array | ArrayBuffer => (typeof data === 'string' ? utf8(data) : data);

/** Lowercase hex SHA-256 of the data. */
export async function sha256Hex(data: Bytes): Promise<string> {
  return toHex(await subtle().digest('SHA-256', bytes(data) as BufferSource));
}

/** Imports raw key bytes as a non-extractable HMAC-SHA256 key. */
export function importHmacKey(key: Uint8Array | ArrayBuffer): Promise<CryptoKey> {
  return subtle().importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

/** HMAC-SHA256 of the data with an imported key. */
export function hmac(key: CryptoKey, data: Bytes): Promise<ArrayBuffer> {
  return subtle().sign('HMAC', key, bytes(data) as BufferSource);
}

/** HMAC-SHA256 of the data with raw key bytes. */
export async function hmacRaw(key: Uint8Array | ArrayBuffer, data: Bytes): Promise<ArrayBuffer> {
  return hmac(await importHmacKey(key), data);
}

/**
 * Compares two strings in time that depends only on their lengths, never on where they differ, so a
 * verifier does not tell an attacker how many leading characters of a guessed signature were right.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i % (b.length || 1));
  return diff === 0;
}
