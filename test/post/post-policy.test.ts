// Presigned POST: the S3 documentation's example to the byte, createPresignedPost's exact output (checked against
// an independent node:crypto signer), every validation error, and verifyPresignedPost check by check, with each
// error code, the boundaries, and no secret in any error.

import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  MAX_POST_FIELDS_LENGTH,
  SigningKeyCache,
  createPresignedPost,
  deriveSigningKey,
  isSigV4Error,
  signPostPolicy,
  verifyPresignedPost,
  type PresignedPostOptions,
  type SigV4ErrorCode,
  type VerifyPresignedPostOptions,
} from '../../src/index.js';
import { hmacHex, signingKey } from '../support/reference.js';
import { VECTORS_PRESENT, VECTORS_REQUIRED, read, reportMissing } from '../support/vectors.js';

const ACCESS = 'AKIDPOSTEXAMPLE';
const SECRET = 'post/Secret+Key=EXAMPLE/wJalrXUtnFEMI';
const TOKEN = 'session/token+with=chars//EXAMPLE==';
const SIGNED_AT = Date.parse('2015-12-29T00:00:00Z');
const AMZ_DATE = '20151229T000000Z';
const CREDENTIAL = `${ACCESS}/20151229/us-east-1/s3/aws4_request`;
const credentials = { accessKeyId: ACCESS, secretAccessKey: SECRET };

// ---- The reference signer (node:crypto) ----
const sign = (policyBase64: string, secret = SECRET, date = '20151229'): string =>
  hmacHex(signingKey(secret, date, 'us-east-1', 's3'), policyBase64);

// Every error is checked for these: the secrets, the session token and the derived key.
const KEY = signingKey(SECRET, '20151229', 'us-east-1', 's3');
const LEAKS = [SECRET, TOKEN, KEY.toString('hex'), KEY.toString('base64')];

