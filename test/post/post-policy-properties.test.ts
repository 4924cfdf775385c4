// Properties of presigned POST, with fast-check (pinned runs and seed):
// - createPresignedPost → verifyPresignedPost round trip over arbitrary keys, file names, metadata, content types,
//   size ranges, signing times and session tokens;
// - any field changed by one character, renamed, added, or a file of another size or name, is accepted exactly
//   when an independent model of the policy's conditions (written here, not taken from src/) says the form still
//   satisfies them: zero false accepts, zero false rejects;
// - garbage forms, and garbage policies signed validly, never throw anything but a SigV4Error, and never take long.
// (base64 is checked with the core, in test/core/base64.test.ts.)

import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createPresignedPost,
  isSigV4Error,
  verifyPresignedPost,
  type PostPolicyCondition,
  type PresignedPost,
} from '../../src/index.js';
import { hmacHex, signingKey } from '../support/reference.js';

const SEED = 20151229;
const ACCESS = 'AKIDPOSTPROPERTIES';
const SECRET = 'properties/Secret+Key=EXAMPLE';
const TOKEN = 'FwoGZXIvYXdzEBYaDH+token/EXAMPLE==';
const WITH_TOKEN = 'AKIDWITHTOKEN';
const keys = new Map([
  [ACCESS, { secretAccessKey: SECRET }],
  [WITH_TOKEN, { secretAccessKey: SECRET, sessionToken: TOKEN }],
]);
const getCredentials = (id: string) => keys.get(id);

// ---- Arbitraries ----
// Text a form field may hold: any graphemes but control characters (which the signer refuses).
const text = (min: number, max: number) =>
  fc.string({ unit: 'grapheme', minLength: min, maxLength: max }).filter((s) => !/[\x00-\x1f\x7f]/.test(s));
const fileName = text(1, 12);
const keyMode = fc.constantFrom('exact', 'filename', 'prefix');
const metaName = fc.stringMatching(/^x-amz-meta-[a-z0-9]{1,6}$/);
const meta = fc.dictionary(metaName, fc.tuple(text(0, 10), fc.nat({ max: 10 })), { maxKeys: 3 }); // value, and how much of it a starts-with keeps
const contentType = fc.option(
  fc.tuple(
    fc.constantFrom('image/png', 'image/jpeg', 'text/plain', 'application/json', 'image/png, image/gif'),
    fc.boolean(),
  ),
  { nil: undefined },
);
const range = fc.option(
  fc.tuple(fc.nat({ max: 40 }), fc.nat({ max: 40 })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const),
  { nil: undefined },
);
const inputs = fc.record({
  key: text(1, 16),
  keyMode,
  fileName,
  meta,
  contentType,
  range,
  sizeOffset: fc.nat({ max: 40 }),
  token: fc.boolean(),
  signingDate: fc.integer({ min: 0, max: Date.UTC(9000, 0, 1) }),
  expiresIn: fc.integer({ min: 1, max: 604800 }),
  nowFraction: fc.double({ min: 0, max: 1, noNaN: true }),
});
type Inputs = typeof inputs extends fc.Arbitrary<infer T> ? T : never;

interface Made {
  post: PresignedPost;
  form: [string, string | Blob][];
  fileName: string;
  size: number;
  now: number;
  expectedKey: string;
}

