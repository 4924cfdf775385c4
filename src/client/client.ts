// A client that holds what every call repeats (service, region, credentials, a key cache) and signs with the
// signers of src/sign: presign, sign, and a fetch that signs each attempt and retries, as aws4fetch's AwsClient
// does, only when asked.

import { checkScopePart } from '../core/check.js';
import { checkCredentials, type Credentials } from '../core/credentials.js';
import { describe, invalidType, optionError } from '../core/errors.js';
import { SigningKeyCache, checkCache } from '../core/key-cache.js';
import { sha256Hex } from '../core/webcrypto.js';
import { presignUrl } from '../sign/presign.js';
import { signRequest } from '../sign/sign-request.js';
import type { PresignedUrl, PresignOptions, SignedRequest, SignRequestOptions, SigningOptions } from '../sign/types.js';

/** Credentials that may expire: what a credentials function returns (the AWS SDKs' credential identity). */
export interface ExpiringCredentials extends Credentials {
  /** When they stop working. The client asks its function for new ones 5 minutes before. */
  readonly expiration?: Date | undefined;
}

/** A function that returns credentials, at once or as a promise: temporary credentials that it refreshes. */
export type CredentialsProvider = () => ExpiringCredentials | PromiseLike<ExpiringCredentials>;

/** How the client sends a request: `globalThis.fetch`, or one of the same shape (tests, a proxy, a logger). */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

/** Options of a {@link SigV4Client}. */
export interface ClientOptions {
  /** Service signing name for every call, e.g. `s3`, `sqs`, `execute-api` (a call may pass another). */
  readonly service: string;
  /** Region in the credential scope for every call, e.g. `us-east-1` (`auto` for R2; a call may pass another). */
  readonly region: string;
  /**
   * The credentials, or a function (sync or async) that returns them. The function is called on first use, then
   * again only when the credentials it returned have an `expiration` less than 5 minutes away; calls made while it
   * runs share its answer. A function that throws fails the calls waiting for it, and is called again by the next.
   */
  readonly credentials: ExpiringCredentials | CredentialsProvider;
  /** Signing key cache. Default: a {@link SigningKeyCache} of the client's own; `false` derives every key. */
  readonly cache?: SigningKeyCache | false;
  /**
   * How many times `fetch` sends a request again after a 5xx, a 429 or a throttling error (`SlowDown`,
   * `ThrottlingException`…). Default 0: no retries. A body that is a stream is sent once, never again.
   */
  readonly retries?: number;
  /** Milliseconds of the first retry's backoff ceiling, doubled at each retry. Default 50 (as aws4fetch). */
  readonly retryDelay?: number;
  /** The most milliseconds a backoff ceiling grows to. Default 20000 (as the AWS SDKs). */
  readonly maxRetryDelay?: number;
  /** Sends the requests. Default: `globalThis.fetch`. */
  readonly fetch?: FetchFunction;
  /** The clock, in epoch milliseconds: the signing time and the credentials' expiry. Default `Date.now`. */
  readonly now?: () => number;
  /** Waits `ms` milliseconds between attempts. Default: `setTimeout`. An aborted signal ends the wait at once. */
  readonly sleep?: (ms: number) => Promise<unknown>;
  /** A number in [0, 1) for the backoff's jitter. Default `Math.random`. */
  readonly random?: () => number;
}

/** Options of {@link SigV4Client.presign}: those of `presignUrl`, less what the client holds. */
export interface ClientPresignOptions extends Omit<PresignOptions, 'service' | 'region' | 'credentials' | 'cache'> {
  /** The service signing name for this call. Default: the client's. */
  readonly service?: string;
  /** The region for this call. Default: the client's. */
  readonly region?: string;
}

/** Options of {@link SigV4Client.sign}: those of `signRequest`, less what the client holds. */
export interface ClientSignRequestOptions extends Omit<
  SignRequestOptions,
  'service' | 'region' | 'credentials' | 'cache'
