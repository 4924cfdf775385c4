// A browser upload of any size, straight to S3, without credentials in the page: the server's multipart handler
// (createMultipartHandler in "sigv4") presigns each step, this sends them. The file is cut into the parts the
// handler planned, sent a few at a time with their progress in bytes, each retried with backoff; the upload can be
// paused, resumed after a reload (ListParts says which parts S3 has), aborted, and is completed with the ETags in
// order.

import type { MultipartHandlerRequest, MultipartHandlerResponse, PresignedRequestJson } from '../multipart/protocol.js';
import { again, badOption, retryable, UploadError } from './errors.js';
import { forgetState, loadState, saveState, stateName, type ResumeStore, type SavedUpload } from './state.js';
import { send, type FetchLike, type Sent, type Transport } from './send.js';
import { readListParts, xmlValue, type ListedPart } from './xml.js';

/** Options of a {@link MultipartUpload}. */
export interface MultipartUploadOptions {
  /** The file (a `File` from an `<input type="file">`, or any `Blob`). */
  readonly file: Blob;
  /** The object key asked for; the server's handler decides whether it may be written. */
  readonly key: string;
  /** The URL of the server's multipart handler (`/multipart`): it presigns each step. */
  readonly endpoint: string | URL;
  /** The object's media type. Default: the file's type, else `application/octet-stream`. */
  readonly contentType?: string;
  /** Headers sent to the handler with each call (an `Authorization` of your app's, a CSRF token…). */
  readonly headers?: Readonly<Record<string, string>>;
  /** How many parts are sent at once, 1 to 32. Default 4. */
  readonly concurrency?: number;
  /** How many times a failed request is sent again (network, 5xx, throttling, an expired URL), 0 to 100. Default 5. */
  readonly retries?: number;
  /** Milliseconds of the first backoff's ceiling, doubled at each retry; the wait is random below it. Default 500. */
  readonly retryDelay?: number;
  /** The most milliseconds a backoff ceiling grows to. Default 20000. */
  readonly maxRetryDelay?: number;
  /**
   * Where the upload's id and plan are kept, to resume it after a reload: `localStorage` by default (when the page
   * has it), any object with its `getItem`, `setItem` and `removeItem`, or `null` for nowhere.
   */
  readonly store?: ResumeStore | null;
  /**
   * `xhr` sends the bytes with XMLHttpRequest, which reports them as they go; `fetch` reports each part when it is
   * done. Default: `xhr` where XMLHttpRequest exists.
   */
  readonly transport?: Transport;
  /** Called once the upload is created or found again, before its parts are sent. */
  readonly onStart?: (start: UploadStart) => void;
  /** Called as bytes are sent: the total so far, and the part that moved. */
  readonly onProgress?: (progress: UploadProgress) => void;
  /** Sends the handler's requests (and the bucket's, with `transport: 'fetch'`). Default: `globalThis.fetch`. */
  readonly fetch?: FetchLike;
  /** Waits between attempts. Default: `setTimeout`. */
  readonly sleep?: (ms: number) => Promise<unknown>;
  /** A number in [0, 1) for the backoff's jitter. Default `Math.random`. */
  readonly random?: () => number;
  /** The clock, epoch milliseconds, for the saved upload's date. Default `Date.now`. */
  readonly now?: () => number;
}

/** What {@link MultipartUploadOptions.onStart} is told. */
export interface UploadStart {
  /** The upload's `UploadId`. */
  readonly uploadId: string;
  /** The size of every part but the last. */
  readonly partSize: number;
  /** How many parts. */
  readonly partCount: number;
  /** `true` when this continues an upload saved before (a reload, a failure, a pause). */
  readonly resumed: boolean;
  /** How many parts S3 already has (ListParts): they are not sent again. */
  readonly partsDone: number;
}

/** What {@link MultipartUploadOptions.onProgress} is told: the whole upload and the part that moved. */
export interface UploadProgress {
  /** Bytes sent so far, parts already in S3 included; a part that fails goes back to 0. */
  readonly loaded: number;
  /** The file's size. */
  readonly total: number;
  /** The part that moved. */
  readonly partNumber: number;
  /** Its bytes sent so far. */
  readonly partLoaded: number;
  /** Its size. */
  readonly partSize: number;
}

