// SigV4Client: presign and sign with the client's service, region, credentials and key cache (the same results as
// presignUrl and signRequest), its credentials function (called as documented), and fetch: each request checked
// by this project's verifier as it was handed to fetch, the retries (counts, backoff bounds, jitter), the bodies,
// the abort signal. fetch, the clock, sleep and random are injected: no real timers, no network.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  INVALID_OPTION,
  SigV4Client,
  presignUrl,
  signRequest,
  verifyPresignedUrl,
  verifyRequest,
  type ClientOptions,
  type ExpiringCredentials,
} from '../../src/index.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const NOW = Date.parse('2024-01-01T10:00:00Z');
const URL_ = 'https://examplebucket.s3.eu-west-1.amazonaws.com/photos/a%20b.jpg';

interface Sent {
  url: string;
  init: RequestInit & { duplex?: string };
  /** The body as bytes, read when the request was handed over. */
  body: Uint8Array | undefined;
}

/** A fetch that records each request and answers from `answers` in turn (the last one again once they run out). */
function fakeFetch(answers: (() => Response)[] = [() => new Response('ok')]) {
  const sent: Sent[] = [];
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const body =
      init.body === undefined || init.body === null
        ? undefined
        : init.body instanceof ReadableStream
          ? undefined
          : new Uint8Array(await new Response(init.body).arrayBuffer());
    sent.push({ url, init, body });
    return answers[Math.min(sent.length - 1, answers.length - 1)]!();
  };
  return { fetch, sent };
}

/** A clock that only moves when told to, and a sleep that records its waits and moves the clock by them. */
function fakeTime(start = NOW) {
  const clock = { now: start, waits: [] as number[] };
  return {
    clock,
    now: () => clock.now,
    sleep: async (ms: number) => {
      clock.waits.push(ms);
      clock.now += ms;
    },
  };
}

const client = (options: Partial<ClientOptions> = {}) => {
  const time = fakeTime();
  const net = fakeFetch();
  return new SigV4Client({
    service: 's3',
    region: 'eu-west-1',
    credentials,
    fetch: net.fetch,
    now: time.now,
    sleep: time.sleep,
    ...options,
  });
};

const getCredentials = (id: string) => (id === credentials.accessKeyId ? credentials : undefined);