> {
  /** The service signing name for this call. Default: the client's. */
  readonly service?: string;
  /** The region for this call. Default: the client's. */
  readonly region?: string;
}

// The error codes the AWS SDKs retry as throttling (@smithy/service-error-classification), whatever the status.
const THROTTLING =
  /^(?:BandwidthLimitExceeded|EC2ThrottledException|LimitExceededException|PriorRequestNotComplete|ProvisionedThroughputExceededException|RequestLimitExceeded|RequestThrottled|RequestThrottledException|SlowDown|ThrottledException|Throttling|ThrottlingException|TooManyRequestsException|TransactionInProgressException)$/;
// Where an AWS error body names its code: S3's XML, and the JSON protocols' `__type` ("prefix#Code") or `code`.
const ERROR_CODE = /<Code>([^<]{1,64})<\/Code>|"(?:__type|code|Code)"\s*:\s*"(?:[^"#]{0,200}#)?([^"#]{1,64})"/;
// Credentials that expire within this many milliseconds are refreshed first (the AWS SDKs' window).
const REFRESH_WINDOW = 300_000;

const isFunction = (value: unknown): value is (...args: never[]) => unknown => typeof value === 'function';

function checkMillis(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0)) invalidType(name, 'a number of milliseconds, 0 or more', value);
  return value;
}

function checkFunction<T>(name: string, value: T | undefined, fallback: T): T {
  if (value === undefined) return fallback;
  if (!isFunction(value)) invalidType(name, 'a function', value);
  return value;
}

/** Waits for `sleep`, or rejects with the signal's reason as soon as it is aborted. */
function wait(sleep: (ms: number) => Promise<unknown>, ms: number, signal: AbortSignal | null | undefined) {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    sleep(ms).then(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, reject);
  });
}

/** Whether a response is worth sending the request again for: 5xx, 429, or a throttling error code. */
async function isRetryable(response: Response): Promise<boolean> {
  const { status } = response;
  if (status >= 500 || status === 429) return true;
  if (status < 400) return false;
  // x-amzn-ErrorType: "Code:http://…" (the JSON protocols), else the code in the body, read from a copy.
  let code = response.headers.get('x-amzn-errortype')?.split(':')[0];
  if (!code) {
    const m = ERROR_CODE.exec((await response.clone().text()).slice(0, 65536));
    code = m?.[1] ?? m?.[2];
  }
  return code !== undefined && THROTTLING.test(code.trim());
}

/**
 * A client that holds the service, region and credentials every call would repeat, and a signing key cache:
 * `presign` and `sign` take the options of `presignUrl` and `signRequest` without them, and `fetch` signs and
 * sends a request, as aws4fetch's `AwsClient` does, retrying on 5xx, 429 and throttling errors when `retries` is
 * set (exponential backoff with full jitter). Importing it does not grow a bundle that does not use it.
 *
 * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`) for invalid options.
 * @example
 * const sqs = new SigV4Client({ service: 'sqs', region: 'us-east-1', credentials, retries: 3 });
 * const response = await sqs.fetch('https://sqs.us-east-1.amazonaws.com/', {
 *   headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' },
 *   body: '{}',
 * });
 */
export class SigV4Client {
  /** The service signing name of every call that does not give one. */
  readonly service: string;
  /** The region of every call that does not give one. */
  readonly region: string;
  /** The signing key cache the client signs with, or `false`. */
  readonly cache: SigningKeyCache | false;
  /** How many times `fetch` retries a request. */
  readonly retries: number;
  readonly #credentials: ExpiringCredentials | CredentialsProvider;
  readonly #retryDelay: number;
  readonly #maxRetryDelay: number;
  readonly #fetch: FetchFunction;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<unknown>;
  readonly #random: () => number;
  // The credentials a function returned, with their expiry in epoch milliseconds; and its call in progress.
  #current: [Credentials, number] | undefined;
  #pending: Promise<Credentials> | undefined;

