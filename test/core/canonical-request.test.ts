// The path rules, each against a reference written apart from src/: encodePath (S3's form) against a plain
// reading of its rule, removeDotSegments against the URL standard's own resolution (the platform's URL parser),
// toWirePath against what the URL parser (and so fetch) sends, and createCanonicalUri against AWS's rule.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createCanonicalUri,
  encodePath,
  normalizeEscapes,
  removeDotSegments,
  toReceivedPath,
  toWirePath,
} from '../../src/index.js';

/** Empty segments dropped from a path that has no dot segments (AWS's rule), its trailing slash kept. */
function dropEmpty(path: string): string {
  const kept = path.split('/').filter(Boolean);
  return '/' + kept.join('/') + (kept.length > 0 && path.endsWith('/') ? '/' : '');
}

/** The URL standard's resolution of dot segments (what fetch sends), then AWS's empty-segment rule. */
const standard = (path: string): string => dropEmpty(new URL(`http://h.invalid${path}`).pathname);

function reference(rawPath: string, normalize: boolean): string {
  const path =
    rawPath
      .split('/')
      .map((s) => normalizeEscapes(s, 'url'))
      .join('/') || '/';
  return normalize ? standard(path) : path;
}

describe('encodePath', () => {
  it.each([
    '',
    '/',
    '/a',
    '/a/',
    '//',
    '/./',
    '/a/.',
    '/a/..',
    '/.a',
    '/a.',
    '/..a',
    '/a..b',
    '/a/b.c',
    '/.../x',
    '/a~b-c_d',
    '/a//b',
    '/%7e',
    '/a b',
  ])('%j matches the rule, normalized or not', (path) => {
    for (const normalize of [true, false]) expect(encodePath(path, normalize)).toBe(reference(path, normalize));
  });
  it('matches the rule on random paths of dots, slashes and escapes', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'/.a_~-%2F Z'.split('')), maxLength: 14 }),
        fc.boolean(),
        (text, normalize) => {
          const path = '/' + text.replace(/%(?![0-9A-F]{2})/g, '%25');
          expect(encodePath(path, normalize)).toBe(reference(path, normalize));
        },
      ),
      { seed: 0xe9c0de, numRuns: 20000 },
    );
  });
});

describe('removeDotSegments (RFC 3986 section 5.2.4, then empty segments)', () => {
  it.each([
    ['/a/.', '/a/'],
    ['/a/b/..', '/a/'],
    ['/a/%2E', '/a/'],
    ['/a/b/%2e%2E', '/a/'],
    ['/a/b/.%2e/c', '/a/c'],
    ['/a//..', '/a/'],
    ['/..', '/'],
    ['/a/../..', '/'],
    ['//a//b//', '/a/b/'],
    ['/a/./b/../c/', '/a/c/'],
    ['/...', '/...'],
    ['/%2e%2e%2e', '/%2e%2e%2e'],
    ['/a.', '/a.'],
    ['/', '/'],
  ])('%s → %s', (path, expected) => {
    expect(removeDotSegments(path)).toBe(expected);
    expect(standard(path)).toBe(expected);
    expect(rfc(path)).toBe(expected);
  });

  // RFC 3986 section 5.2.4 as written (its five rules on an input and an output buffer), after the URL standard's
  // reading of "%2e" as ".", then AWS's empty-segment rule. (Node's URL parser is not the reference here: it
  // leaves "/a./.a/." as it is, where the standard, Deno and Bun give "/a./.a/".)
  function rfc(path: string): string {
    let input = path
      .split('/')
      .map((s) => (/^(?:\.|%2e){1,2}$/i.test(s) ? s.replace(/%2e/gi, '.') : s))
      .join('/');
    let output = '';
    const dropLast = () => (output = output.slice(0, Math.max(0, output.lastIndexOf('/'))));
    while (input !== '') {
      if (input.startsWith('../')) input = input.slice(3);
      else if (input.startsWith('./')) input = input.slice(2);
      else if (input.startsWith('/./')) input = input.slice(2);
      else if (input === '/.') input = '/';
      else if (input.startsWith('/../')) ((input = input.slice(3)), dropLast());
      else if (input === '/..') ((input = '/'), dropLast());
      else if (input === '.' || input === '..') input = '';
      else {
        const first = /^\/?[^/]*/.exec(input)![0];
        output += first;
        input = input.slice(first.length);
      }
    }
    return dropEmpty(output);
  }

  it('resolves random paths exactly as RFC 3986 section 5.2.4 does (then drops empty segments)', () => {
    const segment = fc.oneof(
      fc.constantFrom('', '.', '..', '%2e', '%2E', '.%2e', '%2e.', '%2E%2e', '...', 'a', 'b.c', '%41'),
      fc.stringMatching(/^[a-z.]{1,3}$/),
    );
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (segments) => {
        const path = '/' + segments.join('/');
        expect(removeDotSegments(path)).toBe(rfc(path));
      }),
      { seed: 0xd075, numRuns: 20000 },
    );
  });
});