/** Creates a presigned POST from the inputs and the form a browser would send for it. */
async function make(i: Inputs): Promise<Made> {
  const conditions: PostPolicyCondition[] = [];
  const fields: Record<string, string> = {};
  for (const [name, [value, keep]] of Object.entries(i.meta)) {
    fields[name] = value;
    if (keep % 3 === 0)
      conditions.push(['starts-with', `$${name}` as `$x-amz-meta-${string}`, [...value].slice(0, keep).join('')]);
  }
  if (i.contentType) {
    fields['Content-Type'] = i.contentType[0];
    if (i.contentType[1]) conditions.push(['starts-with', '$Content-Type', i.contentType[0].slice(0, 6)]);
  }
  if (i.range) conditions.push(['content-length-range', i.range[0], i.range[1]]);
  const size = i.range ? i.range[0] + (i.sizeOffset % (i.range[1] - i.range[0] + 1)) : i.sizeOffset;
  const key = i.keyMode === 'filename' ? `${i.key}/\${filename}` : i.key;
  const post = await createPresignedPost({
    url: 'https://bucket.s3.us-east-1.amazonaws.com/',
    bucket: 'bucket',
    ...(i.keyMode === 'prefix' ? { keyStartsWith: [...i.key].slice(0, 3).join('') } : {}),
    key,
    conditions,
    fields,
    region: 'us-east-1',
    credentials: {
      accessKeyId: i.token ? WITH_TOKEN : ACCESS,
      secretAccessKey: SECRET,
      ...(i.token ? { sessionToken: TOKEN } : {}),
    },
    signingDate: i.signingDate,
    expiresIn: i.expiresIn,
  });
  const signedAt = Math.floor(i.signingDate / 1000) * 1000;
  const now = signedAt + Math.floor(i.nowFraction * (post.expiresAt.getTime() - signedAt));
  const form: [string, string | Blob][] = [
    ...Object.entries(post.fields),
    ['file', new File([new Uint8Array(size)], i.fileName)],
  ];
  return { post, form, fileName: i.fileName, size, now, expectedKey: key.replaceAll('${filename}', i.fileName) };
}

const verify = (form: [string, string | Blob][], now: number) =>
  verifyPresignedPost({ form, bucket: 'bucket', region: 'us-east-1', getCredentials, now });

/** 'ok', or the SigV4Error's code. Anything else thrown fails the property. */
async function outcome(form: [string, string | Blob][], now: number): Promise<string> {
  try {
    await verify(form, now);
    return 'ok';
  } catch (error) {
    if (isSigV4Error(error)) return error.code;
    throw error;
  }
}

// ---- The model: whether a form satisfies a policy, from AWS's documented rules, written independently ----
const SIGNER = new Set([
  'policy',
  'x-amz-signature',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-security-token',
]);
const EXEMPT = (name: string) =>
  name === 'policy' || name === 'x-amz-signature' || name === 'file' || name.startsWith('x-ignore-');

/** The conditions as [op, lowercase field, value] and the size range. */
function conditionsOf(post: PresignedPost): { checks: [string, string, string][]; min: number; max: number } {
  const checks: [string, string, string][] = [];
  let min = 0;
  let max = Infinity;
  for (const c of post.conditions) {
    if (Array.isArray(c)) {
      if (c[0] === 'content-length-range') [min, max] = [c[1] as number, c[2] as number];
      else checks.push([c[0] as string, (c[1] as string).slice(1).toLowerCase(), c[2] as string]);
    } else {
      for (const [name, value] of Object.entries(c)) checks.push(['eq', name.toLowerCase(), value as string]);
    }
  }
  return { checks, min, max };
}

/** The model's verdict on a form that kept the signer's fields intact: does it satisfy the policy? */
function modelAccepts(post: PresignedPost, fields: [string, string][], fileName: string, size: number): boolean {
  const { checks, min, max } = conditionsOf(post);
  const values = new Map<string, string>();
  for (const [name, value] of fields) {
    if (values.has(name.toLowerCase())) return false;
    values.set(name.toLowerCase(), value);
  }
  const raw = values.get('key') ?? '';
  if (raw.includes('${filename}') && fileName === '') return false; // nothing to put in its place
  const key = raw.split('${filename}').join(fileName);
  if (key === '') return false;
  // A bucket field must name the bucket the form was posted to.
  if (values.has('bucket') && values.get('bucket') !== 'bucket') return false;
  const valueOf = (field: string) =>
    field === 'key' ? key : field === 'bucket' ? 'bucket' : (values.get(field) ?? '');
  for (const [op, field, expected] of checks) {
    const value = valueOf(field);
    const ok =
      op === 'eq'
        ? value === expected
        : field === 'content-type' && value.includes(',')
          ? value.split(',').every((part) => part.trim().startsWith(expected))
          : value.startsWith(expected);
    if (!ok) return false;
  }
  const named = new Set(checks.map(([, field]) => field));
  for (const name of values.keys()) if (!EXEMPT(name) && !named.has(name)) return false;
  return size >= min && size <= max;
}

