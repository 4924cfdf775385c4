// AWS's published vectors, verified from their *signed* requests: every presigned URL and every signed request
// the suites print verifies at its signing time, rebuilds the suite's canonical request and string to sign, and
// fails once the clock is past its expiry.

import { describe, expect, it } from 'vitest';
import {
  isSigV4Error,
  verifyPresignedUrl,
  verifyRequest,
  type VerifiedRequest,
  type VerifyOptions,
} from '../../src/index.js';
import { sha256Hex } from '../support/reference.js';
import {
  VECTORS_PRESENT,
  exists,
  listDirs,
  parseRequest,
  rawBytesOnRequestLine,
  read,
  type AwsCAuthContext,
} from '../support/vectors.js';

const seconds = (n: number): number => n * 1000;

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isSigV4Error(error)) throw new Error(`expected a SigV4Error, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

const headerValue = (headers: [string, string][], name: string): string | undefined =>
  headers.find(([n]) => n.toLowerCase() === name)?.[1];

describe.runIf(VECTORS_PRESENT)('verify aws-signing-test-suite/v4 (aws-c-auth), from the signed requests', () => {
  const cases = listDirs('aws-signing-test-suite', 'v4');
  it('has all 38 cases', () => expect(cases).toHaveLength(38));

  for (const name of cases) {
    const file = (f: string): string => read('aws-signing-test-suite', 'v4', name, f);
    const setup = (variant: 'query' | 'header') => {
      const context = JSON.parse(file('context.json')) as AwsCAuthContext;
      const request = parseRequest(file(`${variant}-signed-request.txt`));
      const host = headerValue(request.headers, 'host')!;
      const signedAt = Date.parse(context.timestamp);
      const options: VerifyOptions & { headers: [string, string][] } = {
        url: `https://${host}${request.target}`,
        method: request.method,
        headers: request.headers,
        service: context.service,
        region: context.region,
        getCredentials: (id) =>
          id === context.credentials.access_key_id
            ? { secretAccessKey: context.credentials.secret_access_key, sessionToken: context.credentials.token }
            : undefined,
        normalizePath: context.normalize,
        ...(rawBytesOnRequestLine(request.target) ? { uriEscapePath: false } : {}),
        ...(context.sign_body ? { body: request.body ?? '' } : {}),
        now: signedAt,
        cache: false,
      };
      return { context, options, signedAt, after: context.omit_session_token === true };
    };
    const expectStages = (verified: VerifiedRequest, variant: 'query' | 'header', signedAt: number) => {
      expect(verified.canonicalRequest).toBe(file(`${variant}-canonical-request.txt`));
      expect(verified.stringToSign).toBe(file(`${variant}-string-to-sign.txt`));
      expect(verified.accessKeyId).toBe('AKIDEXAMPLE');
      expect(verified.credentialScope).toBe('20150830/us-east-1/service/aws4_request');
      expect(verified.signingDate.getTime()).toBe(signedAt);
      expect(verified.amzDate).toBe('20150830T123600Z');
      expect(verified.signedHeaders.join(';')).toBe(file(`${variant}-canonical-request.txt`).split('\n').at(-2));
    };

    it(`v4/${name} (query)`, async () => {
      const { context, options, signedAt, after } = setup('query');
      if (after) {
        // The token was added after signing: by AWS's rule a token in the query is signed, so this fails...
        expect(await rejection(verifyPresignedUrl(options))).toMatchObject({ code: 'ERR_SIGV4_SIGNATURE_MISMATCH' });
        // ...unless the server says its signers add the token afterwards.
        Object.assign(options, { signSessionToken: false });
      }
      const verified = await verifyPresignedUrl(options);
      expectStages(verified, 'query', signedAt);
      expect(verified.expiresIn).toBe(3600);
      expect(verified.expiresAt.getTime()).toBe(signedAt + seconds(context.expiration_in_seconds));
      expect(verified.payloadHash).toBe(context.sign_body ? sha256Hex(options.body as string) : sha256Hex(''));
      expect(verified.sessionToken).toBe(context.credentials.token);
      // Valid through the last second, expired one second later.
      await verifyPresignedUrl({ ...options, now: signedAt + seconds(3600) });
      expect(await rejection(verifyPresignedUrl({ ...options, now: signedAt + seconds(3601) }))).toMatchObject({
        code: 'ERR_SIGV4_EXPIRED',
      });
    });

    it(`v4/${name} (header)`, async () => {
      const { context, options, signedAt, after } = setup('header');
      if (after) {
        expect(await rejection(verifyRequest(options))).toMatchObject({ code: 'ERR_SIGV4_SIGNED_HEADERS' });
        Object.assign(options, { signSessionToken: false });
      }
      const verified = await verifyRequest(options);
      expectStages(verified, 'header', signedAt);
      expect(verified.expiresIn).toBeUndefined();
      expect(verified.expiresAt.getTime()).toBe(signedAt + seconds(900));
      await verifyRequest({ ...options, now: signedAt + seconds(900) });
      expect(await rejection(verifyRequest({ ...options, now: signedAt + seconds(901) }))).toMatchObject({
        code: 'ERR_SIGV4_EXPIRED',
      });
      if (context.sign_body) {
        // The body is checked against the signed x-amz-content-sha256.
        expect(await rejection(verifyRequest({ ...options, body: 'Param1=value2' }))).toMatchObject({
          code: 'ERR_SIGV4_PAYLOAD_HASH',
        });
      }
    });
  }
});