/** What a completed upload resolves with. */
export interface UploadResult {
  /** The object's key. */
  readonly key: string;
  /** The upload's id. */
  readonly uploadId: string;
  /** The object's ETag (for a multipart upload, `"<hex>-<part count>"`). */
  readonly etag: string | undefined;
  /** The object's URL, as CompleteMultipartUpload answered it. */
  readonly location: string | undefined;
  /** The file's size. */
  readonly size: number;
  /** How many parts. */
  readonly partCount: number;
}

/** Where an upload is: not started, sending, paused, completed, failed (it can be started again) or aborted. */
export type UploadStatus = 'idle' | 'uploading' | 'paused' | 'done' | 'failed' | 'aborted';

// S3 error codes that another attempt, with a URL presigned again, can get past.
const RETRY_CODES = /^(?:RequestTimeout|SlowDown|InternalError|ServiceUnavailable|ExpiredToken|TokenRefreshRequired)$/;
const ABORTED = 'the upload was aborted';

const integer = (name: string, value: unknown, min: number, max: number, fallback: number): number => {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    badOption(name, `an integer ${min}..${max}`, value, typeof value === 'number');
  return value as number;
};

const func = <T>(name: string, value: T | undefined, fallback: T): T => {
  if (value === undefined) return fallback;
  if (typeof value !== 'function') badOption(name, 'a function', value);
  return value;
};

/** The failure of an answer from the bucket: its status, S3's Code and Message, and whether to try again. */
function bucketError(what: string, sent: Sent): UploadError {
  const code = xmlValue(sent.text, 'Code');
  const message = xmlValue(sent.text, 'Message');
  const error = new UploadError(
    'ERR_UPLOAD_FAILED',
    `${what}: the bucket answered ${sent.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`,
    sent.status,
    code,
  );
  const { status } = sent;
  // An expired URL (S3: 403 AccessDenied "Request has expired") works again once presigned again.
  return status >= 500 ||
    status === 408 ||
    status === 429 ||
    RETRY_CODES.test(code ?? '') ||
    /expired/i.test(message ?? '')
    ? again(error)
    : error;
}

/**
 * One file's multipart upload, run from the browser through presigned URLs. `start()` creates the upload (or finds
 * the one saved for this file, key and handler, and asks ListParts which parts S3 has), sends the parts a few at a
 * time, and completes it; `pause()`, `resume()` and `abort()` control it while it runs.
 *
 * The bucket's CORS rule must allow the page's origin for `PUT`, `POST`, `GET` and `DELETE`, the `content-type`
 * header, and expose `ETag` (`ExposeHeaders: ["ETag"]`): without it the page cannot read the ETags that complete
 * the upload.
 *
 * @example
 * const upload = new MultipartUpload({
 *   file: input.files[0], key: `uploads/${input.files[0].name}`, endpoint: '/multipart',
 *   onProgress: ({ loaded, total }) => (bar.value = loaded / total),
 * });
 * const { key, etag } = await upload.start();
 */
export class MultipartUpload {
  readonly #file: Blob;
  readonly #key: string;
  readonly #endpoint: string;
  readonly #type: string;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #concurrency: number;
  readonly #retries: number;
  readonly #retryDelay: number;
  readonly #maxRetryDelay: number;
  readonly #store: ResumeStore | null;
  readonly #name: string;
  readonly #transport: Transport;
  readonly #fetch: FetchLike;
  readonly #sleep: (ms: number) => Promise<unknown>;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #onStart: ((start: UploadStart) => void) | undefined;
  readonly #onProgress: ((progress: UploadProgress) => void) | undefined;

  #status: UploadStatus = 'idle';
  #result: Promise<UploadResult> | undefined;
  #settle: [resolve: (result: UploadResult) => void, reject: (error: unknown) => void] | undefined;
  /** The run's setup (create, or find and list): `abort()` waits for it to know the upload id. */
  #setup: Promise<void> | undefined;
  #aborting: Promise<void> | undefined;
  /** Aborted by `pause()`, `abort()` and a failure: the parts in flight stop. */
  #pause: AbortController = new AbortController();
  #saved: SavedUpload | undefined;
  #partCount = 0;
  #ready = false;
  #completing = false;
  #active = 0;
  /** Counts the runs (each `start()` after a failure is one): a part of an earlier run that settles late is ignored. */
  #run = 0;
  #queue: number[] = [];
  #etags: string[] = [];
  #loaded: number[] = [];
  #sent = 0;

