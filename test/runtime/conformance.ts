// The conformance core: one suite, no test framework, Web APIs only (crypto.subtle, TextEncoder, URL), run in
// every runtime — Node, Deno, Bun, workerd and Chromium — against the built package, which it receives as an
// argument (as jose's runtime suite does), so this file never imports the library itself.
//
// What it checks: AWS's vectors (embedded as data by test/runtime/build.ts) through presignUrl/signRequest and
// their synchronous twins, stage by stage, then verified again by verifyPresignedUrl/verifyRequest; presign →
// verify round trips over awkward S3 keys (sigv4/lite presigning and header signing the same); the error cases (caller misuse and every verification failure
// code that a tampered request produces); s3Url and SigV4Client (its bodies read through the runtime's Request).

import type * as Sigv4 from '../../src/index.js';
import type * as Lite from '../../src/lite.js';

/** The library under test: the built package's exports, and its `sigv4/lite` entry as `lite`. */
export type Library = typeof Sigv4 & { readonly lite: typeof Lite };

/** A vector's signing options, as plain data. */
export interface VectorOptions {
  readonly url: string;
  readonly method: string;
  readonly service: string;
  readonly region: string;
  readonly credentials: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
  readonly signingDate: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body?: string;
  readonly payloadHash?: string;
  readonly expiresIn?: number;
  readonly normalizePath?: boolean;
  readonly uriEscapePath?: boolean;
  readonly signSessionToken?: boolean;
  readonly contentSha256Header?: boolean;
}

/** One AWS vector: sign (or presign) with these options and expect these stages. */
export interface VectorCase {
  readonly id: string;
  readonly kind: 'presign' | 'sign';
  readonly options: VectorOptions;
  readonly expected: {
    readonly canonicalRequest: string;
    readonly stringToSign: string;
    readonly signature: string;
    /** The whole presigned URL, byte for byte, where the source prints it. */
    readonly url?: string;
    readonly authorization?: string;
  };
  /** The body a verifier receives (for header-signed vectors whose payload hash is the body's). */
  readonly verifyBody?: string;
  /** False where the vector is not a request a verifier can take as received (the stages are still checked). */
  readonly verify: boolean;
}

/**
 * One case of aws-c-auth's SigV4a suite: sign (or presign) with these options and expect these stages. ECDSA is
 * randomized, so signatures are verified, never compared: with `publicKey` through the runtime's own Web Crypto,
 * and with the derived key through the library's verifiers, which also take the vector's own `signature` and the
 * request aws-c-auth printed (`printed`, with its own signature).
 */
export interface V4aVectorCase {
  readonly id: string;
  readonly kind: 'presign' | 'sign';
  readonly options: Omit<VectorOptions, 'region'> & { readonly regionSet: string };
  readonly expected: { readonly canonicalRequest: string; readonly stringToSign: string; readonly signature: string };
  /** public-key.json: the P-256 point, hex. */
  readonly publicKey: { readonly x: string; readonly y: string };
  /** The signed request as aws-c-auth printed it. */
  readonly printed: {
    readonly url: string;
    readonly method: string;
    readonly headers: readonly (readonly [string, string])[];
  };
  /** The body a verifier receives, where the payload hash is the body's. */
  readonly verifyBody?: string;
}

/** What test/runtime/build.ts embeds. */
export interface ConformanceData {
  /** Which suites the vectors come from. */
  readonly source: string;
  readonly vectors: readonly VectorCase[];
  readonly v4a: readonly V4aVectorCase[];
  /** Set when the vector folder was not found: the vector checks are then reported as skipped, by count. */
  readonly missing?: { readonly reason: string; readonly count: number };
}

export interface Failure {
  readonly name: string;
  readonly message: string;
}

export interface ConformanceResult {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly failures: readonly Failure[];
  readonly notes: readonly string[];
}

class AssertionError extends Error {}

function fail(message: string): never {
  throw new AssertionError(message);
}

const show = (value: unknown): string => {
  const text =
    typeof value === 'string' ? JSON.stringify(value) : value instanceof Date ? value.toISOString() : String(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
};

function equal(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) fail(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}

/** Same JSON form (Dates as ISO text): how the async and sync results are compared. */
function sameJson(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(expected);
  if (a !== b) fail(`${what}: results differ\n  got      ${show(a)}\n  expected ${show(b)}`);
}

/** Runs `run` and expects it to throw (or reject) a SigV4Error with this code. */
async function rejectsWith(lib: Library, code: string, run: () => unknown): Promise<Error> {
  let error: unknown;
  try {
    await run();
  } catch (e) {
    error = e;
  }
  if (error === undefined) fail(`expected ${code}, but it was accepted`);
  if (!lib.isSigV4Error(error)) fail(`expected a SigV4Error ${code}, got ${String(error)}`);
  equal(error.code, code, 'error code');
  equal(error.name, 'SigV4Error', 'error name');
  return error;
}

/** Runs `run` and expects it to throw (or reject) this built-in error type, with a message matching `pattern`. */
async function throwsType(type: 'TypeError' | 'RangeError', pattern: RegExp, run: () => unknown): Promise<void> {
  let error: unknown;
  try {
    await run();
  } catch (e) {
    error = e;
  }
  if (!(error instanceof Error)) fail(`expected a ${type}, but it was accepted`);
  equal(error.name, type, 'error type');
  if (!pattern.test(error.message)) fail(`message ${show(error.message)} expected to match ${String(pattern)}`);
}

/** Header pairs with one replaced or removed (by lowercase name). */
const withoutHeader = (headers: Readonly<Record<string, string>>, name: string): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).filter(([n]) => n !== name));

