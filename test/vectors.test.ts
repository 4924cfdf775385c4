// AWS's published suites, case by case, stage by stage: canonical request, string to sign, signature, and the
// signed request's parameters or headers. Each case is its own named test.

import { describe, expect, it } from 'vitest';
import {
  EMPTY_SHA256,
  presignUrl as presignUrlAsync,
  presignUrlSync,
  signRequest as signRequestAsync,
  signRequestSync,
  type PresignOptions,
  type PresignedUrl,
  type SignRequestOptions,
  type SignedRequest,
} from '../src/index.js';
import { hmacSha256, sha256Hex } from './support/reference.js';
import {
  VECTORS_PRESENT,
  VECTORS_REQUIRED,
  exists,
  listDirs,
  parseRequest,
  queryParams,
  read,
  reportMissing,
  awsCAuthOptions,
  rawBytesOnRequestLine,
  type AwsCAuthContext,
} from './support/vectors.js';
import * as lite from '../src/lite.js';

// Every case runs through the three paths, Web Crypto, plain JavaScript and an injected node:crypto backend,
// which must agree to the byte.
const nodeCrypto = { sha256Hex, hmacSha256 };
async function presignUrl(options: PresignOptions): Promise<PresignedUrl> {
  const result = await presignUrlAsync(options);
  expect(presignUrlSync(options), 'presignUrlSync').toEqual(result);
  expect(presignUrlSync({ ...options, crypto: nodeCrypto }), 'presignUrlSync with node:crypto').toEqual(result);
  const small = liteOptions(options, 'presign');
  if (small) {
    const { url, expiresAt, canonicalRequest, stringToSign, signature } = result;
    expect(await lite.presignUrl(small), 'sigv4/lite presignUrl').toEqual({
      url,
      expiresAt,
      canonicalRequest,
      stringToSign,
      signature,
    });
    liteRuns.presign++;
  }
  return result;
}
async function signRequest(options: SignRequestOptions): Promise<SignedRequest> {
  const result = await signRequestAsync(options);
  expect(signRequestSync(options), 'signRequestSync').toEqual(result);
  expect(signRequestSync({ ...options, crypto: nodeCrypto }), 'signRequestSync with node:crypto').toEqual(result);
  const small = liteOptions(options, 'sign');
  if (small) {
    const { url, headers, authorization, canonicalRequest, stringToSign, signature } = result;
    expect(await lite.signRequest(small), 'sigv4/lite signRequest').toEqual({
      url,
      headers,
      authorization,
      canonicalRequest,
      stringToSign,
      signature,
    });
    liteRuns.sign++;
  }
  return result;
}

// sigv4/lite runs every case its options can express (the full entry's defaults for the options it lacks, a
// date as a Date), and must give the same result; the counts below are checked at the end.
const liteRuns = { presign: 0, sign: 0 };
function liteOptions(
  options: PresignOptions & SignRequestOptions,
  kind: 'presign' | 'sign',
): (lite.LitePresignOptions & lite.LiteSignRequestOptions) | undefined {
  const {
    cache: _,
    signingDate,
    normalizePath,
    uriEscapePath,
    signSessionToken,
    hoistAmzHeaders,
    contentSha256Header,
    query,
    headers,
    payloadHash,
    ...rest
  } = options;
  const isS3 = options.service === 's3';
  const host = new URL(String(options.url)).host;
  const onlyHost = [
    ...(headers
      ? Object.entries(headers instanceof Array ? Object.fromEntries(headers as [string, string][]) : headers)
      : []),
  ].every(([n, v]) => n.toLowerCase() === 'host' && String(v).trim() === host);
  const fits =
    [normalizePath, uriEscapePath].every((v) => v === undefined || v === !isS3) &&
    (signSessionToken !== false || options.credentials.sessionToken === undefined) &&
    !hoistAmzHeaders &&
    query === undefined &&
    (kind === 'sign'
      ? contentSha256Header === undefined || contentSha256Header === isS3
      : onlyHost && (payloadHash === undefined || payloadHash === (isS3 ? 'UNSIGNED-PAYLOAD' : EMPTY_SHA256)));
  if (!fits) return undefined;
  return {
    ...rest,
    ...(signingDate === undefined ? {} : { signingDate: new Date(signingDate) }),
    ...(kind === 'sign' && headers !== undefined
      ? { headers: headers as NonNullable<lite.LiteSignRequestOptions['headers']> }
      : {}),
    ...(kind === 'sign' && payloadHash !== undefined ? { payloadHash } : {}),
  };
}