describe('removeDotSegments against the URL standard (the platform URL parser)', () => {
  it('resolves random paths as the URL parser does, then drops empty segments', () => {
    // Segments that start with "." but are not dot segments (".a", ".%2e.") are left out: Node's parser (ada) leaves
    // "/x/.a/./y" unresolved, where the standard, Deno and Bun resolve it; the RFC 3986 property above covers them.
    const segment = fc.constantFrom(
      '',
      '.',
      '..',
      '%2e',
      '%2E',
      '.%2e',
      '%2e.',
      '%2E%2e',
      'a',
      'b.c',
      'x.',
      '%41',
      'a%2e',
      '%2ea',
    );
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (segments) => {
        const path = '/' + segments.join('/');
        expect(removeDotSegments(path)).toBe(standard(path));
      }),
      { seed: 0x75a1, numRuns: 20000 },
    );
  });
});

describe('toWirePath: the path as fetch sends it', () => {
  it.each([
    ['/prod/events/2024-01-01T10:00:00Z', '/prod/events/2024-01-01T10:00:00Z'],
    ['/prod/users/alice@example.com', '/prod/users/alice@example.com'],
    ["/prod/filter/a,b;c=d/report(1)*!'$&+.txt", "/prod/filter/a,b;c=d/report(1)*!'$&+.txt"],
    ['/x/%7Euser/%7e/%c3%bc', '/x/%7Euser/%7e/%c3%bc'],
    ['/a b/ü/😀', '/a%20b/%C3%BC/%F0%9F%98%80'],
    ['/"<>^`{}|[]', '/%22%3C%3E%5E%60%7B%7D|[]'],
    ['/a\\b', '/a/b'],
    ['/a/./b/../c', '/a/./b/../c'],
    ['', '/'],
  ])('%s → %s', (raw, sent) => expect(toWirePath(raw)).toBe(sent));

  it('refuses a "%" that starts no escape', () => {
    expect(() => toWirePath('/a%zz')).toThrow(
      Object.assign(
        new TypeError(
          '"url" expected "%" to start an escape of two hex digits (write a literal "%" as %25), got "%zz" at index 2',
        ),
        {
          code: 'ERR_SIGV4_INVALID_OPTION',
        },
      ),
    );
  });

  it('equals the URL parser on random paths without dot segments (the parser resolves those)', () => {
    const char = fc.oneof(
      fc.constantFrom(...'abcXYZ019-._~!$&\'()*+,;=:@ "<>^`{}|[]\\'),
      fc.constantFrom('%41', '%7e', '%7E', '%2F', '%c3%bc', 'é', 'ü', '日', '😀', '\u00a0', '\u2028'),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.array(char, { minLength: 1, maxLength: 6 }).map((c) => c.join('')),
          { maxLength: 5 },
        ),
        (segments) => {
          const raw = '/' + segments.join('/');
          if (/(^|[/\\])(\.|%2e)*([/\\]|$)/i.test(raw.slice(1))) return; // a dot segment, or "\" making one
          // Node's URL parser leaves a "^" raw unless something else in the path is encoded (ada-url/ada#970): the
          // URL standard and browsers encode it always.
          // A segment after the path keeps the parser from trimming a trailing space.
          expect(toWirePath(raw) + '/z').toBe(new URL(`http://h.invalid${raw}/z`).pathname.replace(/\^/g, '%5E'));
        },
      ),
      { seed: 0x3e4d, numRuns: 20000 },
    );
  });

  it('as received, only a space and non-ASCII are encoded: the rest is as its sender signed it', () => {
    expect(toReceivedPath('/a b/ü/^{}\\/%7e')).toBe('/a%20b/%C3%BC/^{}\\/%7e');
  });
});

describe('createCanonicalUri', () => {
  it('S3: the path as it is; other services: every byte outside the unreserved set but "/" encoded once more', () => {
    expect(createCanonicalUri('/a%20b/%7E', false)).toBe('/a%20b/%7E');
    expect(createCanonicalUri('/prod/events/2024-01-01T10:00:00Z', true)).toBe('/prod/events/2024-01-01T10%3A00%3A00Z');
    expect(createCanonicalUri('/prod/users/alice@example.com', true)).toBe('/prod/users/alice%40example.com');
    expect(createCanonicalUri('/prod/filter/a,b;c=d', true)).toBe('/prod/filter/a%2Cb%3Bc%3Dd');
    expect(createCanonicalUri("/prod/files/report(1)*!'.txt", true)).toBe('/prod/files/report%281%29%2A%21%27.txt');
    expect(createCanonicalUri('/x/%7Euser/%c3%bc', true)).toBe('/x/%257Euser/%25c3%25bc');
    expect(createCanonicalUri('/-._~/', true)).toBe('/-._~/');
  });
});

describe('encodePath on long input', () => {
  // A regression: the fast path's first pattern had nested quantifiers, and a long run of unreserved characters
  // followed by one to encode took quadratic time (16,000 characters: 0.9 s; this input: minutes).
  it('encodes a 200,000-character segment that needs encoding without hanging', () => {
    const path = '/' + 'a'.repeat(200_000) + ' ';
    for (const normalize of [true, false]) expect(encodePath(path, normalize)).toBe('/' + 'a'.repeat(200_000) + '%20');
    expect(toWirePath(path)).toBe('/' + 'a'.repeat(200_000) + '%20');
    expect(removeDotSegments(path + '/./')).toBe('/' + 'a'.repeat(200_000) + ' /');
  }, 5_000);
});