/** Changes one hex character of the signature in a presigned URL. */
export const flipSignature = (url: string): string =>
  url.replace(
    /(X-Amz-Signature=[0-9a-f]{10})([0-9a-f])/,
    (_, head: string, c: string) => head + (c === '0' ? '1' : '0'),
  );

const bytesOfHex = (hex: string): Uint8Array => new Uint8Array((hex.match(/../g) ?? []).map((h) => parseInt(h, 16)));

/** A DER ECDSA signature (hex) as r ‖ s, 64 bytes, for Web Crypto; read here apart from the library. */
export function rsOfDer(hex: string): Uint8Array {
  const der = bytesOfHex(hex);
  const out = new Uint8Array(64);
  let at = 2;
  for (const offset of [0, 32]) {
    const length = der[at + 1]!;
    const value = der.subarray(at + 2, at + 2 + length);
    const trimmed = value[0] === 0 ? value.subarray(1) : value;
    out.set(trimmed, offset + 32 - trimmed.length);
    at += 2 + length;
  }
  return out;
}

/** The runtime's own Web Crypto verdict on a SigV4a signature (hex DER), with a public key `{ x, y }` (hex). */
export async function webCryptoVerifies(
  publicKey: { readonly x: string; readonly y: string },
  stringToSign: string,
  signature: string,
): Promise<boolean> {
  const key = await crypto.subtle.importKey(
    'raw',
    bytesOfHex(`04${publicKey.x}${publicKey.y}`) as BufferSource,
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  );
  return crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    rsOfDer(signature) as BufferSource,
    new TextEncoder().encode(stringToSign) as BufferSource,
  );
}

/** S3 keys that take every encoding rule: spaces, `+`, `%`, unicode, `//`, `~`, `!*'()`, dot segments. */
export const AWKWARD_KEYS: readonly string[] = [
  'plain.txt',
  'with space.txt',
  'plus+sign.txt',
  'percent%25 sign.txt', // the key holds "%": a URL writes it %25
  'unicodé ü 日本 🙂.txt',
  'double//slash/and/trailing/',
  'tilde~and-_.txt',
  "bang!star*quote'paren().txt",
  'dots/./and/../kept',
  'question%3Fhash%23.txt', // "?" and "#" in a key, written %3F and %23
];

// Unreserved characters, "/" and %XX escapes in upper case: how S3 keys go on the wire (RFC 3986 section 2).
const RFC3986_PATH = /^(?:[A-Za-z0-9\-._~/]|%[0-9A-F]{2})*$/;

