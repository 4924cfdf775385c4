// presignUrl specifics: which headers the holder must send, hoisting x-amz-* headers into the query, unsigned
// session tokens, method case, URL objects, ports and fragments, expiresAt, and the S3 vs other-service rules.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_SHA256,
  presignUrl,
  presignUrlSync,
  SigningKeyCache,
  type PresignOptions,
  type PresignedUrl,
} from '../../src/index.js';
import { hmacSha256, sha256Hex, signatureOf } from '../support/reference.js';

const credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLE+/=token';
const cache = new SigningKeyCache();
const s3 = {
  url: 'https://examplebucket.s3.amazonaws.com/test.txt',
  service: 's3',
  region: 'us-east-1',
  credentials,
  signingDate: '2013-05-24T00:00:00Z',
  cache,
} satisfies PresignOptions;

/** Presigns with both the async and the sync function, checks they agree, and returns the result. */
async function presign(options: PresignOptions): Promise<PresignedUrl> {
  const result = await presignUrl(options);
  expect(presignUrlSync(options)).toEqual(result);
  return result;
}

const lines = (r: PresignedUrl) => {
  const [method, uri, query, ...rest] = r.canonicalRequest.split('\n');
  return {
    method: method!,
    uri: uri!,
    query: query!,
    headerLines: rest.slice(0, -3),
    signedHeaders: rest.at(-2)!,
    payload: rest.at(-1)!,
  };
};
const params = (url: string): Map<string, string> =>
  new Map(
    url
      .slice(url.indexOf('?') + 1)
      .split('&')
      .map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as [string, string]),
  );

