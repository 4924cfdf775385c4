// What a verifier costs under attack and with a stuck or overflowing key store (issue 13), as ratios in one run:
//   1. rejecting garbage (16 KB queries of invalid escapes, expired or malformed) against verifying a valid request
//      of the same length, with one long parameter and with as many parameters;
//   2. a forged signature against a valid one, with and without diagnoseMethod;
//   3. a credential lookup that never answers: how long until an answer with `signal`, and the heap held per
//      abandoned request with and without it;
//   4. more active access keys than the signing key cache holds: throughput with 2,000 keys in turn, for several
//      cache sizes.
//
//   cd bench && npm run verify-load        (node --expose-gc: the memory figures need a collectable heap)
//
// Each figure is a median of rounds; the ratios are taken within a round, so the machine's load cancels out.

import { setTimeout as sleep } from 'node:timers/promises';
import { presignUrl, SigningKeyCache, verifyPresignedUrl, type CredentialLookup } from '../src/index.js';
import { fmt, isMain, machine, ownVersion, saveSection, summarize, table } from './common.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const now = Date.UTC(2024, 0, 1, 10);
const scope = { service: 's3', region: 'us-east-1' } as const;
const lookup: CredentialLookup = (id) =>
  id === credentials.accessKeyId ? { secretAccessKey: credentials.secretAccessKey } : undefined;
const ROUNDS = Number(process.env['ROUNDS'] ?? 9);

const outcome = (url: string, options: Record<string, unknown> = {}): Promise<string> =>
  verifyPresignedUrl({ url, method: 'GET', ...scope, getCredentials: lookup, now, ...options }).then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? String(e),
  );

/** Microseconds per verification, over `n` calls in sequence. */
async function perCall(url: string, n: number, options: Record<string, unknown> = {}): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i++) await outcome(url, options);
  return ((performance.now() - started) * 1000) / n;
}

async function costs() {
  const presign = async (query: string) =>
    (await presignUrl({ url: `https://b.s3.amazonaws.com/k?${query}`, ...scope, credentials, signingDate: now })).url;
  const oneLong = await presign('x=' + 'y'.repeat(16_200));
  const manyPairs = await presign('a=%41&'.repeat(2_700).slice(0, -1));
  const cases: { name: string; url: string; vs: string; options?: Record<string, unknown> }[] = [
    { name: 'valid, one 16 KB parameter', url: oneLong, vs: '' },
    { name: 'valid, 2,700 parameters', url: manyPairs, vs: '' },
    {
      name: 'invalid-UTF-8 escapes (a=%FF × 2,700), in date',
      url: oneLong.replace(/x=y+/, 'a=%FF&'.repeat(2_700).slice(0, -1)),
      vs: 'valid, 2,700 parameters',
    },
    {
      name: 'the same, expired',
      url: oneLong.replace(/x=y+/, 'a=%FF&'.repeat(2_700).slice(0, -1)),
      vs: 'valid, one 16 KB parameter',
      options: { now: now + 7_200_000 },
    },
    {
      name: 'malformed escapes (a=%ZZ × 2,700)',
      url: manyPairs.replace(/a=A/g, 'a=%ZZ'),
      vs: 'valid, 2,700 parameters',
    },
    {
      name: 'forged signature, one 16 KB parameter',
      url: oneLong.replace(/X-Amz-Signature=\w+/, 'X-Amz-Signature=' + '0'.repeat(64)),
      vs: 'valid, one 16 KB parameter',
    },
    {
      name: 'the same, diagnoseMethod: true',
      url: oneLong.replace(/X-Amz-Signature=\w+/, 'X-Amz-Signature=' + '0'.repeat(64)),
      vs: 'valid, one 16 KB parameter',
      options: { diagnoseMethod: true },
    },
  ];
  const short = await presign('a=1');
  cases.push(
    { name: 'valid, short URL', url: short, vs: '' },
    {
      name: 'forged signature, short URL',
      url: short.replace(/X-Amz-Signature=\w+/, 'X-Amz-Signature=' + '0'.repeat(64)),
      vs: 'valid, short URL',
    },
    {
      name: 'the same, diagnoseMethod: true ',
      url: short.replace(/X-Amz-Signature=\w+/, 'X-Amz-Signature=' + '0'.repeat(64)),
      vs: 'valid, short URL',
      options: { diagnoseMethod: true },
    },
  );
  const verdicts = new Map<string, string>();
  for (const c of cases) {
    verdicts.set(c.name, await outcome(c.url, c.options));
    await perCall(c.url, 50, c.options); // warm
  }
  const times = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  const ratios = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const thisRound = new Map<string, number>();
    for (const c of cases) thisRound.set(c.name, await perCall(c.url, c.url.length > 1000 ? 60 : 600, c.options));
    for (const c of cases) {
      times.get(c.name)!.push(thisRound.get(c.name)!);
      if (c.vs) ratios.get(c.name)!.push(thisRound.get(c.name)! / thisRound.get(c.vs)!);
    }
  }
  return cases.map((c) => ({
    name: c.name,
    verdict: verdicts.get(c.name)!,
    micros: summarize(times.get(c.name)!).median,
    against: c.vs,
    ratio: c.vs ? summarize(ratios.get(c.name)!).median : undefined,
  }));
}

