// Task 3 of the SigV4 signing process: derive the signing key.

import { hmacRaw } from './webcrypto.js';
import { utf8 } from './encoding.js';
import { hmacKey, hmacSync } from './sha256.js';

/**
 * The SigV4 signing key: HMAC chain of `"AWS4" + secret` over the date (YYYYMMDD), region, service and
 * `aws4_request`. Returns the 32 raw key bytes; treat them as a secret.
 */
export async function deriveSigningKey(
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
): Promise<Uint8Array> {
  let key = await hmacRaw(utf8('AWS4' + secretAccessKey), date);
  key = await hmacRaw(key, region);
  key = await hmacRaw(key, service);
  return new Uint8Array(await hmacRaw(key, 'aws4_request'));
}

/** {@link deriveSigningKey}, computed synchronously. Returns the 32 raw key bytes; treat them as a secret. */
export function deriveSigningKeySync(
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
): Uint8Array {
  let key = utf8('AWS4' + secretAccessKey);
  for (const part of [date, region, service, 'aws4_request']) key = hmacSync(hmacKey(key), utf8(part));
  return key;
}
