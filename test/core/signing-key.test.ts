// signing-key.ts: key derivation (checked against AWS's documented keys and node:crypto) and SigningKeyCache
// (bounded LRU, keyed per access key, secret, day, region and service).

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keyId } from '../../src/core/key-cache.js';
import {
  createSignature,
  defaultSigningKeyCache,
  deriveSigningKey,
  presignUrl,
  presignUrlSync,
  signRequestSync,
  SigningKeyCache,
  verifyPresignedUrl,
} from '../../src/index.js';
import { hmacHex, hmacSha256, sha256Hex, signingKey } from '../support/reference.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

const S3_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const IAM_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const alice = { accessKeyId: 'AKIDALICE', secretAccessKey: S3_SECRET };

afterEach(() => {
  vi.restoreAllMocks();
});

describe('deriveSigningKey', () => {
  it('gives the derived key of the Amazon S3 API Reference (20130524, us-east-1, s3)', async () => {
    expect(hex(await deriveSigningKey(S3_SECRET, '20130524', 'us-east-1', 's3'))).toBe(
      'dbb893acc010964918f1fd433add87c70e8b0db6be30c1fbeafefa5ec6ba8378',
    );
  });

  it('gives the derived key of the IAM User Guide example (20150830, us-east-1, iam)', async () => {
    expect(hex(await deriveSigningKey(IAM_SECRET, '20150830', 'us-east-1', 'iam'))).toBe(
      'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9',
    );
  });

  it('matches the node:crypto HMAC chain for non-ASCII secrets and scopes', async () => {
    for (const [secret, date, region, service] of [
      ['sécret/ü+😀', '20240229', 'eu-west-3', 'execute-api'],
      ['x', '19700101', 'auto', 's3'],
      ['a'.repeat(200), '99991231', 'cn-north-1', 'lambda'],
    ] as const) {
      expect(hex(await deriveSigningKey(secret, date, region, service))).toBe(
        signingKey(secret, date, region, service).toString('hex'),
      );
    }
  });

  it('returns the 32 raw key bytes', async () => {
    const key = await deriveSigningKey(S3_SECRET, '20130524', 'us-east-1', 's3');
    expect(key).toBeInstanceOf(Uint8Array);
    expect(key).toHaveLength(32);
  });
});

