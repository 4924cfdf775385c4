// An in-memory S3 for the uploader's tests: the multipart operations, each request's presigned URL verified with
// verifyPresignedUrl against the body the browser would send (its Content-Length included), S3's answers as XML,
// and faults injected by the test. The uploader talks to it and to the real handler (createMultipartHandler)
// through one injected fetch.

import { createHash } from 'node:crypto';
import {
  createMultipartHandler,
  isSigV4Error,
  verifyPresignedUrl,
  type MultipartHandlerOptions,
} from '../../src/index.js';
import { escapeXml as escapeXmlForTests } from '../../src/multipart/xml.js';

export const MiB = 1024 * 1024;
export const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
export const ENDPOINT = 'http://app.test/multipart';
const S3 = 'http://s3.test';

/** One request the fake received, as the uploader sent it. */
export interface Seen {
  readonly method: string;
  readonly url: string;
  readonly operation: string;
  readonly partNumber?: number;
  readonly size?: number;
}

/** What a fault hook returns: a response to answer with, 'network' to fail the request, or nothing. */
export type Fault = (seen: Seen, nth: number) => Response | 'network' | 'hang' | undefined;

interface Upload {
  key: string;
  type: string | null;
  parts: Map<number, { bytes: Uint8Array; etag: string }>;
}

export interface FakeOptions {
  readonly handler?: Partial<MultipartHandlerOptions>;
  readonly fault?: Fault;
  /** ListParts' page size (S3's is 1000), to make the uploader page. */
  readonly pageSize?: number;
  /** Leave the ETag header out of part answers, as a CORS rule without ExposeHeaders does. */
  readonly hideEtag?: boolean;
}

