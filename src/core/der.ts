// ECDSA signatures in the two forms SigV4a meets: Web Crypto's r ‖ s (IEEE P1363, 32 + 32 bytes for P-256) and the
// DER `SEQUENCE { INTEGER r, INTEGER s }` (RFC 3279 section 2.2.3, X.690) that SigV4a sends as lowercase hex.

import { fromHex, HEX, toHex } from './encoding.js';
import type { Fault } from './errors.js';
import { N } from './p256.js';

/** A DER INTEGER (tag 2) holding the unsigned big-endian value `bytes`: minimal, with a 0 byte before a high bit. */
function derInteger(bytes: Uint8Array): string {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const value = (bytes[start]! > 0x7f ? '00' : '') + toHex(bytes.subarray(start));
  return '02' + HEX[value.length / 2] + value;
}

/** r ‖ s (64 bytes, as Web Crypto signs) → the DER signature as lowercase hex (at most 72 bytes: short lengths). */
export function derFromRs(rs: Uint8Array): string {
  const body = derInteger(rs.subarray(0, 32)) + derInteger(rs.subarray(32));
  return '30' + HEX[body.length / 2] + body;
}

const DER_HEX = /^(?:[0-9a-f]{2}){8,72}$/;

/**
 * A SigV4a signature as received (lowercase hex of DER) → r ‖ s, for Web Crypto's verify. Strict, as X.690's
 * distinguished rules and SEC 1 require: one SEQUENCE of two INTEGERs with short-form lengths and no byte after
 * them, each integer minimal (no leading 0 byte unless the next has its high bit set), positive, and from 1 to
 * N - 1. Anything else fails through `fault` (the verifiers: ERR_SIGV4_MALFORMED), so no malformed signature
 * reaches the crypto layer. The message never holds the signature.
 */
export function rsFromDer(name: string, hex: string, fault: Fault): Uint8Array {
  const bad = (why: string): never =>
    fault(`${name} expected the hex of a DER ECDSA signature (SEQUENCE of two INTEGERs), got ${why}`);
  if (!DER_HEX.test(hex)) bad(`${hex.length} characters that are not 16 to 144 lowercase hex digits`);
  const der = fromHex(hex);
  if (der[0] !== 0x30 || der[1] !== der.length - 2) bad('a SEQUENCE header that does not span the signature');
  const rs = new Uint8Array(64);
  let at = 2;
  for (const offset of [0, 32]) {
    const length = der[at + 1] ?? 0; // 0 past the end: refused below
    if (der[at] !== 0x02 || length < 1 || length > 33 || at + 2 + length > der.length)
      bad(`an element that is not an INTEGER of 1 to 33 bytes inside the SEQUENCE`);
    const value = der.subarray(at + 2, at + 2 + length);
    if (value[0]! > 0x7f) bad('a negative INTEGER');
    if (value[0] === 0 && length > 1 && value[1]! < 0x80) bad('an INTEGER with a needless leading zero byte');
    if (length === 33 && value[0] !== 0) bad('an INTEGER longer than 32 bytes');
    const integer = value.subarray(length === 33 ? 1 : 0);
    const number = BigInt('0x' + toHex(integer));
    if (number === 0n || number >= N) bad('an INTEGER outside 1 … n - 1 (the order of P-256)');
    rs.set(integer, offset + 32 - integer.length);
    at += 2 + length;
  }
  if (at !== der.length) bad('bytes after the two INTEGERs');
  return rs;
}