  constructor(options: ClientOptions) {
    if (typeof options !== 'object' || options === null) invalidType('options', 'an object', options);
    this.service = checkScopePart('service', options.service);
    this.region = checkScopePart('region', options.region);
    const credentials = options.credentials;
    this.#credentials = isFunction(credentials) ? credentials : checkCredentials(credentials);
    this.cache = checkCache(options.cache) ?? new SigningKeyCache();
    const retries = options.retries ?? 0;
    if (!Number.isSafeInteger(retries) || retries < 0)
      optionError(`"retries" expected an integer, 0 or more, got ${describe(retries)}`, true);
    this.retries = retries;
    this.#retryDelay = checkMillis('retryDelay', options.retryDelay, 50);
    this.#maxRetryDelay = checkMillis('maxRetryDelay', options.maxRetryDelay, 20_000);
    // Called through a function, not kept: a fetch taken off globalThis and called alone fails in some browsers.
    this.#fetch = checkFunction('fetch', options.fetch, (url, init) => fetch(url, init));
    this.#now = checkFunction('now', options.now, Date.now);
    this.#sleep = checkFunction('sleep', options.sleep, (ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#random = checkFunction('random', options.random, Math.random);
  }

  /**
   * The credentials to sign with now: the object given, or what the function last returned, called again when
   * that expires within 5 minutes.
   * @throws what the credentials function throws, or a TypeError (code `ERR_SIGV4_INVALID_OPTION`) for what it returns.
   */
  getCredentials(): Promise<Credentials> {
    const source = this.#credentials;
    if (!isFunction(source)) return Promise.resolve(source);
    const current = this.#current;
    if (current && !(current[1] - this.#now() < REFRESH_WINDOW)) return Promise.resolve(current[0]);
    let pending = this.#pending;
    if (!pending) {
      pending = this.#pending = Promise.resolve()
        .then(source)
        .then((value) => {
          const expiration = (value as ExpiringCredentials | null)?.expiration;
          const credentials = checkCredentials(value);
          if (expiration != null && !(expiration instanceof Date && expiration.getTime() === expiration.getTime()))
            invalidType('credentials().expiration', 'a valid Date, or none', expiration);
          this.#current = [credentials, expiration ? expiration.getTime() : Infinity];
          return credentials;
        });
      const done = () => {
        if (this.#pending === pending) this.#pending = undefined;
      };
      pending.then(done, done);
    }
    return pending;
  }

  /** The options of a signer: the call's, with the client's service, region, credentials, cache and clock. */
  async #options<T extends SigningOptions>(options: ClientPresignOptions | ClientSignRequestOptions): Promise<T> {
    if (typeof options !== 'object' || options === null) invalidType('options', 'an object', options);
    return {
      ...options,
      service: options.service ?? this.service,
      region: options.region ?? this.region,
      credentials: await this.getCredentials(),
      cache: this.cache,
      signingDate: options.signingDate ?? this.#now(),
    } as T;
  }

  /**
   * Presigns a URL, as `presignUrl` does, with the client's service, region and credentials.
   * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`), before any crypto, for invalid options.
   * @example
   * const { url } = await s3.presign({ url: s3Url({ bucket, key, region }), method: 'PUT', expiresIn: 600 });
   */
  async presign(options: ClientPresignOptions): Promise<PresignedUrl> {
    return presignUrl(await this.#options<PresignOptions>(options));
  }

  /**
   * Signs a request in the Authorization header, as `signRequest` does, with the client's service, region and
   * credentials.
   * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`), before any crypto, for invalid options.
   */
  async sign(options: ClientSignRequestOptions): Promise<SignedRequest> {
    return signRequest(await this.#options<SignRequestOptions>(options));
  }

  /**
   * Signs and sends a request, as `fetch` takes it: the method (default `POST` with a body, else `GET`, as
   * aws4fetch), headers, body and signal of `init` or of a `Request`. Each attempt is signed again at the time it
   * is sent. With `retries`, a 5xx, a 429 or a throttling error code is sent again after a backoff of a random
   * time up to `retryDelay` × 2^attempt (at most `maxRetryDelay`), and the last response is returned whatever it
   * is; a 4xx other than throttling, and a network error, are never retried.
   *
   * The body is hashed for the signature: a string, an ArrayBuffer, a typed array, a Blob, FormData or
   * URLSearchParams (read once, sent again on a retry). A stream is sent as it is, once: to S3 as
   * `UNSIGNED-PAYLOAD`, to other services with the SHA-256 the caller gives in an `x-amz-content-sha256` header.
   *
   * @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`) for a request that cannot be signed, the
   * signal's reason once it is aborted, and what `fetch` throws.
   */
  async fetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
    const request = input instanceof Request ? input : undefined;
    const url = input instanceof Request ? input.url : input instanceof URL ? input.href : input;
    const signal = init.signal ?? request?.signal;
    if (signal?.aborted) throw signal.reason;
    const headers = new Headers(init.headers ?? request?.headers);
    let body: unknown = init.body;
    if (body === undefined && request?.body) body = await request.arrayBuffer();
    if (body === null) body = undefined;
    const method = init.method ?? request?.method ?? (body === undefined ? 'GET' : 'POST');

    let payloadHash = headers.get('x-amz-content-sha256') ?? undefined;
    let oneShot = false;
    if (
      body !== undefined &&
      typeof body !== 'string' &&
      !(body instanceof ArrayBuffer) &&
      !(body instanceof Uint8Array)
    ) {
      if (ArrayBuffer.isView(body)) body = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
      else if (body instanceof Blob || body instanceof FormData || body instanceof URLSearchParams) {
        // Read as fetch would send it, with the content-type fetch would give it (FormData's boundary).
        const read = new Request('http://localhost/', { method: 'POST', body });
        const type = read.headers.get('content-type');
        if (type && !headers.has('content-type')) headers.set('content-type', type);
        body = new Uint8Array(await read.arrayBuffer());
      } else if (isFunction((body as ReadableStream).getReader) || Symbol.asyncIterator in (body as object)) {
        oneShot = true;
        const service = this.service;
        if (payloadHash === undefined) {
          if (service !== 's3')
            optionError(
              `"body" expected a string, ArrayBuffer, typed array, Blob, FormData or URLSearchParams, or a stream with its SHA-256 in an x-amz-content-sha256 header, got a stream for ${describe(service)}`,
            );
          payloadHash = 'UNSIGNED-PAYLOAD';
        }
      } else {
        invalidType('body', 'a string, ArrayBuffer, typed array, Blob, FormData, URLSearchParams or stream', body);
      }
    }
    payloadHash ??= await sha256Hex((body as string | Uint8Array | ArrayBuffer | undefined) ?? '');

    const sent: RequestInit & { duplex?: 'half' } = { ...init, method, signal: signal ?? null };
    if (body !== undefined) sent.body = body as BodyInit;
    if (oneShot) sent.duplex = 'half'; // fetch refuses a stream body without it
    for (let attempt = 0; ; attempt++) {
      const signed = await this.sign({ url, method, headers, payloadHash });
      const response = await this.#fetch(signed.url, { ...sent, headers: signed.headers });
      if (oneShot || attempt >= this.retries || !(await isRetryable(response))) return response;
      await response.body?.cancel(); // frees the connection
      // 2^attempt stops at 2^52, where every ceiling is long past its cap (and 0 × Infinity would be NaN).
      const ceiling = Math.min(this.#maxRetryDelay, this.#retryDelay * 2 ** Math.min(attempt, 52));
      await wait(this.#sleep, this.#random() * ceiling, signal);
    }
  }
}