describe('SigningKeyCache', () => {
  const scope = ['20130524', 'us-east-1', 's3'] as const;

  it('holds non-extractable HMAC-SHA256 keys that sign like the derived key', async () => {
    const cache = new SigningKeyCache();
    const key = await cache.get(alice, ...scope);
    expect(key.extractable).toBe(false);
    expect(key.type).toBe('secret');
    expect(key.usages).toEqual(['sign']);
    expect(key.algorithm).toMatchObject({ name: 'HMAC', hash: { name: 'SHA-256' } });
    expect(await createSignature(key, 'string to sign')).toBe(
      hmacHex(signingKey(S3_SECRET, ...scope), 'string to sign'),
    );
  });

  it('returns the same key on a hit, without deriving again', async () => {
    const cache = new SigningKeyCache();
    const first = cache.get(alice, ...scope);
    const key = await first;
    const importKey = vi.spyOn(crypto.subtle, 'importKey');
    const sign = vi.spyOn(crypto.subtle, 'sign');
    const digest = vi.spyOn(crypto.subtle, 'digest');
    // The same credentials object: the cached promise itself, and no Web Crypto call at all.
    const again = cache.get(alice, ...scope);
    expect(cache.get(alice, ...scope)).toBe(again);
    expect(await again).toBe(key);
    // An equal object seen for the first time (a Worker that builds its credentials per request): the same
    // promise, found by access key id and scope with the secret compared, which takes no Web Crypto call either.
    expect(cache.get({ ...alice }, ...scope)).toBe(again);
    expect(
      cache.get(
        { accessKeyId: alice.accessKeyId, secretAccessKey: S3_SECRET.slice(0, 10) + S3_SECRET.slice(10) },
        ...scope,
      ),
    ).toBe(again);
    expect(digest).not.toHaveBeenCalled();
    expect(importKey).not.toHaveBeenCalled();
    expect(sign).not.toHaveBeenCalled();
    expect(cache.size).toBe(1);
  });

  it('shares one derivation between concurrent misses', async () => {
    const cache = new SigningKeyCache();
    const sign = vi.spyOn(crypto.subtle, 'sign');
    const [a, b, c] = await Promise.all([
      cache.get(alice, ...scope),
      cache.get(alice, ...scope),
      cache.get({ ...alice }, ...scope),
    ]);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(sign).toHaveBeenCalledTimes(4); // one HMAC chain: date, region, service, aws4_request
    expect(cache.size).toBe(1);
    expect(cache.get(alice, ...scope)).toBe(cache.get(alice, ...scope));
  });

  it('keeps one entry per access key, day, region and service', async () => {
    const cache = new SigningKeyCache();
    const keys = await Promise.all([
      cache.get(alice, ...scope),
      cache.get({ ...alice, accessKeyId: 'AKIDBOB' }, ...scope),
      cache.get(alice, '20130525', 'us-east-1', 's3'),
      cache.get(alice, '20130524', 'us-west-2', 's3'),
      cache.get(alice, '20130524', 'us-east-1', 'sqs'),
    ]);
    expect(cache.size).toBe(5);
    expect(new Set(keys).size).toBe(5);
    const signatures = await Promise.all(keys.map((key) => createSignature(key, 'x')));
    expect(signatures[2]).toBe(hmacHex(signingKey(S3_SECRET, '20130525', 'us-east-1', 's3'), 'x'));
    expect(signatures[3]).toBe(hmacHex(signingKey(S3_SECRET, '20130524', 'us-west-2', 's3'), 'x'));
    expect(signatures[4]).toBe(hmacHex(signingKey(S3_SECRET, '20130524', 'us-east-1', 'sqs'), 'x'));
  });

  it('derives a new key when the secret of an access key id changes (rotation)', async () => {
    const cache = new SigningKeyCache();
    const rotated = { accessKeyId: alice.accessKeyId, secretAccessKey: IAM_SECRET };
    const [oldKey, newKey] = [await cache.get(alice, ...scope), await cache.get(rotated, ...scope)];
    expect(newKey).not.toBe(oldKey);
    expect(cache.size).toBe(1); // the rotated secret's key replaces the old one: one entry per access key id and scope
    expect(await createSignature(newKey, 'x')).toBe(hmacHex(signingKey(IAM_SECRET, ...scope), 'x'));

    const common = {
      url: 'https://examplebucket.s3.amazonaws.com/test.txt',
      service: 's3',
      region: 'us-east-1',
      signingDate: '2013-05-24T00:00:00Z',
      cache,
    };
    const before = await presignUrl({ ...common, credentials: alice });
    const after = await presignUrl({ ...common, credentials: rotated });
    expect(after.canonicalRequest).toBe(before.canonicalRequest);
    expect(after.signature).not.toBe(before.signature);
    expect(after.signature).toBe(hmacHex(signingKey(IAM_SECRET, ...scope), after.stringToSign));
    expect(before.signature).toBe(hmacHex(signingKey(S3_SECRET, ...scope), before.stringToSign));
  });

  it('evicts the least recently used entry at maxEntries', async () => {
    const cache = new SigningKeyCache(2);
    const day = (d: string): Promise<CryptoKey> => cache.get(alice, d, 'us-east-1', 's3');
    const a = await day('20130501');
    const b = await day('20130502');
    expect(cache.size).toBe(2);
    expect(await day('20130501')).toBe(a); // a is now the most recent
    const c = await day('20130503'); // evicts b
    expect(cache.size).toBe(2);
    expect(await day('20130501')).toBe(a);
    expect(await day('20130503')).toBe(c);
    const b2 = await day('20130502'); // a miss again: evicts a, the least recent now
    expect(b2).not.toBe(b);
    expect(cache.size).toBe(2);
    expect(await day('20130501')).not.toBe(a);
  });

  it('with maxEntries 1 holds only the last key', async () => {
    const cache = new SigningKeyCache(1);
    const a = await cache.get(alice, ...scope);
    await cache.get(alice, '20130525', 'us-east-1', 's3');
    expect(cache.size).toBe(1);
    expect(await cache.get(alice, ...scope)).not.toBe(a);
  });

  it('clear() drops every key', async () => {
    const cache = new SigningKeyCache();
    const a = await cache.get(alice, ...scope);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(await cache.get(alice, ...scope)).not.toBe(a);
    expect(cache.size).toBe(1);
  });

  it('does not keep a failed derivation', async () => {
    const cache = new SigningKeyCache();
    vi.spyOn(crypto.subtle, 'importKey').mockRejectedValueOnce(new Error('simulated Web Crypto failure'));
    const failed = cache.get(alice, ...scope);
    await expect(failed).rejects.toThrow('simulated Web Crypto failure');
    expect(cache.size).toBe(0);
    const retried = cache.get(alice, ...scope);
    expect(retried).not.toBe(failed);
    expect(await createSignature(await retried, 'x')).toBe(hmacHex(signingKey(S3_SECRET, ...scope), 'x'));
    expect(cache.size).toBe(1);
  });

  it('defaults to 1000 entries and evicts the 1001st oldest', async () => {
    const cache = new SigningKeyCache();
    expect(cache.maxEntries).toBe(1000);
    expect(defaultSigningKeyCache.maxEntries).toBe(1000);
    const credentials = Array.from({ length: 1001 }, (_, i) => ({ accessKeyId: `AKID${i}`, secretAccessKey: 's' }));
    const first = await cache.get(credentials[0]!, ...scope);
    for (let i = 1; i <= 999; i++) await cache.get(credentials[i]!, ...scope);
    expect(cache.size).toBe(1000);
    expect(await cache.get(credentials[0]!, ...scope)).toBe(first); // still there; now the most recent
    await cache.get(credentials[1000]!, ...scope); // evicts AKID1, the least recent
    expect(cache.size).toBe(1000);
    expect(await cache.get(credentials[0]!, ...scope)).toBe(first);
    const sign = vi.spyOn(crypto.subtle, 'sign');
    await cache.get(credentials[1]!, ...scope);
    expect(sign).toHaveBeenCalledTimes(4); // derived again
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, -Infinity])(
    'rejects maxEntries %s with a RangeError',
    (n) => {
      expect(() => new SigningKeyCache(n)).toThrow(RangeError);
      expect(() => new SigningKeyCache(n)).toThrow(`"maxEntries" expected a positive integer, got ${String(n)}`);
    },
  );

  it.each([['10'], [null], [{}]])('rejects maxEntries %j', (n) => {
    expect(() => new SigningKeyCache(n as unknown as number)).toThrow(
      /^"maxEntries" expected a positive integer, got /,
    );
  });

  it('accepts maxEntries 1 and large integers', () => {
    expect(new SigningKeyCache(1).maxEntries).toBe(1);
    expect(new SigningKeyCache(1e6).maxEntries).toBe(1e6);
  });
});