if (!VECTORS_PRESENT) {
  const message = reportMissing('AWS vector', '38×2 aws-c-auth + 31 AWS 2015 suite + 6 S3 documentation');
  console.warn(message);
  describe('AWS test vectors', () => {
    it.runIf(VECTORS_REQUIRED)('are present (required by SIGV4_REQUIRE_VECTORS=1)', () => {
      throw new Error(message);
    });
    it.skipIf(VECTORS_REQUIRED)('are absent: skipped (see the warning above)', () => {});
  });
}

describe.runIf(VECTORS_PRESENT)('aws-signing-test-suite/v4 (aws-c-auth)', () => {
  const cases = listDirs('aws-signing-test-suite', 'v4');
  it('has all 38 cases, each with both variants', () => {
    expect(cases).toHaveLength(38);
    for (const name of cases) {
      for (const file of ['header-signature.txt', 'query-signature.txt', 'context.json', 'request.txt']) {
        expect(exists('aws-signing-test-suite', 'v4', name, file), `${name}/${file}`).toBe(true);
      }
    }
  });

  for (const name of cases) {
    const file = (f: string): string => read('aws-signing-test-suite', 'v4', name, f);
    const load = () => {
      const context = JSON.parse(file('context.json')) as AwsCAuthContext;
      const request = parseRequest(file('request.txt'));
      return { context, request, common: { ...awsCAuthOptions(context, request), cache: false as const } };
    };

    it(`v4/${name} (header)`, async () => {
      const { context, request, common } = load();
      const signed = await signRequest({
        ...common,
        ...(context.sign_body
          ? { body: request.body ?? '', contentSha256Header: true }
          : { payloadHash: EMPTY_SHA256 }),
      });
      expect(signed.canonicalRequest).toBe(file('header-canonical-request.txt'));
      expect(signed.stringToSign).toBe(file('header-string-to-sign.txt'));
      expect(signed.signature).toBe(file('header-signature.txt'));
      // The signed request: Authorization and every X-Amz-* header it shows, exactly.
      const expected = parseRequest(file('header-signed-request.txt'));
      const amz = expected.headers.filter(([n]) => /^(authorization|x-amz-)/i.test(n));
      expect(amz.length).toBeGreaterThanOrEqual(2);
      for (const [n, v] of amz) expect(signed.headers[n.toLowerCase()], n).toBe(v);
    });

    it(`v4/${name} (query)`, async () => {
      const { context, request, common } = load();
      const presigned = await presignUrl({
        ...common,
        expiresIn: context.expiration_in_seconds,
        payloadHash: context.sign_body ? sha256Hex(request.body ?? '') : EMPTY_SHA256,
      });
      expect(presigned.canonicalRequest).toBe(file('query-canonical-request.txt'));
      expect(presigned.stringToSign).toBe(file('query-string-to-sign.txt'));
      expect(presigned.signature).toBe(file('query-signature.txt'));
      // The signed request's parameters, compared as a set with case-insensitive names (as aws-c-auth does).
      const expected = parseRequest(file('query-signed-request.txt'));
      expect(queryParams(presigned.url)).toEqual(queryParams(expected.target));
      expect(presigned.expiresAt.toISOString()).toBe(new Date(Date.parse(context.timestamp) + 3600e3).toISOString());
    });
  }
});

describe.runIf(VECTORS_PRESENT)('aws-sig-v4-test-suite (AWS 2015 suite)', () => {
  // Case folders hold X/X.req; some sit one level down (normalize-path/, post-sts-token/).
  const cases: string[] = [];
  for (const top of listDirs('aws-sig-v4-test-suite')) {
    if (exists('aws-sig-v4-test-suite', top, `${top}.req`)) cases.push(top);
    else for (const sub of listDirs('aws-sig-v4-test-suite', top)) cases.push(`${top}/${sub}`);
  }
  const readme = VECTORS_PRESENT ? read('aws-sig-v4-test-suite', 'post-sts-token', 'readme.txt') : '';
  const readmeToken = readme.trim().split(/\r?\n/).pop()!.trim();

  it('has all 31 cases', () => {
    expect(cases).toHaveLength(31);
    expect(readmeToken).toMatch(/^AQoDYXdzEPT/);
  });

  for (const path of cases) {
    const base = path.split('/').pop()!;
    const file = (ext: string): string => read('aws-sig-v4-test-suite', ...path.split('/'), `${base}.${ext}`);
    it(path, async () => {
      const request = parseRequest(file('req'), true);
      const take = (name: string): string | undefined => {
        const i = request.headers.findIndex(([n]) => n.toLowerCase() === name);
        return i < 0 ? undefined : request.headers.splice(i, 1)[0]![1];
      };
      const amzDate = take('x-amz-date')!;
      const headerToken = take('x-amz-security-token');
      const after = base === 'post-sts-header-after';
      const host = request.headers.find(([n]) => n.toLowerCase() === 'host')![1];
      const signed = await signRequest({
        url: `https://${host}${request.target}`,
        method: request.method,
        service: 'service',
        region: 'us-east-1',
        credentials: {
          accessKeyId: 'AKIDEXAMPLE',
          secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
          ...(headerToken || after ? { sessionToken: headerToken ?? readmeToken } : {}),
        },
        signingDate: amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
        signSessionToken: !after,
        ...(rawBytesOnRequestLine(request.target) ? { uriEscapePath: false } : {}),
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
        cache: false,
      });
      expect(signed.canonicalRequest).toBe(file('creq'));
      expect(signed.stringToSign).toBe(file('sts'));
      expect(signed.authorization).toBe(file('authz').replace(/^Authorization: /, ''));
      expect(file('sreq')).toContain(`Authorization: ${signed.authorization}`);
    });
  }
});

