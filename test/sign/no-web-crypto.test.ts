// Without Web Crypto (Node without the global, an http page on a name other than localhost) every asynchronous
// function rejects with one clear TypeError, and nothing else happens: no unhandled rejection after the caller
// caught the error, and no failed key kept, so once Web Crypto is there the same credentials object signs
// correctly. A Web Crypto failure while a key is derived is not kept either, in lite's per-object key or in the
// full entry's SigningKeyCache.

import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  SigningKeyCache,
  createPresignedPost,
  presignUrl,
  presignUrlSync,
  signRequest,
  verifyPresignedPost,
  verifyPresignedUrl,
  verifyRequest,
} from '../../src/index.js';
import * as lite from '../../src/lite.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const DATE = new Date('2013-05-24T00:00:00Z');
const S3_DOC_SIGNATURE = 'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
const presignOptions = {
  url: 'https://examplebucket.s3.amazonaws.com/test.txt',
  service: 's3',
  region: 'us-east-1',
  signingDate: DATE,
  expiresIn: 86400,
};
const signOptions = {
  url: 'https://examplebucket.s3.amazonaws.com/test.txt',
  service: 's3',
  region: 'us-east-1',
  signingDate: DATE,
  body: 'x',
};

const FULL_MESSAGE =
  'sigv4 expected Web Crypto (globalThis.crypto.subtle), got none: use Node 20+, Deno, Bun, Workers, or a browser page served over https or localhost';
const LITE_MESSAGE = '"globalThis.crypto.subtle" expected Web Crypto, got none';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs `f` with `globalThis.crypto` replaced by `value` (undefined: no Web Crypto at all; {}: no `subtle`). */
async function withCrypto<T>(value: unknown, f: () => Promise<T>): Promise<T> {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
  expect(saved, 'this Node has a global crypto to remove').toBeDefined();
  Object.defineProperty(globalThis, 'crypto', { value, configurable: true, writable: true });
  try {
    expect(globalThis.crypto?.subtle).toBeUndefined();
    return await f();
  } finally {
    Object.defineProperty(globalThis, 'crypto', saved!);
  }
}

/** Collects the process's unhandled rejections while `f` runs and for a few turns of the event loop after. */
async function unhandledDuring(f: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => void seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await f();
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

/** The rejection of a promise (failing if it resolves). */
const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );

