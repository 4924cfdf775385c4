// signRequest specifics: the headers added (x-amz-date, x-amz-content-sha256, x-amz-security-token), headers sent
// but not signed, body hashing for each body type, the Authorization header, and inputs left untouched.

import { describe, expect, it } from 'vitest';
import {
  EMPTY_SHA256,
  signRequest,
  signRequestSync,
  SigningKeyCache,
  type SignedRequest,
  type SignRequestOptions,
} from '../../src/index.js';
import { sha256Hex, signatureOf } from '../support/reference.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const TOKEN =
  'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI';
const cache = new SigningKeyCache();
const svc = {
  url: 'https://example.amazonaws.com/',
  service: 'service',
  region: 'us-east-1',
  credentials,
  signingDate: '2015-08-30T12:36:00Z',
  cache,
} satisfies SignRequestOptions;
const s3 = {
  ...svc,
  service: 's3',
  url: 'https://examplebucket.s3.amazonaws.com/test.txt',
} satisfies SignRequestOptions;

/** Signs with both the async and the sync function, checks they agree, and returns the result. */
async function sign(options: SignRequestOptions): Promise<SignedRequest> {
  const result = await signRequest(options);
  expect(signRequestSync(options)).toEqual(result);
  return result;
}

const payloadLine = (r: SignedRequest): string => r.canonicalRequest.split('\n').at(-1)!;
const HELLO = '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'; // sha256("hello")