// ---- Properties ----

describe('presigned POST properties', () => {
  it('createPresignedPost → verifyPresignedPost round trip', async () => {
    await fc.assert(
      fc.asyncProperty(inputs, async (i) => {
        const made = await make(i);
        const verified = await verify(made.form, made.now);
        expect(verified.key).toBe(made.expectedKey);
        expect(verified.fileSize).toBe(made.size);
        expect(verified.fileName).toBe(made.fileName);
        expect(verified.expiresAt).toEqual(made.post.expiresAt);
        expect(verified.sessionToken).toBe(i.token ? TOKEN : undefined);
        for (const [name, value] of Object.entries(made.post.fields))
          expect(verified.fields[name.toLowerCase()]).toBe(value);
        expect(verified.contentLengthRange).toEqual(i.range ? { min: i.range[0], max: i.range[1] } : undefined);
        // And a millisecond after the expiration, it is expired.
        expect(await outcome(made.form, made.post.expiresAt.getTime() + 1)).toBe('ERR_SIGV4_EXPIRED');
      }),
      { numRuns: 150, seed: SEED },
    );
  });

  const mutation = fc.record({
    index: fc.nat(),
    position: fc.nat(),
    kind: fc.constantFrom('insert', 'delete', 'replace', 'rename-case', 'rename', 'add', 'size', 'file-name'),
    char: fc.oneof(
      fc.constantFrom('a', '/', '$', '{', '}', ',', ' ', 'ü', '0', 'Z', '='),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
    ),
    name: fc.oneof(
      fc.constantFrom('acl', 'x-ignore-x', 'Content-Type', 'x-amz-meta-new', 'success_action_status', 'bucket', 'KEY'),
      metaName,
    ),
    size: fc.nat({ max: 50 }),
    newFileName: fc.oneof(fileName, fc.constant('')),
  });

  it('any change to a field, its name, the fields, the file size or name: accepted exactly when the model says the policy still holds', async () => {
    await fc.assert(
      fc.asyncProperty(inputs, mutation, async (i, m) => {
        const made = await make(i);
        const fields = made.form.slice(0, -1) as [string, string][];
        let size = made.size;
        let name = made.fileName;
        let touched: string | undefined; // the field whose value changed
        const at = m.index % fields.length;
        const [fieldName, value] = fields[at]!;
        const chars = [...value];
        const pos = m.position % (chars.length + 1);
        switch (m.kind) {
          case 'insert':
            chars.splice(pos, 0, m.char);
            break;
          case 'delete':
            chars.splice(pos, 1);
            break;
          case 'replace':
            chars.splice(pos, 1, m.char);
            break;
          case 'rename-case':
            fields[at] = [fieldName.toUpperCase(), value];
            break;
          case 'rename':
            fields[at] = [m.name, value];
            touched = fieldName;
            break;
          case 'add':
            fields.splice(fields.length - 2, 0, [m.name, 'added']);
            break;
          case 'size':
            size = m.size;
            break;
          case 'file-name':
            name = m.newFileName;
            break;
        }
        if (m.kind === 'insert' || m.kind === 'delete' || m.kind === 'replace') {
          fields[at] = [fieldName, chars.join('')];
          if (chars.join('') !== value) touched = fieldName;
        }
        const form: [string, string | Blob][] = [...fields, ['file', new File([new Uint8Array(size)], name)]];
        const got = await outcome(form, made.now);
        if (touched !== undefined && SIGNER.has(touched.toLowerCase())) {
          // The signer's fields: any change is refused, whatever the code.
          expect(got).not.toBe('ok');
          return;
        }
        const accepted = modelAccepts(made.post, fields, name, size);
        expect(got === 'ok', `${m.kind} ${JSON.stringify(fields[at])}: ${got}`).toBe(accepted);
        if (!accepted) {
          const { min, max } = conditionsOf(made.post);
          const expected =
            m.kind === 'size' && size < min
              ? 'ERR_SIGV4_ENTITY_TOO_SMALL'
              : m.kind === 'size' && size > max
                ? 'ERR_SIGV4_ENTITY_TOO_LARGE'
                : ['ERR_SIGV4_POLICY_CONDITION', 'ERR_SIGV4_MALFORMED'];
          if (typeof expected === 'string') expect(got).toBe(expected);
          else expect(expected).toContain(got);
        }
      }),
      { numRuns: 600, seed: SEED },
    );
  });

  // ---- Garbage ----
  const signed = (policyText: string, extra: [string, string][] = []): [string, string | Blob][] => {
    const policy = Buffer.from(policyText, 'utf8').toString('base64');
    return [
      ['key', 'k'],
      ['x-amz-algorithm', 'AWS4-HMAC-SHA256'],
      ['x-amz-credential', `${ACCESS}/20151229/us-east-1/s3/aws4_request`],
      ['x-amz-date', '20151229T000000Z'],
      ['policy', policy],
      ['x-amz-signature', hmacHex(signingKey(SECRET, '20151229', 'us-east-1', 's3'), policy)],
      ...extra,
      ['file', 'data'],
    ];
  };
  const NOW = Date.UTC(2015, 11, 29);

  it('garbage forms never throw anything but a SigV4Error, and never take long', async () => {
    const names = fc.oneof(
      fc.constantFrom(
        'policy',
        'x-amz-signature',
        'x-amz-algorithm',
        'x-amz-credential',
        'x-amz-date',
        'key',
        'file',
        'bucket',
        'X-Amz-Date',
        'x-ignore-a',
      ),
      fc.string({ maxLength: 8 }),
    );
    const value = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.base64String({ maxLength: 60 }),
      fc.stringMatching(/^[0-9a-f]{64}$/),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(names, value), { maxLength: 12 }), async (pairs) => {
        const started = performance.now();
        const got = await outcome(pairs, NOW);
        expect(performance.now() - started).toBeLessThan(200);
        expect(got).not.toBe('ok');
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('garbage policies, validly signed, give ERR_SIGV4_POLICY or another SigV4Error, never a crash', async () => {
    const policy = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc
        .record({
          expiration: fc.oneof(fc.string(), fc.constant('2015-12-30T00:00:00.000Z'), fc.integer()),
          conditions: fc.jsonValue({ maxDepth: 3 }),
        })
        .map((v) => JSON.stringify(v)),
      fc
        .record({
          expiration: fc.constant('2015-12-30T00:00:00.000Z'),
          conditions: fc.array(
            fc.oneof(
              fc.jsonValue({ maxDepth: 2 }),
              fc.tuple(
                fc.constantFrom('eq', 'starts-with', 'content-length-range'),
                fc.jsonValue({ maxDepth: 1 }),
                fc.jsonValue({ maxDepth: 1 }),
              ),
            ),
          ),
        })
        .map((v) => JSON.stringify(v)),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }),
    );
    await fc.assert(
      fc.asyncProperty(policy, async (text) => {
        const got = await outcome(signed(text), NOW);
        expect(got).not.toBe('ok');
      }),
      { numRuns: 300, seed: SEED },
    );
    // Deep nesting, within the size limit: refused at once.
    for (const deep of [
      '['.repeat(14000),
      `${'['.repeat(7000)}${']'.repeat(7000)}`,
      `{"expiration":"2015-12-30T00:00:00Z","conditions":${'['.repeat(7000)}${']'.repeat(7000)}}`,
    ]) {
      const started = performance.now();
      expect(await outcome(signed(deep), NOW)).toBe('ERR_SIGV4_POLICY');
      expect(performance.now() - started).toBeLessThan(500);
    }
  });
});
