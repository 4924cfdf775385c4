// SigV4a's primitives against independent references (node:crypto, test/support/v4a.ts): the key derivation, the
// P-256 public point, and the DER form of ECDSA signatures, with its strict reading.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { derFromRs, rsFromDer } from '../../src/core/der.js';
import { isSigV4Error, SigV4Error, fail } from '../../src/core/errors.js';
import { N, publicPoint } from '../../src/core/p256.js';
import { deriveV4aKeyPair, deriveV4aPrivateScalar } from '../../src/core/sigv4a-key.js';
import { SigningKeyCache } from '../../src/index.js';
import { v4aKeyFor } from '../../src/core/sigv4a-key.js';
import { derOf, N as REFERENCE_N, referencePublicKey, referenceScalar } from '../support/v4a.js';
import { VECTORS_PRESENT, listDirs, read } from '../support/vectors.js';

const SEED = 20150830;
const hex64 = (n: bigint): string => n.toString(16).padStart(64, '0');
const malformed = (message: string): never => fail('ERR_SIGV4_MALFORMED', message);

describe('P-256 public point (BigInt Montgomery ladder) against node:crypto', () => {
  it('has the order of P-256', () => expect(N).toBe(REFERENCE_N));

  it('edge scalars: 1, 2, 3, N - 1, N - 2, 2^255, all ones below N', () => {
    for (const d of [1n, 2n, 3n, N - 1n, N - 2n, 2n ** 255n, 2n ** 255n - 1n, N >> 1n, (N >> 1n) + 1n]) {
      const [x, y] = publicPoint(d);
      expect({ x: hex64(x), y: hex64(y) }, hex64(d)).toEqual(referencePublicKey(hex64(d)));
    }
  });

  it('random scalars', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: N - 1n }), (d) => {
        const [x, y] = publicPoint(d);
        expect({ x: hex64(x), y: hex64(y) }).toEqual(referencePublicKey(hex64(d)));
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});

