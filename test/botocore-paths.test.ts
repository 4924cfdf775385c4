// Issue 12, section 1: outside S3 the path is signed as it is sent. vectors/botocore-paths.json holds requests
// signed by botocore's SigV4Auth (AWS's Python signer: boto3, the AWS CLI) for API Gateway paths full of raw
// sub-delims, ":" and "@", %7E and lowercase escapes, unicode and dot segments, recorded by
// scripts/record-botocore.py and never signed by this library. Each must verify as botocore sends it, and
// signRequest must produce botocore's canonical request and Authorization for the same URL.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isSigV4Error, signRequest, signRequestSync, verifyRequest } from '../src/index.js';

interface BotocoreCase {
  method: string;
  /** The URL botocore signed, which its own HTTP layer sends as it is. */
  url: string;
  /** What `requests` puts on the wire for it (dot segments resolved, %7E decoded). */
  sent: string;
  headers: Record<string, string>;
  body?: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  canonicalRequest: string;
}
const vectors = JSON.parse(readFileSync(new URL('../vectors/botocore-paths.json', import.meta.url), 'utf8')) as {
  botocore: string;
  signingDate: string;
  cases: BotocoreCase[];
};

const pathOf = (url: string): string => /^https:\/\/[^/]+([^?]*)/.exec(url)![1]!;
// RFC 3986 section 5.2.4 keeps the trailing slash of a path that ends in a dot segment (`/prod/a/b/..` is
// `/prod/a/`, which is also what requests and fetch send); botocore drops it (`/prod/a`). The one known difference.
const endsInDotSegment = (c: BotocoreCase): boolean => /\/\.\.?$/.test(pathOf(c.url));

const verify = (c: BotocoreCase, url: string) =>
  verifyRequest({
    url,
    method: c.method,
    headers: c.headers,
    ...(c.body === undefined ? {} : { body: c.body }),
    service: 'execute-api',
    region: 'us-east-1',
    getCredentials: (id) =>
      id === c.credentials.accessKeyId
        ? {
            secretAccessKey: c.credentials.secretAccessKey,
            ...(c.credentials.sessionToken ? { sessionToken: c.credentials.sessionToken } : {}),
          }
        : undefined,
    now: Date.parse(vectors.signingDate),
  });

const sign = (c: BotocoreCase) => ({
  url: c.url,
  method: c.method,
  service: 'execute-api',
  region: 'us-east-1',
  credentials: c.credentials,
  signingDate: vectors.signingDate,
  ...(c.headers['content-type'] ? { headers: { 'content-type': c.headers['content-type'] } } : {}),
  ...(c.body === undefined ? {} : { body: c.body }),
});

describe(`botocore ${vectors.botocore} SigV4Auth, execute-api paths (vectors/botocore-paths.json)`, () => {
  it('holds the issue examples, each signed by botocore', () => {
    const paths = new Set(vectors.cases.map((c) => pathOf(c.url)));
    for (const p of [
      '/prod/events/2024-01-01T10:00:00Z',
      '/prod/users/alice@example.com',
      '/prod/filter/a,b;c=d',
      '/prod/files/report(1)*!.txt',
      '/prod/x/%7Euser',
    ]) {
      expect(paths).toContain(p);
    }
    expect(vectors.cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(vectors.cases.filter((c) => !endsInDotSegment(c)).map((c) => [`${c.method} ${c.url.slice(47)}`, c] as const))(
    '%s: verifies as botocore sends it, and signRequest gives the same signature',
    async (_, c) => {
      const verified = await verify(c, c.url);
      expect(verified.canonicalRequest).toBe(c.canonicalRequest);
      const ours = await signRequest(sign(c));
      expect(ours.canonicalRequest).toBe(c.canonicalRequest);
      expect(ours.authorization).toBe(c.headers['authorization']);
      expect(signRequestSync(sign(c)).authorization).toBe(c.headers['authorization']);
      // The URL to send is the caller's: the path as written, not rewritten.
      expect(pathOf(ours.url)).toBe(pathOf(c.url));
    },
  );

  it('the issue examples, by name: the canonical path AWS signers compute, once encoded', async () => {
    const canonicalPath = (p: string) =>
      vectors.cases.find((c) => pathOf(c.url) === p)!.canonicalRequest.split('\n')[1];
    expect(canonicalPath('/prod/events/2024-01-01T10:00:00Z')).toBe('/prod/events/2024-01-01T10%3A00%3A00Z');
    expect(canonicalPath('/prod/users/alice@example.com')).toBe('/prod/users/alice%40example.com');
    expect(canonicalPath('/prod/filter/a,b;c=d')).toBe('/prod/filter/a%2Cb%3Bc%3Dd');
    expect(canonicalPath('/prod/files/report(1)*!.txt')).toBe('/prod/files/report%281%29%2A%21.txt');
    expect(canonicalPath('/prod/x/%7Euser')).toBe('/prod/x/%257Euser');
  });

  it('a path ending in a dot segment: RFC 3986 keeps its trailing slash (as requests and fetch send it); botocore does not', async () => {
    const cases = vectors.cases.filter(endsInDotSegment);
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      expect(c.canonicalRequest.split('\n')[1]).toBe('/prod/a');
      expect(pathOf(c.sent)).toBe('/prod/a/');
      expect((await signRequest(sign(c))).canonicalRequest.split('\n')[1]).toBe('/prod/a/');
      const refused = await verify(c, c.url).catch((e: unknown) => e);
      expect(isSigV4Error(refused) && refused.code).toBe('ERR_SIGV4_SIGNATURE_MISMATCH');
    }
  });

  it('through requests: the same, except where requests rewrites the path botocore signed (%7E becomes ~)', async () => {
    let rewritten = 0;
    for (const c of vectors.cases.filter((c) => !endsInDotSegment(c))) {
      const result = await verify(c, c.sent).then(
        () => 'ok',
        (e: unknown) => (isSigV4Error(e) ? e.code : String(e)),
      );
      if (pathOf(c.sent) === pathOf(c.url) || /\/\.\.?\//.test(pathOf(c.url))) expect(result, c.sent).toBe('ok');
      else {
        // botocore signed %7E; requests sent "~": a different path, which AWS would refuse as well.
        expect(pathOf(c.url)).toMatch(/%7[eE]/);
        expect(result, c.sent).toBe('ERR_SIGV4_SIGNATURE_MISMATCH');
        rewritten++;
      }
    }
    expect(rewritten).toBe(4);
  });
});