const gc = (globalThis as { gc?: () => void }).gc;
async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await sleep(20);
  }
  return process.memoryUsage().heapUsed;
}

/**
 * Requests waiting on a lookup that never answers, as a server holds them (their promises kept): the heap they
 * hold a second after they came in, and how long until every one is answered.
 */
async function stuckLookups() {
  const url = (await presignUrl({ url: 'https://b.s3.amazonaws.com/k', ...scope, credentials, signingDate: now })).url;
  const never: CredentialLookup = () => new Promise(() => {});
  const N = 10_000;
  const rows = [];
  for (const withSignal of [false, true]) {
    const before = await heapAfterGc();
    const started = performance.now();
    let answered = 0;
    let settledMs: number | undefined;
    const pending = Array.from({ length: N }, () =>
      verifyPresignedUrl({
        url,
        method: 'GET',
        ...scope,
        getCredentials: never,
        now,
        ...(withSignal ? { signal: AbortSignal.timeout(100) } : {}),
      }).catch(() => {
        if (++answered === N) settledMs = performance.now() - started;
      }),
    );
    await sleep(1000); // a ref'd timer: Node's AbortSignal.timeout does not keep the process alive by itself
    const held = await heapAfterGc();
    rows.push({ withSignal, answered, bytesPerRequest: (held - before) / N, settledMs, kept: pending.length });
  }
  return { n: N, rows };
}

/** 2,000 access keys verifying in turn, with caches of several sizes: requests per second. */
async function cacheSizes() {
  const KEYS = 2_000;
  const ids = Array.from({ length: KEYS }, (_, i) => `AKID${String(i).padStart(8, '0')}`);
  const secrets = new Map(ids.map((id, i) => [id, { secretAccessKey: `secret-${i}` }]));
  const urls: string[] = [];
  for (const id of ids) {
    urls.push(
      (
        await presignUrl({
          url: 'https://b.s3.amazonaws.com/k',
          ...scope,
          credentials: { accessKeyId: id, ...secrets.get(id)! },
          signingDate: now,
          cache: false,
        })
      ).url,
    );
  }
  const getCredentials: CredentialLookup = (id) => secrets.get(id);
  const sizes = [100, 1_000, 2_000, 5_000];
  const rates = new Map<number, number[]>(sizes.map((s) => [s, []]));
  for (let round = 0; round < Math.max(3, Math.ceil(ROUNDS / 3)); round++) {
    for (const size of sizes) {
      const cache = new SigningKeyCache(size);
      for (const url of urls) await verifyPresignedUrl({ url, method: 'GET', ...scope, getCredentials, now, cache }); // fill
      const started = performance.now();
      for (let pass = 0; pass < 2; pass++)
        for (const url of urls) await verifyPresignedUrl({ url, method: 'GET', ...scope, getCredentials, now, cache });
      rates.get(size)!.push((2 * KEYS) / ((performance.now() - started) / 1000));
    }
  }
  return { keys: KEYS, rows: sizes.map((size) => ({ size, perSecond: summarize(rates.get(size)!).median })) };
}

export async function runVerifyLoad(): Promise<string> {
  const c = await costs();
  const stuck = await stuckLookups();
  const caches = await cacheSizes();
  const best = Math.max(...caches.rows.map((r) => r.perSecond));
  const md = [
    '## Verifiers under attack and load (issue 13)',
    '',
    `\`cd bench && npm run verify-load\`, sigv4 ${ownVersion()}, ${machine()['node']}, ${machine()['nproc']} cores, ${ROUNDS} rounds (medians; ratios within a round).`,
    '',
    table(
      ['request (16 KB query unless said)', 'verdict', 'µs per verification', 'against', 'ratio'],
      c.map((r) => [
        r.name.trim(),
        `\`${r.verdict}\``,
        fmt(r.micros, 0),
        r.against.trim() || '—',
        r.ratio === undefined ? '—' : `${fmt(r.ratio)}×`,
      ]),
      'llrlr',
    ),
    '',
    `A lookup that never answers, ${stuck.n.toLocaleString('en-US')} requests:`,
    '',
    table(
      ['', 'answered a second later', 'heap held per waiting request then', 'all answered after'],
      stuck.rows.map((r) => [
        r.withSignal ? '`signal: AbortSignal.timeout(100)`' : 'no signal',
        r.answered.toLocaleString('en-US'),
        gc ? `${fmt(r.bytesPerRequest, 0)} B` : '(run with --expose-gc)',
        r.settledMs === undefined ? 'not yet' : `${fmt(r.settledMs, 0)} ms`,
      ]),
      'lrrr',
    ),
    '',
    `${caches.keys.toLocaleString('en-US')} access keys verifying in turn (each twice, after a first pass fills the cache):`,
    '',
    table(
      ['cache entries', 'verifications per second', 'against the best'],
      caches.rows.map((r) => [
        r.size.toLocaleString('en-US') + (r.size === 1_000 ? ' (default)' : ''),
        fmt(r.perSecond, 0),
        `${fmt(r.perSecond / best)}×`,
      ]),
    ),
  ].join('\n');
  saveSection('verify-load', md, { costs: c, stuck, caches });
  return md;
}

if (isMain(import.meta.url)) console.log(await runVerifyLoad());
