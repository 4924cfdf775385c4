// AWS's SigV4a vectors (aws-c-auth's v4a suite and s3-streaming.json's SigV4a entries), case by case: canonical
// request and string to sign byte for byte; ECDSA signatures (randomized) checked by verifying them, with the
// vector's public-key.json through node:crypto and with the derived key through the library's verifiers; the
// vector's own signatures verified by the library; the derived public key equal to public-key.json.

import { describe, expect, it } from 'vitest';
import {
  EMPTY_SHA256,
  deriveV4aPublicKey,
  presignUrlV4a,
  signRequestV4a,
  verifyPresignedUrl,
  verifyRequest,
  type PresignV4aOptions,
  type SignRequestV4aOptions,
  type VerifiedRequest,
  type VerifyOptions,
} from '../src/index.js';
import { deriveV4aPrivateScalar } from '../src/core/sigv4a-key.js';
import { sha256Hex } from './support/reference.js';
import { nodeVerifies, publicKeyOf, referenceScalar, referenceSign, spkiOf } from './support/v4a.js';
import {
  VECTORS_PRESENT,
  VECTORS_REQUIRED,
  awsCAuthOptions,
  exists,
  listDirs,
  parseRequest,
  queryParams,
  rawBytesOnRequestLine,
  read,
  reportMissing,
  type AwsCAuthContext,
} from './support/vectors.js';

const V4A = ['aws-signing-test-suite', 'v4a'] as const;
const INPUT_ONLY = ['get-vanilla-query-order-key', 'get-vanilla-query-order-value'];

if (!VECTORS_PRESENT) {
  const message = reportMissing('SigV4a vector', '38×2 + 2 aws-c-auth v4a, 3 key derivations, 2 Go SDK, 2 chunked');
  console.warn(message);
  describe('AWS SigV4a vectors', () => {
    it.runIf(VECTORS_REQUIRED)('are present (required by SIGV4_REQUIRE_VECTORS=1)', () => {
      throw new Error(message);
    });
    it.skipIf(VECTORS_REQUIRED)('are absent: skipped (see the warning above)', () => {});
  });
}

const headerValue = (headers: [string, string][], name: string): string | undefined =>
  headers.find(([n]) => n.toLowerCase() === name)?.[1];

/** A case's signing options with the v4 suite's harness rules, its region as the region set. */
function v4aOptions(context: AwsCAuthContext, request: ReturnType<typeof parseRequest>) {
  const { region, ...rest } = awsCAuthOptions(context, request);
  return { ...rest, regionSet: region, cache: false as const };
}

/** What the verifiers take for a case, before the request itself. */
function verifyOptions(context: AwsCAuthContext, request: { target: string }): Omit<VerifyOptions, 'url' | 'method'> {
  return {
    // As the signer was told (see rawBytesOnRequestLine): the raw bytes on these request lines are the wire path.
    ...(rawBytesOnRequestLine(request.target) ? { uriEscapePath: false } : {}),
    service: context.service,
    region: context.region,
    getCredentials: (id) =>
      id === context.credentials.access_key_id
        ? { secretAccessKey: context.credentials.secret_access_key, sessionToken: context.credentials.token }
        : undefined,
    normalizePath: context.normalize,
    now: Date.parse(context.timestamp),
    signSessionToken: !context.omit_session_token,
    cache: false,
  };
}