describe('a new credentials object with a known secret (the key found by access key id and scope, the secret compared)', () => {
  const options = {
    url: 'https://examplebucket.s3.amazonaws.com/test.txt',
    service: 's3',
    region: 'us-east-1',
    signingDate: '2013-05-24T00:00:00Z',
  };
  const fresh = () => ({ accessKeyId: alice.accessKeyId, secretAccessKey: [...S3_SECRET].join('') });

  it('presignUrl: one digest and one HMAC per URL, as with a reused object', async () => {
    const cache = new SigningKeyCache();
    const first = await presignUrl({ ...options, credentials: fresh(), cache });
    const digest = vi.spyOn(crypto.subtle, 'digest');
    const sign = vi.spyOn(crypto.subtle, 'sign');
    const importKey = vi.spyOn(crypto.subtle, 'importKey');
    for (let i = 0; i < 3; i++)
      expect((await presignUrl({ ...options, credentials: fresh(), cache })).signature).toBe(first.signature);
    expect([digest.mock.calls.length, sign.mock.calls.length, importKey.mock.calls.length]).toEqual([3, 3, 0]);
    expect(first.signature).toBe(hmacHex(signingKey(S3_SECRET, '20130524', 'us-east-1', 's3'), first.stringToSign));
    expect(cache.size).toBe(1);
  });

  it('presignUrlSync and signRequestSync: the key is derived once (four HMACs), then one HMAC per signature', () => {
    const cache = new SigningKeyCache();
    let hmacs = 0;
    const crypto = {
      sha256Hex,
      hmacSha256: (key: Uint8Array, data: string) => (hmacs++, new Uint8Array(hmacSha256(key, data))),
    };
    const a = presignUrlSync({ ...options, credentials: fresh(), cache, crypto });
    expect(hmacs).toBe(5);
    const b = presignUrlSync({ ...options, credentials: fresh(), cache, crypto });
    const c = signRequestSync({ ...options, credentials: fresh(), cache, crypto });
    expect(hmacs).toBe(7);
    expect(b.signature).toBe(a.signature);
    expect(c.signature).toBe(hmacHex(signingKey(S3_SECRET, '20130524', 'us-east-1', 's3'), c.stringToSign));
    // The plain-JavaScript path keeps its prepared key next to the injected one's bytes.
    presignUrlSync({ ...options, credentials: fresh(), cache });
    presignUrlSync({ ...options, credentials: fresh(), cache });
    expect(cache.size).toBe(2);
  });

  it('a different secret for the same access key id never gets the cached key (any secrets, checked with node:crypto)', async () => {
    const cache = new SigningKeyCache();
    const secret = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 48 });
    await fc.assert(
      fc.asyncProperty(secret, secret, async (first, second) => {
        fc.pre(first !== second);
        for (const s of [first, second, first]) {
          const presigned = await presignUrl({
            ...options,
            credentials: { accessKeyId: 'AKIDMALLORY', secretAccessKey: s },
            cache,
          });
          expect(presigned.signature).toBe(
            hmacHex(signingKey(s, '20130524', 'us-east-1', 's3'), presigned.stringToSign),
          );
          const sync = presignUrlSync({
            ...options,
            credentials: { accessKeyId: 'AKIDMALLORY', secretAccessKey: s },
            cache,
          });
          expect(sync.signature).toBe(presigned.signature);
        }
      }),
      { seed: 0x4c1, numRuns: 200 },
    );
  });

  it('the lookup the signers use is no part of the class: a cache shows size, maxEntries, clear and get', () => {
    const cache = new SigningKeyCache(3);
    expect(Object.getOwnPropertyNames(SigningKeyCache.prototype).sort()).toEqual([
      'clear',
      'constructor',
      'get',
      'size',
    ]);
    expect(Object.keys(cache)).toEqual(['maxEntries']);
    expect('lookup' in cache).toBe(false);
    expect(Object.getOwnPropertySymbols(cache)).toEqual([Symbol.for('sigv4.SigningKeyCache.lookup')]);
  });
});