describe.runIf(VECTORS_PRESENT)('verify aws-sig-v4-test-suite (AWS 2015 suite), from the .sreq files', () => {
  const cases: string[] = [];
  for (const top of listDirs('aws-sig-v4-test-suite')) {
    if (exists('aws-sig-v4-test-suite', top, `${top}.req`)) cases.push(top);
    else for (const sub of listDirs('aws-sig-v4-test-suite', top)) cases.push(`${top}/${sub}`);
  }
  const readmeToken = VECTORS_PRESENT
    ? read('aws-sig-v4-test-suite', 'post-sts-token', 'readme.txt').trim().split(/\r?\n/).pop()!.trim()
    : '';
  const signedAt = Date.parse('2015-08-30T12:36:00Z');
  it('has all 31 cases', () => expect(cases).toHaveLength(31));

  for (const path of cases) {
    const base = path.split('/').pop()!;
    const file = (ext: string): string => read('aws-sig-v4-test-suite', ...path.split('/'), `${base}.${ext}`);
    it(path, async () => {
      const request = parseRequest(file('sreq'), true);
      const after = base === 'post-sts-header-after';
      const token = headerValue(request.headers, 'x-amz-security-token');
      const options = {
        url: `https://${headerValue(request.headers, 'host')!}${request.target}`,
        method: request.method,
        headers: request.headers,
        service: 'service',
        region: 'us-east-1',
        getCredentials: (id: string) =>
          id === 'AKIDEXAMPLE'
            ? { secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: token }
            : undefined,
        ...(rawBytesOnRequestLine(request.target) ? { uriEscapePath: false } : {}),
        ...(request.body !== undefined ? { body: request.body } : {}),
        now: signedAt,
      };
      if (after) {
        expect(token).toBe(readmeToken);
        expect(await rejection(verifyRequest(options))).toMatchObject({ code: 'ERR_SIGV4_SIGNED_HEADERS' });
      }
      const verified = await verifyRequest({ ...options, ...(after ? { signSessionToken: false } : {}) });
      expect(verified.canonicalRequest).toBe(file('creq'));
      expect(verified.stringToSign).toBe(file('sts'));
      expect(file('authz')).toContain(`SignedHeaders=${verified.signedHeaders.join(';')}, `);
      expect(verified.sessionToken).toBe(token);
      expect(await rejection(verifyRequest({ ...options, now: signedAt + seconds(901) }))).toMatchObject({
        code: 'ERR_SIGV4_EXPIRED',
      });
      expect(await rejection(verifyRequest({ ...options, now: signedAt - seconds(901) }))).toMatchObject({
        code: 'ERR_SIGV4_NOT_YET_VALID',
      });
    });
  }
});

