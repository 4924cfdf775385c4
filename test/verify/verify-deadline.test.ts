// Issue 13, library half: what a verifier does under attack and with a stuck key store. A deadline on the
// credential lookup (`signal`), a request refused on its auth parameters before the rest of its query is read,
// and a forged signature that costs one signature, not seven. (bench/verify-load.ts measures the costs; these
// tests check the behaviour.)

import { describe, expect, it } from 'vitest';
import {
  createPresignedPost,
  isSigV4Error,
  presignUrl,
  signRequest,
  verifyPresignedPost,
  verifyPresignedUrl,
  verifyRequest,
  type CredentialLookup,
} from '../../src/index.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const signingDate = Date.UTC(2024, 0, 1, 10);
const scope = { service: 's3', region: 'us-east-1' } as const;
const known: CredentialLookup = (id) =>
  id === credentials.accessKeyId ? { secretAccessKey: credentials.secretAccessKey } : undefined;
const never: CredentialLookup = () => new Promise(() => {});

const outcome = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (e: unknown) =>
      isSigV4Error(e) ? e.code : e instanceof Error ? `${e.constructor.name}:${e.name}` : `thrown ${String(e)}`,
  );

async function presigned(url = 'https://b.s3.amazonaws.com/k'): Promise<string> {
  return (await presignUrl({ url, ...scope, credentials, signingDate })).url;
}

