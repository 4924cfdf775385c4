// Differential tests: thousands of random requests signed by this library and by two independent signers,
// @smithy/signature-v4 (the AWS SDK's) and aws4, must give the same canonical request, string to sign and
// signature, and the URL / Authorization this library emits must carry exactly what the peers signed.
// The request model is ./support/cases.ts, the random requests ./support/generators.ts, and the mapping of each
// case into each peer's input ./support/peers.ts, with every known peer difference and the reason a case is
// compared with one peer only.

import { createRequire } from 'node:module';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { presignUrl, presignUrlSync, signRequest, signRequestSync } from '../src/index.js';
import { observe } from './support/observe.js';
import { sha256Hex } from './support/reference.js';
import { ourOptions, type Case, type Family, type Kind } from './support/cases.js';
import { caseArbitrary } from './support/generators.js';
import { PEER_VERSIONS, peerExpectations } from './support/peers.js';

const aws4 = createRequire(import.meta.url)('aws4') as typeof import('aws4');

// What the issue asks the random requests to hold; each must turn up in at least MIN_FEATURE cases.
const FEATURES: readonly (readonly [string, (c: Case) => boolean])[] = [
  ['non-ASCII in the path', (c) => c.segments.some((s) => /[^\x00-\x7f]/.test(s))],
  ['reserved characters in the path', (c) => c.segments.some((s) => /[!#$&'()*+,/:;=?@[\]]/.test(s))],
  [
    '".", ".." or empty path segments',
    (c) => c.segments.length > 1 && c.segments.some((s) => s === '' || s === '.' || s === '..'),
  ],
  ['non-ASCII in the query', (c) => c.query.some(([k, v]) => /[^\x00-\x7f]/.test(k + v))],
  ['reserved characters in the query', (c) => c.query.some(([k, v]) => /[!#$&'()*+,/:;=?@[\]]/.test(k + v))],
  ['a space written as "+" in the URL query', (c) => /\?[^#]*\+/.test(c.url)],
  ['repeated query key', (c) => new Set(c.query.map(([k]) => k)).size < c.query.length],
  ['empty query value', (c) => c.query.some(([, v]) => v === '')],
  ['empty query key', (c) => c.query.some(([k]) => k === '')],
  ['query option (raw text)', (c) => c.extraQuery.length > 0],
  ['session token', (c) => c.sessionToken !== undefined],
  ['session token outside the signature', (c) => c.signSessionToken === false],
  ['custom endpoint with a port', (c) => /:\d+$/.test(c.origin)],
  ['S3 virtual-hosted URL', (c) => c.endpointStyle === 'virtual-hosted'],
  ['S3 path-style URL', (c) => c.endpointStyle === 'path-style'],
  ['other service', (c) => c.endpointStyle === 'service'],
  ['non-default path rules', (c) => c.pathRules !== undefined],
  // The path as sent (every service but S3): what is signed is the text, so these are distinct paths there.
  [
    'raw sub-delims, ":" or "@" in a path sent as written',
    (c) => c.service !== 's3' && /[!$&'()*+,;=:@]/.test(c.rawPath),
  ],
  [
    'an escape of an unreserved character (%7E, %41) in a path sent as written',
    (c) => c.service !== 's3' && /%(?:7[eE]|[46][1-9a-fA-F]|[57][0-9aA]|3[0-9]|2[dDeE]|5[fF])/.test(c.rawPath),
  ],
  [
    'a lowercase escape in a path sent as written',
    (c) => c.service !== 's3' && /%(?:[0-9a-f][a-f]|[a-f][0-9])/.test(c.rawPath),
  ],
  [
    'a dot segment written %2e in a path sent as written',
    (c) => c.service !== 's3' && /\/(?:\.|%2e)*%2e(?:\.|%2e)*(?:\/|$)/i.test(c.rawPath),
  ],
  ['repeated header', (c) => new Set(c.headers.map(([n]) => n.toLowerCase())).size < c.headers.length],
  [
    'header the SDKs never sign',
    (c) => c.headers.some(([n]) => /^(user-agent|connection|expect|cache-control|x-amzn-trace-id)$/i.test(n)),
  ],
  [
    'hoisted x-amz-* header',
    (c) => c.hoistAmzHeaders === true && c.headers.some(([n]) => /^x-amz-(meta|acl|tagging|storage)/i.test(n)),
  ],
  ['payloadHash option', (c) => c.payloadHash !== undefined],
  ['x-amz-content-sha256 header', (c) => c.headers.some(([n]) => n.toLowerCase() === 'x-amz-content-sha256')],
  ['request body', (c) => !!c.body],
];
const MIN_FEATURE = 25;
const featureCounts = new Map<string, number>(FEATURES.map(([name]) => [name, 0]));

const SEED = 0x5167_4e34;
// Runs per (kind, family): 4 × 750 = 3000 random requests, each signed by us (async and sync) and by smithy, and
// where it can express them by aws4: 10-15 s of CPU in all.
const RUNS = 750;

interface Tally {
  runs: number;
  smithy: number;
  aws4: number;
  aws4Skipped: Record<string, number>;
}
const tally: Record<string, Tally> = {};

afterAll(() => {
  const lines = Object.entries(tally).map(
    ([name, t]) =>
      `${name}: ${t.runs} cases, smithy ${t.smithy}, aws4 ${t.aws4}` +
      Object.entries(t.aws4Skipped)
        .map(([why, n]) => `\n    aws4 skipped ${n}× (${why})`)
        .join(''),
  );
  lines.push(`features: ${[...featureCounts].map(([f, n]) => `${f} ${n}`).join('; ')}`);
  console.log(
    `differential (seed ${SEED}; ${Object.entries(PEER_VERSIONS)
      .map(([p, v]) => `${p} ${v}`)
      .join(', ')}):\n  ${lines.join('\n  ')}`,
  );
});

describe('same signatures as @smithy/signature-v4 and aws4 on random requests', () => {
  const plan: [Kind, Family, string][] = [
    ['presign', 's3', 'presignUrl, S3 (virtual-hosted, path-style, custom endpoints)'],
    ['presign', 'other', 'presignUrl, other services (normalized, double-encoded path, empty-body hash)'],
    ['sign', 's3', 'signRequest, S3'],
    ['sign', 'other', 'signRequest, other services'],
  ];
  plan.forEach(([kind, family, title], i) => {
    it(
      title,
      async () => {
        const t: Tally = (tally[title] = { runs: 0, smithy: 0, aws4: 0, aws4Skipped: {} });
        await fc.assert(
          fc.asyncProperty(caseArbitrary(kind, family), async (c) => {
            const options = ourOptions(c, false);
            const ours = observe(kind, kind === 'presign' ? await presignUrl(options) : await signRequest(options));
            const oursSync = observe(kind, kind === 'presign' ? presignUrlSync(options) : signRequestSync(options));
            const peers = await peerExpectations(c);
            expect(ours, 'against @smithy/signature-v4').toEqual(peers.smithy);
            expect(oursSync, 'synchronous twin against @smithy/signature-v4').toEqual(peers.smithy);
            if (peers.aws4) expect(ours, 'against aws4').toEqual(peers.aws4);
            for (const [name, has] of FEATURES) if (has(c)) featureCounts.set(name, featureCounts.get(name)! + 1);
            t.runs++;
            t.smithy++;
            if (peers.aws4) t.aws4++;
            else t.aws4Skipped[peers.aws4Skip!] = (t.aws4Skipped[peers.aws4Skip!] ?? 0) + 1;
          }),
          { seed: SEED + i, numRuns: RUNS },
        );
        // Every case is compared with smithy; the aws4 constraints must still leave aws4 a fair share of the cases.
        // (Outside S3 about one case in eight has a raw "[", "]" or "|" in its path, which aws4 rewrites; so 0.40.)
        expect(t.runs).toBe(RUNS);
        expect(t.smithy).toBe(RUNS);
        expect(t.aws4).toBeGreaterThanOrEqual(RUNS * (family === 's3' ? 0.35 : 0.4));
      },
      60_000,
    ); // 2-5 s each on an idle core; the margin is for a loaded CI machine
  });

  it(`covered every feature the issue lists, each in ${MIN_FEATURE}+ cases`, () => {
    expect(Object.keys(tally)).toHaveLength(plan.length); // runs after the four properties above
    const thin = [...featureCounts].filter(([, n]) => n < MIN_FEATURE);
    expect(thin).toEqual([]);
  });
});

// The differences the generator works around, shown on one request each, so a change in a peer is noticed.
describe('known peer differences (why some cases go to one peer only)', () => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
  const signingDate = '2015-08-30T12:36:00Z';
  const amzDate = '20150830T123600Z';
  const aws4Creq = (request: import('aws4').Request): string =>
    new aws4.RequestSigner(request, credentials).canonicalString();
  const line = (creq: string, n: number): string => creq.split('\n')[n]!;
  const smithy = (service: string, uriEscapePath = service !== 's3', applyChecksum = true) =>
    new SignatureV4({ credentials, region: 'us-east-1', service, sha256: Sha256, uriEscapePath, applyChecksum });
  const request = (path: string, query: Record<string, string>, headers: Record<string, string> = {}) =>
    new HttpRequest({
      method: 'GET',
      hostname: 'example.com',
      path,
      query,
      headers: { host: 'example.com', ...headers },
    });

  it('outside S3 aws4 rewrites a path holding a raw "[", "]" or "|" (encodeURI(decodeURI(path))); smithy and we sign it as sent', async () => {
    const path = '/a[1]|%7E';
    expect(
      line(
        aws4Creq({
          host: 'example.com',
          path,
          service: 'execute-api',
          region: 'us-east-1',
          headers: { 'X-Amz-Date': amzDate },
        }),
        1,
      ),
    ).toBe('/a%255B1%255D%257C~');
    const ours = await signRequest({
      url: `https://example.com${path}`,
      service: 'execute-api',
      region: 'us-east-1',
      credentials,
      signingDate,
    });
    expect(line(ours.canonicalRequest, 1)).toBe('/a%5B1%5D%7C%257E');
    const theirs = smithy('execute-api');
    let creq = '';
    const observed = Object.assign(theirs, {
      createCanonicalRequest(this: SignatureV4, ...args: Parameters<SignatureV4['createCanonicalRequest']>) {
        return (creq = SignatureV4.prototype['createCanonicalRequest'].apply(this, args));
      },
    });
    await observed.sign(request(path, {}), { signingDate: new Date(signingDate) });
    expect(line(creq, 1)).toBe('/a%5B1%5D%7C%257E');
  });

  it('"+" in a query is a space to aws4, smithy (as decoded text) and us; in an S3 path aws4 reads it as a space, we as a plus', async () => {
    const query = '?a=b+c';
    expect(
      line(
        aws4Creq({
          host: 'example.com',
          path: `/${query}`,
          service: 'service',
          region: 'us-east-1',
          headers: { 'X-Amz-Date': amzDate },
        }),
        2,
      ),
    ).toBe('a=b%20c');
    const ours = await signRequest({
      url: `https://example.com/${query}`,
      service: 'service',
      region: 'us-east-1',
      credentials,
      signingDate,
    });
    expect(line(ours.canonicalRequest, 2)).toBe('a=b%20c');
    const out = await smithy('service', true, false).sign(request('/', { a: 'b c' }), { signingDate });
    expect(out.headers['authorization']).toBe(ours.authorization);
    // The path: aws4 decodes S3 segments with `+` as a space; the generator hands it %2B, never a raw `+`.
    const s3 = { host: 'b.s3.amazonaws.com', service: 's3', region: 'us-east-1', headers: { 'X-Amz-Date': amzDate } };
    expect(line(aws4Creq({ ...s3, path: '/a+b' }), 1)).toBe('/a%20b');
    expect(line(aws4Creq({ ...s3, path: '/a%2Bb' }), 1)).toBe('/a%2Bb');
    const key = await signRequest({
      url: 'https://b.s3.amazonaws.com/a+b',
      service: 's3',
      region: 'us-east-1',
      credentials,
      signingDate,
    });
    expect(line(key.canonicalRequest, 1)).toBe('/a%2Bb');
  });

  it('aws4 signs only the first value of a repeated S3 query key', async () => {
    const path = '/key?a=2&a=1';
    expect(
      line(
        aws4Creq({
          host: 'b.s3.amazonaws.com',
          path,
          service: 's3',
          region: 'us-east-1',
          headers: { 'X-Amz-Date': amzDate },
        }),
        2,
      ),
    ).toBe('a=2');
    const ours = await signRequest({
      url: `https://b.s3.amazonaws.com${path}`,
      service: 's3',
      region: 'us-east-1',
      credentials,
      signingDate,
    });
    expect(line(ours.canonicalRequest, 2)).toBe('a=1&a=2');
  });

  it('aws4 signs an encoded "/" in an S3 key as a literal "/"; smithy and we keep %2F', async () => {
    const path = '/a%2Fb';
    expect(
      line(
        aws4Creq({
          host: 'b.s3.amazonaws.com',
          path,
          service: 's3',
          region: 'us-east-1',
          headers: { 'X-Amz-Date': amzDate },
        }),
        1,
      ),
    ).toBe('/a/b');
    const ours = await signRequest({
      url: `https://b.s3.amazonaws.com${path}`,
      service: 's3',
      region: 'us-east-1',
      credentials,
      signingDate,
    });
    expect(line(ours.canonicalRequest, 1)).toBe('/a%2Fb');
  });

  it('aws4 leaves a query parameter with an empty name out; smithy and we sign it', async () => {
    const path = '/?=v&a=1';
    expect(
      line(
        aws4Creq({
          host: 'example.com',
          path,
          service: 'service',
          region: 'us-east-1',
          headers: { 'X-Amz-Date': amzDate },
        }),
        2,
      ),
    ).toBe('a=1');
    const ours = await signRequest({
      url: `https://example.com${path}`,
      service: 'service',
      region: 'us-east-1',
      credentials,
      signingDate,
    });
    expect(line(ours.canonicalRequest, 2)).toBe('=v&a=1');
  });

  it('aws4 ignores range and signs cache-control, unlike the SDKs (and our signRequest)', () => {
    const creq = aws4Creq({
      host: 'example.com',
      path: '/',
      service: 'service',
      region: 'us-east-1',
      headers: { 'X-Amz-Date': amzDate, range: 'bytes=0-1', 'cache-control': 'no-cache' },
    });
    expect(line(creq, 7)).toBe('cache-control;host;x-amz-date');
  });

  it('smithy hoists x-amz-* headers into a presigned query unless told not to; we only with hoistAmzHeaders', async () => {
    const out = await smithy('s3').presign(request('/k', {}, { 'x-amz-meta-a': 'v' }), { signingDate, expiresIn: 60 });
    expect(out.query?.['x-amz-meta-a']).toBe('v');
    expect(out.headers['x-amz-meta-a']).toBeUndefined();
    const ours = await presignUrl({
      url: 'https://example.com/k',
      service: 's3',
      region: 'us-east-1',
      credentials,
      signingDate,
      headers: { 'x-amz-meta-a': 'v' },
    });
    expect(ours.headers).toEqual({ 'x-amz-meta-a': 'v' });
    expect(new URL(ours.url).searchParams.has('x-amz-meta-a')).toBe(false);
    expect(ours.signedHeaders).toEqual(['host', 'x-amz-meta-a']);
  });

  it('smithy adds x-amz-content-sha256 to every signed request unless applyChecksum is false; we only for S3', async () => {
    const out = await smithy('service').sign(request('/', {}), { signingDate });
    expect(out.headers['x-amz-content-sha256']).toBe(sha256Hex(''));
    const ours = await signRequest({
      url: 'https://example.com/',
      service: 'service',
      region: 'us-east-1',
      credentials,
      signingDate,
    });
    expect(ours.headers['x-amz-content-sha256']).toBeUndefined();
  });

  it('smithy leaves user-agent out of a presigned URL unless it is signable; our presignUrl signs the headers it is given', async () => {
    const out = await smithy('s3').presign(request('/k', {}, { 'user-agent': 'x' }), { signingDate, expiresIn: 60 });
    expect(out.query?.['X-Amz-SignedHeaders']).toBe('host');
    const ours = await presignUrl({
      url: 'https://example.com/k',
      service: 's3',
      region: 'us-east-1',
      credentials,
      signingDate,
      headers: { 'user-agent': 'x' },
    });
    expect(ours.signedHeaders).toEqual(['host', 'user-agent']);
  });

  it('smithy drops a date header and never signs proxy-* or sec-* headers', async () => {
    const headers = {
      date: 'Sun, 30 Aug 2015 12:36:00 GMT',
      'proxy-authorization': 'Basic x',
      'sec-fetch-mode': 'cors',
    };
    const out = await smithy('service', true, false).sign(request('/', {}, headers), { signingDate });
    expect(out.headers['date']).toBeUndefined();
    expect(out.headers['authorization']).toContain('SignedHeaders=host;x-amz-date,');
    // signRequest sends proxy-* and sec-* headers but, like smithy, does not sign them: same signature.
    const { date: _date, ...sent } = headers;
    const ours = await signRequest({
      url: 'https://example.com/',
      service: 'service',
      region: 'us-east-1',
      credentials,
      signingDate,
      headers: sent,
    });
    expect(ours.signedHeaders).toEqual(['host', 'x-amz-date']);
    expect(ours.headers['proxy-authorization']).toBe('Basic x');
    expect(ours.authorization).toBe(out.headers['authorization']);
  });
});