describe.runIf(VECTORS_PRESENT)('verify s3-docs.json (Amazon S3 API Reference examples)', () => {
  interface Example {
    id: string;
    inputs: Record<string, unknown> & {
      access_key_id: string;
      secret_access_key: string;
      timestamp: string;
      method: string;
    };
    expected: Record<string, string>;
  }
  const examples = VECTORS_PRESENT ? (JSON.parse(read('s3-docs.json')) as { examples: Example[] }).examples : [];
  const byId = (id: string): Example => examples.find((e) => e.id === id)!;
  const lookup = (e: Example) => (id: string) =>
    id === e.inputs.access_key_id ? { secretAccessKey: e.inputs.secret_access_key } : undefined;

  it('s3-presigned-get-object: the documented URL verifies, for 86400 s exactly', async () => {
    const e = byId('s3-presigned-get-object');
    const signedAt = Date.parse(e.inputs.timestamp);
    const options = {
      url: e.expected['presigned_url']!,
      method: 'GET',
      service: 's3',
      region: 'us-east-1',
      getCredentials: lookup(e),
    };
    const verified = await verifyPresignedUrl({ ...options, now: signedAt });
    expect(verified.canonicalRequest).toBe(e.expected['canonical_request']);
    expect(verified.stringToSign).toBe(e.expected['string_to_sign']);
    expect(verified).toMatchObject({
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      path: '/test.txt',
      payloadHash: 'UNSIGNED-PAYLOAD',
      expiresIn: 86400,
    });
    expect(verified.expiresAt.toISOString()).toBe('2013-05-25T00:00:00.000Z');
    await verifyPresignedUrl({ ...options, now: signedAt + seconds(86400) });
    expect(await rejection(verifyPresignedUrl({ ...options, now: signedAt + seconds(86401) }))).toMatchObject({
      code: 'ERR_SIGV4_EXPIRED',
    });
    expect(
      await rejection(verifyPresignedUrl({ ...options, method: 'PUT', now: signedAt, diagnoseMethod: true })),
    ).toMatchObject({ code: 'ERR_SIGV4_METHOD' });
    expect(await rejection(verifyPresignedUrl({ ...options, method: 'PUT', now: signedAt }))).toMatchObject({
      code: 'ERR_SIGV4_SIGNATURE_MISMATCH',
    });
  });

  for (const id of [
    's3-header-get-object',
    's3-header-put-object',
    's3-header-get-bucket-lifecycle',
    's3-header-list-objects',
    's3-header-put-object-chunked',
  ]) {
    // The S3 docs print the Authorization fields separated by "," and SDKs by ", ": both verify.
    for (const separator of [', ', ',']) {
      it(`${id} (fields separated by ${JSON.stringify(separator)})`, async () => {
        const e = byId(id);
        const headers = e.inputs['headers'] as [string, string][];
        const signedHeaders =
          e.expected['signed_headers'] ??
          headers
            .map(([n]) => n.toLowerCase())
            .sort()
            .join(';');
        const signature = e.expected['signature'] ?? e.expected['seed_signature']!;
        const authorization = [
          `AWS4-HMAC-SHA256 Credential=${e.inputs.access_key_id}/20130524/us-east-1/s3/aws4_request`,
          `SignedHeaders=${signedHeaders}`,
          `Signature=${signature}`,
        ].join(separator);
        if (e.expected['authorization'])
          expect(authorization.replaceAll(',S', ', S')).toBe(e.expected['authorization']);
        const payload = e.inputs['payload'] as string;
        const signedAt = Date.parse(e.inputs.timestamp);
        const options = {
          url: `https://${e.inputs['host'] as string}${e.inputs['request_target'] as string}`,
          method: e.inputs.method,
          headers: [...headers, ['Authorization', authorization] as [string, string]],
          service: 's3',
          region: 'us-east-1',
          getCredentials: lookup(e),
          ...(id.endsWith('chunked') ? {} : { body: payload }),
          now: signedAt,
        };
        const verified = await verifyRequest(options);
        expect(verified.canonicalRequest).toBe(e.expected['canonical_request']);
        expect(verified.stringToSign).toBe(e.expected['string_to_sign']);
        expect(verified.signedHeaders.join(';')).toBe(signedHeaders);
        expect(verified.payloadHash).toBe(
          id.endsWith('chunked') ? 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' : sha256Hex(payload),
        );
        expect(await rejection(verifyRequest({ ...options, now: signedAt + seconds(901) }))).toMatchObject({
          code: 'ERR_SIGV4_EXPIRED',
        });
      });
    }
  }
});