describe('signal: a deadline on getCredentials', () => {
  it('a lookup that never answers ends with the signal, as fetch does: a TimeoutError, not a hang', async () => {
    const url = await presigned();
    const started = performance.now();
    const result = await outcome(
      verifyPresignedUrl({
        url,
        method: 'GET',
        ...scope,
        getCredentials: never,
        now: signingDate,
        signal: AbortSignal.timeout(50),
      }),
    );
    expect(result).toBe('DOMException:TimeoutError');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('the lookup receives the signal, to cancel its own work', async () => {
    const url = await presigned();
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const lookup: CredentialLookup = (id, { signal }) => {
      seen = signal;
      return known(id, { signal });
    };
    await verifyPresignedUrl({
      url,
      method: 'GET',
      ...scope,
      getCredentials: lookup,
      now: signingDate,
      signal: controller.signal,
    });
    expect(seen).toBe(controller.signal);
    // Without a signal, the lookup is told so.
    await verifyPresignedUrl({ url, method: 'GET', ...scope, getCredentials: lookup, now: signingDate });
    expect(seen).toBeUndefined();
  });

  it('aborted with a reason of its own: rejects with that reason; already aborted: the lookup is not called', async () => {
    const url = await presigned();
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const pending = verifyPresignedUrl({
      url,
      method: 'GET',
      ...scope,
      getCredentials: never,
      now: signingDate,
      signal: controller.signal,
    });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);

    let calls = 0;
    const counted: CredentialLookup = (id, context) => (calls++, known(id, context));
    await expect(
      verifyPresignedUrl({
        url,
        method: 'GET',
        ...scope,
        getCredentials: counted,
        now: signingDate,
        signal: controller.signal,
      }),
    ).rejects.toBe(reason);
    expect(calls).toBe(0);
  });

  it('a lookup that answers in time is unaffected, and an abort after the answer changes nothing', async () => {
    const url = await presigned();
    const controller = new AbortController();
    const verified = await verifyPresignedUrl({
      url,
      method: 'GET',
      ...scope,
      getCredentials: known,
      now: signingDate,
      signal: controller.signal,
    });
    controller.abort();
    expect(verified.accessKeyId).toBe('AKIDEXAMPLE');
  });

  it('a lookup that fails before the deadline passes its error on', async () => {
    const url = await presigned();
    const failure = new Error('key store down');
    const failing: CredentialLookup = () => Promise.reject(failure);
    await expect(
      verifyPresignedUrl({
        url,
        method: 'GET',
        ...scope,
        getCredentials: failing,
        now: signingDate,
        signal: AbortSignal.timeout(1000),
      }),
    ).rejects.toBe(failure);
  });

  it('verifyRequest and verifyPresignedPost take it too', async () => {
    const signed = await signRequest({
      url: 'https://api.example.com/x',
      service: 'execute-api',
      region: 'us-east-1',
      credentials,
      signingDate,
    });
    expect(
      await outcome(
        verifyRequest({
          url: signed.url,
          method: 'GET',
          headers: signed.headers,
          service: 'execute-api',
          region: 'us-east-1',
          getCredentials: never,
          now: signingDate,
          signal: AbortSignal.timeout(30),
        }),
      ),
    ).toBe('DOMException:TimeoutError');

    const post = await createPresignedPost({
      url: 'https://b.s3.us-east-1.amazonaws.com/',
      bucket: 'b',
      key: 'k',
      region: 'us-east-1',
      credentials,
      signingDate,
      expiresIn: 600,
    });
    const form = new FormData();
    for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
    form.append('file', new Blob(['x']), 'x.txt');
    expect(
      await outcome(
        verifyPresignedPost({
          form,
          region: 'us-east-1',
          bucket: 'b',
          getCredentials: never,
          now: signingDate,
          signal: AbortSignal.timeout(30),
        }),
      ),
    ).toBe('DOMException:TimeoutError');
  });

  it('refuses what is not an AbortSignal, before reading the request', async () => {
    const url = await presigned();
    for (const signal of [null, 5, 'x', {}, { aborted: false }]) {
      await expect(
        verifyPresignedUrl({
          url,
          method: 'GET',
          ...scope,
          getCredentials: known,
          signal: signal as unknown as AbortSignal,
        }),
      ).rejects.toThrow(/^"signal" expected an AbortSignal, got /);
    }
  });

  it('many abandoned lookups leave nothing behind: each request settles, the stuck lookups are let go', async () => {
    const url = await presigned();
    const results = await Promise.all(
      Array.from({ length: 2000 }, () =>
        outcome(
          verifyPresignedUrl({
            url,
            method: 'GET',
            ...scope,
            getCredentials: never,
            now: signingDate,
            signal: AbortSignal.timeout(20),
          }),
        ),
      ),
    );
    expect(new Set(results)).toEqual(new Set(['DOMException:TimeoutError']));
  });
});

describe('refused on the auth parameters before the rest of the query is read', () => {
  it('an expired URL with a malformed rest of query is expired (the rest was not read)', async () => {
    const url = (await presigned()).replace('/k?', '/k?a=%ZZ&');
    expect(
      await outcome(
        verifyPresignedUrl({ url, method: 'GET', ...scope, getCredentials: known, now: signingDate + 7200_000 }),
      ),
    ).toBe('ERR_SIGV4_EXPIRED');
  });

  it('and once those pass, the whole query is read: a malformed escape is malformed', async () => {
    const url = (await presigned()).replace('/k?', '/k?a=%ZZ&');
    expect(
      await outcome(verifyPresignedUrl({ url, method: 'GET', ...scope, getCredentials: known, now: signingDate })),
    ).toBe('ERR_SIGV4_MALFORMED');
  });

  it('an auth parameter whose name is written with escapes is malformed, not a second copy', async () => {
    const url = await presigned();
    const extra = url.replace(/X-Amz-Signature=(\w+)/, 'X-Amz-Signature=$1&X-Amz-%53ignature=$1');
    expect(
      await outcome(
        verifyPresignedUrl({ url: extra, method: 'GET', ...scope, getCredentials: known, now: signingDate }),
      ),
    ).toBe('ERR_SIGV4_MALFORMED');
    // One whose name does not even start as written (%58 is "X"): found when the whole query is read.
    const token = `${url}&%58-Amz-Security-Token=abc`;
    expect(
      await outcome(
        verifyPresignedUrl({ url: token, method: 'GET', ...scope, getCredentials: known, now: signingDate }),
      ),
    ).toBe('ERR_SIGV4_MALFORMED');
    // A header-signed request with one: still two auth mechanisms.
    const signed = await signRequest({
      url: 'https://api.example.com/x?X-Amz-%43redential=a',
      service: 'execute-api',
      region: 'us-east-1',
      credentials,
      signingDate,
    }).catch((e: Error) => e);
    expect(signed).toBeInstanceOf(TypeError); // the signer refuses it up front
    const ok = await signRequest({
      url: 'https://api.example.com/x',
      service: 'execute-api',
      region: 'us-east-1',
      credentials,
      signingDate,
    });
    expect(
      await outcome(
        verifyRequest({
          url: `${ok.url}?X-Amz-%43redential=a`,
          method: 'GET',
          headers: ok.headers,
          service: 'execute-api',
          region: 'us-east-1',
          getCredentials: known,
          now: signingDate,
        }),
      ),
    ).toBe('ERR_SIGV4_AUTH_MECHANISM');
    expect(
      await outcome(
        verifyRequest({
          url: `${ok.url}?%58-Amz-Credential=a`,
          method: 'GET',
          headers: ok.headers,
          service: 'execute-api',
          region: 'us-east-1',
          getCredentials: known,
          now: signingDate,
        }),
      ),
    ).toBe('ERR_SIGV4_AUTH_MECHANISM');
  });
});