/** What the verifier says of a request as it was handed to fetch: the canonical request, or the error code. */
async function verified(sent: Sent, service = 's3', region = 'eu-west-1'): Promise<string> {
  try {
    const result = await verifyRequest({
      url: sent.url,
      method: sent.init.method!,
      headers: sent.init.headers as Record<string, string>,
      ...(sent.body ? { body: sent.body } : {}),
      service,
      region,
      getCredentials,
      now: NOW + 60_000,
    });
    return result.canonicalRequest;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

/** The code of an error (or its message when it has none). */
const codeOf = (error: unknown): unknown => (error as { code?: unknown }).code ?? (error as Error).message;

describe('SigV4Client: presign and sign', () => {
  it('presign gives what presignUrl gives with the same service, region, credentials and clock', async () => {
    const s3 = client();
    const mine = await s3.presign({
      url: URL_,
      method: 'PUT',
      expiresIn: 600,
      headers: { 'content-type': 'image/jpeg' },
    });
    const theirs = await presignUrl({
      url: URL_,
      method: 'PUT',
      expiresIn: 600,
      headers: { 'content-type': 'image/jpeg' },
      service: 's3',
      region: 'eu-west-1',
      credentials,
      signingDate: NOW,
    });
    expect(mine).toEqual(theirs);
    // A call may name another service or region, and its own signing date.
    const other = await s3.presign({ url: URL_, region: 'us-east-1', service: 'execute-api', signingDate: NOW - 1000 });
    expect(other.credentialScope).toBe('20240101/us-east-1/execute-api/aws4_request');
    expect(other.amzDate).toBe('20240101T095959Z');
  });

  it('sign gives what signRequest gives, and its request verifies', async () => {
    const sqs = client({ service: 'sqs', region: 'us-east-1' });
    const options = {
      url: 'https://sqs.us-east-1.amazonaws.com/',
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' },
      body: '{}',
    };
    const mine = await sqs.sign(options);
    expect(mine).toEqual(
      await signRequest({ ...options, service: 'sqs', region: 'us-east-1', credentials, signingDate: NOW }),
    );
    const sent = {
      url: mine.url,
      init: { method: 'POST', headers: mine.headers },
      body: new TextEncoder().encode('{}'),
    };
    expect(await verified(sent, 'sqs', 'us-east-1')).toBe(mine.canonicalRequest);
  });

  it('signs with a key cache of its own, or the one given', async () => {
    const s3 = client();
    expect(s3.cache).not.toBe(false);
    await s3.presign({ url: URL_ });
    await s3.presign({ url: URL_, method: 'PUT' });
    expect(s3.cache && s3.cache.size).toBe(1);
    expect(client({ cache: false }).cache).toBe(false);
  });

  it('refuses invalid options when made, with their names', () => {
    const refused = (o: Partial<ClientOptions>) => {
      try {
        client(o);
      } catch (error) {
        return [(error as Error).constructor.name, codeOf(error), (error as Error).message];
      }
      throw new Error('accepted');
    };
    expect(refused({ retries: -1 })).toEqual([
      'RangeError',
      INVALID_OPTION,
      '"retries" expected an integer, 0 or more, got -1',
    ]);
    expect(refused({ retries: 1.5 })[2]).toBe('"retries" expected an integer, 0 or more, got 1.5');
    expect(refused({ retryDelay: Number.NaN })[2]).toBe(
      '"retryDelay" expected a number of milliseconds, 0 or more, got NaN',
    );
    expect(refused({ maxRetryDelay: -1 })[2]).toBe(
      '"maxRetryDelay" expected a number of milliseconds, 0 or more, got -1',
    );
    expect(refused({ fetch: 'fetch' as never })[2]).toBe('"fetch" expected a function, got "fetch"');
    expect(refused({ service: 'a/b' })[2]).toBe(
      '"service" expected visible ASCII without "/", "," or spaces, got "a/b"',
    );
    expect(refused({ credentials: { accessKeyId: 'AKID' } as never })[2]).toBe(
      '"credentials.secretAccessKey" expected a non-empty string, got undefined',
    );
    expect(() => new SigV4Client(null as never)).toThrow('"options" expected an object, got null');
  });
});

describe('SigV4Client: a credentials function', () => {
  const provider = (make: (call: number) => ExpiringCredentials | Promise<ExpiringCredentials>) => {
    const calls = { count: 0 };
    return { calls, credentials: () => make(++calls.count) };
  };

  it('is called on first use, not when the client is made, and once for calls made while it runs', async () => {
    const p = provider(async () => credentials);
    const s3 = client({ credentials: p.credentials });
    expect(p.calls.count).toBe(0);
    await Promise.all(Array.from({ length: 8 }, () => s3.presign({ url: URL_ })));
    expect(p.calls.count).toBe(1);
  });

  it('without an expiration: never called again', async () => {
    const time = fakeTime();
    const p = provider(() => credentials);
    const s3 = client({ credentials: p.credentials, now: time.now });
    await s3.presign({ url: URL_ });
    time.clock.now += 365 * 86_400_000;
    await s3.presign({ url: URL_ });
    expect(p.calls.count).toBe(1);
  });

  it('with an expiration: called again once it is less than 5 minutes away, and its new credentials sign', async () => {
    const time = fakeTime();
    const expiration = NOW + 3_600_000;
    const p = provider((call) => ({
      accessKeyId: `ASIA${call}`,
      secretAccessKey: `secret-${call}`,
      sessionToken: `token-${call}`,
      expiration: new Date(call === 1 ? expiration : expiration + 3_600_000),
    }));
    const s3 = client({ credentials: p.credentials, now: time.now });
    const first = await s3.presign({ url: URL_ });
    expect(first.url).toContain('X-Amz-Credential=ASIA1%2F');
    time.clock.now = expiration - 300_000; // exactly 5 minutes left: still used
    await s3.presign({ url: URL_ });
    expect(p.calls.count).toBe(1);
    time.clock.now = expiration - 299_999;
    const second = await s3.presign({ url: URL_ });
    expect(p.calls.count).toBe(2);
    expect(second.url).toContain('X-Amz-Credential=ASIA2%2F');
    expect(second.url).toContain('X-Amz-Security-Token=token-2');
    expect(await s3.getCredentials()).toEqual({
      accessKeyId: 'ASIA2',
      secretAccessKey: 'secret-2',
      sessionToken: 'token-2',
    });
  });

  it('a function that throws or rejects fails the calls waiting for it, and is called again by the next', async () => {
    const p = provider((call) => {
      if (call === 1) throw new Error('no network');
      if (call === 2) return Promise.reject(new Error('still no network'));
      return credentials;
    });
    const s3 = client({ credentials: p.credentials });
    const waiting = await Promise.allSettled([s3.presign({ url: URL_ }), s3.presign({ url: URL_ })]);
    expect(waiting.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual([
      'no network',
      'no network',
    ]);
    await expect(s3.presign({ url: URL_ })).rejects.toThrow('still no network');
    await expect(s3.presign({ url: URL_ })).resolves.toMatchObject({
      credentialScope: '20240101/eu-west-1/s3/aws4_request',
    });
    expect(p.calls.count).toBe(3);
  });

  it('what it returns is checked like credentials given as an object', async () => {
    const bad = client({ credentials: () => ({ accessKeyId: 'AKID', secretAccessKey: '' }) });
    await expect(bad.presign({ url: URL_ })).rejects.toMatchObject({
      code: INVALID_OPTION,
      message: '"credentials.secretAccessKey" expected a non-empty string, got an empty string',
    });
    const expiry = client({ credentials: () => ({ ...credentials, expiration: 'tomorrow' as never }) });
    await expect(expiry.presign({ url: URL_ })).rejects.toMatchObject({
      code: INVALID_OPTION,
      message: '"credentials().expiration" expected a valid Date, or none, got "tomorrow"',
    });
  });
});

describe('SigV4Client: fetch', () => {
  it('sends the request signed: the verifier accepts it as it was handed to fetch', async () => {
    const net = fakeFetch();
    const s3 = client({ fetch: net.fetch });
    const response = await s3.fetch(URL_);
    expect(await response.text()).toBe('ok');
    expect(net.sent).toHaveLength(1);
    const [sent] = net.sent;
    expect(sent!.url).toBe(URL_);
    expect(sent!.init.method).toBe('GET');
    expect((sent!.init.headers as Record<string, string>)['x-amz-content-sha256']).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(await verified(sent!)).toMatch(/^GET\n\/photos\/a%20b\.jpg\n/);
  });

  it('a body makes it a POST (as aws4fetch), hashed and signed; the method given wins', async () => {
    const net = fakeFetch();
    const sqs = client({ service: 'sqs', region: 'us-east-1', fetch: net.fetch });
    await sqs.fetch('https://sqs.us-east-1.amazonaws.com/', {
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body: '{"QueueNamePrefix":"a"}',
    });
    await sqs.fetch('https://sqs.us-east-1.amazonaws.com/', { method: 'PUT', body: 'x' });
    expect(net.sent.map((s) => s.init.method)).toEqual(['POST', 'PUT']);
    for (const sent of net.sent) expect(await verified(sent, 'sqs', 'us-east-1')).toMatch(/^(POST|PUT)\n\/\n/);
    // Not S3: no x-amz-content-sha256 header.
    expect(Object.keys(net.sent[0]!.init.headers as object)).not.toContain('x-amz-content-sha256');
  });

  it('Blob, FormData, URLSearchParams and typed arrays: sent as fetch would send them, with their content-type signed', async () => {
    const net = fakeFetch();
    const api = client({ service: 'execute-api', region: 'us-east-1', fetch: net.fetch });
    const form = new FormData();
    form.set('a', 'b');
    form.set('file', new Blob(['hello'], { type: 'text/plain' }), 'h.txt');
    const bodies: BodyInit[] = [
      new Blob(['blob body'], { type: 'application/x-thing' }),
      form,
      new URLSearchParams({ q: 'a b', r: 'ü' }),
      new Uint16Array([1, 2, 3]),
      new Uint8Array([1, 2, 3, 4]).subarray(1, 3),
    ];
    for (const body of bodies)
      await api.fetch('https://abc.execute-api.us-east-1.amazonaws.com/prod/x', { method: 'PUT', body });
    const types = net.sent.map((s) => (s.init.headers as Record<string, string>)['content-type']);
    expect(types[0]).toBe('application/x-thing');
    expect(types[1]).toMatch(/^multipart\/form-data; boundary=/);
    expect(types[2]).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(new TextDecoder().decode(net.sent[1]!.body)).toContain('hello');
    expect(new TextDecoder().decode(net.sent[2]!.body)).toBe('q=a+b&r=%C3%BC');
    expect([...net.sent[3]!.body!]).toEqual([1, 0, 2, 0, 3, 0]);
    expect([...net.sent[4]!.body!]).toEqual([2, 3]);
    for (const sent of net.sent) expect(await verified(sent, 'execute-api', 'us-east-1')).toMatch(/^PUT\n\/prod\/x\n/);
  });

  it('takes a Request: its method, headers, body and signal', async () => {
    const net = fakeFetch();
    const s3 = client({ fetch: net.fetch });
    const controller = new AbortController();
    await s3.fetch(
      new Request(URL_, {
        method: 'PUT',
        headers: { 'content-type': 'image/jpeg' },
        body: 'jpeg',
        signal: controller.signal,
      }),
    );
    const [sent] = net.sent;
    expect(sent!.init.method).toBe('PUT');
    expect((sent!.init.headers as Record<string, string>)['content-type']).toBe('image/jpeg');
    expect(new TextDecoder().decode(sent!.body)).toBe('jpeg');
    expect(sent!.init.signal).toBeInstanceOf(AbortSignal);
    controller.abort();
    expect(sent!.init.signal!.aborted).toBe(true);
    expect(await verified(sent!)).toMatch(/^PUT\n/);
  });

  it('a stream is sent once as it is: UNSIGNED-PAYLOAD to S3, never retried; other services need its hash', async () => {
    const net = fakeFetch([() => new Response('busy', { status: 503 })]);
    const s3 = client({ fetch: net.fetch, retries: 5 });
    const stream = new Blob(['streamed']).stream();
    const response = await s3.fetch(URL_, { method: 'PUT', body: stream });
    expect(response.status).toBe(503);
    expect(net.sent).toHaveLength(1);
    expect(net.sent[0]!.init.body).toBe(stream);
    expect(net.sent[0]!.init.duplex).toBe('half');
    expect((net.sent[0]!.init.headers as Record<string, string>)['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    expect(await verified({ ...net.sent[0]!, body: new TextEncoder().encode('streamed') })).toMatch(
      /UNSIGNED-PAYLOAD$/,
    );

    const api = client({ service: 'execute-api', region: 'us-east-1', fetch: net.fetch });
    const refused = await api
      .fetch('https://abc.execute-api.us-east-1.amazonaws.com/prod/x', {
        method: 'PUT',
        body: new Blob(['x']).stream(),
      })
      .catch((e: unknown) => e);
    expect(codeOf(refused)).toBe(INVALID_OPTION);
    expect((refused as Error).message).toMatch(
      /^"body" expected .*a stream with its SHA-256 in an x-amz-content-sha256 header, got a stream for "execute-api"$/,
    );
    expect(net.sent).toHaveLength(1);
    const hash = '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881'; // SHA-256 of "x"
    await api.fetch('https://abc.execute-api.us-east-1.amazonaws.com/prod/x', {
      method: 'PUT',
      headers: { 'x-amz-content-sha256': hash },
      body: new Blob(['x']).stream(),
    });
    expect(
      await verified({ ...net.sent[1]!, body: new TextEncoder().encode('x') }, 'execute-api', 'us-east-1'),
    ).toMatch(new RegExp(`${hash}$`));
  });

  it('refuses a body it cannot send, before fetch', async () => {
    const net = fakeFetch();
    const s3 = client({ fetch: net.fetch });
    const refused = await s3.fetch(URL_, { method: 'PUT', body: { a: 1 } as never }).catch((e: unknown) => e);
    expect((refused as Error).message).toBe(
      '"body" expected a string, ArrayBuffer, typed array, Blob, FormData, URLSearchParams or stream, got an object (Object)',
    );
    expect(net.sent).toHaveLength(0);
  });
});

describe('SigV4Client: fetch retries', () => {
  const answers = (...statuses: (number | [number, string, Record<string, string>?])[]) =>
    statuses.map((s) => () => {
      const [status, body, headers] = typeof s === 'number' ? [s, `status ${s}`, {}] : s;
      return new Response(body, { status, headers: headers ?? {} });
    });

  const run = async (options: Partial<ClientOptions>, responses: (() => Response)[], random = () => 0.5) => {
    const net = fakeFetch(responses);
    const time = fakeTime();
    const s3 = client({ fetch: net.fetch, now: time.now, sleep: time.sleep, random, ...options });
    const response = await s3.fetch(URL_);
    return { response, sent: net.sent, waits: time.clock.waits };
  };

  it('none by default: a 503 is returned as it is', async () => {
    const { response, sent, waits } = await run({}, answers(503, 200));
    expect(response.status).toBe(503);
    expect(sent).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('5xx and 429 are sent again until one is not, each attempt signed again at its own time', async () => {
    const { response, sent, waits } = await run({ retries: 5, retryDelay: 2000 }, answers(500, 503, 429, 502, 200));
    expect(response.status).toBe(200);
    expect(sent).toHaveLength(5);
    expect(waits).toEqual([1000, 2000, 4000, 8000]); // random 0.5 × 2000 × 2^attempt
    const dates = sent.map((s) => (s.init.headers as Record<string, string>)['x-amz-date']);
    expect(new Set(dates).size).toBe(5);
    for (const s of sent) expect(await verified(s)).toMatch(/^GET\n/);
  });

  it('stops after `retries` retries and returns the last response', async () => {
    const { response, sent, waits } = await run({ retries: 3 }, answers(500, 501, 503, 504, 200));
    expect(response.status).toBe(504);
    expect(await response.text()).toBe('status 504');
    expect(sent).toHaveLength(4);
    expect(waits).toHaveLength(3);
  });

  it('retries throttling error codes whatever their status: XML, JSON __type, x-amzn-ErrorType', async () => {
    const throttled = answers(
      [400, '<?xml version="1.0"?><Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>'],
      [400, '{"__type":"com.amazon.coral.availability#ThrottlingException","message":"Rate exceeded"}'],
      [400, '{"code":"TooManyRequestsException"}'],
      [403, '', { 'x-amzn-ErrorType': 'RequestLimitExceeded:http://internal.amazon.com/' }],
      [400, '{"__type":"ProvisionedThroughputExceededException"}'],
      200,
    );
    const { response, sent } = await run({ retries: 9 }, throttled);
    expect(response.status).toBe(200);
    expect(sent).toHaveLength(6);
  });

  it('never retries a 4xx other than throttling, and leaves its body to read', async () => {
    for (const [status, body] of [
      [400, '<Error><Code>InvalidArgument</Code></Error>'],
      [400, '{"__type":"com.amazon.coral.validate#ValidationException"}'],
      [403, '<Error><Code>SignatureDoesNotMatch</Code></Error>'],
      [404, '<Error><Code>NoSuchKey</Code></Error>'],
      [400, '<Error><Code>RequestTimeout</Code></Error>'],
      [409, 'conflict'],
      [301, ''],
      [204, null],
    ] as const) {
      const { response, sent, waits } = await run({ retries: 5 }, [() => new Response(body, { status })]);
      expect(response.status).toBe(status);
      expect(sent).toHaveLength(1);
      expect(waits).toEqual([]);
      expect(await response.text()).toBe(body ?? '');
    }
  });

  it('never retries a network error', async () => {
    let calls = 0;
    const s3 = client({
      retries: 5,
      fetch: async () => {
        calls++;
        throw new TypeError('fetch failed');
      },
    });
    await expect(s3.fetch(URL_)).rejects.toThrow('fetch failed');
    expect(calls).toBe(1);
  });

  it('backoff: a random time up to retryDelay × 2^attempt, at most maxRetryDelay (full jitter)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 30_000 }),
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 12, maxLength: 12 }),
        async (retries, retryDelay, maxRetryDelay, draws) => {
          let i = 0;
          const { sent, waits } = await run({ retries, retryDelay, maxRetryDelay }, answers(503), () => draws[i++]!);
          expect(sent).toHaveLength(retries + 1);
          expect(waits).toHaveLength(retries);
          waits.forEach((ms, attempt) => {
            const ceiling = Math.min(maxRetryDelay, retryDelay * 2 ** attempt);
            expect(ms).toBe(draws[attempt]! * ceiling);
            expect(ms).toBeGreaterThanOrEqual(0);
            if (ceiling > 0) expect(ms).toBeLessThan(ceiling);
          });
        },
      ),
      { seed: 0xc11, numRuns: 200 },
    );
  });

  it('the defaults: 50 ms doubled, capped at 20 s; jitter spans [0, ceiling)', async () => {
    const low = await run({ retries: 12 }, answers(503), () => 0);
    expect(low.waits).toEqual(Array(12).fill(0));
    const high = await run({ retries: 12 }, answers(503), () => 1 - 2 ** -53);
    const ceilings = [50, 100, 200, 400, 800, 1600, 3200, 6400, 12800, 20000, 20000, 20000];
    high.waits.forEach((ms, i) => {
      expect(ms).toBeLessThan(ceilings[i]!);
      expect(ms).toBeGreaterThan(ceilings[i]! * 0.999);
    });
  });

  it('cancels the body of a response it does not return', async () => {
    let cancelled = 0;
    const body = () =>
      new ReadableStream({
        pull: (c) => c.enqueue(new TextEncoder().encode('x')),
        cancel: () => void cancelled++,
      });
    const { response } = await run({ retries: 2 }, [
      () => new Response(body(), { status: 503 }),
      () => new Response('ok'),
    ]);
    expect(await response.text()).toBe('ok');
    expect(cancelled).toBe(1);
  });

  it('an aborted signal: nothing is sent; aborted during a backoff, the wait ends at once with its reason', async () => {
    const net = fakeFetch([() => new Response('busy', { status: 503 })]);
    const aborted = AbortSignal.abort(new Error('stopped'));
    const s3 = client({ fetch: net.fetch, retries: 3 });
    await expect(s3.fetch(URL_, { signal: aborted })).rejects.toThrow('stopped');
    expect(net.sent).toHaveLength(0);

    const controller = new AbortController();
    let sleeping!: () => void;
    const asleep = new Promise<void>((resolve) => (sleeping = resolve));
    const forever = client({
      fetch: net.fetch,
      retries: 3,
      // A sleep that never ends by itself (and ignores the signal): only the abort can end the wait.
      sleep: () => {
        sleeping();
        return new Promise(() => {});
      },
    });
    const pending = forever.fetch(URL_, { signal: controller.signal });
    await asleep;
    controller.abort(new Error('user cancelled'));
    await expect(pending).rejects.toThrow('user cancelled');
    expect(net.sent).toHaveLength(1);
    expect(net.sent[0]!.init.signal).toBe(controller.signal);
  });
});

describe('SigV4Client: presigned URLs verify', () => {
  it('a URL the client presigned with a refreshed token verifies with that token', async () => {
    const s3 = client({ credentials: async () => ({ ...credentials, sessionToken: 'token' }) });
    const { url } = await s3.presign({ url: URL_ });
    const result = await verifyPresignedUrl({
      url,
      method: 'GET',
      service: 's3',
      region: 'eu-west-1',
      getCredentials: (id) => (id === credentials.accessKeyId ? { ...credentials, sessionToken: 'token' } : undefined),
      now: NOW,
    });
    expect(result.accessKeyId).toBe(credentials.accessKeyId);
    expect(result.sessionToken).toBe('token');
  });
});