describe('without Web Crypto', () => {
  const options = {
    url: 'https://examplebucket.s3.amazonaws.com/test.txt',
    service: 's3',
    region: 'us-east-1',
    signingDate: '2013-05-24T00:00:00Z',
    credentials: alice,
  };
  const expected = hmacHex(
    signingKey(S3_SECRET, '20130524', 'us-east-1', 's3'),
    presignUrlSync({ ...options, cache: false }).stringToSign,
  );

  it('the synchronous functions sign the same and cache their key (the cache needs no crypto of its own)', () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
    Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true, writable: true });
    try {
      const cache = new SigningKeyCache();
      for (let i = 0; i < 2; i++) expect(presignUrlSync({ ...options, cache }).signature).toBe(expected);
      expect(signRequestSync({ ...options, cache }).authorization).toContain('Signature=');
      expect(cache.size).toBe(1);
    } finally {
      Object.defineProperty(globalThis, 'crypto', saved);
    }
  });
});

describe('keyId and the secret held by an entry', () => {
  it('the id names the kind, access key id and scope, never the secret', () => {
    expect(keyId('subtle', 'AKIDALICE', '20130524', 'us-east-1', 's3')).toBe('subtle AKIDALICE 20130524 us-east-1 s3');
    expect(keyId('sync', 'AKIDALICE', '20130524', 'us-east-1', 's3')).not.toBe(
      keyId('subtle', 'AKIDALICE', '20130524', 'us-east-1', 's3'),
    );
  });

  it('a secret one code unit away from the cached one, a prefix or an extension of it, never gets its key', () => {
    const options = {
      url: 'https://examplebucket.s3.amazonaws.com/test.txt',
      service: 's3',
      region: 'us-east-1',
      signingDate: '2013-05-24T00:00:00Z',
    };
    const cache = new SigningKeyCache();
    const near = [S3_SECRET.slice(0, -1), S3_SECRET + 'Y', S3_SECRET + '\0', ''.padEnd(S3_SECRET.length, 'a')];
    for (let i = 0; i < S3_SECRET.length; i += 7)
      near.push(S3_SECRET.slice(0, i) + String.fromCharCode(S3_SECRET.charCodeAt(i) ^ 1) + S3_SECRET.slice(i + 1));
    for (const secret of near) {
      presignUrlSync({ ...options, credentials: { accessKeyId: 'AKIDALICE', secretAccessKey: S3_SECRET }, cache });
      const other = presignUrlSync({
        ...options,
        credentials: { accessKeyId: 'AKIDALICE', secretAccessKey: secret },
        cache,
      });
      expect(other.signature).toBe(hmacHex(signingKey(secret, '20130524', 'us-east-1', 's3'), other.stringToSign));
    }
    expect(cache.size).toBe(1); // a rotated secret replaces the entry for its access key id and scope
  });
});