describe.runIf(VECTORS_PRESENT)('s3-docs.json (Amazon S3 API Reference examples)', () => {
  interface Example {
    id: string;
    inputs: Record<string, unknown> & {
      access_key_id: string;
      secret_access_key: string;
      region: string;
      service: string;
      timestamp: string;
      method: string;
    };
    expected: Record<string, string>;
  }
  const examples = VECTORS_PRESENT ? (JSON.parse(read('s3-docs.json')) as { examples: Example[] }).examples : [];
  const byId = (id: string): Example => examples.find((e) => e.id === id)!;
  const credentials = (e: Example) => ({
    accessKeyId: e.inputs.access_key_id,
    secretAccessKey: e.inputs.secret_access_key,
  });

  it('s3-presigned-get-object', async () => {
    const e = byId('s3-presigned-get-object');
    const presigned = await presignUrl({
      url: e.inputs['url'] as string,
      method: e.inputs.method,
      service: e.inputs.service,
      region: e.inputs.region,
      credentials: credentials(e),
      signingDate: e.inputs.timestamp,
      expiresIn: e.inputs['expires_in_seconds'] as number,
      cache: false,
    });
    expect(presigned.canonicalRequest).toBe(e.expected['canonical_request']);
    expect(presigned.canonicalRequest.split('\n')[2]).toBe(e.expected['canonical_query_string']);
    expect(sha256Hex(presigned.canonicalRequest)).toBe(e.expected['canonical_request_sha256']);
    expect(presigned.stringToSign).toBe(e.expected['string_to_sign']);
    expect(presigned.signature).toBe(e.expected['signature']);
    // The whole URL, byte for byte.
    expect(presigned.url).toBe(e.expected['presigned_url']);
  });

  for (const id of [
    's3-header-get-object',
    's3-header-put-object',
    's3-header-get-bucket-lifecycle',
    's3-header-list-objects',
    's3-header-put-object-chunked',
  ]) {
    it(id, async () => {
      const e = byId(id);
      const headers = (e.inputs['headers'] as [string, string][]).filter(([n]) => n.toLowerCase() !== 'x-amz-date');
      const signed = await signRequest({
        url: `https://${e.inputs['host'] as string}${e.inputs['request_target'] as string}`,
        method: e.inputs.method,
        service: e.inputs.service,
        region: e.inputs.region,
        credentials: credentials(e),
        signingDate: e.inputs.timestamp,
        headers,
        cache: false,
      });
      expect(signed.canonicalRequest).toBe(e.expected['canonical_request']);
      expect(sha256Hex(signed.canonicalRequest)).toBe(e.expected['canonical_request_sha256']);
      expect(signed.stringToSign).toBe(e.expected['string_to_sign']);
      if (id.endsWith('chunked')) {
        expect(signed.signature).toBe(e.expected['seed_signature']);
      } else {
        expect(signed.signedHeaders.join(';')).toBe(e.expected['signed_headers']);
        expect(signed.signature).toBe(e.expected['signature']);
        expect(signed.authorization).toBe(e.expected['authorization']);
      }
    });
  }
});

describe.runIf(VECTORS_PRESENT)('sigv4/lite on the suites', () => {
  it('ran every case its options can express, with the same results as the full entry', () => {
    // Presigning: the cases that sign no header but host and use the service's default payload hash. Header
    // signing: the cases that need no option lite lacks (normalizePath, uriEscapePath, signSessionToken: false,
    // contentSha256Header for a service other than S3).
    console.log(`sigv4/lite ran ${liteRuns.presign} presigning and ${liteRuns.sign} header-signing vector cases`);
    expect(liteRuns).toEqual({ presign: 21, sign: 59 });
  });
});