describe('presignUrl: the URL and its stages', () => {
  it('signs the S3 docs example (GET test.txt, 86400 s) byte for byte', async () => {
    const r = await presign({ ...s3, expiresIn: 86400 });
    expect(r.url).toBe(
      'https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );
    expect(r.stringToSign).toBe(
      `AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n${sha256Hex(r.canonicalRequest)}`,
    );
    expect(r.signature).toBe(signatureOf(credentials.secretAccessKey, r.stringToSign));
    expect(r.method).toBe('GET');
    expect(r.credentialScope).toBe('20130524/us-east-1/s3/aws4_request');
    expect(r.amzDate).toBe('20130524T000000Z');
    expect(r.signedHeaders).toEqual(['host']);
    expect(r.headers).toEqual({});
  });

  it('expiresIn defaults to 3600 and expiresAt is the signing second plus expiresIn', async () => {
    const r = await presign({ ...s3, signingDate: '2015-08-30T12:36:00.999Z' });
    expect(params(r.url).get('X-Amz-Expires')).toBe('3600');
    expect(r.amzDate).toBe('20150830T123600Z');
    expect(r.expiresAt.toISOString()).toBe('2015-08-30T13:36:00.000Z');
    const short = await presign({ ...s3, signingDate: new Date(Date.UTC(2015, 7, 30, 12, 36, 0, 500)), expiresIn: 1 });
    expect(short.expiresAt.toISOString()).toBe('2015-08-30T12:36:01.000Z');
    const week = await presign({ ...s3, signingDate: Date.UTC(2015, 7, 30), expiresIn: 604800 });
    expect(week.expiresAt.toISOString()).toBe('2015-09-06T00:00:00.000Z');
    expect(params(week.url).get('X-Amz-Expires')).toBe('604800');
  });

  it('accepts signingDate as a Date, epoch milliseconds or an ISO string, all alike', async () => {
    const ms = Date.UTC(2013, 4, 24);
    const [a, b, c] = await Promise.all([
      presign({ ...s3, signingDate: new Date(ms) }),
      presign({ ...s3, signingDate: ms }),
      presign({ ...s3, signingDate: '2013-05-24T00:00:00.000Z' }),
    ]);
    expect(b.url).toBe(a.url);
    expect(c.url).toBe(a.url);
  });

  it('the default payload hash is UNSIGNED-PAYLOAD for s3 and the empty-body hash otherwise; payloadHash overrides it', async () => {
    expect(lines(await presign(s3)).payload).toBe('UNSIGNED-PAYLOAD');
    expect(lines(await presign({ ...s3, service: 'execute-api' })).payload).toBe(EMPTY_SHA256);
    const hash = sha256Hex('hello');
    expect(lines(await presign({ ...s3, payloadHash: hash })).payload).toBe(hash);
    expect(lines(await presign({ ...s3, service: 'lambda', payloadHash: 'UNSIGNED-PAYLOAD' })).payload).toBe(
      'UNSIGNED-PAYLOAD',
    );
  });
});

describe('presignUrl: headers the holder must send', () => {
  it('lists every signed header but host, with the values signed, and signs them', async () => {
    const r = await presign({
      ...s3,
      method: 'PUT',
      headers: { 'Content-Type': 'image/jpeg', 'x-amz-meta-Tag': '  a   b  ', 'Content-Length': 5 },
    });
    expect(r.headers).toEqual({ 'content-type': 'image/jpeg', 'x-amz-meta-tag': '  a   b  ', 'content-length': '5' });
    expect(r.signedHeaders).toEqual(['content-length', 'content-type', 'host', 'x-amz-meta-tag']);
    expect(params(r.url).get('X-Amz-SignedHeaders')).toBe('content-length%3Bcontent-type%3Bhost%3Bx-amz-meta-tag');
    const l = lines(r);
    expect(l.headerLines).toEqual([
      'content-length:5',
      'content-type:image/jpeg',
      'host:examplebucket.s3.amazonaws.com',
      'x-amz-meta-tag:a b',
    ]);
    expect(l.signedHeaders).toBe('content-length;content-type;host;x-amz-meta-tag');
  });

  it('takes Headers, pairs and arrays of values, joining repeated headers with ","', async () => {
    const pairs = await presign({
      ...s3,
      headers: [
        ['X-Amz-Meta-A', '1'],
        ['x-amz-meta-a', '2'],
        ['content-type', 'text/plain'],
      ],
    });
    expect(pairs.headers).toEqual({ 'x-amz-meta-a': '1,2', 'content-type': 'text/plain' });
    const object = await presign({
      ...s3,
      headers: { 'x-amz-meta-a': ['1', '2'], 'content-type': 'text/plain', 'x-skip': undefined },
    });
    expect(object.url).toBe(pairs.url);
    const headers = await presign({
      ...s3,
      headers: new Headers({ 'x-amz-meta-a': '1, 2', 'content-type': 'text/plain' }),
    });
    expect(headers.signedHeaders).toEqual(pairs.signedHeaders);
  });

  it('lists host only when the caller set it', async () => {
    const r = await presign({ ...s3, headers: { Host: 'examplebucket.s3.amazonaws.com' } });
    expect(r.headers).toEqual({ host: 'examplebucket.s3.amazonaws.com' });
    expect(r.signedHeaders).toEqual(['host']);
    expect(r.signature).toBe((await presign(s3)).signature);
  });
});

describe('presignUrl: hoistAmzHeaders', () => {
  const headers = {
    'x-amz-meta-Note': 'a b+c',
    'X-Amz-Acl': 'public-read',
    'x-amz-storage-class': 'STANDARD_IA',
    'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    'x-amz-server-side-encryption-customer-algorithm': 'AES256',
    'x-amz-server-side-encryption-customer-key': 'MDEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3ODlBQkNERUY=',
    'x-amz-server-side-encryption-customer-key-md5': 'vDmHRyTnqGZFAK5TbjUjWQ==',
    'content-type': 'text/plain',
  };

  it('moves x-amz-* headers into the signed query, but not x-amz-content-sha256, SSE-C or other headers', async () => {
    const r = await presign({ ...s3, method: 'PUT', headers, hoistAmzHeaders: true });
    const p = params(r.url);
    expect(p.get('x-amz-meta-note')).toBe('a%20b%2Bc');
    expect(p.get('x-amz-acl')).toBe('public-read');
    expect(p.get('x-amz-storage-class')).toBe('STANDARD_IA');
    expect(r.headers).toEqual({
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      'x-amz-server-side-encryption-customer-algorithm': 'AES256',
      'x-amz-server-side-encryption-customer-key': 'MDEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3ODlBQkNERUY=',
      'x-amz-server-side-encryption-customer-key-md5': 'vDmHRyTnqGZFAK5TbjUjWQ==',
      'content-type': 'text/plain',
    });
    expect(r.signedHeaders).toEqual([
      'content-type',
      'host',
      'x-amz-content-sha256',
      'x-amz-server-side-encryption-customer-algorithm',
      'x-amz-server-side-encryption-customer-key',
      'x-amz-server-side-encryption-customer-key-md5',
    ]);
    for (const name of ['x-amz-content-sha256', 'x-amz-server-side-encryption-customer-key', 'content-type'])
      expect(p.has(name)).toBe(false);
    // The hoisted parameters are part of the canonical query, so they are signed.
    expect(lines(r).query).toContain('x-amz-acl=public-read&x-amz-meta-note=a%20b%2Bc&x-amz-storage-class=STANDARD_IA');
  });

  it('keeps every header a header by default', async () => {
    const r = await presign({ ...s3, method: 'PUT', headers });
    expect(Object.keys(r.headers).sort()).toEqual(
      Object.keys(headers)
        .map((n) => n.toLowerCase())
        .sort(),
    );
    expect([...params(r.url).keys()].some((k) => k.startsWith('x-amz-'))).toBe(false);
  });
});

describe('presignUrl: session tokens', () => {
  const withToken = { ...s3, credentials: { ...credentials, sessionToken: TOKEN } };

  it('signs X-Amz-Security-Token by default', async () => {
    const r = await presign(withToken);
    expect(lines(r).query).toContain(`X-Amz-Security-Token=${encodeURIComponent(TOKEN)}&X-Amz-SignedHeaders=host`);
    expect(params(r.url).get('X-Amz-Security-Token')).toBe('IQoJb3JpZ2luX2VjEXAMPLE%2B%2F%3Dtoken');
    expect(r.url.endsWith(`&X-Amz-Signature=${r.signature}`)).toBe(true);
  });

  it('with signSessionToken: false adds the token after signing, outside the canonical request', async () => {
    const r = await presign({ ...withToken, signSessionToken: false });
    expect(r.canonicalRequest).not.toContain('Security-Token');
    expect(r.canonicalRequest).toBe((await presign(s3)).canonicalRequest);
    expect(r.signature).toBe((await presign(s3)).signature);
    const query = r.url.slice(r.url.indexOf('?') + 1);
    expect(query).toBe(
      `${lines(r).query}&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLE%2B%2F%3Dtoken&X-Amz-Signature=${r.signature}`,
    );
  });
});

describe('presignUrl: method', () => {
  it.each(['get', 'Get', 'delete', 'head', 'options', 'post', 'put'])(
    'upper-cases the fetch-normalized method %s',
    async (method) => {
      const r = await presign({ ...s3, method });
      expect(r.method).toBe(method.toUpperCase());
      expect(lines(r).method).toBe(method.toUpperCase());
    },
  );

  it.each(['PURGE', 'Purge', 'propfind', 'MKCOL'])('keeps the extension method %s as written', async (method) => {
    const r = await presign({ ...s3, method });
    expect(r.method).toBe(method);
    expect(lines(r).method).toBe(method);
  });
});

describe('presignUrl: the URL as given', () => {
  it('a URL object signs like the equivalent string', async () => {
    const object = await presign({ ...s3, url: new URL('https://examplebucket.s3.amazonaws.com/a b/ü.txt?x=1 2') });
    const string = await presign({ ...s3, url: 'https://examplebucket.s3.amazonaws.com/a%20b/%C3%BC.txt?x=1%202' });
    expect(object.url).toBe(string.url);
    expect(lines(object).uri).toBe('/a%20b/%C3%BC.txt');
  });

  it('a URL object has resolved dot segments already; a string keeps them for S3', async () => {
    expect(lines(await presign({ ...s3, url: new URL('https://examplebucket.s3.amazonaws.com/a/../b/./c') })).uri).toBe(
      '/b/c',
    );
    expect(lines(await presign({ ...s3, url: 'https://examplebucket.s3.amazonaws.com/a/../b/./c' })).uri).toBe(
      '/a/../b/./c',
    );
  });

  it.each([
    [
      'https://examplebucket.s3.amazonaws.com:8443/k',
      'https://examplebucket.s3.amazonaws.com:8443/k?',
      'host:examplebucket.s3.amazonaws.com:8443',
    ],
    ['http://localhost:9000/bucket/k', 'http://localhost:9000/bucket/k?', 'host:localhost:9000'],
    [
      'https://examplebucket.s3.amazonaws.com:443/k',
      'https://examplebucket.s3.amazonaws.com/k?',
      'host:examplebucket.s3.amazonaws.com',
    ],
    [
      'http://examplebucket.s3.amazonaws.com:80/k',
      'http://examplebucket.s3.amazonaws.com/k?',
      'host:examplebucket.s3.amazonaws.com',
    ],
    [
      'http://examplebucket.s3.amazonaws.com:443/k',
      'http://examplebucket.s3.amazonaws.com:443/k?',
      'host:examplebucket.s3.amazonaws.com:443',
    ],
    [
      'HTTPS://ExampleBucket.S3.AmazonAWS.com/k',
      'https://examplebucket.s3.amazonaws.com/k?',
      'host:examplebucket.s3.amazonaws.com',
    ],
    ['https://[::1]:8443/k', 'https://[::1]:8443/k?', 'host:[::1]:8443'],
  ])('%s: the URL starts %s and signs %s', async (url, start, hostLine) => {
    const r = await presign({ ...s3, url });
    expect(r.url.startsWith(start)).toBe(true);
    expect(lines(r).headerLines).toEqual([hostLine]);
  });

  it('drops the fragment', async () => {
    const r = await presign({ ...s3, url: 'https://examplebucket.s3.amazonaws.com/k?a=1#section?b=2' });
    expect(r.url).not.toContain('#');
    expect(r.url).not.toContain('section');
    expect(lines(r).query.startsWith('X-Amz-Algorithm=')).toBe(true);
    expect(lines(r).query).toContain('&a=1');
    expect(lines(r).query).not.toContain('b=2');
    const noQuery = await presign({ ...s3, url: 'https://examplebucket.s3.amazonaws.com/k#frag' });
    expect(lines(noQuery).uri).toBe('/k');
  });

  it('an empty path is "/"', async () => {
    expect(lines(await presign({ ...s3, url: 'https://examplebucket.s3.amazonaws.com' })).uri).toBe('/');
    expect(lines(await presign({ ...s3, url: 'https://examplebucket.s3.amazonaws.com?list-type=2' })).uri).toBe('/');
    expect(
      (await presign({ ...s3, url: 'https://examplebucket.s3.amazonaws.com' })).url.startsWith(
        'https://examplebucket.s3.amazonaws.com/?',
      ),
    ).toBe(true);
  });

  it('encodes a key with space, plus, unicode and sub-delims once for S3, and twice for other services', async () => {
    const url = "https://examplebucket.s3.amazonaws.com/photos/a b+c ü!'()*.jpg";
    const r = await presign({ ...s3, url });
    expect(lines(r).uri).toBe('/photos/a%20b%2Bc%20%C3%BC%21%27%28%29%2A.jpg');
    expect(
      r.url.startsWith('https://examplebucket.s3.amazonaws.com/photos/a%20b%2Bc%20%C3%BC%21%27%28%29%2A.jpg?'),
    ).toBe(true);
    const api = await presign({ ...s3, service: 'execute-api', url: 'https://api.example.com/my doc/ü' });
    expect(lines(api).uri).toBe('/my%2520doc/%25C3%25BC');
    expect(api.url.startsWith('https://api.example.com/my%20doc/%C3%BC?')).toBe(true);
  });

  it('keeps //, . and .. for S3 and resolves them for other services', async () => {
    expect(lines(await presign({ ...s3, url: 'https://b.s3.amazonaws.com//a/./b/../c/' })).uri).toBe('//a/./b/../c/');
    const api = await presign({ ...s3, service: 'execute-api', url: 'https://api.example.com//a/./b/../c/' });
    expect(lines(api).uri).toBe('/a/c/');
    // The URL keeps the caller's path: fetch resolves the dot segments itself, and the server normalizes the rest.
    expect(api.url.startsWith('https://api.example.com//a/./b/../c/?')).toBe(true);
    // RFC 3986 section 5.2.4: a path that ends in a dot segment keeps its trailing slash.
    for (const path of ['/a/.', '/a/b/..', '/a/%2E', '/a/b/%2e%2E', '/a//x/..', '/a/./'])
      expect(
        lines(await presign({ ...s3, service: 'execute-api', url: `https://api.example.com${path}` })).uri,
        path,
      ).toBe('/a/');
    // The options turn each rule on or off, whatever the service.
    expect(
      lines(await presign({ ...s3, normalizePath: true, url: 'https://b.s3.amazonaws.com//a/./b/../c' })).uri,
    ).toBe('/a/c');
    expect(
      lines(
        await presign({
          ...s3,
          service: 'execute-api',
          normalizePath: false,
          uriEscapePath: false,
          url: 'https://h//a b',
        }),
      ).uri,
    ).toBe('//a%20b');
  });

  it('sorts the query by encoded key then value, reading + as a space and %2B as a plus', async () => {
    const r = await presign({
      ...s3,
      url: 'https://b.s3.amazonaws.com/k?b=2&a=z&a=y&A=1&c=x+y&d=x%2By&e',
      query: { f: 'p+q r' },
    });
    expect(lines(r).query).toBe(
      'A=1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&a=y&a=z&b=2&c=x%20y&d=x%2By&e=&f=p%2Bq%20r',
    );
  });
});

describe('presignUrl: inputs are not mutated', () => {
  it('leaves frozen options, headers, query and credentials as they were', async () => {
    const headerPairs = Object.freeze([Object.freeze(['x-amz-meta-a', '1'] as const)]);
    const query = new URLSearchParams('z=1&y=2');
    const options = Object.freeze({
      ...s3,
      credentials: Object.freeze({ ...credentials, sessionToken: TOKEN }),
      headers: headerPairs,
      query,
      hoistAmzHeaders: true,
    });
    const r = await presign(options);
    expect(query.toString()).toBe('z=1&y=2');
    expect(headerPairs).toEqual([['x-amz-meta-a', '1']]);
    expect(params(r.url).get('x-amz-meta-a')).toBe('1');
  });
});

describe('host', () => {
  // parseUrl reads plain DNS hosts itself and sends every other host through URL: both must give the host the
  // URL parser gives (the one an HTTP client sends), or both refuse it.
  const signedHost = (url: string): string => {
    const r = presignUrlSync({
      url,
      service: 's3',
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 's' },
      signingDate: 0,
    });
    const line = r.canonicalRequest.split('\n').find((l) => l.startsWith('host:'))!;
    expect(new URL(r.url).host).toBe(line.slice(5));
    return line.slice(5);
  };
  const urlHost = (url: string): string => new URL(url).host;
  const outcome = (f: () => string): string => {
    try {
      return f();
    } catch (error) {
      return error instanceof TypeError || error instanceof RangeError ? 'refused' : `threw ${String(error)}`;
    }
  };
  it.each([
    'Example.COM',
    'example.com:443',
    'example.com:80',
    'x.y.z:65535',
    'x:65536',
    'x:0443',
    '0x7f.1',
    '127.0.0.1:9000',
    'a.1b',
    'xn--bcher-kva.example',
    '[::1]:9000',
    'ex%61mple.com',
    'ÜBER.de',
    'com.',
  ])('https://%s is signed with the host URL gives', (authority) => {
    for (const scheme of ['http', 'https']) {
      const url = `${scheme}://${authority}/k`;
      expect(outcome(() => signedHost(url))).toBe(outcome(() => urlHost(url)));
    }
  });
  it('random authorities: same host as URL, or refused by both', () => {
    const alphabet = fc.constantFrom(...'aZ09.-:x_[]%'.split(''));
    fc.assert(
      fc.property(
        fc.string({ unit: alphabet, minLength: 1, maxLength: 16 }),
        fc.constantFrom('http', 'https'),
        (authority, scheme) => {
          const url = `${scheme}://${authority}/k`;
          expect(outcome(() => signedHost(url))).toBe(outcome(() => urlHost(url)));
        },
      ),
      { seed: 0x5eed, numRuns: 3000 },
    );
  });
  it('a run of URLs on few hosts (the last host read is remembered): each signed with its own host, or refused', () => {
    // Same authority, other case or port; a path with a control character or a lone surrogate after a good URL
    // on the same host; user info, which never reaches the remembered host.
    const authority = fc.constantFrom(
      'Example.com',
      'example.com',
      'example.com:443',
      'example.com:8443',
      'a@example.com',
      '127.0.0.1',
      'x:65536',
    );
    const path = fc.constantFrom('/k', '/a b', '/tab\there', '/lone\uD800', '/%41', '', '/?q=1#frag', '/#\x7f');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('http', 'HTTPS', 'https'), authority, path), { minLength: 2, maxLength: 12 }),
        (urls) => {
          for (const [scheme, auth, p] of urls) {
            const url = `${scheme}://${auth}${p}`;
            const bad = /[\0-\x1f\x7f@]|\uD800/.test(url) ? 'refused' : undefined;
            expect(
              outcome(() => signedHost(url)),
              url,
            ).toBe(bad ?? outcome(() => urlHost(url)));
          }
        },
      ),
      { seed: 0x5eee, numRuns: 500 },
    );
  });
});