describe('signRequest: the 2015 suite get-vanilla case, by hand', () => {
  it('gives the documented canonical request, string to sign and Authorization', async () => {
    const r = await sign({ ...svc, headers: { Host: 'example.amazonaws.com' } });
    expect(r.canonicalRequest).toBe(
      `GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY_SHA256}`,
    );
    expect(r.stringToSign).toBe(
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63',
    );
    expect(r.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
    expect(r.signature).toBe(signatureOf(credentials.secretAccessKey, r.stringToSign));
    expect(r.headers).toEqual({
      host: 'example.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      authorization: r.authorization,
    });
    expect(r.signedHeaders).toEqual(['host', 'x-amz-date']);
    expect(r.amzDate).toBe('20150830T123600Z');
    expect(r.credentialScope).toBe('20150830/us-east-1/service/aws4_request');
  });

  it('signs host without sending it when the caller did not set it', async () => {
    const r = await sign(svc);
    expect(r.signedHeaders).toEqual(['host', 'x-amz-date']);
    expect(r.headers).toEqual({ 'x-amz-date': '20150830T123600Z', authorization: r.authorization });
    expect(r.signature).toBe('5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
  });
});

describe('signRequest: x-amz-content-sha256', () => {
  it('is added for s3 by default, with the body hash', async () => {
    const r = await sign({ ...s3, method: 'PUT', body: 'hello' });
    expect(r.headers['x-amz-content-sha256']).toBe(HELLO);
    expect(r.signedHeaders).toEqual(['host', 'x-amz-content-sha256', 'x-amz-date']);
    expect(r.canonicalRequest).toContain(`\nx-amz-content-sha256:${HELLO}\n`);
    expect(payloadLine(r)).toBe(HELLO);
  });

  it('is not added for other services unless asked', async () => {
    const r = await sign({ ...svc, method: 'POST', body: 'hello' });
    expect(r.headers).not.toHaveProperty('x-amz-content-sha256');
    expect(payloadLine(r)).toBe(HELLO);
    const asked = await sign({ ...svc, method: 'POST', body: 'hello', contentSha256Header: true });
    expect(asked.headers['x-amz-content-sha256']).toBe(HELLO);
    const off = await sign({ ...s3, contentSha256Header: false });
    expect(off.headers).not.toHaveProperty('x-amz-content-sha256');
    expect(off.signedHeaders).toEqual(['host', 'x-amz-date']);
  });

  it('a caller header is the payload hash, and the body is then not hashed', async () => {
    const r = await sign({
      ...s3,
      method: 'PUT',
      headers: { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
      body: 'hello',
    });
    expect(payloadLine(r)).toBe('UNSIGNED-PAYLOAD');
    expect(r.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    const streaming = await sign({ ...s3, method: 'PUT', payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' });
    expect(streaming.headers['x-amz-content-sha256']).toBe('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
    expect(payloadLine(streaming)).toBe('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  });
});

describe('signRequest: body hashing', () => {
  const bytes = new TextEncoder().encode('hello');

  it.each([
    ['no body', undefined, EMPTY_SHA256],
    ['an empty string', '', EMPTY_SHA256],
    ['a string', 'hello', HELLO],
    ['a UTF-8 string', 'ü😀', sha256Hex('ü😀')],
    ['a Uint8Array', bytes, HELLO],
    ['an ArrayBuffer', bytes.slice().buffer, HELLO],
    ['a Uint8Array view at an offset', new Uint8Array(new TextEncoder().encode('xxhelloyy').buffer, 2, 5), HELLO],
    ['a Node Buffer (a pooled Uint8Array)', Buffer.from('hello'), HELLO],
    ['binary bytes', Uint8Array.from([0, 255, 128, 10]), sha256Hex(Uint8Array.from([0, 255, 128, 10]))],
  ])('%s', async (_, body, hash) => {
    const r = await sign({ ...svc, method: 'POST', ...(body === undefined ? {} : { body }) });
    expect(payloadLine(r)).toBe(hash);
  });

  it('payloadHash wins over the body', async () => {
    const r = await sign({ ...svc, method: 'POST', body: 'hello', payloadHash: EMPTY_SHA256 });
    expect(payloadLine(r)).toBe(EMPTY_SHA256);
  });
});

describe('signRequest: headers sent but not signed', () => {
  const unsignable = {
    'User-Agent': 'sdk/1.0',
    'X-Amzn-Trace-Id': 'Root=1-5759e988-bd862e3fe1be46a994272793',
    connection: 'keep-alive',
    expect: '100-continue',
    'transfer-encoding': 'chunked',
    'cache-control': 'no-cache',
    referer: 'https://example.com/',
  };

  it('sends user-agent, x-amzn-trace-id and hop-by-hop headers as given, and leaves them out of the signature', async () => {
    const r = await sign({ ...svc, headers: { ...unsignable, 'Content-Type': 'text/plain' } });
    for (const [name, value] of Object.entries(unsignable)) expect(r.headers[name.toLowerCase()], name).toBe(value);
    expect(r.signedHeaders).toEqual(['content-type', 'host', 'x-amz-date']);
    expect(r.canonicalRequest).not.toMatch(
      /user-agent|x-amzn-trace-id|connection|expect|transfer-encoding|cache-control|referer/,
    );
    const plain = await sign({ ...svc, headers: { 'Content-Type': 'text/plain' } });
    expect(r.signature).toBe(plain.signature);
  });
});

describe('signRequest: session token', () => {
  const withToken = { ...svc, credentials: { ...credentials, sessionToken: TOKEN } };

  it('sends and signs x-amz-security-token', async () => {
    const r = await sign(withToken);
    expect(r.headers['x-amz-security-token']).toBe(TOKEN);
    expect(r.signedHeaders).toEqual(['host', 'x-amz-date', 'x-amz-security-token']);
    expect(r.canonicalRequest).toContain(`\nx-amz-security-token:${TOKEN}\n`);
  });

  it('with signSessionToken: false sends it without signing it', async () => {
    const r = await sign({ ...withToken, signSessionToken: false });
    expect(r.headers['x-amz-security-token']).toBe(TOKEN);
    expect(r.signedHeaders).toEqual(['host', 'x-amz-date']);
    expect(r.signature).toBe((await sign(svc)).signature);
  });
});

describe('signRequest: URL, headers and method', () => {
  it('keeps the query in the given order on the URL and sorts it in the canonical request', async () => {
    const r = await sign({ ...svc, url: 'https://example.amazonaws.com/p?b=2&a=1&c', query: { d: 'x y+z' } });
    expect(r.url).toBe('https://example.amazonaws.com/p?b=2&a=1&c=&d=x%20y%2Bz');
    expect(r.canonicalRequest.split('\n')[2]).toBe('a=1&b=2&c=&d=x%20y%2Bz');
  });

  it('canonicalizes header values (trim, one space) but sends them as given', async () => {
    const r = await sign({ ...svc, headers: { 'My-Header1': '  a   b \t c  ', 'my-header2': ['1', ' 2 '] } });
    expect(r.canonicalRequest).toContain('\nmy-header1:a b c\nmy-header2:1,2\n');
    expect(r.headers['my-header1']).toBe('  a   b \t c  ');
    // A repeated header is sent as one value, its parts trimmed: a server canonicalizes "1, 2 " to "1, 2",
    // which is not the "1,2" that was signed, but "1,2" to itself.
    expect(r.headers['my-header2']).toBe('1,2');
  });

  it.each(['post', 'Put', 'delete', 'head', 'options', 'get'])('upper-cases %s', async (method) => {
    const r = await sign({ ...svc, method });
    expect(r.method).toBe(method.toUpperCase());
    expect(r.canonicalRequest.split('\n')[0]).toBe(method.toUpperCase());
  });

  it('the Authorization header names the credential, the signed headers and the signature', async () => {
    const r = await sign({ ...s3, method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(r.authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=${r.signature}`,
    );
    expect(r.headers['authorization']).toBe(r.authorization);
    expect(r.signature).toBe(signatureOf(credentials.secretAccessKey, r.stringToSign));
    expect(r.stringToSign.split('\n')[3]).toBe(sha256Hex(r.canonicalRequest));
  });
});

describe('signRequest: inputs are not mutated', () => {
  it('leaves frozen options, a Headers, URLSearchParams, a URL and the body bytes as they were', async () => {
    const headers = new Headers({ 'content-type': 'text/plain', 'user-agent': 'ua' });
    const query = new URLSearchParams('b=2&a=1');
    const url = new URL('https://examplebucket.s3.amazonaws.com/a b?x=1');
    const body = new TextEncoder().encode('hello');
    const credentialsCopy = Object.freeze({ ...credentials, sessionToken: TOKEN });
    const options = Object.freeze({ ...s3, url, headers, query, body, credentials: credentialsCopy, method: 'put' });
    const r = await sign(options);
    const seen: [string, string][] = [];
    headers.forEach((value, name) => seen.push([name, value]));
    expect(seen).toEqual([
      ['content-type', 'text/plain'],
      ['user-agent', 'ua'],
    ]);
    expect(query.toString()).toBe('b=2&a=1');
    expect(url.href).toBe('https://examplebucket.s3.amazonaws.com/a%20b?x=1');
    expect(new TextDecoder().decode(body)).toBe('hello');
    expect(options.method).toBe('put');
    expect(r.method).toBe('PUT');
    expect(r.url).toBe('https://examplebucket.s3.amazonaws.com/a%20b?x=1&b=2&a=1');
  });

  it('two signatures of the same frozen options agree (no hidden state carried over)', async () => {
    const options = Object.freeze({ ...s3, headers: Object.freeze({ 'x-amz-meta-a': '1' }), body: 'hello' });
    const [a, b] = [await sign(options), await sign(options)];
    expect(b).toEqual(a);
  });
});