describe.runIf(VECTORS_PRESENT)('aws-signing-test-suite/v4a (aws-c-auth)', () => {
  const all = listDirs(...V4A);
  const cases = all.filter((name) => !INPUT_ONLY.includes(name));

  it('has 40 folders: 38 complete cases with both variants and public-key.json, 2 with inputs only', () => {
    expect(all).toHaveLength(40);
    expect(cases).toHaveLength(38);
    for (const name of cases) {
      for (const file of ['header-signature.txt', 'query-signature.txt', 'public-key.json', 'context.json']) {
        expect(exists(...V4A, name, file), `${name}/${file}`).toBe(true);
      }
    }
    for (const name of INPUT_ONLY) {
      expect(exists(...V4A, name, 'request.txt')).toBe(true);
      expect(exists(...V4A, name, 'header-signature.txt')).toBe(false);
    }
  });

  it('derives the public key of every public-key.json from the credentials (x and y)', async () => {
    const keys = new Set(cases.map((name) => read(...V4A, name, 'public-key.json')));
    expect(keys.size).toBe(1); // the same credentials in every case
    const expected = JSON.parse([...keys][0]!) as { X: string; Y: string };
    const derived = await deriveV4aPublicKey({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    });
    expect(derived).toEqual({ x: expected.X, y: expected.Y });
  });

  for (const name of cases) {
    const file = (f: string): string => read(...V4A, name, f);
    const load = () => {
      const context = JSON.parse(file('context.json')) as AwsCAuthContext;
      const request = parseRequest(file('request.txt'));
      const { X, Y } = JSON.parse(file('public-key.json')) as { X: string; Y: string };
      return { context, request, common: v4aOptions(context, request), key: publicKeyOf({ x: X, y: Y }) };
    };

    it(`v4a/${name} (header)`, async () => {
      const { context, request, common, key } = load();
      const options: SignRequestV4aOptions = {
        ...common,
        ...(context.sign_body
          ? { body: request.body ?? '', contentSha256Header: true }
          : { payloadHash: EMPTY_SHA256 }),
      };
      const signed = await signRequestV4a(options);
      expect(signed.canonicalRequest).toBe(file('header-canonical-request.txt'));
      expect(signed.stringToSign).toBe(file('header-string-to-sign.txt'));
      expect(signed.credentialScope).toBe('20150830/service/aws4_request');
      expect(signed).toMatchObject({ algorithm: 'AWS4-ECDSA-P256-SHA256', regionSet: ['us-east-1'] });
      // The signature: verified by node:crypto with public-key.json (JWK and SPKI), as aws-c-auth's harness does.
      expect(nodeVerifies(key, signed.stringToSign, signed.signature)).toBe(true);
      expect(nodeVerifies(spkiOf(publicKeyOfFile(file)), signed.stringToSign, signed.signature)).toBe(true);
      // The vector's own signature of the same string to sign verifies too.
      expect(nodeVerifies(key, file('header-string-to-sign.txt'), file('header-signature.txt'))).toBe(true);

      // The signed request as aws-c-auth prints it: every header but the signature itself, exactly.
      const printed = parseRequest(file('header-signed-request.txt'));
      const amz = printed.headers.filter(([n]) => /^(authorization|x-amz-)/i.test(n));
      expect(amz.length).toBeGreaterThanOrEqual(3);
      for (const [n, v] of amz) {
        const ours = signed.headers[n.toLowerCase()];
        if (n.toLowerCase() === 'authorization')
          expect(ours!.replace(/Signature=\w+$/, '')).toBe(v.replace(/Signature=\w+$/, ''));
        else expect(ours, n).toBe(v);
      }

      // The library's verifier takes our request, the vector's signature in it, and aws-c-auth's printed request.
      const base = { ...verifyOptions(context, request), ...(context.sign_body ? { body: request.body ?? '' } : {}) };
      const expectStages = (verified: VerifiedRequest) => {
        expect(verified.canonicalRequest).toBe(file('header-canonical-request.txt'));
        expect(verified.stringToSign).toBe(file('header-string-to-sign.txt'));
        expect(verified).toMatchObject({
          algorithm: 'AWS4-ECDSA-P256-SHA256',
          regionSet: ['us-east-1'],
          region: 'us-east-1',
          credentialScope: '20150830/service/aws4_request',
          accessKeyId: 'AKIDEXAMPLE',
        });
      };
      const headers = Object.entries(signed.headers);
      expectStages(await verifyRequest({ ...base, url: signed.url, method: signed.method, headers }));
      const theirs = headers.map(([n, v]): [string, string] =>
        n === 'authorization' ? [n, v.replace(/Signature=\w+$/, `Signature=${file('header-signature.txt')}`)] : [n, v],
      );
      expectStages(await verifyRequest({ ...base, url: signed.url, method: signed.method, headers: theirs }));
      const host = headerValue(printed.headers, 'host')!;
      expectStages(
        await verifyRequest({
          ...base,
          url: `https://${host}${printed.target}`,
          method: printed.method,
          headers: printed.headers,
          ...(rawBytesOnRequestLine(printed.target) ? { uriEscapePath: false } : {}),
        }),
      );
    });

    it(`v4a/${name} (query)`, async () => {
      const { context, request, common, key } = load();
      const options: PresignV4aOptions = {
        ...common,
        expiresIn: context.expiration_in_seconds,
        payloadHash: context.sign_body ? sha256Hex(request.body ?? '') : EMPTY_SHA256,
      };
      const presigned = await presignUrlV4a(options);
      expect(presigned.canonicalRequest).toBe(file('query-canonical-request.txt'));
      expect(presigned.stringToSign).toBe(file('query-string-to-sign.txt'));
      expect(presigned.credentialScope).toBe('20150830/service/aws4_request');
      expect(nodeVerifies(key, presigned.stringToSign, presigned.signature)).toBe(true);
      expect(nodeVerifies(key, file('query-string-to-sign.txt'), file('query-signature.txt'))).toBe(true);
      // The URL's parameters, as a set with case-insensitive names (as aws-c-auth compares them), but the signature.
      const printed = parseRequest(file('query-signed-request.txt'));
      const params = (target: string) => queryParams(target).filter((p) => !p.startsWith('x-amz-signature='));
      expect(params(presigned.url)).toEqual(params(printed.target));
      expect(presigned.url).toMatch(/&X-Amz-Signature=30[0-9a-f]+$/);

      const base = {
        ...verifyOptions(context, request),
        headers: request.headers,
        ...(options.payloadHash === EMPTY_SHA256 ? {} : { payloadHash: options.payloadHash! }),
      };
      const expectStages = (verified: VerifiedRequest) => {
        expect(verified.canonicalRequest).toBe(file('query-canonical-request.txt'));
        expect(verified.stringToSign).toBe(file('query-string-to-sign.txt'));
        expect(verified).toMatchObject({
          algorithm: 'AWS4-ECDSA-P256-SHA256',
          regionSet: ['us-east-1'],
          expiresIn: 3600,
        });
      };
      expectStages(await verifyPresignedUrl({ ...base, url: presigned.url, method: presigned.method }));
      const theirs = presigned.url.replace(/X-Amz-Signature=\w+/, `X-Amz-Signature=${file('query-signature.txt')}`);
      expectStages(await verifyPresignedUrl({ ...base, url: theirs, method: presigned.method }));
      // aws-c-auth's printed URL, with its own signature. Its token, when added after signing, is not signed.
      const host = headerValue(printed.headers, 'host')!;
      expectStages(
        await verifyPresignedUrl({
          ...base,
          url: `https://${host}${printed.target}`,
          method: printed.method,
          headers: printed.headers,
          ...(rawBytesOnRequestLine(printed.target) ? { uriEscapePath: false } : {}),
        }),
      );
    });
  }

  // The two folders with inputs only: no expected output upstream, so signed here and verified (node:crypto with
  // the derived key, and the library's verifiers), and their canonical requests checked against the rules they
  // test (query order by key, then by value).
  for (const name of INPUT_ONLY) {
    it(`v4a/${name} (inputs only: signed and verified)`, async () => {
      const context = JSON.parse(read(...V4A, name, 'context.json')) as AwsCAuthContext;
      const request = parseRequest(read(...V4A, name, 'request.txt'));
      const common = { ...v4aOptions(context, request), payloadHash: EMPTY_SHA256 };
      const key = publicKeyOf(await deriveV4aPublicKey(common.credentials));
      const signed = await signRequestV4a(common);
      const presigned = await presignUrlV4a({ ...common, expiresIn: context.expiration_in_seconds });
      expect(nodeVerifies(key, signed.stringToSign, signed.signature)).toBe(true);
      expect(nodeVerifies(key, presigned.stringToSign, presigned.signature)).toBe(true);
      const query = signed.canonicalRequest.split('\n')[2]!;
      // Param1=value2&Param1=Value1 (…-key) and Param1=value2&Param1=value1 (…-value): values sorted by their bytes.
      expect(query).toBe(name.endsWith('-key') ? 'Param1=Value1&Param1=value2' : 'Param1=value1&Param1=value2');
      expect(presigned.canonicalRequest.split('\n')[2]).toContain(`${query}&X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&`);
      const base = verifyOptions(context, request);
      const verified = await verifyRequest({
        ...base,
        url: signed.url,
        method: signed.method,
        headers: Object.entries(signed.headers),
      });
      expect(verified.stringToSign).toBe(signed.stringToSign);
      const verifiedUrl = await verifyPresignedUrl({ ...base, url: presigned.url, method: presigned.method });
      expect(verifiedUrl.canonicalRequest).toBe(presigned.canonicalRequest);
    });
  }
});

