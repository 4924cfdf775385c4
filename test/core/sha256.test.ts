// The plain-JavaScript SHA-256 and HMAC-SHA256 behind the synchronous path (src/core/sha256.ts), checked on their own:
// the constants against FIPS 180-4, the NIST examples, and node:crypto on inputs of every length around the
// block boundaries, with keys shorter and longer than a block.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { hmacKey, hmacSync, hmacTextHex, IV, K, sha256, sha256TextHex } from '../../src/core/sha256.js';
import { hmacHex, sha256Hex } from '../support/reference.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const words = (a: Int32Array): string => Array.from(a, (x) => (x >>> 0).toString(16).padStart(8, '0')).join(' ');

describe('sha256.ts', () => {
  it('derives the FIPS 180-4 constants (section 4.2.2 and 5.3.3)', () => {
    expect(words(IV)).toBe('6a09e667 bb67ae85 3c6ef372 a54ff53a 510e527f 9b05688c 1f83d9ab 5be0cd19');
    expect(words(K.subarray(0, 4))).toBe('428a2f98 71374491 b5c0fbcf e9b5dba5');
    expect(words(K.subarray(60))).toBe('90befffa a4506ceb bef9a3f7 c67178f2');
  });

  it('hashes the NIST examples', () => {
    const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
    expect(hex(sha256(enc('')))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(sha256(enc('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(sha256(enc('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(hex(sha256(new Uint8Array(1_000_000).fill(0x61)))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    );
  });

  it('agrees with node:crypto for every length from 0 to 300 bytes', () => {
    const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 167 + 13) & 0xff);
    for (let n = 0; n <= 300; n++) {
      const part = data.subarray(0, n);
      expect(hex(sha256(part)), `length ${n}`).toBe(sha256Hex(part));
    }
  });

  it('HMAC agrees with node:crypto for keys of 0 to 200 bytes and messages around the block boundaries', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }), (key, message) => {
        expect(hex(hmacSync(hmacKey(key), message))).toBe(hmacHex(key, message));
      }),
      { seed: 20261128, numRuns: 400 },
    );
  });

  it('HMAC of texts that share their first block, or differ in it by one byte, in any order (the first-block memo)', () => {
    const key = new Uint8Array(32).fill(9);
    const prepared = hmacKey(key);
    const prefix = 'AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n';
    const text = fc
      .tuple(fc.nat({ max: 70 }), fc.integer({ min: 32, max: 126 }), fc.string({ maxLength: 150 }))
      .map(
        ([at, code, tail]) =>
          (at < 64 ? prefix.slice(0, at) + String.fromCharCode(code) + prefix.slice(at + 1) : prefix) + tail,
      );
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 8 }), (texts) => {
        for (const t of texts) expect(hmacTextHex(prepared, t)).toBe(hmacHex(key, t));
      }),
      { seed: 20261128, numRuns: 300 },
    );
  });

  it('hashes text as UTF-8, short or long (past the reused buffer), ASCII or not, alone or as HMAC', () => {
    const key = new Uint8Array(32).fill(7);
    const prepared = hmacKey(key);
    const texts = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: 'grapheme-ascii', minLength: 16000, maxLength: 17000 }),
      fc.string({ unit: 'binary', minLength: 16000, maxLength: 17000 }),
    );
    fc.assert(
      fc.property(texts, (text) => {
        expect(sha256TextHex(text)).toBe(sha256Hex(text));
        expect(hmacTextHex(prepared, text)).toBe(hmacHex(key, text));
      }),
      { seed: 20261128, numRuns: 60, endOnFailure: true }, // no shrinking: the texts are long
    );
  });
});