  /** @throws TypeError or RangeError (code `ERR_SIGV4_INVALID_OPTION`) for invalid options. */
  constructor(options: MultipartUploadOptions) {
    if (typeof options !== 'object' || options === null) badOption('options', 'an object', options);
    const { file, key, endpoint, contentType, headers = {}, store, transport } = options;
    if (typeof Blob !== 'function' || !(file instanceof Blob)) badOption('file', 'a File or Blob', file);
    if (typeof key !== 'string' || key === '') badOption('key', 'a non-empty string', key);
    if (!(typeof endpoint === 'string' && endpoint !== '') && !(endpoint instanceof URL))
      badOption('endpoint', "the URL of the server's multipart handler", endpoint);
    if (contentType !== undefined && (typeof contentType !== 'string' || contentType === ''))
      badOption('contentType', 'a media type such as "video/mp4"', contentType);
    if (typeof headers !== 'object' || headers === null || Object.values(headers).some((v) => typeof v !== 'string'))
      badOption('headers', 'an object of strings', headers);
    if (store !== undefined && store !== null && typeof store?.getItem !== 'function')
      badOption('store', 'an object with getItem, setItem and removeItem (localStorage), or null', store);
    if (transport !== undefined && transport !== 'xhr' && transport !== 'fetch')
      badOption('transport', '"xhr" or "fetch"', transport);
    this.#file = file;
    this.#key = key;
    this.#endpoint = String(endpoint);
    this.#type = contentType ?? (file.type || 'application/octet-stream');
    this.#headers = headers;
    this.#concurrency = integer('concurrency', options.concurrency, 1, 32, 4);
    this.#retries = integer('retries', options.retries, 0, 100, 5);
    this.#retryDelay = integer('retryDelay', options.retryDelay, 0, 3_600_000, 500);
    this.#maxRetryDelay = integer('maxRetryDelay', options.maxRetryDelay, 0, 3_600_000, 20_000);
    if (store === undefined) {
      try {
        this.#store = globalThis.localStorage ?? null;
      } catch {
        this.#store = null; // a sandboxed frame throws on access
      }
    } else this.#store = store;
    this.#name = stateName(this.#endpoint, key, file, this.#type);
    this.#transport = transport ?? (typeof XMLHttpRequest === 'function' ? 'xhr' : 'fetch');
    this.#fetch = func('fetch', options.fetch, (url, init) => fetch(url, init));
    this.#sleep = func('sleep', options.sleep, (ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#random = func('random', options.random, Math.random);
    this.#now = func('now', options.now, Date.now);
    this.#onStart = func('onStart', options.onStart, undefined);
    this.#onProgress = func('onProgress', options.onProgress, undefined);
  }

  /** Where the upload is. */
  get status(): UploadStatus {
    return this.#status;
  }

