// Sending one request to the bucket: with XMLHttpRequest, whose upload events report the bytes sent, or with
// fetch, which reports a part when it is done (a streamed request body would need HTTP/2 in browsers).

/** What came back: the status, the ETag header (null when CORS hides it) and the body. */
export interface Sent {
  readonly status: number;
  readonly etag: string | null;
  readonly text: string;
}

/** How the uploader sends the bytes: `xhr` (progress as bytes go out) or `fetch` (progress per part). */
export type Transport = 'xhr' | 'fetch';

/** What the uploader sends its requests with: `globalThis.fetch` or one of the same shape. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** One request. */
export interface Send {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Blob | string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (loaded: number) => void;
}

// Headers a browser sets itself and refuses from a script (Content-Length comes from the body).
const FORBIDDEN = /^(?:content-length|host)$/i;

/** Sends a request and resolves with what came back; rejects on a network error or an abort. */
export function send(request: Send, transport: Transport, fetch: FetchLike): Promise<Sent> {
  const { method, url, headers, body, signal, onProgress } = request;
  const sent = Object.entries(headers).filter(([name]) => !FORBIDDEN.test(name));
  if (transport === 'fetch')
    return fetch(url, {
      method,
      headers: sent,
      ...(body === undefined ? {} : { body }),
      ...(signal === undefined ? {} : { signal }),
    }).then(async (response) => {
      const text = await response.text();
      if (response.ok && body instanceof Blob) onProgress?.(body.size);
      return { status: response.status, etag: response.headers.get('etag'), text };
    });
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const xhr = new XMLHttpRequest();
    const stop = () => xhr.abort();
    const settle = () => signal?.removeEventListener('abort', stop);
    xhr.open(method, url);
    for (const [name, value] of sent) xhr.setRequestHeader(name, value);
    if (onProgress) xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      settle();
      resolve({ status: xhr.status, etag: xhr.getResponseHeader('etag'), text: xhr.responseText });
    };
    xhr.onerror =
      xhr.onabort =
      xhr.ontimeout =
        () => {
          settle();
          reject(signal?.aborted ? signal.reason : new TypeError('network error'));
        };
    signal?.addEventListener('abort', stop, { once: true });
    xhr.send(body ?? null);
  });
}