/** Awaits a rejection, checks its code, and that nothing secret is anywhere in the error; returns the message. */
async function expectCode(promise: Promise<unknown>, code: SigV4ErrorCode): Promise<string> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${code}, but it verified`);
    },
    (e: unknown) => e,
  );
  if (!isSigV4Error(error)) throw error;
  expect(error.code, error.message).toBe(code);
  const everything =
    inspect(error, { depth: 10, showHidden: true }) +
    JSON.stringify(error) +
    String((error as { cause?: unknown }).cause);
  for (const leak of LEAKS) expect(everything).not.toContain(leak);
  return error.message;
}

/** Awaits a TypeError or RangeError thrown before anything is signed; returns its message. */
async function expectMisuse(
  promise: Promise<unknown>,
  type: typeof TypeError | typeof RangeError = TypeError,
): Promise<string> {
  const error = await promise.then(
    () => {
      throw new Error('expected an error');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  const message = (error as Error).message;
  for (const leak of LEAKS) expect(message).not.toContain(leak);
  return message;
}

// ---------------------------------------------------------------------------------------------------------------
// The S3 documentation's example (sigv4-post-example.html), from s3-docs.json

if (!VECTORS_PRESENT) {
  const message = reportMissing('S3 POST policy vector', '1 S3 documentation');
  console.warn(message);
  describe('S3 POST policy example', () => {
    it.runIf(VECTORS_REQUIRED)('is present (required by SIGV4_REQUIRE_VECTORS=1)', () => {
      throw new Error(message);
    });
    it.skipIf(VECTORS_REQUIRED)('is absent: skipped (see the warning above)', () => {});
  });
}

describe.runIf(VECTORS_PRESENT)('s3-docs.json: s3-post-policy-browser-upload (Amazon S3 API Reference)', () => {
  interface Example {
    id: string;
    inputs: {
      access_key_id: string;
      secret_access_key: string;
      region: string;
      service: string;
      x_amz_date: string;
      bucket: string;
      policy_json: string;
      form_fields: [string, string][];
    };
    expected: { policy_base64: string; string_to_sign: string; signature: string };
    derived_by_collector: { signing_key_hex: string };
  }
  const doc = VECTORS_PRESENT
    ? (JSON.parse(read('s3-docs.json')) as { examples: Example[] }).examples.find(
        (e) => e.id === 's3-post-policy-browser-upload',
      )!
    : undefined;
  const e = doc!;
  const docCredentials = () => ({ accessKeyId: e.inputs.access_key_id, secretAccessKey: e.inputs.secret_access_key });
  const getCredentials = (id: string) =>
    id === e.inputs.access_key_id ? { secretAccessKey: e.inputs.secret_access_key } : undefined;

  it('its policy text has CRLF line endings and no final newline, as the documented base64 decodes', () => {
    expect(e.inputs.policy_json).toContain('\r\n');
    expect(e.inputs.policy_json.replace(/\r\n/g, '')).not.toContain('\n');
    expect(e.inputs.policy_json.endsWith('}')).toBe(true);
    expect(Buffer.from(e.expected.policy_base64, 'base64').toString('utf8')).toBe(e.inputs.policy_json);
  });

  it('signPostPolicy reproduces the policy base64, the string to sign and the signature byte for byte', async () => {
    const signed = await signPostPolicy({
      policy: e.inputs.policy_json,
      credentials: docCredentials(),
      region: e.inputs.region,
      service: e.inputs.service,
      signingDate: '2015-12-29T00:00:00Z',
      cache: false,
    });
    expect(signed).toEqual({
      policy: e.expected.policy_base64,
      signature: e.expected.signature,
      credential: 'AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request',
      credentialScope: '20151229/us-east-1/s3/aws4_request',
      amzDate: e.inputs.x_amz_date,
    });
    expect(signed.policy).toBe(e.expected.string_to_sign);
    expect(signed.signature).toBe('8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e');
    // The form's own credential and date fields are what was signed.
    expect(e.inputs.form_fields).toContainEqual(['X-Amz-Credential', signed.credential]);
    expect(e.inputs.form_fields).toContainEqual(['X-Amz-Date', signed.amzDate]);
  });

  it('the same from the policy bytes, and with the shared cache; with LF line endings the signature differs', async () => {
    const bytes = new TextEncoder().encode(e.inputs.policy_json);
    const options = { credentials: docCredentials(), region: 'us-east-1', signingDate: SIGNED_AT };
    expect((await signPostPolicy({ ...options, policy: bytes })).signature).toBe(e.expected.signature);
    expect((await signPostPolicy({ ...options, policy: e.inputs.policy_json })).signature).toBe(e.expected.signature);
    const lf = await signPostPolicy({ ...options, policy: e.inputs.policy_json.replace(/\r\n/g, '\n') });
    expect(lf.policy).not.toBe(e.expected.policy_base64);
    expect(lf.signature).not.toBe(e.expected.signature);
  });

  it('the signing key is the one the collector derived', async () => {
    const key = await deriveSigningKey(e.inputs.secret_access_key, '20151229', 'us-east-1', 's3');
    expect(Buffer.from(key).toString('hex')).toBe(e.derived_by_collector.signing_key_hex);
  });

  // The documented form, as a browser sends it: its fields, the policy and signature, and the file last.
  const docForm = (replace: Record<string, string> = {}, extra: [string, string][] = []): [string, string | Blob][] => [
    ...e.inputs.form_fields.map(([name, value]): [string, string] => [name, replace[name] ?? value]),
    ['Policy', e.expected.policy_base64],
    ['X-Amz-Signature', e.expected.signature],
    ...extra,
    ['file', new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10])], 'lolcatz.jpg', { type: 'image/jpeg' })],
  ];
  const verifyDoc = (form: [string, string | Blob][], options: Partial<VerifyPresignedPostOptions> = {}) =>
    verifyPresignedPost({
      form,
      bucket: e.inputs.bucket,
      region: 'us-east-1',
      getCredentials,
      now: Date.parse('2015-12-29T12:00:00Z'),
      ...options,
    });

  it('verifyPresignedPost accepts the documented form: the key gets the file name, every field is checked', async () => {
    const form = docForm();
    const verified = await verifyDoc(form);
    expect(verified.file).toBe(form.at(-1)![1]); // the file part itself
    expect(verified).toEqual({
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      credentialScope: '20151229/us-east-1/s3/aws4_request',
      region: 'us-east-1',
      service: 's3',
      signingDate: new Date(SIGNED_AT),
      amzDate: '20151229T000000Z',
      expiresAt: new Date('2015-12-30T12:00:00.000Z'),
      bucket: 'sigv4examplebucket',
      key: 'user/user1/lolcatz.jpg',
      fields: {
        key: 'user/user1/${filename}',
        acl: 'public-read',
        success_action_redirect: 'http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html',
        'content-type': 'image/jpeg',
        'x-amz-meta-uuid': '14365123651274',
        'x-amz-server-side-encryption': 'AES256',
        'x-amz-credential': 'AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request',
        'x-amz-algorithm': 'AWS4-HMAC-SHA256',
        'x-amz-date': '20151229T000000Z',
        'x-amz-meta-tag': '',
        policy: e.expected.policy_base64,
        'x-amz-signature': e.expected.signature,
      },
      file: form.at(-1)![1],
      fileSize: 6,
      fileName: 'lolcatz.jpg',
      contentLengthRange: undefined,
      sessionToken: undefined,
      policy: e.inputs.policy_json,
    });
  });

  it('and refuses it changed: expired, another content type, metadata or bucket, an extra field', async () => {
    expect(
      await expectCode(verifyDoc(docForm(), { now: Date.parse('2015-12-30T12:00:00.001Z') }), 'ERR_SIGV4_EXPIRED'),
    ).toBe('the policy expired at 2015-12-30T12:00:00.000Z; now is 2015-12-30T12:00:00.001Z');
    expect((await verifyDoc(docForm(), { now: Date.parse('2015-12-30T12:00:00.000Z') })).key).toBe(
      'user/user1/lolcatz.jpg',
    );
    expect(await expectCode(verifyDoc(docForm({ 'Content-Type': 'text/html' })), 'ERR_SIGV4_POLICY_CONDITION')).toBe(
      'the field "content-type" expected to start with the policy\'s value ["starts-with","$content-type","image/"], got "text/html"',
    );
    expect(await expectCode(verifyDoc(docForm({ 'x-amz-meta-uuid': '1' })), 'ERR_SIGV4_POLICY_CONDITION')).toBe(
      'the field "x-amz-meta-uuid" expected to equal the policy\'s value ["eq","$x-amz-meta-uuid","14365123651274"], got "1"',
    );
    expect(
      await expectCode(verifyDoc(docForm({ key: 'user/user2/${filename}' })), 'ERR_SIGV4_POLICY_CONDITION'),
    ).toContain('got "user/user2/lolcatz.jpg"');
    expect(await expectCode(verifyDoc(docForm(), { bucket: 'otherbucket' }), 'ERR_SIGV4_POLICY_CONDITION')).toBe(
      'the field "bucket" expected to equal the policy\'s value ["eq","$bucket","sigv4examplebucket"], got "otherbucket"',
    );
    expect(await expectCode(verifyDoc(docForm({}, [['x-amz-meta-extra', 'x']])), 'ERR_SIGV4_POLICY_CONDITION')).toBe(
      'the field "x-amz-meta-extra" expected to be named by a condition of the policy (every field but policy, x-amz-signature, file and x-ignore-* must be), got none',
    );
    // x-ignore-* fields are never checked; a list of image types passes starts-with "image/".
    expect(
      (await verifyDoc(docForm({ 'Content-Type': 'image/png, image/gif' }, [['x-ignore-note', 'anything']]))).fields[
        'x-ignore-note'
      ],
    ).toBe('anything');
    expect(
      await expectCode(verifyDoc(docForm({ 'Content-Type': 'image/png,text/html' })), 'ERR_SIGV4_POLICY_CONDITION'),
    ).toContain('got "image/png,text/html"');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// createPresignedPost

const base = {
  url: 'https://examplebucket.s3.us-east-1.amazonaws.com/',
  bucket: 'examplebucket',
  key: 'uploads/alice/${filename}',
  region: 'us-east-1',
  credentials,
  signingDate: SIGNED_AT + 789, // milliseconds are dropped, as in X-Amz-Date
  expiresIn: 600,
} satisfies PresignedPostOptions;

describe('createPresignedPost', () => {
  it('returns the form fields, the policy as signed and its signature (checked with node:crypto)', async () => {
    const post = await createPresignedPost({
      ...base,
      conditions: [
        ['content-length-range', 1, 10485760],
        ['starts-with', '$Content-Type', 'image/'],
        ['starts-with', '$x-amz-meta-title', ''],
      ],
      fields: {
        'Content-Type': 'image/jpeg',
        success_action_status: 201,
        'x-amz-meta-uuid': '14365123651274',
        acl: 'public-read',
      },
    });
    const policy =
      '{"expiration":"2015-12-29T00:10:00.000Z","conditions":[' +
      '{"bucket":"examplebucket"},["starts-with","$key","uploads/alice/"],' +
      '["content-length-range",1,10485760],["starts-with","$Content-Type","image/"],["starts-with","$x-amz-meta-title",""],' +
      '{"success_action_status":"201"},{"x-amz-meta-uuid":"14365123651274"},{"acl":"public-read"},' +
      `{"x-amz-algorithm":"AWS4-HMAC-SHA256"},{"x-amz-credential":"${CREDENTIAL}"},{"x-amz-date":"${AMZ_DATE}"}]}`;
    const policyBase64 = Buffer.from(policy, 'utf8').toString('base64');
    expect(post.policy).toBe(policy);
    expect(post.url).toBe('https://examplebucket.s3.us-east-1.amazonaws.com/');
    expect(post.fields).toEqual({
      'Content-Type': 'image/jpeg',
      success_action_status: '201',
      'x-amz-meta-uuid': '14365123651274',
      acl: 'public-read',
      key: 'uploads/alice/${filename}',
      'x-amz-algorithm': 'AWS4-HMAC-SHA256',
      'x-amz-credential': CREDENTIAL,
      'x-amz-date': AMZ_DATE,
      policy: policyBase64,
      'x-amz-signature': sign(policyBase64),
    });
    // In this order: the caller's fields, key, the signer's, policy and signature last (the file goes after them).
    expect(Object.keys(post.fields)).toEqual([
      'Content-Type',
      'success_action_status',
      'x-amz-meta-uuid',
      'acl',
      'key',
      'x-amz-algorithm',
      'x-amz-credential',
      'x-amz-date',
      'policy',
      'x-amz-signature',
    ]);
    expect(post.conditions).toEqual(JSON.parse(policy).conditions);
    expect(post.expiresAt).toEqual(new Date('2015-12-29T00:10:00.000Z'));
    expect(post.amzDate).toBe(AMZ_DATE);
    expect(post.credentialScope).toBe('20151229/us-east-1/s3/aws4_request');
    expect(post.stringToSign).toBe(policyBase64);
    expect(post.signature).toBe(sign(policyBase64));
  });

  it('exact key, keyStartsWith alone (the form sets key), both; temporary credentials add the token field and condition', async () => {
    const exact = await createPresignedPost({
      ...base,
      key: 'a b/ü+.txt',
      credentials: { ...credentials, sessionToken: TOKEN },
    });
    expect(exact.conditions).toEqual([
      { bucket: 'examplebucket' },
      { key: 'a b/ü+.txt' },
      { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
      { 'x-amz-credential': CREDENTIAL },
      { 'x-amz-date': AMZ_DATE },
      { 'x-amz-security-token': TOKEN },
    ]);
    expect(exact.fields['x-amz-security-token']).toBe(TOKEN);
    expect(exact.fields['key']).toBe('a b/ü+.txt');
    expect(exact.fields['x-amz-signature']).toBe(sign(Buffer.from(exact.policy, 'utf8').toString('base64')));

    const { key: _, ...noKey } = base;
    const prefix = await createPresignedPost({ ...noKey, keyStartsWith: 'user/bob/' });
    expect(prefix.conditions[1]).toEqual(['starts-with', '$key', 'user/bob/']);
    expect(prefix.fields['key']).toBeUndefined();
    const both = await createPresignedPost({ ...base, key: 'user/bob/${filename}', keyStartsWith: 'user/' });
    expect(both.conditions[1]).toEqual(['starts-with', '$key', 'user/']);
    expect(both.fields['key']).toBe('user/bob/${filename}');
    const anyKey = await createPresignedPost({ ...noKey, keyStartsWith: '' });
    expect(anyKey.conditions[1]).toEqual(['starts-with', '$key', '']);
    // ${filename} in the middle: the prefix is the text before it.
    expect((await createPresignedPost({ ...base, key: 'in/${filename}/x' })).conditions[1]).toEqual([
      'starts-with',
      '$key',
      'in/',
    ]);
  });

  it('endpoint + bucket makes a path-style URL; url without bucket has no bucket condition; service and cache', async () => {
    const { url: _, ...noUrl } = base;
    expect((await createPresignedPost({ ...noUrl, endpoint: 'http://127.0.0.1:9000' })).url).toBe(
      'http://127.0.0.1:9000/examplebucket',
    );
    expect((await createPresignedPost({ ...noUrl, endpoint: 'https://gateway.example/s3/' })).url).toBe(
      'https://gateway.example/s3/examplebucket',
    );
    const { bucket: __, ...noBucket } = base;
    const own = await createPresignedPost({ ...noBucket, url: new URL('https://uploads.example/post') });
    expect(own.url).toBe('https://uploads.example/post');
    expect(own.conditions[0]).toEqual(['starts-with', '$key', 'uploads/alice/']);
    const other = await createPresignedPost({ ...base, service: 'custom', region: 'eu-west-1' });
    expect(other.fields['x-amz-credential']).toBe(`${ACCESS}/20151229/eu-west-1/custom/aws4_request`);
    const cache = new SigningKeyCache(4);
    const cached = await createPresignedPost({ ...base, cache });
    expect(cache.size).toBe(1);
    expect((await createPresignedPost({ ...base, cache: false })).signature).toBe(cached.signature);
    expect((await createPresignedPost({ ...base, expiresIn: 604800 })).expiresAt).toEqual(
      new Date('2016-01-05T00:00:00.000Z'),
    );
  });

  it('a field with its own condition must satisfy it and gets no exact condition; x-ignore-* fields get none', async () => {
    const post = await createPresignedPost({
      ...base,
      conditions: [{ 'content-type': 'image/png' }, ['eq', '$Cache-Control', 'no-cache']],
      fields: { 'Content-Type': 'image/png', 'Cache-Control': 'no-cache', 'x-ignore-note': 'free text' },
    });
    expect(post.conditions.slice(2, 4)).toEqual([
      { 'content-type': 'image/png' },
      ['eq', '$Cache-Control', 'no-cache'],
    ]);
    expect(post.conditions).toHaveLength(7);
    expect(post.fields['x-ignore-note']).toBe('free text');
    expect(
      await expectMisuse(
        createPresignedPost({
          ...base,
          conditions: [['starts-with', '$Content-Type', 'image/']],
          fields: { 'content-type': 'text/html' },
        }),
      ),
    ).toBe(
      '"fields["content-type"]" expected a value that satisfies the condition ["starts-with","$content-type","image/"], got "text/html"',
    );
  });

  it('throws TypeError or RangeError before signing, naming what was expected and what was received', async () => {
    const cases: [
      Partial<Record<keyof PresignedPostOptions, unknown>>,
      string,
      (typeof TypeError | typeof RangeError)?,
    ][] = [
      [
        { credentials: undefined },
        '"credentials" expected an object { accessKeyId, secretAccessKey, sessionToken? }, got undefined',
      ],
      [
        { credentials: { accessKeyId: ACCESS, secretAccessKey: 42 } },
        '"credentials.secretAccessKey" expected a non-empty string, got a number',
      ],
      [{ region: 'us/east' }, '"region" expected visible ASCII without "/", "," or spaces, got "us/east"'],
      [{ expiresIn: 0 }, '"expiresIn" expected an integer 1..604800 (seconds), got 0', RangeError],
      [{ expiresIn: 604801 }, '"expiresIn" expected an integer 1..604800 (seconds), got 604801', RangeError],
      [
        { signingDate: '2015-02-30' },
        '"signingDate" expected a valid Date, epoch milliseconds or ISO 8601 string (2015-08-30T12:36:00Z) between 1970 and 9999, got "2015-02-30"',
        RangeError,
      ],
      [{ url: undefined }, '"url" expected the form action URL (or endpoint with bucket), got undefined'],
      [{ url: 'ftp://x/' }, '"url" expected an absolute http(s) URL, got "ftp://x/"'],
      [{ endpoint: 'http://127.0.0.1:9000' }, '"url" and "endpoint" expected one or the other, got both'],
      [
        { url: undefined, endpoint: 'http://127.0.0.1:9000?x=1' },
        '"endpoint" expected scheme://host[:port][/path] without a query, got "http://127.0.0.1:9000?x=1"',
      ],
      [
        { url: undefined, endpoint: 'http://h', bucket: undefined },
        '"bucket" expected a bucket name with endpoint, got undefined',
      ],
      [{ bucket: 'a/b' }, '"bucket" expected a bucket name (letters, digits, ".", "-", "_"), got "a/b"'],
      [{ key: undefined }, '"key" expected the object key (or keyStartsWith), got undefined'],
      [{ key: '' }, '"key" expected a non-empty string, got ""'],
      [{ key: 'a\nb' }, '"key" expected text without control characters (CR, LF, tab, NUL…), got "a\\nb"'],
      [{ key: 'a\uD800' }, '"key" expected well-formed Unicode, got a lone UTF-16 surrogate'],
      [
        { keyStartsWith: 'other/' },
        '"key" expected a key that starts with keyStartsWith "other/", got "uploads/alice/${filename}"',
      ],
      [{ conditions: {} }, '"conditions" expected an array of conditions, got an object (Object)'],
      [
        { conditions: [['content-length-range', 10, 1]] },
        '"conditions[0]" expected min ≤ max in ["content-length-range", min, max], got "[10, 1]"',
        RangeError,
      ],
      [
        { conditions: [['content-length-range', -1, 1]] },
        '"conditions[0]" expected ["content-length-range", min, max] with integers from 0 to 2^53 - 1, got an array',
      ],
      [
        { conditions: [['content-length-range', 0, 1.5]] },
        '"conditions[0]" expected ["content-length-range", min, max] with integers from 0 to 2^53 - 1, got an array',
      ],
      [
        {
          conditions: [
            ['content-length-range', 0, 1],
            ['content-length-range', 0, 2],
          ],
        },
        '"conditions[1]" expected one content-length-range condition in all, got a second',
      ],
      [
        { conditions: [['starts-with', 'Content-Type', 'a']] },
        '"conditions[0][1]" expected a field name with a "$" before it, such as "$Content-Type", got "Content-Type"',
      ],
      [
        { conditions: [['matches', '$acl', 'a']] },
        '"conditions[0][0]" expected "eq", "starts-with" or "content-length-range", got "matches"',
      ],
      [
        { conditions: [['eq', '$acl']] },
        '"conditions[0]" expected [operator, "$field", value] or ["content-length-range", min, max], got an array',
      ],
      [
        { conditions: [['starts-with', '$X-Amz-Date', '2015']] },
        '"conditions[0][1]" expected no "X-Amz-Date" field, which the signer sets',
      ],
      [
        { conditions: [['starts-with', '$x-amz-server-side-encryption', 1]] },
        '"conditions[0][2]" expected a string, got 1',
      ],
      [
        { conditions: [{ key: 'x' }] },
        '"conditions[0]" expected no "key" condition: use the key and keyStartsWith options',
      ],
      [{ conditions: [{ Bucket: 'x' }] }, '"conditions[0]" expected no "Bucket" condition: use the bucket option'],
      [
        { conditions: [{ acl: 'public-read', 'Content-Type': 'x' }] },
        '"conditions[0]" expected an object with exactly one field, such as { acl: "public-read" }, got an object (Object)',
      ],
      [
        { conditions: [{ acl: 'everyone' }] },
        '"conditions[0]["acl"]" expected a canned ACL (private, public-read, public-read-write, aws-exec-read, authenticated-read, bucket-owner-read, bucket-owner-full-control, log-delivery-write), got "everyone"',
      ],
      [
        { conditions: [{ foo: 'bar' }] },
        '"conditions[0]" expected a POST form field (acl, Cache-Control, Content-Type, Content-Disposition, Content-Encoding, Expires, success_action_redirect, redirect, success_action_status, tagging, x-amz-meta-*, x-amz-*), got "foo"',
      ],
      [
        { conditions: [null] },
        '"conditions[0]" expected { field: value }, [operator, "$field", value] or ["content-length-range", min, max], got null',
      ],
      [{ fields: { policy: 'x' } }, '"fields" expected no "policy" field, which the signer sets'],
      [{ fields: { file: 'x' } }, '"fields" expected no "file" field, which the form appends last'],
      [{ fields: { Key: 'x' } }, '"fields" expected no "Key" field: use the key and keyStartsWith options'],
      [
        { fields: { 'x-amz-meta-a': 'x', 'X-Amz-Meta-A': 'y' } },
        '"fields" expected each field once, got "X-Amz-Meta-A" twice (names are case-insensitive)',
      ],
      [
        { fields: { success_action_status: 302 } },
        '"fields["success_action_status"]" expected "200", "201" or "204", got "302"',
      ],
      [
        { fields: { success_action_redirect: '/done' } },
        '"fields["success_action_redirect"]" expected an absolute http(s) URL, got "/done"',
      ],
      [{ fields: { 'x-amz-meta-a': ['x'] } }, '"fields["x-amz-meta-a"]" expected a string, got an array'],
      [{ fields: [['acl', 'private']] }, '"fields" expected an object of form fields { name: value }, got an array'],
      [{ cache: new Map() }, '"cache" expected a SigningKeyCache or false, got an object (Map)'],
    ];
    for (const [change, message, type] of cases) {
      expect(
        await expectMisuse(createPresignedPost({ ...base, ...change } as PresignedPostOptions), type),
        JSON.stringify(change),
      ).toBe(message);
    }
    expect(await expectMisuse(createPresignedPost(null as unknown as PresignedPostOptions))).toBe(
      '"options" expected an object, got null',
    );
    expect(await expectMisuse(createPresignedPost({ ...base, conditions: [['starts-with', '$bucket', 'x']] }))).toBe(
      '"conditions[0][1]" expected no "bucket" condition: use the bucket option',
    );
    expect(
      await expectMisuse(
        createPresignedPost({ ...base, conditions: [['starts-with', '$x-amz-security-token' as '$x-amz-x', '']] }),
      ),
    ).toBe('"conditions[0][1]" expected no "x-amz-security-token" field, which the signer sets');
    expect(
      await expectMisuse(
        createPresignedPost({ ...base, signingDate: '9999-12-31T00:00:00Z', expiresIn: 86400 }),
        RangeError,
      ),
    ).toBe('"expiresIn" expected an expiration before the year 10000, got 86400');
  });
});

describe('signPostPolicy', () => {
  it('signs the text as given, and refuses what is not a policy, before any crypto', async () => {
    const signed = await signPostPolicy({
      policy: '{"a":1}\r\n',
      credentials,
      region: 'us-east-1',
      signingDate: SIGNED_AT,
    });
    expect(signed.policy).toBe(Buffer.from('{"a":1}\r\n').toString('base64'));
    expect(signed.signature).toBe(sign(signed.policy));
    expect(await expectMisuse(signPostPolicy({ policy: '', credentials, region: 'us-east-1' }))).toBe(
      '"policy" expected the policy as non-empty JSON text or bytes, got ""',
    );
    expect(await expectMisuse(signPostPolicy({ policy: {} as string, credentials, region: 'us-east-1' }))).toBe(
      '"policy" expected the policy as non-empty JSON text or bytes (Uint8Array), got an object (Object)',
    );
    expect(
      await expectMisuse(
        signPostPolicy({
          policy: '{}',
          credentials: { accessKeyId: ACCESS, secretAccessKey: '' },
          region: 'us-east-1',
        }),
      ),
    ).toBe('"credentials.secretAccessKey" expected a non-empty string, got an empty string');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// verifyPresignedPost

/** A form signed with node:crypto over any policy document (object or raw text) and any fields. */
function rawForm(
  policy: unknown,
  fields: Record<string, string> = {},
  options: { secret?: string; file?: string | Blob | null; after?: [string, string][]; omit?: string[] } = {},
): [string, string | Blob][] {
  const text = typeof policy === 'string' ? policy : JSON.stringify(policy);
  const policyBase64 = Buffer.from(text, 'utf8').toString('base64');
  const all: Record<string, string> = {
    key: 'uploads/a.txt',
    'x-amz-algorithm': 'AWS4-HMAC-SHA256',
    'x-amz-credential': CREDENTIAL,
    'x-amz-date': AMZ_DATE,
    policy: policyBase64,
    'x-amz-signature': sign(policyBase64, options.secret),
    ...fields,
  };
  for (const name of options.omit ?? []) delete all[name];
  const form: [string, string | Blob][] = Object.entries(all);
  if (options.file !== null) form.push(['file', options.file ?? new File(['hello'], 'a.txt')]);
  form.push(...(options.after ?? []));
  return form;
}

const SIGNER_CONDITIONS = [
  { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
  { 'x-amz-credential': CREDENTIAL },
  { 'x-amz-date': AMZ_DATE },
];
const policyOf = (...conditions: unknown[]) => ({
  expiration: '2015-12-29T01:00:00.000Z',
  conditions: [{ key: 'uploads/a.txt' }, ...SIGNER_CONDITIONS, ...conditions],
});
const keys = new Map([[ACCESS, { secretAccessKey: SECRET }]]);
const verifyBase = { region: 'us-east-1', getCredentials: (id: string) => keys.get(id), now: SIGNED_AT } satisfies Omit<
  VerifyPresignedPostOptions,
  'form'
>;
const verify = (form: VerifyPresignedPostOptions['form'], options: Partial<VerifyPresignedPostOptions> = {}) =>
  verifyPresignedPost({ ...verifyBase, form, ...options });

describe('verifyPresignedPost: round trip with createPresignedPost', () => {
  it('takes a FormData, pairs or an object; fields case-insensitive; the file from the form or by size', async () => {
    const post = await createPresignedPost({
      ...base,
      credentials: { ...credentials, sessionToken: TOKEN },
      conditions: [
        ['content-length-range', 5, 5],
        ['starts-with', '$Content-Type', 'text/'],
      ],
      fields: { 'Content-Type': 'text/plain', 'x-amz-meta-title': 'ü' },
    });
    const tokenKeys = (id: string) => (id === ACCESS ? { secretAccessKey: SECRET, sessionToken: TOKEN } : undefined);
    const formData = new FormData();
    for (const [name, value] of Object.entries(post.fields)) formData.append(name, value);
    formData.append('file', new Blob(['hello'], { type: 'text/plain' }), 'notes.txt');
    const verified = await verify(formData, { getCredentials: tokenKeys, bucket: 'examplebucket' });
    expect(verified).toMatchObject({
      accessKeyId: ACCESS,
      key: 'uploads/alice/notes.txt',
      bucket: 'examplebucket',
      fileSize: 5,
      fileName: 'notes.txt',
      contentLengthRange: { min: 5, max: 5 },
      sessionToken: TOKEN,
      expiresAt: new Date('2015-12-29T00:10:00.000Z'),
      policy: post.policy,
    });
    expect(verified.fields['content-type']).toBe('text/plain');
    expect(verified.fields['x-amz-meta-title']).toBe('ü');

    // Upper-cased names, as pairs; the file given by size and name (a server that streams it).
    const pairs = Object.entries(post.fields).map(([name, value]) => [name.toUpperCase(), value] as const);
    const streamed = await verify(pairs, {
      getCredentials: tokenKeys,
      bucket: 'examplebucket',
      fileSize: 5,
      fileName: 'x.txt',
    });
    expect(streamed.key).toBe('uploads/alice/x.txt');
    // A plain object, the file as text; fileSize null skips the size (the range is returned to enforce).
    const object = { ...post.fields, file: 'hello' };
    expect((await verify(object, { getCredentials: tokenKeys, bucket: 'examplebucket', fileName: 'y' })).fileSize).toBe(
      5,
    );
    const unknownSize = await verify(post.fields, {
      getCredentials: tokenKeys,
      bucket: 'examplebucket',
      fileSize: null,
      fileName: 'z',
    });
    expect(unknownSize).toMatchObject({ fileSize: null, contentLengthRange: { min: 5, max: 5 } });
    // The bucket may come from a bucket field instead of the option.
    expect(
      (
        await verify(
          { ...post.fields, bucket: 'examplebucket', file: 'hello' },
          { getCredentials: tokenKeys, fileName: 'b' },
        )
      ).bucket,
    ).toBe('examplebucket');
  });
});

describe('verifyPresignedPost: each failure, with its code', () => {
  it('MALFORMED: missing fields, the file not last, duplicates, a file in a text field, too much text, bad base64, no file', async () => {
    const policy = policyOf();
    expect(await expectCode(verify(rawForm(policy, {}, { omit: ['policy', 'key'] })), 'ERR_SIGV4_MALFORMED')).toBe(
      'the form expected the fields policy, key, got none (is it a presigned POST?)',
    );
    expect(await expectCode(verify(rawForm(policy, {}, { after: [['acl', 'private']] })), 'ERR_SIGV4_MALFORMED')).toBe(
      'the form expected the file last, got the field "acl" after it',
    );
    expect(
      await expectCode(
        verify([...rawForm(policy, {}, { file: null }), ['KEY', 'b'], ['file', 'x']]),
        'ERR_SIGV4_MALFORMED',
      ),
    ).toBe('the form expected one "KEY" field, got more than one (names are case-insensitive)');
    expect(
      await expectCode(
        verify(rawForm(policy, {}, { after: [] }).map(([n, v]) => [n, n === 'key' ? new Blob(['k']) : v])),
        'ERR_SIGV4_MALFORMED',
      ),
    ).toBe('the field "key" expected text, got a file (the file goes in the "file" field)');
    expect(
      await expectCode(
        verify(rawForm(policy, { 'x-ignore-pad': 'x'.repeat(MAX_POST_FIELDS_LENGTH) })),
        'ERR_SIGV4_MALFORMED',
      ),
    ).toBe('the fields before the file expected at most 20480 characters in all, got more');
    expect(await expectCode(verify(rawForm(policy, { policy: 'e30' })), 'ERR_SIGV4_MALFORMED')).toBe(
      'the policy field expected base64 (RFC 4648, padded), got 3 characters of another form',
    );
    expect(await expectCode(verify(rawForm(policy, {}, { file: null })), 'ERR_SIGV4_MALFORMED')).toBe(
      'the form expected a "file" field, got none (pass fileSize when the file is not in the form)',
    );
    const named = policyOf(['starts-with', '$key', 'uploads/']);
    expect(
      await expectCode(
        verify(rawForm(named, { key: 'uploads/${filename}' }, { file: new Blob(['x']) })),
        'ERR_SIGV4_MALFORMED',
      ),
    ).toBe('the key holds ${filename}, but the file has no name');
  });

  it('ALGORITHM, DATE, CREDENTIAL, SCOPE, REGION, SERVICE, NOT_YET_VALID, with a valid signature', async () => {
    const policy = policyOf();
    expect(
      await expectCode(verify(rawForm(policy, { 'x-amz-algorithm': 'AWS4-HMAC-SHA1' })), 'ERR_SIGV4_ALGORITHM'),
    ).toBe('the algorithm expected "AWS4-HMAC-SHA256", got "AWS4-HMAC-SHA1"');
    expect(await expectCode(verify(rawForm(policy, { 'x-amz-date': '2015-12-29' })), 'ERR_SIGV4_DATE')).toBe(
      "x-amz-date expected a date of the form YYYYMMDD'T'HHMMSS'Z', got \"2015-12-29\"",
    );
    expect(await expectCode(verify(rawForm(policy, { 'x-amz-credential': 'nope' })), 'ERR_SIGV4_CREDENTIAL')).toContain(
      'x-amz-credential expected',
    );
    expect(
      await expectCode(
        verify(rawForm(policy, { 'x-amz-credential': `${ACCESS}/20151230/us-east-1/s3/aws4_request` })),
        'ERR_SIGV4_SCOPE',
      ),
    ).toBe('the credential scope date expected the signing date 20151229, got "20151230"');
    expect(await expectCode(verify(rawForm(policy), { region: ['eu-west-1', 'eu-north-1'] }), 'ERR_SIGV4_REGION')).toBe(
      'the credential scope region expected "eu-west-1" or "eu-north-1", got "us-east-1"',
    );
    expect(await expectCode(verify(rawForm(policy), { service: 'custom' }), 'ERR_SIGV4_SERVICE')).toBe(
      'the credential scope service expected "custom", got "s3"',
    );
    expect(await expectCode(verify(rawForm(policy), { now: SIGNED_AT - 900_001 }), 'ERR_SIGV4_NOT_YET_VALID')).toBe(
      'the form is dated 2015-12-29T00:00:00.000Z, more than 900 s after now (2015-12-28T23:44:59.999Z)',
    );
    expect((await verify(rawForm(policy), { now: SIGNED_AT - 900_000 })).key).toBe('uploads/a.txt');
    expect(await expectCode(verify(rawForm(policy, { 'x-amz-signature': 'ABC' })), 'ERR_SIGV4_MALFORMED')).toBe(
      'x-amz-signature expected 64 lowercase hex digits, got 3 characters of another form',
    );
  });

  it('UNKNOWN_ACCESS_KEY, SIGNATURE_MISMATCH (another secret, another policy), SESSION_TOKEN', async () => {
    const policy = policyOf();
    expect(
      await expectCode(verify(rawForm(policy), { getCredentials: () => undefined }), 'ERR_SIGV4_UNKNOWN_ACCESS_KEY'),
    ).toBe('the access key id "AKIDPOSTEXAMPLE" is unknown');
    expect(
      await expectCode(verify(rawForm(policy, {}, { secret: 'another secret' })), 'ERR_SIGV4_SIGNATURE_MISMATCH'),
    ).toBe(
      'the signature does not match the policy (check the secret and that the policy field reached the server unchanged)',
    );
    const other = Buffer.from(JSON.stringify(policyOf({ acl: 'private' }))).toString('base64');
    await expectCode(verify(rawForm(policy, { policy: other })), 'ERR_SIGV4_SIGNATURE_MISMATCH');
    const withToken = (id: string) => (id === ACCESS ? { secretAccessKey: SECRET, sessionToken: TOKEN } : undefined);
    expect(await expectCode(verify(rawForm(policy), { getCredentials: withToken }), 'ERR_SIGV4_SESSION_TOKEN')).toBe(
      'the form expected the session token of its temporary credentials, got none',
    );
    const tokenPolicy = policyOf({ 'x-amz-security-token': TOKEN });
    expect(
      await expectCode(verify(rawForm(tokenPolicy, { 'x-amz-security-token': TOKEN })), 'ERR_SIGV4_SESSION_TOKEN'),
    ).toBe('the form carries a session token, but its credentials have none');
    expect(
      await expectCode(
        verify(rawForm(tokenPolicy, { 'x-amz-security-token': `${TOKEN}x` }), { getCredentials: withToken }),
        'ERR_SIGV4_SESSION_TOKEN',
      ),
    ).toBe('the session token does not match the credentials');
    expect(
      (await verify(rawForm(tokenPolicy, { 'x-amz-security-token': TOKEN }), { getCredentials: withToken }))
        .sessionToken,
    ).toBe(TOKEN);
  });

  it('POLICY: signed, but not a policy (bytes, JSON, expiration, conditions)', async () => {
    const cases: [unknown, string][] = [
      ['not json', 'the policy expected base64 of UTF-8 JSON, got other bytes'],
      ['[1]', 'the policy expected a JSON object { expiration, conditions }'],
      [
        { conditions: [] },
        'the policy\'s expiration expected an ISO 8601 UTC date such as "2015-12-30T12:00:00.000Z", got undefined',
      ],
      [
        { expiration: '2015-12-29T01:00:00+01:00', conditions: [] },
        'the policy\'s expiration expected an ISO 8601 UTC date such as "2015-12-30T12:00:00.000Z", got "2015-12-29T01:00:00+01:00"',
      ],
      [
        { expiration: '2015-02-30T01:00:00Z', conditions: [] },
        'the policy\'s expiration expected an ISO 8601 UTC date such as "2015-12-30T12:00:00.000Z", got "2015-02-30T01:00:00Z"',
      ],
      [
        { expiration: '2015-12-29T01:00:00Z', conditions: {} },
        'the policy expected an array of conditions, got an object (Object)',
      ],
      [
        policyOf(['starts-with', '$bucket', 'a']),
        'the policy\'s condition 4 expected an exact condition on "bucket", which S3 does not match by starts-with, got "[\\"starts-with\\",\\"$bucket\\",\\"a\\"]"',
      ],
      [
        policyOf(['content-length-range', 2, 1]),
        'the policy\'s condition 4 expected ["content-length-range", min, max] with integers 0 ≤ min ≤ max, got "[\\"content-length-range\\",2,1]"',
      ],
      [
        policyOf(['in', '$acl', 'a']),
        'the policy\'s condition 4 expected the operator "eq", "starts-with" or "content-length-range", got "[\\"in\\",\\"$acl\\",\\"a\\"]"',
      ],
      [
        policyOf(['eq', 'acl', 'a']),
        'the policy\'s condition 4 expected [operator, "$field", "value"], got "[\\"eq\\",\\"acl\\",\\"a\\"]"',
      ],
      [
        policyOf({ acl: 1 }),
        'the policy\'s condition 4 expected { "field": "value" } with a string value, got "{\\"acl\\":1}"',
      ],
      [policyOf({}), 'the policy\'s condition 4 expected { "field": "value" }, got "{}"'],
      [policyOf(7), 'the policy\'s condition 4 expected { "field": "value" } or an array, got "7"'],
    ];
    for (const [policy, message] of cases)
      expect(await expectCode(verify(rawForm(policy)), 'ERR_SIGV4_POLICY'), JSON.stringify(policy)).toBe(message);
    // Invalid UTF-8, validly signed.
    const bytes = Buffer.from([0x7b, 0xff, 0x7d]).toString('base64');
    expect(
      await expectCode(verify(rawForm('', { policy: bytes, 'x-amz-signature': sign(bytes) })), 'ERR_SIGV4_POLICY'),
    ).toBe('the policy expected base64 of UTF-8 JSON, got other bytes');
    // Without milliseconds, and with more digits than Date keeps, an expiration is read to the millisecond.
    const late = { ...policyOf(), expiration: '2015-12-29T00:00:00.0019Z' };
    expect((await verify(rawForm(late), { now: SIGNED_AT + 1 })).expiresAt).toEqual(new Date(SIGNED_AT + 1));
    await expectCode(verify(rawForm(late), { now: SIGNED_AT + 2 }), 'ERR_SIGV4_EXPIRED');
  });

  it('POLICY_CONDITION: exact, starts-with, a field the policy does not name, a bucket not known', async () => {
    const policy = policyOf({ acl: 'private' }, ['starts-with', '$x-amz-meta-tag', 'a'], { bucket: 'b1' });
    const ok = { acl: 'private', 'x-amz-meta-tag': 'abc' };
    expect((await verify(rawForm(policy, ok), { bucket: 'b1' })).fields['acl']).toBe('private');
    expect(
      await expectCode(
        verify(rawForm(policy, { ...ok, acl: 'public-read' }), { bucket: 'b1' }),
        'ERR_SIGV4_POLICY_CONDITION',
      ),
    ).toBe('the field "acl" expected to equal the policy\'s value ["eq","$acl","private"], got "public-read"');
    expect(
      await expectCode(verify(rawForm(policy, { acl: 'private' }), { bucket: 'b1' }), 'ERR_SIGV4_POLICY_CONDITION'),
    ).toBe(
      'the field "x-amz-meta-tag" expected to start with the policy\'s value ["starts-with","$x-amz-meta-tag","a"], got no such field',
    );
    expect(await expectCode(verify(rawForm(policy, ok)), 'ERR_SIGV4_POLICY_CONDITION')).toBe(
      'the policy expected the bucket "b1", and the bucket posted to is not known (pass the bucket option)',
    );
    expect(
      await expectCode(
        verify(rawForm(policy, { ...ok, bucket: 'b2' }), { bucket: 'b1' }),
        'ERR_SIGV4_POLICY_CONDITION',
      ),
    ).toBe('the bucket field expected the bucket posted to, "b1", got "b2"');
    expect(
      await expectCode(verify(rawForm(policyOf(), { 'Content-Type': 'text/plain' })), 'ERR_SIGV4_POLICY_CONDITION'),
    ).toContain('the field "content-type" expected to be named');
    // A signer's field the policy leaves out is a field like any other: not named, refused.
    const noDate = {
      expiration: '2015-12-29T01:00:00.000Z',
      conditions: [{ key: 'uploads/a.txt' }, ...SIGNER_CONDITIONS.slice(0, 2)],
    };
    expect(await expectCode(verify(rawForm(noDate)), 'ERR_SIGV4_POLICY_CONDITION')).toContain(
      'the field "x-amz-date" expected to be named',
    );
    // The token is never echoed.
    const tokenPolicy = policyOf({ 'x-amz-security-token': 'another' });
    const withToken = (id: string) => (id === ACCESS ? { secretAccessKey: SECRET, sessionToken: TOKEN } : undefined);
    expect(
      await expectCode(
        verify(rawForm(tokenPolicy, { 'x-amz-security-token': TOKEN }), { getCredentials: withToken }),
        'ERR_SIGV4_POLICY_CONDITION',
      ),
    ).toBe(
      'the field "x-amz-security-token" expected to equal the policy\'s value ["eq","$x-amz-security-token","another"], got another value',
    );
  });

  it('ENTITY_TOO_SMALL / ENTITY_TOO_LARGE at the edges of content-length-range (ranges intersect; string bounds read)', async () => {
    const policy = policyOf(['content-length-range', 2, '4']);
    const sized = (n: number) => rawForm(policy, {}, { file: new File(['x'.repeat(n)], 'a.txt') });
    expect(await expectCode(verify(sized(1)), 'ERR_SIGV4_ENTITY_TOO_SMALL')).toBe(
      'the file expected at least 2 bytes (content-length-range), got 1',
    );
    expect((await verify(sized(2))).fileSize).toBe(2);
    expect((await verify(sized(4))).contentLengthRange).toEqual({ min: 2, max: 4 });
    expect(await expectCode(verify(sized(5)), 'ERR_SIGV4_ENTITY_TOO_LARGE')).toBe(
      'the file expected at most 4 bytes (content-length-range), got 5',
    );
    const two = policyOf(['content-length-range', 0, 10], ['content-length-range', 3, 20]);
    expect(await expectCode(verify(rawForm(two, {}, { file: 'ab' })), 'ERR_SIGV4_ENTITY_TOO_SMALL')).toBe(
      'the file expected at least 3 bytes (content-length-range), got 2',
    );
    expect(
      await expectCode(verify(rawForm(two, {}, { file: null }), { fileSize: 11 }), 'ERR_SIGV4_ENTITY_TOO_LARGE'),
    ).toBe('the file expected at most 10 bytes (content-length-range), got 11');
    // Text in the file field is counted in UTF-8 bytes.
    expect(await expectCode(verify(rawForm(policy, {}, { file: 'üüü' })), 'ERR_SIGV4_ENTITY_TOO_LARGE')).toContain(
      'got 6',
    );
  });

  it('invalid options are TypeError or RangeError', async () => {
    const form = rawForm(policyOf());
    const cases: [
      Partial<Record<keyof VerifyPresignedPostOptions, unknown>>,
      string,
      (typeof TypeError | typeof RangeError)?,
    ][] = [
      [{ form: 'x' }, '"form" expected the form received: a FormData, [name, value] pairs or an object, got "x"'],
      [{ fileSize: '5' }, '"fileSize" expected a number of bytes, or null, got "5"'],
      [{ fileSize: -1 }, '"fileSize" expected an integer number of bytes from 0, got -1', RangeError],
      [{ fileSize: 4 }, '"fileSize" expected the size of the form\'s file (5 bytes), got 4', RangeError],
      [{ fileName: 1 }, '"fileName" expected a string, got 1'],
      [{ bucket: '' }, '"bucket" expected a non-empty string, got ""'],
      [
        { getCredentials: undefined },
        '"getCredentials" expected a function (accessKeyId) => credentials | undefined, got undefined',
      ],
      [{ region: [] }, '"region" expected a non-empty string or array of non-empty strings, got an array'],
      [{ service: '' }, '"service" expected a non-empty string or array of non-empty strings, got ""'],
      [{ now: 'today' }, '"now" expected a Date or epoch milliseconds, got "today"'],
      [{ clockSkew: -1 }, '"clockSkew" expected seconds from 0 to 604800, got -1', RangeError],
      [{ cache: {} }, '"cache" expected a SigningKeyCache or false, got an object (Object)'],
    ];
    for (const [change, message, type] of cases) {
      expect(
        await expectMisuse(verifyPresignedPost({ ...verifyBase, form, ...change } as VerifyPresignedPostOptions), type),
        JSON.stringify(change),
      ).toBe(message);
    }
    expect(await expectMisuse(verify([['key']] as unknown as [string, string][]))).toBe(
      '"form" expected [name, value] pairs, got an array',
    );
    expect(await expectMisuse(verify({ key: 1 } as unknown as Record<string, string>))).toBe(
      '"form["key"]" expected a string, or a File or Blob for "file", got 1',
    );
  });
});

describe('verifyPresignedPost: the file part checked is the file part returned', () => {
  const policy = policyOf(['content-length-range', 1, 10]);
  const small = new File(['small'], 'small.txt');
  const huge = new File(['x'.repeat(1000)], 'huge.txt');

  it('returns the part whose size was checked, whatever the case of its name', async () => {
    for (const name of ['file', 'File', 'FILE']) {
      const form = rawForm(policy, {}, { file: null });
      form.push([name, small]);
      const verified = await verify(form);
      expect(verified.file, name).toBe(small); // the very part checked, not a copy
      expect(verified.fileSize).toBe(5);
      // With a FormData, form.get('file') (case-sensitive) finds nothing when the part was named "File":
      // verified.file is the one to store.
      const formData = new FormData();
      for (const [n, v] of form) formData.append(n, v);
      const fromFormData = await verify(formData);
      expect(await (fromFormData.file as Blob).text()).toBe('small');
      expect(formData.get('file') === null).toBe(name !== 'file');
    }
    // Text in the file field is the part too; no file in the form (fileSize given): undefined.
    expect((await verify(rawForm(policy, {}, { file: 'hello' }))).file).toBe('hello');
    expect((await verify(rawForm(policy, {}, { file: null }), { fileSize: 3 })).file).toBeUndefined();
  });

  it('refuses two file parts, in any case and either order (the size checked and the bytes stored could differ)', async () => {
    for (const [first, second] of [
      ['File', 'file'],
      ['file', 'File'],
      ['file', 'FILE'],
      ['file', 'file'],
    ] as const) {
      for (const [a, b] of [
        [small, huge],
        [huge, small],
      ] as const) {
        const form = rawForm(policy, {}, { file: null });
        form.push([first, a], [second, b]);
        expect(await expectCode(verify(form), 'ERR_SIGV4_MALFORMED'), `${first} then ${second}`).toBe(
          `the form expected one "${second}" field, got more than one (names are case-insensitive)`,
        );
        const formData = new FormData();
        for (const [n, v] of form) formData.append(n, v);
        await expectCode(verify(formData), 'ERR_SIGV4_MALFORMED');
      }
    }
    // As an object (the two names differ only in case).
    expect(
      await expectCode(
        verify({ ...Object.fromEntries(rawForm(policy, {}, { file: null })), File: small, file: huge }),
        'ERR_SIGV4_MALFORMED',
      ),
    ).toBe('the form expected one "file" field, got more than one (names are case-insensitive)');
  });
});