describe('presignUrlSync with an injected crypto backend', () => {
  const options: PresignOptions = {
    url: 'https://examplebucket.s3.amazonaws.com/test.txt',
    service: 's3',
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    signingDate: '2013-05-24T00:00:00Z',
    expiresIn: 86400,
  };
  let calls = 0;
  const nodeCrypto = {
    sha256Hex: (data: string | Uint8Array) => (calls++, sha256Hex(data)),
    hmacSha256: (key: Uint8Array, data: string) => (calls++, hmacSha256(key, data)),
  };
  it('gives the S3 documentation signature, through the backend, cached or not', () => {
    for (const cache of [new SigningKeyCache(), false as const]) {
      calls = 0;
      const r = presignUrlSync({ ...options, cache, crypto: nodeCrypto });
      expect(r.signature).toBe('aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
      expect(calls).toBe(6); // four HMACs to derive the key, one hash, one HMAC
    }
    const cache = new SigningKeyCache();
    presignUrlSync({ ...options, cache, crypto: nodeCrypto });
    calls = 0;
    presignUrlSync({ ...options, cache, crypto: nodeCrypto });
    expect(calls).toBe(2); // the derived key is cached
  });
  it.each([{}, { sha256Hex: () => '' }, null, 'node'])('refuses crypto: %j', (crypto) => {
    expect(() => presignUrlSync({ ...options, crypto: crypto as never })).toThrow(
      Object.assign(
        new TypeError(
          `"crypto" expected an object with sha256Hex(data) and hmacSha256(key, data) functions, got ${crypto === null ? 'null' : typeof crypto === 'string' ? '"node"' : 'an object (Object)'}`,
        ),
        { code: 'ERR_SIGV4_INVALID_OPTION' },
      ),
    );
  });
});

describe('one credentials object across calls (its validated copy is kept with it)', () => {
  const base = {
    url: 'https://examplebucket.s3.amazonaws.com/test.txt',
    service: 's3',
    region: 'us-east-1',
    signingDate: '2013-05-24T00:00:00Z',
    expiresIn: 86400,
  };
  it('follows every change to the object: secret, access key id, session token; and refuses one made invalid', () => {
    const mine: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    };
    const fresh = () => presignUrlSync({ ...base, credentials: { ...mine }, cache: false }).url;
    const again = () => presignUrlSync({ ...base, credentials: mine, cache: false }).url;
    expect(again()).toContain('X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
    mine.secretAccessKey = 'another secret';
    expect(again()).toBe(fresh());
    mine.accessKeyId = 'AKIDOTHER';
    expect(again()).toContain('X-Amz-Credential=AKIDOTHER%2F');
    mine.sessionToken = 'token/+=';
    expect(again()).toContain('X-Amz-Security-Token=token%2F%2B%3D');
    expect(again()).toBe(fresh());
    mine.accessKeyId = 'AKID/BAD';
    expect(again).toThrow(
      /^"credentials\.accessKeyId" expected visible ASCII without "\/", "," or spaces, got "AKID\/BAD"$/,
    );
    delete mine.sessionToken;
    mine.accessKeyId = 'AKIAIOSFODNN7EXAMPLE';
    mine.secretAccessKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    expect(again()).toContain('X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
  });
});