describe('SigV4a key derivation (HMAC-SHA256 counter-mode KDF)', () => {
  it('agrees with the reference written from the description, for arbitrary credentials', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[\x21-\x2b\x2d\x2e\x30-\x7e]{1,40}$/),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
        async (accessKeyId, secret) => {
          expect(hex64(await deriveV4aPrivateScalar(accessKeyId, secret))).toBe(referenceScalar(accessKeyId, secret));
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('the key pair signs with the derived scalar: its public key is node:crypto’s for that scalar', async () => {
    const pair = await deriveV4aKeyPair('AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
    expect({ x: pair.x, y: pair.y }).toEqual(
      referencePublicKey(referenceScalar('AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY')),
    );
    expect(pair.privateKey.extractable).toBe(false);
    expect(pair.privateKey.usages).toEqual(['sign']);
    expect(pair.publicKey.usages).toEqual(['verify']);
    expect(pair.privateKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
  });

  it('is cached once per access key and secret; a rotated secret replaces its entry; false derives every time', async () => {
    const cache = new SigningKeyCache(4);
    const a = { accessKeyId: 'AKIDCACHE', secretAccessKey: 'first' };
    const first = await v4aKeyFor(a, cache);
    expect(await v4aKeyFor({ ...a }, cache)).toBe(first); // a new object with the same credentials finds it
    expect(cache.size).toBe(1);
    const rotated = await v4aKeyFor({ ...a, secretAccessKey: 'second' }, cache);
    expect(rotated).not.toBe(first);
    expect(rotated.x).not.toBe(first.x);
    expect(cache.size).toBe(1);
    expect(await v4aKeyFor(a, false)).not.toBe(await v4aKeyFor(a, false));
    for (let i = 0; i < 6; i++) await v4aKeyFor({ accessKeyId: `AKID${i}`, secretAccessKey: 's' }, cache);
    expect(cache.size).toBe(4); // bounded
  });
});

describe('DER ⇄ r ‖ s', () => {
  const scalar = fc.bigInt({ min: 1n, max: N - 1n });
  // Small values and values with the high bit set exercise the minimal form and the 0 byte before a high bit.
  const edgy = fc.oneof(scalar, fc.bigInt({ min: 1n, max: 2n ** 16n }), fc.constantFrom(1n, 0x80n, 0xffn, N - 1n));
  const rsOf = (r: bigint, s: bigint): Uint8Array => Buffer.from(hex64(r) + hex64(s), 'hex');

  it('writes minimal DER, as an independent encoder does, and reads it back', () => {
    fc.assert(
      fc.property(edgy, edgy, (r, s) => {
        const der = derFromRs(rsOf(r, s));
        expect(der).toBe(derOf(r, s));
        expect(Buffer.from(rsFromDer('sig', der, malformed)).toString('hex')).toBe(hex64(r) + hex64(s));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  const refuse = (hex: string): string => {
    try {
      rsFromDer('X-Amz-Signature', hex, malformed);
    } catch (error) {
      expect(isSigV4Error(error), String(error)).toBe(true);
      expect((error as SigV4Error).code).toBe('ERR_SIGV4_MALFORMED');
      return (error as Error).message;
    }
    throw new Error(`accepted ${hex}`);
  };
  const good = derOf(0x1234n, 0x80n); // 3008 02021234 02020080

  it('refuses every malformed form, with a message that names the fault and never holds the signature', () => {
    const cases: [string, RegExp][] = [
      ['', /0 characters that are not 16 to 144 lowercase hex digits/],
      [derOf(0xabcdn, 0x80n).toUpperCase(), /not 16 to 144 lowercase hex/],
      [good + '0', /not 16 to 144/],
      ['00'.repeat(73), /not 16 to 144/],
      ['31' + good.slice(2), /SEQUENCE header/],
      ['3009' + good.slice(4), /SEQUENCE header/], // length byte off by one
      ['3081' + good.slice(4), /SEQUENCE header/], // long form
      [good + '00', /SEQUENCE header/], // a byte after the sequence
      ['300a' + good.slice(4) + '0000', /bytes after the two INTEGERs/],
      ['3008' + '03021234' + good.slice(12), /not an INTEGER/],
      ['3008' + '02001234' + good.slice(12), /not an INTEGER/],
      ['3008' + '02091234' + good.slice(12), /not an INTEGER/],
      ['3008' + '02029234' + good.slice(12), /a negative INTEGER/], // sign bit of r set
      ['3008' + good.slice(4, 12) + '02028080', /a negative INTEGER/], // sign bit of s set
      ['3008' + '02020034' + good.slice(12), /needless leading zero/],
      ['3006' + '020100' + '020101', /outside 1 … n - 1/], // r = 0
      [derOf(N, 1n), /outside 1 … n - 1/],
      [derOf(1n, N + 5n), /outside 1 … n - 1/],
      ['3027' + '022200' + 'ff'.repeat(33) + '020101', /not an INTEGER of 1 to 33 bytes/],
      ['3026' + '0221' + '01' + 'ff'.repeat(32) + '020101', /longer than 32 bytes/],
      ['3006' + '0202123402' + '0000', /SEQUENCE header/], // the first INTEGER fits, the header does not
      ['3006' + '02021234' + '0201', /not an INTEGER/], // the second INTEGER runs past the end
    ];
    for (const [hex, message] of cases) {
      const text = refuse(hex);
      expect(text, hex).toMatch(message);
      expect(text).toMatch(/^X-Amz-Signature expected the hex of a DER ECDSA signature/);
      if (hex.length > 10) expect(text).not.toContain(hex);
    }
  });

  it('reads any text without throwing anything but a SigV4Error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 160 }),
          fc.uint8Array({ minLength: 8, maxLength: 72 }).map((b) => Buffer.from(b).toString('hex')),
        ),
        (text) => {
          try {
            const rs = rsFromDer('sig', text, malformed);
            expect(rs.length).toBe(64);
            expect(derFromRs(rs)).toBe(text); // only the one DER form of a pair is read
          } catch (error) {
            expect(isSigV4Error(error), String(error)).toBe(true);
          }
        },
      ),
      { seed: SEED, numRuns: 2000 },
    );
  });
});

describe.runIf(VECTORS_PRESENT)(
  'AWS signers do not normalize s: accepting high-S is what lets their signatures verify',
  () => {
    it('counts the high-S signatures among the 152 of aws-c-auth’s v4a suite (both files of each variant)', () => {
      let total = 0;
      let high = 0;
      for (const name of listDirs('aws-signing-test-suite', 'v4a')) {
        for (const variant of ['header', 'query']) {
          let signatures: string[];
          try {
            const printed = read('aws-signing-test-suite', 'v4a', name, `${variant}-signed-request.txt`);
            signatures = [
              read('aws-signing-test-suite', 'v4a', name, `${variant}-signature.txt`),
              /Signature=([0-9a-f]+)/.exec(printed)![1]!,
            ];
          } catch {
            continue; // the two folders with inputs only
          }
          for (const signature of signatures) {
            const rs = rsFromDer('sig', signature, malformed);
            const s = BigInt('0x' + Buffer.from(rs.subarray(32)).toString('hex'));
            total++;
            if (s > N >> 1n) high++;
          }
        }
      }
      expect(total).toBe(152);
      console.log(`aws-c-auth v4a suite: ${high} of ${total} signatures have a high s (s > n/2)`);
      expect(high).toBe(70);
    });
  },
);