describe.each([
  ['no globalThis.crypto', undefined],
  ['a crypto without subtle (an insecure context)', {}],
])('without Web Crypto: %s', (_, replacement) => {
  it('sigv4/lite presignUrl and signRequest reject with a TypeError, nothing unhandled; then the same object signs', async () => {
    const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET };
    const unhandled = await unhandledDuring(() =>
      withCrypto(replacement, async () => {
        for (const call of [
          () => lite.presignUrl({ ...presignOptions, credentials }),
          () => lite.signRequest({ ...signOptions, credentials }),
        ]) {
          const error = await rejection(call());
          expect(error).toBeInstanceOf(TypeError);
          expect((error as Error).message).toBe(LITE_MESSAGE);
        }
        // Bad input is still reported first.
        const bad = await rejection(lite.presignUrl({ ...presignOptions, region: 'a/b', credentials }));
        expect((bad as Error).message).toMatch(/^"region" expected/);
      }),
    );
    expect(unhandled).toEqual([]);

    // Web Crypto back: the same credentials object, no failed key kept.
    const presigned = await lite.presignUrl({ ...presignOptions, credentials });
    expect(presigned.signature).toBe(S3_DOC_SIGNATURE);
    expect(presigned.url).toBe(
      (await presignUrl({ ...presignOptions, credentials: { ...credentials }, cache: false })).url,
    );
    const signed = await lite.signRequest({ ...signOptions, credentials });
    expect(signed.authorization).toBe(
      (await signRequest({ ...signOptions, credentials: { ...credentials }, cache: false })).headers['authorization'],
    );
  });

  it('the full entry: presignUrl, signRequest, createPresignedPost and verify* reject with its TypeError, nothing unhandled or cached', async () => {
    const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET };
    const getCredentials = (id: string) => (id === credentials.accessKeyId ? credentials : undefined);
    // Made while Web Crypto is there: a URL, a signed request and a form to verify without it.
    const url = (await presignUrl({ ...presignOptions, credentials, cache: false })).url;
    const request = await signRequest({ ...signOptions, credentials, cache: false });
    const post = await createPresignedPost({
      url: 'https://examplebucket.s3.amazonaws.com/',
      key: 'k',
      region: 'us-east-1',
      credentials,
      signingDate: DATE,
      cache: false,
    });
    const now = DATE.getTime() + 1000;
    const cache = new SigningKeyCache();

    const unhandled = await unhandledDuring(() =>
      withCrypto(replacement, async () => {
        const calls: [string, () => Promise<unknown>][] = [
          ['presignUrl', () => presignUrl({ ...presignOptions, credentials, cache })],
          ['presignUrl (shared cache)', () => presignUrl({ ...presignOptions, credentials })],
          ['signRequest', () => signRequest({ ...signOptions, credentials, cache })],
          [
            'createPresignedPost',
            () =>
              createPresignedPost({
                url: 'https://examplebucket.s3.amazonaws.com/',
                key: 'k',
                region: 'us-east-1',
                credentials,
                signingDate: DATE,
                cache,
              }),
          ],
          [
            'verifyPresignedUrl',
            () =>
              verifyPresignedUrl({
                url,
                method: 'GET',
                region: 'us-east-1',
                service: 's3',
                getCredentials,
                now,
                cache,
              }),
          ],
          [
            'verifyRequest',
            () =>
              verifyRequest({
                url: request.url,
                method: 'GET',
                headers: request.headers,
                body: 'x',
                region: 'us-east-1',
                service: 's3',
                getCredentials,
                now,
                cache,
              }),
          ],
          [
            'verifyPresignedPost',
            () =>
              verifyPresignedPost({
                form: { ...post.fields, file: 'x' },
                region: 'us-east-1',
                getCredentials,
                now,
                cache,
              }),
          ],
        ];
        for (const [name, call] of calls) {
          const error = await rejection(call());
          expect(error, name).toBeInstanceOf(TypeError);
          expect((error as Error).message, name).toBe(FULL_MESSAGE);
        }
        expect(cache.size).toBe(0);
        // The synchronous functions need no Web Crypto.
        expect(presignUrlSync({ ...presignOptions, credentials }).signature).toBe(S3_DOC_SIGNATURE);
      }),
    );
    expect(unhandled).toEqual([]);

    const again = await presignUrl({ ...presignOptions, credentials, cache });
    expect(again.signature).toBe(S3_DOC_SIGNATURE);
    expect(
      await verifyPresignedUrl({
        url: again.url,
        method: 'GET',
        region: 'us-east-1',
        service: 's3',
        getCredentials,
        now,
        cache,
      }),
    ).toMatchObject({ accessKeyId: credentials.accessKeyId });
  });
});

describe('a Web Crypto failure while the key is derived is not kept', () => {
  const failOnce = () =>
    vi
      .spyOn(crypto.subtle, 'importKey')
      .mockRejectedValueOnce(new DOMException('the key could not be imported', 'OperationError'));

  it('sigv4/lite: the next call derives the key again and signs correctly', async () => {
    const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET };
    // Another scope first, so the key lite remembers is another one and the failure hits this key's derivation.
    await lite.presignUrl({ ...presignOptions, region: 'eu-west-1', credentials });
    const unhandled = await unhandledDuring(async () => {
      failOnce();
      const error = await rejection(lite.presignUrl({ ...presignOptions, credentials }));
      expect((error as Error).message).toBe('the key could not be imported');
    });
    expect(unhandled).toEqual([]);
    expect((await lite.presignUrl({ ...presignOptions, credentials })).signature).toBe(S3_DOC_SIGNATURE);
  });

  it('the full entry: the SigningKeyCache drops the failed key at once; the next call signs correctly', async () => {
    const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET };
    const cache = new SigningKeyCache();
    // Another scope first, so the cache holds a key and the failure hits this scope's derivation.
    await presignUrl({ ...presignOptions, region: 'eu-west-1', credentials, cache });
    expect(cache.size).toBe(1);
    const unhandled = await unhandledDuring(async () => {
      failOnce();
      const error = await rejection(presignUrl({ ...presignOptions, credentials, cache }));
      expect((error as Error).message).toBe('the key could not be imported');
      expect(cache.size).toBe(1); // only the other scope's key
    });
    expect(unhandled).toEqual([]);
    expect((await presignUrl({ ...presignOptions, credentials, cache })).signature).toBe(S3_DOC_SIGNATURE);
    expect(cache.size).toBe(2);
  });
});