  /** Bytes sent so far (parts already in S3 included) and the file's size. */
  get progress(): { readonly loaded: number; readonly total: number } {
    return { loaded: this.#sent, total: this.#file.size };
  }

  /**
   * Starts the upload, or resumes the one saved for this file (after a reload, a failure or a pause), and resolves
   * once S3 has completed it. The same promise while it runs. It rejects with an {@link UploadError}; after a
   * failure, `start()` again resumes where it stopped.
   */
  start(): Promise<UploadResult> {
    if (this.#status === 'aborted') return Promise.reject(new UploadError('ERR_UPLOAD_ABORTED', ABORTED));
    if (this.#status === 'paused') this.resume();
    if (this.#result && this.#status !== 'failed') return this.#result;
    this.#status = 'uploading';
    this.#pause = new AbortController();
    this.#ready = this.#completing = false;
    this.#run++;
    this.#active = 0;
    this.#queue = [];
    this.#result = new Promise((resolve, reject) => (this.#settle = [resolve, reject]));
    this.#setup = this.#begin().catch((error: unknown) => this.#fail(error));
    return this.#result;
  }

  /** Stops sending: the parts in flight are cancelled (their bytes are sent again on `resume()`). */
  pause(): void {
    if (this.#status !== 'uploading') return;
    this.#status = 'paused';
    this.#pause.abort(new UploadError('ERR_UPLOAD_ABORTED', 'paused'));
  }

  /** Goes on after `pause()`. */
  resume(): void {
    if (this.#status !== 'paused') return;
    this.#status = 'uploading';
    this.#pause = new AbortController();
    this.#next();
  }

  /**
   * Stops the upload and has S3 drop it (AbortMultipartUpload): the parts sent are freed, nothing is saved to
   * resume. `start()`'s promise rejects with `ERR_UPLOAD_ABORTED`. Also drops an upload saved by an earlier page
   * for this file, without starting it. Resolves once S3 has dropped it; nothing to do once it is done.
   */
  abort(): Promise<void> {
    if (this.#status === 'done') return Promise.resolve();
    this.#status = 'aborted';
    this.#pause.abort(new UploadError('ERR_UPLOAD_ABORTED', ABORTED));
    this.#settle?.[1](new UploadError('ERR_UPLOAD_ABORTED', ABORTED));
    this.#aborting ??= (async () => {
      await this.#setup; // never rejects (its failure fails the run): an upload being created gets an id first
      const saved = this.#saved ?? loadState(this.#store, this.#name);
      if (saved) {
        await this.#retry(async () => {
          const { request } = await this.#call({ action: 'abort', ...this.#facts(saved) });
          // 404 NoSuchUpload: already gone.
          await this.#bucket('AbortMultipartUpload', request).catch((error: unknown) => {
            if ((error as UploadError).status !== 404) throw error;
          });
        });
      }
      forgetState(this.#store, this.#name);
      this.#saved = undefined;
    })().catch((error: unknown) => {
      this.#aborting = undefined; // abort() again tries again
      throw error;
    });
    return this.#aborting;
  }

  /** Creates the upload, or finds the saved one and lists its parts; then sends them. */
  async #begin(): Promise<void> {
    const size = this.#file.size;
    let saved = this.#saved ?? loadState(this.#store, this.#name);
    const done = new Map<number, string>();
    let partCount = 0;
    if (saved) {
      partCount = Math.max(1, Math.ceil(size / saved.partSize));
      try {
        for (const part of await this.#listParts(saved)) {
          // A part of another size (a changed plan, a torn write) is sent again.
          if (part.partNumber <= partCount && part.size === this.#partSize(part.partNumber, saved.partSize))
            done.set(part.partNumber, part.etag);
        }
      } catch (error) {
        // 404 NoSuchUpload: aborted, completed, or expired by a lifecycle rule. Start a new one.
        if ((error as UploadError).status !== 404) throw error;
        forgetState(this.#store, this.#name);
        saved = undefined;
        done.clear();
      }
    }
    const resumed = saved !== undefined;
    if (!saved) {
      const answer = await this.#retry(async () => {
        const answer = await this.#call({ action: 'create', key: this.#key, size, type: this.#type });
        const sent = await this.#bucket('CreateMultipartUpload', answer.request);
        return { answer, uploadId: xmlValue(sent.text, 'UploadId') };
      });
      const { partSize, partCount: count } = answer.answer;
      if (!answer.uploadId || !Number.isSafeInteger(partSize) || !Number.isSafeInteger(count))
        throw new UploadError(
          'ERR_UPLOAD_RESPONSE',
          'CreateMultipartUpload answered without an UploadId or a plan',
          200,
        );
      saved = { uploadId: answer.uploadId, partSize: partSize!, created: this.#now() };
      partCount = count!;
      saveState(this.#store, this.#name, saved);
    }
    this.#saved = saved;
    if (this.#status === 'aborted') return;
    this.#partCount = partCount;
    this.#etags = [];
    this.#loaded = [];
    this.#sent = 0;
    this.#queue = [];
    for (let n = 1; n <= partCount; n++) {
      const etag = done.get(n);
      if (etag === undefined) this.#queue.push(n);
      else {
        this.#etags[n] = etag;
        this.#loaded[n] = this.#partSize(n);
        this.#sent += this.#loaded[n]!;
      }
    }
    this.#onStart?.({
      uploadId: saved.uploadId,
      partSize: saved.partSize,
      partCount,
      resumed,
      partsDone: partCount - this.#queue.length,
    });
    this.#ready = true;
    this.#next();
  }

  /** The size of part `n`. */
  #partSize(n: number, partSize = this.#saved!.partSize): number {
    return Math.max(0, Math.min(partSize, this.#file.size - (n - 1) * partSize));
  }

  /** What every call to the handler names: the object, and the upload once it exists. */
  #facts(saved?: SavedUpload) {
    const facts = { key: this.#key, size: this.#file.size, type: this.#type };
    return saved ? { ...facts, uploadId: saved.uploadId, partSize: saved.partSize } : facts;
  }

  /** Every part ListParts lists, page after page. */
  async #listParts(saved: SavedUpload): Promise<ListedPart[]> {
    const parts: ListedPart[] = [];
    let marker: number | undefined;
    // At most 10,000 parts, 1000 a page: a marker that does not move on ends the listing.
    for (let page = 0; page <= 10; page++) {
      const listed = await this.#retry(async () => {
        const { request } = await this.#call({
          action: 'list',
          ...this.#facts(saved),
          ...(marker === undefined ? {} : { partNumberMarker: marker }),
        });
        return readListParts((await this.#bucket('ListParts', request)).text);
      });
      parts.push(...listed.parts);
      if (listed.next === undefined || listed.next <= (marker ?? 0)) break;
      marker = listed.next;
    }
    return parts;
  }

