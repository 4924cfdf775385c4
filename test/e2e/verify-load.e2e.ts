// Load and faults on the verifiers themselves (issue 13), in one process: a fixed number of verifications at a fixed
// concurrency, mixing valid presigned URLs and header-signed requests from many access keys with what an attacker
// sends for free (forged signatures, garbage queries of invalid escapes, expired URLs, unknown keys, presigned URLs
// replayed as header-signed requests) and a key store that stops answering for some keys (cut by `signal`). It
// asserts every verdict and that the heap is flat after the run, and prints the numbers, latency per kind of
// request included (bench/verify-load.ts measures those costs as ratios).

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  isSigV4Error,
  presignUrl,
  SigningKeyCache,
  signRequest,
  verifyPresignedUrl,
  verifyRequest,
  type CredentialLookup,
} from '../../src/index.js';

const VERIFICATIONS = 30_000;
const CONCURRENCY = 64;
const KEYS = 200;
const signingDate = Date.UTC(2024, 0, 1, 10);
const now = signingDate + 60_000;
const scope = { service: 's3', region: 'us-east-1' } as const;

const ids = Array.from({ length: KEYS }, (_, i) => `AKIDLOAD${String(i).padStart(6, '0')}`);
const secrets = new Map(ids.map((id, i) => [id, { secretAccessKey: `load-secret-${i}/EXAMPLE` }]));
const STUCK = new Set(ids.slice(0, 5)); // their key store never answers

type Kind =
  | 'valid presigned'
  | 'valid header'
  | 'forged'
  | 'garbage query'
  | 'expired'
  | 'unknown key'
  | 'replayed as header'
  | 'stuck lookup';
const EXPECTED: Record<Kind, string> = {
  'valid presigned': 'ok',
  'valid header': 'ok',
  forged: 'ERR_SIGV4_SIGNATURE_MISMATCH',
  'garbage query': 'ERR_SIGV4_SIGNATURE_MISMATCH',
  expired: 'ERR_SIGV4_EXPIRED',
  'unknown key': 'ERR_SIGV4_UNKNOWN_ACCESS_KEY',
  'replayed as header': 'ERR_SIGV4_AUTH_MECHANISM',
  'stuck lookup': 'TimeoutError',
};