describe('cache option of the signing functions', () => {
  const options = {
    url: 'https://examplebucket.s3.amazonaws.com/test.txt',
    service: 's3',
    region: 'us-east-1',
    signingDate: '2013-05-24T00:00:00Z',
    credentials: alice,
  };

  it('cache: false derives the key every time, uses no cache, and signs the same', async () => {
    defaultSigningKeyCache.clear();
    const importKey = vi.spyOn(crypto.subtle, 'importKey');
    const a = await presignUrl({ ...options, cache: false });
    const importsPerSignature = importKey.mock.calls.length;
    expect(importsPerSignature).toBeGreaterThanOrEqual(1);
    const b = await presignUrl({ ...options, cache: false });
    expect(importKey.mock.calls.length).toBe(2 * importsPerSignature);
    expect(defaultSigningKeyCache.size).toBe(0);
    expect(b.signature).toBe(a.signature);
    expect(a.signature).toBe(hmacHex(signingKey(S3_SECRET, '20130524', 'us-east-1', 's3'), a.stringToSign));
    const cached = await presignUrl({ ...options, cache: new SigningKeyCache() });
    expect(cached.signature).toBe(a.signature);
  });

  it('a cache from another copy of the library (same methods, another class) is used by signers and verifiers alike', async () => {
    const real = new SigningKeyCache();
    // Delegates to a real cache, as an instance of the same class loaded twice (ESM and CJS, two bundles) would:
    // its public get, and the lookup the signers use, registered under Symbol.for (no part of the class's type).
    const lookup = Symbol.for('sigv4.SigningKeyCache.lookup');
    const internal = (real as unknown as Record<symbol, unknown>)[lookup];
    expect(typeof internal).toBe('function');
    const foreign = { get: real.get.bind(real), [lookup]: internal } as unknown as SigningKeyCache;
    const presigned = await presignUrl({ ...options, cache: foreign, expiresIn: 60 });
    expect(real.size).toBe(1);
    expect(presignUrlSync({ ...options, cache: foreign, expiresIn: 60 }).url).toBe(presigned.url);
    expect(real.size).toBe(2); // the synchronous key is kept next to the Web Crypto one
    const verified = await verifyPresignedUrl({
      url: presigned.url,
      method: 'GET',
      getCredentials: () => ({ secretAccessKey: alice.secretAccessKey }),
      region: 'us-east-1',
      service: 's3',
      now: new Date('2013-05-24T00:00:30Z'),
      cache: foreign,
    });
    expect(verified.accessKeyId).toBe(alice.accessKeyId);
    expect(real.size).toBe(2);
  });

  it('a given cache is used instead of the default one', async () => {
    defaultSigningKeyCache.clear();
    const cache = new SigningKeyCache();
    await presignUrl({ ...options, cache });
    expect(cache.size).toBe(1);
    expect(defaultSigningKeyCache.size).toBe(0);
    await presignUrl(options);
    expect(defaultSigningKeyCache.size).toBe(1);
    defaultSigningKeyCache.clear();
  });
});