  /** Starts parts while there is room, or completes the upload once every part is in. */
  #next(): void {
    if (this.#status !== 'uploading' || !this.#ready) return;
    if (this.#queue.length === 0 && this.#active === 0) {
      if (!this.#completing) {
        this.#completing = true;
        this.#complete().catch((error: unknown) => this.#fail(error));
      }
      return;
    }
    const run = this.#run;
    while (this.#active < this.#concurrency && this.#queue.length > 0) {
      const n = this.#queue.shift()!;
      const signal = this.#pause.signal;
      this.#active++;
      this.#part(n, signal, run).then(
        () => {
          if (run !== this.#run) return;
          this.#active--;
          this.#next();
        },
        (error: unknown) => {
          if (run !== this.#run) return;
          this.#active--;
          this.#progress(n, 0);
          if (!signal.aborted) return this.#fail(error);
          // Paused: the part goes back in front of the queue.
          this.#queue.unshift(n);
          this.#next();
        },
      );
    }
  }

  /** Sends part `n`: asks the handler for its URL, PUTs its bytes, keeps its ETag; each attempt anew. */
  async #part(n: number, signal: AbortSignal, run: number): Promise<void> {
    const saved = this.#saved!;
    const start = (n - 1) * saved.partSize;
    const body = this.#file.slice(start, start + this.#partSize(n));
    await this.#retry(
      async () => {
        const { request } = await this.#call({ action: 'part', ...this.#facts(saved), partNumber: n }, signal);
        const sent = await this.#bucket(`part ${n}`, request, body, signal, (loaded) => {
          if (run === this.#run) this.#progress(n, Math.min(loaded, body.size));
        });
        if (sent.etag === null)
          throw new UploadError(
            'ERR_UPLOAD_CORS',
            `part ${n}: the bucket answered ${sent.status} without an ETag the page can read: the bucket's CORS rule must expose it (ExposeHeaders: ["ETag"])`,
            sent.status,
          );
        if (run !== this.#run) return;
        this.#etags[n] = sent.etag;
        this.#progress(n, body.size);
      },
      signal,
      () => run === this.#run && this.#progress(n, 0),
    );
  }

  /** Completes the upload with every part's ETag, in order. */
  async #complete(): Promise<void> {
    const saved = this.#saved!;
    const parts: { partNumber: number; etag: string }[] = [];
    for (let n = 1; n <= this.#partCount; n++) parts.push({ partNumber: n, etag: this.#etags[n]! });
    const sent = await this.#retry(async () => {
      const answer = await this.#call({ action: 'complete', ...this.#facts(saved), parts });
      const sent = await this.#bucket('CompleteMultipartUpload', answer.request, answer.body ?? '');
      // S3 can answer 200 and report an error in the body.
      if (sent.text.includes('<Error>')) throw bucketError('CompleteMultipartUpload', sent);
      return sent;
    });
    // Paused while completing: S3 has the object all the same. Aborted or failed meanwhile: nothing to resolve.
    if (this.#status !== 'uploading' && this.#status !== 'paused') return;
    forgetState(this.#store, this.#name);
    this.#saved = undefined;
    this.#status = 'done';
    this.#settle![0]({
      key: this.#key,
      uploadId: saved.uploadId,
      etag: xmlValue(sent.text, 'ETag'),
      location: xmlValue(sent.text, 'Location'),
      size: this.#file.size,
      partCount: this.#partCount,
    });
  }

  /** Fails the run: the parts in flight stop, what is saved stays (start() again resumes). */
  #fail(error: unknown): void {
    if (this.#status !== 'uploading' && this.#status !== 'paused') return;
    this.#status = 'failed';
    this.#pause.abort(error);
    this.#settle?.[1](error);
  }

  #progress(n: number, loaded: number): void {
    const before = this.#loaded[n] ?? 0;
    if (loaded === before) return;
    this.#loaded[n] = loaded;
    this.#sent += loaded - before;
    this.#onProgress?.({
      loaded: this.#sent,
      total: this.#file.size,
      partNumber: n,
      partLoaded: loaded,
      partSize: this.#partSize(n),
    });
  }

  /** Runs `attempt` until it succeeds, fails for good, or `signal` is aborted; waits with backoff between. */
  async #retry<T>(attempt: () => Promise<T>, signal?: AbortSignal, onFailure?: () => void): Promise<T> {
    for (let tries = 0; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        onFailure?.();
        if (!(error instanceof UploadError && retryable.has(error)) || tries >= this.#retries) throw error;
      }
      // Full jitter: a random wait below a ceiling that doubles (as SigV4Client and the AWS SDKs).
      await this.#sleep(this.#random() * Math.min(this.#maxRetryDelay, this.#retryDelay * 2 ** tries));
      if (signal?.aborted) throw signal.reason;
    }
  }

  /** Asks the handler to presign a step. */
  async #call(body: MultipartHandlerRequest, signal?: AbortSignal): Promise<MultipartHandlerResponse> {
    let response: Response;
    try {
      response = await this.#fetch(this.#endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.#headers },
        body: JSON.stringify(body),
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw again(new UploadError('ERR_UPLOAD_FAILED', `the upload handler could not be reached (${String(error)})`));
    }
    const text = await response.text().catch(() => '');
    let answer: Partial<MultipartHandlerResponse> & { error?: { code?: string; message?: string } };
    try {
      answer = JSON.parse(text);
    } catch {
      answer = {};
    }
    const { status } = response;
    if (!response.ok) {
      const reason = answer?.error?.code;
      const message = `the upload handler answered ${status}${answer?.error?.message ? `: ${answer.error.message}` : ''}`;
      // A server error or throttling may pass; a refusal will not.
      throw status >= 500 || status === 408 || status === 429
        ? again(new UploadError('ERR_UPLOAD_FAILED', message, status, reason))
        : new UploadError('ERR_UPLOAD_REFUSED', message, status, reason);
    }
    const request = answer?.request;
    if (typeof request?.url !== 'string' || typeof request.method !== 'string' || typeof request.headers !== 'object')
      throw new UploadError(
        'ERR_UPLOAD_RESPONSE',
        `the upload handler answered ${status} without a presigned request`,
        status,
      );
    return answer as MultipartHandlerResponse;
  }

  /** Sends a presigned request to the bucket; resolves with a 2xx answer, rejects with anything else. */
  async #bucket(
    what: string,
    request: PresignedRequestJson,
    body?: Blob | string,
    signal?: AbortSignal,
    onProgress?: (loaded: number) => void,
  ): Promise<Sent> {
    let sent: Sent;
    try {
      sent = await send(
        {
          method: request.method,
          url: request.url,
          headers: request.headers,
          ...(body === undefined ? {} : { body }),
          ...(signal === undefined ? {} : { signal }),
          ...(onProgress === undefined ? {} : { onProgress }),
        },
        this.#transport,
        this.#fetch,
      );
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw again(
        new UploadError(
          'ERR_UPLOAD_FAILED',
          `${what}: no answer from the bucket (the network, or a CORS rule that does not allow this page: ${String(error)})`,
        ),
      );
    }
    if (sent.status < 200 || sent.status > 299) throw bucketError(what, sent);
    return sent;
  }
}