describe('verifiers under load and faults (in process)', () => {
  it(`${VERIFICATIONS.toLocaleString('en-US')} verifications at concurrency ${CONCURRENCY}: right verdicts, every request answered, flat heap`, async () => {
    const getCredentials: CredentialLookup = (id) => (STUCK.has(id) ? new Promise(() => {}) : secrets.get(id));
    const cache = new SigningKeyCache(KEYS * 2);
    const presigned = new Map<string, string>();
    const header = new Map<string, Awaited<ReturnType<typeof signRequest>>>();
    for (const id of ids) {
      const credentials = { accessKeyId: id, ...secrets.get(id)! };
      presigned.set(
        id,
        (
          await presignUrl({
            url: `https://b.s3.amazonaws.com/k/${id}?x=1`,
            ...scope,
            credentials,
            signingDate,
            cache: false,
          })
        ).url,
      );
      header.set(
        id,
        await signRequest({
          url: `https://b.s3.amazonaws.com/k/${id}`,
          method: 'PUT',
          ...scope,
          credentials,
          signingDate,
          body: 'data',
          cache: false,
        }),
      );
    }
    const kinds = Object.keys(EXPECTED) as Kind[];
    const garbage = 'a=%FF&'.repeat(500).slice(0, -1);
    /** The URL with its signature's first hex digit changed. */
    const forge = (url: string): string =>
      url.replace(/X-Amz-Signature=(\w)/, (_, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`);
    // The mutations must change what they say they change (a test that forges nothing would pass for the wrong reason).
    const sample = presigned.get(ids[5]!)!;
    expect(sample).toContain('&x=1');
    expect(forge(sample)).not.toBe(sample);

    function run(i: number): { kind: Kind; verdict: Promise<string> } {
      const kind = kinds[i % kinds.length]!;
      const id = kind === 'stuck lookup' ? [...STUCK][i % STUCK.size]! : ids[5 + (i % (KEYS - 5))]!;
      const url = presigned.get(id)!;
      const common = { method: 'GET', ...scope, getCredentials, now, cache, signal: AbortSignal.timeout(50) };
      let p: Promise<unknown>;
      if (kind === 'valid presigned' || kind === 'stuck lookup') p = verifyPresignedUrl({ ...common, url });
      else if (kind === 'valid header') {
        const s = header.get(id)!;
        p = verifyRequest({ ...common, url: s.url, method: 'PUT', headers: s.headers, body: 'data' });
      } else if (kind === 'forged') p = verifyPresignedUrl({ ...common, url: forge(url) });
      else if (kind === 'garbage query')
        p = verifyPresignedUrl({ ...common, url: url.replace('&x=1', `&${garbage}&x=1`) });
      else if (kind === 'expired') p = verifyPresignedUrl({ ...common, url, now: signingDate + 3_601_000 });
      else if (kind === 'unknown key') p = verifyPresignedUrl({ ...common, url, getCredentials: () => undefined });
      else {
        // A presigned URL's signature moved into an Authorization header, its date into x-amz-date.
        const signature = /X-Amz-Signature=(\w+)/.exec(url)![1]!;
        const authorization = `AWS4-HMAC-SHA256 Credential=${id}/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${signature}`;
        p = verifyRequest({ ...common, url, headers: { authorization, 'x-amz-date': '20240101T100000Z' } });
      }
      return {
        kind,
        verdict: p.then(
          () => 'ok',
          (e: unknown) => (isSigV4Error(e) ? e.code : e instanceof DOMException ? e.name : `unexpected ${String(e)}`),
        ),
      };
    }

    // A collector to call, so the heap measured is what is still held (the flag is read when a context is made).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const wrong: string[] = [];
    const counts = new Map<Kind, number>();
    const micros = new Map<Kind, number[]>();
    const latencies: number[] = [];
    const started = performance.now();
    let next = 0;
    const keepAlive = setInterval(() => {}, 1000); // AbortSignal.timeout does not keep Node alive by itself
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < VERIFICATIONS) {
          const i = next++;
          const t = performance.now();
          const { kind, verdict } = run(i);
          const got = await verdict;
          const ms = performance.now() - t;
          latencies.push(ms);
          if (kind !== 'stuck lookup') (micros.get(kind) ?? micros.set(kind, []).get(kind)!).push(ms * 1000);
          counts.set(kind, (counts.get(kind) ?? 0) + 1);
          if (got !== EXPECTED[kind] && wrong.length < 20)
            wrong.push(`${kind}: expected ${EXPECTED[kind]}, got ${got}`);
        }
      }),
    );
    clearInterval(keepAlive);
    const seconds = (performance.now() - started) / 1000;
    gc();
    await new Promise((r) => setTimeout(r, 50));
    gc();
    const heapAfter = process.memoryUsage().heapUsed;

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(
      [
        `verify-load: ${VERIFICATIONS} verifications in ${seconds.toFixed(1)} s (${Math.round(VERIFICATIONS / seconds)}/s), ` +
          `latency p50 ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} ms, p99 ${sorted[Math.floor(sorted.length * 0.99)]!.toFixed(1)} ms`,
        `verify-load: heap ${(heapBefore / 2 ** 20).toFixed(1)} MiB before, ${(heapAfter / 2 ** 20).toFixed(1)} MiB after (collected)`,
        ...kinds.map(
          (k) =>
            `verify-load: ${k}: ${counts.get(k)} × ${EXPECTED[k]}${k === 'stuck lookup' ? '' : `, median ${Math.round(median(micros.get(k)!))} µs under load`}`,
        ),
      ].join('\n'),
    );

    expect(wrong).toEqual([]);
    for (const k of kinds) expect(counts.get(k)).toBeGreaterThan(VERIFICATIONS / kinds.length - 2);
    // The costs are printed, not asserted (a test is no benchmark): bench/verify-load.ts measures them as ratios.
    // Flat heap: nothing held for the requests once they are answered (the stuck lookups included).
    expect(heapAfter - heapBefore).toBeLessThan(16 * 2 ** 20);
  }, 120_000);
});