const publicKeyOfFile = (file: (f: string) => string): { x: string; y: string } => {
  const { X, Y } = JSON.parse(file('public-key.json')) as { X: string; Y: string };
  return { x: X, y: Y };
};

interface StreamingEntry {
  id: string;
  inputs: Record<string, unknown>;
  expected: Record<string, unknown>;
  derived_by_collector: Record<string, unknown>;
}

describe.runIf(VECTORS_PRESENT)('s3-streaming.json SigV4a entries', () => {
  const entries = VECTORS_PRESENT
    ? (JSON.parse(read('s3-streaming.json')) as { examples: StreamingEntry[] }).examples
    : [];
  const byId = (id: string): StreamingEntry => entries.find((e) => e.id === id)!;

  describe('sigv4a-key-derivation: 3 credential pairs', () => {
    interface Row {
      access_key_id: string;
      secret_access_key: string;
      expected_public_key: { x: string; y: string };
      derived_by_collector: { counter: number; private_scalar_hex: string };
    }
    const rows = VECTORS_PRESENT ? (byId('sigv4a-key-derivation').expected['rows'] as Row[]) : [];
    it('has 3 rows', () => expect(rows).toHaveLength(3));
    for (const row of rows) {
      it(row.access_key_id, async () => {
        const d = await deriveV4aPrivateScalar(row.access_key_id, row.secret_access_key);
        expect(d.toString(16).padStart(64, '0')).toBe(row.derived_by_collector.private_scalar_hex);
        expect(referenceScalar(row.access_key_id, row.secret_access_key)).toBe(
          row.derived_by_collector.private_scalar_hex,
        );
        const credentials = { accessKeyId: row.access_key_id, secretAccessKey: row.secret_access_key };
        expect(await deriveV4aPublicKey(credentials)).toEqual(row.expected_public_key);
        // Signed with that key, verified by node:crypto with the published public key.
        const signed = await signRequestV4a({
          url: 'https://example.amazonaws.com/',
          service: 'service',
          regionSet: '*',
          credentials,
          cache: false,
        });
        expect(nodeVerifies(publicKeyOf(row.expected_public_key), signed.stringToSign, signed.signature)).toBe(true);
      });
    }
  });

  describe('sigv4a-presigned-url-sdk-go-v2: the Go SDK presigned URLs, verified', () => {
    // The Go SDK signs its request path as it sends it, with a raw "^", which fetch (and so this library's signer)
    // sends as %5E: the signer cannot make this exact request. The verifier reads the path as received, so the Go
    // SDK's presigned URL, as Go would send it, verifies here and gives the published sha256(string to sign).
    interface GoCase {
      test: string;
      query_in: [string, string][];
      session_token: string | null;
      string_to_sign_sha256: string;
      query_out_includes: Record<string, string>;
    }
    const e = VECTORS_PRESENT ? byId('sigv4a-presigned-url-sdk-go-v2') : undefined;
    const cases = e ? (e.expected['cases'] as GoCase[]) : [];
    it('has 2 cases', () => expect(cases).toHaveLength(2));
    cases.forEach((c, i) => {
      it(c.test, async () => {
        const inputs = e!.inputs as {
          access_key_id: string;
          secret_access_key: string;
          url_host: string;
          raw_path: string;
          method: string;
          headers: [string, string][];
        };
        const derived = (e!.derived_by_collector['cases'] as { string_to_sign: string }[])[i]!;
        // The Go SDK's signature of its string to sign, made here with node:crypto and the derived private key.
        const scalar = referenceScalar(inputs.access_key_id, inputs.secret_access_key);
        const signature = referenceSign(scalar, derived.string_to_sign);
        const params = [
          ...c.query_in.filter(([k]) => k !== 'X-Amz-Expires'),
          ...Object.entries(c.query_out_includes),
          ['X-Amz-Expires', c.query_in.find(([k]) => k === 'X-Amz-Expires')![1]],
          ...(c.session_token ? [['X-Amz-Security-Token', c.session_token]] : []),
          ['X-Amz-Signature', signature],
        ];
        const query = params.map(([k, v]) => `${encodeURIComponent(k!)}=${encodeURIComponent(v!)}`).join('&');
        const verified = await verifyPresignedUrl({
          url: `https://${inputs.url_host}${inputs.raw_path}?${query}`,
          method: inputs.method,
          headers: inputs.headers.filter(([n]) => n !== 'X-Amz-Target'), // hoisted into the query
          service: 'dynamodb',
          region: 'us-east-1',
          getCredentials: (id) =>
            id === inputs.access_key_id
              ? {
                  secretAccessKey: inputs.secret_access_key,
                  ...(c.session_token ? { sessionToken: c.session_token } : {}),
                }
              : undefined,
          now: 0,
          cache: false,
        });
        expect(sha256Hex(verified.stringToSign)).toBe(c.string_to_sign_sha256);
        expect(verified.stringToSign).toBe(derived.string_to_sign);
        expect(verified.algorithm).toBe('AWS4-ECDSA-P256-SHA256');
        expect(
          await deriveV4aPublicKey({ accessKeyId: inputs.access_key_id, secretAccessKey: inputs.secret_access_key }),
        ).toEqual(e!.expected['public_key']);
      });
    });
  });

  describe('sigv4a-chunked-signing-crt: the seed requests of aws-c-auth SigV4a chunked uploads', () => {
    it('both canonical requests, byte for byte, and the signatures verified with the published key', async () => {
      const e = byId('sigv4a-chunked-signing-crt');
      const inputs = e.inputs as {
        access_key_id: string;
        secret_access_key: string;
        timestamp: string;
        method: string;
        request_target: string;
        headers: [string, string][];
        trailer_variant_extra_headers: [string, string][];
      };
      const key = publicKeyOf(e.expected['public_key'] as { x: string; y: string });
      for (const trailer of [false, true]) {
        const signed = await signRequestV4a({
          url: `https://s3.amazonaws.com${inputs.request_target}`,
          method: inputs.method,
          service: 's3',
          regionSet: 'us-east-1',
          credentials: { accessKeyId: inputs.access_key_id, secretAccessKey: inputs.secret_access_key },
          signingDate: inputs.timestamp,
          headers: [...inputs.headers, ...(trailer ? inputs.trailer_variant_extra_headers : [])],
          payloadHash: `STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD${trailer ? '-TRAILER' : ''}`,
          cache: false,
        });
        expect(signed.canonicalRequest).toBe(
          e.expected[trailer ? 'canonical_request_trailer_variant' : 'canonical_request'],
        );
        expect(signed.stringToSign).toBe(
          e.derived_by_collector[trailer ? 'string_to_sign_trailer_variant' : 'string_to_sign'],
        );
        expect(nodeVerifies(key, signed.stringToSign, signed.signature)).toBe(true);
      }
    });
  });
});
