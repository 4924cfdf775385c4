// The tests' independent SigV4a reference: key derivation, public keys and ECDSA verification with node:crypto,
// apart from src/ (nothing here imports it). ECDSA signatures are randomized, so a signature is checked by verifying
// it, never by comparing bytes.

import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { hmacSha256 } from './reference.js';

/** The order of P-256. */
export const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

const b64url = (hex: string): string => Buffer.from(hex, 'hex').toString('base64url');

/** A public key `{ x, y }` (hex, as aws-c-auth's public-key.json and deriveV4aPublicKey give it) as a node:crypto key. */
export const publicKeyOf = ({ x, y }: { x: string; y: string }): KeyObject =>
  createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64url(x), y: b64url(y) }, format: 'jwk' });

/** The same key through SPKI (DER), the other import route. */
export const spkiOf = ({ x, y }: { x: string; y: string }): KeyObject =>
  createPublicKey({
    key: Buffer.concat([
      Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex'),
      Buffer.from(`04${x}${y}`, 'hex'),
    ]),
    format: 'der',
    type: 'spki',
  });

/** node:crypto's verdict on a SigV4a signature (hex DER) of a string to sign. */
export const nodeVerifies = (key: KeyObject, stringToSign: string, signatureHex: string): boolean =>
  verify('sha256', Buffer.from(stringToSign, 'utf8'), { key, dsaEncoding: 'der' }, Buffer.from(signatureHex, 'hex'));

/**
 * SigV4a's key derivation written from the description in s3-streaming.json (NIST SP 800-108 counter-mode KDF with
 * HMAC-SHA256 over "AWS4A" + secret), as a hex private scalar.
 */
export function referenceScalar(accessKeyId: string, secret: string): string {
  for (let counter = 1; counter <= 254; counter++) {
    const input = Buffer.concat([
      Buffer.from([0, 0, 0, 1]),
      Buffer.from('AWS4-ECDSA-P256-SHA256'),
      Buffer.from([0]),
      Buffer.from(accessKeyId),
      Buffer.from([counter, 0, 0, 1, 0]),
    ]);
    const c = BigInt('0x' + hmacSha256(`AWS4A${secret}`, input).toString('hex'));
    if (c <= N - 2n) return (c + 1n).toString(16).padStart(64, '0');
  }
  throw new Error('no key');
}

/** node:crypto's public key of a private scalar (hex): the check of the library's BigInt multiplication. */
export function referencePublicKey(scalarHex: string): { x: string; y: string } {
  const pkcs8 = Buffer.concat([
    Buffer.from('308141020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420', 'hex'),
    Buffer.from(scalarHex, 'hex'),
  ]);
  const jwk = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
  return { x: Buffer.from(jwk.x!, 'base64url').toString('hex'), y: Buffer.from(jwk.y!, 'base64url').toString('hex') };
}

/** A DER signature (hex) of the string to sign with a private scalar, by node:crypto: how another signer signs. */
export function referenceSign(scalarHex: string, stringToSign: string): string {
  const { x, y } = referencePublicKey(scalarHex);
  const key = createPrivateKey({
    key: { kty: 'EC', crv: 'P-256', d: b64url(scalarHex), x: b64url(x), y: b64url(y) },
    format: 'jwk',
  });
  return sign('sha256', Buffer.from(stringToSign, 'utf8'), { key, dsaEncoding: 'der' }).toString('hex');
}

/** The (r, s) of a DER signature (hex), read loosely (for tampering tests, not validation). */
export function derParts(hex: string): { r: bigint; s: bigint } {
  const b = Buffer.from(hex, 'hex');
  const rLength = b[3]!;
  const r = BigInt('0x' + b.subarray(4, 4 + rLength).toString('hex'));
  const sLength = b[5 + rLength]!;
  const s = BigInt('0x' + b.subarray(6 + rLength, 6 + rLength + sLength).toString('hex'));
  return { r, s };
}

/** A minimal DER signature (hex) of (r, s), written apart from src/core/der.ts. */
export function derOf(r: bigint, s: bigint): string {
  const integer = (n: bigint): string => {
    let hex = n.toString(16);
    if (hex.length % 2) hex = '0' + hex;
    if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = '00' + hex;
    return '02' + (hex.length / 2).toString(16).padStart(2, '0') + hex;
  };
  const body = integer(r) + integer(s);
  return '30' + (body.length / 2).toString(16).padStart(2, '0') + body;
}