interface Regression {
  id: string;
  inputs: {
    accessKeyId: string;
    secrets: [string, string];
    url: string;
    service: string;
    region: string;
    signingDate: string;
    expiresIn: number;
  };
  expected: { signatures: [string, string] };
}
const regressions = (
  JSON.parse(readFileSync(new URL('../../vectors/regressions.json', import.meta.url), 'utf8')) as {
    cases: Regression[];
  }
).cases;

describe('SigningKeyCache regressions (vectors/regressions.json)', () => {
  const collision = regressions.find((c) => c.id === 'signing-key-cache-fingerprint-collision')!;
  const { inputs, expected } = collision;
  const presign = (secretAccessKey: string, cache: SigningKeyCache | false) =>
    presignUrl({
      url: inputs.url,
      service: inputs.service,
      region: inputs.region,
      signingDate: inputs.signingDate,
      expiresIn: inputs.expiresIn,
      credentials: { accessKeyId: inputs.accessKeyId, secretAccessKey: secretAccessKey },
      cache,
    });

  it('the stored signatures are what each secret gives on its own (cache: false, checked with node:crypto)', async () => {
    expect(inputs.secrets[0]).not.toBe(inputs.secrets[1]);
    for (const i of [0, 1] as const) {
      const result = await presign(inputs.secrets[i], false);
      expect(result.signature).toBe(expected.signatures[i]);
      expect(result.signature).toBe(
        hmacHex(signingKey(inputs.secrets[i], '20150830', inputs.region, inputs.service), result.stringToSign),
      );
    }
  });

  // SigningKeyCache once keyed entries by accessKeyId + scope + a 53-bit non-cryptographic fingerprint of the secret.
  // Colliding secrets are found in under a minute, and then the second secret is served the first one's key: with
  // the shared default cache, one tenant of a server can get requests signed with another tenant's secret.
  it('regression: two secrets with colliding fingerprints for one access key id must not share a cached key', async () => {
    const cache = new SigningKeyCache();
    expect((await presign(inputs.secrets[0], cache)).signature).toBe(expected.signatures[0]);
    expect((await presign(inputs.secrets[1], cache)).signature).toBe(expected.signatures[1]);
  });
});
