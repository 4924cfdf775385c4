// SigV4a's key: the ECDSA P-256 key pair derived from an access key id and its secret, as aws-c-auth
// (source/key_derivation.c) and the AWS SDKs derive it, imported into Web Crypto and cached per access key.

import { ALGORITHM_V4A } from './constants.js';
import type { Credentials } from './credentials.js';
import { fromHex, toHex, utf8 } from './encoding.js';
import { cachedKey, type SigningKeyCache } from './key-cache.js';
import { N, publicPoint } from './p256.js';
import { hmac, importEcdsaKeyPair, importHmacKey } from './webcrypto.js';

/** A SigV4a key pair: the Web Crypto keys, and the public point as lowercase hex (as AWS's public-key.json has it). */
export interface V4aKeyPair {
  /** Non-extractable, for signing. */
  readonly privateKey: CryptoKey;
  /** For verifying. */
  readonly publicKey: CryptoKey;
  readonly x: string;
  readonly y: string;
}

/**
 * The private scalar d of the SigV4a key of an access key: NIST SP 800-108 KDF in counter mode with HMAC-SHA256,
 * keyed with `"AWS4A" + secret`, over `0x00000001 ‖ "AWS4-ECDSA-P256-SHA256" ‖ 0x00 ‖ access key id ‖ counter ‖
 * 0x00000100` (256 bits of output). The first counter from 1 whose output c is at most N - 2 gives d = c + 1, so
 * d is from 1 to N - 1. A counter past 1 has a chance of about 2⁻³² per try; aws-c-auth gives up after 254, and so
 * does this (an Error that no real key can cause).
 */
export async function deriveV4aPrivateScalar(accessKeyId: string, secretAccessKey: string): Promise<bigint> {
  const key = await importHmacKey(utf8('AWS4A' + secretAccessKey));
  const id = utf8(accessKeyId);
  const label = utf8(ALGORITHM_V4A);
  const input = new Uint8Array([0, 0, 0, 1, ...label, 0, ...id, 0, 0, 0, 1, 0]);
  const counterAt = 5 + label.length + id.length;
  for (let counter = 1; counter <= 254; counter++) {
    input[counterAt] = counter;
    const candidate = BigInt('0x' + toHex(await hmac(key, input)));
    if (candidate <= N - 2n) return candidate + 1n;
  }
  throw new Error('SigV4a key derivation found no key in 254 tries');
}

const bytes32 = (n: bigint): Uint8Array => fromHex(n.toString(16).padStart(64, '0'));

/** Derives the SigV4a key pair of an access key and imports it. */
export async function deriveV4aKeyPair(accessKeyId: string, secretAccessKey: string): Promise<V4aKeyPair> {
  const d = await deriveV4aPrivateScalar(accessKeyId, secretAccessKey);
  const [x, y] = publicPoint(d).map(bytes32) as [Uint8Array, Uint8Array];
  return { ...(await importEcdsaKeyPair(bytes32(d), x, y)), x: toHex(x), y: toHex(y) };
}

/**
 * The SigV4a key pair for these credentials: from `cache` (the shared one when undefined), or derived when it is
 * false. One entry per access key and secret (SigV4a keys do not depend on the date, region or service), found
 * like a SigV4 key: by kind and access key id, then the secret compared in constant time.
 */
export function v4aKeyFor(credentials: Credentials, cache: SigningKeyCache | false | undefined): Promise<V4aKeyPair> {
  return cachedKey(cache, 'v4a', credentials, '', '', '', (forget) => {
    const pair = deriveV4aKeyPair(credentials.accessKeyId, credentials.secretAccessKey);
    pair.catch(forget);
    return pair;
  });
}
