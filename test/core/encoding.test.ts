// encoding.ts and date.ts: RFC 3986 UriEncode(), escape normalization, and the X-Amz-Date text form, checked
// against tables written out here rather than derived from the code under test.

import { describe, expect, it } from 'vitest';
import { normalizeEscapes, parseAmzDate, toAmzDate, uriEncode } from '../../src/index.js';

// RFC 3986 section 2.3: unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~". Everything else is percent-encoded
// with uppercase hex (section 2.1: "should use uppercase hexadecimal digits").
const UNRESERVED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';

describe('uriEncode', () => {
  it('encodes each of the 128 ASCII characters as the RFC 3986 table says', () => {
    for (let code = 0; code < 128; code++) {
      const char = String.fromCharCode(code);
      const expected = UNRESERVED.includes(char) ? char : `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
      expect(uriEncode(char), `U+${code.toString(16).padStart(4, '0')}`).toBe(expected);
    }
  });

  it('keeps exactly the 66 unreserved characters', () => {
    const all = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join('');
    const kept = [...uriEncode(all).replace(/%[0-9A-F]{2}/g, '')].join('');
    expect(kept).toBe('-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~');
    expect(kept).toHaveLength(66);
  });

  it.each([
    ['+', '%2B'],
    [' ', '%20'],
    ['/', '%2F'],
    ['%', '%25'],
    ['%7e', '%257e'],
    ["!'()*", '%21%27%28%29%2A'],
    ['=&?#', '%3D%26%3F%23'],
    ['~', '~'],
    ['a b+c/ü~*.txt', 'a%20b%2Bc%2F%C3%BC~%2A.txt'],
    ['ü', '%C3%BC'],
    ['€', '%E2%82%AC'],
    ['😀', '%F0%9F%98%80'],
    ['\u0000', '%00'],
    ['', ''],
  ])('uriEncode(%j) is %j', (input, expected) => {
    expect(uriEncode(input)).toBe(expected);
  });
});

describe('normalizeEscapes', () => {
  it.each([
    ['%7e', '~'],
    ['%7E', '~'],
    ['%41%62%2d%5F', 'Ab-_'],
    ['%2f', '%2F'],
    ['%2F', '%2F'],
    ['+', '%2B'],
    ['%2b', '%2B'],
    [' ', '%20'],
    ['a b', 'a%20b'],
    ['a%20b', 'a%20b'],
    ['%25', '%25'],
    ['%2525', '%2525'],
    ['*', '%2A'],
    ['ü', '%C3%BC'],
    ['%c3%bc', '%C3%BC'],
    ['%C3%BCü', '%C3%BC%C3%BC'],
    // Bytes that are not UTF-8 stand for themselves: kept, with uppercase hex.
    ['%FF', '%FF'],
    ['%ff', '%FF'],
    ['%C3', '%C3'],
    ['%E2%82', '%E2%82'],
    ['%ED%A0%80', '%ED%A0%80'], // a UTF-8-encoded surrogate is not valid UTF-8
    ['%C0%AF', '%C0%AF'], // an overlong "/" must not become a path separator
    ['%7e%FFü a', '~%FF%C3%BC%20a'],
    ['', ''],
  ])('normalizeEscapes(%j) is %j', (input, expected) => {
    expect(normalizeEscapes(input, 'url')).toBe(expected);
  });

  it('an escape of every byte, read byte by byte (after a %FF): unreserved ones decoded, the others kept in uppercase', () => {
    const unreserved = /^[A-Za-z0-9._~-]$/;
    for (let byte = 0; byte < 256; byte++) {
      const hex = byte.toString(16).padStart(2, '0');
      const expected = unreserved.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${hex.toUpperCase()}`;
      for (const written of [hex, hex.toUpperCase()])
        expect(normalizeEscapes(`%FF%${written}`, 'url'), written).toBe(`%FF${expected}`);
    }
  });

  it.each(['%', 'a%', '%2', '%zz', '%G1', 'ok%2', '%%41', '%FF%'])(
    'rejects the malformed escape in %j with a TypeError',
    (input) => {
      expect(() => normalizeEscapes(input, 'url')).toThrow(TypeError);
      expect(() => normalizeEscapes(input, 'url')).toThrow(
        /^"url" expected "%" to start an escape of two hex digits \(write a literal "%" as %25\), got "%/,
      );
    },
  );

  it('says where the bad escape is', () => {
    expect(() => normalizeEscapes('ab%zz', 'url')).toThrow('got "%zz" at index 2');
    expect(() => normalizeEscapes('%FFa%', 'url')).toThrow('got "%" at index 4');
  });
});

describe('toAmzDate', () => {
  it.each([
    [Date.UTC(2015, 7, 30, 12, 36, 0), '20150830T123600Z'],
    [Date.UTC(2013, 4, 24, 0, 0, 0), '20130524T000000Z'],
    [Date.UTC(2015, 7, 30, 12, 36, 0, 999), '20150830T123600Z'], // milliseconds dropped, not rounded
    [Date.UTC(2016, 1, 29, 23, 59, 59), '20160229T235959Z'],
    [0, '19700101T000000Z'],
    [Date.UTC(9999, 11, 31, 23, 59, 59, 999), '99991231T235959Z'],
  ])('toAmzDate(%i) is %s', (ms, expected) => {
    expect(toAmzDate(new Date(ms))).toBe(expected);
  });
});

describe('parseAmzDate', () => {
  it.each([
    ['20150830T123600Z', Date.UTC(2015, 7, 30, 12, 36, 0)],
    ['20160229T000000Z', Date.UTC(2016, 1, 29)],
    ['20000229T235959Z', Date.UTC(2000, 1, 29, 23, 59, 59)],
    ['19700101T000000Z', 0],
  ])('parseAmzDate(%s) is epoch %i', (text, ms) => {
    expect(parseAmzDate(text)?.getTime()).toBe(ms);
  });

  it.each([
    '20150231T000000Z', // 31 February would roll over to 3 March
    '20150229T000000Z', // 2015 is not a leap year
    '19000229T000000Z', // nor is 1900
    '20150431T000000Z',
    '20151301T000000Z',
    '20150001T000000Z',
    '20150100T000000Z',
    '20150830T240000Z', // Date reads 24:00 as the next midnight
    '20150830T126000Z',
    '20150830T123660Z', // no leap seconds
    '20150830T123600', // no Z
    '20150830T123600z',
    '2015-08-30T12:36:00Z', // extended form
    '20150830 123600Z',
    '20150830T123600.000Z',
    '150830T123600Z',
    '',
    ' 20150830T123600Z',
  ])('rejects %j', (text) => {
    expect(parseAmzDate(text)).toBeUndefined();
  });

  it('round-trips with toAmzDate', () => {
    for (const ms of [0, 1_440_938_160_000, 1_369_353_600_000, 253_402_300_799_000]) {
      const text = toAmzDate(new Date(ms));
      expect(parseAmzDate(text)?.getTime()).toBe(ms);
    }
  });
});