/** Runs the suite against `lib` and reports each check through `log`. */
export async function runConformance(
  lib: Library,
  data: ConformanceData,
  log: (line: string) => void = () => {},
): Promise<ConformanceResult> {
  let passed = 0;
  let skipped = 0;
  const failures: Failure[] = [];
  const notes: string[] = [];

  async function check(name: string, body: () => Promise<void> | void): Promise<void> {
    try {
      await body();
      passed++;
    } catch (error) {
      const message =
        error instanceof Error
          ? `${error instanceof AssertionError ? '' : `${error.name}: `}${error.message}`
          : String(error);
      failures.push({ name, message });
      log(`FAIL ${name}\n     ${message.replace(/\n/g, '\n     ')}`);
    }
  }

  if (typeof globalThis.crypto?.subtle?.digest !== 'function') {
    failures.push({ name: 'environment', message: 'no crypto.subtle in this runtime' });
  }

  // 1. AWS's vectors, stage by stage, through both paths, and verified back.
  if (data.missing) {
    skipped += data.missing.count;
    notes.push(`${data.missing.count} vector checks SKIPPED: ${data.missing.reason}`);
    log(`!!! ${notes[notes.length - 1]}`);
  }
  for (const vector of data.vectors) {
    await check(`vector ${vector.id} (${vector.kind})`, async () => {
      const options = { ...vector.options, cache: false as const };
      const { expected } = vector;
      const result = vector.kind === 'presign' ? await lib.presignUrl(options) : await lib.signRequest(options);
      const sync = vector.kind === 'presign' ? lib.presignUrlSync(options) : lib.signRequestSync(options);
      equal(result.canonicalRequest, expected.canonicalRequest, 'canonical request');
      equal(result.stringToSign, expected.stringToSign, 'string to sign');
      equal(result.signature, expected.signature, 'signature');
      if (expected.url !== undefined) equal(result.url, expected.url, 'presigned URL');
      if (expected.authorization !== undefined)
        equal(result.headers['authorization'], expected.authorization, 'authorization');
      sameJson(sync, result, 'sync and async');
      if (!vector.verify) return;
      const { credentials } = vector.options;
      const common = {
        method: options.method,
        region: options.region,
        service: options.service,
        now: Date.parse(options.signingDate),
        getCredentials: (id: string) =>
          id === credentials.accessKeyId
            ? { secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken }
            : undefined,
        ...(options.normalizePath === undefined ? {} : { normalizePath: options.normalizePath }),
        ...(options.uriEscapePath === undefined ? {} : { uriEscapePath: options.uriEscapePath }),
        ...(options.signSessionToken === undefined ? {} : { signSessionToken: options.signSessionToken }),
        cache: false as const,
      };
      const verified =
        vector.kind === 'presign'
          ? await lib.verifyPresignedUrl({
              ...common,
              url: result.url,
              headers: vector.options.headers,
              ...(options.payloadHash === undefined ? {} : { payloadHash: options.payloadHash }),
            })
          : await lib.verifyRequest({
              ...common,
              url: result.url,
              headers: Object.entries(result.headers),
              ...(vector.verifyBody === undefined ? {} : { body: vector.verifyBody }),
              ...(options.payloadHash === undefined ? {} : { payloadHash: options.payloadHash }),
            });
      equal(verified.canonicalRequest, expected.canonicalRequest, 'verifier canonical request');
      equal(verified.stringToSign, expected.stringToSign, 'verifier string to sign');
    });
  }

  // 1b. AWS's SigV4a vectors: stages byte for byte, every signature verified (randomized: never compared), the
  // derived public key equal to public-key.json. Web Crypto's key formats differ between runtimes: here is where
  // the P-256 key import is proven in each.
  if (data.v4a.length > 0) {
    await check('SigV4a: the derived public key equals public-key.json', async () => {
      const { credentials } = data.v4a[0]!.options;
      const derived = await lib.deriveV4aPublicKey(credentials);
      equal(derived.x, data.v4a[0]!.publicKey.x, 'x');
      equal(derived.y, data.v4a[0]!.publicKey.y, 'y');
    });
  }
  for (const vector of data.v4a) {
    await check(`SigV4a vector ${vector.id} (${vector.kind})`, async () => {
      const options = { ...vector.options, cache: false as const };
      const { expected, publicKey } = vector;
      const result = vector.kind === 'presign' ? await lib.presignUrlV4a(options) : await lib.signRequestV4a(options);
      equal(result.canonicalRequest, expected.canonicalRequest, 'canonical request');
      equal(result.stringToSign, expected.stringToSign, 'string to sign');
      equal(result.algorithm, 'AWS4-ECDSA-P256-SHA256', 'algorithm');
      if (!(await webCryptoVerifies(publicKey, result.stringToSign, result.signature)))
        fail('the signature does not verify with public-key.json (Web Crypto)');
      if (!(await webCryptoVerifies(publicKey, expected.stringToSign, expected.signature)))
        fail("the vector's own signature does not verify with public-key.json (Web Crypto)");
      const { credentials } = vector.options;
      const common = {
        method: options.method,
        region: options.regionSet,
        service: options.service,
        now: Date.parse(options.signingDate),
        getCredentials: (id: string) =>
          id === credentials.accessKeyId
            ? { secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken }
            : undefined,
        ...(options.normalizePath === undefined ? {} : { normalizePath: options.normalizePath }),
        ...(options.uriEscapePath === undefined ? {} : { uriEscapePath: options.uriEscapePath }),
        ...(options.signSessionToken === undefined ? {} : { signSessionToken: options.signSessionToken }),
        ...(vector.verifyBody === undefined ? {} : { body: vector.verifyBody }),
        ...(options.payloadHash === undefined ? {} : { payloadHash: options.payloadHash }),
        cache: false as const,
      };
      const theirs = (signature: string): string => signature.replace(/[0-9a-f]+$/, expected.signature);
      const runs =
        vector.kind === 'presign'
          ? [
              { url: result.url, headers: vector.options.headers },
              { url: theirs(result.url), headers: vector.options.headers },
              { url: vector.printed.url, headers: vector.printed.headers },
            ].map((request) => () => lib.verifyPresignedUrl({ ...common, ...request }))
          : [
              Object.entries(result.headers),
              Object.entries({ ...result.headers, authorization: theirs(result.headers['authorization']!) }),
            ]
              .map((headers) => () => lib.verifyRequest({ ...common, url: result.url, headers }))
              .concat(() => lib.verifyRequest({ ...common, url: vector.printed.url, headers: vector.printed.headers }));
      for (const [i, run] of runs.entries()) {
        const verified = await run();
        const what = ['ours', "the vector's signature", "aws-c-auth's printed request"][i]!;
        equal(verified.canonicalRequest, expected.canonicalRequest, `verifier canonical request (${what})`);
        equal(verified.stringToSign, expected.stringToSign, `verifier string to sign (${what})`);
        equal(verified.algorithm, 'AWS4-ECDSA-P256-SHA256', `verified algorithm (${what})`);
      }
    });
  }

  // 2. Presign → verify round trips over awkward keys, for each method, with and without a session token.
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
  const temporary = { ...credentials, sessionToken: 'FwoGZXIvYXdzEJr//////////wEaDEXAMPLE+token/=' };
  const now = Date.parse('2026-01-02T03:04:05Z');
  const base = 'https://examplebucket.s3.us-east-1.amazonaws.com/';
  const lookup = (id: string) =>
    id === credentials.accessKeyId
      ? { secretAccessKey: credentials.secretAccessKey }
      : id === 'ASIATEMPORARY'
        ? { ...temporary }
        : undefined;
  const s3 = { service: 's3', region: 'us-east-1', signingDate: now } as const;
  const accept = { service: 's3', region: 'us-east-1', now, getCredentials: lookup } as const;

  for (const key of AWKWARD_KEYS) {
    for (const method of ['GET', 'PUT', 'HEAD', 'DELETE']) {
      await check(`round trip ${method} ${JSON.stringify(key)}`, async () => {
        const options = { ...s3, url: base + key, method, credentials, expiresIn: 900 };
        const presigned = await lib.presignUrl(options);
        sameJson(lib.presignUrlSync(options), presigned, 'sync and async');
        equal((await lib.lite.presignUrl(options)).url, presigned.url, 'sigv4/lite');
        const wirePath = presigned.url.slice(new URL(presigned.url).origin.length).split('?')[0]!;
        if (!RFC3986_PATH.test(wirePath)) fail(`URL path not RFC 3986-encoded: ${presigned.url}`);
        const verified = await lib.verifyPresignedUrl({ ...accept, url: presigned.url, method });
        equal(verified.accessKeyId, credentials.accessKeyId, 'access key id');
        equal(verified.path, presigned.canonicalRequest.split('\n')[1], 'verified path');
        equal(verified.expiresAt.getTime(), presigned.expiresAt.getTime(), 'expiry');
      });
    }
  }

  await check('round trip with a session token, signed and added after signing', async () => {
    const creds = { ...temporary, accessKeyId: 'ASIATEMPORARY' };
    for (const signSessionToken of [true, false]) {
      const presigned = await lib.presignUrl({ ...s3, url: base + 'a', credentials: creds, signSessionToken });
      const verified = await lib.verifyPresignedUrl({ ...accept, url: presigned.url, method: 'GET', signSessionToken });
      equal(verified.sessionToken, temporary.sessionToken, 'session token');
      const signed = await lib.signRequest({ ...s3, url: base + 'a', credentials: creds, signSessionToken });
      await lib.verifyRequest({ ...accept, url: signed.url, method: 'GET', headers: signed.headers, signSessionToken });
    }
  });

  await check('round trip with signed headers, hoisted x-amz-* and extra query parameters', async () => {
    const presigned = await lib.presignUrl({
      ...s3,
      url: base + 'report.csv',
      method: 'PUT',
      credentials,
      headers: { 'content-type': 'text/csv', 'x-amz-meta-owner': 'Ann: a+b=c? (ascii)', 'x-amz-acl': 'private' },
      hoistAmzHeaders: true,
      query: { 'response-content-disposition': 'attachment; filename="a b.csv"' },
    });
    equal(JSON.stringify(presigned.headers), JSON.stringify({ 'content-type': 'text/csv' }), 'headers left to send');
    if (!presigned.url.includes('x-amz-meta-owner=')) fail('x-amz-meta-owner not hoisted into the query');
    await lib.verifyPresignedUrl({ ...accept, url: presigned.url, method: 'PUT', headers: presigned.headers });
    await rejectsWith(lib, 'ERR_SIGV4_SIGNED_HEADERS', () =>
      lib.verifyPresignedUrl({ ...accept, url: presigned.url, method: 'PUT' }),
    );
    await rejectsWith(lib, 'ERR_SIGV4_SIGNATURE_MISMATCH', () =>
      lib.verifyPresignedUrl({
        ...accept,
        url: presigned.url,
        method: 'PUT',
        headers: { 'content-type': 'text/plain' },
      }),
    );
  });

  await check('header signing round trip with bodies (string, Uint8Array, ArrayBuffer)', async () => {
    const text = 'Welcome to Amazon S3. ü';
    const bytes = new TextEncoder().encode(text);
    for (const body of [text, bytes, bytes.slice().buffer]) {
      const options = {
        ...s3,
        url: base + 'object key',
        method: 'PUT',
        credentials,
        body,
        headers: { 'content-type': 'text/plain' },
      };
      const signed = await lib.signRequest(options);
      sameJson(lib.signRequestSync(options), signed, 'sync and async');
      sameJson((await lib.lite.signRequest(options)).headers, signed.headers, 'sigv4/lite');
      equal(signed.headers['x-amz-content-sha256'], lib.sha256HexSync(text), 'x-amz-content-sha256');
      await lib.verifyRequest({ ...accept, url: signed.url, method: 'PUT', headers: signed.headers, body });
      await rejectsWith(lib, 'ERR_SIGV4_PAYLOAD_HASH', () =>
        lib.verifyRequest({ ...accept, url: signed.url, method: 'PUT', headers: signed.headers, body: text + '!' }),
      );
    }
  });

  await check(
    'aws-chunked: each mode signed, framed, verified as a stream and read back; a flipped byte refused',
    async () => {
      const data = new Uint8Array(20_000).map((_, i) => (i * 7 + 3) % 251);
      const streamOf = (bytes: Uint8Array) =>
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (let i = 0; i < bytes.length; i += 5000) controller.enqueue(bytes.slice(i, i + 5000));
            controller.close();
          },
        });
      // Read with a reader, not new Response(stream): Chromium rejects a Response body read from an errored stream
      // with its own TypeError ("Failed to fetch"), not the stream's error.
      const read = async (stream: ReadableStream<Uint8Array>) => {
        const parts: Uint8Array[] = [];
        const reader = stream.getReader();
        for (let r = await reader.read(); !r.done; r = await reader.read()) parts.push(r.value);
        const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
        return out;
      };
      const modes = [
        ['STREAMING-AWS4-HMAC-SHA256-PAYLOAD', undefined],
        ['STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', 'CRC32C'],
        ['STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'CRC64NVME'],
      ] as const;
      for (const [payloadHash, checksumAlgorithm] of modes) {
        const headers = lib.awsChunkedHeaders({
          payloadHash,
          decodedLength: data.length,
          chunkSize: 8192,
          ...(checksumAlgorithm ? { checksumAlgorithm } : {}),
        });
        const signed = await lib.signRequest({ ...s3, url: base + 'chunked', method: 'PUT', credentials, headers });
        const encoded = await read(
          streamOf(data).pipeThrough(lib.createAwsChunkedEncoder({ signed, credentials, chunkSize: 8192 })),
        );
        equal(String(encoded.length), signed.headers['content-length'], `${payloadHash}: the encoded content-length`);
        const verify = (body: Uint8Array) =>
          lib.verifyRequest({
            ...accept,
            url: signed.url,
            method: 'PUT',
            headers: signed.headers,
            body: streamOf(body),
          });
        sameJson([...(await read((await verify(encoded)).body!))], [...data], `${payloadHash}: the bytes read back`);
        // A byte of the first chunk's data: 100 bytes after its header line.
        const flipped = encoded.slice();
        const headerEnd = encoded.findIndex((b, i) => b === 13 && encoded[i + 1] === 10);
        flipped[headerEnd + 102]! ^= 1;
        await rejectsWith(
          lib,
          payloadHash.includes('UNSIGNED') ? 'ERR_SIGV4_CHECKSUM_MISMATCH' : 'ERR_SIGV4_CHUNK_SIGNATURE',
          async () => read((await verify(flipped)).body!),
        );
      }
    },
  );

  await check('non-S3 service: normalized, double-encoded path round trip', async () => {
    const options = { service: 'execute-api', region: 'eu-west-1', signingDate: now, credentials };
    const signed = await lib.signRequest({
      ...options,
      url: 'https://api.example.com/stage/a b/./c/../%C3%BC',
      method: 'POST',
      body: '{}',
    });
    equal(signed.canonicalRequest.split('\n')[1], '/stage/a%2520b/%25C3%25BC', 'canonical path');
    await lib.verifyRequest({
      url: signed.url,
      method: 'POST',
      headers: signed.headers,
      body: '{}',
      service: 'execute-api',
      region: 'eu-west-1',
      now,
      getCredentials: lookup,
    });
  });

  await check('the shared signing key cache gives the same signatures as no cache', async () => {
    const options = { ...s3, url: base + 'cached', credentials };
    const fresh = await lib.presignUrl({ ...options, cache: false });
    const cache = new lib.SigningKeyCache(4);
    equal((await lib.presignUrl({ ...options, cache })).url, fresh.url, 'first (derives)');
    equal((await lib.presignUrl({ ...options, cache })).url, fresh.url, 'second (cached)');
    equal(lib.presignUrlSync({ ...options, cache }).url, fresh.url, 'sync (cached)');
  });

  await check('POST policy: create → verify, and the size range enforced', async () => {
    const post = await lib.createPresignedPost({
      url: base,
      bucket: 'examplebucket',
      key: 'uploads/${filename}',
      conditions: [['content-length-range', 1, 1024]],
      fields: { 'Content-Type': 'image/jpeg' },
      credentials,
      region: 'us-east-1',
      signingDate: now,
      expiresIn: 60,
    });
    const options = {
      form: Object.entries(post.fields),
      fileName: 'a b.jpg',
      bucket: 'examplebucket',
      getCredentials: lookup,
      region: 'us-east-1',
      now,
    };
    const verified = await lib.verifyPresignedPost({ ...options, fileSize: 1024 });
    equal(verified.key, 'uploads/a b.jpg', 'the key, ${filename} replaced');
    equal(verified.accessKeyId, credentials.accessKeyId, 'who signed');
    await rejectsWith(lib, 'ERR_SIGV4_ENTITY_TOO_LARGE', () => lib.verifyPresignedPost({ ...options, fileSize: 1025 }));
    await rejectsWith(lib, 'ERR_SIGV4_POLICY_CONDITION', () =>
      lib.verifyPresignedPost({
        ...options,
        fileSize: 10,
        form: Object.entries({ ...post.fields, 'Content-Type': 'text/html' }),
      }),
    );
  });

  await check(
    'SigV4a: sign → verify round trips; region sets; DER tampering is a typed error; high s accepted',
    async () => {
      const { region: _, ...scope } = s3; // SigV4a takes a region set instead
      const options = { ...scope, url: base + 'v4a key', credentials, regionSet: ['eu-west-1', 'us-east-1'] };
      const presigned = await lib.presignUrlV4a({ ...options, method: 'PUT' });
      const signed = await lib.signRequestV4a({ ...options, method: 'PUT', body: 'x' });
      const key = await lib.deriveV4aPublicKey(credentials);
      for (const r of [presigned, signed]) {
        if (!(await webCryptoVerifies(key, r.stringToSign, r.signature))) fail('a SigV4a signature does not verify');
        if (await webCryptoVerifies(key, r.stringToSign + '.', r.signature)) fail('Web Crypto verified another text');
      }
      await lib.verifyPresignedUrl({ ...accept, url: presigned.url, method: 'PUT' });
      await lib.verifyRequest({ ...accept, url: signed.url, method: 'PUT', headers: signed.headers, body: 'x' });
      await rejectsWith(lib, 'ERR_SIGV4_REGION', () =>
        lib.verifyPresignedUrl({ ...accept, region: 'ap-south-1', url: presigned.url, method: 'PUT' }),
      );
      await rejectsWith(lib, 'ERR_SIGV4_SIGNATURE_MISMATCH', () =>
        lib.verifyPresignedUrl({ ...accept, url: presigned.url, method: 'GET' }),
      );
      const withSignature = (signature: string) =>
        presigned.url.replace(/X-Amz-Signature=\w+/, `X-Amz-Signature=${signature}`);
      const der = presigned.signature;
      const rLength = parseInt(der.slice(6, 8), 16);
      const r = der.slice(8, 8 + 2 * rLength);
      const s = der.slice(12 + 2 * rLength);
      const integer = (hex: string) => `02${(hex.length / 2).toString(16).padStart(2, '0')}${hex}`;
      const sequence = (body: string) => `30${(body.length / 2).toString(16).padStart(2, '0')}${body}`;
      await rejectsWith(lib, 'ERR_SIGV4_MALFORMED', () =>
        // The SEQUENCE's length byte, one more than the signature holds.
        lib.verifyPresignedUrl({
          ...accept,
          url: withSignature(`30${(parseInt(der.slice(2, 4), 16) + 1).toString(16)}${der.slice(4)}`),
          method: 'PUT',
        }),
      );
      await rejectsWith(lib, 'ERR_SIGV4_MALFORMED', () =>
        lib.verifyPresignedUrl({ ...accept, url: withSignature(der + '00'), method: 'PUT' }),
      );
      await rejectsWith(lib, 'ERR_SIGV4_SIGNATURE_MISMATCH', () =>
        lib.verifyPresignedUrl({ ...accept, url: withSignature(sequence(integer(s) + integer(r))), method: 'PUT' }),
      );
      // n - s: as valid as s, and AWS's own signers send either.
      const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
      let high = (n - BigInt('0x' + s)).toString(16);
      if (high.length % 2) high = '0' + high;
      if (parseInt(high.slice(0, 2), 16) > 0x7f) high = '00' + high;
      await lib.verifyPresignedUrl({
        ...accept,
        url: withSignature(sequence(integer(r) + integer(high))),
        method: 'PUT',
      });
    },
  );

  // 3. Verification failures: each tampering gives its code, and never leaks the secret.
  const good = await lib.presignUrl({
    ...s3,
    url: base + 'photos/a b+c.jpg',
    method: 'PUT',
    credentials,
    expiresIn: 60,
    headers: { 'content-type': 'image/jpeg' },
  });
  const putOptions = { ...accept, url: good.url, method: 'PUT', headers: good.headers };
  const tampered: [string, string, Partial<Sigv4.VerifyPresignedUrlOptions>][] = [
    ['flipped signature character', 'ERR_SIGV4_SIGNATURE_MISMATCH', { url: flipSignature(good.url) }],
    ['key changed after signing', 'ERR_SIGV4_SIGNATURE_MISMATCH', { url: good.url.replace('a%20b', 'a%20c') }],
    [
      'X-Amz-Expires changed',
      'ERR_SIGV4_SIGNATURE_MISMATCH',
      { url: good.url.replace('X-Amz-Expires=60', 'X-Amz-Expires=600') },
    ],
    ['method changed', 'ERR_SIGV4_SIGNATURE_MISMATCH', { method: 'GET' }],
    ['method changed, diagnosed', 'ERR_SIGV4_METHOD', { method: 'GET', diagnoseMethod: true }],
    ['signed header not sent', 'ERR_SIGV4_SIGNED_HEADERS', { headers: withoutHeader(good.headers, 'content-type') }],
    ['signed header changed', 'ERR_SIGV4_SIGNATURE_MISMATCH', { headers: { 'content-type': 'image/png' } }],
    ['wrong secret', 'ERR_SIGV4_SIGNATURE_MISMATCH', { getCredentials: () => ({ secretAccessKey: 'not-the-secret' }) }],
    ['unknown access key', 'ERR_SIGV4_UNKNOWN_ACCESS_KEY', { getCredentials: () => undefined }],
    ['expired', 'ERR_SIGV4_EXPIRED', { now: now + 61_000 }],
    ['dated in the future', 'ERR_SIGV4_NOT_YET_VALID', { now: now - 901_000 }],
    ['other region', 'ERR_SIGV4_REGION', { region: 'eu-west-1' }],
    ['other service', 'ERR_SIGV4_SERVICE', { service: 'execute-api' }],
    [
      'malformed signature',
      'ERR_SIGV4_MALFORMED',
      { url: good.url.replace(/X-Amz-Signature=.*/, 'X-Amz-Signature=xyz') },
    ],
    ['algorithm changed', 'ERR_SIGV4_ALGORITHM', { url: good.url.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512') }],
    ['not a presigned URL', 'ERR_SIGV4_MALFORMED', { url: base + 'photos/a%20b%2Bc.jpg' }],
  ];
  await check('the untampered PUT URL verifies', async () => {
    await lib.verifyPresignedUrl(putOptions);
  });
  for (const [name, code, change] of tampered) {
    await check(`refused: ${name} → ${code}`, async () => {
      const error = await rejectsWith(lib, code, () => lib.verifyPresignedUrl({ ...putOptions, ...change }));
      if (error.message.includes(credentials.secretAccessKey) || error.message.includes(good.signature))
        fail('the message leaks a secret');
    });
  }
  await check('refused: header-signed request with a session token that does not match', async () => {
    const signed = await lib.signRequest({
      ...s3,
      url: base + 'a',
      credentials: { ...temporary, accessKeyId: 'ASIATEMPORARY', sessionToken: 'other' },
    });
    await rejectsWith(lib, 'ERR_SIGV4_SESSION_TOKEN', () =>
      lib.verifyRequest({ ...accept, url: signed.url, method: 'GET', headers: signed.headers }),
    );
  });

  // 4. Caller misuse: TypeError/RangeError before any crypto, with "expected X, got Y" and no secret.
  const misuse: [string, 'TypeError' | 'RangeError', RegExp, () => unknown][] = [
    [
      'expiresIn 0',
      'RangeError',
      /^"expiresIn" expected an integer 1\.\.604800 \(seconds\), got 0$/,
      () => lib.presignUrlSync({ ...s3, url: base, credentials, expiresIn: 0 }),
    ],
    [
      'expiresIn over 7 days',
      'RangeError',
      /"expiresIn" expected an integer 1\.\.604800/,
      () => lib.presignUrl({ ...s3, url: base, credentials, expiresIn: 604801 }),
    ],
    [
      'empty secret',
      'TypeError',
      /^"credentials\.secretAccessKey" expected a non-empty string, got an empty string$/,
      () => lib.presignUrl({ ...s3, url: base, credentials: { accessKeyId: 'A', secretAccessKey: '' } }),
    ],
    ['relative URL', 'TypeError', /"url"/, () => lib.signRequest({ ...s3, url: '/relative', credentials })],
    [
      'signer-owned query parameter',
      'TypeError',
      /X-Amz-Signature/,
      () => lib.presignUrlSync({ ...s3, url: base + '?X-Amz-Signature=1', credentials }),
    ],
    [
      'header value with a line break',
      'TypeError',
      /^"headers\["x-a"\]" expected printable US-ASCII/,
      () => lib.signRequestSync({ ...s3, url: base, credentials, headers: { 'x-a': 'a\r\nb' } }),
    ],
    [
      'missing region',
      'TypeError',
      /"region"/,
      () => lib.presignUrlSync({ service: 's3', url: base, credentials } as unknown as Sigv4.PresignOptions),
    ],
  ];
  for (const [name, type, pattern, run] of misuse) {
    await check(`misuse: ${name} → ${type}`, () => throwsType(type, pattern, run));
  }
  await check('isSigV4Error tells SigV4Errors from other errors', () => {
    equal(lib.isSigV4Error(new lib.SigV4Error('ERR_SIGV4_EXPIRED', 'x')), true, 'SigV4Error');
    equal(lib.isSigV4Error(new TypeError('x')), false, 'TypeError');
    const lookalike = Object.assign(new Error('x'), { name: 'SigV4Error', code: 'ERR_SIGV4_EXPIRED' });
    equal(lib.isSigV4Error(lookalike), true, 'another realm or copy');
  });

  // 5. s3Url and SigV4Client: the key as data, and the client's body reading (through this runtime's Request) with
  // an injected fetch and sleep, each request verified as it was handed over.
  await check('s3Url: a key with "?", "#", "%" and unicode is one object, and presigns as built', async () => {
    const url = lib.s3Url({ bucket: 'examplebucket', key: 'a?b#c%d ü/../e', region: 'us-east-1' });
    equal(url, base + 'a%3Fb%23c%25d%20%C3%BC/../e', 'URL');
    const put = await lib.presignUrl({ ...s3, url, method: 'PUT', credentials });
    equal(put.url.slice(0, url.length + 1), url + '?', 'presigned URL');
    await lib.verifyPresignedUrl({ ...accept, url: put.url, method: 'PUT' });
  });
  await check('SigV4Client.fetch: FormData, Blob and string bodies, a retried 503, each request verified', async () => {
    const sent: [string, RequestInit][] = [];
    const client = new lib.SigV4Client({
      service: 's3',
      region: 'us-east-1',
      credentials: async () => credentials,
      retries: 1,
      now: () => now,
      sleep: async () => {},
      fetch: async (url, init) => {
        sent.push([url, init]);
        return new Response(null, { status: sent.length === 1 ? 503 : 200 });
      },
    });
    const form = new FormData();
    form.set('file', new Blob(['hello'], { type: 'text/plain' }), 'h.txt');
    for (const body of [form, new Blob(['blob'], { type: 'image/png' }), 'text']) {
      const response = await client.fetch(lib.s3Url({ bucket: 'examplebucket', key: 'k 1', region: 'us-east-1' }), {
        method: 'PUT',
        body,
      });
      equal(response.status, 200, 'status');
    }
    equal(sent.length, 4, 'requests sent (one retry)');
    for (const [url, init] of sent) {
      const headers = init.headers as Record<string, string>;
      const bytes = new Uint8Array(await new Response(init.body).arrayBuffer());
      await lib.verifyRequest({ ...accept, url, method: 'PUT', headers, body: bytes });
    }
    const type = (sent[0]![1].headers as Record<string, string>)['content-type'] ?? '';
    if (!type.startsWith('multipart/form-data; boundary=')) fail(`FormData content-type ${show(type)}`);
  });

  const result = { passed, failed: failures.length, skipped, failures, notes };
  log(`conformance: ${result.passed} passed, ${result.failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return result;
}

/** Names the runtime this code runs in, and its version, from Web-visible globals only. */
export function describeRuntime(): { runtime: string; version: string } {
  const g = globalThis as unknown as Record<string, unknown>;
  const deno = g['Deno'] as { version?: { deno?: string } } | undefined;
  if (deno?.version?.deno) return { runtime: 'Deno', version: deno.version.deno };
  const bun = g['Bun'] as { version?: string } | undefined;
  if (bun?.version) return { runtime: 'Bun', version: bun.version };
  const agent = (g['navigator'] as { userAgent?: string } | undefined)?.userAgent ?? '';
  if (agent === 'Cloudflare-Workers') return { runtime: 'workerd', version: 'unknown' };
  const chrome = /(?:HeadlessChrome|Chrome|Chromium)\/([\d.]+)/.exec(agent);
  if (chrome) return { runtime: 'Chromium', version: chrome[1]! };
  const node = (g['process'] as { versions?: { node?: string } } | undefined)?.versions?.node;
  if (node) return { runtime: 'Node.js', version: node };
  return { runtime: 'unknown', version: agent || 'unknown' };
}
