// Base64 (src/core/base64.ts), shared by the POST policies (the policy is signed as its base64) and the streaming
// checksums (x-amz-checksum-* values are base64): RFC 4648's examples, strict decoding, and Buffer as the reference.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { fromBase64, toBase64 } from '../../src/core/base64.js';

const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe('base64.ts', () => {
  it('encodes and decodes the examples of RFC 4648 section 10', () => {
    const examples: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [text, encoded] of examples) {
      expect(toBase64(latin1(text)), text).toBe(encoded);
      expect(fromBase64(encoded), encoded).toEqual(latin1(text));
    }
    // The last two characters of the alphabet ("+" and "/", not the URL-safe "-" and "_").
    expect(toBase64(latin1('\u00fb\u00ff\u00bf'))).toBe('+/+/');
    expect(fromBase64('+/+/')).toEqual(latin1('\u00fb\u00ff\u00bf'));
  });

  it('encodes as RFC 4648 (Buffer) and decodes strictly', () => {
    for (const text of ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar', '\u00ff\u00fe\u00fd']) {
      const bytes = Buffer.from(text, 'latin1');
      expect(toBase64(new Uint8Array(bytes))).toBe(bytes.toString('base64'));
      expect(Buffer.from(fromBase64(bytes.toString('base64'))!).equals(bytes)).toBe(true);
    }
    for (const bad of ['Zg', 'Zg=', 'Z===', 'Zm9v YmFy', 'Zm9v\n', 'Zm9-', 'Zm9_', '=Zm9', 'Zg==Zg=='])
      expect(fromBase64(bad), bad).toBeUndefined();
  });

  it('agrees with Buffer, and decodes what it encodes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const encoded = toBase64(bytes);
        expect(encoded).toBe(Buffer.from(bytes).toString('base64'));
        expect(fromBase64(encoded)).toEqual(bytes);
      }),
      { numRuns: 500, seed: 20151229 },
    );
  });
});
