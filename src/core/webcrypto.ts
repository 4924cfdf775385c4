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

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;

/**
 * Imports an ECDSA P-256 key pair from its private scalar and public point (32-byte big-endian each): the private
 * key as PKCS#8 (RFC 5958, with the SEC 1 ECPrivateKey that carries the public key, the one form every runtime
 * takes), non-extractable, for signing; the public key as an uncompressed point, for verifying.
 */
export async function importEcdsaKeyPair(
  d: Uint8Array,
  x: Uint8Array,
  y: Uint8Array,
): Promise<{ privateKey: CryptoKey; publicKey: CryptoKey }> {
  const point = new Uint8Array([4, ...x, ...y]);
  const pkcs8 = new Uint8Array([
    // SEQUENCE { INTEGER 0, SEQUENCE { OID ecPublicKey, OID prime256v1 }, OCTET STRING { SEQUENCE { INTEGER 1,
    // OCTET STRING d, [1] { BIT STRING point } } } }
    ...[0x30, 0x81, 0x87, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01],
    ...[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x04, 0x6d, 0x30, 0x6b, 0x02, 0x01, 0x01],
    ...[0x04, 0x20, ...d, 0xa1, 0x44, 0x03, 0x42, 0x00, ...point],
  ]);
  const [privateKey, publicKey] = await Promise.all([
    subtle().importKey('pkcs8', pkcs8, ECDSA_P256, false, ['sign']),
    subtle().importKey('raw', point, ECDSA_P256, true, ['verify']),
  ]);
  return { privateKey, publicKey };
}

/** ECDSA P-256 with SHA-256 of the data: r ‖ s, 64 bytes. */
export async function ecdsaSign(privateKey: CryptoKey, data: Bytes): Promise<Uint8Array> {
  return new Uint8Array(await subtle().sign(ECDSA_SHA256, privateKey, bytes(data) as BufferSource));
}

/** Checks an ECDSA P-256 / SHA-256 signature (r ‖ s) of the data. */
export function ecdsaVerify(publicKey: CryptoKey, signature: Uint8Array, data: Bytes): Promise<boolean> {
  return subtle().verify(ECDSA_SHA256, publicKey, signature as BufferSource, bytes(data) as BufferSource);
}