const md5 = (bytes: Uint8Array): string => createHash('md5').update(bytes).digest('hex');
const xml = (body: string): Response =>
  new Response(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`, { headers: { 'content-type': 'application/xml' } });
const s3Error = (status: number, code: string, message: string): Response =>
  new Response(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    {
      status,
      headers: { 'content-type': 'application/xml' },
    },
  );

export class FakeS3 {
  readonly uploads = new Map<string, Upload>();
  readonly objects = new Map<string, { bytes: Uint8Array; type: string | null; etag: string }>();
  readonly seen: Seen[] = [];
  readonly handler: (request: Request) => Promise<Response>;
  /** Requests held by a 'hang' fault: resolve one to let it through. */
  readonly held: { seen: Seen; release: () => void }[] = [];
  #ids = 0;
  #counts = new Map<string, number>();

  constructor(readonly options: FakeOptions = {}) {
    this.handler = createMultipartHandler({
      bucket: 'bucket',
      endpoint: S3,
      region: 'us-east-1',
      credentials,
      keyPrefix: 'uploads/',
      maxSize: 100 * MiB,
      partSize: 5 * MiB,
      ...options.handler,
    });
  }

  /** The fetch the uploader gets: the handler's URL to the handler, the rest to the bucket. */
  readonly fetch = async (url: string, init: RequestInit): Promise<Response> => {
    if (url === ENDPOINT) return this.handler(new Request(url, init));
    return this.#bucket(url, init);
  };

  /** How many requests of an operation (and part) were received. */
  count(operation: string, partNumber?: number): number {
    return this.seen.filter(
      (s) => s.operation === operation && (partNumber === undefined || s.partNumber === partNumber),
    ).length;
  }

  async #bucket(url: string, init: RequestInit): Promise<Response> {
    // As fetch does: an aborted signal sends nothing.
    if (init.signal?.aborted) throw init.signal.reason;
    const method = init.method ?? 'GET';
    const body =
      init.body instanceof Blob
        ? new Uint8Array(await init.body.arrayBuffer())
        : typeof init.body === 'string'
          ? new TextEncoder().encode(init.body)
          : new Uint8Array(0);
    const query = new URL(url).searchParams;
    const partNumber = query.has('partNumber') ? Number(query.get('partNumber')) : undefined;
    const operation =
      method === 'POST' && query.has('uploads')
        ? 'create'
        : method === 'PUT'
          ? 'part'
          : method === 'GET'
            ? 'list'
            : method === 'POST'
              ? 'complete'
              : method === 'DELETE'
                ? 'abort'
                : 'other';
    const seen: Seen = {
      method,
      url,
      operation,
      ...(partNumber === undefined ? {} : { partNumber, size: body.length }),
    };
    this.seen.push(seen);
    const nth = (this.#counts.get(`${operation}:${partNumber}`) ?? 0) + 1;
    this.#counts.set(`${operation}:${partNumber}`, nth);
    const signal = init.signal ?? undefined;
    const fault = this.options.fault?.(seen, nth);
    if (fault === 'network') throw new TypeError('fetch failed');
    if (fault === 'hang') {
      await new Promise<void>((release, reject) => {
        this.held.push({ seen, release });
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    } else if (fault) return fault;
    if (signal?.aborted) throw signal.reason;

    // The browser sends the signed headers, and Content-Length from the body.
    const headers = new Headers(init.headers);
    headers.set('content-length', String(body.length));
    try {
      await verifyPresignedUrl({
        url,
        method,
        headers,
        service: 's3',
        region: 'us-east-1',
        getCredentials: () => credentials,
      });
    } catch (error) {
      if (isSigV4Error(error)) return s3Error(403, 'SignatureDoesNotMatch', error.code);
      throw error;
    }
    const key = decodeURIComponent(new URL(url).pathname.slice('/bucket/'.length));
    const uploadId = query.get('uploadId') ?? '';
    const upload = this.uploads.get(uploadId);
    if (operation === 'create') {
      const id = `upload-${++this.#ids}`;
      this.uploads.set(id, { key, type: headers.get('content-type'), parts: new Map() });
      return xml(
        `<InitiateMultipartUploadResult><Bucket>bucket</Bucket><Key>${escapeXmlForTests(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
      );
    }
    if (!upload || upload.key !== key) return s3Error(404, 'NoSuchUpload', 'The specified upload does not exist.');
    if (operation === 'part') {
      const etag = `"${md5(body)}"`;
      upload.parts.set(partNumber!, { bytes: body, etag });
      return new Response(null, { headers: this.options.hideEtag ? {} : { etag } });
    }
    if (operation === 'list') {
      const marker = Number(query.get('part-number-marker') ?? 0);
      const page = this.options.pageSize ?? 1000;
      const numbers = [...upload.parts.keys()].sort((a, b) => a - b).filter((n) => n > marker);
      const shown = numbers.slice(0, page);
      const truncated = numbers.length > page;
      return xml(
        `<ListPartsResult><Bucket>bucket</Bucket><Key>${escapeXmlForTests(key)}</Key><UploadId>${uploadId}</UploadId>` +
          `<PartNumberMarker>${marker}</PartNumberMarker><NextPartNumberMarker>${shown.at(-1) ?? 0}</NextPartNumberMarker>` +
          `<MaxParts>${page}</MaxParts><IsTruncated>${truncated}</IsTruncated>` +
          shown
            .map((n) => {
              const part = upload.parts.get(n)!;
              return `<Part><PartNumber>${n}</PartNumber><LastModified>2024-01-01T10:00:00.000Z</LastModified><ETag>${escapeXmlForTests(part.etag)}</ETag><Size>${part.bytes.length}</Size></Part>`;
            })
            .join('') +
          '</ListPartsResult>',
      );
    }
    if (operation === 'abort') {
      this.uploads.delete(uploadId);
      return new Response(null, { status: 204 });
    }
    // CompleteMultipartUpload: the parts named, in ascending order, each uploaded with that ETag; all but the last
    // at least 5 MiB.
    const text = new TextDecoder().decode(body);
    const named = [...text.matchAll(/<Part><ETag>([^<]*)<\/ETag><PartNumber>(\d+)<\/PartNumber><\/Part>/g)].map(
      (m) => ({
        etag: m[1]!.replaceAll('&quot;', '"'),
        partNumber: Number(m[2]),
      }),
    );
    if (named.length === 0) return s3Error(400, 'MalformedXML', 'no parts');
    const chunks: Uint8Array[] = [];
    for (const [i, { etag, partNumber: n }] of named.entries()) {
      const part = upload.parts.get(n);
      if (i > 0 && n <= named[i - 1]!.partNumber) return s3Error(400, 'InvalidPartOrder', 'order');
      if (!part || part.etag !== etag) return s3Error(400, 'InvalidPart', `part ${n}`);
      if (i < named.length - 1 && part.bytes.length < 5 * MiB) return s3Error(400, 'EntityTooSmall', `part ${n}`);
      chunks.push(part.bytes);
    }
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    const etag = `"${md5(new Uint8Array(Buffer.concat(named.map((p) => Buffer.from(p.etag.slice(1, -1), 'hex')))))}-${named.length}"`;
    this.objects.set(key, { bytes, type: upload.type, etag });
    this.uploads.delete(uploadId);
    return xml(
      `<CompleteMultipartUploadResult><Location>${S3}/bucket/${escapeXmlForTests(key)}</Location><Bucket>bucket</Bucket><Key>${escapeXmlForTests(key)}</Key><ETag>${escapeXmlForTests(etag)}</ETag></CompleteMultipartUploadResult>`,
    );
  }
}

/** A ResumeStore in memory, as localStorage. */
export class MemoryStore {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

/**
 * A File of `size` bytes that differ from part to part (deterministic per seed): a 64 KiB block of xorshift bytes,
 * repeated with each copy stamped with its index, so that a part out of place or sent twice shows.
 */
export function makeFile(size: number, name = 'talk ü.mp4', seed = 1, type = 'video/mp4'): File {
  const BLOCK = 64 * 1024;
  const block = new Uint8Array(BLOCK);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < BLOCK; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    block[i] = x & 255;
  }
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  for (let at = 0, n = 0; at < size; at += BLOCK, n++) {
    bytes.set(block.subarray(0, Math.min(BLOCK, size - at)), at);
    if (at + 4 <= size) view.setUint32(at, n ^ seed);
  }
  return new File([bytes], name, { type, lastModified: 1_700_000_000_000 + seed });
}
